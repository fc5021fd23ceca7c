"""The bounds of a Hood deal's fields (reference §5.1, §5.4) and their validators.

Each validator takes the raw JSON value and the field's dotted path, and returns the value as
the domain keeps it or raises `ValidationFailed` naming the field and the rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from partnerhub.domain import bounds, ids, numbers, validators
from partnerhub.domain.hood_deals import DEVICES, MAX_PRICES
from partnerhub.errors import ValidationFailed

NAME_MAX = bounds.length("hood_deals", "name")
DESCRIPTION_MAX = bounds.length("hood_deals", "description")
POSTBACK_MAX = bounds.length("hood_deals", "postback")
EVENT_NAME_MAX = 32
FREQUENCY_MAX = 1_000_000
TIME_WINDOW_MAX = 365 * 24 * 3600  # one year, in seconds
PERFORMANCE_CONDITIONS_MAX = 10_000  # characters of its JSON
# Placeholders a postback URL template may hold ({OCMH_CLICK_ID}, {OCMH_PAYOUT}, …).
PLACEHOLDER = re.compile(r"\{[A-Za-z0-9_]{1,64}\}")


@dataclass(frozen=True, slots=True)
class Range:
    """A decimal's bounds and how many decimal places it keeps."""

    low: Decimal
    high: Decimal
    places: int

    def parse(self, value: object, field: str) -> Decimal:
        return numbers.decimal(value, field, low=self.low, high=self.high, places=self.places)


BASE_PRICE = Range(Decimal("0.01"), Decimal("10000"), 4)
COUNTRY_PRICE = Range(Decimal("0.1"), Decimal("10000"), 4)
EVENT_PRICE = COUNTRY_PRICE
DEVICE_PRICE = Range(Decimal("0"), Decimal("100"), 2)  # a percentage
BUDGET = Range(Decimal("0"), Decimal("1000000"), 2)  # budget and total_spend_cap


def _fail(field: str, rule: str) -> ValidationFailed:
    return ValidationFailed.one(field, f"{field} {rule}")


def partner_id(value: object, field: str) -> int:
    """A partner id as Ocamba's examples send it: a digit string or the same as a number."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    if isinstance(value, str) and ids.is_numeric_id(value):
        return int(value)
    raise _fail(field, 'must be a partner id (a digit string such as "1000232").')


def time_window(value: object, field: str) -> int:
    return numbers.integer(value, field, low=0, high=TIME_WINDOW_MAX)


def frequency_max(value: object, field: str) -> int:
    return numbers.integer(value, field, low=1, high=FREQUENCY_MAX)


def postback(value: object, field: str) -> str:
    """An http(s) URL template: `{NAME}` placeholders stand for values filled in later."""
    text = validators.short_text(value, field, max_len=POSTBACK_MAX)
    bare = PLACEHOLDER.sub("x", text)
    if "{" in bare or "}" in bare:
        raise _fail(field, "placeholders must look like {OCMH_CLICK_ID} (letters, digits, _).")
    try:
        validators.http_url(bare, field)
    except ValidationFailed:
        raise _fail(
            field, "must be an http(s) URL template (https://example.com/pb?c={OCMH_CLICK_ID})."
        ) from None
    return text


def performance_conditions(value: Mapping[str, Any], field: str) -> dict[str, Any]:
    """Any JSON object, kept as given, of bounded size."""
    if len(json.dumps(value, ensure_ascii=False)) > PERFORMANCE_CONDITIONS_MAX:
        raise _fail(field, f"must be at most {PERFORMANCE_CONDITIONS_MAX} characters as JSON.")
    return dict(value)


def _country(key: str, field: str) -> str:
    return validators.country_alpha2(key, field)


def _device(key: str, field: str) -> str:
    return validators.enum(key, field, DEVICES)


def _event(key: str, field: str) -> str:
    return validators.short_text(key, field, max_len=EVENT_NAME_MAX)


PriceMap = dict[str, Decimal | None]


def _prices(
    value: Mapping[str, object],
    field: str,
    *,
    name: str,
    key: Callable[[str, str], str],
    bounds: Range,
    removable: bool,
) -> PriceMap:
    """{key: price}; with `removable` (a PATCH) a null price removes that key."""
    if len(value) > MAX_PRICES[name]:
        raise _fail(field, f"must hold at most {MAX_PRICES[name]} prices.")
    prices: PriceMap = {}
    for raw_key, raw in value.items():
        where = f"{field}.{raw_key[:40]}"
        normal = key(raw_key, where)
        if normal in prices:
            raise _fail(where, f"is given twice (as {normal}).")
        prices[normal] = None if raw is None and removable else bounds.parse(raw, where)
    return prices


def price_map(
    name: str, *, removable: bool = False
) -> Callable[[Mapping[str, object], str], PriceMap]:
    """The validator of one of the three price maps."""
    key, bounds = {
        "country_price": (_country, COUNTRY_PRICE),
        "device_price": (_device, DEVICE_PRICE),
        "event_price": (_event, EVENT_PRICE),
    }[name]

    def check(value: Mapping[str, object], field: str) -> PriceMap:
        return _prices(value, field, name=name, key=key, bounds=bounds, removable=removable)

    return check
