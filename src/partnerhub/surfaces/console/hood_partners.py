"""Hood partners in the console: a new partner, and the partner page with its edit form,
archive buttons and the sections of what hangs off it (the list: hood_partner_list)."""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from partnerhub import providers
from partnerhub.domain import hood_deals as deal_rules
from partnerhub.domain import hood_partners as rules
from partnerhub.domain import ids, validators
from partnerhub.domain.accounts import Actor
from partnerhub.domain.hood_listquery import parse_list_query
from partnerhub.services import hood_members, hood_partners
from partnerhub.surfaces.common.edge import runtime
from partnerhub.surfaces.console import areas, forms, hood_related, render
from partnerhub.surfaces.console.editing import by_field, history, versioned_write
from partnerhub.surfaces.console.hood_common import Empty, In, edge, names, posted_values, wire
from partnerhub.surfaces.console.routing import Errors, enter, enter_form, page_router, submit
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.hood import query
from partnerhub.surfaces.hood.partners import mapping

router = page_router()
AREA = areas.HOOD_PARTNERS
LIST = "/console/hood/partners"


def _terms_and_address(empty: Empty) -> tuple[In, ...]:
    return tuple(
        In(f"{group}.{key}", empty=empty)
        for group, keys in rules.ALL_OR_NOTHING.items()
        for key in keys
    )


# Create: every empty input is left out. Edit: a cleared description or nested key is `null`
# (the API clears it); a cleared name or status is sent empty, for the API to refuse.
CREATE = (
    In("name"),
    In("description"),
    In("type", "list"),
    In("status"),
    In("manager_ids", "list"),
    In("contact.email"),
    In("contact.phone"),
    *_terms_and_address("absent"),
)
EDIT = (
    In("name", empty="send"),
    In("description", empty="null"),
    In("status", empty="send"),
    In("manager_ids", "list"),
    *_terms_and_address("null"),
)
CLEARED_BY_NULL: dict[str, Empty] = {"payment_terms": "null", "billing_address": "null"}

MEMBERS_PAGE = parse_list_query([("page", f"1,{query.MEMBERS.max_per_page}")], query.MEMBERS)


async def _members(uow: Any, actor: Actor) -> list[tuple[str, str]]:
    """The account's members, as manager choices."""
    _, members = await hood_members.list(uow, actor, query=MEMBERS_PAGE, spec=query.MEMBERS)
    return [(str(m.id), f"{m.name} ({m.email})") for m in members]


def partner_choices() -> dict[str, Any]:
    """The options of the partner forms' selects and checkbox groups."""
    return {
        "statuses": rules.STATUSES,
        "types": rules.TYPES,
        "terms": {
            "payment_frequency": rules.PAYMENT_FREQUENCIES,
            "payment_method": rules.PAYMENT_METHODS,
            "net_terms": rules.NET_TERMS,
            "currency_code": rules.CURRENCIES,
        },
    }


async def _new_page(
    request: Request, current: Session, values: dict[str, Any], errors: Errors
) -> Response:
    async with edge.read(request) as uow:
        members = await _members(uow, current.actor)
    return render.page(
        request,
        "hood/partner_new.html",
        current,
        values=values,
        errors=errors,
        members=members,
        **partner_choices(),
    )


@router.get("/hood/partners/new")
async def partner_new(request: Request) -> Response:
    current = await enter(request, edge, AREA, write=True)
    blank = {f.name: [] if f.kind == "list" else "" for f in CREATE}
    return await _new_page(request, current, blank | {"status": "active"}, {})


@router.post("/hood/partners")
async def partner_create(request: Request) -> Response:
    current, form = await enter_form(request, edge, AREA)

    async def create() -> Response:
        draft = mapping.partner_draft(wire(form, CREATE))
        async with edge.write(request) as uow:
            view = await hood_partners.create(uow, current.actor, draft=draft)
        return render.redirect(f"{LIST}/{view.partner.id}", done="created")

    async def again(errors: Errors) -> Response:
        return await _new_page(
            request, current, posted_values(form, CREATE), by_field(errors, names(CREATE))
        )

    return await submit(create, again)


