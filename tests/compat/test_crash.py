"""A crash under write load loses nothing acknowledged and leaves nothing half-applied.

Threads write on every surface (Hood partners, contacts, integrations, deals, campaigns; Core
partners; CRM objects, batches, properties) while the server is killed with SIGKILL: the whole
process on SQLite, one of two workers on PostgreSQL. After a restart on the same database:

* every acknowledged (2xx) write reads back at the version it was acknowledged with, holding
  what it wrote; a write cut off by the crash may be there (one version more) or not;
* each object has one history entry per version, 1 to its version, and nothing else;
* a CRM batch create is all there or not at all (acknowledged: all there);
* SQLite's `PRAGMA integrity_check` answers ok.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from compat_servers import Account, PgDatabases, Server, ok
from sqlalchemy import select

from partnerhub.domain.objects import Kind
from partnerhub.storage.database import Database
from partnerhub.storage.repos.changes import STORED
from partnerhub.storage.tables import history

pytestmark = pytest.mark.slow

LOAD_SECONDS = 2.0  # of load before the kill; on PostgreSQL as long again after it
STREAMS_PER_KIND = 2
BATCH = 5  # objects per CRM batch create
TWILIO = {
    "account_sid": "AC" + "2" * 32,
    "auth_token": "c" * 32,
    "default_phone_number": "+14155550100",
}


@dataclass(frozen=True)
class Writer:
    """How one kind of object is created, changed and read back over HTTP."""

    name: str
    create: Callable[[dict[str, str], int], tuple[str, dict[str, Any]]]  # (collection, body)
    located: Callable[[str, dict[str, Any]], str]  # (collection, created answer) → its path
    change: Callable[[str], dict[str, Any]]  # the PATCH body that writes this value
    value: Callable[[dict[str, Any]], Any]  # the value, from a GET answer
    query: dict[str, str] | None = None  # of that GET
    shown: Callable[[int], str] = "v{}".format  # the value of the n-th write
    # Set-up under the new object, and what must hold of it and its children after the crash.
    children: Callable[[httpx.Client, str], None] | None = None
    consistent: Callable[[httpx.Client, str], list[str]] | None = None

    def read(self, client: httpx.Client, path: str) -> httpx.Response:
        return client.get(path, params=self.query)


def _deal_under(client: httpx.Client, partner_path: str) -> None:
    partner = partner_path.rsplit("/", 1)[1]
    body = {"name": "d", "partner_id": partner, "base_price": 1, "clickthrough": False}
    assert client.post("/v1/hood/deals", json=body).status_code == 201


def _cascade_applied(client: httpx.Client, partner_path: str) -> list[str]:
    """The partner's status and its deals' effective status committed together."""
    partner = _hood_item(client.get(partner_path).json())
    deals = client.get("/v1/hood/deals", params={"partner_id": partner["id"]}).json()["items"]
    expected = "active" if partner["status"] == "active" else "inactive"
    return [
        f"deal {d['id']} effective_status {d['effective_status']}, partner {partner['status']}"
        for d in deals
        if d["effective_status"] != expected
    ] + ([] if deals else [f"partner {partner['id']} lost its deal"])


def _hood_item(answer: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = answer["items"][0]
    return item


def _by_id(collection: str, created: dict[str, Any]) -> str:
    return f"{collection}/{created['id']}"


def _partner_body(setup: dict[str, str], n: int) -> tuple[str, dict[str, Any]]:
    body = {
        "manager_ids": [setup["member"]],
        "name": f"crash {n}",
        "type": ["publisher"],
        "status": "active",
    }
    return "/v1/hood/partners", body


WRITERS = [
    Writer(
        "hood partner status",
        _partner_body,
        _by_id,
        lambda v: {"status": v},
        lambda a: _hood_item(a)["status"],
        shown=lambda n: "inactive" if n % 2 else "active",
        children=_deal_under,
        consistent=_cascade_applied,
    ),
    Writer(
        "hood partner",
        _partner_body,
        _by_id,
        lambda v: {"description": v},
        lambda a: _hood_item(a)["description"],
    ),
    Writer(
        "hood contact",
        lambda s, n: (
            f"/v1/hood/partners/{s['partner']}/contacts",
            {"type": "skype", "value": "v0"},
        ),
        _by_id,
        lambda v: {"value": v},
        lambda a: _hood_item(a)["value"],
    ),
    Writer(
        "hood integration",
        lambda s, n: (
            "/v1/hood/integrations",
            {"name": "v0", "provider_id": "1000", "settings": TWILIO},
        ),
        _by_id,
        lambda v: {"name": v},
        lambda a: _hood_item(a)["name"],
    ),
    Writer(
        "hood deal",
        lambda s, n: (
            "/v1/hood/deals",
            {"name": "v0", "partner_id": s["partner"], "base_price": 1, "clickthrough": False},
        ),
        _by_id,
        lambda v: {"name": v},
        lambda a: _hood_item(a)["name"],
    ),
    Writer(
        "hood campaign",
        lambda s, n: ("/v1/hood/campaigns", {"name": "v0", "deal_id": s["deal"], "is_draft": True}),
        _by_id,
        lambda v: {"name": v},
        lambda a: _hood_item(a)["name"],
    ),
    Writer(
        "core partner",
        lambda s, n: (
            "/core/v2/partners",
            {"login": f"crash{uuid.uuid4().hex[:10]}", "password": "sample_password", "name": "v0"},
        ),
        lambda c, a: f"{c}/{a['partner_sid']}",
        lambda v: {"name": v},
        lambda a: a["name"],
    ),
    Writer(
        "crm object",
        lambda s, n: ("/crm/v3/objects/partner_clients", {"properties": {"load": "v0"}}),
        _by_id,
        lambda v: {"properties": {"load": v}},
        lambda a: a["properties"]["load"],
        {"properties": "load"},
    ),
    Writer(
        "crm property",
        lambda s, n: (
            "/crm/v3/properties/partner_clients",
            {
                "name": f"crash_{uuid.uuid4().hex[:10]}",
                "label": "v0",
                "type": "string",
                "fieldType": "text",
            },
        ),
        lambda c, a: f"{c}/{a['name']}",
        lambda v: {"label": v},
        lambda a: a["label"],
    ),
]


def _version(response: httpx.Response) -> int | None:
    tag = response.headers.get("etag")
    return int(tag.strip('"')) if tag else None


@dataclass
class Stream:
    """One object written over and over by one thread, and what the server acknowledged."""

    writer: Writer
    path: str = ""
    acked: tuple[int | None, Any] = (None, None)  # version (None: not answered), value
    in_flight: Any = None  # the value of a write the crash cut off (maybe applied)
    writes: int = 0


@dataclass
class Batches:
    acked: list[str] = field(default_factory=list)  # tag prefixes
    in_flight: list[str] = field(default_factory=list)


def _run_stream(client: httpx.Client, stream: Stream, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        value = stream.writer.shown(n)
        try:
            response = client.patch(stream.path, json=stream.writer.change(value))
        except httpx.TransportError:
            stream.in_flight = value
            return
        if response.status_code >= 500:
            stream.in_flight = value
            return
        if response.status_code < 300:
            stream.acked, stream.writes = (_version(response), value), stream.writes + 1


def _run_batches(client: httpx.Client, batches: Batches, stop: threading.Event) -> None:
    while not stop.is_set():
        tag = uuid.uuid4().hex[:10]
        inputs = [{"properties": {"tag": f"{tag}-{i}", "load": "batch"}} for i in range(BATCH)]
        try:
            response = client.post(
                "/crm/v3/objects/partner_clients/batch/create", json={"inputs": inputs}
            )
        except httpx.TransportError:
            batches.in_flight.append(tag)
            return
        if response.status_code >= 500:
            batches.in_flight.append(tag)
            return
        if response.status_code < 300:
            batches.acked.append(tag)


def _setup(server: Server) -> tuple[Account, dict[str, str]]:
    account = server.create_account("crash", "--hood-tier", "E")
    limits = ["--core", "1000000/60", "--crm", "1000000/10,100000000/86400"]
    ok(server.cli("accounts", "limits", account.name, *limits))
    member = server.create_member(account.name, "Crash Manager", "crash@example.com")
    with server.client(account.token) as client:
        for name, unique in (("load", False), ("tag", True)):
            body = {
                "name": name,
                "label": name,
                "type": "string",
                "fieldType": "text",
                "hasUniqueValue": unique,
            }
            assert client.post("/crm/v3/properties/partner_clients", json=body).status_code == 201
        collection, body = _partner_body({"member": member}, 0)
        partner = client.post(collection, json=body).json()["id"]
        deal_body = {"name": "d", "partner_id": partner, "base_price": 1, "clickthrough": False}
        deal = client.post("/v1/hood/deals", json=deal_body).json()["id"]
    return account, {"member": member, "partner": str(partner), "deal": str(deal)}


def _start_load(
    server: Server, token: str, setup: dict[str, str]
) -> tuple[list[Stream], Batches, threading.Event, list[threading.Thread]]:
    streams: list[Stream] = []
    with server.client(token) as client:
        for writer in WRITERS:
            for n in range(STREAMS_PER_KIND):
                collection, body = writer.create(setup, n)
                created = client.post(collection, json=body)
                assert created.status_code in (200, 201), (writer.name, created.text)
                stream = Stream(writer, writer.located(collection, created.json()))
                if writer.children:
                    writer.children(client, stream.path)
                stream.acked = (
                    _version(created) or 1,
                    writer.value(writer.read(client, stream.path).json()),
                )
                streams.append(stream)
    stop, batches = threading.Event(), Batches()
    clients = [server.client(token) for _ in range(len(streams) + 1)]
    threads = [
        threading.Thread(target=_run_stream, args=(c, s, stop), daemon=True)
        for c, s in zip(clients, streams, strict=False)
    ]
    threads.append(
        threading.Thread(target=_run_batches, args=(clients[-1], batches, stop), daemon=True)
    )
    for thread in threads:
        thread.start()
    return streams, batches, stop, threads


def _workers(server: Server) -> list[int]:
    """The pids of the server's worker processes (children of the supervisor)."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = []
    for child in children:
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"multiprocessing.resource_tracker" not in cmdline:
            workers.append(int(child))
    return workers


