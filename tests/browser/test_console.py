"""The console in a real browser, with the network cut off: sign in, find a partner with a
filter, change its status and see the cascade on its deal and the history entry, send a test
notification through an integration to a local SMTP server, create and revoke a token; scopes,
tenancy and CSRF as a browser meets them. Each step is asserted on the rendered page, and the
main pages are written as screenshots."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import served_data as data
from browser.kit import Traffic, expect
from provider_servers import SmtpServer, TlsFiles, smtp_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from partnerhub.pytest_plugin.served import Partnerhub

Shot = Callable[..., Path]
RECIPIENT = "partner.manager@example.org"


@pytest.fixture(scope="module")
def smtp(smtp_tls: TlsFiles) -> Iterator[SmtpServer]:
    with smtp_server(smtp_tls) as server:
        yield server


def _smtp_settings(server: SmtpServer) -> dict[str, str]:
    return {
        "host": "localhost",
        "port": str(server.port),
        "tls_mode": "starttls",
        "username": server.username,
        "password": server.password,
        "default_sender_email": "partners@example.com",
        "default_sender_name": "Partner Team",
        "sending_domain": "example.com",
    }


def _sign_in(page: Page, token: str) -> None:
    page.goto("/console")
    expect(page).to_have_url(re.compile(r"/console/sign-in\?next=%2Fconsole$"))
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("partnerhub console")


def _local_only(traffic: Traffic) -> None:
    assert traffic.blocked == []
    assert traffic.outside() == []


class TestPartnerTeamDay:
    def test_filter_status_cascade_history_send_test_and_tokens(
        self,
        page: Page,
        traffic: Traffic,
        partnerhub: Partnerhub,
        smtp: SmtpServer,
        screenshot: Shot,
    ) -> None:
        api = partnerhub.client()
        manager = data.manager(partnerhub, api)
        alpha = data.hood_partner(api, manager, "Alpha Hairdressing")
        data.hood_partner(api, manager, "Beta Bakery")
        deal = data.hood_deal(api, alpha)
        integration = data.hood_integration(api, "Office mail", _smtp_settings(smtp))

        # Sign in.
        _sign_in(page, partnerhub.token)
        screenshot("console-home")

        # Find the partner with a filter.
        page.get_by_role("link", name="Hood partners").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hood partners")
        expect(page.locator("#partners tbody tr")).to_have_count(2)
        page.get_by_label("Search name").fill("Alpha")
        page.get_by_role("button", name="Filter").click()
        rows = page.locator("#partners tbody tr")
        expect(rows).to_have_count(1)
        expect(page.locator(f"#partner-{alpha}")).to_contain_text("Alpha Hairdressing")
        screenshot("console-partners")

        # Change its status; the cascade shows on its deal, the change in its history.
        page.locator(f"#partner-{alpha}").get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Alpha Hairdressing")
        expect(page.locator(f"#deal-{deal} .effective-status")).to_have_text("active")
        form = page.locator("#edit-partner")
        form.get_by_label("Status", exact=True).select_option("suspended")
        form.get_by_role("button", name="Save partner").click()
        expect(page.get_by_role("status")).to_have_text("Saved.")
        expect(page.locator("#partner-status")).to_have_text("suspended")
        expect(page.locator(f"#deal-{deal} .effective-status")).to_have_text("inactive")
        change = page.locator(".timeline .change").first
        expect(change.locator(".surface")).to_have_text("console")
        expect(change.locator("tr", has_text="status").first).to_contain_text("active")
        expect(change.locator("tr", has_text="status").first).to_contain_text("suspended")
        screenshot("console-partner", full_page=True)
        deal_history = api.get(f"/v1/hood/deals/{deal}/history").json()["items"]
        assert deal_history[0]["surface"] == "console"

        # Send a test notification through the integration to the local SMTP server.
        page.goto(f"/console/hood/integrations/{integration}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Office mail")
        assert smtp.password not in page.content()
        page.get_by_label("Recipient e-mail address").fill(RECIPIENT)
        page.get_by_role("button", name="Send test").click()
        expect(page.get_by_role("status")).to_have_text("Test notification sent.")
        assert [m.rcpt_tos for m in smtp.messages] == [[RECIPIENT]]
        assert smtp.password not in page.content()
        screenshot("console-integration", full_page=True)

        # Create a token (shown once) and revoke it.
        page.get_by_role("link", name="Tokens").click()
        page.get_by_label("Name").fill("ci job")
        page.get_by_label("hood.partners.read").check()
        page.get_by_role("button", name="Create token").click()
        minted = page.locator("#minted-token")
        expect(minted).to_be_visible()
        secret = minted.inner_text().strip()
        bearer = {"Authorization": f"Bearer {secret}"}
        assert api.get("/v1/hood/partners", headers=bearer).status_code == 200
        screenshot("console-tokens", mask=[minted])
        row = page.locator("tr", has_text="ci job")
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name=re.compile("^Revoke")).click()
        expect(page.get_by_role("status")).to_have_text("Token revoked.")
        expect(page.locator("tr", has_text="ci job").locator(".state")).to_contain_text("revoked")
        assert secret not in page.content()
        assert api.get("/v1/hood/partners", headers=bearer).status_code == 401

        # The other areas' main pages.
        page.get_by_role("link", name="Core partner tree").click()
        expect(page.locator("#partner-tree")).to_be_visible()
        screenshot("console-core")
        page.get_by_role("link", name="CRM partner clients").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot("console-crm")
        page.get_by_role("link", name="CRM properties").click()
        expect(page.locator("#properties-table")).to_be_visible()
        screenshot("console-crm-properties")
        _local_only(traffic)


class TestScopesTenancyAndCsrf:
    def test_a_token_without_a_scope_sees_the_area_disabled_and_gets_403(
        self, page: Page, traffic: Traffic, partnerhub: Partnerhub, screenshot: Shot
    ) -> None:
        traffic.tolerate_console_errors(r"status of 403 \(Forbidden\)")
        api = partnerhub.client()
        alpha = data.hood_partner(api, data.manager(partnerhub, api), "Alpha Hairdressing")
        _sign_in(page, data.token(partnerhub, "hood.partners.read"))
        navigation = page.get_by_role("navigation", name="Console")
        expect(navigation.get_by_role("link")).to_have_count(1)
        expect(navigation.locator('[aria-disabled="true"]', has_text="Tokens")).to_be_visible()
        screenshot("console-read-only-home")
        response = page.goto("/console/tokens")
        assert response is not None and response.status == 403
        expect(page.get_by_role("alert")).to_contain_text("lacks the scope")
        page.goto(f"/console/hood/partners/{alpha}")
        expect(page.locator("#edit-partner")).to_have_count(0)
        csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
        posted = page.request.post(
            f"/console/hood/partners/{alpha}",
            form={"csrf": csrf or "", "name": "Renamed", "version": "1"},
            max_redirects=0,
        )
        assert posted.status == 403
        assert (
            api.get(f"/v1/hood/partners/{alpha}").json()["items"][0]["name"] == "Alpha Hairdressing"
        )

    def test_another_accounts_ids_are_unknown(
        self, page: Page, traffic: Traffic, partnerhub: Partnerhub
    ) -> None:
        traffic.tolerate_console_errors(r"status of 404 \(Not Found\)")
        other = partnerhub.client(data.account(partnerhub, "other-team"))
        theirs = data.hood_partner(other, data.manager(partnerhub, other, "other-team"), "Theirs")
        _sign_in(page, partnerhub.token)
        response = page.goto(f"/console/hood/partners/{theirs}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        assert "Theirs" not in page.content()

    def test_a_form_post_without_the_csrf_token_is_refused(
        self, page: Page, partnerhub: Partnerhub
    ) -> None:
        _sign_in(page, partnerhub.token)
        posted = page.request.post(
            "/console/tokens",
            form={"name": "forged", "scopes": "hood.partners.read"},
            max_redirects=0,
        )
        assert posted.status == 403
        assert "CSRF" in posted.text()
        page.goto("/console/tokens")
        expect(page.locator("tr", has_text="forged")).to_have_count(0)


class TestAccessibleAndNarrow:
    def test_keyboard_skip_link_and_labels(self, page: Page, partnerhub: Partnerhub) -> None:
        _sign_in(page, partnerhub.token)
        page.goto("/console/hood/partners")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Skip to content")
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert unlabelled == []

    def test_narrow_screen_has_no_sideways_scroll(
        self, page: Page, partnerhub: Partnerhub, screenshot: Shot
    ) -> None:
        api = partnerhub.client()
        data.hood_partner(api, data.manager(partnerhub, api), "Alpha Hairdressing")
        page.set_viewport_size({"width": 375, "height": 740})
        _sign_in(page, partnerhub.token)
        for path in ("/console/hood/partners", "/console/tokens", "/console"):
            page.goto(path)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, (path, overflow)
        page.goto("/console/hood/partners")
        screenshot("console-narrow", full_page=True)
