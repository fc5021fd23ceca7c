"""The known secrets a plugin session gives partnerhub: random per session, never printed."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field

from partnerhub.services.accounts import FIRST_ACCOUNT

_TOKEN = re.compile(r"ph_[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Credentials:
    """The first account's (`default`) admin token (PARTNERHUB_BOOTSTRAP_TOKEN), its root Core
    partner's password (PARTNERHUB_BOOTSTRAP_CORE_PASSWORD) and the key secrets are encrypted
    with at rest (PARTNERHUB_SECRET_KEY)."""

    admin_token: str = field(default_factory=lambda: "ph_" + secrets.token_urlsafe(32))
    core_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    account: str = FIRST_ACCOUNT

    def environment(self) -> dict[str, str]:
        return {
            "PARTNERHUB_BOOTSTRAP_TOKEN": self.admin_token,
            "PARTNERHUB_BOOTSTRAP_CORE_PASSWORD": self.core_password,
            "PARTNERHUB_SECRET_KEY": self.secret_key,
        }

    def redact(self, text: str) -> str:
        """`text` (a server log shown on failure) without these secrets or any token."""
        for secret in (self.core_password, self.secret_key):
            text = text.replace(secret, "[redacted]")
        return _TOKEN.sub("ph_[redacted]", text)


def environment(database_url: str, credentials: Credentials) -> dict[str, str]:
    """A partnerhub command's environment: this process's without its PARTNERHUB_* settings (a
    developer's own database or Redis must be neither used nor reset), then the session's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERHUB_")}
    env.update(credentials.environment())
    env.update(
        PARTNERHUB_DATABASE_URL=database_url,
        PARTNERHUB_TEST_API="true",
        NO_COLOR="1",
        TERM="dumb",
        COLUMNS="250",
    )
    return env


def printed_token(text: str) -> str | None:
    """The one token `partnerhub tokens create` printed."""
    found = _TOKEN.findall(text)
    return found[0] if len(found) == 1 else None


def printed_login(text: str) -> str | None:
    """The root Core login a first start printed (`login: …`)."""
    found = re.search(r"^login: (\S+)$", text, re.MULTILINE)
    return found[1] if found else None
