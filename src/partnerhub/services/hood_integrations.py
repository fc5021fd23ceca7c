"""Hood integrations: create, read, list, patch, delete, validate and test-notification.

Secret settings are encrypted with `Runtime.secrets` before they reach storage and decrypted
only to mask them or to call the provider. Validate and test-notification call the provider
outside any transaction: they read in one unit of work, call, then record the outcome in
another, so they take the `Database` rather than a unit of work.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Mapping
from typing import Any

import orjson

from partnerhub.auth.secrets import Secrets, UndecryptableSecret
from partnerhub.domain import validators
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import Changes, HistoryEntry
from partnerhub.domain.hood_integrations import (
    Integration,
    IntegrationDraft,
    IntegrationPatch,
    IntegrationView,
    TestNotification,
    effective_status,
    masked,
    merge_settings,
    settings_changes,
)
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.domain.objects import Kind
from partnerhub.domain.unset import UNSET
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound, ValidationFailed
from partnerhub.providers import Message, Provider, ProviderError, Transports
from partnerhub.services import change, history, hood_providers
from partnerhub.storage.database import Database
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = Kind.HOOD_INTEGRATION.value
TEST_SUBJECT = "partnerhub test notification"


def _now() -> Any:
    """To the second, as Hood shows and filters times (see hood_partners._now)."""
    return utcnow().replace(microsecond=0)


_provider = hood_providers.get


def fingerprint(secrets: Secrets, provider_id: str, settings: Mapping[str, str]) -> str:
    """Equal for equal (provider, settings), whatever their order."""
    return secrets.fingerprint(orjson.dumps([provider_id, dict(sorted(settings.items()))]).decode())


def _encrypted(secrets: Secrets, provider: Provider, plain: Mapping[str, str]) -> dict[str, str]:
    secret = provider.secret_fields
    return {k: secrets.encrypt(v) if k in secret else v for k, v in plain.items()}


def plain_settings(secrets: Secrets, integration: Integration) -> dict[str, str]:
    secret = _provider(integration.provider_id).secret_fields
    return {k: secrets.decrypt(v) if k in secret else v for k, v in integration.settings.items()}


def _view(secrets: Secrets, integration: Integration) -> IntegrationView:
    provider = _provider(integration.provider_id)
    shown = {
        k: masked(v) if k in provider.secret_fields else v
        for k, v in plain_settings(secrets, integration).items()
    }
    return IntegrationView(integration, shown, provider.name, provider.logo)


def _target(integration: Integration) -> change.Target:
    return change.Target(Kind.HOOD_INTEGRATION, integration.id, integration.version)


async def _locked(uow: UnitOfWork, actor: Actor, integration_id: int) -> Integration:
    found = await uow.hood_integrations.get(actor.account_id, integration_id, lock=True)
    if found is None:
        raise NotFound("integration", str(integration_id))
    return found


async def get(
    uow: UnitOfWork, actor: Actor, *, secrets: Secrets, integration_id: int
) -> IntegrationView:
    found = await uow.hood_integrations.get(actor.account_id, integration_id)
    if found is None:
        raise NotFound("integration", str(integration_id))
    return _view(secrets, found)


async def list(
    uow: UnitOfWork, actor: Actor, *, secrets: Secrets, query: ListQuery, spec: ResourceSpec
) -> tuple[int, builtins.list[IntegrationView]]:
    total, found = await uow.hood_integrations.list(actor.account_id, query, spec)
    return total, [_view(secrets, i) for i in found]


async def _clear_default(uow: UnitOfWork, actor: Actor, type: str, keep: int | None) -> None:
    """Before an integration becomes its type's default: the account's other default of that
    type stops being one. The account row is locked first, so two callers making defaults at
    once take turns (the unique index would refuse the second one's row otherwise)."""
    await uow.accounts.lock(actor.account_id)
    for other in await uow.hood_integrations.defaults(actor.account_id, type):
        if other.id != keep:
            await change.update(
                uow,
                actor,
                _target(other),
                values={"is_default": 0},
                changes={"is_default": {"old": True, "new": False}},
            )


def _created(draft: IntegrationDraft, provider: Provider, plain: Mapping[str, str]) -> Changes:
    return change.created(
        {
            "name": draft.name,
            "type": provider.type,
            "provider_id": provider.id,
            "status": draft.status,
            "is_default": draft.is_default,
            "effective_status": "inactive",
            **_settings_state(plain, provider.secret_fields),
        }
    )


def _settings_state(plain: Mapping[str, str], secret: frozenset[str]) -> dict[str, Any]:
    return {k: v["new"] for k, v in settings_changes({}, plain, secret).items()}


async def create(
    uow: UnitOfWork,
    actor: Actor,
    *,
    secrets: Secrets,
    draft: IntegrationDraft,
    id: int | None = None,
) -> IntegrationView:
    """A new integration; `id`: the id to give it (else one is issued)."""
    provider = _provider(draft.provider_id)
    plain = provider.check_settings(draft.settings)
    if draft.is_default:
        await _clear_default(uow, actor, provider.type, None)
    now = _now()
    key = await change.create(
        uow,
        actor,
        Kind.HOOD_INTEGRATION,
        {
            "name": draft.name,
            "type": provider.type,
            "provider_id": provider.id,
            "settings": _encrypted(secrets, provider, plain),
            "status": draft.status,
            "is_default": int(draft.is_default),
            "settings_fingerprint": fingerprint(secrets, provider.id, plain),
            "verified_fingerprint": None,
            "create_time": now,
            "update_time": now,
        },
        changes=_created(draft, provider, plain),
        at=now,
        key=id,
    )
    return await get(uow, actor, secrets=secrets, integration_id=int(key))


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    secrets: Secrets,
    integration_id: int,
    patch: IntegrationPatch,
    if_match: str | None = None,
) -> Integration:
    if patch.is_empty():
        raise EmptyPatch.one(None, "At least one of the updatable fields should be sent.")
    current = await _locked(uow, actor, integration_id)
    check_if_match(if_match, current.version)
    provider = _provider(current.provider_id)
    values: dict[str, Any] = {}
    changes: Changes = {}
    for name, sent in (("name", patch.name), ("status", patch.status)):
        if sent is not UNSET and sent != getattr(current, name):
            values[name] = sent
            changes[name] = {"old": getattr(current, name), "new": sent}
    fingerprint_now = current.settings_fingerprint
    if patch.settings is not UNSET:
        plain_now = plain_settings(secrets, current)
        merged = merge_settings(plain_now, patch.settings, provider.secret_fields)
        plain = provider.check_settings(merged)
        if plain != plain_now:
            fingerprint_now = fingerprint(secrets, provider.id, plain)
            values["settings"] = _encrypted(secrets, provider, plain)
            values["settings_fingerprint"] = fingerprint_now
            changes |= settings_changes(plain_now, plain, provider.secret_fields)
    if patch.is_default is not UNSET and patch.is_default != current.is_default:
        if patch.is_default:
            await _clear_default(uow, actor, current.type, current.id)
        values["is_default"] = int(patch.is_default)
        changes["is_default"] = {"old": current.is_default, "new": patch.is_default}
    after = effective_status(
        values.get("status", current.status), fingerprint_now, current.verified_fingerprint
    )
    if after != current.effective_status:
        changes["effective_status"] = {"old": current.effective_status, "new": after}
    version = await change.update(uow, actor, _target(current), values=values, changes=changes)
    return (await _locked(uow, actor, integration_id)) if version != current.version else current


