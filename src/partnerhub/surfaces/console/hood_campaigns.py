"""Hood campaigns in the console: the campaign page (fields, messages, history), its edit form
(a JSON Merge Patch of name, description and labels) and its state actions (pause, resume,
cancel, archive), each offered only from the states the API allows it from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain import hood_campaigns as rules
from partnerhub.domain import ids
from partnerhub.domain.hood_campaigns import Campaign
from partnerhub.errors import ValidationFailed
from partnerhub.services import hood_campaigns
from partnerhub.surfaces.console import areas, forms, render
from partnerhub.surfaces.console.editing import by_field, history, versioned_write
from partnerhub.surfaces.console.hood_common import In, edge, names, posted_values, wire
from partnerhub.surfaces.console.routing import Errors, enter, enter_form, page_router, submit
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.hood.campaigns import mapping

router = page_router()
AREA = areas.HOOD_CAMPAIGNS
CAMPAIGNS = "/console/hood/campaigns"
# Labels are one comma-separated string, as the API accepts them; empty clears them.
EDIT = (In("name", empty="send"), In("description", empty="null"), In("labels", empty="null"))
ACTION = (In("reason"), In("scheduled_time"))
ACTIONS = ("pause", "resume", "cancel", "archive")


async def _campaign_page(
    request: Request,
    current: Session,
    cid: int,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    errors: Errors | None = None,
) -> Response:
    actor = current.actor
    async with edge.read(request) as uow:
        campaign = await hood_campaigns.get(uow, actor, campaign_id=cid)
        timeline = await history(
            request, partial(hood_campaigns.history_of, uow, actor, object_id=cid)
        )
    edit = {
        "name": campaign.name,
        "description": campaign.description or "",
        "labels": ", ".join(campaign.labels),
    }
    action = {"reason": "", "scheduled_time": ""}
    if form is not None and failed == "edit":
        edit = posted_values(form, EDIT)
    elif form is not None and failed == "action":
        action = posted_values(form, ACTION)
    return render.page(
        request,
        "hood/campaign.html",
        current,
        c=campaign,
        edit=edit,
        action=action,
        errors={failed: errors or {}},
        timeline=timeline,
        allowed=[a for a in ACTIONS if (a, campaign.status) in rules.TRANSITIONS],
        patchable=("patch", campaign.status) in rules.TRANSITIONS,
    )


@router.get("/hood/campaigns/{campaign_id}")
async def campaign_view(request: Request, campaign_id: str) -> Response:
    current = await enter(request, edge, AREA)
    return await _campaign_page(request, current, ids.numeric(campaign_id, "campaign"))


@router.post("/hood/campaigns/{campaign_id}")
async def campaign_edit(request: Request, campaign_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    cid = ids.numeric(campaign_id, "campaign")

    async def save() -> Response:
        patch = mapping.campaign_patch(wire(form, EDIT))
        async with versioned_write(request, edge, form, "campaign") as (uow, if_match):
            await hood_campaigns.patch(
                uow, current.actor, campaign_id=cid, patch=patch, if_match=if_match
            )
        return render.redirect(f"{CAMPAIGNS}/{cid}", done="saved")

    async def again(errors: Errors) -> Response:
        return await _campaign_page(
            request, current, cid, failed="edit", form=form, errors=by_field(errors, names(EDIT))
        )

    return await submit(save, again)


@router.post("/hood/campaigns/{campaign_id}/act")
async def campaign_act(request: Request, campaign_id: str) -> Response:
    """One of the campaign's actions (the button pressed: `action`), as the API's routes do
    them; resume runs now, or at `scheduled_time` when one is given."""
    current, form = await enter_form(request, edge, AREA)
    cid = ids.numeric(campaign_id, "campaign")
    name = form.get("action")

    async def act() -> Response:
        if name not in ACTIONS:
            raise ValidationFailed.one("action", f"action must be one of {', '.join(ACTIONS)}.")
        body = wire(form, ACTION)
        # The action's body is read as the API reads it, before the transaction opens.
        run: Callable[..., Awaitable[Campaign]] = hood_campaigns.archive
        if name == "resume":
            when = body.get("scheduled_time")
            sent = {"scheduled_time": when} if when else {"run_immediately": True}
            command = mapping.resume(sent)
            run = partial(hood_campaigns.resume, resume=command)
        elif name != "archive":
            reason = mapping.reason({"reason": body["reason"]} if "reason" in body else {})
            change = hood_campaigns.pause if name == "pause" else hood_campaigns.cancel
            run = partial(change, reason=reason)
        async with versioned_write(request, edge, form, "campaign") as (uow, if_match):
            await run(uow, current.actor, campaign_id=cid, if_match=if_match)
        return render.redirect(f"{CAMPAIGNS}/{cid}", done=DONE[name])

    async def again(errors: Errors) -> Response:
        return await _campaign_page(
            request,
            current,
            cid,
            failed="action",
            form=form,
            errors=by_field(errors, [*names(ACTION), "action"]),
        )

    return await submit(act, again)


DONE = {"pause": "paused", "resume": "resumed", "cancel": "canceled", "archive": "archived"}
