"""Every data table's rows and id sequences, read and written whole: the test-control API's
snapshots, resets and restores (services/test_snapshots.py).

"Data tables" are every table of the schema but the test-control API's own ones (and Alembic's
version table, which is not in `tables.metadata`). Values travel as JSON-able cells, one codec
per column type, so a snapshot taken on one backend can be restored on the other:

- JSON columns: the stored JSON text (so SQL NULL and JSON `null` stay apart), or null;
- timestamps: ISO 8601 text; binary: base64 text; booleans, integers, floats, text: as they are.

An id sequence is given as the id the next insert of that table takes (SQLite's
`sqlite_sequence` seq + 1; PostgreSQL's identity sequence `last_value` + 1, or `last_value`
while it was never called).
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    insert,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError

from partnerhub.errors import DomainError, ValidationFailed
from partnerhub.storage.connection import Conn
from partnerhub.storage.repos.base import as_utc
from partnerhub.storage.tables import TEST_CONTROL_TABLES, metadata

# Parents before children (foreign keys), as SQLAlchemy sorts them.
DATA_TABLES: tuple[Table, ...] = tuple(
    t for t in metadata.sorted_tables if t.name not in TEST_CONTROL_TABLES
)
# Plain str: SQLAlchemy's names are a str subclass orjson refuses as a key.
BY_NAME: dict[str, Table] = {str(t.name): t for t in DATA_TABLES}
ACCOUNT_TABLE = "accounts"
_INT32 = 2**31
_INT64 = 2**63

Cell = Any
Rows = list[list[Cell]]


@dataclass(frozen=True, slots=True)
class TableRows:
    """One table's rows, cells in the order of `columns`."""

    columns: tuple[str, ...]
    rows: Rows


Dump = dict[str, TableRows]


def _sequenced(table: Table) -> bool:
    return any(c.identity is not None for c in table.primary_key.columns)


SEQUENCED = tuple(str(t.name) for t in DATA_TABLES if _sequenced(t))


def columns_of(table_name: str) -> tuple[str, ...]:
    return tuple(str(c.name) for c in BY_NAME[table_name].columns)


def account_column(table_name: str) -> str | None:
    """The column naming a row's account (`id` for the accounts table itself)."""
    if table_name == ACCOUNT_TABLE:
        return "id"
    return "account_id" if "account_id" in BY_NAME[table_name].c else None


# Encoding a stored value to a JSON-able cell, and checking and decoding a cell back.


def _is_json(column: Column[Any]) -> bool:
    return isinstance(column.type, JSON)


