"""Runtime.secrets: authenticated encryption of integration secrets, keys rotated without a
flag day."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from partnerhub.auth.secrets import Secrets, UndecryptableSecret
from partnerhub.config import Settings
from partnerhub.errors import DomainError
from partnerhub.services.runtime import Runtime

OLD, NEW = "old-key-4f0c1d9e", "new-key-8a27b3c5"
VALUE = "auth-token-0123456789abcdef"


def flip_one_byte(token: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[-40] ^= 1  # inside the ciphertext, under the HMAC
    return base64.urlsafe_b64encode(bytes(raw)).decode()


def test_round_trip() -> None:
    secrets = Secrets(NEW)
    token = secrets.encrypt(VALUE)
    assert VALUE not in token
    assert secrets.decrypt(token) == VALUE
    assert secrets.encrypt(VALUE) != token  # a fresh IV each time


def test_the_same_key_decrypts_in_another_process() -> None:
    assert Secrets(NEW).decrypt(Secrets(NEW).encrypt(VALUE)) == VALUE


def test_tamper_is_detected() -> None:
    secrets = Secrets(NEW)
    with pytest.raises(UndecryptableSecret) as caught:
        secrets.decrypt(flip_one_byte(secrets.encrypt(VALUE)))
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize("garbage", ["", "not a token", "é", "gAAAAA"])
def test_garbage_is_undecryptable(garbage: str) -> None:
    with pytest.raises(UndecryptableSecret):
        Secrets(NEW).decrypt(garbage)


def test_previous_key_still_decrypts_after_rotation_of_keys() -> None:
    token = Secrets(OLD).encrypt(VALUE)
    rotated = Secrets(NEW, previous=[OLD])
    assert rotated.decrypt(token) == VALUE
    assert rotated.needs_rotation(token)


def test_rotate_re_encrypts_under_the_new_key() -> None:
    token = Secrets(OLD).encrypt(VALUE)
    new_token = Secrets(NEW, previous=[OLD]).rotate(token)
    assert Secrets(NEW).decrypt(new_token) == VALUE  # the old key is no longer needed
    assert not Secrets(NEW, previous=[OLD]).needs_rotation(new_token)
    with pytest.raises(UndecryptableSecret):
        Secrets(OLD).decrypt(new_token)


def test_unknown_key_fails_without_showing_the_value() -> None:
    token = Secrets("some-other-deployment").encrypt(VALUE)
    secrets = Secrets(NEW, previous=[OLD])
    for attempt in (secrets.decrypt, secrets.rotate, secrets.needs_rotation):
        with pytest.raises(UndecryptableSecret) as caught:
            attempt(token)
        assert VALUE not in str(caught.value)
        assert token not in str(caught.value)
        assert caught.value.__cause__ is None


def test_repr_holds_no_secret() -> None:
    secrets = Secrets(NEW, previous=[OLD])
    shown = repr(secrets) + str(secrets)
    assert NEW not in shown
    assert OLD not in shown


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Secrets("")


async def test_runtime_splits_previous_keys(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        secret_key=NEW,  # type: ignore[arg-type]
        secret_key_previous=f" {OLD} , ,other",  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]
    )
    runtime = Runtime.build(settings)
    assert runtime.secrets.decrypt(Secrets(OLD).encrypt(VALUE)) == VALUE
    assert runtime.secrets.decrypt(Secrets("other").encrypt(VALUE)) == VALUE
    assert Secrets(NEW).decrypt(runtime.secrets.encrypt(VALUE)) == VALUE
    assert NEW not in repr(runtime)
    assert OLD not in repr(runtime)
    await runtime.close()