def _history_name(kind: Kind, row: Any) -> str:
    if kind is Kind.HOOD_CONTACT:
        return f"{row.partner_id}/{row.id}"
    if kind is Kind.CORE_PARTNER:
        return str(row.partner_sid)
    return str(getattr(row, STORED[kind].key))


async def _history_mismatches(database_url: str, account_id: int) -> list[str]:
    """Objects whose history versions are not exactly 1..version, one entry each."""
    db = Database.open(database_url, pool_size=1)
    problems = []
    try:
        async with db.transaction() as uow:
            entries: dict[tuple[str, str], list[int]] = {}
            rows = await uow.conn.execute(select(history).where(history.c.account_id == account_id))
            for entry in rows:
                entries.setdefault((entry.object_type, entry.object_id), []).append(entry.version)
            seen = 0
            for kind, stored in STORED.items():
                for row in await uow.conn.execute(
                    select(stored.table).where(*stored.where(account_id))
                ):
                    key = (kind.value, _history_name(kind, row))
                    seen += 1
                    versions = sorted(entries.pop(key, []))
                    if versions != list(range(1, row.version + 1)):
                        problems.append(f"{key} at version {row.version}: history {versions}")
            problems += [f"{key}: history of no object: {v}" for key, v in entries.items()]
            assert seen > len(WRITERS) * STREAMS_PER_KIND, seen
    finally:
        await db.dispose()
    return problems


