"""What the console's Hood pages share: turning a posted form into the wire dict the API's own
mapping reads, and refilling a form the API refused (editing.py has what every area shares).

A form's fields are named like the wire's keys (dotted for a nested one, e.g.
`billing_address.city`), so the API's messages, which name those keys, land next to the field
that caused them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from partnerhub.surfaces.console.forms import Form
from partnerhub.surfaces.hood.routing import edge as edge  # re-exported: the Hood pages' edge

Kind = Literal["text", "number", "flag", "list"]
# What an empty input sends: nothing (the field stays as it is, or is left out of a create),
# `null` (the API clears the field), or "" as typed (the API says what it needs instead).
Empty = Literal["absent", "null", "send"]

# A JSON number as the API would read it; anything else is sent as text, so the API's own
# type message ("… must be a number") answers it (unicode digits such as '²' included).
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
FLAGS = {"true": True, "false": False}
YES_NO = (("true", "yes"), ("false", "no"))  # a flag's select
_ABSENT = object()  # an empty input that sends nothing


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


def posted_values(form: Form, fields: Sequence[In]) -> dict[str, Any]:
    """A form's fields as posted, to refill it after the API refused it."""
    return {
        f.name: [v for v in form.getlist(f.name) if v] if f.kind == "list" else form.get(f.name)
        for f in fields
    }


def names(fields: Sequence[In]) -> list[str]:
    return [f.name for f in fields]
