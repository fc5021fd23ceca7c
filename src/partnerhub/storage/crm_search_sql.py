"""Compiles a parsed CRM `SearchRequest` into SQLAlchemy Core WHERE and ORDER BY clauses
over `crm_objects` (property values live in its JSON `properties` column, as text)."""

from __future__ import annotations

import operator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float, String, and_, cast, false, func, literal, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from partnerhub.domain import numbers
from partnerhub.domain.crm_properties import iso_ms
from partnerhub.domain.crm_search import NEGATIVE_OPERATORS, Filter, SearchRequest, Sort
from partnerhub.storage.listquery_sql import escape_like
from partnerhub.storage.tables import crm_objects

_o = crm_objects.c
_RANGE = {"LT": operator.lt, "LTE": operator.le, "GT": operator.gt, "GTE": operator.ge}
# Characters that separate tokens for CONTAINS_TOKEN (besides white space).
_SEPARATORS = ",.;:-_@/()[]!?+&'\"\t\n"


def where_clauses(request: SearchRequest) -> list[ColumnElement[bool]]:
    """The request's filter groups (OR of ANDs) and its query term; AND them together.

    The account, object type and `archived` are the caller's."""
    where: list[ColumnElement[bool]] = []
    if request.groups:
        where.append(or_(*(and_(*(_filter(f) for f in group)) for group in request.groups)))
    if request.query:
        where.append(_query(request.query, request.text_properties))
    return where


def order_by(sort: Sort | None) -> list[ColumnElement[Any]]:
    """The sort, then id (ascending) to break ties; NULLs last either way."""
    if sort is None:
        return [_o.id.asc()]
    expr = _expr(sort.name, sort.kind)
    key = expr.desc().nulls_last() if sort.descending else expr.asc().nulls_last()
    return [key, _o.id.asc()]


def _text(name: str) -> ColumnElement[Any]:
    text: ColumnElement[Any] = _o.properties[name].as_string()
    return text


def _moment(ms: Any) -> datetime:
    return datetime.fromtimestamp(float(ms) / 1000, UTC)


def _expr(name: str, kind: str) -> ColumnElement[Any]:
    if kind == "id":
        return _o.id
    if kind == "created":
        return _o.created_at
    if kind == "updated":
        return _o.updated_at
    if kind in ("number", "date"):
        return cast(_text(name), Float)
    if kind == "text":
        return func.lower(_text(name))
    return _text(name)


def _param(kind: str, value: Any) -> Any:
    if kind in ("created", "updated"):
        return _moment(value)
    if kind == "datetime":
        return iso_ms(int(value))
    return value


def _member(name: str, option: str) -> ColumnElement[bool]:
    """A `;`-separated multi-checkbox value holds `option`."""
    wrapped = literal(";") + _text(name) + literal(";")
    return wrapped.like(f"%;{escape_like(option)};%", escape="\\")


def _normalised(expr: ColumnElement[Any]) -> ColumnElement[Any]:
    text = func.lower(expr)
    for ch in _SEPARATORS:
        text = func.replace(text, ch, " ")
    return literal(" ") + text + literal(" ")


def _token_pattern(token: str) -> str:
    cleaned = token.lower()
    for ch in _SEPARATORS:
        cleaned = cleaned.replace(ch, " ")
    words = " ".join(cleaned.split())
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("*", "%")
    return f"% {escaped} %"


def _present(f: Filter) -> ColumnElement[bool]:
    if f.kind in ("id", "created", "updated"):
        return true()
    return _text(f.name).is_not(None)


def _positive(f: Filter) -> ColumnElement[bool]:
    kind, op = f.kind, f.operator
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        source = cast(_o.id, String) if kind == "id" else _text(f.name)
        if kind in ("created", "updated"):
            return false()
        return _normalised(source).like(_token_pattern(str(f.value)), escape="\\")
    if kind == "multi":
        options = f.values if op in ("IN", "NOT_IN") else (f.value,)
        return or_(*(_member(f.name, str(o)) for o in options))
    expr = _expr(f.name, kind)
    clause: ColumnElement[bool]
    if op in ("EQ", "NEQ"):
        clause = expr == _param(kind, f.value)
    elif op in ("IN", "NOT_IN"):
        clause = expr.in_([_param(kind, v) for v in f.values])
    elif op == "BETWEEN":
        clause = and_(expr >= _param(kind, f.value), expr <= _param(kind, f.high_value))
    elif op in _RANGE:
        clause = _RANGE[op](expr, _param(kind, f.value))
    else:
        raise ValueError(f"unknown operator {op!r}")  # pragma: no cover - parse() checks
    return clause


def _filter(f: Filter) -> ColumnElement[bool]:
    if f.operator == "HAS_PROPERTY":
        return _present(f)
    if f.operator == "NOT_HAS_PROPERTY":
        return not_(_present(f))
    if f.operator in NEGATIVE_OPERATORS:
        # A missing value differs from every value (SQL's NULL <> x is not true).
        return or_(not_(_present(f)), not_(_positive(f)))
    return and_(_present(f), _positive(f))


def _query(term: str, text_properties: tuple[str, ...]) -> ColumnElement[bool]:
    pattern = f"%{escape_like(term.lower())}%"
    matches: list[ColumnElement[bool]] = [
        func.lower(_text(name)).like(pattern, escape="\\") for name in text_properties
    ]
    record_id = numbers.ascii_int(term)
    if record_id is not None:
        matches.append(_o.id == record_id)
    return or_(*matches) if matches else false()
