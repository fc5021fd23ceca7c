"""Hood campaign wire models: they validate campaign bodies and describe them in OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from partnerhub.domain import hood_campaign_fields as fields
from partnerhub.domain import ids, validators
from partnerhub.domain.clock import utcnow
from partnerhub.domain.hood_campaigns import CHANNELS, MAX_MESSAGES_PER_CHANNEL
from partnerhub.surfaces.common.validation import custom_error, rule
from partnerhub.surfaces.hood.schemas import HoodIn

Channel = Literal["sms", "email", "push", "web_push", "in_app"]
Status = Literal["draft", "scheduled", "running", "paused", "canceled", "sent", "needs_decision"]
SMS_MAX_LEN = 320  # Ocamba's send-sms content bound
CONTENT_MAX_LEN = 20000


def _text(max_len: int, min_len: int = 1) -> Any:
    return rule(lambda v, f: validators.short_text(v, f, max_len=max_len, min_len=min_len))


def _flag(value: Any, field: str) -> bool:
    """true/false, or 1/0 as Ocamba's examples send `run_immediately`."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise custom_error(f"{field} must be a boolean (or 0/1).")


def _template_id(value: Any, field: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return validators.short_text(value, field, max_len=100)


Name = Annotated[str, rule(validators.column_text("hood_campaigns", "name"))]
Description = Annotated[
    str, rule(validators.column_text("hood_campaigns", "description", min_len=0))
]
Labels = Annotated[Any, rule(fields.labels)]
Object = Annotated[
    dict[str, Any], rule(fields.bounded_object), Field(description="a JSON object, ≤ 8 KiB")
]
AbTest = Annotated[Any, rule(fields.ab_test)]
Flag = Annotated[Any, rule(_flag)]
Id = Annotated[Any, rule(ids.in_body)]
FutureTime = Annotated[
    Any,
    rule(lambda v, f: fields.future_time(v, f, utcnow())),
    Field(description='"YYYY-MM-DD HH:MM:SS" (GMT), in the future'),
]
Reason = Annotated[str, rule(validators.column_text("hood_campaigns", "status_reason"))]


class HoodCampaignMessageIn(HoodIn):
    id: Annotated[str, rule(lambda v, f: str(ids.in_body(v, f)))] | None = Field(
        None, description="an existing message's id, to keep it (PATCH)"
    )
    channel: Channel
    integration_id: Id | None = Field(
        None, description="required for sms and email: an integration of that type"
    )
    template_id: Annotated[Any, rule(_template_id)] | None = None
    primary_lang: Annotated[str, rule(fields.language)] | None = None
    subject: Annotated[str, _text(255)] | None = None
    content: Annotated[str, _text(CONTENT_MAX_LEN)] | None = None

    @model_validator(mode="after")
    def _sms_length(self) -> HoodCampaignMessageIn:
        if self.channel == "sms" and self.content is not None and len(self.content) > SMS_MAX_LEN:
            raise custom_error(
                f"content of an sms message must be at most {SMS_MAX_LEN} characters."
            )
        return self


Messages = Annotated[
    list[HoodCampaignMessageIn],
    Field(max_length=len(CHANNELS) * MAX_MESSAGES_PER_CHANNEL),
]


def _exclusive(run_immediately: bool | None, scheduled_time: object) -> None:
    if run_immediately and scheduled_time is not None:
        raise custom_error("run_immediately and scheduled_time exclude each other; send one.")


class HoodCampaignCreate(HoodIn):
    name: Name
    deal_id: Id = Field(description="a deal of the account, not archived")
    description: Description | None = None
    labels: Labels | None = Field(None, description="strings (1–100, ≤ 50), or one comma string")
    metadata: Object | None = None
    messages: Messages | None = None
    ab_test: AbTest | None = Field(
        None,
        description="{name, test_split 1–100, winning_metric, evaluation_window 1–720 h, "
        "winner_delivery_mode automatic|manual}; needed for several messages on one channel",
    )
    recurrence: Object | None = None
    utm_tracking: Object | None = None
    quiet_hours: Object | None = None
    targeting: Object | None = None
    is_draft: Flag = False
    send_in_profile_time_zone: Flag = False
    send_if_profile_time_passed: Flag = False
    run_immediately: Flag = Field(False, description="start at once (status running)")
    scheduled_time: FutureTime | None = Field(None, description="start then (status scheduled)")

    @model_validator(mode="after")
    def _one_execution(self) -> HoodCampaignCreate:
        _exclusive(self.run_immediately, self.scheduled_time)
        return self


class HoodCampaignPatch(HoodIn):
    """JSON Merge Patch: absent = unchanged, null = cleared, objects merged key by key."""

    name: Name | None = None
    description: Description | None = None
    labels: Labels | None = None
    metadata: Object | None = None
    messages: Messages | None = Field(None, description="replaces the list")
    ab_test: Object | None = None
    recurrence: Object | None = None
    utm_tracking: Object | None = None
    quiet_hours: Object | None = None
    targeting: Object | None = None
    is_draft: Flag | None = Field(None, description="false leaves draft; true is refused after")
    send_in_profile_time_zone: Flag | None = None
    send_if_profile_time_passed: Flag | None = None
    run_immediately: Flag | None = None
    scheduled_time: FutureTime | None = None

    @model_validator(mode="after")
    def _one_execution(self) -> HoodCampaignPatch:
        _exclusive(self.run_immediately, self.scheduled_time)
        return self


class HoodCampaignReason(HoodIn):
    reason: Reason | None = Field(None, description="kept as status_reason (1–500)")


class HoodCampaignResume(HoodIn):
    run_immediately: Flag | None = Field(None, description="true (or 1): run now")
    scheduled_time: FutureTime | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> HoodCampaignResume:
        if self.run_immediately is False:
            raise custom_error("run_immediately must be true (or 1) when sent.")
        if (self.run_immediately is None) == (self.scheduled_time is None):
            raise custom_error("exactly one of run_immediately and scheduled_time must be sent.")
        return self


# Responses (documentation only).


class HoodCampaignMessage(BaseModel):
    id: str
    campaign_id: str
    channel: Channel
    integration_id: str | None
    template_id: str | None
    primary_lang: str | None
    subject: str | None
    content: str | None


class HoodCampaign(BaseModel):
    id: str
    company_id: str
    deal_id: str
    name: str
    description: str | None
    labels: list[str]
    metadata: dict[str, Any] | None
    messages: list[HoodCampaignMessage]
    ab_test: dict[str, Any] | None
    recurrence: dict[str, Any] | None
    utm_tracking: dict[str, Any] | None
    quiet_hours: dict[str, Any] | None
    targeting: dict[str, Any] | None
    status: Status
    effective_status: str = Field(description="status while the deal is effectively active")
    status_reason: str | None
    is_draft: bool
    send_strategy: Literal["immediate", "scheduled", "manual"]
    send_in_profile_time_zone: bool
    send_if_profile_time_passed: bool
    scheduled_time: str | None
    next_run_time: str | None
    run_counter: int
    was_launched: bool
    archived: int
    create_time: str
    update_time: str


class HoodCampaignList(BaseModel):
    total: int
    items: list[HoodCampaign]
