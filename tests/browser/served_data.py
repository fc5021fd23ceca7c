"""Objects the browser tests start from, made through the served API (and CLI) as a user would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from partnerhub.pytest_plugin.credentials import printed_token

if TYPE_CHECKING:
    import httpx

    from partnerhub.pytest_plugin.served import Partnerhub


def _created(client: httpx.Client, path: str, body: dict[str, Any]) -> str:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    created: str = response.json()["id"]
    return created


def manager(partnerhub: Partnerhub, client: httpx.Client, account: str | None = None) -> str:
    """A member of the account (`partnerhub members create`), the manager partners need."""
    added = partnerhub.server.cli(
        "members",
        "create",
        "--account",
        account or partnerhub.account,
        "--name",
        "Ann Manager",
        "--email",
        "ann@partnerhub.example",
    )
    assert added.returncode == 0, added.stderr
    member: str = client.get("/v1/hood/members").json()["items"][0]["id"]
    return member


def hood_partner(client: httpx.Client, manager_id: str, name: str, **extra: Any) -> str:
    body = {"name": name, "type": ["publisher"], "status": "active", "manager_ids": [manager_id]}
    return _created(client, "/v1/hood/partners", body | extra)


def hood_deal(client: httpx.Client, partner_id: str, name: str = "Spring deal") -> str:
    body = {"name": name, "partner_id": partner_id, "base_price": 1.5, "clickthrough": True}
    return _created(client, "/v1/hood/deals", body)


def hood_integration(client: httpx.Client, name: str, settings: dict[str, str]) -> str:
    """An integration of the custom SMTP provider (1001); creating it logs in to the server."""
    return _created(
        client, "/v1/hood/integrations", {"name": name, "provider_id": "1001", "settings": settings}
    )


def token(partnerhub: Partnerhub, *scopes: str, account: str | None = None) -> str:
    """A new token of the account with `scopes` (`partnerhub tokens create`)."""
    args = ["tokens", "create", "--account", account or partnerhub.account, "--name", "browser"]
    for scope in scopes:
        args += ["--scope", scope]
    made = partnerhub.server.cli(*args)
    assert made.returncode == 0, made.stderr
    secret = printed_token(made.stdout)
    assert secret, made.stdout
    return secret


def account(partnerhub: Partnerhub, name: str) -> str:
    """A second account (`partnerhub accounts create`): its every-scope token."""
    made = partnerhub.server.cli("accounts", "create", name)
    assert made.returncode == 0, made.stderr
    secret = printed_token(made.stdout)
    assert secret, made.stdout
    return secret
