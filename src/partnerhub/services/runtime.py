"""The long-lived parts a running server shares between requests."""

from __future__ import annotations

from dataclasses import dataclass

from partnerhub.auth.secrets import Secrets
from partnerhub.config import Settings
from partnerhub.ratelimit import RateLimiter
from partnerhub.services.accounts import TokenVerifier
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

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        db = Database.open(settings.database_url, pool_size=settings.db_pool_size)
        return cls(
            settings=settings,
            db=db,
            tokens=TokenVerifier(db, cache_seconds=settings.token_cache_seconds),
            limiter=RateLimiter(settings.redis_url),
            secrets=Secrets(
                settings.secret_key.get_secret_value(),
                settings.secret_key_previous.get_secret_value().split(","),
            ),
        )

    async def close(self) -> None:
        await self.limiter.close()
        await self.db.dispose()
