"""Hood members: the account's managers (created by the CLI, read through the Hood API)."""

from __future__ import annotations

import builtins

from partnerhub.domain.accounts import Actor, Member
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.errors import NotFound
from partnerhub.storage.unit_of_work import UnitOfWork


async def get(uow: UnitOfWork, actor: Actor, *, member_id: int) -> Member:
    member = await uow.members.get(actor.account_id, member_id)
    if member is None:
        raise NotFound("member", str(member_id))
    return member


async def list(
    uow: UnitOfWork, actor: Actor, *, query: ListQuery, spec: ResourceSpec
) -> tuple[int, builtins.list[Member]]:
    return await uow.members.list(actor.account_id, query, spec)
