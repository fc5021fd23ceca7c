"""Hood campaign field rules: labels, times, the free-form objects and ab_test.

Each takes the raw value and the field's dotted path and returns the normalized value or raises
`ValidationFailed` naming the field and the rule. They run at parse and, for a PATCH, again on
the merged objects (an ab_test merge must still be a complete ab_test).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerhub.domain import validators
from partnerhub.errors import ProblemList, ValidationFailed

MAX_LABELS = 50
LABEL_MAX_LEN = 100
# metadata, recurrence, utm_tracking, quiet_hours, targeting, ab_test: JSON objects of at most
# this many bytes (UTF-8, compact), each.
MAX_OBJECT_BYTES = 8192
OBJECT_FIELDS = ("metadata", "ab_test", "recurrence", "utm_tracking", "quiet_hours", "targeting")
MAX_SCHEDULE_AHEAD = timedelta(days=3650)
HOOD_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_HOOD_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_LANG = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

AB_FIELDS = ("name", "test_split", "winning_metric", "evaluation_window", "winner_delivery_mode")
AB_METRICS = ("open_rate", "click_rate", "conversion_rate", "revenue")
AB_DELIVERY_MODES = ("automatic", "manual")
AB_SPLIT = (1, 100)  # percent of the audience that gets the test variants
AB_WINDOW_HOURS = (1, 720)  # how long the variants are compared before a winner is chosen


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed.one(field, f"{field} {message}")


def labels(value: object, field: str) -> tuple[str, ...]:
    """An array of labels, or one comma-separated string of them (Ocamba shows both); kept in
    order, repeats dropped."""
    if isinstance(value, str):
        items: list[object] = [p.strip() for p in validators.no_nul(value, field).split(",")]
        items = [p for p in items if p]
    elif isinstance(value, list):
        items = value
    else:
        raise _fail(field, "must be an array of strings or a comma-separated string.")
    if len(items) > MAX_LABELS:
        raise _fail(field, f"must have at most {MAX_LABELS} labels.")
    found = [
        validators.short_text(item, f"{field}.{i}", max_len=LABEL_MAX_LEN)
        for i, item in enumerate(items)
    ]
    return tuple(dict.fromkeys(found))


def hood_time(value: object, field: str) -> datetime:
    """ "YYYY-MM-DD HH:MM:SS" (GMT), ASCII digits only."""
    if not isinstance(value, str) or not _HOOD_TIME.fullmatch(value):
        raise _fail(field, 'must be a time as "YYYY-MM-DD HH:MM:SS" (GMT).')
    try:
        return datetime.strptime(value, HOOD_TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise _fail(field, "must be a real date and time.") from None


def future_time(value: object, field: str, now: datetime) -> datetime:
    when = hood_time(value, field)
    if when <= now:
        raise _fail(field, "must be in the future.")
    if when > now + MAX_SCHEDULE_AHEAD:
        raise _fail(field, "must be at most 10 years ahead.")
    return when


def language(value: object, field: str) -> str:
    text = validators.short_text(value, field, max_len=35)
    if not _LANG.fullmatch(text):
        raise _fail(field, "must be a language code (en, pt-BR).")
    return text


def bounded_object(value: object, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(field, "must be an object.")
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_OBJECT_BYTES:
        raise _fail(field, f"must be at most {MAX_OBJECT_BYTES} bytes of JSON.")
    return value


def _integer(value: object, field: str, bounds: tuple[int, int], problems: ProblemList) -> None:
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.add(field, f"{field} must be an integer from {low} to {high}.")


def ab_test(value: object, field: str) -> dict[str, Any]:
    """All five fields required; others are dropped."""
    obj = bounded_object(value, field)
    problems = ProblemList()
    for name in AB_FIELDS:
        if obj.get(name) is None:
            problems.add(f"{field}.{name}", f"{field}.{name} is required.", "MISSING")
    problems.raise_if_any()
    validators.short_text(obj["name"], f"{field}.name", max_len=100)
    validators.enum(obj["winning_metric"], f"{field}.winning_metric", AB_METRICS)
    validators.enum(obj["winner_delivery_mode"], f"{field}.winner_delivery_mode", AB_DELIVERY_MODES)
    _integer(obj["test_split"], f"{field}.test_split", AB_SPLIT, problems)
    _integer(obj["evaluation_window"], f"{field}.evaluation_window", AB_WINDOW_HOURS, problems)
    problems.raise_if_any()
    return {k: obj[k] for k in AB_FIELDS}


def object_field(name: str, value: object, field: str | None = None) -> dict[str, Any]:
    """The rule of one of OBJECT_FIELDS."""
    where = field or name
    return ab_test(value, where) if name == "ab_test" else bounded_object(value, where)
