"""Hood member wire: domain members to Hood JSON."""

from __future__ import annotations

from typing import Any

from partnerhub.domain.accounts import Member
from partnerhub.surfaces.hood.mapping import hood_time


def member_wire(member: Member) -> dict[str, Any]:
    return {
        "id": str(member.id),
        "company_id": str(member.account_id),
        "name": member.name,
        "email": member.email,
        "image": member.image,
        "status": member.status,
        "create_time": hood_time(member.create_time),
        "update_time": hood_time(member.update_time),
    }
