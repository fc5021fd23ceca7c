"""Hood partner wire models: they validate partner bodies and describe them in OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from partnerhub.domain import validators
from partnerhub.domain.hood_partners import MAX_CONTACTS, MAX_MANAGERS, TYPES
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import rule
from partnerhub.surfaces.hood.contacts.schemas import HoodContact, HoodContactIn
from partnerhub.surfaces.hood.schemas import HoodIn

Status = Literal["active", "inactive", "pending", "suspended", "terminated"]
PartnerType = Literal["advertiser", "publisher"]
Name = Annotated[str, rule(validators.column_text("hood_partners", "name"))]
Description = Annotated[
    str, rule(lambda v, f: validators.short_text(v, f, max_len=2000, min_len=0))
]
Text255 = Annotated[str, rule(lambda v, f: validators.short_text(v, f, max_len=255))]
Country = Annotated[str, rule(validators.country_alpha2)]
Email = Annotated[str, rule(validators.email)]
Phone = Annotated[str, rule(lambda v, f: validators.contact_value("phone", v, f))]
Website = Annotated[str, rule(validators.website)]


def _member_id(value: Any, field: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return value
    raise ValidationFailed.one(field, f"{field} must hold member ids (digit strings).")


MemberId = Annotated[Any, rule(_member_id)]


class HoodPaymentTerms(HoodIn):
    payment_frequency: Literal["monthly", "quarterly", "annually"] | None = None
    payment_method: Literal["bank-transfer", "card", "paypal"] | None = None
    net_terms: Literal["net30", "net45", "net60", "net90"] | None = None
    currency_code: Literal["usd", "eur"] | None = None


class HoodBillingAddress(HoodIn):
    street: Text255 | None = None
    city: Text255 | None = None
    post_code: Text255 | None = Field(None, description="`postal_code` is accepted too")
    postal_code: Text255 | None = Field(None, description="alias of post_code (input only)")
    country: Country | None = Field(None, description="ISO 3166-1 alpha-2, any case in")

    def normalized(self) -> dict[str, str | None]:
        values = self.model_dump(exclude_unset=True)
        if "postal_code" in values:
            values.setdefault("post_code", values.pop("postal_code"))
        return values


class HoodLegacyContact(HoodIn):
    """One value per contact type (the older `contact` object)."""

    email: Email | None = None
    phone: Phone | None = None
    mobile: Phone | None = None
    skype: Text255 | None = None
    sip: Text255 | None = None
    website: Website | None = None


class HoodPartnerCreate(HoodIn):
    name: Name
    description: Description | None = None
    type: Annotated[list[PartnerType], Field(min_length=1, max_length=len(TYPES))]
    status: Status
    manager_ids: Annotated[list[MemberId], Field(min_length=1, max_length=MAX_MANAGERS)]
    payment_terms: HoodPaymentTerms | None = None
    billing_address: HoodBillingAddress | None = None
    contact: HoodLegacyContact | None = None
    contacts: Annotated[list[HoodContactIn], Field(max_length=MAX_CONTACTS)] | None = None


class HoodPartnerPatch(HoodIn):
    name: Name | None = None
    description: Description | None = None
    status: Status | None = None
    manager_ids: Annotated[list[MemberId], Field(min_length=1, max_length=MAX_MANAGERS)] | None = (
        None
    )
    payment_terms: HoodPaymentTerms | None = None
    billing_address: HoodBillingAddress | None = None
    contact: HoodLegacyContact | None = None
    # Declared so that sending them is a 400 naming the field (not silently dropped):
    # `type` is create-only and `archived` changes only through /archive and /unarchive.
    type: list[PartnerType] | None = None
    archived: int | None = None


# Responses (documentation only).


class HoodManager(BaseModel):
    id: str
    name: str
    email: str
    status: str


class HoodPartner(BaseModel):
    id: str
    company_id: str
    name: str
    description: str | None = None
    type: list[PartnerType]
    status: Status
    manager_ids: list[str]
    managers: list[HoodManager]
    payment_terms: dict[str, str] | None = None
    billing_address: dict[str, str] | None = None
    contact: dict[str, str] | None = None
    contacts: list[HoodContact] | None = None
    archived: int
    system: int
    create_time: str = Field(examples=["2024-09-19 10:40:36"])
    update_time: str


class HoodPartnerList(BaseModel):
    total: int
    items: list[HoodPartner]
