"""The Core password grant's form rules (`core_oauth.password_grant`), without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from partnerhub.errors import ValidationFailed
from partnerhub.services import core_oauth

BASE = {"grant_type": "password", "username": "alice", "password": "secret-1"}


def _field(form: dict[str, str]) -> str | None:
    with pytest.raises(ValidationFailed) as raised:
        core_oauth.password_grant(form)
    [problem] = raised.value.problems
    return problem.field


def test_a_complete_form_is_a_grant() -> None:
    grant = core_oauth.password_grant(
        {**BASE, "scope": "partners.read", "name": "app", "access_token_expires_in": "60"}
    )
    assert grant == core_oauth.PasswordGrant(
        login="alice",
        password="secret-1",
        scope="partners.read",
        name="app",
        lifetime=timedelta(seconds=60),
    )


def test_defaults_and_login_alias() -> None:
    form = {"grant_type": "password", "login": "bob", "password": "pw"}
    grant = core_oauth.password_grant(form)
    assert (grant.login, grant.scope, grant.name) == ("bob", None, None)
    assert grant.lifetime == core_oauth.DEFAULT_LIFETIME
    # `username` wins over `login` when both are sent.
    assert core_oauth.password_grant({**form, "username": "carol"}).login == "carol"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({**BASE, "grant_type": "client_credentials"}, "grant_type"),
        ({"username": "alice", "password": "x"}, "grant_type"),
        ({**BASE, "username": ""}, "username"),
        ({"grant_type": "password", "password": "x"}, "username"),
        ({**BASE, "password": ""}, "password"),
        ({**BASE, "access_token_expires_in": "0"}, "access_token_expires_in"),
        ({**BASE, "access_token_expires_in": "-5"}, "access_token_expires_in"),
        ({**BASE, "access_token_expires_in": str(10**9)}, "access_token_expires_in"),
    ],
)
def test_bad_forms_name_the_field(form: dict[str, str], field: str) -> None:
    assert _field(form) == field
