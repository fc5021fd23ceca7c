"""The provider plugin base: the registry is code and a provider declares its settings schema,
secret fields included. The real providers are tested in tests/providers/."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import FrozenInstanceError

import httpx
import pytest

from partnerhub import providers
from partnerhub.errors import NotFound
from partnerhub.providers import Message, Provider, ProviderError, SettingField, Transports


class Echo(Provider):
    id = "9999"
    type = "sms"
    name = "echo"
    settings_schema = (
        SettingField("account", "Account"),
        SettingField("token", "Token", secret=True),
        SettingField("legacy", "Legacy", required=False, deprecated=True),
    )

    def __init__(self) -> None:
        self.sent: list[Message] = []

    async def validate(self, settings: Mapping[str, str], transports: Transports) -> None:
        if settings.get("token") != "good":
            raise ProviderError("The provider refused the token.", field="settings.token")

    async def send(
        self, settings: Mapping[str, str], transports: Transports, message: Message
    ) -> None:
        self.sent.append(message)


@pytest.fixture
def registered() -> Iterator[Echo]:
    echo = Echo()
    providers.REGISTRY[echo.id] = echo
    yield echo
    del providers.REGISTRY[echo.id]


def test_registry_is_keyed_by_provider_id() -> None:
    assert all(provider_id == p.id for provider_id, p in providers.REGISTRY.items())
    assert providers.all() == list(providers.REGISTRY.values())


def test_unknown_provider_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        providers.get("999")
    assert caught.value.message == "Unknown provider id."


def test_registered_provider_is_found(registered: Echo) -> None:
    assert providers.get("9999") is registered
    assert providers.all()[-1] is registered


def test_setting_field_defaults_and_immutability() -> None:
    field = SettingField("auth_token", "Auth token")
    assert (field.type, field.required, field.secret, field.deprecated) == (
        "string",
        True,
        False,
        False,
    )
    with pytest.raises(FrozenInstanceError):
        field.secret = True  # type: ignore[misc]


def test_secret_fields_come_from_the_schema() -> None:
    assert Echo().secret_fields == frozenset({"token"})


def test_provider_without_validate_and_send_cannot_exist() -> None:
    class Half(Provider):
        id, type, name = "1", "email", "half"

    with pytest.raises(TypeError):
        Half()  # type: ignore[abstract]


async def test_validate_and_send(registered: Echo) -> None:
    async with httpx.AsyncClient() as client:
        transports = Transports(http=client, timeout=1.0, base_urls={})
        with pytest.raises(ProviderError) as caught:
            await registered.validate({"account": "a", "token": "bad"}, transports)
        assert caught.value.status == 400
        await registered.validate({"account": "a", "token": "good"}, transports)
        await registered.send({}, transports, Message("+38163000000", "hello"))
    assert registered.sent == [Message("+38163000000", "hello")]
