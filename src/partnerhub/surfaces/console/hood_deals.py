"""Hood deals in the console: the deal page (its fields, campaigns and history), its edit form
(also the status select of each deal row on its partner's page) and archiving."""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain import hood_deals as rules
from partnerhub.domain import ids
from partnerhub.services import hood_deals
from partnerhub.surfaces.console import areas, forms, hood_related, render
from partnerhub.surfaces.console.editing import by_field, history, versioned_write
from partnerhub.surfaces.console.hood_common import YES_NO, In, edge, names, posted_values, wire
from partnerhub.surfaces.console.routing import Errors, enter, enter_form, page_router, submit
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.hood.deals import mapping

router = page_router()
AREA = areas.HOOD_DEALS
DEALS = "/console/hood/deals"
# A cleared name, status or price is sent empty for the API to refuse; a cleared budget, time
# window or description is `null` (cleared); the frequency cap is cleared by emptying both.
EDIT = (
    In("name", empty="send"),
    In("description", empty="null"),
    In("status", empty="send"),
    In("base_price", "number", empty="send"),
    In("budget", "number", empty="null"),
    In("time_window", "number", empty="null"),
    In("frequency_cap.max_value", "number"),
    In("frequency_cap.per_unit"),
    In("clickthrough", "flag", empty="send"),
    In("unique_conversion", "flag", empty="send"),
    In("base_price_priority", "flag", empty="send"),
)
FLAGS = ("clickthrough", "unique_conversion", "base_price_priority")


def _edit_values(deal: rules.Deal) -> dict[str, Any]:
    shown = rules.state(deal)
    cap = deal.frequency_cap or {}

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "name": deal.name,
        "description": deal.description or "",
        "status": deal.status,
        "base_price": text(shown["base_price"]),
        "budget": text(shown["budget"]),
        "time_window": text(deal.time_window),
        "frequency_cap.max_value": text(cap.get("max_value")),
        "frequency_cap.per_unit": cap.get("per_unit", ""),
        **{flag: "true" if getattr(deal, flag) else "false" for flag in FLAGS},
    }


async def _deal_page(
    request: Request,
    current: Session,
    did: int,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    errors: Errors | None = None,
) -> Response:
    actor = current.actor
    campaigns = None
    async with edge.read(request) as uow:
        deal = await hood_deals.get(uow, actor, deal_id=did)
        timeline = await history(request, partial(hood_deals.history_of, uow, actor, object_id=did))
        if areas.HOOD_CAMPAIGNS.readable(actor):
            campaigns = await hood_related.campaigns_of(uow, actor, [did])
    edit = _edit_values(deal)
    if form is not None and failed == "edit":
        edit |= {k: v for k, v in posted_values(form, EDIT).items() if form.has(k)}
    return render.page(
        request,
        "hood/deal.html",
        current,
        deal=deal,
        facts=rules.state(deal),
        edit=edit,
        errors={failed: errors or {}},
        campaigns=campaigns,
        timeline=timeline,
        statuses=rules.STATUSES,
        units=rules.FREQUENCY_UNITS,
        yes_no=YES_NO,
        flags=FLAGS,
    )


@router.get("/hood/deals/{deal_id}")
async def deal_view(request: Request, deal_id: str) -> Response:
    current = await enter(request, edge, AREA)
    return await _deal_page(request, current, ids.numeric(deal_id, "deal"))


@router.post("/hood/deals/{deal_id}")
async def deal_edit(request: Request, deal_id: str) -> Response:
    """The deal's edit form, or a partner page's status select of the deal (`back=partner`):
    only the fields the form carries are sent."""
    current, form = await enter_form(request, edge, AREA)
    did = ids.numeric(deal_id, "deal")

    async def save() -> Response:
        patch = mapping.deal_patch(wire(form, EDIT, empty_groups={"frequency_cap": "null"}))
        async with versioned_write(request, edge, form, "deal") as (uow, if_match):
            deal = await hood_deals.patch(
                uow, current.actor, deal_id=did, patch=patch, if_match=if_match
            )
        if form.get("back") == "partner":
            return render.redirect(f"/console/hood/partners/{deal.partner_id}", done="saved")
        return render.redirect(f"{DEALS}/{did}", done="saved")

    async def again(errors: Errors) -> Response:
        return await _deal_page(
            request, current, did, failed="edit", form=form, errors=by_field(errors, names(EDIT))
        )

    return await submit(save, again)


@router.post("/hood/deals/{deal_id}/archive")
async def deal_archive(request: Request, deal_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    did = ids.numeric(deal_id, "deal")

    async def archive() -> Response:
        async with versioned_write(request, edge, form, "deal") as (uow, if_match):
            await hood_deals.archive(uow, current.actor, deal_id=did, if_match=if_match)
        return render.redirect(f"{DEALS}/{did}", done="archived")

    async def again(errors: Errors) -> Response:
        return await _deal_page(
            request, current, did, failed="archive", errors=by_field(errors, ())
        )

    return await submit(archive, again)
