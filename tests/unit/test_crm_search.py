"""Parsing CRM search requests: limits, operators, sorts, typed values (pure domain)."""

from __future__ import annotations

from typing import Any

import pytest

from partnerhub.domain import crm_search
from partnerhub.domain.crm_properties import BUILTINS, PropertyDef
from partnerhub.errors import ValidationFailed

DEFS: dict[str, PropertyDef] = {
    **BUILTINS,
    "n": PropertyDef("n", "N", "number", "number"),
    "d": PropertyDef("d", "D", "date", "date"),
    "s": PropertyDef("s", "S", "string", "text"),
    "e": PropertyDef("e", "E", "enumeration", "select", options=({"label": "A", "value": "A"},)),
    "m": PropertyDef("m", "M", "enumeration", "checkbox", options=({"label": "A", "value": "a"},)),
}
ONE = {"propertyName": "n", "operator": "GT", "value": "1"}


def _parse(body: Any) -> crm_search.SearchRequest:
    return crm_search.parse(body, DEFS)


class TestParse:
    def test_empty_body_is_everything(self) -> None:
        parsed = _parse({})
        assert parsed.groups == () and parsed.sort is None and parsed.limit == 10
        assert parsed.properties == ("hs_object_id", "hs_createdate", "hs_lastmodifieddate")
        assert parsed.text_properties == ("s",)

    def test_values_become_comparable(self) -> None:
        parsed = _parse(
            {
                "filterGroups": [
                    {
                        "filters": [
                            {
                                "propertyName": "n",
                                "operator": "BETWEEN",
                                "value": "1",
                                "highValue": 2,
                            },
                            {"propertyName": "d", "operator": "EQ", "value": "2020-01-01"},
                            {"propertyName": "s", "operator": "IN", "values": ["Ab", "c"]},
                            {"propertyName": "e", "operator": "EQ", "value": "A"},
                            {"propertyName": "m", "operator": "HAS_PROPERTY"},
                        ]
                    }
                ]
            }
        )
        n, d, s, e, m = parsed.groups[0]
        assert (n.value, n.high_value, n.kind) == (1.0, 2.0, "number")
        assert d.value == 1577836800000
        assert s.values == ("ab", "c") and s.kind == "text"
        assert e.value == "A" and e.kind == "enum"
        assert m.kind == "multi"

    @pytest.mark.parametrize("sorts", [["-n"], [{"propertyName": "n", "direction": "DESCENDING"}]])
    def test_sort_forms(self, sorts: list[Any]) -> None:
        sort = _parse({"sorts": sorts}).sort
        assert sort is not None and sort.name == "n" and sort.descending

    @pytest.mark.parametrize(
        "body",
        [
            {"filterGroups": [{"filters": [ONE]}] * 6},
            {"filterGroups": [{"filters": [ONE] * 7}]},
            {"filterGroups": [{"filters": [ONE] * 6}] * 3 + [{"filters": [ONE]}]},
            {"sorts": ["n", "s"]},
            {"limit": 0},
            {"limit": 201},
            {"after": "9995", "limit": 10},
            {
                "filterGroups": [
                    {"filters": [{"propertyName": "x", "operator": "EQ", "value": "1"}]}
                ]
            },
            {"filterGroups": [{"filters": [{"propertyName": "n", "operator": "EQ"}]}]},
            {
                "filterGroups": [
                    {"filters": [{"propertyName": "n", "operator": "EQ", "value": "x"}]}
                ]
            },
            {
                "filterGroups": [
                    {"filters": [{"propertyName": "e", "operator": "GT", "value": "A"}]}
                ]
            },
            {
                "filterGroups": [
                    {"filters": [{"propertyName": "n", "operator": "BETWEEN", "value": "1"}]}
                ]
            },
            {"query": 5},
            [],
        ],
    )
    def test_refused(self, body: Any) -> None:
        with pytest.raises(ValidationFailed):
            _parse(body)

    def test_body_size_limit(self) -> None:
        with pytest.raises(ValidationFailed):
            crm_search.parse({}, DEFS, body_chars=3001)
        assert crm_search.parse({}, DEFS, body_chars=3000).limit == 10
