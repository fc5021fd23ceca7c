"""/docs and /redoc in a real browser with the network cut off: every file comes from the
server, the three surfaces' operations render, and Swagger UI's Authorize + Try it out sends
the bearer token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from browser import served_data as data
from browser.kit import Traffic, expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from partnerhub.pytest_plugin.served import Partnerhub

SURFACES = ("Hood", "Core", "CRM")
# One operation per surface: (tag, operationId, summary).
KNOWN = [
    ("Hood", "hood_list_partners", "List partners"),
    ("Core", "core_list_partners", "List partners (the caller and its sub-partners)"),
    ("CRM", "crm_list_partner_clients", "List partner clients"),
]
LIST_PARTNERS = "#operations-Hood-hood_list_partners"
PARTNER_NAME = "Browser Test Partner"


def _local_only(traffic: Traffic, partnerhub: Partnerhub, *expected: str) -> None:
    assert traffic.blocked == []
    assert traffic.outside() == []
    fetched = {url.removeprefix(partnerhub.base_url) for url in traffic.requests}
    assert set(expected) <= fetched, fetched


def _partner(partnerhub: Partnerhub) -> None:
    """A Hood partner (and the manager it needs) in the account the token belongs to."""
    client = partnerhub.client()
    data.hood_partner(client, data.manager(partnerhub, client), PARTNER_NAME)


class TestSwaggerUi:
    def test_renders_the_three_surfaces_offline(
        self,
        page: Page,
        traffic: Traffic,
        partnerhub: Partnerhub,
        screenshot: Callable[..., Path],
    ) -> None:
        page.goto("/docs")
        for tag in SURFACES:
            expect(page.locator(f"#operations-tag-{tag}")).to_be_visible()
        for tag, operation_id, summary in KNOWN:
            operation = page.locator(f"#operations-{tag}-{operation_id}")
            expect(operation).to_be_visible()
            expect(operation.locator(".opblock-summary-description")).to_have_text(summary)
        expect(page.locator("button.authorize").first).to_be_visible()
        screenshot("docs")
        _local_only(traffic, partnerhub, "/docs", "/openapi.json")
        assert any("/docs/assets/" in url and url.endswith(".js") for url in traffic.requests)

    def test_authorize_then_try_it_out_sends_the_bearer_token(
        self,
        page: Page,
        traffic: Traffic,
        partnerhub: Partnerhub,
        screenshot: Callable[..., Path],
    ) -> None:
        _partner(partnerhub)
        # Before Authorize the same call is refused, and the browser logs that 401.
        traffic.tolerate_console_errors(r"status of 401")
        page.goto("/docs")
        operation = page.locator(LIST_PARTNERS)
        operation.locator(".opblock-summary").click()
        operation.locator(".try-out__btn").click()
        with page.expect_response(lambda r: r.url.endswith("/v1/hood/partners")) as refused:
            operation.locator(".execute").click()
        assert refused.value.status == 401
        assert "authorization" not in refused.value.request.headers

        page.locator("button.authorize").first.click()
        bearer = page.locator(".auth-container").filter(has_text="bearerAuth")
        bearer.locator("#auth-bearer-value").fill(partnerhub.token)
        bearer.locator("button.authorize").click()
        expect(bearer.locator("button", has_text="Logout")).to_be_visible()
        page.locator(".modal-ux .btn-done").first.click()

        with page.expect_response(lambda r: r.url.endswith("/v1/hood/partners")) as answered:
            operation.locator(".execute").click()
        response = answered.value
        assert response.status == 200
        assert response.request.headers["authorization"] == f"Bearer {partnerhub.token}"
        status = operation.locator(".live-responses-table tbody .response-col_status")
        expect(status).to_have_text("200")
        expect(operation.locator(".live-responses-table .microlight").first).to_contain_text(
            PARTNER_NAME
        )
        operation.scroll_into_view_if_needed()
        # The curl line and the request's headers show the token.
        screenshot("docs-try-it-out", operation, mask=[operation.locator(".curl-command")])
        _local_only(traffic, partnerhub, "/docs", "/v1/hood/partners")


class TestRedoc:
    def test_renders_the_three_surfaces_offline(
        self,
        page: Page,
        traffic: Traffic,
        partnerhub: Partnerhub,
        screenshot: Callable[..., Path],
    ) -> None:
        page.goto("/redoc")
        for tag in SURFACES:
            expect(page.locator(f'[data-section-id="tag/{tag}"]')).to_be_attached()
            expect(page.get_by_role("menuitem", name=tag, exact=True)).to_be_visible()
        for tag, operation_id, summary in KNOWN:
            section = page.locator(f'[data-section-id="tag/{tag}/operation/{operation_id}"]')
            expect(section.locator("h2").first).to_have_text(summary)
        expect(
            page.locator('[data-section-id="tag/Hood/operation/hood_list_partners"]')
        ).to_be_visible()
        screenshot("redoc")
        _local_only(traffic, partnerhub, "/redoc", "/openapi.json")
