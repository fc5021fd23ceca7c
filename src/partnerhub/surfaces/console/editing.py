"""What every console page that shows an object and edits it shares: its history timeline by
pages, the form's version as If-Match (a stale form is its own error), the API's messages
placed next to the form field they concern, and reading checkboxes and numbers from a form."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.requests import Request

from partnerhub.domain import numbers
from partnerhub.domain.history import HistoryEntry
from partnerhub.domain.versioning import etag
from partnerhub.errors import DomainError, PreconditionFailed, ValidationFailed
from partnerhub.services.runtime import UnitOfWork
from partnerhub.surfaces.common.edge import Edge
from partnerhub.surfaces.console.forms import Form

HISTORY_PER_PAGE = 20
_MAX_PAGE_DIGITS = 9

# A service's history read with everything but `limit` and `offset` bound (functools.partial).
HistoryRead = Callable[..., Awaitable[tuple[int, list[HistoryEntry]]]]


def _page_number(request: Request) -> int:
    """`?page=` of a paged list (1 when absent); anything but ASCII digits from 1 is a 422."""
    raw = request.query_params.get("page", "")
    if raw == "":
        return 1
    number = numbers.ascii_int(raw, max_digits=_MAX_PAGE_DIGITS)
    if number is None or number < 1:
        raise ValidationFailed.one("page", "page must be a whole number from 1.")
    return number


@dataclass(frozen=True, slots=True)
class History:
    """One page of an object's history, for the `history` macro."""

    total: int
    entries: list[HistoryEntry]
    page: int
    per_page: int


async def history(request: Request, read: HistoryRead) -> History:
    """The page of the history `?page=` asks for (bad input is a 422 before anything is read)."""
    page = _page_number(request)
    total, entries = await read(limit=HISTORY_PER_PAGE, offset=(page - 1) * HISTORY_PER_PAGE)
    return History(total, entries, page, HISTORY_PER_PAGE)


class StaleForm(DomainError):
    """The object changed after the form was loaded (its If-Match no longer matches)."""

    status = 412
    code = "PRECONDITION_FAILED"

    def __init__(self, kind: str, current_etag: str) -> None:
        version = current_etag.strip('"')
        super().__init__(
            f"This {kind} was changed since this form was loaded (it is now at version "
            f"{version}): reload the page and make your change again."
        )


def if_match(form: Form) -> str | None:
    """The form's hidden `version` as the If-Match the API would get (None when not sent)."""
    raw = form.get("version")
    if raw == "":
        return None
    version = numbers.ascii_int(raw)
    if version is None:
        raise ValidationFailed.one(
            "version", "version must be the version the form was loaded with."
        )
    return etag(version)


@asynccontextmanager
async def versioned_write(
    request: Request, edge: Edge, form: Form, kind: str
) -> AsyncIterator[tuple[UnitOfWork, str | None]]:
    """`edge`'s write transaction for a form that carries the version it was loaded with: the
    unit of work, and that version as the If-Match for the service (a bad one is a 422 before
    the transaction opens). A version mismatch rolls the write back and is the form's
    StaleForm, naming the `kind` of object."""
    tag = if_match(form)
    try:
        async with edge.write(request) as uow:
            yield uow, tag
    except PreconditionFailed as stale:
        raise StaleForm(kind, stale.current_etag) from None


def by_field(errors: Mapping[str, list[str]], fields: Iterable[str]) -> dict[str, list[str]]:
    """Each of the API's messages under the form field it concerns: the field it names, else the
    longest one holding it (`acls.0.direction` goes next to `acls`; the message itself names the
    full path); one that no field of the form holds goes to the form as a whole ("")."""
    names = tuple(fields)
    grouped: dict[str, list[str]] = {}
    for where, messages in errors.items():
        owner = max(
            (n for n in names if where == n or where.startswith(n + ".")), key=len, default=""
        )
        grouped.setdefault(owner, []).extend(messages)
    return grouped


def checkbox(form: Form, name: str) -> bool | None:
    """A checkbox sent with its hidden "false" twin: None when neither was sent (the field was
    not on the form), else whether it was ticked."""
    values = form.getlist(name)
    if not values:
        return None
    return "true" in values


def integer_or_text(text: str) -> int | str:
    """An integer field's text as the API's JSON would carry it: the integer, or the text
    itself, so that the API's validation names what is wrong with it."""
    number = numbers.ascii_int(text.strip(), signed=True)
    return number if number is not None else text
