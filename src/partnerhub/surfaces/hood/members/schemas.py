"""Hood member wire models (responses only: members are read through the API)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class HoodMember(BaseModel):
    id: str
    company_id: str
    name: str
    email: str
    image: str | None
    status: Literal["active", "suspended"]
    create_time: str
    update_time: str


class HoodMemberList(BaseModel):
    total: int
    items: list[HoodMember]