def encode_cell(column: Column[Any], value: Any) -> Cell:
    """A stored value as a JSON-able cell (cell_decoder's inverse): times as ISO 8601 UTC with
    their offset, bytes as base64, the rest as stored."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return as_utc(value).astimezone(UTC).isoformat()
    if isinstance(kind, LargeBinary):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(kind, Boolean):
        return bool(value)
    return value


def cell_decoder(
    column: Column[Any],
    *,
    json_as_text: bool = True,
    aware_times: bool = False,
    null_keys: bool = False,
) -> Callable[[Cell], Any]:
    """A function checking one cell of `column` and returning the value to store; ValueError
    (its message says the rule) when the cell cannot be one. The one codec of stored rows,
    used by snapshots here and by export/import (repos/transfer.py), whose files differ in two
    ways: JSON columns hold the JSON value itself (`json_as_text=False`), and every time states
    its offset (`aware_times=True`), and a primary key may be null there (`null_keys=True`: the
    database issues it)."""
    kind = column.type

    def nullable(value: Cell) -> None:
        if not column.nullable and not (null_keys and column.primary_key):
            raise ValueError("must not be null")

    def json_value(value: Cell) -> Any:
        return value

    def json_text(value: Cell) -> str:
        if not isinstance(value, str):
            raise ValueError("must be JSON text (a string)")
        try:
            orjson.loads(value)
        except orjson.JSONDecodeError:
            raise ValueError("must be valid JSON text") from None
        return _no_nul(value)

    def timestamp(value: Cell) -> datetime:
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 timestamp (a string)")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(_TIME_RULE[aware_times]) from None
        if aware_times and parsed.tzinfo is None:
            raise ValueError(_TIME_RULE[aware_times])
        # Naive (as SQLite hands them back) means UTC; any offset is turned into UTC.
        return parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)

    def binary(value: Cell) -> bytes:
        if not isinstance(value, str):
            raise ValueError("must be base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise ValueError("must be base64 text") from None

    def boolean(value: Cell) -> bool:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value

    def integer(value: Cell) -> int:
        bound = _INT64 if isinstance(kind, BigInteger) else _INT32
        if isinstance(value, bool) or not isinstance(value, int) or not -bound <= value < bound:
            raise ValueError(f"must be an integer of at most {bound.bit_length()} bits")
        return value

    def number(value: Cell) -> float:
        finite = isinstance(value, int | float) and math.isfinite(value)
        if isinstance(value, bool) or not finite:
            raise ValueError("must be a finite number")
        return float(value)

    def string(value: Cell) -> str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            raise ValueError(f"must be at most {length} characters long")
        return _no_nul(value)

    chosen: Callable[[Cell], Any]
    if _is_json(column):
        chosen = json_text if json_as_text else json_value
    elif isinstance(kind, DateTime):
        chosen = timestamp
    elif isinstance(kind, LargeBinary):
        chosen = binary
    elif isinstance(kind, Boolean):
        chosen = boolean
    elif isinstance(kind, Integer):
        chosen = integer
    elif isinstance(kind, Float):
        chosen = number
    elif isinstance(kind, String | Text):
        chosen = string
    else:  # pragma: no cover - a column type added to tables.py without a codec here
        raise TypeError(f"no cell codec for {column.table.name}.{column.name}")

    def decode(value: Cell) -> Any:
        if value is None:
            nullable(value)
            return None
        return chosen(value)

    return decode


_TIME_RULE = {
    False: "must be an ISO 8601 timestamp",
    True: "must be an ISO 8601 time with an offset",
}


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def check(
    tables: Mapping[str, TableRows], field: str = "tables"
) -> dict[str, list[dict[str, Any]]]:
    """Every row of `tables` checked against the schema and decoded to stored values, keyed by
    column; ValidationFailed naming the first bad entry (`tables.<t>.rows[<i>].<column>`)."""
    decoded: dict[str, list[dict[str, Any]]] = {}
    for name, data in tables.items():
        table = BY_NAME.get(name)
        if table is None:
            raise ValidationFailed.one(f"{field}.{name}", f"{field}.{name}: no such data table.")
        expected = columns_of(name)
        if tuple(data.columns) != expected:
            raise ValidationFailed.one(
                f"{field}.{name}.columns",
                f"{field}.{name}.columns must be {list(expected)} (this server's schema).",
            )
        decoders = [cell_decoder(table.c[c]) for c in expected]
        out: list[dict[str, Any]] = []
        for i, row in enumerate(data.rows):
            where = f"{field}.{name}.rows[{i}]"
            if not isinstance(row, list) or len(row) != len(expected):
                raise ValidationFailed.one(
                    where, f"{where} must be a list of {len(expected)} cells."
                )
            values: dict[str, Any] = {}
            for column, decode, cell in zip(expected, decoders, row, strict=True):
                try:
                    values[column] = decode(cell)
                except ValueError as exc:
                    raise ValidationFailed.one(
                        f"{where}.{column}", f"{where}.{column} {exc}."
                    ) from None
            out.append(values)
        decoded[name] = out
    return decoded


class RestoreRefused(ValidationFailed):
    """The database refused the rows (a key twice, a reference to a missing row)."""


class TableData:
    """Reads and replaces the data tables' rows inside the caller's transaction."""

    def __init__(self, conn: Conn, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    # Reading

    def _readable(self, column: Column[Any]) -> Any:
        if not _is_json(column):
            return column
        # The JSON text as stored (PostgreSQL: jsonb's canonical text).
        return cast(column, Text) if self.dialect == "postgresql" else type_coerce(column, Text)

    async def dump(self, account_id: int | None = None) -> Dump:
        """Every row of every data table (of one account's rows when given), by primary key."""
        found: Dump = {}
        for table in DATA_TABLES:
            columns = list(table.columns)
            stmt = select(*(self._readable(c).label(c.name) for c in columns)).order_by(
                *table.primary_key.columns
            )
            owner = account_column(table.name)
            if account_id is not None:
                if owner is None:
                    continue
                stmt = stmt.where(table.c[owner] == account_id)
            rows = (await self.conn.execute(stmt)).all()
            found[str(table.name)] = TableRows(
                columns_of(table.name),
                [[encode_cell(c, v) for c, v in zip(columns, row, strict=True)] for row in rows],
            )
        return found

    async def sequences(self) -> dict[str, int]:
        """The next id of every sequenced table."""
        if self.dialect == "sqlite":
            result = await self.conn.execute(text("SELECT name, seq FROM sqlite_sequence"))
            seen: dict[str, int] = {str(r.name): int(r.seq) + 1 for r in result.all()}
            return {name: seen.get(name, 1) for name in SEQUENCED}
        found: dict[str, int] = {}
        for name in SEQUENCED:
            # The name comes from the catalog (pg_get_serial_sequence), already quoted.
            sequence = await self._pg_sequence(name)
            row = (
                await self.conn.execute(
                    text(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
                )
            ).one()
            found[name] = int(row.last_value) + 1 if row.is_called else int(row.last_value)
        return found

    async def _pg_sequence(self, name: str) -> str:
        column = next(c.name for c in BY_NAME[name].primary_key.columns)
        found = (
            await self.conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": column}
            )
        ).scalar_one()
        return str(found)

    # Writing

    async def replace_all(
        self, rows: Mapping[str, list[dict[str, Any]]], sequences: Mapping[str, int]
    ) -> None:
        """Every data table emptied and filled with `rows` (checked ones, see `check`), and the
        sequences set to `sequences`: afterwards the tables hold exactly these."""
        await self._guarded(self._replace_all(rows, sequences))

    async def replace_account(
        self, account_id: int, rows: Mapping[str, list[dict[str, Any]]]
    ) -> None:
        """One account's rows in every table replaced by `rows` (none: the account is gone);
        other accounts' rows and every sequence stay as they are."""
        await self._guarded(self._replace_account(account_id, rows))

    async def _guarded(self, work: Awaitable[None]) -> None:
        try:
            await work
        except DomainError as exc:  # a unique or foreign-key violation, translated
            raise RestoreRefused.one(
                "tables", f"The database refused the snapshot's rows: {exc.message}"
            ) from None
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            raise RestoreRefused.one(
                "tables", "The database refused the snapshot's rows (a value does not fit)."
            ) from None

    async def _replace_all(
        self, rows: Mapping[str, list[dict[str, Any]]], sequences: Mapping[str, int]
    ) -> None:
        for table in reversed(DATA_TABLES):
            await self._clear(table, None)
        for table in DATA_TABLES:
            await self._insert(table, rows.get(table.name, []))
        await self._set_sequences(sequences)

    async def _replace_account(
        self, account_id: int, rows: Mapping[str, list[dict[str, Any]]]
    ) -> None:
        for table in reversed(DATA_TABLES):
            if account_column(table.name) is not None:
                await self._clear(table, account_id)
        for table in DATA_TABLES:
            await self._insert(table, rows.get(table.name, []))

    async def _clear(self, table: Table, account_id: int | None) -> None:
        owner = account_column(table.name)
        where = [] if account_id is None or owner is None else [table.c[owner] == account_id]
        # A self-reference (a Core partner's parent) is cut first: a RESTRICT key would
        # otherwise refuse to delete a parent before its children.
        for column in _self_references(table):
            await self.conn.execute(update(table).where(*where).values({column.name: None}))
        await self.conn.execute(delete(table).where(*where))

    async def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        values = {c.name: self._writable(c) for c in table.columns}
        params = [{f"v_{k}": v for k, v in row.items()} for row in _parents_first(table, rows)]
        await self.conn.execute(insert(table).values(values), params)

    def _writable(self, column: Column[Any]) -> Any:
        name = f"v_{column.name}"
        if not _is_json(column):
            return bindparam(name, type_=column.type)
        if self.dialect == "postgresql":
            return cast(bindparam(name, type_=Text), JSONB)
        return bindparam(name, type_=Text)

    async def _set_sequences(self, sequences: Mapping[str, int]) -> None:
        for name in SEQUENCED:
            next_id = sequences.get(name)
            if next_id is None:
                continue
            if self.dialect == "sqlite":
                await self.conn.execute(
                    text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": name}
                )
                await self.conn.execute(
                    text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"),
                    {"t": name, "s": next_id - 1},
                )
            else:
                sequence = await self._pg_sequence(name)
                await self.conn.execute(
                    text("SELECT setval(CAST(:q AS regclass), :n, false)"),
                    {"q": sequence, "n": next_id},
                )


def _self_references(table: Table) -> list[Column[Any]]:
    return [
        fk.parent for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable
    ]


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """`rows` ordered so that a row referring to another row of its own table (a Core
    partner's parent) comes after it."""
    refs = _self_references(table)
    if not refs:
        return rows
    key = next(c.name for c in table.primary_key.columns)
    by_key = {row[key]: row for row in rows}
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []

    def place(row: dict[str, Any], trail: Sequence[Any] = ()) -> None:
        if row[key] in placed:
            return
        for ref in refs:
            parent = by_key.get(row[ref.name])
            if parent is not None and parent[key] not in trail and parent is not row:
                place(parent, (*trail, row[key]))
        placed.add(row[key])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered
