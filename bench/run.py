"""partnerhub benchmark: `partnerhub serve` under wrk, next to the database's own ceiling.

    .venv/bin/python bench/run.py [--runs "sqlite:1 postgresql:2"] [--peers DIR]
                                  [--duration 20] [--warmup 3] [--connections 32] [--count 10000]

For each backend and worker count of --runs it: makes a fresh database; creates the `bench`
account and raises its rate limits with `partnerhub accounts limits` (the normal per-account
settings); loads COUNT partners per surface through the services (bench/load.py); starts
`partnerhub serve` on a free port; then, per target, warms up and runs wrk
(bench/wrk/request.lua, a random object of the loaded set per request). On PostgreSQL it then
runs pgbench with bench/pgbench/*.sql (what one Hood PATCH / GET asks of the database) at the
same client count and prints our throughput as a percentage of it. With --peers (the folder of
side-by-side.sh, which measures partnerhub's embedded default beside json-server and Directus in
one run), it runs that too, and every table is annotated against the targets of issue 13
(json-server's rates, the pgbench ceilings, each surface's GET rate for its list). The tables
are printed and all of it is written to one file, bench/results/<date>-bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")
TOKEN_RE = re.compile(r"ph_[A-Za-z0-9_-]+")
# Targets of issue 13, reported against, never asserted.
P99_MS = 25.0  # PATCH and GET of one object
LIST_SHARE, LIST_P99_MS = 50.0, 50.0  # % of the surface's GET rate
PG_SHARE = 50.0  # % of the pgbench ceiling of the same transaction
OVERLOAD = 320  # connections: 10x the usual 32
# A limit no bench run reaches: 10^9 requests per second / per 10 s / per day.
HUGE = "1000000000/1"


@dataclass
class Target:
    name: str  # e.g. "hood PATCH"
    surface: str
    kind: str  # PATCH, GET, LIST
    method: str
    path: str  # may contain {id}
    body: str = ""
    connections: int | None = None  # instead of --connections
    flood: bool = False  # with --connections of unauthenticated POST /oauth/token beside it
    overload: bool = False  # at OVERLOAD connections: nothing may fail


TARGETS = [
    Target(
        "hood PATCH",
        "hood",
        "PATCH",
        "PATCH",
        "/v1/hood/partners/{id}",
        '{"description": "bench {n}"}',
    ),
    Target("hood GET", "hood", "GET", "GET", "/v1/hood/partners/{id}"),
    Target("hood list", "hood", "LIST", "GET", "/v1/hood/partners?page=1,25"),
    Target(
        "hood PATCH x10",
        "hood",
        "PATCH",
        "PATCH",
        "/v1/hood/partners/{id}",
        '{"description": "bench {n}"}',
        connections=OVERLOAD,
        overload=True,
    ),
    Target(
        "hood GET x10",
        "hood",
        "GET",
        "GET",
        "/v1/hood/partners/{id}",
        connections=OVERLOAD,
        overload=True,
    ),
    # One partner with 1,000 deals and 5,000 campaigns, its status toggled by each request (one
    # connection: the requests queue on the partner's lock anyway, and each one cascades).
    Target(
        "hood cascade PATCH",
        "cascade",
        "CASCADE",
        "PATCH",
        "/v1/hood/partners/{id}",
        '{"status": "{toggle}"}',
        connections=1,
    ),
    Target(
        "core PATCH", "core", "PATCH", "PATCH", "/core/v2/partners/{id}", '{"name": "bench {n}"}'
    ),
    Target("core GET", "core", "GET", "GET", "/core/v2/partners/{id}"),
    Target("core list", "core", "LIST", "GET", "/core/v2/partners?limit=25"),
    # The same GET while as many connections guess passwords at POST /oauth/token (random
    # logins): what the password-check budget leaves an authenticated client (compare core GET).
    Target(
        "core GET under oauth flood", "core", "GET", "GET", "/core/v2/partners/{id}", flood=True
    ),
    Target(
        "crm PATCH",
        "crm",
        "PATCH",
        "PATCH",
        "/crm/v3/objects/partner_clients/{id}",
        '{"properties": {"property_string": "bench {n}"}}',
    ),
    Target("crm GET", "crm", "GET", "GET", "/crm/v3/objects/partner_clients/{id}"),
    Target("crm list", "crm", "LIST", "GET", "/crm/v3/objects/partner_clients?limit=25"),
]


@dataclass
class Row:
    target: str
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    requests: int
    server_errors: int = 0  # 5xx, counted inside non_2xx
    max_ms: float = 0.0
    note: str = ""


@dataclass
class Report:
    backend: str
    workers: int
    connections: int
    duration_s: int
    count: int
    started: str
    command: str
    rows: list[Row] = field(default_factory=list)
    ceiling: dict[str, Any] = field(default_factory=dict)
    load_timings: str = ""
    machine: dict[str, Any] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_tool(binary: str, package: str) -> str:
    found = shutil.which(binary)
    if found:
        return found
    log(f"{binary} missing: apt-get install {package}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=True)
    found = shutil.which(binary)
    if not found:
        sys.exit(f"{binary} still missing after installing {package}")
    return found


def psql(url: str, sql: str) -> str:
    out = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def flush_redis(url: str) -> None:
    import redis  # the `limits` library's Redis client, installed with partnerhub

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "partnerhub"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"partnerhub {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"partnerhub serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("partnerhub serve did not become ready")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_wrk(
    wrk: str, base: str, target: Target, ids: Path, token: str, seconds: int, connections: int
) -> dict[str, Any]:
    threads = 2 if connections >= 2 else 1
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "wrk" / "request.lua"),
        base,
        "--",
        target.method,
        str(ids),
        target.path,
        token,
        target.body,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"wrk failed ({target.name}):\n{done.stdout}\n{done.stderr}")
    out = done.stdout
    match = re.search(r"^WRKJSON (.*)$", out, re.M)
    if not match:
        sys.exit(f"no summary from wrk:\n{out}")
    result: dict[str, Any] = json.loads(match[1])
    return result


def start_flood(
    wrk: str, base: str, args: argparse.Namespace, connections: int
) -> subprocess.Popen[str]:
    seconds = args.warmup + args.duration + 1
    cmd = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    cmd += ["-s", str(BENCH / "wrk" / "oauth_flood.lua"), base]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_flood(flood: subprocess.Popen[str]) -> str:
    """What the flood got: its request rate (answers are 401, 429 or 503)."""
    out, _ = flood.communicate(timeout=120)
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return f"flood: {match[1] if match else '?'} oauth req/s beside it"


def run_pgbench(
    url: str, script: str, seconds: int, clients: int, variables: dict[str, Any]
) -> float:
    cmd = [
        ensure_tool("pgbench", "postgresql-contrib"),
        "-n",
        "-M",
        "prepared",
        "-c",
        str(clients),
        "-j",
        "2",
        "-T",
        str(seconds),
        "-f",
        str(BENCH / "pgbench" / script),
        *[f"-D{k}={v}" for k, v in variables.items()],
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"tps = ([\d.]+)", out)
    if not match:
        sys.exit(f"no tps from pgbench:\n{out}")
    return float(match[1])


def bench(args: argparse.Namespace) -> Report:
    wrk = ensure_tool("wrk", "wrk")
    started = datetime.now(UTC)
    report = Report(
        backend=args.backend,
        workers=args.workers,
        connections=args.connections,
        duration_s=args.duration,
        count=args.count,
        started=started.isoformat(timespec="seconds"),
        command=" ".join(["bench/run.py", *sys.argv[1:]]),
        machine={"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    )
    work = Path(tempfile.mkdtemp(prefix="partnerhub-bench-"))
    pg_name = None
    if args.backend == "postgresql":
        pg_name = f"partnerhub_bench_{uuid.uuid4().hex[:8]}"
        psql(PG_ADMIN, f'CREATE DATABASE "{pg_name}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        url = f"sqlite:///{work / 'bench.db'}"
    redis_url = REDIS_URL if (args.workers > 1 or args.redis) else None
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERHUB_")}
    env.update(
        PARTNERHUB_DATABASE_URL=url,
        PARTNERHUB_LOG_LEVEL=args.log_level,
        PARTNERHUB_SECRET_KEY=uuid.uuid4().hex,  # serve refuses the development key on PostgreSQL
        NO_COLOR="1",
        TERM="dumb",
    )
    if redis_url:
        env["PARTNERHUB_REDIS_URL"] = redis_url
        flush_redis(redis_url)
    process = None
    try:
        log(f"{args.backend}, {args.workers} worker(s): database {url}")
        token = TOKEN_RE.findall(cli(env, "accounts", "create", "bench", "--hood-tier", "E"))[0]
        cli(
            env,
            *("accounts", "limits", "bench"),
            *("--hood", HUGE, "--core", HUGE, "--crm", f"{HUGE},{HUGE.replace('/1', '/86400')}"),
            *("--crm-search", HUGE),
        )
        log(f"loading {args.count} objects per surface")
        loaded = json.loads(
            subprocess.run(
                [sys.executable, str(BENCH / "load.py"), url, "bench", str(args.count), str(work)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        account_id = int(loaded["account_id"])
        report.load_timings = " ".join(f"{k}={v:.1f}" for k, v in loaded["timings"].items())
        log(f"loaded: {report.load_timings}")
        if pg_name:
            # Planner statistics, as autovacuum would gather after a bulk load; without them
            # PostgreSQL plans the Core list page as if the table were empty.
            psql(url, "VACUUM ANALYZE")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = (work / "server.log").open("wb")
        process = subprocess.Popen(
            [str(BIN / "partnerhub"), "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_ready(base, process)
        log(f"serving on {base} (pid {process.pid})")
        for target in TARGETS:
            if args.only and not any(o in target.name for o in args.only):
                continue
            ids = work / f"{target.surface}.ids"
            connections = target.connections or args.connections
            flood = start_flood(wrk, base, args, connections) if target.flood else None
            if args.warmup:
                run_wrk(wrk, base, target, ids, token, args.warmup, connections)
            res = run_wrk(wrk, base, target, ids, token, args.duration, connections)
            flooded = finish_flood(flood) if flood is not None else ""
            row = Row(
                target=target.name,
                rps=round(res["requests"] / (res["duration_us"] / 1e6), 1),
                p50_ms=round(res["p50_us"] / 1000, 2),
                p99_ms=round(res["p99_us"] / 1000, 2),
                non_2xx=res["status_errors"],
                server_errors=res["server_errors"],
                max_ms=round(res["max_us"] / 1000, 2),
                socket_errors=res["connect_errors"]
                + res["read_errors"]
                + res["write_errors"]
                + res["timeouts"],
                requests=res["requests"],
                note=flooded,
            )
            report.rows.append(row)
            log(f"{row.target}: {row.rps} req/s, p50 {row.p50_ms} ms, p99 {row.p99_ms} ms")
        stop(process)
        process = None

        if args.backend == "postgresql":
            hood_ids = [int(v) for v in (work / "hood.ids").read_text().split()]
            variables = {"acct": account_id, "minid": min(hood_ids), "maxid": max(hood_ids)}
            for kind, script in (("PATCH", "hood_patch.sql"), ("GET", "hood_get.sql")):
                tps = run_pgbench(url, script, args.duration, args.connections, variables)
                report.ceiling[kind] = {"script": f"bench/pgbench/{script}", "tps": round(tps, 1)}
                log(f"pgbench {script}: {tps:.0f} tps")
    finally:
        if process is not None:
            stop(process)
        if pg_name and not args.keep:
            psql(PG_ADMIN, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    return report


@dataclass
class PeerRow:
    """One row of side-by-side.sh: a system (partnerhub-hood, directus, json-server), PATCH or
    GET of one object."""

    name: str
    op: str
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    statuses: str


def side_by_side(peers: Path, args: argparse.Namespace) -> tuple[list[PeerRow], str]:
    """Run the peers' side-by-side.sh on this checkout (partnerhub from this venv): its rows,
    or none and why."""
    script = peers / "side-by-side.sh"
    if not script.is_file():
        return [], f"no {script}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERHUB_")}
    env.update(
        PH_VENV=str(BIN.parent),
        WARMUP_S=str(max(args.warmup, 1)),
        DURATION_S=str(args.duration),
        CONNECTIONS=str(args.connections),
    )
    log(f"side by side with the peers ({script})")
    done = subprocess.run(
        ["bash", str(script), str(ROOT)], env=env, capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or "rps=" not in parts[2]:
            continue
        fields = dict(kv.split("=", 1) for kv in parts[2].split() if "=" in kv)
        sockets = sum(int(fields.get(k, 0)) for k in ("sock_connect", "sock_read", "sock_write"))
        rows.append(
            PeerRow(
                name=parts[0],
                op=parts[1].upper(),
                rps=float(fields["rps"]),
                p50_ms=float(fields["p50_ms"]),
                p99_ms=float(fields["p99_ms"]),
                max_ms=float(fields["max_ms"]),
                socket_errors=sockets + int(fields.get("sock_timeout", 0)),
                statuses=fields.get("statuses", ""),
            )
        )
        log(f"{rows[-1].name} {rows[-1].op}: {rows[-1].rps} req/s, p99 {rows[-1].p99_ms} ms")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return rows, f"side-by-side.sh exited {done.returncode}: {' / '.join(tail)}"
    return rows, ""


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


def _against_json_server(rps: float, p99: float, js: float | None) -> str:
    if not js:
        return ""
    ratio = rps / js
    return (
        f"{ratio:.2f}x json-server {js:.0f} req/s "
        f"(target >= 1.0x, p99 <= {P99_MS:.0f} ms: {_met(ratio >= 1.0 and p99 <= P99_MS)})"
    )


def annotate(report: Report, json_server: dict[str, float]) -> None:
    """Each row's note: how it stands against its target of issue 13."""
    alone = {row.target: row.rps for row in report.rows}
    targets = {t.name: t for t in TARGETS}
    for row in report.rows:
        target = targets[row.target]
        if target.flood:
            unflooded = alone.get(row.target.removesuffix(" under oauth flood"))
            if unflooded:
                share = 100 * row.rps / unflooded
                row.note = f"{share:.0f}% of it alone (target >= 50%); {row.note}"
            continue
        if target.overload:
            ok = row.socket_errors == 0 and row.server_errors == 0
            row.note = (
                f"{target.connections} connections: {row.socket_errors} socket errors, "
                f"{row.server_errors} 5xx, max {row.max_ms:.0f} ms (nothing fails: {_met(ok)})"
            )
            continue
        if target.kind == "LIST":
            get = alone.get(f"{target.surface} GET")
            if get:
                share = 100 * row.rps / get
                ok = share >= LIST_SHARE and row.p99_ms <= LIST_P99_MS
                row.note = (
                    f"{share:.0f}% of {target.surface} GET (target >= {LIST_SHARE:.0f}%, "
                    f"p99 <= {LIST_P99_MS:.0f} ms: {_met(ok)})"
                )
            continue
        if target.kind not in ("PATCH", "GET"):
            continue
        if report.backend == "sqlite":
            row.note = _against_json_server(row.rps, row.p99_ms, json_server.get(target.kind))
        elif target.kind in report.ceiling:
            tps = report.ceiling[target.kind]["tps"]
            share = 100 * row.rps / tps if tps else 0.0
            ok = share >= PG_SHARE and (target.kind == "GET" or row.p99_ms <= P99_MS)
            tail = "" if target.kind == "GET" else f", p99 <= {P99_MS:.0f} ms"
            row.note = (
                f"{share:.0f}% of pgbench {tps:.0f} tps "
                f"(target >= {PG_SHARE:.0f}%{tail}: {_met(ok)})"
            )


