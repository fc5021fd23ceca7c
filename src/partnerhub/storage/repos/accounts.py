"""Accounts, their tokens and their members."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update

from partnerhub.domain.accounts import Account, Member, TokenInfo
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.repos.base import Repo, as_utc, utcnow
from partnerhub.storage.tables import accounts, members, tokens


def _account(row: Any) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        hood_tier=row.hood_tier,
        rate_limits=dict(row.rate_limits or {}),
        created_at=as_utc(row.created_at),
    )


def _token(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        account_id=row.account_id,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(row.scopes),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at),
        core_partner_id=row.core_partner_id,
    )


def _member(row: Any) -> Member:
    return Member(
        id=row.id,
        account_id=row.account_id,
        name=row.name,
        email=row.email,
        status=row.status,
        image=row.image,
        create_time=as_utc(row.create_time),
        update_time=as_utc(row.update_time),
    )


class AccountsRepo(Repo):
    async def create(self, *, name: str, hood_tier: str) -> Account:
        account_id = await self.insert_returning_id(
            accounts,
            {"name": name, "hood_tier": hood_tier, "rate_limits": {}, "created_at": utcnow()},
        )
        found = await self.get(account_id)
        assert found is not None
        return found

    async def get(self, account_id: int) -> Account | None:
        row = (await self.conn.execute(select(accounts).where(accounts.c.id == account_id))).first()
        return _account(row) if row else None

    async def lock(self, account_id: int) -> None:
        """Serialize writers of one account that must take turns (PostgreSQL: the account row
        is locked until commit; SQLite writers already hold the database's write lock)."""
        if self._locks_rows:
            stmt = select(accounts.c.id).where(accounts.c.id == account_id).with_for_update()
            await self.conn.execute(stmt)

    async def get_by_name(self, name: str) -> Account | None:
        row = (await self.conn.execute(select(accounts).where(accounts.c.name == name))).first()
        return _account(row) if row else None

    async def list(self) -> list[Account]:
        rows = await self.conn.execute(select(accounts).order_by(accounts.c.id))
        return [_account(r) for r in rows]

    async def count(self) -> int:
        return int(
            (await self.conn.execute(select(func.count()).select_from(accounts))).scalar_one()
        )

    async def set_limits(
        self, account_id: int, *, hood_tier: str | None, rate_limits: dict[str, Any] | None
    ) -> None:
        values: dict[str, Any] = {}
        if hood_tier is not None:
            values["hood_tier"] = hood_tier
        if rate_limits is not None:
            values["rate_limits"] = rate_limits
        if values:
            await self.conn.execute(
                update(accounts).where(accounts.c.id == account_id).values(**values)
            )


class TokensRepo(Repo):
    async def create(
        self,
        *,
        account_id: int,
        name: str,
        prefix: str,
        token_hash: str,
        scopes: Sequence[str],
        expires_at: datetime | None,
        core_partner_id: int | None = None,
    ) -> TokenInfo:
        token_id = await self.insert_returning_id(
            tokens,
            {
                "account_id": account_id,
                "name": name,
                "prefix": prefix,
                "token_hash": token_hash,
                "scopes": list(scopes),
                "created_at": utcnow(),
                "expires_at": expires_at,
                "core_partner_id": core_partner_id,
            },
        )
        row = (await self.conn.execute(select(tokens).where(tokens.c.id == token_id))).one()
        return _token(row)

    async def hash_taken(self, token_hash: str) -> bool:
        """Whether any account has a token of this hash (a known token must be new: across
        accounts, as the hash is what a request is looked up by)."""
        stmt = select(tokens.c.id).where(tokens.c.token_hash == token_hash)
        return (await self.conn.execute(stmt)).first() is not None

    async def get_with_account(self, token_hash: str) -> tuple[TokenInfo, Account] | None:
        stmt = (
            select(
                tokens,
                accounts.c.hood_tier,
                accounts.c.rate_limits,
                accounts.c.name.label("account_name"),
                accounts.c.created_at.label("account_created_at"),
            )
            .join(accounts, accounts.c.id == tokens.c.account_id)
            .where(tokens.c.token_hash == token_hash)
        )
        row = (await self.conn.execute(stmt)).first()
        if row is None:
            return None
        account = Account(
            id=row.account_id,
            name=row.account_name,
            hood_tier=row.hood_tier,
            rate_limits=dict(row.rate_limits or {}),
            created_at=as_utc(row.account_created_at),
        )
        return _token(row), account

    async def list(self, account_id: int) -> list[TokenInfo]:
        rows = await self.conn.execute(
            select(tokens).where(tokens.c.account_id == account_id).order_by(tokens.c.id)
        )
        return [_token(r) for r in rows]

    async def revoke(self, account_id: int, token_id: int) -> bool:
        result = await self.conn.execute(
            update(tokens)
            .where(
                tokens.c.account_id == account_id,
                tokens.c.id == token_id,
                tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        )
        return bool(result.rowcount)


# Built once (hot path: every Hood partner read resolves its managers).
_MEMBER = Prepared(
    select(members).where(
        members.c.account_id == bindparam("account_id"), members.c.id == bindparam("member_id")
    )
)
_MEMBERS_IN = select(members).where(
    members.c.account_id == bindparam("account_id"),
    members.c.id.in_(bindparam("member_ids", expanding=True)),
)


class MembersRepo(Repo):
    async def create(
        self,
        *,
        account_id: int,
        name: str,
        email: str,
        status: str,
        image: str | None,
        id: int | None = None,
    ) -> Member:
        """A new member (`id`: the id to give it, else one is issued)."""
        now = utcnow()
        member_id = await self.insert_returning_id(
            members,
            {
                **({"id": id} if id is not None else {}),
                "account_id": account_id,
                "name": name,
                "email": email,
                "status": status,
                "image": image,
                "create_time": now,
                "update_time": now,
            },
        )
        found = await self.get(account_id, member_id)
        assert found is not None
        return found

    async def id_taken(self, member_id: int) -> bool:
        """Whether a member of any account has this id (ids are unique across accounts)."""
        stmt = select(members.c.id).where(members.c.id == member_id)
        return (await self.conn.execute(stmt)).first() is not None

    async def get(self, account_id: int, member_id: int) -> Member | None:
        row = await self.conn.fetch_one(_MEMBER, {"account_id": account_id, "member_id": member_id})
        return _member(row) if row else None

    async def get_many(self, account_id: int, member_ids: Iterable[int]) -> dict[int, Member]:
        ids = list(set(member_ids))
        if not ids:
            return {}
        if len(ids) == 1:  # one partner's manager, the hot path
            found = await self.get(account_id, ids[0])
            return {found.id: found} if found else {}
        rows = await self.conn.execute(_MEMBERS_IN, {"account_id": account_id, "member_ids": ids})
        return {r.id: _member(r) for r in rows}

    async def list(
        self, account_id: int, query: ListQuery, spec: ResourceSpec
    ) -> tuple[int, list[Member]]:
        columns = {name: members.c[name] for name in ("id", "name", "email", "status")}
        columns |= {"create_time": members.c.create_time, "update_time": members.c.update_time}
        where = [members.c.account_id == account_id]
        total, rows = await self.list_page(members, where, query, columns, spec)
        return total, [_member(r) for r in rows]
