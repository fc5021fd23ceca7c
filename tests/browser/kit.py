"""Building blocks of the browser tests (fixtures in conftest.py): the system Chromium, what a
browser context asked the network for, and where screenshots go."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from harness import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import PlaywrightContextManager, expect
else:
    try:
        from playwright.sync_api import expect
    except ImportError:  # the `browser` fixture then skips (fails under CI) with the reason
        expect = None

__all__ = ["expect"]

# Debian's `chromium` (.ci/run installs it); Playwright's own browser downloads are never used.
CHROMIUM = Path(os.environ.get("PARTNERHUB_CHROMIUM") or "/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("PARTNERHUB_SCREENSHOTS") or Path(__file__).resolve().parent / "screenshots"
)
LAUNCH_ARGS = [
    # As root in a container Chromium's sandbox cannot start; /dev/shm there is often 64 MB.
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    # Besides the context's route (which aborts the pages' requests): no host but loopback
    # resolves (IP literals included), so not even the browser's own traffic could leave.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE [::1]",
]
# Schemes that never reach a network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome-error"})
SCREENSHOT_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def is_loopback(url: str) -> bool:
    """True for a URL that stays on this machine: 127.0.0.0/8, [::1], localhost, or a scheme
    without a network (data:, blob:)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Traffic:
    """What one browser context did: every request its pages attempted (URLs, in order), those
    aborted because they would have left the machine, uncaught page errors and console errors.
    The context fixture fails the test if `problems()` is not empty when it closes."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    _tolerated: list[re.Pattern[str]] = field(default_factory=list)

    def tolerate_console_errors(self, *patterns: str) -> None:
        """Console errors matching one of `patterns` (regular expressions) are expected: the
        browser logs one for every 4xx answer to fetch(), say."""
        self._tolerated += [re.compile(p) for p in patterns]

    def outside(self) -> list[str]:
        """Requests that were not to this machine (all of them blocked)."""
        return [url for url in self.requests if not is_loopback(url)] + [
            url for url in self.blocked if url not in self.requests
        ]

    def unexpected_console_errors(self) -> list[str]:
        return [
            text for text in self.console_errors if not any(p.search(text) for p in self._tolerated)
        ]

    def problems(self) -> list[str]:
        found = [f"request leaving the machine: {url}" for url in self.outside()]
        found += [f"uncaught page error: {text}" for text in self.page_errors]
        found += [f"console error: {text}" for text in self.unexpected_console_errors()]
        return found


def require_browser(chromium: Path = CHROMIUM) -> PlaywrightContextManager:
    """Playwright's sync entry point, once Playwright and `chromium` are known to be there;
    otherwise the test skips with the reason (fails under CI=true)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    if not chromium.is_file():
        unavailable(f"no Chromium at {chromium} (apt-get install chromium)")
    return sync_playwright()


def screenshot_path(name: str) -> Path:
    if not SCREENSHOT_NAME.fullmatch(name):
        raise ValueError(f"screenshot name {name!r}: lower-case letters, digits, '.', '_', '-'")
    return SCREENSHOTS / f"{name}.png"
