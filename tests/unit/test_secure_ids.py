"""Secure ids (UUIDs): one parser for Core paths, list cursors and ACL rule ids."""

from __future__ import annotations

import pytest

from partnerhub.domain import ids
from partnerhub.domain.core_query import ListSpec, parse_list_query
from partnerhub.errors import NotFound, ValidationFailed

SID = "93525bae-f9a9-446b-b92a-7f421df7a11e"
SPEC = ListSpec(fields={}, sortable=("date_created",), nested=(), output=(), default_order="x")


@pytest.mark.parametrize("given", [SID, SID.upper(), SID.replace("-", "")])
def test_secure_id_is_canonical(given: str) -> None:
    assert ids.secure_id(given) == SID


@pytest.mark.parametrize("given", ["", "not-a-sid", SID[:-1], SID + "0", None, 42, [SID]])
def test_secure_id_refuses(given: object) -> None:
    assert ids.secure_id(given) is None


def test_a_malformed_path_id_is_unknown() -> None:
    assert ids.uuid_string(SID.upper(), "partner") == SID
    with pytest.raises(NotFound):
        ids.uuid_string("nope", "partner")


def test_list_cursors_use_the_same_parser() -> None:
    assert parse_list_query([("after", f" {SID.upper()} ")], SPEC).after == SID
    with pytest.raises(ValidationFailed) as raised:
        parse_list_query([("before", SID[:-1])], SPEC)
    assert raised.value.problems[0].field == "before"
