"""The Hood PATCH body as a PartnerPatch: absent fields UNSET, `null` kept, values passed on."""

from __future__ import annotations

import pytest

from partnerhub.domain.hood_partners import PartnerPatch
from partnerhub.domain.unset import UNSET
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.hood.partners.mapping import partner_patch


def test_absent_fields_are_unset() -> None:
    patch = partner_patch({"name": "Claire"})
    assert patch == PartnerPatch(name="Claire")
    assert patch.description is UNSET and patch.payment_terms is UNSET
    assert patch.changes() == {"name": "Claire"}


def test_null_clears_a_nullable_field() -> None:
    patch = partner_patch({"description": None, "billing_address": None})
    assert patch.changes() == {"description": None, "billing_address": None}


def test_null_on_a_required_field_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        partner_patch({"status": None})


def test_values_are_passed_on() -> None:
    patch = partner_patch(
        {
            "manager_ids": ["7", 7, "8"],
            "payment_terms": {"net_terms": "net60", "currency_code": None},
            "billing_address": {"postal_code": "21000"},
            "contact": {"email": "claire@example.com", "phone": None},
        }
    )
    assert patch.changes() == {
        "manager_ids": ["7", "8"],
        "payment_terms": {"net_terms": "net60", "currency_code": None},
        "billing_address": {"post_code": "21000"},
    }
    assert patch.contact == {"email": "claire@example.com", "phone": None}


def test_an_empty_body_changes_nothing() -> None:
    patch = partner_patch({})
    assert patch.changes() == {} and not patch.contact
