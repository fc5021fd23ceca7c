"""Core wire models: they validate request bodies (unknown fields → 422) and describe every
body in OpenAPI. Validation rules come from `partnerhub.domain` through `rule(...)`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from partnerhub.domain import bounds, ids, validators
from partnerhub.domain import core_partners as rules
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import rule


def _text(column: str, min_len: int = 0) -> Any:
    return rule(validators.column_text("core_partners", column, min_len=min_len))


def _length(column: str) -> int:
    return bounds.length("core_partners", column)


Name = Annotated[str, _text("name", min_len=1)]
Email = Annotated[str, rule(validators.email)]
Emails = Annotated[
    str, rule(lambda v, f: validators.emails(v, f, max_len=_length("billing_email")))
]
Phone = Annotated[str, rule(lambda v, f: validators.phone(v, f, max_len=_length("phonenumber")))]
Country = Annotated[str, rule(validators.country_alpha3)]
Money = Annotated[Any, rule(rules.money)]
Login = Annotated[str, rule(rules.login)]
Password = Annotated[
    str, Field(min_length=rules.PASSWORD_MIN_CHARS, max_length=rules.PASSWORD_MAX_CHARS)
]
PaymentType = Literal["prepay", "postpay"]
Direction = Literal["any", "inbound", "outbound", "undirected"]
SmsAction = Literal["accept", "reject"]
VoiceAction = Literal["accept", "reject403", "reject503"]


def _rule_sid(value: Any, field: str) -> str:
    sid = ids.secure_id(value)
    if sid is None:
        raise ValidationFailed.one(
            field, f"{field} must be an access control rule secure id (UUID)."
        )
    return sid


def _callbacks(value: dict[str, Any], field: str) -> dict[str, Any]:
    for name, url in value.items():
        if name not in rules.CALLBACK_NAMES:
            raise ValidationFailed.one(
                field,
                f"{field}: unknown callback {name!r}; callbacks are "
                f"{', '.join(rules.CALLBACK_NAMES)}.",
            )
        if url is not None:
            validators.http_url(url, f"{field}.{name}")
    return value


def _attributes(value: dict[str, Any], field: str) -> dict[str, Any]:
    for key in value:
        if not key or len(key) > 255:
            raise ValidationFailed.one(field, f"{field} keys must be 1-255 characters.")
    return value


RuleSid = Annotated[str, rule(_rule_sid)]
Callbacks = Annotated[dict[str, Any], rule(_callbacks)]
Attributes = Annotated[dict[str, Any], Field(max_length=rules.MAX_ATTRIBUTES), rule(_attributes)]


class _In(BaseModel):
    # CarrierX-compatible bodies: unknown fields are refused (422 naming the field).
    model_config = ConfigDict(extra="forbid", strict=True)


class CoreAcl(_In):
    """An ACL item (reference §4.1); unset actions are null."""

    access_control_rules: Annotated[list[RuleSid], Field(max_length=100)] = []
    direction: Direction
    sms_action_false: SmsAction | None = None
    sms_action_true: SmsAction | None = None
    voice_action_false: VoiceAction | None = None
    voice_action_true: VoiceAction | None = None


Acls = Annotated[list[CoreAcl], Field(max_length=100)]
Transformations = Annotated[list[dict[str, Any]], Field(max_length=100)]


class _Updatable(_In):
    acls: Acls | None = None
    address1: Annotated[str, _text("address1")] | None = None
    address2: Annotated[str, _text("address2")] | None = None
    attributes: Attributes | None = Field(
        None,
        description="PATCH merges key by key (null removes a key) unless nested_objects=replace",
    )
    billing_email: Emails | None = Field(None, description="one or more, comma-separated")
    callbacks: Callbacks | None = Field(
        None, description=f"keys: {', '.join(rules.CALLBACK_NAMES)}; values http(s) URLs"
    )
    city: Annotated[str, _text("city")] | None = None
    company_name: Annotated[str, _text("company_name")] | None = None
    name: Name | None = None
    owner_email: Email | None = None
    parent_assigned_acls: Acls | None = Field(None, description="set by an ancestor partner only")
    phonenumber: Phone | None = None
    tech_email: Email | None = None
    transformations: Transformations | None = Field(
        None, description="stored and answered as given, order kept"
    )
    zip: Annotated[str, _text("zip")] | None = None


class CorePartnerCreate(_Updatable):
    """POST /partners. `parent_sid` empty or absent: the caller becomes the parent."""

    login: Login
    password: Password = Field(description="write-only; stored as an argon2 hash")
    name: Name
    parent_sid: str | None = None
    country_code: Country | None = Field(None, description="ISO 3166-1 alpha-3")
    state: Annotated[str, _text("state")] | None = None
    payment_type: PaymentType = "prepay"
    charge_at: Money | None = None
    prepay_amount: Money | None = None
    daily_spending_limit: Money | None = None
    spending_limit: Money | None = None


class CorePartnerPatch(_Updatable):
    """PATCH / PUT /partners/{sid}: the updatable fields (PUT needs all of them). Read-only and
    create-only fields may be echoed: ignored when equal to the stored value, 422 otherwise."""


# Responses (documentation only).


class CoreAclOut(BaseModel):
    access_control_rules: list[str]
    direction: Direction
    sms_action_false: SmsAction | None
    sms_action_true: SmsAction | None
    voice_action_false: VoiceAction | None
    voice_action_true: VoiceAction | None


class CorePartner(BaseModel):
    acls: list[CoreAclOut]
    address1: str | None
    address2: str | None
    attributes: dict[str, Any]
    available_scopes: list[str]
    balance: str = Field(examples=["351.52"])
    billing_email: str | None
    callbacks: dict[str, str]
    charge_at: str | None
    city: str | None
    company_name: str | None
    country_code: str | None
    daily_spending_limit: str | None
    daily_spent_amount: str
    date_created: str = Field(examples=["2023-09-20T21:34:55.000Z"])
    display_id: str = Field(examples=["CX72521509"])
    login: str
    name: str | None
    owner_email: str | None
    parent_assigned_acls: list[CoreAclOut]
    parent_sid: str | None
    partner_sid: str
    payment_type: PaymentType
    phonenumber: str | None
    prepay_amount: str | None
    spending_limit: str | None
    state: str | None
    status: str
    tech_email: str | None
    transformations: list[dict[str, Any]]
    zip: str | None


class CorePagination(BaseModel):
    next: str | None = None
    previous: str | None = None


class CorePartnerList(BaseModel):
    count: int
    has_more: bool
    items: list[CorePartner]
    limit: int
    offset: int
    pagination: CorePagination
    total: int


class CoreTokenRequest(BaseModel):
    """POST /oauth/token, form encoded."""

    grant_type: Literal["password"]
    username: str | None = Field(None, description="the partner's login (or `login`)")
    login: str | None = None
    password: str
    scope: str | None = Field(None, description="space-separated subset of the partner's scopes")
    access_token_expires_in: int | None = Field(None, description="seconds; default 86400")
    name: str | None = None
    client_id: str | None = Field(None, description="accepted and ignored")
    client_secret: str | None = Field(None, description="accepted and ignored")


class CoreOAuthToken(BaseModel):
    access_token: str
    client_id: str | None
    date_created: str
    date_expiration_access_token: str | None
    date_expiration_refresh_token: str | None
    date_last_accessed: str | None
    ip_last_accessed: str | None
    name: str
    partner_sid: str
    refresh_token: str | None
    scopes: list[str]
    token_sid: str
    token_type: Literal["bearer"]


class CoreAuthenticationPatch(_In):
    """PATCH /partners/{sid}/authentication (partnerhub): the partner's password and
    CarrierX's `allow_basic_authentication` system attribute. The partner itself or an
    ancestor may change them, never a descendant."""

    allow_basic_authentication: bool | None = Field(
        None, description="false: the login and password are refused as HTTP Basic credentials"
    )
    password: Password | None = Field(None, description="write-only; stored as an argon2 hash")


class CoreAuthentication(BaseModel):
    allow_basic_authentication: bool
    login: str
    partner_sid: str


class CoreHistoryEntry(BaseModel):
    action: Literal["create", "update", "delete"]
    changed_at: str
    changes: dict[str, dict[str, Any]] = Field(description="field → {new, old}")
    source: str = Field(
        description='who: "token:<id>", "basic:<partner_sid>" (HTTP Basic) or "surface:cli"'
    )
    surface: str
    token_id: str | None
    version: int


class CoreHistory(BaseModel):
    count: int
    has_more: bool
    items: list[CoreHistoryEntry]
    limit: int
    offset: int
    pagination: CorePagination
    total: int


class CoreErrorItem(BaseModel):
    field: str | None
    message: str
    reference_sid: str | None


class CoreError(BaseModel):
    message: str = Field(examples=["object validation error"])
    errors: list[CoreErrorItem]
