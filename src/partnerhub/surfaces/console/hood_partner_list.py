"""The console's Hood partners list: a filter form that speaks the API's list language (search,
status, type, archived, sort, page size and a free filter expression), read by the API's own
parser, so a bad filter gets the API's message next to the field that set it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain.hood_listquery import ListQuery, parse_list_query
from partnerhub.errors import FieldProblem, ValidationFailed
from partnerhub.services import hood_partners
from partnerhub.surfaces.console import areas, render
from partnerhub.surfaces.console.hood_common import edge
from partnerhub.surfaces.console.hood_partners import partner_choices
from partnerhub.surfaces.console.routing import Errors, enter, page_router
from partnerhub.surfaces.hood import query

router = page_router()
AREA = areas.HOOD_PARTNERS

SORTS = (
    ("", "id, oldest first"),
    ("-id", "id, newest first"),
    ("name", "name A→Z"),
    ("-name", "name Z→A"),
    ("status", "status"),
    ("-update_time", "last changed first"),
    ("create_time", "created, oldest first"),
    ("-create_time", "created, newest first"),
)
ARCHIVED = (("", "not archived"), ("1", "archived only"), ("in:0,1", "archived and not"))
PER_PAGE = ("20", "50", "100")
FILTERS = ("q", "status", "type", "archived", "sort", "filter", "per_page")
# Filter-form fields that are list-language parameters of the same name.
PARAMS = ("q", "status", "type", "archived", "sort")


def _expression(text: str) -> list[tuple[str, str]]:
    """The free filter expression: list-language items `field=[op:]value` joined by `&`."""
    pairs = []
    for item in (part.strip() for part in text.split("&")):
        if not item:
            continue
        name, equals, value = item.partition("=")
        if not equals:
            raise ValidationFailed.one(
                "filter", f"'{item[:50]}' is not a filter: write field=[op:]value, joined by &."
            )
        pairs.append((name.strip(), value.strip()))
    return pairs


def _list_query(shown: dict[str, str]) -> ListQuery:
    """The filter form as the API's list query; the API's message about a parameter names the
    form field that set it."""
    pairs: list[tuple[str, str]] = []
    origin: dict[str, str] = {"page": "per_page"}
    for param in PARAMS:
        if shown[param]:
            pairs.append((param, shown[param]))
            origin.setdefault(param, param)
    for param, value in _expression(shown["filter"]):
        pairs.append((param, value))
        origin.setdefault(param, "filter")
    pairs.append(("page", f"{shown['page'] or '1'},{shown['per_page'] or PER_PAGE[0]}"))
    try:
        return parse_list_query(pairs, query.PARTNERS)
    except ValidationFailed as refused:
        raise ValidationFailed(
            [
                FieldProblem(origin.get(p.field or "", "filter"), p.message, p.code)
                for p in refused.problems
            ]
        ) from None


@router.get("/hood/partners")
async def partner_list(request: Request) -> Response:
    current = await enter(request, edge, AREA)
    shown = {name: request.query_params.get(name, "") for name in (*FILTERS, "page")}
    errors: Errors = {}
    partners: list[Any] = []
    total, q = 0, None
    try:
        q = _list_query(shown)
        async with edge.read(request) as uow:
            total, partners = await hood_partners.list(
                uow, current.actor, query=q, spec=query.PARTNERS, with_contacts=False
            )
    except ValidationFailed as refused:
        errors = render.problems_by_field(refused)
    return render.page(
        request,
        "hood/partners.html",
        current,
        status=422 if errors else 200,
        shown=shown,
        errors=errors,
        partners=partners,
        total=total,
        q=q,
        pager_query=urlencode({k: shown[k] for k in FILTERS if shown[k]}),
        sorts=SORTS,
        archived_options=ARCHIVED,
        per_page_options=PER_PAGE,
        **partner_choices(),
    )
