"""What the console's Hood pages share: entering an area, turning a posted form into the wire
dict the API's own mapping reads, stale forms (If-Match), history pages and errors by field.

A form's fields are named like the wire's keys (dotted for a nested one, e.g.
`billing_address.city`), so the API's messages, which name those keys, land next to the field
that caused them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from starlette.requests import Request

from partnerhub.domain.history import HistoryEntry
from partnerhub.domain.hood_listquery import ListQuery, parse_list_query
from partnerhub.errors import DomainError, PreconditionFailed
from partnerhub.surfaces.console import session
from partnerhub.surfaces.console.areas import Area
from partnerhub.surfaces.console.forms import Form
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.hood import query
from partnerhub.surfaces.hood.routing import edge as edge  # re-exported: the Hood pages' edge

Kind = Literal["text", "number", "flag", "list"]
# What an empty input sends: nothing (the field stays as it is, or is left out of a create),
# `null` (the API clears the field), or "" as typed (the API says what it needs instead).
Empty = Literal["absent", "null", "send"]
Errors = dict[str, list[str]]

# A JSON number as the API would read it; anything else is sent as text, so the API's own
# type message ("… must be a number") answers it (unicode digits such as '²' included).
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
FLAGS = {"true": True, "false": False}
_ABSENT = object()  # an empty input that sends nothing


async def enter(request: Request, area: Area, *, write: bool = False) -> Session:
    """The session of a Hood page of `area`: Hood's rate limits spent, its scope held."""
    return await session.enter(request, edge, *(area.write if write else area.read))


@dataclass(frozen=True, slots=True)
class In:
    """One form field of a command: its wire name, how its text is read, what empty sends."""

    name: str
    kind: Kind = "text"
    empty: Empty = "absent"


def _value(form: Form, field: In) -> Any:
    if field.kind == "list":
        return [v for v in form.getlist(field.name) if v]
    text = form.get(field.name)
    if text == "":
        return None if field.empty == "null" else ("" if field.empty == "send" else _ABSENT)
    if field.kind == "number" and _JSON_NUMBER.fullmatch(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:  # beyond a double (1e400): the API's type message
            return text
    if field.kind == "flag":
        return FLAGS.get(text, text)
    return text


def wire(
    form: Form, fields: Sequence[In], *, empty_groups: Mapping[str, Empty] | None = None
) -> dict[str, Any]:
    """The wire dict of the `fields` the form carries (a field it does not carry is not sent).
    A nested object whose every field is empty is sent as `empty_groups[name]` says (absent
    by default); otherwise its keys follow their own rule."""
    body: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {}
    for field in fields:
        if not form.has(field.name):
            continue
        value = _value(form, field)
        group, dot, key = field.name.partition(".")
        if dot:
            groups.setdefault(group, {})[key] = value
        elif value is not _ABSENT:
            body[field.name] = value
    for group, values in groups.items():
        given = {k: v for k, v in values.items() if v is not _ABSENT}
        if any(v not in (None, "") for v in given.values()):
            body[group] = given
        elif (empty_groups or {}).get(group, "absent") == "null":
            body[group] = None
    return body


def fit(errors: Errors, names: Sequence[str]) -> Errors:
    """The API's messages by the form field they belong to: a message about `type.0` or
    `settings.port` goes to the field `type` or `settings.port`; one no field holds goes to the
    form as a whole ("")."""
    fitted: Errors = {}
    for where, messages in errors.items():
        owner = max(
            (n for n in names if where == n or where.startswith(n + ".")), key=len, default=""
        )
        fitted.setdefault(owner, []).extend(messages)
    return fitted


def posted_values(form: Form, fields: Sequence[In]) -> dict[str, Any]:
    """A form's fields as posted, to refill it after the API refused it."""
    return {
        f.name: [v for v in form.getlist(f.name) if v] if f.kind == "list" else form.get(f.name)
        for f in fields
    }


def choices(values: Sequence[str]) -> list[tuple[str, str]]:
    """A select's options whose labels are their values."""
    return [(v, v) for v in values]


def names(fields: Sequence[In]) -> list[str]:
    return [f.name for f in fields]


class StaleForm(DomainError):
    """The object changed since the form was loaded (its version is not the form's)."""

    status = 412
    code = "PRECONDITION_FAILED"

    def __init__(self, kind: str, current_etag: str) -> None:
        super().__init__(
            f"This {kind} was changed since this form was loaded (it is now at version "
            f"{current_etag.strip(chr(34))}): reload the page and make your change again.",
            field="version",
        )


def if_match(form: Form) -> str | None:
    """The form's `version` as the If-Match the API would get (none without the field)."""
    version = form.get("version")
    return f'"{version}"' if version else None


@contextmanager
def stale_as(kind: str) -> Iterator[None]:
    try:
        yield
    except PreconditionFailed as stale:
        raise StaleForm(kind, stale.current_etag) from None


@dataclass(frozen=True, slots=True)
class History:
    total: int
    entries: list[HistoryEntry]
    page: int
    per_page: int


def history_query(request: Request) -> ListQuery:
    """The history page asked for (`?page=N`; bad input is the API's 422 message)."""
    page = request.query_params.get("page")
    return parse_list_query([("page", page)] if page else [], query.PAGE_ONLY)


async def history(
    q: ListQuery, read: Callable[..., Awaitable[tuple[int, list[HistoryEntry]]]]
) -> History:
    total, entries = await read(limit=q.per_page, offset=q.offset)
    return History(total, entries, q.page, q.per_page)


# A partner page shows at most this many of its deals (and their campaigns): a page of the API.
RELATED_PAGE = f"1,{query.DEALS.max_per_page}"
