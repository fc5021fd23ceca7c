"""The CarrierX list language, parsed into a pure AST that storage compiles to SQL.

`limit` (default 10, max 1000), `offset`, `order=<field> [asc|desc]`, `after` / `before`
(secure-id cursors), `filter=<path> <op> <value> [and …]` with `eq ne lt le gt ge like ilike
in`, dotted paths into nested objects, and `include_fields` / `exclude_fields` (also camelCase).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from partnerhub.domain.ids import secure_id
from partnerhub.errors import ProblemList, ValidationFailed

Kind = Literal["string", "money", "datetime"]
Scalar = str | Decimal | bool | None
OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "like", "ilike", "in")
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
MAX_FILTER_LENGTH = 4000
MAX_CONDITIONS = 20
LIST_OPTIONS = (
    "limit",
    "offset",
    "order",
    "after",
    "before",
    "filter",
    "include_fields",
    "exclude_fields",
)

_NUMBER = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,9})?")
_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DATETIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,6}))?Z?)?"
)
_TOKEN = re.compile(
    r"\s*(?:(\()|(\))|(,)|\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|([^\s,()\"']+))"
)


@dataclass(frozen=True)
class ListSpec:
    """What a Core list can filter, sort and select."""

    fields: dict[str, Kind]  # filterable top-level scalars
    sortable: tuple[str, ...]
    nested: tuple[str, ...]  # objects whose keys a dotted path may name
    output: tuple[str, ...]  # names allowed in include/exclude_fields
    default_order: str
    options: tuple[str, ...] = LIST_OPTIONS  # the list options it takes; the others are 422


@dataclass(frozen=True)
class Filter:
    path: tuple[str, ...]
    op: str
    values: tuple[Scalar, ...]
    kind: Kind | Literal["json"]


@dataclass(frozen=True)
class CoreListQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    order: str = "date_created"
    descending: bool = False
    after: str | None = None
    before: str | None = None
    filters: tuple[Filter, ...] = ()
    include_fields: tuple[str, ...] | None = None
    exclude_fields: tuple[str, ...] = ()

    @property
    def cursor(self) -> str | None:
        return self.after or self.before


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed.one(field, message)


def _integer(name: str, raw: str, low: int, high: int) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 12) or not low <= int(text) <= high:
        raise _fail(name, f"{name} must be an integer from {low} to {high}.")
    return int(text)


def _sid(name: str, raw: str) -> str:
    sid = secure_id(raw.strip())
    if sid is None:
        raise _fail(name, f"{name} must be a secure id (UUID) of a listed item.")
    return sid


def _names(name: str, raw: str, allowed: Iterable[str]) -> tuple[str, ...]:
    known = set(allowed)
    names = tuple(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise _fail(name, f"{name}: unknown field(s) {', '.join(unknown)}.")
    return names


def _order(raw: str, spec: ListSpec) -> tuple[str, bool]:
    parts = raw.split()
    if not parts or len(parts) > 2:
        raise _fail("order", "order must be <field> [asc|desc].")
    name = parts[0]
    direction = parts[1].lower() if len(parts) == 2 else "asc"
    if name not in spec.sortable:
        raise _fail(
            "order", f"order: cannot sort on {name!r}; sortable: {', '.join(spec.sortable)}."
        )
    if direction not in ("asc", "desc"):
        raise _fail("order", "order direction must be asc or desc.")
    return name, direction == "desc"


def _tokens(text: str) -> list[tuple[str, Scalar | str]]:
    """(kind, value): kind is one of ( ) , quoted bare."""
    out: list[tuple[str, Scalar | str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _fail("filter", f"filter: unexpected character at position {pos}.")
        pos = match.end()
        open_, close, comma, dq, sq, bare = match.groups()
        if open_:
            out.append(("(", "("))
        elif close:
            out.append((")", ")"))
        elif comma:
            out.append((",", ","))
        elif dq is not None or sq is not None:
            quoted = dq if dq is not None else sq
            assert quoted is not None
            out.append(("quoted", re.sub(r"\\(.)", r"\1", quoted)))
        else:
            out.append(("bare", bare))
    return out


def _literal(kind: str, value: Scalar | str) -> Scalar:
    if kind == "quoted":
        return value
    assert isinstance(value, str)
    lowered = value.lower()
    if lowered == "null":
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    if _NUMBER.fullmatch(value):
        return Decimal(value)
    return value


def _datetime(value: Scalar, path: str) -> str:
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise _fail("filter", f'filter: {path} takes a timestamp like "2023-09-20T21:34:55.000Z".')
    date, clock, fraction = match.groups()
    try:
        parsed = datetime.fromisoformat(f"{date}T{clock or '00:00:00'}").replace(tzinfo=UTC)
    except ValueError:
        raise _fail("filter", f"filter: {path} holds an impossible date.") from None
    micros = int((fraction or "0").ljust(6, "0"))
    return parsed.replace(microsecond=micros).isoformat()


def _typed(
    values: tuple[Scalar, ...], kind: Kind | Literal["json"], path: str, op: str
) -> tuple[Scalar, ...]:
    if op in ("like", "ilike"):
        if not all(isinstance(v, str) for v in values):
            raise _fail("filter", f"filter: {op} needs a string pattern (in quotes) for {path}.")
        return values
    if any(v is None for v in values) and op not in ("eq", "ne"):
        raise _fail("filter", f"filter: null can only be compared with eq or ne ({path}).")
    if kind == "money":
        out: list[Scalar] = []
        for v in values:
            if isinstance(v, str) and _NUMBER.fullmatch(v.strip()):
                v = Decimal(v.strip())
            if v is not None and not isinstance(v, Decimal):
                raise _fail("filter", f"filter: {path} takes a decimal number.")
            out.append(v)
        return tuple(out)
    if kind == "datetime":
        return tuple(None if v is None else _datetime(v, path) for v in values)
    if kind == "string":
        return tuple(v if v is None or isinstance(v, str) else as_text(v) for v in values)
    return values


def as_text(value: Scalar) -> str:
    """A filter value as the text it is compared with (JSON spelling for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _path(raw: str, spec: ListSpec) -> tuple[tuple[str, ...], Kind | Literal["json"]]:
    path = tuple(raw.split("."))
    if not all(_SEGMENT.fullmatch(p) for p in path):
        raise _fail("filter", f"filter: {raw!r} is not a field path.")
    head = path[0]
    if len(path) == 1 and head in spec.fields:
        return path, spec.fields[head]
    if len(path) > 1 and head in spec.nested:
        return path, "json"
    fields = ", ".join([*spec.fields, *(f"{n}.<key>" for n in spec.nested)])
    raise _fail("filter", f"filter: cannot filter on {raw!r}; filterable: {fields}.")


def parse_filter(text: str, spec: ListSpec) -> tuple[Filter, ...]:
    if len(text) > MAX_FILTER_LENGTH:
        raise _fail("filter", f"filter must be at most {MAX_FILTER_LENGTH} characters.")
    tokens = _tokens(text)
    filters: list[Filter] = []
    i = 0

    def take() -> tuple[str, Scalar | str]:
        nonlocal i
        if i >= len(tokens):
            raise _fail("filter", "filter: incomplete condition; expected <field> <op> <value>.")
        token = tokens[i]
        i += 1
        return token

    while True:
        kind, raw_path = take()
        if kind != "bare":
            raise _fail("filter", "filter: expected a field name.")
        assert isinstance(raw_path, str)
        path, field_kind = _path(raw_path, spec)
        kind, raw_op = take()
        op = str(raw_op).lower()
        if kind != "bare" or op not in OPERATORS:
            raise _fail(
                "filter", f"filter: unknown operator {raw_op!r}; use one of {', '.join(OPERATORS)}."
            )
        values: list[Scalar] = []
        if op == "in":
            parenthesised = i < len(tokens) and tokens[i][0] == "("
            if parenthesised:
                take()
            while True:
                kind, raw = take()
                if kind not in ("quoted", "bare"):
                    raise _fail("filter", 'filter: in needs a list of values, e.g. ("a", "b").')
                values.append(_literal(kind, raw))
                if i < len(tokens) and tokens[i][0] == ",":
                    take()
                    continue
                break
            if parenthesised and take()[0] != ")":
                raise _fail("filter", "filter: missing ) after the in list.")
        else:
            kind, raw = take()
            if kind not in ("quoted", "bare"):
                raise _fail("filter", f"filter: {op} needs a value.")
            values.append(_literal(kind, raw))
        filters.append(
            Filter(path, op, _typed(tuple(values), field_kind, raw_path, op), field_kind)
        )
        if len(filters) > MAX_CONDITIONS:
            raise _fail("filter", f"filter: at most {MAX_CONDITIONS} conditions.")
        if i >= len(tokens):
            return tuple(filters)
        kind, joiner = take()
        if kind != "bare" or str(joiner).lower() != "and":
            raise _fail(
                "filter",
                "filter: conditions are joined by and (or, not and parentheses are not supported).",
            )


def _refuse_unsupported(given: Iterable[str], spec: ListSpec) -> None:
    """A list option this list does not take is refused rather than silently ignored."""
    problems = ProblemList()
    for name in given:
        if name in LIST_OPTIONS and name not in spec.options:
            problems.add(
                name, f"{name}: not supported by this list; it takes {', '.join(spec.options)}."
            )
    problems.raise_if_any()


def parse_list_query(params: list[tuple[str, str]], spec: ListSpec) -> CoreListQuery:
    """Unknown parameters are ignored, as CarrierX does for query arguments it does not use;
    list options the list does not take are 422."""
    given: dict[str, str] = {}
    for key, value in params:
        canonical = {"includeFields": "include_fields", "excludeFields": "exclude_fields"}.get(
            key, key
        )
        if canonical in given:
            raise _fail(canonical, f"{canonical} may be given once.")
        given[canonical] = value
    _refuse_unsupported(given, spec)
    limit = _integer("limit", given["limit"], 0, MAX_LIMIT) if "limit" in given else DEFAULT_LIMIT
    offset = _integer("offset", given["offset"], 0, MAX_OFFSET) if "offset" in given else 0
    order, descending = (
        _order(given["order"], spec) if "order" in given else (spec.default_order, False)
    )
    after = _sid("after", given["after"]) if "after" in given else None
    before = _sid("before", given["before"]) if "before" in given else None
    if after and before:
        raise _fail("before", "after and before cannot be combined.")
    if (after or before) and offset:
        raise _fail("offset", "offset is not used together with after/before.")
    filters = parse_filter(given["filter"], spec) if given.get("filter", "").strip() else ()
    include = (
        _names("include_fields", given["include_fields"], spec.output)
        if "include_fields" in given
        else None
    )
    exclude = (
        _names("exclude_fields", given["exclude_fields"], spec.output)
        if "exclude_fields" in given
        else ()
    )
    return CoreListQuery(
        limit=limit,
        offset=offset,
        order=order,
        descending=descending,
        after=after,
        before=before,
        filters=filters,
        include_fields=include,
        exclude_fields=exclude,
    )
