"""CRM property definitions (HubSpot's model) and the rules for their values.

Every value is a string on the wire and in storage. `normalise` checks one value against its
definition and answers the stored form (None clears the value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from partnerhub.domain import numbers
from partnerhub.errors import FieldProblem, ValidationFailed

OBJECT_TYPE = "partner_clients"
DEFAULT_GROUP = "partner_client_information"
MAX_STRING = 65_536
MAX_UNIQUE_PER_OBJECT = 10

# type → the field types it may be shown with (reference/hubspot.md §10).
FIELD_TYPES: dict[str, tuple[str, ...]] = {
    "bool": ("booleancheckbox", "calculation_equation"),
    "enumeration": ("booleancheckbox", "checkbox", "radio", "select", "calculation_equation"),
    "date": ("date",),
    "datetime": ("date",),
    "string": ("text", "textarea", "file", "html", "phonenumber", "calculation_equation"),
    "number": ("number", "calculation_equation"),
    "phone_number": ("phonenumber", "text"),
}
TYPES = tuple(FIELD_TYPES)
ALL_FIELD_TYPES = tuple(sorted({f for fs in FIELD_TYPES.values() for f in fs}))
NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")
RESERVED_PREFIX = "hs_"
# Routes under /properties/partner_clients/ that a property name would shadow.
RESERVED_NAMES = frozenset({"groups", "batch"})

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DAY_MS = 86_400_000
_MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


@dataclass(frozen=True, slots=True)
class PropertyDef:
    name: str
    label: str
    type: str
    field_type: str
    group_name: str = DEFAULT_GROUP
    description: str = ""
    options: tuple[dict[str, Any], ...] = ()
    has_unique_value: bool = False
    hidden: bool = False
    display_order: int = -1
    form_field: bool = True
    archived: bool = False
    archived_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    hubspot_defined: bool = False
    read_only: bool = False
    version: int = 1

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(str(o["value"]) for o in self.options)

    @property
    def is_multi(self) -> bool:
        return self.type == "enumeration" and self.field_type == "checkbox"

    @property
    def is_text(self) -> bool:
        return self.type in ("string", "phone_number")

    def with_changes(self, **changes: Any) -> PropertyDef:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    label: str
    display_order: int = -1
    archived: bool = False
    version: int = 1


def _builtin(name: str, label: str, type_: str, field_type: str) -> PropertyDef:
    return PropertyDef(
        name=name,
        label=label,
        type=type_,
        field_type=field_type,
        hubspot_defined=True,
        read_only=True,
        form_field=False,
    )


BUILTINS: dict[str, PropertyDef] = {
    p.name: p
    for p in (
        _builtin("hs_object_id", "Record ID", "number", "number"),
        _builtin("hs_createdate", "Create date", "datetime", "date"),
        _builtin("hs_lastmodifieddate", "Last modified date", "datetime", "date"),
    )
}
DEFAULT_PROPERTIES = tuple(BUILTINS)


@dataclass(frozen=True, slots=True)
class ValueProblem:
    code: str
    message: str


class InvalidValue(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.problem = ValueProblem(code, message)


def property_field(name: str) -> str:
    """The FieldProblem path of a property: the CRM renderer turns it into context.propertyName."""
    return f"properties.{name}"


def _number(value: str, name: str) -> str:
    text = value.strip()
    if not _NUMBER.fullmatch(text):
        raise InvalidValue("INVALID_INTEGER", f"{value} was not a valid number")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees it parses
        raise InvalidValue("INVALID_INTEGER", f"{value} was not a valid number") from None
    if not number.is_finite() or abs(number) >= Decimal("1e300"):
        raise InvalidValue("INVALID_INTEGER", f"{value} is out of range for {name}")
    return text


def epoch_ms(value: str) -> int | None:
    ms = numbers.ascii_int(value.strip(), signed=True, max_digits=16)
    if ms is not None:
        return ms if -62_135_596_800_000 <= ms <= _MAX_MS else None
    return None


def parse_datetime_ms(value: str) -> int | None:
    """Epoch milliseconds of an ISO-8601 date-time (or date) or of an epoch-ms string."""
    ms = epoch_ms(value)
    if ms is not None:
        return ms
    text = value.strip()
    if len(text) > 40 or not text.isascii():  # fromisoformat reads non-ASCII digits
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def iso_ms(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_date_ms(value: str) -> int:
    """A date as epoch ms at midnight UTC, from `YYYY-MM-DD` or epoch ms (at midnight)."""
    text = value.strip()
    ms = epoch_ms(text)
    if ms is not None:
        if ms % _DAY_MS:
            moment = datetime.fromtimestamp(ms / 1000, UTC)
            raise InvalidValue(
                "INVALID_DATE",
                f"{value} is at {moment:%H:%M:%S}.{ms % 1000:03d} UTC, not midnight!",
            )
        return ms
    try:
        day = date.fromisoformat(text) if len(text) == 10 and text.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidValue(
            "INVALID_DATE", f"{value} is not a valid date (YYYY-MM-DD or epoch ms at midnight UTC)"
        )
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def _enumeration(prop: PropertyDef, value: str, current: str | None) -> str:
    allowed = prop.option_values
    if not prop.is_multi:
        if value not in allowed:
            raise InvalidValue(
                "INVALID_OPTION",
                f"{value} was not one of the allowed options: [{', '.join(allowed)}]",
            )
        return value
    append = value.startswith(";")
    chosen = [v for v in value.split(";") if v != ""]
    bad = [v for v in chosen if v not in allowed]
    if bad:
        raise InvalidValue(
            "INVALID_OPTION",
            f"{bad[0]} was not one of the allowed options: [{', '.join(allowed)}]",
        )
    if append and current:
        chosen = [v for v in current.split(";") if v] + chosen
    unique = list(dict.fromkeys(chosen))
    return ";".join(unique)


def normalise(prop: PropertyDef, value: Any, current: str | None = None) -> str | None:
    """The stored form of `value` for `prop`; None when the value is cleared (`""`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidValue("INVALID_TYPE", f"The value of {prop.name} must be a string")
    if value == "":
        return None
    if prop.is_multi and value.strip(";") == "":
        return current  # appending nothing
    if "\x00" in value:
        raise InvalidValue("INVALID_STRING", f"The value of {prop.name} must not hold NUL bytes")
    kind = prop.type
    if kind == "bool":
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise InvalidValue("INVALID_BOOLEAN", f"{value} was not a valid boolean (true|false)")
        return lowered
    if kind == "number":
        return _number(value, prop.name)
    if kind == "date":
        return str(parse_date_ms(value))
    if kind == "datetime":
        ms = parse_datetime_ms(value)
        if ms is None or not 0 <= ms <= _MAX_MS:
            raise InvalidValue(
                "INVALID_DATETIME", f"{value} is not a valid date-time (ISO-8601 or epoch ms)"
            )
        return iso_ms(ms)
    if kind == "enumeration":
        return _enumeration(prop, value, current)
    if len(value) > MAX_STRING:
        raise InvalidValue(
            "INVALID_STRING", f"The value of {prop.name} is longer than {MAX_STRING} characters"
        )
    return value


def apply_values(
    defs: Mapping[str, PropertyDef],
    current: Mapping[str, str],
    sent: Mapping[str, Any],
) -> dict[str, str]:
    """The object's properties after writing `sent`; every bad property is reported at once."""
    problems: list[FieldProblem] = []
    result = dict(current)
    for name, raw in sent.items():
        prop = defs.get(name)
        if prop is None or prop.archived:
            builtin = BUILTINS.get(name)
            if builtin is not None:
                problems.append(
                    FieldProblem(
                        property_field(name),
                        f'Property "{name}" is read-only',
                        "READ_ONLY_VALUE",
                    )
                )
                continue
            problems.append(
                FieldProblem(
                    property_field(name),
                    f'Property "{name}" does not exist',
                    "PROPERTY_DOESNT_EXIST",
                )
            )
            continue
        try:
            value = normalise(prop, raw, current.get(name))
        except InvalidValue as exc:
            problems.append(
                FieldProblem(property_field(name), exc.problem.message, exc.problem.code)
            )
            continue
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    if problems:
        raise ValidationFailed(problems)
    return result


def check_options(options: Sequence[dict[str, Any]], path: str) -> tuple[dict[str, Any], ...]:
    seen: set[str] = set()
    for index, option in enumerate(options):
        value = str(option["value"])
        if value in seen:
            raise ValidationFailed.one(
                f"{path}.{index}.value", f"Option value {value!r} appears more than once."
            )
        if ";" in value:
            raise ValidationFailed.one(
                f"{path}.{index}.value", f"Option value {value!r} must not contain ';'."
            )
        seen.add(value)
    return tuple(options)


def check_definition(prop: PropertyDef) -> None:
    """Rules every stored definition satisfies (create and the merged result of PATCH)."""
    allowed = FIELD_TYPES.get(prop.type)
    if allowed is None:
        raise ValidationFailed.one(
            "type", f"type must be one of {', '.join(TYPES)}.", "INVALID_PROPERTY_TYPE"
        )
    if prop.field_type not in allowed:
        raise ValidationFailed.one(
            "fieldType",
            f"fieldType {prop.field_type} is not valid for type {prop.type}; "
            f"use one of {', '.join(allowed)}.",
            "INVALID_FIELD_TYPE",
        )
    if prop.type == "enumeration" and not prop.options:
        raise ValidationFailed.one(
            "options", "options are required for enumeration properties.", "OPTIONS_REQUIRED"
        )
    if prop.type == "bool" and prop.options:
        values = {str(o["value"]) for o in prop.options}
        if not values <= {"true", "false"}:
            raise ValidationFailed.one("options", "bool options must have values true and false.")
    if prop.options and prop.type not in ("enumeration", "bool"):
        raise ValidationFailed.one("options", f"options do not apply to type {prop.type}.")


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValidationFailed.one(
            "name",
            "name must start with a lower-case letter and hold only a-z, 0-9 and _ "
            "(at most 100 characters).",
            "INVALID_PROPERTY_NAME",
        )
    if name.startswith(RESERVED_PREFIX) or name in RESERVED_NAMES:
        raise ValidationFailed.one(
            "name", f"name {name!r} is reserved (hs_ prefix, groups, batch).", "RESERVED_NAME"
        )
    return name


def check_group_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValidationFailed.one(
            "name",
            "name must start with a lower-case letter and hold only a-z, 0-9 and _ "
            "(at most 100 characters).",
            "INVALID_GROUP_NAME",
        )
    return name


@dataclass(frozen=True, slots=True)
class Definitions:
    """The property definitions of one account: custom ones plus the built-ins."""

    custom: dict[str, PropertyDef] = field(default_factory=dict)

    def active(self) -> dict[str, PropertyDef]:
        return {n: p for n, p in self.custom.items() if not p.archived}

    def readable(self) -> dict[str, PropertyDef]:
        return {**BUILTINS, **self.active()}

    def unique(self) -> dict[str, PropertyDef]:
        return {n: p for n, p in self.active().items() if p.has_unique_value}


@dataclass(frozen=True, slots=True)
class Record:
    """One CRM object: its stored property values (strings) and bookkeeping."""

    id: int
    version: int
    properties: dict[str, str]
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    def values(self) -> dict[str, str]:
        """Stored values plus the built-in read-only properties."""
        return {
            **self.properties,
            "hs_object_id": str(self.id),
            "hs_createdate": iso_datetime(self.created_at),
            "hs_lastmodifieddate": iso_datetime(self.updated_at),
        }


def iso_datetime(moment: datetime) -> str:
    """ISO-8601 in UTC with milliseconds and Z: `2019-10-30T03:30:17.883Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
