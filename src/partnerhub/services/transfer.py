"""`partnerhub export` / `import`: an account's data (or every account's) as JSON Lines.

The file is a header line, then one record a line, `{"kind": …, <stored fields>}`, in the
order of `EXPORTED` (parents first). Records hold what is stored, so an import restores the
data exactly: ids, versions, times, history, token hashes (so imported tokens keep working)
and integration secrets as stored, encrypted under PARTNERHUB_SECRET_KEY. Both directions
stream: a page of rows, or a batch of lines, at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import orjson

from partnerhub.auth.secrets import Secrets
from partnerhub.errors import Conflict, ValidationFailed
from partnerhub.services import accounts, hood_integrations
from partnerhub.storage.repos.transfer import BATCH, BY_KIND, EXPORTED, row_of
from partnerhub.storage.unit_of_work import UnitOfWork

HEADER_KIND = "partnerhub.export"
FORMAT_VERSION = 1
_ORDER = {e.kind: i for i, e in enumerate(EXPORTED)}


def _line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


def header() -> bytes:
    return _line({"kind": HEADER_KIND, "format": FORMAT_VERSION})


async def export(
    uow: UnitOfWork, *, account: str | None = None
) -> tuple[int, AsyncIterator[bytes]]:
    """(how many records, the export's lines: the header, then every record) of one account
    (name or id) or of all. Give it a unit of work that reads one snapshot
    (`Database.snapshot`), or the lines may mix states."""
    account_id = (await accounts.get_account(uow, name_or_id=account)).id if account else None
    return await uow.transfer.count(account_id), _lines(uow, account_id)


async def _lines(uow: UnitOfWork, account_id: int | None) -> AsyncIterator[bytes]:
    yield header()
    async for kind, row in uow.transfer.rows(account_id):
        yield _line({"kind": kind, **row})


class _Batch:
    """Rows of one kind waiting for their INSERT, and the lines they came from."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self.rows: list[dict[str, Any]] = []
        self.first = self.last = 0

    def lines(self) -> str:
        return (
            f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"
        )

    async def flush(self, uow: UnitOfWork) -> None:
        if self.kind is not None and self.rows:
            await uow.transfer.insert(self.kind, self.rows, self.lines())
        self.rows = []

    async def add(self, uow: UnitOfWork, kind: str, row: dict[str, Any], line: int) -> None:
        if kind != self.kind or len(self.rows) >= BATCH:
            await self.flush(uow)
            self.kind, self.first = kind, line
        self.rows.append(row)
        self.last = line


def _parse(raw: bytes, where: str) -> dict[str, Any]:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed.one(where, f"{where}: not JSON ({exc.msg}).") from None
    if not isinstance(record, dict):
        raise ValidationFailed.one(where, f"{where}: a record must be a JSON object.")
    return record


def _check_header(record: dict[str, Any], where: str) -> None:
    if record.get("kind") != HEADER_KIND:
        raise ValidationFailed.one(
            where, f"{where}: the first line must be the header of a partnerhub export."
        )
    if record.get("format") != FORMAT_VERSION:
        raise ValidationFailed.one(
            f"{where}.format",
            f"{where}: export format {record.get('format')!r} is not supported "
            f"(this partnerhub reads format {FORMAT_VERSION}).",
        )


async def import_(
    uow: UnitOfWork,
    lines: Iterable[bytes],
    *,
    secrets: Secrets,
    progress: Callable[[int], None] = lambda _: None,
) -> dict[str, int]:
    """Load an export into accounts that do not exist yet, in the caller's transaction (so a
    failure loads nothing); records per kind. `progress` gets each line's size in bytes."""
    counts: dict[str, int] = {}
    created: set[int] = set()
    batch = _Batch()
    seen_header = False
    position = -1
    for number, raw in enumerate(lines, start=1):
        progress(len(raw))
        if not raw.strip():
            continue
        where = f"line {number}"
        record = _parse(raw, where)
        if not seen_header:
            _check_header(record, where)
            seen_header = True
            continue
        kind = record.get("kind")
        exported = BY_KIND.get(kind) if isinstance(kind, str) else None
        if exported is None:
            known = ", ".join(BY_KIND)
            raise ValidationFailed.one(
                f"{where}.kind", f"{where}: unknown kind {kind!r} (one of {known})."
            )
        if _ORDER[exported.kind] < position:
            raise ValidationFailed.one(
                f"{where}.kind",
                f"{where}: {exported.kind} records must come before "
                f"{EXPORTED[position].kind} ones (the order of an export).",
            )
        position = _ORDER[exported.kind]
        row = row_of(exported, record, where)
        account_id = row.get(exported.account)
        if exported.kind == "account":
            why = await uow.transfer.account_taken(row["id"], row["name"])
            if why:
                raise Conflict(
                    f"{where}: {why}. Import loads into accounts that do not exist yet.",
                    field=where,
                )
            created.add(row["id"])
        elif account_id not in created:
            raise ValidationFailed.one(
                f"{where}.{exported.account}",
                f"{where}: {exported.account} {account_id!r} is not an account of this file "
                "(import loads into the accounts it creates).",
            )
        if exported.kind == "hood.integration":
            hood_integrations.check_stored_settings(
                secrets, row["provider_id"], row["settings"], where
            )
        await batch.add(uow, exported.kind, row, number)
        counts[exported.kind] = counts.get(exported.kind, 0) + 1
    if not seen_header:
        raise ValidationFailed.one("line 1", "The file is empty: not a partnerhub export.")
    await batch.flush(uow)
    await after_stated_ids(uow)
    return counts


async def after_stated_ids(uow: UnitOfWork) -> None:
    """After objects were given ids of the caller's choice (a seed file): the ids the database
    issues next pass them."""
    await uow.transfer.advance_sequences()
