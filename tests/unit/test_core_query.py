"""The Core list language parser (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partnerhub.domain.core_query import parse_filter, parse_list_query
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.core.query import PARTNERS


def test_defaults() -> None:
    q = parse_list_query([], PARTNERS)
    assert (q.limit, q.offset, q.order, q.descending, q.filters) == (
        10,
        0,
        "date_created",
        False,
        (),
    )


def test_filter_with_quotes_and_paths() -> None:
    (a, b, c) = parse_filter(
        "attributes.tier eq \"gold\" and name like 'J%' and balance gt 10.5", PARTNERS
    )
    assert (a.path, a.op, a.values, a.kind) == (("attributes", "tier"), "eq", ("gold",), "json")
    assert (b.op, b.values) == ("like", ("J%",))
    assert (c.kind, c.values) == ("money", (Decimal("10.5"),))


def test_in_lists() -> None:
    (f,) = parse_filter('status in ("active", "unverified")', PARTNERS)
    assert f.values == ("active", "unverified")
    (g,) = parse_filter("login in 'a','b'", PARTNERS)
    assert g.values == ("a", "b")


@pytest.mark.parametrize(
    "text",
    [
        "name",
        "name eq",
        "name eqq 'x'",
        "name eq 'x' or zip eq 'y'",
        "password eq 'x'",
        "attributes eq 'x'",
        "balance gt 'abc'",
        "date_created gt 'yesterday'",
        "name lt null",
        "name like 5",
    ],
)
def test_bad_filters_name_the_filter(text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_filter(text, PARTNERS)
    assert exc.value.field == "filter"


def test_limit_bounds_and_camel_case_fields() -> None:
    with pytest.raises(ValidationFailed):
        parse_list_query([("limit", "1001")], PARTNERS)
    q = parse_list_query([("limit", "1000"), ("includeFields", "name,zip")], PARTNERS)
    assert q.limit == 1000 and q.include_fields == ("name", "zip")
    with pytest.raises(ValidationFailed):
        parse_list_query([("after", "x")], PARTNERS)
