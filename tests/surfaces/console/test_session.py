"""Signing in and out of the console: the cookie, CSRF, and what a lapsed session gets."""

from __future__ import annotations

import re

from harness import World
from partnerhub.auth.scopes import ALL_SCOPES
from surfaces.console.kit import Console, SignIn, browser, csrf_of, text_of


class TestSignIn:
    async def test_without_session_pages_send_to_sign_in(self, world: World) -> None:
        response = await world.client.get("/console/tokens")
        assert response.status_code == 303
        assert response.headers["location"] == "/console/sign-in?next=%2Fconsole%2Ftokens"

    async def test_session_cookie_is_httponly_strict_and_holds_no_token(self, world: World) -> None:
        async with browser(world) as client:
            form = await client.get("/console/sign-in")
            response = await client.post(
                "/console/sign-in",
                data={"csrf": csrf_of(form.text), "token": world.alice.token, "next": "/console"},
            )
        assert response.status_code == 303
        cookie = next(
            c
            for c in response.headers.get_list("set-cookie")
            if c.startswith("partnerhub_console=")
        )
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert "Path=/console" in cookie
        assert world.alice.token not in cookie

    async def test_wrong_token_is_refused_on_the_form(self, world: World) -> None:
        async with browser(world) as client:
            form = await client.get("/console/sign-in")
            response = await client.post(
                "/console/sign-in", data={"csrf": csrf_of(form.text), "token": "ph_" + "x" * 40}
            )
            assert response.status_code == 401
            assert "This token is not valid" in text_of(response.text)
            assert (await client.get("/console")).status_code == 303

    async def test_sign_in_without_csrf_is_refused(self, world: World) -> None:
        async with browser(world) as client:
            await client.get("/console/sign-in")
            response = await client.post("/console/sign-in", data={"token": world.alice.token})
            assert response.status_code == 403
            assert "CSRF" in text_of(response.text)
            assert "partnerhub_console=" not in response.headers.get("set-cookie", "")

    async def test_next_never_leaves_the_console(self, world: World) -> None:
        async with browser(world) as client:
            for target in ("https://evil.example/", "//evil.example", "/v1/hood/partners"):
                form = await client.get("/console/sign-in")
                response = await client.post(
                    "/console/sign-in",
                    data={"csrf": csrf_of(form.text), "token": world.alice.token, "next": target},
                )
                assert response.headers["location"] == "/console"

    async def test_altered_cookie_is_no_session(self, world: World) -> None:
        async with browser(world) as client:
            client.cookies.set("partnerhub_console", "gAAAAA" + "A" * 100, path="/console")
            assert (await client.get("/console")).status_code == 303

    async def test_revoked_token_ends_the_session(self, world: World, console_as: SignIn) -> None:
        token = await world.token(world.alice, list(ALL_SCOPES))
        console = await console_as(token)
        assert (await console.get("/console")).status_code == 200
        page = await console.get("/console/tokens")
        token_id = max(int(i) for i in re.findall(r'id="token-(\d+)"', page.text))
        assert (await console.post(f"/console/tokens/{token_id}/revoke")).status_code == 303
        assert (await console.get("/console")).status_code == 303


class TestSignOut:
    async def test_sign_out_forgets_the_session(self, console: Console) -> None:
        response = await console.post("/console/sign-out")
        assert response.status_code == 303
        assert (await console.get("/console")).status_code == 303

    async def test_sign_out_without_csrf_is_refused(self, console: Console) -> None:
        response = await console.post("/console/sign-out", csrf=False)
        assert response.status_code == 403
        assert (await console.get("/console")).status_code == 200


class TestPages:
    async def test_pages_forbid_framing_and_outside_sources(self, console: Console) -> None:
        response = await console.get("/console")
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        assert "http://" not in response.text and "https://" not in response.text

    async def test_home_lists_areas_by_scope(self, world: World, console_as: SignIn) -> None:
        token = await world.token(world.alice, ["hood.partners.read"])
        console = await console_as(token)
        text = text_of((await console.get("/console")).text)
        assert "Hood partners (read only)" in text
        assert "Tokens — needs the scope oauth.manage" in text

    async def test_unknown_console_path_is_the_console_404(self, console: Console) -> None:
        response = await console.get("/console/nothing-here")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")

    async def test_form_that_is_not_a_form_is_415(self, console: Console) -> None:
        response = await console.client.post(
            "/console/tokens",
            content=b'{"name": "x"}',
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 415

    async def test_nul_in_a_form_is_refused(self, console: Console) -> None:
        response = await console.post(
            "/console/tokens", {"name": "a\x00b", "scopes": "hood.partners.read"}
        )
        assert response.status_code == 422
        assert "must not contain NUL" in text_of(response.text)

    async def test_form_that_is_not_utf8_is_refused(self, console: Console) -> None:
        response = await console.client.post(
            "/console/tokens",
            content=b"csrf=" + console.csrf.encode() + b"&name=%ff",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 400
