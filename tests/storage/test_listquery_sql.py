"""The list query compiler against real SQLite and PostgreSQL: exact ids for every operator."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar
from urllib.parse import parse_qsl

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from partnerhub.domain.hood_listquery import (
    OPERATORS,
    RANGE_OPERATORS,
    FieldSpec,
    ListQuery,
    ResourceSpec,
    SortKey,
    parse_list_query,
)
from partnerhub.errors import ValidationFailed
from partnerhub.storage.listquery_sql import order_by, where_clauses

T = TypeVar("T")
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
# SQLite through the sync driver, PostgreSQL through asyncpg (the production driver).
BACKENDS = ["sqlite", "asyncpg"]

SPEC = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("status", "enum", sortable=True, enum=("active", "paused", "archived")),
        FieldSpec("tags", "array", filter_name="tag"),
        FieldSpec("frequency", "enum", searchable=True, enum=("daily", "weekly", "monthly")),
        FieldSpec("created", "datetime", sortable=True, nullable=False),
        FieldSpec("score", "number", sortable=True),
    ),
    default_search=("name",),
    default_sort=(SortKey("id", False),),
)

NULL = sa.null()  # SQL NULL; Python None in a JSON column is stored as JSON null


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


ROWS: list[dict[str, Any]] = [
    dict(id=1, name="Alpha", status="active", tags=["red", "blue"], terms={"frequency": "weekly"},
         created=at("2024-01-01 00:00:00"), score=10),
    dict(id=2, name="beta", status="paused", tags=["blue"], terms={"frequency": "monthly"},
         created=at("2024-01-15 12:30:00"), score=20),
    dict(id=3, name="Gamma 50%", status="active", tags=[], terms={},
         created=at("2024-02-01 00:00:00"), score=None),
    dict(id=4, name="delta_x", status="archived", tags=NULL, terms={"frequency": "weekly"},
         created=at("2024-02-10 08:00:00"), score=5),
    dict(id=5, name="Epsilon\\path", status="active", tags=["green"],
         terms={"frequency": "monthly"}, created=at("2024-03-01 00:00:00"), score=30),
    dict(id=6, name="alpha two", status="paused", tags=["red"], terms={},
         created=at("2024-03-05 23:59:59"), score=None),
    dict(id=7, name="Zeta", status="active", tags=None, terms={"frequency": "weekly"},
         created=at("2024-04-01 00:00:00"), score=20),
    dict(id=8, name="eta", status="archived", tags=["red", "green", "blue"],
         terms={"frequency": "daily"}, created=at("2024-04-02 00:00:00"), score=-3),
    dict(id=9, name="Theta", status="active", tags=["yellow"], terms={"frequency": "weekly"},
         created=at("2024-05-01 10:40:36"), score=0),
    dict(id=10, name="iota%", status="paused", tags=["Red"], terms={},
         created=at("2024-05-02 00:00:00"), score=15),
]  # fmt: skip


def make_table(schema: str | None) -> sa.Table:
    json = sa.JSON().with_variant(JSONB(), "postgresql")
    return sa.Table(
        "lq_items",
        sa.MetaData(schema=schema),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("tags", json, nullable=True),
        sa.Column("terms", json, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer, nullable=True),
    )


class Backend:
    """A connection holding the seeded table inside a transaction that is rolled back at the end."""

    def __init__(self, conn: Connection | AsyncConnection, table: sa.Table, dialect: str) -> None:
        self.conn = conn
        self.table = table
        self.dialect = dialect
        self.columns: dict[str, sa.ColumnElement[Any]] = {
            **{c.name: c for c in table.c},
            "frequency": table.c.terms["frequency"].as_string(),
        }

    async def run(self, work: Callable[[Connection], T]) -> T:
        if isinstance(self.conn, AsyncConnection):
            return await self.conn.run_sync(work)
        return work(self.conn)

    async def ids(self, query: ListQuery) -> list[int]:
        where = where_clauses(query, self.columns, SPEC, self.dialect)
        stmt = (
            sa.select(self.table.c.id)
            .where(*where)
            .order_by(*order_by(query, self.columns))
            .limit(query.per_page)
            .offset(query.offset)
        )
        return await self.run(lambda conn: list(conn.execute(stmt).scalars()))


def seed(conn: Connection, table: sa.Table) -> None:
    if table.schema:
        conn.execute(sa.schema.CreateSchema(table.schema))
    table.create(conn)
    conn.execute(table.insert(), ROWS)


def unreachable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    name: str = request.param
    # A unique schema per test, created inside a transaction that is rolled back: nothing is left.
    schema = None if name == "sqlite" else f"lq_{uuid.uuid4().hex[:12]}"
    table = make_table(schema)
    if name == "asyncpg":
        url = PG_URL.replace("postgresql:", "postgresql+asyncpg:")
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            aconn = await engine.connect()
        except (OSError, sa.exc.OperationalError) as failure:
            await engine.dispose()
            unreachable(f"PostgreSQL is not reachable: {failure}")
        try:
            transaction = await aconn.begin()
            await aconn.run_sync(seed, table)
            yield Backend(aconn, table, "postgresql")
            await transaction.rollback()
        finally:
            await aconn.close()
        await engine.dispose()
        return
    sync_engine = sa.create_engine("sqlite://", poolclass=NullPool)
    try:
        conn = sync_engine.connect()
    except sa.exc.OperationalError as failure:
        unreachable(f"PostgreSQL is not reachable: {failure}")
    with conn, conn.begin() as sync_transaction:
        seed(conn, table)
        yield Backend(conn, table, sync_engine.dialect.name)
        sync_transaction.rollback()
    sync_engine.dispose()


def query(qs: str) -> ListQuery:
    return parse_list_query(parse_qsl(qs, keep_blank_values=True), SPEC)


CASES = [
    # enum / string
    ("status=active", [1, 3, 5, 7, 9]),
    ("status=eq:active", [1, 3, 5, 7, 9]),
    ("status=neq:active", [2, 4, 6, 8, 10]),
    ("status=in:paused,archived", [2, 4, 6, 8, 10]),
    ("status=nin:active,paused", [4, 8]),
    ("status=is:", list(range(1, 11))),
    ("status=isn:", []),
    ("name=beta", [2]),
    ("name=Beta", []),
    ("name=eq:Gamma 50%25", [3]),
    ("name=in:Alpha,eta,nobody", [1, 8]),
    ("name=neq:Alpha", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
    # number, nullable
    ("score=20", [2, 7]),
    ("score=neq:20", [1, 3, 4, 5, 6, 8, 9, 10]),
    ("score=gt:10", [2, 5, 7, 10]),
    ("score=gte:10", [1, 2, 5, 7, 10]),
    ("score=lt:5", [8, 9]),
    ("score=lte:5", [4, 8, 9]),
    ("score=r:0,20", [1, 4, 10]),
    ("score=rf:0,20", [1, 2, 4, 7, 9, 10]),
    ("score=rl:20", [2, 5, 7]),
    ("score=rr:0", [8, 9]),
    ("score=in:5,30,99", [4, 5]),
    ("score=nin:5,30", [1, 2, 3, 6, 7, 8, 9, 10]),
    ("score=is:", [1, 2, 4, 5, 7, 8, 9, 10]),
    ("score=isn:", [3, 6]),
    ("score=gt:0&score=lt:20", [1, 4, 10]),
    ("id=3", [3]),
    ("id=in:1,2,99", [1, 2]),
    # datetime
    ("created=2024-03-01", [5]),
    ("created=2024-05-01 10:40:36", [9]),
    ("created=neq:2024-05-01 10:40:36", [1, 2, 3, 4, 5, 6, 7, 8, 10]),
    ("created=gt:2024-03-01", [6, 7, 8, 9, 10]),
    ("created=gte:2024-03-01", [5, 6, 7, 8, 9, 10]),
    ("created=lt:2024-01-15 12:30:00", [1]),
    ("created=lte:2024-01-15 12:30:00", [1, 2]),
    ("created=r:2024-01-01,2024-02-01", [2]),
    ("created=rf:2024-01-01,2024-02-01", [1, 2, 3]),
    ("created=rl:2024-05-01 10:40:36", [9, 10]),
    ("created=rr:2024-01-15 12:30:00", [1, 2]),
    # JSON array (filtered as "tag"); 4 is SQL NULL, 7 JSON null, 3 empty
    ("tag=red", [1, 6, 8]),
    ("tag=eq:blue", [1, 2, 8]),
    ("tag=in:green,yellow", [5, 8, 9]),
    ("tag=in:nothing", []),
    ("tag=neq:red", [2, 3, 4, 5, 7, 9, 10]),
    ("tag=nin:red,blue", [3, 4, 5, 7, 9, 10]),
    ("tag=is:", [1, 2, 5, 6, 8, 9, 10]),
    ("tag=isn:", [3, 4, 7]),
    ("tag=red&tag=blue", [1, 8]),
    # JSON object element
    ("frequency=weekly", [1, 4, 7, 9]),
    ("frequency=neq:weekly", [2, 3, 5, 6, 8, 10]),
    ("frequency=in:monthly,daily", [2, 5, 8]),
    ("frequency=isn:", [3, 6, 10]),
    # search: case-insensitive, LIKE wildcards are literal
    ("q=alpha", [1, 6]),
    ("q=ALPHA", [1, 6]),
    ("q=eta", [2, 7, 8, 9]),
    ("q=%25", [3, 10]),
    ("q=_", [4]),
    ("q=%5C", [5]),
    ("q=a%25", [10]),
    ("q=WEEK&q_fields=frequency", [1, 4, 7, 9]),
    ("q=dail&q_fields=name,frequency", [8]),
    ("q=alpha&status=paused", [6]),
    # sorting (NULLs sort as largest) and paging
    ("sort=-score", [6, 3, 5, 7, 2, 10, 1, 4, 9, 8]),
    ("sort=score", [8, 9, 4, 1, 10, 2, 7, 5, 3, 6]),
    ("sort=status,-created", [9, 7, 5, 3, 1, 8, 4, 10, 6, 2]),
    ("sort=-id", [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]),
    ("sort=-created&page=2,3", [7, 6, 5]),
    ("page=4,3", [10]),
    ("page=5,3", []),
]


@pytest.mark.parametrize(("qs", "expected"), CASES)
async def test_ids(backend: Backend, qs: str, expected: list[int]) -> None:
    assert await backend.ids(query(qs)) == expected


SAMPLES = {
    "number": ["7", "-1,9"],
    "datetime": ["2024-02-01", "2024-01-01 00:00:00,2024-12-31 23:59:59"],
    "enum": {"status": ["active", "active,paused"], "frequency": ["weekly", "daily,weekly"]},
    "string": ["x", "x,y"],
    "array": ["red", "red,blue"],
}


def every_filter() -> list[str]:
    """One query string per filterable field and operator the field allows."""
    out = []
    for field in SPEC.fields:
        samples = SAMPLES[field.kind]
        one, two = samples[field.name] if isinstance(samples, dict) else samples
        for op in sorted(OPERATORS):
            if op in RANGE_OPERATORS and field.kind not in ("number", "datetime"):
                continue
            value = "" if op in ("is", "isn") else two if op in ("in", "nin", "r", "rf") else one
            out.append(f"{field.param}={op}:{value}")
    return out


async def test_every_operator_runs_on_every_field(backend: Backend) -> None:
    for qs in every_filter():
        await backend.ids(query(qs))


def test_sqlite_runs_whatever_the_parser_accepts() -> None:
    engine = sa.create_engine("sqlite://")
    table = make_table(None)
    with engine.connect() as conn:
        seed(conn, table)
        backend = Backend(conn, table, "sqlite")
        texts = st.text(alphabet="0123456789-:, %_\\aéZ", max_size=20)
        values = st.one_of(
            texts, st.builds("{}:{}".format, st.sampled_from(sorted(OPERATORS)), texts)
        )
        names = st.sampled_from([*(f.param for f in SPEC.fields), "q", "sort", "page"])

        @settings(max_examples=200, deadline=None)
        @given(st.lists(st.tuples(names, values), max_size=4))
        def check(params: list[tuple[str, str]]) -> None:
            try:
                parsed = parse_list_query(params, SPEC)
            except ValidationFailed:
                return
            where = where_clauses(parsed, backend.columns, SPEC, "sqlite")
            stmt = sa.select(table.c.id).where(*where).order_by(*order_by(parsed, backend.columns))
            conn.execute(stmt).all()

        check()
