"""Core: the signed-in partner's tree, and each partner's page (its facts, an edit form for what
the API's PATCH may change, its history).

The token acts as its Core partner (`actor.core_partner_id`; None: the account's root), exactly
as on the Core API: the tree is that partner's subtree as the API lists it, and a partner outside
it (an ancestor, a sibling, another account's) is unknown (404). The tree is read in one list
call: the first TREE_LIMIT partners of the subtree, oldest first (the page says when there are
more); its depth is Core's own bound (CORE_PATH_MAX_DEPTH levels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.core_partners import CorePartner
from partnerhub.domain.core_query import CoreListQuery
from partnerhub.errors import InvalidBody, ProblemList, ValidationFailed
from partnerhub.services import core_partners
from partnerhub.surfaces.common.body import check_shape, parse_json
from partnerhub.surfaces.console import areas, editing, render, routing
from partnerhub.surfaces.console.forms import Form
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.core import mapping
from partnerhub.surfaces.core.routes import edge

router = routing.page_router()
AREA = areas.CORE
PATH = f"{routing.PREFIX}/core"
TREE_LIMIT = 500

# The fields PATCH may change (domain UPDATABLE), in the form's order, with their labels.
TEXT_FIELDS = {
    "name": "Name",
    "company_name": "Company name",
    "address1": "Address line 1",
    "address2": "Address line 2",
    "city": "City",
    "zip": "ZIP / postal code",
    "phonenumber": "Phone number",
    "owner_email": "Owner e-mail",
    "billing_email": "Billing e-mails, comma-separated",
    "tech_email": "Technical e-mail",
}
# JSON fields, each with what an emptied textarea stands for (they cannot be null).
JSON_FIELDS: dict[str, tuple[str, dict[str, Any] | list[Any]]] = {
    "attributes": ("Attributes (JSON object)", {}),
    "callbacks": ("Callbacks (JSON object: callback name → URL)", {}),
    "acls": ("ACLs (JSON array)", []),
    "parent_assigned_acls": ("Parent-assigned ACLs (JSON array)", []),
    "transformations": ("Transformations (JSON array)", []),
}
FORM_FIELDS = (*TEXT_FIELDS, *JSON_FIELDS)


@dataclass
class Node:
    """A partner of the tree; `detached`: its parent is among the partners not shown."""

    partner: CorePartner
    children: list[Node] = field(default_factory=list)
    detached: bool = False


def _ancestor_ids(partner: CorePartner) -> list[int]:
    """Ids of the partner's ancestors, nearest first, from its materialized path."""
    return [int(part) for part in reversed(partner.path.strip("/").split("/")[:-1])]


def build_tree(me: CorePartner, found: list[CorePartner]) -> tuple[Node, int]:
    """The tree under `me` of the partners `found` (in list order), and how many it holds.

    A partner whose parent was not found hangs under its nearest ancestor that was."""
    root = Node(me)
    nodes = {me.id: root}
    for partner in found:
        nodes.setdefault(partner.id, Node(partner))
    for partner in found:
        if partner.id == me.id:
            continue
        node = nodes[partner.id]
        parent = nodes.get(partner.parent_id) if partner.parent_id is not None else None
        if parent is None:
            node.detached = True
            parent = next((nodes[i] for i in _ancestor_ids(partner) if i in nodes), root)
        parent.children.append(node)
    return root, len(nodes)


@router.get("/core")
async def tree(request: Request) -> Response:
    current = await routing.enter(request, edge, AREA)
    async with edge.read(request) as uow:
        me = await core_partners.acting(uow, current.actor)
        total, found, _ = await core_partners.list(
            uow, current.actor, query=CoreListQuery(limit=TREE_LIMIT)
        )
    root, shown = build_tree(me, found)
    return render.page(
        request, "core/tree.html", current, root=root, total=total, shown=shown, limit=TREE_LIMIT
    )


def _sid(raw: str) -> str:
    return ids.uuid_string(raw, core_partners.KIND)


