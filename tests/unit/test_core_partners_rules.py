"""Core partner rules: money strings, PATCH merge, PUT completeness, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from partnerhub.domain import core_partners as rules
from partnerhub.errors import ValidationFailed


@pytest.mark.parametrize(
    ("given", "expected"), [(20, "20"), ("351.52", "351.52"), (20.5, "20.5"), ("100.00", "100")]
)
def test_money_is_a_canonical_decimal_string(given: object, expected: str) -> None:
    assert rules.money(given, "charge_at") == expected


@pytest.mark.parametrize("given", [True, "ten", -1, "1e5", None, [1]])
def test_money_refuses(given: object) -> None:
    with pytest.raises(ValidationFailed):
        rules.money(given, "charge_at")


def test_merge_object_null_removes() -> None:
    assert rules.merge_object({"a": 1, "b": 2}, {"b": None, "c": 3}) == {"a": 1, "c": 3}


def test_core_time() -> None:
    value = datetime(2023, 9, 20, 21, 34, 55, 7000, tzinfo=UTC)
    assert rules.core_time(value) == "2023-09-20T21:34:55.007Z"


def test_put_completeness_names_each_missing_field() -> None:
    with pytest.raises(ValidationFailed) as exc:
        rules.check_put_complete({"name": "x"})
    assert {p.field for p in exc.value.problems} == set(rules.UPDATABLE) - {"name"}


def test_nested_objects_only_replace() -> None:
    assert rules.check_nested_objects(None) is False
    assert rules.check_nested_objects("replace") is True
    with pytest.raises(ValidationFailed):
        rules.check_nested_objects("merge")


def test_updatable_is_exactly_seed_003() -> None:
    assert set(rules.UPDATABLE) == {
        "acls", "address1", "address2", "attributes", "billing_email", "callbacks", "city",
        "company_name", "name", "owner_email", "parent_assigned_acls", "phonenumber",
        "tech_email", "transformations", "zip",
    }  # fmt: skip
