"""Numbers as JSON sends them, parsed strictly: bounded integers, and decimals (money, prices)
kept exact as `Decimal` and stored as canonical strings.

Only JSON numbers count: a string ("12", "²"), a boolean (`true` is an int in Python), NaN or
an infinity is refused, whatever it looks like. A float is read through its shortest repr, so
`0.1` is exactly 0.1.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from partnerhub.domain.core_partners import format_money
from partnerhub.errors import ValidationFailed

__all__ = ["ascii_int", "canonical", "decimal", "integer", "json_number"]


def _fail(field: str, rule: str) -> ValidationFailed:
    return ValidationFailed.one(field, f"{field} {rule}")


def ascii_int(text: str, *, signed: bool = False, max_digits: int = 18) -> int | None:
    """The integer a wire text spells in ASCII digits (optional "-" when signed), else None.

    The one parser for numbers given as text: `str.isdigit()` accepts "²" and `int()` reads
    "٣", so neither is used on request data."""
    digits = text[1:] if signed and text.startswith("-") else text
    if not 1 <= len(digits) <= max_digits or not all("0" <= ch <= "9" for ch in digits):
        return None
    return int(text)


def integer(value: object, field: str, *, low: int, high: int) -> int:
    """A JSON integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, "must be an integer.")
    if not low <= value <= high:
        raise _fail(field, f"must be between {low} and {high}.")
    return value


def decimal(value: object, field: str, *, low: Decimal, high: Decimal, places: int) -> Decimal:
    """A JSON number in [low, high] with at most `places` decimal places."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(field, "must be a number.")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:  # pragma: no cover - every finite float has a decimal repr
        raise _fail(field, "must be a number.") from None
    if not number.is_finite():
        raise _fail(field, "must be a finite number.")
    if not low <= number <= high:
        raise _fail(field, f"must be between {canonical(low)} and {canonical(high)}.")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise _fail(field, f"must have at most {places} decimal places.")
    return Decimal(canonical(number))


def canonical(number: Decimal) -> str:
    """As stored: plain digits, no exponent, no trailing zeros ("12.5", "100")."""
    return format_money(number)


def json_number(number: Decimal) -> int | float:
    """As answered: an integer when whole, else the float whose shortest repr is the decimal
    (exact for the few decimal places money and prices keep)."""
    return int(number) if number == number.to_integral_value() else float(number)
