"""Hood integration wire models: they validate integration bodies and describe them in OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from partnerhub.domain import validators
from partnerhub.surfaces.common.validation import custom_error, rule
from partnerhub.surfaces.hood.schemas import HoodIn

Status = Literal["active", "inactive"]
Name = Annotated[str, rule(validators.column_text("hood_integrations", "name"))]


def _provider_id(value: Any, field: str) -> str:
    """A provider id as Ocamba's examples send it: a digit string, or the same as a number."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**18:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return value
    raise custom_error(f"{field} must be a provider id (a digit string; see GET /providers).")


ProviderId = Annotated[Any, rule(_provider_id)]
Settings = Annotated[
    dict[str, Any],
    Field(description="the provider's settings (GET /providers); others are dropped"),
]


class HoodIntegrationCreate(HoodIn):
    name: Name
    provider_id: ProviderId
    settings: Settings
    status: Status = "active"
    is_default: bool = Field(False, description="the account's default of its type (one each)")


class HoodIntegrationPatch(HoodIn):
    name: Name | None = None
    status: Status | None = None
    is_default: bool | None = None
    settings: Settings | None = Field(
        None,
        description="merged key by key; null removes a key; a secret sent back masked is kept",
    )


class HoodTestNotification(HoodIn):
    integration: HoodIntegrationCreate | None = None
    integration_id: str | None = Field(None, description="a stored integration instead")
    recipient: str = Field(description="a phone number (sms) or an e-mail address (email)")

    @model_validator(mode="after")
    def _one_integration(self) -> HoodTestNotification:
        if (self.integration is None) == (self.integration_id is None):
            raise custom_error("exactly one of integration and integration_id must be sent.")
        return self


# Responses (documentation only).


class HoodIntegrationProvider(BaseModel):
    id: str
    type: Literal["sms", "email"]
    name: str
    logo: str | None


class HoodIntegration(BaseModel):
    id: str
    company_id: str
    name: str
    type: Literal["sms", "email"]
    provider_id: str
    provider: HoodIntegrationProvider
    settings: dict[str, str] = Field(description="secret values masked: **** and the last 4")
    status: Status
    effective_status: Status = Field(
        description="active once the current settings passed validate or test-notification"
    )
    is_default: bool
    create_time: str
    update_time: str


class HoodIntegrationList(BaseModel):
    total: int
    items: list[HoodIntegration]
