"""What the Core and CRM pages share: history paging, form versions, the API's messages placed
next to the form field they concern, and reading checkboxes and numbers from a form."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from starlette.requests import Request

from partnerhub.domain import numbers
from partnerhub.domain.versioning import etag
from partnerhub.errors import DomainError, PreconditionFailed, ValidationFailed
from partnerhub.surfaces.console.forms import Form

HISTORY_PER_PAGE = 20
_MAX_PAGE_DIGITS = 9


def page_number(request: Request) -> int:
    """`?page=` of a paged list (1 when absent); anything but ASCII digits from 1 is a 422."""
    raw = request.query_params.get("page", "")
    if raw == "":
        return 1
    number = numbers.ascii_int(raw, max_digits=_MAX_PAGE_DIGITS)
    if number is None or number < 1:
        raise ValidationFailed.one("page", "page must be a whole number from 1.")
    return number


def history_offset(page: int) -> int:
    return (page - 1) * HISTORY_PER_PAGE


class StaleForm(DomainError):
    """The object changed after the form was loaded (its If-Match no longer matches)."""

    status = 412
    code = "PRECONDITION_FAILED"

    def __init__(self) -> None:
        super().__init__(
            "This object was changed since the form was loaded: the page now shows its "
            "current values. Check the form and save again."
        )


@contextmanager
def version_checked() -> Iterator[None]:
    """Around a write that passed `if_match(form)`: a version mismatch is the form's error."""
    try:
        yield
    except PreconditionFailed:
        raise StaleForm from None


def if_match(form: Form) -> str | None:
    """The form's hidden `version` as an If-Match for the service (None when not sent)."""
    raw = form.get("version")
    if raw == "":
        return None
    version = numbers.ascii_int(raw)
    if version is None:
        raise ValidationFailed.one(
            "version", "version must be the version the form was loaded with."
        )
    return etag(version)


def by_form_field(errors: Mapping[str, list[str]], fields: Iterable[str]) -> dict[str, list[str]]:
    """Each message under the form field it concerns: `acls.0.direction` goes next to `acls`
    (the message itself names the full path). Fields the form lacks keep their own name."""
    names = tuple(fields)
    grouped: dict[str, list[str]] = {}
    for name, messages in errors.items():
        target = name
        if name not in names:
            target = next((f for f in names if name.startswith(f + ".")), name)
        grouped.setdefault(target, []).extend(messages)
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
