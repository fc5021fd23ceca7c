"""Hood integration wire ⇄ domain."""

from __future__ import annotations

from typing import Any

from partnerhub.domain import ids
from partnerhub.domain.hood_integrations import (
    IntegrationDraft,
    IntegrationPatch,
    IntegrationView,
    TestNotification,
)
from partnerhub.domain.unset import UNSET
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.hood.integrations.schemas import (
    HoodIntegrationCreate,
    HoodIntegrationPatch,
    HoodTestNotification,
)
from partnerhub.surfaces.hood.mapping import hood_time, select_fields, unwrap

NOT_NULLABLE = ("name", "status", "is_default", "settings")
READ_ONLY = ("provider_id", "type", "effective_status")


def _draft(data: HoodIntegrationCreate) -> IntegrationDraft:
    return IntegrationDraft(
        name=data.name,
        provider_id=data.provider_id,
        settings=data.settings,
        status=data.status,
        is_default=data.is_default,
    )


def integration_draft(body: Any) -> IntegrationDraft:
    return _draft(validate(HoodIntegrationCreate, unwrap(body)))


def integration_patch(body: Any) -> IntegrationPatch:
    raw = unwrap(body)
    for name in READ_ONLY:
        if name in raw:
            raise ValidationFailed.one(name, f"{name} cannot be changed.", "READ_ONLY")
    refuse_nulls(raw, NOT_NULLABLE)
    data = validate(HoodIntegrationPatch, raw)
    return IntegrationPatch(
        name=UNSET if data.name is None else data.name,
        status=UNSET if data.status is None else data.status,
        is_default=UNSET if data.is_default is None else data.is_default,
        settings=UNSET if data.settings is None else data.settings,
    )


def test_notification(body: Any) -> TestNotification:
    data = validate(HoodTestNotification, unwrap(body))
    return TestNotification(
        recipient=data.recipient,
        integration_id=(
            None if data.integration_id is None else ids.numeric(data.integration_id, "integration")
        ),
        integration=None if data.integration is None else _draft(data.integration),
    )


def integration_wire(
    view: IntegrationView, *, fields: tuple[str, ...] | None = None
) -> dict[str, Any]:
    i = view.integration
    wire = {
        "id": str(i.id),
        "company_id": str(i.account_id),
        "name": i.name,
        "type": i.type,
        "provider_id": i.provider_id,
        "provider": {
            "id": i.provider_id,
            "type": i.type,
            "name": view.provider_name,
            "logo": view.provider_logo,
        },
        "settings": view.settings,
        "status": i.status,
        "effective_status": i.effective_status,
        "is_default": i.is_default,
        "create_time": hood_time(i.create_time),
        "update_time": hood_time(i.update_time),
    }
    return select_fields(wire, fields)