def _edit_values(view: Any) -> dict[str, Any]:
    p = view.partner
    values: dict[str, Any] = {
        "name": p.name,
        "description": p.description or "",
        "status": p.status,
        "manager_ids": list(p.manager_ids),
    }
    for group, keys in rules.ALL_OR_NOTHING.items():
        held = getattr(p, group) or {}
        values |= {f"{group}.{key}": held.get(key, "") for key in keys}
    return values


async def partner_page(
    request: Request,
    current: Session,
    pid: int,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    errors: Errors | None = None,
) -> Response:
    """The partner page; after a refused form (`failed`: edit, contact or archive) that form
    shows what was posted and the API's messages."""
    actor = current.actor
    async with edge.read(request) as uow:
        view = await hood_partners.get(uow, actor, partner_id=pid)
        timeline = await history(
            request, partial(hood_partners.history_of, uow, actor, object_id=pid)
        )
        related = await hood_related.of_partner(uow, actor, runtime(request).secrets, pid)
        members = await _members(uow, actor)
    edit = _edit_values(view)
    contact: dict[str, Any] = {"type": "email", "value": ""}
    if form is not None and failed == "edit":
        edit = posted_values(form, EDIT)
    elif form is not None and failed == "contact":
        contact = {"type": form.get("type"), "value": form.get("value")}
    return render.page(
        request,
        "hood/partner.html",
        current,
        view=view,
        p=view.partner,
        edit=edit,
        contact=contact,
        errors={failed: errors or {}},
        members=members,
        timeline=timeline,
        related=related,
        contact_types=validators.CONTACT_TYPES,
        deal_statuses=deal_rules.STATUSES,
        providers=providers.all(),
        **partner_choices(),
    )


@router.get("/hood/partners/{partner_id}")
async def partner_view(request: Request, partner_id: str) -> Response:
    current = await enter(request, edge, AREA)
    return await partner_page(request, current, ids.numeric(partner_id, "partner"))


@router.post("/hood/partners/{partner_id}")
async def partner_edit(request: Request, partner_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    pid = ids.numeric(partner_id, "partner")

    async def save() -> Response:
        patch = mapping.partner_patch(wire(form, EDIT, empty_groups=CLEARED_BY_NULL))
        async with versioned_write(request, edge, form, "partner") as (uow, if_match):
            await hood_partners.patch(
                uow, current.actor, partner_id=pid, patch=patch, if_match=if_match
            )
        return render.redirect(f"{LIST}/{pid}", done="saved")

    async def again(errors: Errors) -> Response:
        return await partner_page(
            request, current, pid, failed="edit", form=form, errors=by_field(errors, names(EDIT))
        )

    return await submit(save, again)


async def _set_archived(request: Request, partner_id: str, archived: bool) -> Response:
    current, form = await enter_form(request, edge, AREA)
    pid = ids.numeric(partner_id, "partner")

    async def flip() -> Response:
        async with versioned_write(request, edge, form, "partner") as (uow, if_match):
            await hood_partners.set_archived(
                uow, current.actor, partner_id=pid, archived=archived, if_match=if_match
            )
        return render.redirect(f"{LIST}/{pid}", done="archived" if archived else "unarchived")

    async def again(errors: Errors) -> Response:
        return await partner_page(
            request, current, pid, failed="archive", errors=by_field(errors, ())
        )

    return await submit(flip, again)


@router.post("/hood/partners/{partner_id}/archive")
async def partner_archive(request: Request, partner_id: str) -> Response:
    return await _set_archived(request, partner_id, True)


@router.post("/hood/partners/{partner_id}/unarchive")
async def partner_unarchive(request: Request, partner_id: str) -> Response:
    return await _set_archived(request, partner_id, False)
