"""Strict JSON numbers: integers and decimals with bounds and decimal places, canonical strings
stored, numbers answered that read back as the same decimal."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerhub.domain import numbers
from partnerhub.errors import ValidationFailed

LOW, HIGH = Decimal("0.01"), Decimal("10000")


def price(value: object) -> Decimal:
    return numbers.decimal(value, "p", low=LOW, high=HIGH, places=4)


def refused(value: object) -> str:
    with pytest.raises(ValidationFailed) as info:
        price(value)
    (problem,) = info.value.problems
    assert problem.field == "p"
    return problem.message


@pytest.mark.parametrize(
    ("value", "stored"),
    [(0.01, "0.01"), (10000, "10000"), (10000.0, "10000"), (1e-2, "0.01"), (12.3456, "12.3456")],
)
def test_accepted(value: object, stored: str) -> None:
    assert numbers.canonical(price(value)) == stored


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("1.5", "must be a number"),
        ("²", "must be a number"),
        (True, "must be a number"),
        (None, "must be a number"),
        (float("nan"), "must be a finite number"),
        (float("inf"), "must be a finite number"),
        (0.0099, "between 0.01 and 10000"),
        (10000.0001, "between 0.01 and 10000"),
        (1.00001, "at most 4 decimal places"),
        (10**30, "between 0.01 and 10000"),
    ],
)
def test_refused(value: object, rule: str) -> None:
    assert rule in refused(value)


@pytest.mark.parametrize("value", [True, 1.0, "1", None])
def test_integer_refuses_what_is_not_a_json_integer(value: object) -> None:
    with pytest.raises(ValidationFailed, match="must be an integer"):
        numbers.integer(value, "n", low=0, high=10)


def test_integer_bounds() -> None:
    assert numbers.integer(10, "n", low=0, high=10) == 10
    with pytest.raises(ValidationFailed, match="between 0 and 10"):
        numbers.integer(11, "n", low=0, high=10)


@given(st.decimals(min_value=LOW, max_value=HIGH, places=4, allow_nan=False))
def test_an_answered_number_reads_back_as_the_same_decimal(value: Decimal) -> None:
    kept = price(float(value) if value != value.to_integral_value() else int(value))
    wire = orjson.loads(orjson.dumps(numbers.json_number(kept)))
    assert price(wire) == kept == value
