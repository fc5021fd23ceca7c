"""The CRM search request (HubSpot's PublicObjectSearchRequest) as a checked, typed tree.

Parsing resolves every property against the account's definitions and turns each filter value
into the comparable form of its property's type; storage compiles the tree to SQL. The limits and
enumerations below are the only definition of the body's rules: the surface's OpenAPI model of
the body is built from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from partnerhub.domain import numbers
from partnerhub.domain.crm_properties import (
    DEFAULT_PROPERTIES,
    InvalidValue,
    PropertyDef,
    parse_date_ms,
    parse_datetime_ms,
)
from partnerhub.errors import ValidationFailed

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_FILTERS = 18
MAX_SORTS = 1
DEFAULT_LIMIT = 10
MAX_LIMIT = 200
MAX_RESULTS = 10_000
MAX_BODY_CHARS = 3_000

Operator = Literal[
    "EQ",
    "NEQ",
    "LT",
    "LTE",
    "GT",
    "GTE",
    "BETWEEN",
    "IN",
    "NOT_IN",
    "HAS_PROPERTY",
    "NOT_HAS_PROPERTY",
    "CONTAINS_TOKEN",
    "NOT_CONTAINS_TOKEN",
]
OPERATORS: tuple[str, ...] = get_args(Operator)
RANGE_OPERATORS = ("LT", "LTE", "GT", "GTE", "BETWEEN")
NEGATIVE_OPERATORS = ("NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN")
Direction = Literal["ASCENDING", "DESCENDING"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)

# How a property's values compare. Columns: id, created, updated; the rest are JSON values.
Kind = str  # id | created | updated | number | date | datetime | bool | enum | multi | text
_BUILTIN_KINDS = {
    "hs_object_id": "id",
    "hs_createdate": "created",
    "hs_lastmodifieddate": "updated",
}


def kind_of(prop: PropertyDef) -> Kind:
    if prop.name in _BUILTIN_KINDS:
        return _BUILTIN_KINDS[prop.name]
    if prop.type in ("number", "date", "datetime", "bool"):
        return prop.type
    if prop.type == "enumeration":
        return "multi" if prop.is_multi else "enum"
    return "text"


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    kind: Kind
    operator: str
    value: Any = None
    high_value: Any = None
    values: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Sort:
    name: str
    kind: Kind
    descending: bool


@dataclass(frozen=True, slots=True)
class SearchRequest:
    groups: tuple[tuple[Filter, ...], ...]
    sort: Sort | None
    query: str | None
    text_properties: tuple[str, ...]
    properties: tuple[str, ...]
    limit: int
    offset: int


def _fail(field: str, message: str, code: str = "INVALID") -> ValidationFailed:
    return ValidationFailed.one(field, message, code)


def _comparable(kind: Kind, raw: Any, field: str, operator: str) -> Any:
    if isinstance(raw, bool):
        raw = "true" if raw else "false"
    elif isinstance(raw, int | float):
        raw = repr(raw) if isinstance(raw, float) else str(raw)
    if not isinstance(raw, str):
        raise _fail(field, f"{field} must be a string.")
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        return raw.lower()
    try:
        if kind in ("number", "id"):
            return float(raw.strip())
        if kind == "date":
            ms = parse_datetime_ms(raw)
            return ms if ms is not None else parse_date_ms(raw)
        if kind in ("datetime", "created", "updated"):
            ms = parse_datetime_ms(raw)
            if ms is None:
                raise InvalidValue("INVALID_DATETIME", f"{raw} is not a valid date-time")
            return ms
    except (ValueError, InvalidValue, OverflowError):
        raise _fail(field, f"{field}: {raw!r} is not a valid value for this property.") from None
    if kind in ("text", "bool"):
        return raw.lower()
    return raw


def _property(name: Any, defs: Mapping[str, PropertyDef], field: str) -> PropertyDef:
    if not isinstance(name, str):
        raise _fail(field, f"{field} must be a string.")
    prop = defs.get(name)
    if prop is None:
        raise _fail(field, f'Property "{name}" does not exist', "PROPERTY_DOESNT_EXIST")
    return prop


def _filter(data: Any, defs: Mapping[str, PropertyDef], path: str) -> Filter:
    if not isinstance(data, dict):
        raise _fail(path, f"{path} must be an object.")
    prop = _property(data.get("propertyName"), defs, f"{path}.propertyName")
    operator = data.get("operator", "EQ")
    if operator not in OPERATORS:
        raise _fail(f"{path}.operator", f"{path}.operator must be one of {', '.join(OPERATORS)}.")
    kind = kind_of(prop)
    if operator in RANGE_OPERATORS and kind in ("enum", "multi", "bool"):
        raise _fail(
            f"{path}.operator", f"{operator} does not apply to {prop.type} property {prop.name}."
        )
    if operator in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        return Filter(prop.name, kind, operator)
    if operator in ("IN", "NOT_IN"):
        values = data.get("values")
        if not isinstance(values, list) or not values:
            raise _fail(f"{path}.values", f"{operator} needs a non-empty values array.")
        converted = tuple(
            _comparable(kind, v, f"{path}.values.{i}", operator) for i, v in enumerate(values)
        )
        return Filter(prop.name, kind, operator, values=converted)
    if "value" not in data or data["value"] is None:
        raise _fail(f"{path}.value", f"{operator} needs a value.")
    value = _comparable(kind, data["value"], f"{path}.value", operator)
    high = None
    if operator == "BETWEEN":
        if data.get("highValue") is None:
            raise _fail(f"{path}.highValue", "BETWEEN needs a highValue.")
        high = _comparable(kind, data["highValue"], f"{path}.highValue", operator)
    return Filter(prop.name, kind, operator, value=value, high_value=high)


def _sort(data: Any, defs: Mapping[str, PropertyDef]) -> Sort | None:
    if data is None:
        return None
    if not isinstance(data, list):
        raise _fail("sorts", "sorts must be an array.")
    if not data:
        return None
    if len(data) > MAX_SORTS:
        raise _fail("sorts", "Only one sort is allowed.", "TOO_MANY_SORTS")
    item = data[0]
    if isinstance(item, str):
        descending = item.startswith("-")
        name = item.lstrip("-+")
        prop = _property(name, defs, "sorts.0")
        return Sort(prop.name, kind_of(prop), descending)
    if not isinstance(item, dict):
        raise _fail("sorts.0", "sorts.0 must be a property name or {propertyName, direction}.")
    prop = _property(item.get("propertyName"), defs, "sorts.0.propertyName")
    direction = str(item.get("direction", "ASCENDING")).upper()
    if direction not in DIRECTIONS:
        raise _fail("sorts.0.direction", "sorts.0.direction must be ASCENDING or DESCENDING.")
    return Sort(prop.name, kind_of(prop), direction == "DESCENDING")


def _int(value: Any, field: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool):
        raise _fail(field, f"{field} must be an integer.")
    if isinstance(value, int):
        return value
    number = numbers.ascii_int(value.strip(), signed=True) if isinstance(value, str) else None
    if number is not None:
        return number
    raise _fail(field, f"{field} must be an integer.")


def parse(data: Any, defs: Mapping[str, PropertyDef], *, body_chars: int = 0) -> SearchRequest:
    """Check a search body against HubSpot's documented limits and the account's properties."""
    if body_chars > MAX_BODY_CHARS:
        raise _fail("body", f"The search body exceeds {MAX_BODY_CHARS} characters.", "TOO_LARGE")
    if not isinstance(data, dict):
        raise _fail("body", "The search body must be a JSON object.")
    raw_groups = data.get("filterGroups") or []
    if not isinstance(raw_groups, list):
        raise _fail("filterGroups", "filterGroups must be an array.")
    if len(raw_groups) > MAX_GROUPS:
        raise _fail(
            "filterGroups", f"At most {MAX_GROUPS} filterGroups are allowed.", "TOO_MANY_FILTERS"
        )
    groups: list[tuple[Filter, ...]] = []
    total = 0
    for g, group in enumerate(raw_groups):
        path = f"filterGroups.{g}"
        if not isinstance(group, dict):
            raise _fail(path, f"{path} must be an object.")
        filters = group.get("filters") or []
        if not isinstance(filters, list):
            raise _fail(f"{path}.filters", f"{path}.filters must be an array.")
        if len(filters) > MAX_FILTERS_PER_GROUP:
            raise _fail(
                f"{path}.filters",
                f"At most {MAX_FILTERS_PER_GROUP} filters are allowed in a filterGroup.",
                "TOO_MANY_FILTERS",
            )
        total += len(filters)
        if filters:
            groups.append(
                tuple(_filter(f, defs, f"{path}.filters.{i}") for i, f in enumerate(filters))
            )
    if total > MAX_FILTERS:
        raise _fail(
            "filterGroups",
            f"At most {MAX_FILTERS} filters are allowed in total.",
            "TOO_MANY_FILTERS",
        )
    query = data.get("query")
    if query is not None and not isinstance(query, str):
        raise _fail("query", "query must be a string.")
    limit = _int(data.get("limit"), "limit", DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise _fail("limit", f"limit must be between 1 and {MAX_LIMIT}.")
    offset = _int(data.get("after"), "after", 0)
    if offset < 0:
        raise _fail("after", "after must not be negative.")
    if offset + limit > MAX_RESULTS:
        raise _fail("after", f"Search pages beyond the first {MAX_RESULTS} results are refused.")
    props = data.get("properties")
    if props is None:
        properties: tuple[str, ...] = DEFAULT_PROPERTIES
    elif isinstance(props, list) and all(isinstance(p, str) for p in props):
        properties = tuple(dict.fromkeys(p for item in props for p in item.split(",") if p))
    else:
        raise _fail("properties", "properties must be an array of strings.")
    text = tuple(n for n, p in defs.items() if p.is_text)
    return SearchRequest(
        groups=tuple(groups),
        sort=_sort(data.get("sorts"), defs),
        query=query.strip() or None if query else None,
        text_properties=text,
        properties=properties,
        limit=limit,
        offset=offset,
    )
