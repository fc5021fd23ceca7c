"""Prometheus metrics (per process; scrape each worker, or sum behind the load balancer)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "partnerhub_requests_total",
            "HTTP requests",
            ["surface", "route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "partnerhub_request_duration_seconds",
            "HTTP request latency",
            ["surface", "route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "partnerhub_rate_limit_rejections_total",
            "Requests refused by a rate limit",
            ["surface"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
