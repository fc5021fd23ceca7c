"""check_settings: schema fields only, required present, strings of 1–255 characters."""

from __future__ import annotations

from typing import Any

import pytest

from partnerhub.errors import ValidationFailed
from partnerhub.providers import REGISTRY

twilio = REGISTRY["1000"]
smtp = REGISTRY["1001"]
TWILIO = {"account_sid": "ACfXXX", "auth_token": "token", "default_phone_number": "+15005550006"}
SMTP = {
    "default_sender_email": "noreply@example.com",
    "default_sender_name": "Partner Hub",
    "username": "mailer",
    "password": "pw",
    "port": "587",
    "sending_domain": "example.com",
    "host": "smtp.example.com",
}


def problems(call: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(ValidationFailed) as err:
        call()
    return [(p.field, p.code) for p in err.value.problems]


def test_valid_settings_pass_and_unknown_fields_are_dropped() -> None:
    assert twilio.check_settings({**TWILIO, "extra": "x", "password": 5}) == TWILIO


def test_every_problem_is_reported_at_once() -> None:
    settings = {"account_sid": 12, "auth_token": ""}
    assert problems(lambda: twilio.check_settings(settings)) == [
        ("settings.account_sid", "INVALID"),
        ("settings.auth_token", "INVALID"),
        ("settings.default_phone_number", "REQUIRED"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "settings.auth_token is required."),
        (123, "settings.auth_token must be a string."),
        (["x"], "settings.auth_token must be a string."),
        ("", "settings.auth_token must be 1 to 255 characters long."),
        ("x" * 256, "settings.auth_token must be 1 to 255 characters long."),
    ],
)
def test_bad_value(value: object, message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        twilio.check_settings({**TWILIO, "auth_token": value})
    [problem] = err.value.problems
    assert (problem.field, problem.message) == ("settings.auth_token", message)


def test_255_characters_pass() -> None:
    assert twilio.check_settings({**TWILIO, "auth_token": "x" * 255})["auth_token"] == "x" * 255


def test_missing_required_field() -> None:
    settings = {k: v for k, v in TWILIO.items() if k != "account_sid"}
    assert problems(lambda: twilio.check_settings(settings)) == [
        ("settings.account_sid", "REQUIRED")
    ]


def test_optional_fields_may_be_absent_or_null() -> None:
    sendgrid = REGISTRY["1002"]
    settings = {"api_key": "SG.k", "default_sender_email": "a@example.com"}
    assert sendgrid.check_settings(settings) == settings
    assert sendgrid.check_settings({**settings, "default_sender_name": None}) == settings


def test_settings_must_be_an_object() -> None:
    assert problems(lambda: twilio.check_settings(["x"])) == [("settings", "INVALID")]  # type: ignore[arg-type]


@pytest.mark.parametrize("port", ["1", "25", "587", "65535"])
def test_smtp_port_in_range(port: str) -> None:
    assert smtp.check_settings({**SMTP, "port": port})["port"] == port


@pytest.mark.parametrize("port", ["0", "65536", "58a", " 587", "-1", "５８７"])
def test_smtp_port_out_of_range(port: str) -> None:
    assert problems(lambda: smtp.check_settings({**SMTP, "port": port})) == [
        ("settings.port", "INVALID")
    ]


@pytest.mark.parametrize("mode", ["starttls", "tls", "none"])
def test_smtp_tls_modes(mode: str) -> None:
    assert smtp.check_settings({**SMTP, "tls_mode": mode})["tls_mode"] == mode


def test_smtp_tls_mode_enum_and_port_reported_together() -> None:
    settings = {**SMTP, "tls_mode": "ssl", "port": "99999"}
    with pytest.raises(ValidationFailed) as err:
        smtp.check_settings(settings)
    assert [(p.field, p.message) for p in err.value.problems] == [
        ("settings.port", "settings.port must be a port number from 1 to 65535."),
        ("settings.tls_mode", "settings.tls_mode must be one of starttls, tls, none."),
    ]


def test_smtp_host_is_required() -> None:
    settings = {k: v for k, v in SMTP.items() if k != "host"}
    assert problems(lambda: smtp.check_settings(settings)) == [("settings.host", "REQUIRED")]