def _json_text(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def form_values(partner: CorePartner) -> dict[str, str]:
    """The edit form's text for each field, as it shows the stored partner."""
    values = {name: getattr(partner, name) or "" for name in TEXT_FIELDS}
    values.update({name: _json_text(getattr(partner, name)) for name in JSON_FIELDS})
    return values


async def _partner_page(
    request: Request,
    current: Session,
    sid: str,
    *,
    errors: routing.Errors | None = None,
    posted: dict[str, str] | None = None,
) -> Response:
    actor = current.actor
    async with edge.read(request) as uow:
        me = await core_partners.acting(uow, actor)
        partner = await core_partners.get(uow, actor, partner_sid=sid)
        timeline = await editing.history(
            request, partial(core_partners.history_of, uow, actor, partner_sid=sid)
        )
    is_me = partner.id == me.id
    return render.page(
        request,
        "core/partner.html",
        current,
        partner=partner,
        facts=sorted(partner.public().items()),
        is_me=is_me,
        # A descendant's ancestors do not exist for it: its parent is linked only below it.
        parent_visible=not is_me and partner.parent_sid is not None,
        writable=AREA.writable(actor),
        text_fields=TEXT_FIELDS,
        json_fields=JSON_FIELDS,
        values={**form_values(partner), **(posted or {})},
        errors=editing.by_field(errors or {}, FORM_FIELDS),
        timeline=timeline,
    )


@router.get("/core/partners/{partner_sid}")
async def partner_page(request: Request, partner_sid: str) -> Response:
    current = await routing.enter(request, edge, AREA)
    return await _partner_page(request, current, _sid(partner_sid))


def _parsed_json(text: str, name: str) -> Any:
    """A JSON field's text parsed and checked as the API parses a body."""
    try:
        value = parse_json(text, where=f" in {name}")
        check_shape(value, name)
    except InvalidBody as bad:
        raise ValidationFailed.one(name, bad.message) from None
    return value


def changed_fields(form: Form, partner: CorePartner) -> dict[str, Any]:
    """The PATCH body of the form: only the fields whose value differs from the stored one.
    An emptied text field is null (cleared); an emptied JSON field is {} or []. Fields not on
    the form are left as they are."""
    shown = form_values(partner)
    wire: dict[str, Any] = {}
    problems = ProblemList()
    for name in TEXT_FIELDS:
        if form.has(name) and form.get(name) != shown[name]:
            wire[name] = form.get(name) or None
    for name, (_, empty) in JSON_FIELDS.items():
        if not form.has(name):
            continue
        text = form.get(name).strip()
        try:
            value = _parsed_json(text, name) if text else type(empty)()
        except ValidationFailed as bad:
            problems.items.extend(bad.problems)
            continue
        if value != getattr(partner, name):
            wire[name] = value
    problems.raise_if_any()
    return wire


@router.post("/core/partners/{partner_sid}")
async def partner_save(request: Request, partner_sid: str) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)
    sid = _sid(partner_sid)
    actor = current.actor

    async def save() -> Response:
        async with editing.versioned_write(request, edge, form, "partner") as (uow, if_match):
            partner = await core_partners.get(uow, actor, partner_sid=sid)
            wire = changed_fields(form, partner)
            if wire:
                changes, echoed = mapping.partner_changes(wire)
                # The form shows attributes and callbacks whole: what it drops is removed.
                await core_partners.patch(
                    uow,
                    actor,
                    partner_sid=sid,
                    changes=changes,
                    echoed=echoed,
                    replace_nested=True,
                    if_match=if_match,
                )
        return render.redirect(f"{PATH}/partners/{sid}", done="saved")

    async def again(errors: routing.Errors) -> Response:
        posted = {name: form.get(name) for name in FORM_FIELDS if form.has(name)}
        return await _partner_page(request, current, sid, errors=errors, posted=posted)

    return await routing.submit(save, again)
