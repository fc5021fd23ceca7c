"""Settings, read from PARTNERHUB_* environment variables and a `.env` file.

A Settings object is built once at the edge (CLI, tests) and passed in; nothing reads it globally.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

HoodTier = Literal["A", "B", "C", "D", "E"]
DEV_SECRET_KEY = "change-me-partnerhub-secret"  # noqa: S105  public; serve refuses it on PostgreSQL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PARTNERHUB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        "sqlite:///partnerhub.db",
        description="sqlite:///path.db (default) or postgresql://user@host:port/db",
    )
    redis_url: str | None = Field(
        None, description="redis://host:port/db; shares rate-limit budgets across workers and hosts"
    )
    host: str = Field("127.0.0.1", description="address to listen on")
    port: int = Field(8080, description="port to listen on")
    workers: int = Field(1, ge=1, description="worker processes")
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY),
        description="encrypts stored integration secrets; the same on every worker and host",
    )
    secret_key_previous: SecretStr = Field(
        SecretStr(""),
        description="earlier secret keys, comma-separated: still decrypt while rotating",
    )
    allow_dev_secret_key: bool = Field(
        False, description="let serve start on PostgreSQL with the development secret key"
    )
    bootstrap_token: SecretStr | None = Field(
        None,
        description="serve's first start on an empty database: the first account's token "
        "(ph_ and 32+ URL-safe characters; every scope and partnerhub.admin) instead of a "
        "random one; ignored once the database has accounts",
    )
    bootstrap_core_password: SecretStr | None = Field(
        None,
        description="serve's first start on an empty database: the first account's root Core "
        "partner password (8 to 128 characters) instead of a random one; ignored once the "
        "database has accounts",
    )
    log_level: str = Field("info", description="debug, info, warning or error")
    db_pool_size: int = Field(10, ge=1, description="database connections per worker")
    token_cache_seconds: float = Field(
        2.0, ge=0, description="how long a verified token is trusted before it is looked up again"
    )
    login_cache_seconds: float = Field(
        10.0,
        ge=0,
        description="how long a checked Core login and password are trusted on a worker "
        "(HTTP Basic, POST /oauth/token) before the password is verified again",
    )
    password_checks_per_second: int = Field(
        10,
        ge=1,
        description="password verifications per second for the whole deployment (per worker "
        "without Redis); beyond it 429",
    )
    password_checks_per_client_per_minute: int = Field(
        60, ge=1, description="password verifications per client address and minute"
    )
    password_check_refusal_delay_seconds: float = Field(
        1.0,
        ge=0,
        le=10,
        description="how long a password check refused by its budget is held before the 429",
    )
    hood_default_tier: HoodTier = Field("C", description="Hood rate-limit tier of new accounts")
    core_rate_per_minute: int = Field(
        600, ge=1, description="Core rate limit per account and minute (CarrierX documents none)"
    )
    max_body_bytes: int = Field(1_048_576, ge=1024, description="larger request bodies get 413")
    crm_rate_per_10s: int = Field(
        190, ge=1, description="CRM requests per account per rolling 10 s (HubSpot's default)"
    )
    crm_rate_per_day: int = Field(650_000, ge=1, description="CRM requests per account per day")
    crm_search_per_second: int = Field(
        5, ge=1, description="CRM search requests per account per second"
    )
    provider_timeout_seconds: float = Field(
        10, gt=0, description="timeout of every provider call (HTTP and SMTP), in seconds"
    )
    provider_twilio_base_url: str = Field(
        "https://api.twilio.com", description="Twilio REST API base URL (tests: a local server)"
    )
    provider_sendgrid_base_url: str = Field(
        "https://api.sendgrid.com", description="SendGrid v3 API base URL (tests: a local server)"
    )
    provider_mailgun_base_url: str = Field(
        "https://api.mailgun.net",
        description="Mailgun v3 API base URL (https://api.eu.mailgun.net for EU domains)",
    )
    smtp_ca_file: str | None = Field(
        None, description="extra CA bundle (PEM) trusted for SMTP TLS, e.g. a private CA"
    )

    test_api: bool = Field(
        False,
        description="serve the test-control API under /_partnerhub/test (reset, snapshots, "
        "request journal, faults) for admin tokens; never in production",
    )
    test_journal_size: int = Field(
        1000, ge=1, le=1_000_000, description="requests the test-control journal keeps"
    )
    test_snapshot_max_bytes: int = Field(
        67_108_864, ge=1024, description="largest snapshot file the test-control API accepts"
    )

    public_url: str | None = Field(
        None,
        description="the server's public origin (https://api.example.com): redirects and "
        "Core pagination links use it; unset, they use the server's own address, never the "
        "client's Host header",
    )
    trusted_proxies: str = Field(
        "",
        description="addresses or networks (comma-separated) whose X-Forwarded-For/-Proto "
        "are believed; none by default",
    )
    event_loop: Literal["auto", "asyncio", "uvloop"] = Field(
        "auto",
        description="the server's event loop; auto: asyncio's on SQLite without Redis, uvloop "
        "when PostgreSQL or Redis is in use",
    )
    keep_alive_timeout_seconds: int = Field(
        5, gt=0, description="an idle keep-alive connection is closed after this long"
    )
    header_timeout_seconds: float = Field(
        10,
        gt=0,
        description="a new connection's request line and headers must arrive within this long",
    )
    body_timeout_seconds: float = Field(
        60, gt=0, description="a request body must arrive within this long of its headers"
    )

    @field_validator("public_url")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("public_url must be an http(s) URL such as https://api.example.com")
        if parts.path.strip("/") or parts.query or parts.fragment:
            raise ValueError("public_url is an origin only: no path, query or fragment")
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def server_event_loop(self) -> Literal["asyncio", "uvloop"]:
        """asyncio's loop serves the connections of a busy worker in turn (uvloop left some
        waiting: p99 1 s on SQLite list pages) at the same speed when the hot path does no
        network I/O; with PostgreSQL or Redis on it, uvloop's faster I/O wins (Hood GET with
        two workers on PostgreSQL: 1,457 req/s on uvloop, 594 on asyncio). README "Performance"."""
        if self.event_loop != "auto":
            return self.event_loop
        network = self.redis_url is not None or not self.database_url.startswith("sqlite")
        return "uvloop" if network else "asyncio"

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [item.strip() for item in self.trusted_proxies.split(",") if item.strip()]

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql", "postgres"))
