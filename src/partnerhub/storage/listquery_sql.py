"""Compiles a parsed `ListQuery` into SQLAlchemy Core WHERE and ORDER BY clauses."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Boolean, String, Text, and_, case, cast, exists, false, func, not_, or_
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.sql.elements import ColumnElement

from partnerhub.domain.hood_listquery import Condition, FieldSpec, ListQuery, ResourceSpec

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "rl": operator.ge,
    "rr": operator.le,
}


def where_clauses(
    query: ListQuery,
    columns: Mapping[str, ColumnElement[Any]],
    spec: ResourceSpec,
    dialect: str,
) -> list[ColumnElement[bool]]:
    """One clause per filter condition, plus one for the search term; AND them together."""
    fields = {f.name: f for f in spec.fields}
    clauses = [_condition(c, columns[c.field], fields[c.field], dialect) for c in query.conditions]
    if query.search is not None and query.search_fields:
        pattern = f"%{escape_like(query.search)}%"
        matches = [
            _as_text(columns[name], fields[name]).ilike(pattern, escape="\\")
            for name in query.search_fields
        ]
        clauses.append(or_(*matches))
    return clauses


def order_by(
    query: ListQuery, columns: Mapping[str, ColumnElement[Any]]
) -> list[ColumnElement[Any]]:
    # NULLs sort as the largest value on both backends (PostgreSQL's default).
    return [
        columns[key.field].desc().nulls_first()
        if key.descending
        else columns[key.field].asc().nulls_last()
        for key in query.sort
    ]


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _as_text(column: ColumnElement[Any], field: FieldSpec) -> ColumnElement[Any]:
    return column if field.kind in ("string", "enum") else cast(column, String)


def _condition(
    condition: Condition, column: ColumnElement[Any], field: FieldSpec, dialect: str
) -> ColumnElement[bool]:
    if field.kind == "array":
        return _array_condition(condition, column, dialect)
    op, values = condition.op, condition.values
    if op == "is":
        return column.is_not(None)
    if op == "isn":
        return column.is_(None)
    if op in ("neq", "nin"):
        differs = column != values[0] if op == "neq" else column.not_in(values)
        # SQL's `NULL <> x` is not true, but a missing value does differ from x.
        return or_(column.is_(None), differs) if field.nullable else differs
    if op in _COMPARE:
        clause: ColumnElement[bool] = _COMPARE[op](column, values[0])
        return clause
    if op == "in":
        return column.in_(values)
    if op == "r":
        return and_(column > values[0], column < values[1])
    if op == "rf":
        return column.between(values[0], values[1])
    raise ValueError(f"unknown operator {op!r}")


def _array_condition(
    condition: Condition, column: ColumnElement[Any], dialect: str
) -> ColumnElement[bool]:
    op = condition.op
    if op in ("is", "isn"):
        length = _array_length(column, dialect)
        return length > 0 if op == "is" else length == 0
    contains = _contains_any(column, [str(v) for v in condition.values], dialect)
    if op in ("eq", "in"):
        return contains
    if op in ("neq", "nin"):
        return not_(contains)
    raise ValueError(f"operator {op!r} does not apply to arrays")


def _array_length(column: ColumnElement[Any], dialect: str) -> ColumnElement[int]:
    """Element count; 0 for SQL NULL, JSON null and non-arrays."""
    if dialect == "postgresql":
        # CASE guards jsonb_array_length, which raises on scalars.
        return case(
            (func.jsonb_typeof(column) == "array", func.jsonb_array_length(column)), else_=0
        )
    return func.coalesce(func.json_array_length(column), 0)


def _contains_any(
    column: ColumnElement[Any], values: Sequence[str], dialect: str
) -> ColumnElement[bool]:
    """True when the JSON array holds any of `values`; never NULL."""
    if dialect == "postgresql":
        has_any = column.op("?|", return_type=Boolean)(array(values, type_=Text))
        return func.coalesce(has_any, false())
    elements = func.json_each(column).table_valued("value")
    return exists().where(elements.c.value.in_(values))
