"""Where a request's microseconds go: the ASGI app driven in-process, no sockets, no HTTP server.

    .venv/bin/python bench/asgi_profile.py [--requests N] [--rounds R] [--profile TARGET]
                                           [--only TARGET ...]

Builds the app as `partnerhub serve` does (info log level, one JSON access line per request,
written to /dev/null; token cache on), on a fresh SQLite database holding --count objects per
surface (bench/load.py, default 300), and sends each target N requests R times, one at a time,
straight into the ASGI callable. Prints the best round's µs per request per target, in
wall-clock time and in this process's CPU time (steadier than the wall clock on a busy
machine). `--profile TARGET` runs that target once more under pyinstrument and prints its call
tree (pyinstrument must be installed: `pip install pyinstrument`); its overhead per call
exaggerates code made of many small calls, so confirm a finding by the CPU time.

The numbers are the app's own cost per request (framework, middleware, log line, metrics,
routing, surfaces, services, storage); under wrk the HTTP server's parsing and socket writes
come on top.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import load

from partnerhub.app import create_app
from partnerhub.config import Settings
from partnerhub.services import accounts
from partnerhub.storage.database import Database
from partnerhub.storage.migrate import upgrade

TARGETS: dict[str, tuple[str, str, str]] = {
    "healthz": ("GET", "/healthz", ""),
    "hood GET": ("GET", "/v1/hood/partners/{hood}", ""),
    "hood PATCH": ("PATCH", "/v1/hood/partners/{hood}", '{"description": "bench {n}"}'),
    "hood list": ("GET", "/v1/hood/partners?page=1,25", ""),
    "core GET": ("GET", "/core/v2/partners/{core}", ""),
    "core PATCH": ("PATCH", "/core/v2/partners/{core}", '{"name": "bench {n}"}'),
    "core list": ("GET", "/core/v2/partners?limit=25", ""),
    "crm GET": ("GET", "/crm/v3/objects/partner_clients/{crm}", ""),
    "crm PATCH": (
        "PATCH",
        "/crm/v3/objects/partner_clients/{crm}",
        '{"properties": {"property_string": "bench {n}"}}',
    ),
    "crm list": ("GET", "/crm/v3/objects/partner_clients?limit=25", ""),
}

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


async def call(app: App, method: str, target: str, body: bytes, token: str) -> int:
    path, _, query = target.partition("?")
    headers = [
        (b"host", b"bench"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"user-agent", b"asgi-profile"),
    ]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def prepare(workdir: Path, count: int) -> tuple[Settings, str, dict[str, list[str]]]:
    url = f"sqlite:///{workdir / 'profile.db'}"
    await asyncio.to_thread(upgrade, url)
    db = Database.open(url, pool_size=1)
    async with db.transaction(write=True) as uow:
        created = await accounts.create_account(uow, name="bench")
        big = [[10**8, 1], [10**9, 86400]]
        await accounts.set_limits(
            uow,
            account_id=created.account.id,
            rate_limits={s: big for s in ("hood", "core", "crm", "crm_search")},
        )
    await db.dispose()
    await load(url, "bench", count, workdir)
    ids = {s: (workdir / f"{s}.ids").read_text().split() for s in ("hood", "core", "crm")}
    settings = Settings(_env_file=None, database_url=url, log_level="info")  # type: ignore[call-arg]
    return settings, created.token, ids


class Quiet:
    """stdout (the access log's stream) pointed at /dev/null while the app is built and run."""

    def __init__(self) -> None:
        self.sink = open(os.devnull, "w")  # noqa: SIM115 - kept open for the whole run

    def __enter__(self) -> None:
        sys.stdout = self.sink

    def __exit__(self, *_: object) -> None:
        sys.stdout = sys.__stdout__


async def measure(
    app: App, name: str, token: str, ids: dict[str, list[str]], args: argparse.Namespace
) -> None:
    method, template, body_template = TARGETS[name]

    async def one(n: int) -> int:
        target = template.format(**{s: random.choice(ids[s]) for s in ids})
        body = body_template.replace("{n}", str(n)).encode()
        return await call(app, method, target, body, token)

    quiet = Quiet()
    with quiet:
        for n in range(50):  # warm caches (token, limits, statements)
            status = await one(n)
        best = cpu = float("inf")
        for _ in range(args.rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            for n in range(args.requests):
                await one(n)
            best = min(best, (time.perf_counter() - started) / args.requests)
            cpu = min(cpu, (time.process_time() - started_cpu) / args.requests)
    print(
        f"{name:12} {best * 1e6:8.1f} µs/request, {cpu * 1e6:8.1f} µs CPU  (status {status})",
        flush=True,
    )
    if args.profile == name:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0001, async_mode="disabled")
        with quiet:
            profiler.start()
            for n in range(args.requests):
                await one(n)
            profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=args.show_all))


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings, token, ids = await prepare(Path(tmp), args.count)
        with Quiet():
            app: App = create_app(settings)
        for name in args.only or list(TARGETS):
            await measure(app, name, token, ids, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--count", type=int, default=300, help="objects per surface")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=list(TARGETS))
    parser.add_argument("--show-all", action="store_true", help="profile: library frames too")
    parser.add_argument("--only", nargs="*", choices=list(TARGETS))
    args = parser.parse_args()
    asyncio.run(run(args))  # the event loop `partnerhub serve` runs (ops/server.py)


if __name__ == "__main__":
    main()