def table(report: Report) -> str:
    head = (
        f"partnerhub bench: {report.backend}, {report.workers} worker(s), "
        f"{report.connections} connections, {report.duration_s} s per target, "
        f"{report.count} objects per surface, {report.machine.get('cpus')} CPUs"
    )
    lines = [
        head,
        f"{'target':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  note",
    ]
    for r in report.rows:
        errors = f"{r.non_2xx}" + (f"+{r.socket_errors}s" if r.socket_errors else "")
        lines.append(
            f"{r.target:<18} {r.rps:>9.1f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {errors:>8}  {r.note}"
        )
    for kind, c in report.ceiling.items():
        lines.append(f"pgbench {kind} ceiling ({c['script']}): {c['tps']:.0f} tps")
    return "\n".join(lines)


def peers_table(rows: list[PeerRow]) -> str:
    js = {r.op: r.rps for r in rows if r.name == "json-server"}
    lines = [
        "side by side (side-by-side.sh: partnerhub's embedded default, Hood partner of the demo)",
        f"{'system':<18} {'op':<6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  note",
    ]
    for r in rows:
        mine = r.name != "json-server"
        note = _against_json_server(r.rps, r.p99_ms, js.get(r.op)) if mine else ""
        lines.append(
            f"{r.name:<18} {r.op:<6} {r.rps:>9.1f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f}  {note}"
        )
    return "\n".join(lines)


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--runs",
        default="sqlite:1",
        help='backend:workers pairs, e.g. "sqlite:1 postgresql:2" (workers: 1 or 2)',
    )
    p.add_argument("--peers", type=Path, help="folder of side-by-side.sh: run it too")
    p.add_argument("--duration", type=int, default=20, help="seconds per target (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="warm-up seconds per target")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--count", type=int, default=10_000, help="objects per surface")
    p.add_argument("--redis", action="store_true", help="use Redis even with one worker")
    p.add_argument("--log-level", default="info", help="PARTNERHUB_LOG_LEVEL of the server")
    p.add_argument("--only", nargs="*", help="run only targets containing one of these words")
    p.add_argument("--keep", action="store_true", help="keep the database and work directory")
    p.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
    args = p.parse_args(argv)
    args.run_list = []
    for run in args.runs.split():
        backend, _, workers = run.partition(":")
        if backend not in ("sqlite", "postgresql") or workers not in ("1", "2"):
            p.error(f"--runs: {run!r} is not sqlite|postgresql:1|2")
        args.run_list.append((backend, int(workers)))
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    started = datetime.now(UTC)
    reports = []
    for backend, workers in args.run_list:
        if workers > 1 and backend == "sqlite":
            log("note: several workers on one SQLite file share its single write lock")
        args.backend, args.workers = backend, workers
        reports.append(bench(args))
    peers: list[PeerRow] = []
    peers_problem = ""
    if args.peers is not None:
        peers, peers_problem = side_by_side(args.peers, args)
    json_server = {r.op: r.rps for r in peers if r.name == "json-server"}
    tables = []
    for report in reports:
        annotate(report, json_server)
        tables.append(table(report))
    if peers:
        tables.append(peers_table(peers))
    if peers_problem:
        tables.append(f"side by side: {peers_problem}")
    print("\n\n".join(tables), flush=True)
    if not args.no_save:
        out = BENCH / "results"
        out.mkdir(exist_ok=True)
        name = f"{started:%Y%m%d-%H%M%S}-bench.json"
        data = {
            "started": started.isoformat(timespec="seconds"),
            "command": " ".join(["bench/run.py", *sys.argv[1:]]),
            "runs": [asdict(r) for r in reports],
            "side_by_side": [asdict(r) for r in peers],
            "side_by_side_problem": peers_problem,
            "tables": tables,
        }
        (out / name).write_text(json.dumps(data, indent=2) + "\n")
        log(f"wrote bench/results/{name}")


if __name__ == "__main__":
    main()
