"""Snapshots of all data, the baseline, and resets (the test-control API, SPEC §5).

A snapshot is every row of every data table and every id sequence (storage/table_data.py says
which tables and how cells are encoded), stored in the database (`test_snapshots`) as one file:

    {
      "format": "partnerhub-snapshot",
      "version": 1,
      "taken_at": "2026-01-31T12:00:00+00:00",
      "tables": {"accounts": {"columns": ["id", "name", …], "rows": [[1000000, "default", …]]},
                 …one entry per data table…},
      "sequences": {"accounts": 1000001, …the id the next insert of each table takes…}
    }

UTF-8 JSON. A file is accepted when its format and version are these, it names every data table
of this server's schema with exactly its columns, in order, and every cell fits its column; a
snapshot taken on SQLite restores on PostgreSQL and back. Restoring one replaces every data table
and sequence in one transaction: afterwards the database holds exactly the snapshot, and the next
ids issued are the ones issued after it was taken.

The baseline is a snapshot under a name no other can take (`@baseline`): `partnerhub serve`
takes it at start, after migrating, bootstrapping and seeding and before any worker serves, so
with several workers it is taken once. A reset restores it (one account: only that account's
rows, sequences untouched).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

import orjson

from partnerhub.domain.clock import utcnow
from partnerhub.domain.test_control import BASELINE, SnapshotInfo, snapshot_name
from partnerhub.errors import InvalidBody, NotFound, ValidationFailed
from partnerhub.storage.table_data import (
    BY_NAME,
    DATA_TABLES,
    SEQUENCED,
    TableRows,
    account_column,
    check,
)
from partnerhub.storage.unit_of_work import UnitOfWork

FORMAT = "partnerhub-snapshot"
VERSION = 1


async def _file(uow: UnitOfWork) -> bytes:
    dump = await uow.table_data.dump()
    document = {
        "format": FORMAT,
        "version": VERSION,
        "taken_at": utcnow().isoformat(),
        "tables": {
            name: {"columns": builtins.list(rows.columns), "rows": rows.rows}
            for name, rows in dump.items()
        },
        "sequences": await uow.table_data.sequences(),
    }
    return orjson.dumps(document)


def _parse(data: bytes) -> tuple[dict[str, builtins.list[dict[str, Any]]], dict[str, int]]:
    """A snapshot file checked against this server's schema: its rows as stored values, and its
    sequences. InvalidBody / ValidationFailed naming the first bad entry."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidBody(f"A snapshot file is UTF-8 JSON: {exc}.") from None
    if not isinstance(document, dict):
        raise InvalidBody("A snapshot file is a JSON object.")
    if document.get("format") != FORMAT:
        raise ValidationFailed.one("format", f'format must be "{FORMAT}".')
    if document.get("version") != VERSION:
        raise ValidationFailed.one(
            "version", f"version must be {VERSION} (the snapshot format this server reads)."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ValidationFailed.one("tables", "tables must be an object of table name to rows.")
    for name in BY_NAME:
        if name not in tables:
            raise ValidationFailed.one(f"tables.{name}", f"tables.{name} is missing.")
    typed: dict[str, TableRows] = {}
    for name, entry in tables.items():
        where = f"tables.{name}"
        if not isinstance(entry, dict) or not isinstance(entry.get("columns"), builtins.list):
            raise ValidationFailed.one(where, f"{where} must be {{columns: [...], rows: [...]}}.")
        if not isinstance(entry.get("rows"), builtins.list):
            raise ValidationFailed.one(f"{where}.rows", f"{where}.rows must be a list.")
        typed[name] = TableRows(tuple(entry["columns"]), entry["rows"])
    rows = check(typed)
    return rows, _sequences(document.get("sequences"))


def _sequences(given: Any) -> dict[str, int]:
    if not isinstance(given, dict):
        raise ValidationFailed.one("sequences", "sequences must be an object of table to next id.")
    found: dict[str, int] = {}
    for name in SEQUENCED:
        value = given.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
            raise ValidationFailed.one(
                f"sequences.{name}", f"sequences.{name} must be the next id, a positive integer."
            )
        found[name] = value
    unknown = sorted(set(given) - set(SEQUENCED))
    if unknown:
        raise ValidationFailed.one(
            f"sequences.{unknown[0]}", f"sequences.{unknown[0]}: no such sequenced table."
        )
    return found


async def _stored(uow: UnitOfWork, name: str) -> bytes:
    found = await uow.test_control.get_snapshot(name)
    if found is None:
        if name == BASELINE:
            raise NotFound(
                "baseline",
                detail="No baseline was taken: start the server with `partnerhub serve` and "
                "PARTNERHUB_TEST_API=true, or take one (services.test_snapshots.take_baseline).",
            )
        raise NotFound("snapshot", name, detail=f"No snapshot named {name!r}.")
    return found[1]


async def _restore(uow: UnitOfWork, data: bytes) -> int:
    rows, sequences = _parse(data)
    await uow.table_data.replace_all(rows, sequences)
    return await uow.test_control.bump_generation()


# Use-cases


async def take_baseline(uow: UnitOfWork) -> SnapshotInfo:
    """The baseline, (re)taken now."""
    return await uow.test_control.put_snapshot(BASELINE, await _file(uow))


async def ensure_baseline(uow: UnitOfWork) -> None:
    """Take the baseline unless one is stored (an app started other than by `serve`)."""
    if await uow.test_control.get_snapshot(BASELINE) is None:
        await take_baseline(uow)


async def take(uow: UnitOfWork, *, name: str) -> SnapshotInfo:
    return await uow.test_control.put_snapshot(snapshot_name(name), await _file(uow))


async def list(uow: UnitOfWork) -> builtins.list[SnapshotInfo]:
    return await uow.test_control.list_snapshots(hidden=BASELINE)


async def download(uow: UnitOfWork, *, name: str) -> bytes:
    return await _stored(uow, snapshot_name(name))


async def upload(uow: UnitOfWork, *, name: str, data: bytes) -> SnapshotInfo:
    """Store a snapshot file under `name` once it is known to restore here."""
    snapshot_name(name)
    _parse(data)
    return await uow.test_control.put_snapshot(name, data)


async def delete(uow: UnitOfWork, *, name: str) -> None:
    if not await uow.test_control.delete_snapshot(snapshot_name(name)):
        raise NotFound("snapshot", name, detail=f"No snapshot named {name!r}.")


async def restore(uow: UnitOfWork, *, name: str) -> int:
    """Every data table and sequence back to the snapshot; the new cache generation."""
    return await _restore(uow, await _stored(uow, snapshot_name(name)))


async def reset(uow: UnitOfWork) -> int:
    """Everything back to the baseline; the new cache generation."""
    return await _restore(uow, await _stored(uow, BASELINE))


async def reset_account(uow: UnitOfWork, *, account_id: int) -> int:
    """One account's rows back to the baseline (gone, if it was created since); the others'
    rows and the id sequences untouched. The new cache generation."""
    rows, _ = _parse(await _stored(uow, BASELINE))
    in_baseline = any(r["id"] == account_id for r in rows["accounts"])
    if not in_baseline and await uow.accounts.get(account_id) is None:
        raise NotFound("account", str(account_id), detail=f"No account with id {account_id}.")
    await uow.table_data.replace_account(account_id, _of_account(rows, account_id))
    return await uow.test_control.bump_generation()


def _of_account(
    rows: Mapping[str, builtins.list[dict[str, Any]]], account_id: int
) -> dict[str, builtins.list[dict[str, Any]]]:
    mine: dict[str, builtins.list[dict[str, Any]]] = {}
    for table in DATA_TABLES:
        owner = account_column(table.name)
        if owner is not None:
            mine[table.name] = [r for r in rows[table.name] if r[owner] == account_id]
    return mine
