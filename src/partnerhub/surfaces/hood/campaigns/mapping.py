"""Hood campaign wire ⇄ domain."""

from __future__ import annotations

from typing import Any

from partnerhub.domain.hood_campaign_fields import OBJECT_FIELDS
from partnerhub.domain.hood_campaigns import (
    Campaign,
    CampaignDraft,
    CampaignPatch,
    MessageIn,
    Resume,
)
from partnerhub.domain.unset import UNSET
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.hood.campaigns.schemas import (
    HoodCampaignCreate,
    HoodCampaignMessageIn,
    HoodCampaignPatch,
    HoodCampaignReason,
    HoodCampaignResume,
)
from partnerhub.surfaces.hood.mapping import hood_time, select_fields, unwrap

NOT_NULLABLE = (
    "name",
    "is_draft",
    "run_immediately",
    "send_in_profile_time_zone",
    "send_if_profile_time_passed",
)
# PATCH keys that are answered but not written, and where they change instead.
READ_ONLY = {
    "id": "is the campaign's own",
    "company_id": "is the account's",
    "deal_id": "is set on create only",
    "status": "changes through is_draft, run_immediately, scheduled_time, /pause, /resume "
    "and /cancel",
    "effective_status": "follows status and the deal",
    "archived": "changes only through /archive",
    "send_strategy": "follows run_immediately and scheduled_time",
    "next_run_time": "follows status and scheduled_time",
    "run_counter": "counts the campaign's runs",
    "was_launched": "records whether it ever ran",
    "status_reason": "is the reason of the last pause or cancel",
    "create_time": "is set on create",
    "update_time": "is set by every change",
}
_PLAIN = ("name", "description", "send_in_profile_time_zone", "send_if_profile_time_passed")


def _messages(sent: list[HoodCampaignMessageIn] | None) -> tuple[MessageIn, ...]:
    return tuple(
        MessageIn(
            channel=m.channel,
            integration_id=m.integration_id,
            template_id=m.template_id,
            primary_lang=m.primary_lang,
            subject=m.subject,
            content=m.content,
            id=m.id,
        )
        for m in sent or []
    )


def campaign_draft(body: Any) -> CampaignDraft:
    data = validate(HoodCampaignCreate, unwrap(body))
    return CampaignDraft(
        name=data.name,
        deal_id=data.deal_id,
        description=data.description,
        labels=data.labels or (),
        messages=_messages(data.messages),
        objects={name: getattr(data, name) for name in OBJECT_FIELDS},
        is_draft=data.is_draft,
        send_in_profile_time_zone=data.send_in_profile_time_zone,
        send_if_profile_time_passed=data.send_if_profile_time_passed,
        run_immediately=data.run_immediately,
        scheduled_time=data.scheduled_time,
    )


def campaign_patch(body: Any) -> CampaignPatch:
    """Absent keys stay out of the command; a `null` clears where the field can be empty."""
    raw = unwrap(body)
    for name, where in READ_ONLY.items():
        if name in raw:
            raise ValidationFailed.one(name, f"{name} cannot be changed: it {where}.", "READ_ONLY")
    refuse_nulls(raw, NOT_NULLABLE)
    data = validate(HoodCampaignPatch, raw)
    sent = data.model_fields_set
    values: dict[str, Any] = {k: getattr(data, k) for k in _PLAIN if k in sent}
    if "labels" in sent:
        values["labels"] = list(data.labels or ())
    return CampaignPatch(
        values=values,
        objects={name: getattr(data, name) for name in OBJECT_FIELDS if name in sent},
        messages=_messages(data.messages) if "messages" in sent else UNSET,
        is_draft=data.is_draft,
        run_immediately=data.run_immediately,
        scheduled_time=data.scheduled_time if "scheduled_time" in sent else UNSET,
    )


def reason(body: Any) -> str | None:
    return validate(HoodCampaignReason, unwrap(body)).reason


def resume(body: Any) -> Resume:
    data = validate(HoodCampaignResume, unwrap(body))
    return Resume(run_immediately=bool(data.run_immediately), scheduled_time=data.scheduled_time)


def _time(value: Any) -> str | None:
    return None if value is None else hood_time(value)


def campaign_wire(c: Campaign, *, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    wire = {
        "id": str(c.id),
        "company_id": str(c.account_id),
        "deal_id": str(c.deal_id),
        "name": c.name,
        "description": c.description,
        "labels": c.labels,
        "messages": [{"id": m["id"], "campaign_id": str(c.id), **m} for m in c.messages],
        **{name: getattr(c, name) for name in OBJECT_FIELDS},
        "status": c.status,
        "effective_status": c.effective_status,
        "status_reason": c.status_reason,
        "is_draft": c.status == "draft",
        "send_strategy": c.send_strategy,
        "send_in_profile_time_zone": c.send_in_profile_time_zone,
        "send_if_profile_time_passed": c.send_if_profile_time_passed,
        "scheduled_time": _time(c.scheduled_time),
        "next_run_time": _time(c.next_run_time),
        "run_counter": c.run_counter,
        "was_launched": c.was_launched,
        "archived": c.archived,
        "create_time": hood_time(c.create_time),
        "update_time": hood_time(c.update_time),
    }
    return select_fields(wire, fields)
