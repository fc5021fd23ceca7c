"""The Ocamba Hood list query language: `fields`, `view`, `sort`, `page`, `q`, `q_fields` and
`<field>=[<op>:]<value>` filters, parsed and validated into a `ListQuery`.

Pure: storage compiles a `ListQuery` into SQL (`partnerhub.storage.listquery_sql`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from partnerhub.errors import ValidationFailed

FieldKind = Literal["string", "number", "enum", "datetime", "array", "flag"]
View = Literal["default", "full"]

RESERVED = frozenset({"fields", "view", "sort", "page", "q", "q_fields"})
OPERATORS = frozenset(
    {"eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "is", "isn", "r", "rf", "rl", "rr"}
)
RANGE_OPERATORS = frozenset({"gt", "gte", "lt", "lte", "r", "rf", "rl", "rr"})
LIST_OPERATORS = frozenset({"in", "nin"})
NULL_OPERATORS = frozenset({"is", "isn"})
MAX_VALUE_LENGTH = 1000
# Keeps OFFSET and bound integers inside a signed 64-bit column on every backend.
MAX_PAGE = 1_000_000_000
MIN_INT, MAX_INT = -(2**63), 2**63 - 1

_INT = re.compile(r"-?[0-9]{1,19}")
_PAGE = re.compile(r"([0-9]{1,19})(?:,([0-9]{1,19}))?")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}:[0-9]{2})?")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    filterable: bool = True
    sortable: bool = False
    searchable: bool = False
    enum: tuple[str, ...] = ()
    # The query-parameter name when it differs from the field name ("managers" for manager_ids).
    filter_name: str | None = None
    nullable: bool = True

    @property
    def param(self) -> str:
        return self.filter_name or self.name


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool


@dataclass(frozen=True)
class ResourceSpec:
    fields: tuple[FieldSpec, ...]
    default_search: tuple[str, ...]
    default_sort: tuple[SortKey, ...]
    default_per_page: int = 20
    max_per_page: int = 100
    # Names allowed in `fields=`; empty means the names of `fields`.
    output_fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    values: tuple[object, ...]


@dataclass(frozen=True)
class ListQuery:
    conditions: tuple[Condition, ...]
    sort: tuple[SortKey, ...]
    page: int
    per_page: int
    search: str | None
    search_fields: tuple[str, ...]
    fields: tuple[str, ...] | None
    view: View

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def parse_list_query(
    params: Sequence[tuple[str, str]],
    spec: ResourceSpec,
    *,
    ignore: frozenset[str] = frozenset(),
) -> ListQuery:
    """Validate query-string items against `spec`; raise `ValidationFailed` at the first fault."""
    by_name = {f.name: f for f in spec.fields}
    by_param = {f.param: f for f in spec.fields}
    reserved: dict[str, str] = {}
    conditions: list[Condition] = []
    for name, value in params:
        if name in ignore:
            continue
        _check_raw(name, value)
        if name in RESERVED:
            if name in reserved:
                raise _fail(name, f"Parameter '{name}' is given more than once.")
            reserved[name] = value
            continue
        field = by_param.get(name)
        if field is None:
            raise _fail(_short(name), f"Unknown filter '{_short(name)}'.")
        if not field.filterable:
            raise _fail(name, f"Filter '{name}' is not supported.")
        conditions.append(_parse_filter(field, value))

    page, per_page = _parse_page(reserved.get("page", ""), spec)
    search = reserved.get("q", "").strip() or None
    search_fields = _parse_search_fields(reserved.get("q_fields", ""), spec, by_name)
    if search is not None and not search_fields:
        raise _fail("q", "Search is not supported on this list.")
    return ListQuery(
        conditions=tuple(conditions),
        sort=_parse_sort(reserved.get("sort", ""), spec, by_name),
        page=page,
        per_page=per_page,
        search=search,
        search_fields=search_fields,
        fields=_parse_fields(reserved.get("fields", ""), spec),
        view=_parse_view(reserved.get("view", "")),
    )


def _fail(param: str, message: str) -> ValidationFailed:
    return ValidationFailed.one(param, message)


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:50] + "…"


def _check_raw(name: str, value: str) -> None:
    if "\x00" in name or "\x00" in value:
        raise _fail(_short(name), f"Parameter '{_short(name)}' contains a NUL byte.")
    if len(name) > MAX_VALUE_LENGTH or len(value) > MAX_VALUE_LENGTH:
        raise _fail(
            _short(name), f"Parameter '{_short(name)}' is longer than {MAX_VALUE_LENGTH} chars."
        )


def _items(param: str, raw: str) -> list[str]:
    items = [item.strip() for item in raw.split(",")]
    if "" in items:
        raise _fail(param, f"{param} has an empty item.")
    return items


def _parse_fields(raw: str, spec: ResourceSpec) -> tuple[str, ...] | None:
    if not raw:
        return None
    allowed = spec.output_fields or {f.name for f in spec.fields}
    names = _items("fields", raw)
    for name in names:
        if name not in allowed:
            raise _fail("fields", f"Unknown field '{_short(name)}' in fields.")
    return tuple(dict.fromkeys(names))


def _parse_view(raw: str) -> View:
    if raw in ("", "default"):
        return "default"
    if raw == "full":
        return "full"
    raise _fail("view", f"Invalid view '{_short(raw)}': expected default or full.")


def _parse_sort(raw: str, spec: ResourceSpec, by_name: dict[str, FieldSpec]) -> tuple[SortKey, ...]:
    keys: list[SortKey] = []
    if raw:
        for item in _items("sort", raw):
            name = item.removeprefix("-")
            field = by_name.get(name)
            if field is None:
                raise _fail("sort", f"Unknown field '{_short(name)}' in sort.")
            if not field.sortable:
                raise _fail("sort", f"Field '{name}' is not sortable.")
            if any(key.field == name for key in keys):
                raise _fail("sort", f"Field '{name}' appears more than once in sort.")
            keys.append(SortKey(name, item.startswith("-")))
    else:
        keys = list(spec.default_sort)
    # A total order keeps pages stable: ties are broken by id, in the last key's direction.
    if not any(key.field == "id" for key in keys):
        keys.append(SortKey("id", keys[-1].descending if keys else False))
    return tuple(keys)


def _parse_page(raw: str, spec: ResourceSpec) -> tuple[int, int]:
    if not raw:
        return 1, spec.default_per_page
    match = _PAGE.fullmatch(raw)
    page = int(match[1]) if match else 0
    per_page = int(match[2]) if match and match[2] else spec.default_per_page
    if page < 1 or not 1 <= per_page <= spec.max_per_page:
        raise _fail("page", f"page must be N or N,M with N ≥ 1 and 1 ≤ M ≤ {spec.max_per_page}.")
    if page > MAX_PAGE:
        raise _fail("page", f"page number must be at most {MAX_PAGE}.")
    return page, per_page


def _parse_search_fields(
    raw: str, spec: ResourceSpec, by_name: dict[str, FieldSpec]
) -> tuple[str, ...]:
    if not raw:
        return spec.default_search
    names = _items("q_fields", raw)
    for name in names:
        field = by_name.get(name)
        if field is None:
            raise _fail("q_fields", f"Unknown field '{_short(name)}' in q_fields.")
        if not field.searchable:
            raise _fail("q_fields", f"Field '{name}' is not searchable.")
    return tuple(dict.fromkeys(names))


def _split_operator(param: str, raw: str) -> tuple[str, str]:
    prefix, colon, rest = raw.partition(":")
    if not colon:
        return "eq", raw
    if prefix in OPERATORS:
        return prefix, rest
    # Values may hold ':' (datetimes); a short word before it is taken as a mistyped operator.
    if prefix.isascii() and prefix.isalpha() and len(prefix) <= 4:
        raise _fail(param, f"Unknown operator '{prefix}' for filter '{param}'.")
    return "eq", raw


def _parse_filter(field: FieldSpec, raw: str) -> Condition:
    param = field.param
    op, value = _split_operator(param, raw)
    if op in RANGE_OPERATORS and field.kind not in ("number", "datetime"):
        raise _fail(param, f"Operator '{op}' is not allowed on filter '{param}'.")
    if op in NULL_OPERATORS:
        if value:
            raise _fail(param, f"Operator '{op}' on filter '{param}' takes no value.")
        return Condition(field.name, op, ())
    parts = value.split(",") if op in LIST_OPERATORS or op in ("r", "rf") else [value]
    if op in ("r", "rf") and len(parts) != 2:
        raise _fail(param, f"Operator '{op}' on filter '{param}' needs two values: start,end.")
    return Condition(field.name, op, tuple(_convert(field, part) for part in parts))


def _convert(field: FieldSpec, value: str) -> object:
    param = field.param
    if field.kind in ("number", "flag"):
        number = int(value) if _INT.fullmatch(value) else None
        if field.kind == "flag" and number not in (0, 1):
            raise _invalid(param, value, "expected 0 or 1")
        if number is None or not MIN_INT <= number <= MAX_INT:
            raise _invalid(param, value, "expected an integer")
        return number
    if field.kind == "datetime":
        return _parse_datetime(param, value)
    if (field.kind == "enum" or field.enum) and value not in field.enum:
        raise _invalid(param, value, f"expected one of {', '.join(field.enum)}")
    return value


def _invalid(param: str, value: str, expected: str) -> ValidationFailed:
    return _fail(param, f"Invalid value '{_short(value)}' for filter '{param}': {expected}.")


def _parse_datetime(param: str, value: str) -> datetime:
    parsed: datetime | None = None
    if _DATETIME.fullmatch(value):
        layout = "%Y-%m-%d" if len(value) == 10 else f"%Y-%m-%d{value[10]}%H:%M:%S"
        try:
            parsed = datetime.strptime(value, layout)
        except ValueError:
            parsed = None
    if parsed is None:
        raise _invalid(param, value, "expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC)")
    return parsed.replace(tzinfo=UTC)


_COMPARE: dict[str, Any] = {
    "eq": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _holds(condition: Condition, value: Any) -> bool:
    """`condition` on one value, as `storage.listquery_sql` compiles it for a column."""
    op, values = condition.op, condition.values
    if op in ("is", "isn"):
        return (value is not None) == (op == "is")
    if op == "neq":
        return bool(value != values[0])
    if op == "nin":
        return value not in values
    if value is None:
        return False
    if op in _COMPARE:
        return bool(_COMPARE[op](value, values[0]))
    if op == "in":
        return value in values
    if op == "r":
        return bool(values[0] < value < values[1])
    if op == "rf":
        return bool(values[0] <= value <= values[1])
    raise ValueError(f"unknown operator {op!r}")


def select_items(
    query: ListQuery, items: Sequence[Mapping[str, Any]]
) -> tuple[int, list[Mapping[str, Any]]]:
    """A list query over items held in memory (built-in objects, not rows): the total that
    match and the page, filtered, searched and sorted as the SQL compilation does."""
    found = [i for i in items if all(_holds(c, i.get(c.field)) for c in query.conditions)]
    if query.search is not None and query.search_fields:
        term = query.search.lower()
        found = [
            i
            for i in found
            if any(term in str(i.get(f) or "").lower() for f in query.search_fields)
        ]
    for key in reversed(query.sort):  # stable sorts, last key first; missing values last
        present = [i for i in found if i.get(key.field) is not None]
        missing = [i for i in found if i.get(key.field) is None]
        present.sort(key=lambda i: i[key.field], reverse=key.descending)
        found = missing + present if key.descending else present + missing
    return len(found), found[query.offset : query.offset + query.per_page]
