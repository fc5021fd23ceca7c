"""Hood provider wire models (documentation only: providers are read-only)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class HoodProviderSetting(BaseModel):
    title: str
    name: str
    type: str
    required: bool
    deprecated: bool


class HoodProvider(BaseModel):
    id: str
    type: Literal["sms", "email"]
    name: str
    logo: str | None
    settings: list[HoodProviderSetting]


class HoodProviderList(BaseModel):
    total: int
    items: list[HoodProvider]
