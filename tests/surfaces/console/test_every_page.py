"""Every console page and form, walked over the app's own route table, so a new page cannot
forget any of it: a token without the area's scope gets 403 on every GET and POST; a POST
without the session's CSRF token is 403 before anything else is looked at (its ids included);
ids that cannot be an object's are unknown (404); and hostile values in every field of every
form on every page get the API's answer, never a 500, and no secret on the page."""

from __future__ import annotations

import re

import pytest

from harness import World, api_routes
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, text_of
from surfaces.core.kit import create as core_partner
from surfaces.crm.kit import create as crm_object
from surfaces.crm.kit import define_seed

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# Pages every signed-in token may open (or that come before a session).
OPEN = {
    ("GET", "/console"),
    ("GET", "/console/"),
    ("GET", "/console/sign-in"),
    ("POST", "/console/sign-in"),
    ("POST", "/console/sign-out"),
}
# A scope that opens no area of the console.
UNRELATED = ["oauth.create"]
# Fewer than the console's pages and forms (48 when written): the walk missed the route table.
MIN_ROUTES = 45
# Path parameters no object can have: malformed ids, unicode digits, far too long.
HOSTILE_IDS = ("²", "-1", "1" * 30, "x" * 300)
# Field values the API must answer with its messages: too long, unicode digits, out of range,
# JSON-ish text in a text field, blank, control and bidi characters, a field sent twice.
HOSTILE_VALUES: tuple[str | list[str], ...] = (
    "x" * 70_000,
    "²",
    "1e999",
    "9" * 40,
    '{"a": [1]}',
    " ",
    "\u202e\t",
    ["", "²"],
)


def _routes(world: World) -> list[tuple[str, str]]:
    found = [
        (method, route.path)
        for route in api_routes(world, ("/console",))
        for method in sorted(route.methods)
        if (method, route.path) not in OPEN
    ]
    assert len(found) >= MIN_ROUTES, found
    return found


def _filled(path: str, value: str) -> str:
    return PARAM.sub(value, path)


def _has_ids(path: str) -> bool:
    return PARAM.search(path) is not None


async def test_every_page_and_form_is_403_without_its_scope(
    world: World, console_as: SignIn
) -> None:
    console = await console_as(await world.token(world.alice, UNRELATED))
    wrong = {}
    for method, path in _routes(world):
        # The scope comes first: even an id that cannot exist is not looked at.
        target = _filled(path, "²")
        if method == "GET":
            response = await console.get(target)
        else:
            response = await console.post(target, {"name": "x"})
        if response.status_code != 403 or "lacks the scope" not in text_of(response.text):
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


async def test_every_form_needs_the_csrf_token_first(world: World, console: Console) -> None:
    wrong = {}
    for method, path in _routes(world):
        if method != "POST":
            continue
        response = await console.post(_filled(path, "²"), {"name": "x"}, csrf=False)
        if response.status_code != 403 or "CSRF" not in text_of(response.text):
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


async def test_ids_no_object_can_have_are_unknown(world: World, console: Console) -> None:
    await console.get("/console")
    wrong = {}
    for method, path in _routes(world):
        if not _has_ids(path):
            continue
        for raw in HOSTILE_IDS:
            target = _filled(path, raw)
            if method == "GET":
                response = await console.get(target)
            else:
                response = await console.post(target, {})
            if response.status_code != 404:
                wrong[f"{method} {target[:80]}"] = response.status_code
    assert wrong == {}


async def _objects(world: World) -> dict[str, str]:
    """One of each object the console shows, by the path parameter that names it."""
    partner = await k.partner(world)
    deal = await k.deal(world, partner)
    found = await k.api(world, f"partners/{partner}")
    await define_seed(world, world.alice)
    return {
        "partner_id": partner,
        "contact_id": found["contacts"][0]["id"],
        "deal_id": deal,
        "campaign_id": await k.campaign(world, deal),
        "integration_id": await k.integration(world),
        "partner_sid": (await core_partner(world, world.alice))["partner_sid"],
        "object_id": (await crm_object(world, world.alice, property_string="x"))["id"],
    }


# What a page needs in its query to show its form.
QUERIES = {"/console/hood/integrations/new": "?provider=1000"}


def _page(path: str, ids: dict[str, str]) -> str:
    """A page's path with real ids (a CRM `name` is a property's or a group's)."""
    crm_name = "partner_client_information" if "/groups/" in path else "property_string"
    return PARAM.sub(lambda m: ids.get(m[1], crm_name), path) + QUERIES.get(path, "")


_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.S)


def _fields(form: str) -> tuple[dict[str, str], list[str]]:
    """A form's hidden values as the page set them, and the names of the fields one types in."""
    hidden, typed = {}, []
    for _, attributes in _FIELD.findall(form):
        name = re.search(r'name="([^"]+)"', attributes)
        if not name or name[1] == "csrf":
            continue
        if 'type="hidden"' in attributes:
            value = re.search(r'value="([^"]*)"', attributes)
            hidden.setdefault(name[1], value[1] if value else "")
        else:
            typed.append(name[1])
    return hidden, typed


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=lambda v: repr(v[:12]))
async def test_hostile_values_in_every_form_never_get_a_500(
    world: World, console: Console, value: str | list[str]
) -> None:
    ids = await _objects(world)
    tried: set[tuple[str, ...]] = set()
    pages = [_page(path, ids) for method, path in _routes(world) if method == "GET"]
    for page in pages:
        shown = await console.get(page)
        assert shown.status_code == 200, page
        for action, form in _FORM.findall(shown.text):
            hidden, typed = _fields(form)
            if not typed or (action, *typed) in tried:
                continue  # a button alone sends nothing one types
            tried.add((action, *typed))
            response = await console.post(action, {**hidden, **dict.fromkeys(typed, value)})
            assert response.status_code < 500, (action, text_of(response.text)[:300])
            assert k.TWILIO["auth_token"] not in response.text, action
            await console.get(page)  # the next form posts with a fresh version
    assert len(tried) >= 18, sorted(tried)


_CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)


def _unlabelled(page: str) -> list[str]:
    """The form controls one can reach that no `<label for>` names."""
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', page))
    missing = []
    for tag, attributes in _CONTROL.findall(page):
        if 'type="hidden"' in attributes:
            continue
        found = re.search(r'id="([^"]+)"', attributes)
        if not found or found[1] not in labelled:
            missing.append(f"<{tag}{attributes[:80]}>")
    return missing


async def test_every_page_names_its_controls_tables_and_itself(
    world: World, console: Console
) -> None:
    ids = await _objects(world)
    wrong = {}
    for path in [_page(path, ids) for method, path in _routes(world) if method == "GET"]:
        page = (await console.get(path)).text
        tables = page.count("<table")
        problems = _unlabelled(page)
        if page.count("<caption") != tables:
            problems.append(f"{tables} tables, {page.count('<caption')} captions")
        if page.count("<h1") != 1:
            problems.append("not one <h1>")
        if problems:
            wrong[path] = problems
    assert wrong == {}