async def delete(
    uow: UnitOfWork, actor: Actor, *, secrets: Secrets, integration_id: int, if_match: str | None
) -> None:
    """Ours: Ocamba documents no DELETE for integrations."""
    current = await _locked(uow, actor, integration_id)
    check_if_match(if_match, current.version)
    provider = _provider(current.provider_id)
    state = {
        "name": current.name,
        "type": current.type,
        "provider_id": current.provider_id,
        "status": current.status,
        "is_default": current.is_default,
        **_settings_state(plain_settings(secrets, current), provider.secret_fields),
    }
    await change.delete(
        uow,
        actor,
        _target(current),
        changes={k: {"old": v, "new": None} for k, v in sorted(state.items())},
    )


async def history_of(
    uow: UnitOfWork, actor: Actor, *, object_id: int, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    if await uow.hood_integrations.get(actor.account_id, object_id) is None:
        raise NotFound("integration", str(object_id))
    return await history.list(
        uow, actor, object_type=OBJECT_TYPE, object_id=object_id, limit=limit, offset=offset
    )


# Talking to the provider: outside any transaction.


async def _record_outcome(
    db: Database, actor: Actor, settings_fingerprint: str, *, passed: bool
) -> None:
    """Every integration of the account whose current settings are the ones just tried
    remembers whether they passed: only settings that passed make it effectively active."""
    async with db.transaction(write=True) as uow:
        for current in await uow.hood_integrations.with_fingerprint(
            actor.account_id, settings_fingerprint
        ):
            verified = settings_fingerprint if passed else None
            if current.verified_fingerprint == verified:
                continue
            after = effective_status(current.status, current.settings_fingerprint, verified)
            changes: Changes = {"settings_verified": {"old": not passed, "new": passed}}
            if after != current.effective_status:
                changes["effective_status"] = {"old": current.effective_status, "new": after}
            await change.update(
                uow,
                actor,
                _target(current),
                values={"verified_fingerprint": verified},
                changes=changes,
            )


async def _try(
    db: Database, actor: Actor, settings_fingerprint: str, call: Awaitable[None]
) -> None:
    try:
        await call
    except ProviderError:
        await _record_outcome(db, actor, settings_fingerprint, passed=False)
        raise
    await _record_outcome(db, actor, settings_fingerprint, passed=True)


async def validate(
    db: Database,
    actor: Actor,
    *,
    secrets: Secrets,
    transports: Transports,
    draft: IntegrationDraft,
) -> None:
    """Try the settings with the provider; nothing is stored but whether they passed."""
    provider = _provider(draft.provider_id)
    plain = provider.check_settings(draft.settings)
    await _try(
        db,
        actor,
        fingerprint(secrets, provider.id, plain),
        provider.validate(plain, transports),
    )


def _recipient(provider: Provider, recipient: str) -> str:
    if provider.type == "sms":
        return validators.phone(recipient, "recipient", max_len=validators.CONTACT_VALUE_MAX_LEN)
    return validators.email(recipient, "recipient")


async def test_notification(
    db: Database,
    actor: Actor,
    *,
    secrets: Secrets,
    transports: Transports,
    request: TestNotification,
) -> None:
    """Send one test message through a stored integration or one given inline."""
    if request.integration_id is not None:
        async with db.transaction() as uow:
            found = await uow.hood_integrations.get(actor.account_id, request.integration_id)
            if found is None:
                raise NotFound("integration", str(request.integration_id))
            plain = plain_settings(secrets, found)
        provider, name = _provider(found.provider_id), found.name
        tried = found.settings_fingerprint
    else:
        assert request.integration is not None
        provider = _provider(request.integration.provider_id)
        plain = provider.check_settings(request.integration.settings)
        name = request.integration.name
        tried = fingerprint(secrets, provider.id, plain)
    message = Message(
        recipient=_recipient(provider, request.recipient),
        body=f"This is a test notification from partnerhub, sent through the integration '{name}'.",
        subject=TEST_SUBJECT,
    )
    await _try(db, actor, tried, provider.send(plain, transports, message))


# Key rotation (CLI).

ROTATE_BATCH = 200


async def rotate_secrets(uow: UnitOfWork, *, secrets: Secrets) -> int:
    """Re-encrypt every stored secret under the current key and recompute the fingerprints
    (they are keyed too), keeping each integration's verification. How many changed."""
    changed, after = 0, 0
    while batch := await uow.hood_integrations.every(after=after, limit=ROTATE_BATCH):
        for current in batch:
            after = current.id
            provider = _provider(current.provider_id)
            settings = {
                k: secrets.rotate(v)
                if k in provider.secret_fields and secrets.needs_rotation(v)
                else v
                for k, v in current.settings.items()
            }
            plain = plain_settings(secrets, current)
            new_fingerprint = fingerprint(secrets, provider.id, plain)
            verified = current.verified_fingerprint == current.settings_fingerprint
            values = {
                "settings": settings,
                "settings_fingerprint": new_fingerprint,
                "verified_fingerprint": new_fingerprint if verified else None,
            }
            if settings == current.settings and new_fingerprint == current.settings_fingerprint:
                continue
            actor = Actor(account_id=current.account_id, token_id=None, scopes=frozenset())
            await change.update(
                uow,
                actor,
                _target(current),
                values=values,
                changes={"encryption_key": {"old": "previous", "new": "current"}},
            )
            changed += 1
    return changed


def check_stored_settings(secrets: Secrets, provider_id: Any, settings: Any, where: str) -> None:
    """Stored settings from elsewhere (an import): a known provider, and secrets that decrypt
    under the configured keys, so the integration works once imported."""
    try:
        provider = _provider(str(provider_id))
    except NotFound:
        raise ValidationFailed.one(
            f"{where}.provider_id", f"{where}.provider_id: unknown provider {provider_id!r}."
        ) from None
    if not isinstance(settings, dict):
        raise ValidationFailed.one(f"{where}.settings", f"{where}.settings must be an object.")
    for name in sorted(provider.secret_fields & settings.keys()):
        field = f"{where}.settings.{name}"
        if not isinstance(settings[name], str):
            raise ValidationFailed.one(field, f"{field} must be a string (the stored ciphertext).")
        try:
            secrets.decrypt(settings[name])
        except UndecryptableSecret:
            raise ValidationFailed.one(
                field,
                f"{field} does not decrypt under PARTNERHUB_SECRET_KEY or "
                "PARTNERHUB_SECRET_KEY_PREVIOUS: import with the secret key of the server "
                "that exported it.",
            ) from None
