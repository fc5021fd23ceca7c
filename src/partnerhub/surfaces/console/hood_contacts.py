"""A Hood partner's contacts in the console: add (on the partner page), the contact's own page
with its edit form and history, and delete."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain import ids, validators
from partnerhub.services import hood_contacts
from partnerhub.surfaces.console import areas, forms, render
from partnerhub.surfaces.console.editing import by_field, history, versioned_write
from partnerhub.surfaces.console.hood_common import In, edge, names, posted_values, wire
from partnerhub.surfaces.console.hood_partners import LIST, partner_page
from partnerhub.surfaces.console.routing import Errors, enter, enter_form, page_router, submit
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.hood.contacts import mapping

router = page_router()
AREA = areas.HOOD_PARTNERS
CREATE = (In("type"), In("value"))
EDIT = (In("type", empty="send"), In("value", empty="send"))


def _ids(partner_id: str, contact_id: str) -> tuple[int, str]:
    return ids.numeric(partner_id, "partner"), ids.uuid_string(contact_id, "contact")


@router.post("/hood/partners/{partner_id}/contacts")
async def contact_create(request: Request, partner_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    pid = ids.numeric(partner_id, "partner")

    async def add() -> Response:
        data = mapping.contact_create(wire(form, CREATE))
        async with edge.write(request) as uow:
            await hood_contacts.create(
                uow, current.actor, partner_id=pid, type=data.type, value=data.value
            )
        return render.redirect(f"{LIST}/{pid}", done="created")

    async def again(errors: Errors) -> Response:
        return await partner_page(
            request,
            current,
            pid,
            failed="contact",
            form=form,
            errors=by_field(errors, names(CREATE)),
        )

    return await submit(add, again)


async def _contact_page(
    request: Request,
    current: Session,
    pid: int,
    cid: str,
    *,
    form: forms.Form | None = None,
    errors: Errors | None = None,
) -> Response:
    actor = current.actor
    async with edge.read(request) as uow:
        contact = await hood_contacts.get(uow, actor, partner_id=pid, contact_id=cid)
        timeline = await history(
            request, partial(hood_contacts.history_of, uow, actor, partner_id=pid, contact_id=cid)
        )
    values = {"type": contact.type, "value": contact.value}
    return render.page(
        request,
        "hood/contact.html",
        current,
        contact=contact,
        partner_id=pid,
        values=posted_values(form, EDIT) if form is not None else values,
        errors=errors or {},
        contact_types=validators.CONTACT_TYPES,
        timeline=timeline,
    )


@router.get("/hood/partners/{partner_id}/contacts/{contact_id}")
async def contact_view(request: Request, partner_id: str, contact_id: str) -> Response:
    current = await enter(request, edge, AREA)
    return await _contact_page(request, current, *_ids(partner_id, contact_id))


@router.post("/hood/partners/{partner_id}/contacts/{contact_id}")
async def contact_edit(request: Request, partner_id: str, contact_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    pid, cid = _ids(partner_id, contact_id)

    async def save() -> Response:
        data = mapping.contact_patch(wire(form, EDIT))
        async with versioned_write(request, edge, form, "contact") as (uow, if_match):
            await hood_contacts.patch(
                uow,
                current.actor,
                partner_id=pid,
                contact_id=cid,
                type=data.type,
                value=data.value,
                if_match=if_match,
            )
        return render.redirect(f"{LIST}/{pid}/contacts/{cid}", done="saved")

    async def again(errors: Errors) -> Response:
        return await _contact_page(
            request, current, pid, cid, form=form, errors=by_field(errors, names(EDIT))
        )

    return await submit(save, again)


@router.post("/hood/partners/{partner_id}/contacts/{contact_id}/delete")
async def contact_delete(request: Request, partner_id: str, contact_id: str) -> Response:
    current, form = await enter_form(request, edge, AREA)
    pid, cid = _ids(partner_id, contact_id)

    async def delete() -> Response:
        async with versioned_write(request, edge, form, "contact") as (uow, if_match):
            await hood_contacts.delete(
                uow, current.actor, partner_id=pid, contact_id=cid, if_match=if_match
            )
        return render.redirect(f"{LIST}/{pid}", done="deleted")

    async def again(errors: Errors) -> Response:
        return await _contact_page(request, current, pid, cid, errors=by_field(errors, ()))

    return await submit(delete, again)