def _verify(server: Server, token: str, streams: list[Stream], batches: Batches) -> list[str]:
    problems = []
    with server.client(token) as client:
        for stream in streams:
            answer = stream.writer.read(client, stream.path)
            assert answer.status_code == 200, (stream.path, answer.text)
            found = (_version(answer), stream.writer.value(answer.json()))
            version, value = stream.acked
            allowed = [(version, value)]
            if stream.in_flight is not None:
                allowed.append((version + 1 if version else None, stream.in_flight))
            if found not in allowed:
                problems.append(
                    f"{stream.writer.name} {stream.path}: {found}, acknowledged {allowed}"
                )
            if stream.writer.consistent:
                problems += stream.writer.consistent(client, stream.path)
        for tag, acked in [(t, True) for t in batches.acked] + [
            (t, False) for t in batches.in_flight
        ]:
            body = {
                "idProperty": "tag",
                "inputs": [{"id": f"{tag}-{i}"} for i in range(BATCH)],
                "properties": ["tag"],
            }
            answer = client.post("/crm/v3/objects/partner_clients/batch/read", json=body)
            present = len(answer.json().get("results", []))
            if present not in ((BATCH,) if acked else (0, BATCH)):
                problems.append(
                    f"batch {tag} (acknowledged: {acked}): {present} of {BATCH} objects"
                )
    return problems


def _crash_and_check(
    start_server: Any, server: Server, database_url: str, kill: Callable[[Server], None]
) -> None:
    account, setup = _setup(server)
    streams, batches, stop, threads = _start_load(server, account.token, setup)
    time.sleep(LOAD_SECONDS)
    kill(server)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    server.stop()
    restarted: Server = start_server(database_url, restart_of=server)
    try:
        problems = _verify(restarted, account.token, streams, batches)
        problems += asyncio.run(_history_mismatches(database_url, account.id))
    finally:
        restarted.stop()
    writes = Counter({s.writer.name: s.writes for s in streams})
    assert all(writes[w.name] > 0 for w in WRITERS), writes  # the load reached every kind
    assert batches.acked, "no batch was acknowledged before the crash"
    assert problems == [], "\n".join(problems)


def test_sigkill_of_the_sqlite_server(
    start_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("crash") / "partnerhub.db"
    url = f"sqlite:///{path}"
    server: Server = start_server(url)

    def kill(server: Server) -> None:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=15)

    _crash_and_check(start_server, server, url, kill)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_sigkill_of_one_postgresql_worker(
    start_server: Any, pg_databases: PgDatabases, compat_redis_url: str
) -> None:
    url = pg_databases.create()
    server: Server = start_server(url, workers=2, redis_url=compat_redis_url)

    def kill(server: Server) -> None:
        workers = _workers(server)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        time.sleep(LOAD_SECONDS)  # the other worker carries the load on

    _crash_and_check(start_server, server, url, kill)
