"""Hood deal wire models: they validate deal bodies and describe them in OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema

from partnerhub.domain import hood_deal_values as v
from partnerhub.domain import validators
from partnerhub.surfaces.common.validation import rule
from partnerhub.surfaces.hood.schemas import HoodIn

Status = Literal["active", "inactive"]
DealType = Literal["dsp", "ssp"]
Structure = Literal["cpa", "cpi", "cpc", "cpm", "cpl", "cps", "revshare"]
FrequencyUnit = Literal["hour", "day", "week", "month", "session", "campaign"]

Name = Annotated[str, rule(lambda x, f: validators.short_text(x, f, max_len=v.NAME_MAX))]
Description = Annotated[
    str, rule(lambda x, f: validators.short_text(x, f, max_len=v.DESCRIPTION_MAX, min_len=0))
]
PartnerId = Annotated[
    Any,
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,18}$", "examples": ["1000232"]}),
    rule(v.partner_id),
]
Postback = Annotated[
    str,
    Field(description="http(s) URL template; may hold {OCMH_CLICK_ID}-style placeholders"),
    rule(v.postback),
]
TimeWindow = Annotated[
    int,
    Field(description=f"seconds, 0–{v.TIME_WINDOW_MAX}", examples=[3600]),
    rule(v.time_window),
]
Conditions = Annotated[dict[str, Any], rule(v.performance_conditions)]


def _number(bounds: v.Range, *, nullable: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "number",
        "minimum": float(bounds.low),
        "maximum": float(bounds.high),
        "description": f"at most {bounds.places} decimal places",
    }
    return {"anyOf": [schema, {"type": "null"}]} if nullable else schema


def _map(bounds: v.Range, *, nullable: bool = False) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "object", "additionalProperties": _number(bounds, nullable=nullable)}
    )


# Money and prices: JSON numbers only (never strings or booleans), kept as Decimal.
BasePrice = Annotated[Any, WithJsonSchema(_number(v.BASE_PRICE)), rule(v.BASE_PRICE.parse)]
Budget = Annotated[Any, WithJsonSchema(_number(v.BUDGET)), rule(v.BUDGET.parse)]
CountryPrices = Annotated[dict[str, Any], _map(v.COUNTRY_PRICE), rule(v.price_map("country_price"))]
DevicePrices = Annotated[dict[str, Any], _map(v.DEVICE_PRICE), rule(v.price_map("device_price"))]
EventPrices = Annotated[dict[str, Any], _map(v.EVENT_PRICE), rule(v.price_map("event_price"))]
# In a PATCH a price sent as null removes its key.
CountryPricesPatch = Annotated[
    dict[str, Any],
    _map(v.COUNTRY_PRICE, nullable=True),
    rule(v.price_map("country_price", removable=True)),
]
DevicePricesPatch = Annotated[
    dict[str, Any],
    _map(v.DEVICE_PRICE, nullable=True),
    rule(v.price_map("device_price", removable=True)),
]
EventPricesPatch = Annotated[
    dict[str, Any],
    _map(v.EVENT_PRICE, nullable=True),
    rule(v.price_map("event_price", removable=True)),
]


class HoodFrequencyCap(HoodIn):
    max_value: Annotated[int, Field(description=f"1–{v.FREQUENCY_MAX}"), rule(v.frequency_max)]
    per_unit: FrequencyUnit


class HoodDealCreate(HoodIn):
    name: Name
    partner_id: PartnerId
    base_price: BasePrice
    clickthrough: bool
    description: Description | None = None
    type: DealType | None = None
    structure: Structure | None = None
    status: Status = "active"
    postback: Postback | None = None
    frequency_cap: HoodFrequencyCap | None = None
    time_window: TimeWindow | None = None
    base_price_priority: bool = False
    country_price: CountryPrices | None = Field(None, description="ISO alpha-2 → price")
    device_price: DevicePrices | None = Field(None, description="desktop|mobile → percent")
    event_price: EventPrices | None = Field(None, description="event name (≤ 32) → price")
    budget: Budget | None = None
    total_spend_cap: Budget | None = None
    unique_conversion: bool = False
    performance_conditions: Conditions | None = None


class HoodDealPatch(HoodIn):
    """The updatable fields; price maps merge key by key (null removes a key)."""

    name: Name | None = None
    description: Description | None = None
    status: Status | None = None
    frequency_cap: HoodFrequencyCap | None = None
    clickthrough: bool | None = None
    time_window: TimeWindow | None = None
    country_price: CountryPricesPatch | None = None
    device_price: DevicePricesPatch | None = None
    event_price: EventPricesPatch | None = None
    base_price: BasePrice | None = None
    budget: Budget | None = None
    unique_conversion: bool | None = None
    performance_conditions: Conditions | None = None
    base_price_priority: bool | None = None


# Responses (documentation only).


class HoodFrequencyCapOut(BaseModel):
    max_value: int
    per_unit: FrequencyUnit


class HoodDeal(BaseModel):
    id: str
    company_id: str
    partner_id: str
    name: str
    description: str | None
    type: DealType | None
    structure: Structure | None
    status: Status
    effective_status: Status = Field(description="status while the partner is active")
    postback: str | None
    frequency_cap: HoodFrequencyCapOut | None
    clickthrough: bool
    time_window: int | None
    base_price: float
    base_price_priority: bool
    country_price: dict[str, float]
    device_price: dict[str, float]
    event_price: dict[str, float]
    budget: float | None
    total_spend_cap: float | None
    unique_conversion: bool
    performance_conditions: dict[str, Any] | None
    system: int
    is_default: int
    archived: int
    create_time: str = Field(examples=["2024-09-19 10:40:36"])
    update_time: str


class HoodDealList(BaseModel):
    total: int
    items: list[HoodDeal]
