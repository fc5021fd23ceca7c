"""The browser-test fixtures themselves: a request off the machine is aborted and recorded, a
page error fails the test, and a missing Chromium skips locally but fails under CI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import harness
from browser.kit import Traffic, is_loopback, require_browser

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from partnerhub.pytest_plugin.served import Partnerhub

OFF_SITE = "https://cdn.partnerhub.invalid/lib.js"  # .invalid: never a real host (RFC 2606)


class TestOfflineGuard:
    def test_off_site_request_is_blocked_and_recorded(
        self, page: Page, traffic: Traffic, partnerhub: Partnerhub
    ) -> None:
        page.goto("/healthz")
        outcome = page.evaluate(
            "url => fetch(url).then(() => 'fetched', e => 'failed: ' + e.message)", OFF_SITE
        )
        assert outcome.startswith("failed")
        assert traffic.blocked == [OFF_SITE]
        assert traffic.outside() == [OFF_SITE]
        assert f"{partnerhub.base_url}/healthz" in traffic.requests
        assert any(p.startswith("request leaving the machine") for p in traffic.problems())
        # Made on purpose: the context's own check at the end must not fail this test for it.
        traffic.blocked.clear()
        traffic.requests.remove(OFF_SITE)
        traffic.tolerate_console_errors("ERR_BLOCKED_BY_CLIENT")
        assert traffic.problems() == []

    def test_uncaught_page_error_is_recorded(self, page: Page, traffic: Traffic) -> None:
        page.goto("/healthz")
        page.evaluate("() => { setTimeout(() => { throw new Error('boom in page') }, 0) }")
        page.wait_for_timeout(200)
        assert any("boom in page" in e for e in traffic.page_errors), traffic.page_errors
        assert any(p.startswith("uncaught page error") for p in traffic.problems())
        traffic.page_errors.clear()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/docs",
        "http://127.0.0.2/",
        "http://localhost:1/x",
        "http://[::1]:8080/",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8080/0a1b",
    ],
)
def test_loopback(url: str) -> None:
    assert is_loopback(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css",
        "http://10.0.0.1/",
        "http://[2001:db8::1]/",
        "http://127.0.0.1.example/",
        "http://localhost.example/",
        "ws://example.invalid/socket",
    ],
)
def test_not_loopback(url: str) -> None:
    assert not is_loopback(url)


@pytest.mark.parametrize("in_ci", [False, True], ids=["local", "ci"])
def test_missing_chromium_skips_locally_and_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_ci: bool
) -> None:
    monkeypatch.setattr(harness, "IN_CI", in_ci)
    missing = tmp_path / "chromium"
    outcome = pytest.fail.Exception if in_ci else pytest.skip.Exception
    with pytest.raises(outcome, match=f"no Chromium at {missing}") as raised:
        require_browser(missing)
    assert ("CI needs it" in str(raised.value)) is in_ci


def test_present_chromium_is_accepted(tmp_path: Path) -> None:
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    assert require_browser(chromium) is not None
