"""Hood rate limits as a client of a real server sees them: tier C allows 10 requests per second;
the 11th gets 429 with Retry-After and the Hood envelope, and no X-RateLimit-* headers.

Once on a one-worker server counting in memory, once on a two-worker server counting in Redis,
where the requests go over separate connections so both workers serve them and still draw from
one budget. Each test makes its own account, so its windows start with its first request.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from contextlib import ExitStack

import httpx
import pytest
from compat_servers import Server

LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def after_second_boundary() -> None:
    time.sleep(1 - time.time() % 1 + 0.01)


def burst(
    server: Server, prefix: str, path: str, *, fresh_connections: bool
) -> tuple[list[httpx.Response], Counter[int]]:
    """A new tier-C account's 11 sequential requests, as fast as possible, from just after a
    whole second; and the statuses of every attempt's answers.

    Connections are opened beforehand (one per request when `fresh_connections`, one after
    another so the kernel spreads them over the workers) with /healthz, which spends no budget.
    On a machine so loaded that the 11 requests span most of a second, the window under test,
    the burst is repeated with another new account (at most three attempts).
    """
    statuses: Counter[int] = Counter()
    for _ in range(3):
        account = server.create_account(prefix)
        with ExitStack() as stack:
            clients = [stack.enter_context(server.client(account.token))]
            if fresh_connections:
                clients += [stack.enter_context(server.client(account.token)) for _ in range(10)]
            for client in clients:
                assert client.get("/healthz").status_code == 200
            after_second_boundary()
            started = time.monotonic()
            answers = [clients[i % len(clients)].get(path) for i in range(11)]
            elapsed = time.monotonic() - started
        statuses.update(a.status_code for a in answers)
        if elapsed < 0.8:
            return answers, statuses
    pytest.fail(f"11 requests never fitted in one second (last burst: {elapsed:.2f} s)")


def check_burst(answers: list[httpx.Response]) -> None:
    allowed, refused = answers[:10], answers[10]
    assert [a.status_code for a in allowed] == [200] * 10, [a.text for a in allowed]
    for answer in allowed:
        assert answer.headers["x-ratelimit-limit"] == "10"
        # The 1 s window is nearest exhaustion; it resets within the second.
        assert answer.headers["x-ratelimit-reset"] == "1"
    assert [int(a.headers["x-ratelimit-remaining"]) for a in allowed] == list(range(9, -1, -1))

    assert refused.status_code == 429, refused.text
    retry_after = refused.headers["retry-after"]
    assert re.fullmatch(r"[0-9]+", retry_after) and int(retry_after) >= 1, retry_after
    assert not [h for h in LIMIT_HEADERS if h in refused.headers], refused.headers
    body = refused.json()
    assert body["code"] == 429
    assert body["title"] and body["message"]
    assert body["trace_id"] == refused.headers["x-request-id"]


def test_eleventh_request_in_a_second_memory_backend(sqlite_server: Server) -> None:
    server = sqlite_server
    labels = {"surface": "hood"}
    (before,) = server.metric_values("partnerhub_rate_limit_rejections_total", 1, **labels)

    answers, statuses = burst(server, "rl-memory", "/v1/hood/partners", fresh_connections=False)

    check_burst(answers)
    (after,) = server.metric_values("partnerhub_rate_limit_rejections_total", 1, **labels)
    assert after == before + statuses[429]


def test_eleventh_request_in_a_second_redis_two_workers(pg_redis_server: Server) -> None:
    server = pg_redis_server

    answers, statuses = burst(server, "rl-redis", "/v1/hood/members", fresh_connections=True)

    check_burst(answers)
    # One budget across workers: both served some of the allowed requests (each worker counts
    # its own, so a count strictly between 0 and the total proves the other served the rest).
    seen = server.metric_values(
        "partnerhub_requests_total", 6, route="/v1/hood/members", method="GET", status="200"
    )
    assert any(0 < value < statuses[200] for value in seen), f"one worker served all: {seen}"
