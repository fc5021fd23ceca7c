"""The long-lived parts a running server shares between requests."""

from __future__ import annotations

import functools
import ssl
from dataclasses import dataclass

import httpx

from partnerhub.auth.secrets import Secrets
from partnerhub.config import Settings
from partnerhub.providers import Transports
from partnerhub.ratelimit import RateLimiter
from partnerhub.services.accounts import TokenVerifier
from partnerhub.services.password_checks import PasswordChecks
from partnerhub.storage.database import Database
from partnerhub.storage.unit_of_work import UnitOfWork

__all__ = ["Runtime", "UnitOfWork"]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    tokens: TokenVerifier
    limiter: RateLimiter
    secrets: Secrets
    transports: Transports
    password_checks: PasswordChecks

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        db = Database.open(settings.database_url, pool_size=settings.db_pool_size)
        limiter = RateLimiter(settings.redis_url)
        return cls(
            settings=settings,
            db=db,
            tokens=TokenVerifier(db, cache_seconds=settings.token_cache_seconds),
            limiter=limiter,
            secrets=build_secrets(settings),
            transports=build_transports(settings),
            password_checks=PasswordChecks(
                db,
                limiter,
                cache_seconds=settings.login_cache_seconds,
                per_second=settings.password_checks_per_second,
                per_client_per_minute=settings.password_checks_per_client_per_minute,
                refusal_delay_seconds=settings.password_check_refusal_delay_seconds,
            ),
        )

    async def forget_caches(self) -> None:
        """Forget what this worker trusts without asking the database: verified tokens, checked
        Core logins, rate-limit counters (memory; on Redis the shared ones). After a reset or a
        restore of the data underneath them (the test-control API)."""
        self.tokens.forget_all()
        self.password_checks.forget_all()
        await self.limiter.reset()

    async def close(self) -> None:
        self.password_checks.close()
        await self.transports.http.aclose()
        await self.limiter.close()
        await self.db.dispose()


def build_secrets(settings: Settings) -> Secrets:
    return Secrets(
        settings.secret_key.get_secret_value(),
        settings.secret_key_previous.get_secret_value().split(","),
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verification context, built once per process: loading the CA bundle
    is ~20 ms, paid by every Runtime otherwise (each test's app builds one)."""
    return httpx.create_ssl_context()


def build_transports(settings: Settings) -> Transports:
    timeout = settings.provider_timeout_seconds
    return Transports(
        http=httpx.AsyncClient(timeout=timeout, follow_redirects=False, verify=_tls_context()),
        timeout=timeout,
        base_urls={
            "twilio": settings.provider_twilio_base_url,
            "sendgrid": settings.provider_sendgrid_base_url,
            "mailgun": settings.provider_mailgun_base_url,
        },
        smtp_ca_file=settings.smtp_ca_file,
    )
