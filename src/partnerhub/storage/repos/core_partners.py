"""Core partners: a tree per account, scoped by materialized path.

Tenancy and hierarchy live here: every read takes the account and the acting partner's `path`,
and matches only that partner and its descendants (`path LIKE '<scope>%'`). The exceptions are
`get_by_login`, which authenticates a login before any account is known (like token look-up),
and `login_taken` / `display_id_taken`: logins and display ids are unique server-wide.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    or_,
    select,
)

from partnerhub.domain.core_partners import CorePartner
from partnerhub.domain.core_query import CoreListQuery, Filter, as_text
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.repos.base import LockableRead, Repo, as_utc
from partnerhub.storage.tables import core_partners as partners

_p = partners.c
_parent = partners.alias("parent")
_PARENT_SID = (
    select(_parent.c.partner_sid)
    .where(_parent.c.id == _p.parent_id)
    .scalar_subquery()
    .label("parent_sid")
)


def _partner(row: Any) -> CorePartner:
    return CorePartner(
        id=row.id,
        account_id=row.account_id,
        partner_sid=row.partner_sid,
        display_id=row.display_id,
        parent_id=row.parent_id,
        parent_sid=row.parent_sid,
        path=row.path,
        version=row.version,
        login=row.login,
        name=row.name,
        company_name=row.company_name,
        address1=row.address1,
        address2=row.address2,
        city=row.city,
        state=row.state,
        zip=row.zip,
        country_code=row.country_code,
        phonenumber=row.phonenumber,
        owner_email=row.owner_email,
        billing_email=row.billing_email,
        tech_email=row.tech_email,
        payment_type=row.payment_type,
        balance=row.balance,
        charge_at=row.charge_at,
        daily_spending_limit=row.daily_spending_limit,
        daily_spent_amount=row.daily_spent_amount,
        prepay_amount=row.prepay_amount,
        spending_limit=row.spending_limit,
        status=row.status,
        available_scopes=tuple(row.available_scopes or ()),
        attributes=dict(row.attributes or {}),
        callbacks=dict(row.callbacks or {}),
        acls=list(row.acls or []),
        parent_assigned_acls=list(row.parent_assigned_acls or []),
        transformations=list(row.transformations or []),
        date_created=as_utc(row.date_created),
        date_updated=as_utc(row.date_updated),
        allow_basic_authentication=bool(row.allow_basic_authentication),
    )


def _in_scope(account_id: int, scope: str) -> list[ColumnElement[bool]]:
    """The scope's partner and its descendants, for a page: LIKE 'scope%' lets the database walk
    the index in the page's order and stop after the page."""
    return [_p.account_id == account_id, _p.path.startswith(scope, autoescape=True)]


def _scope_range(account_id: int, scope: str, dialect: str) -> list[ColumnElement[bool]]:
    """`_in_scope` for counting: a range of paths the index on (account_id, path) serves. The
    paths that start with `scope` are exactly those from `scope` up to, not including, `scope`
    with its last character one up (compared byte by byte: SQLite's default, PostgreSQL's
    ~>=~ and ~<~, the operators of the index's text_pattern_ops). Counting a 10,000-partner
    account: 0.83 ms as LIKE on SQLite, 0.27 ms as a range; but a page in the range's index
    sorts the whole range (3 ms), so the page keeps `_in_scope`."""
    upper = scope[:-1] + chr(ord(scope[-1]) + 1)
    in_range: list[ColumnElement[bool]]
    if dialect == "postgresql":
        in_range = [_p.path.op("~>=~")(scope), _p.path.op("~<~")(upper)]
    else:
        in_range = [_p.path >= scope, _p.path < upper]
    return [_p.account_id == account_id, *in_range]


# The hot paths' statements (one partner by id, the root, one partner within a scope).
_SELECT = select(partners, _PARENT_SID)
_BY_ID = Prepared(
    _SELECT.where(_p.account_id == bindparam("account_id"), _p.id == bindparam("partner_id"))
)
_ROOT = Prepared(
    _SELECT.where(_p.account_id == bindparam("account_id"), _p.parent_id.is_(None))
    .order_by(_p.id)
    .limit(1)
)
# The scope as a prefix comparison, not LIKE: exact on both databases (SQLite's LIKE ignores
# case), and on SQLite a LIKE with a bound pattern cost ~25 µs more per lookup.
_SID_IN_SCOPE = _SELECT.where(
    _p.account_id == bindparam("account_id"),
    func.substr(_p.path, 1, func.length(bindparam("scope"))) == bindparam("scope"),
    _p.partner_sid == bindparam("partner_sid"),
)
_GET = LockableRead(_SID_IN_SCOPE, of=partners)


def _glob(pattern: str) -> str:
    """SQL LIKE pattern → SQLite GLOB (case-sensitive, as LIKE is on PostgreSQL)."""
    out = []
    for ch in pattern:
        out.append({"%": "*", "_": "?", "*": "[*]", "?": "[?]", "[": "[[]"}.get(ch, ch))
    return "".join(out)


class CorePartnersRepo(Repo):
    async def get(
        self, account_id: int, scope: str, partner_sid: str, *, lock: bool = False
    ) -> CorePartner | None:
        """The partner with this sid if it is the scope's partner or one of its descendants."""
        params = {"account_id": account_id, "scope": scope, "partner_sid": partner_sid}
        row = await self.read_one(_GET, params, lock=lock)
        return _partner(row) if row else None

    async def get_by_id(self, account_id: int, partner_id: int) -> CorePartner | None:
        params = {"account_id": account_id, "partner_id": partner_id}
        row = await self.conn.fetch_one(_BY_ID, params)
        return _partner(row) if row else None

    async def get_root(self, account_id: int) -> CorePartner | None:
        row = await self.conn.fetch_one(_ROOT, {"account_id": account_id})
        return _partner(row) if row else None

    async def get_by_login(self, login: str) -> tuple[CorePartner, str] | None:
        """Authentication: the partner owning this login (any account) and its password hash."""
        row = (await self.conn.execute(_SELECT.where(_p.login == login))).first()
        return (_partner(row), row.password_hash) if row else None

    async def login_taken(self, login: str) -> bool:
        stmt = select(exists().where(func.lower(_p.login) == login.lower()))
        return bool((await self.conn.execute(stmt)).scalar())

    async def sid_taken(self, partner_sid: str) -> bool:
        """Whether a partner of any account has this secure id."""
        stmt = select(exists().where(_p.partner_sid == partner_sid))
        return bool((await self.conn.execute(stmt)).scalar())

    async def display_id_taken(self, display_id: str) -> bool:
        stmt = select(exists().where(_p.display_id == display_id))
        return bool((await self.conn.execute(stmt)).scalar())

    async def has_children(self, account_id: int, partner_id: int) -> bool:
        stmt = select(exists().where(_p.account_id == account_id, _p.parent_id == partner_id))
        return bool((await self.conn.execute(stmt)).scalar())

    async def list(
        self,
        account_id: int,
        scope: str,
        query: CoreListQuery,
        cursor: CorePartner | None = None,
    ) -> tuple[int, list[CorePartner], bool]:
        """(total matching, this page, whether more follow in the paging direction)."""
        filters = [self._filter(f) for f in query.filters]
        where = [*_in_scope(account_id, scope), *filters]
        backwards = query.before is not None
        descending = query.descending != backwards
        column = _p[query.order]
        order = (
            [column.desc().nulls_first(), _p.id.desc()]
            if descending
            else [column.asc().nulls_last(), _p.id.asc()]
        )
        after = None
        if cursor is not None:
            after = _after(column, getattr(cursor, query.order), cursor.id, descending=descending)
        total, found = await self.paginate(
            partners,
            where,
            counted=[*_scope_range(account_id, scope, self.dialect), *filters],
            page=_SELECT,
            after=after,
            order=order,
            # One row past the page says whether more follow; a page of none reads no rows.
            limit=query.limit + 1 if query.limit else 0,
            offset=query.offset if cursor is None else 0,
        )
        if query.limit == 0:
            return total, [], total > query.offset
        rows = [_partner(r) for r in found]
        has_more = len(rows) > query.limit
        rows = rows[: query.limit]
        if backwards:
            rows.reverse()
        return total, rows, has_more

    def _filter(self, f: Filter) -> ColumnElement[bool]:
        if f.kind == "json":
            return self._json_filter(f)
        column: ColumnElement[Any] = _p[f.path[0]]
        values: builtins.list[Any] = builtins.list(f.values)
        if f.kind == "money":
            column = cast(column, Numeric(36, 9))
        elif f.kind == "datetime":
            values = [None if v is None else datetime.fromisoformat(str(v)) for v in values]
        return self._compare(column, f.op, values)

    def _compare(
        self, column: ColumnElement[Any], op: str, values: builtins.list[Any]
    ) -> ColumnElement[bool]:
        first = values[0]
        if op == "eq":
            return column.is_(None) if first is None else column == first
        if op == "ne":
            return column.is_not(None) if first is None else or_(column.is_(None), column != first)
        clause: ColumnElement[bool]
        if op == "lt":
            clause = column < first
        elif op == "le":
            clause = column <= first
        elif op == "gt":
            clause = column > first
        elif op == "ge":
            clause = column >= first
        else:
            clause = self._match(column, op, values)
        return clause

    def _match(
        self, column: ColumnElement[Any], op: str, values: builtins.list[Any]
    ) -> ColumnElement[bool]:
        first = values[0]
        if op == "like":
            if self.dialect == "sqlite":
                return cast(column, String).op("GLOB")(_glob(str(first)))
            return cast(column, String).like(str(first))
        if op == "ilike":
            return cast(column, String).ilike(str(first))
        if op == "in":
            present = [v for v in values if v is not None]
            clause = column.in_(present)
            return or_(clause, column.is_(None)) if None in values else clause
        raise ValueError(f"unknown operator {op!r}")

    def _json_filter(self, f: Filter) -> ColumnElement[bool]:
        column = _p[f.path[0]]
        keys = f.path[1:]
        text = (column[keys] if len(keys) > 1 else column[keys[0]]).as_string()
        values = builtins.list(f.values)
        present = [v for v in values if v is not None]
        texts = [None if v is None else as_text(v) for v in values]
        if f.op in ("like", "ilike") or all(isinstance(v, str) for v in present):
            return self._compare(text, f.op, values)
        if all(isinstance(v, bool) for v in present):
            return self._compare(self._json_bool(column, keys), f.op, texts)
        if all(isinstance(v, Decimal) for v in present):
            kind = self._json_type(column, keys)
            number = case(
                (kind.in_(("number", "integer", "real")), cast(text, Numeric(36, 9))),
                else_=None,
            )
            return self._compare(number, f.op, values)
        return self._compare(text, f.op, texts)

    def _json_type(self, column: Any, keys: tuple[str, ...]) -> ColumnElement[str]:
        if self.dialect == "postgresql":
            node = column[keys] if len(keys) > 1 else column[keys[0]]
            result: ColumnElement[str] = func.jsonb_typeof(node)
            return result
        path = "$." + ".".join(f'"{k}"' for k in keys)
        result = func.json_type(column, path)
        return result

    def _json_bool(self, column: Any, keys: tuple[str, ...]) -> ColumnElement[Any]:
        node = column[keys] if len(keys) > 1 else column[keys[0]]
        text: ColumnElement[Any] = node.as_string()
        if self.dialect == "postgresql":
            return text
        # SQLite's json_extract answers 1/0 for JSON booleans; json_type tells them apart.
        kind = self._json_type(column, keys)
        return case((kind == "true", "true"), (kind == "false", "false"), else_=None)


def _after(
    column: ColumnElement[Any], value: Any, row_id: int, *, descending: bool
) -> ColumnElement[bool]:
    """Rows strictly after (value, row_id) in the order (column, id); NULLs sort last ascending
    and first descending, on both backends."""
    if not descending:
        if value is None:
            return and_(column.is_(None), _p.id > row_id)
        return or_(column > value, and_(column == value, _p.id > row_id), column.is_(None))
    if value is None:
        return or_(column.is_not(None), and_(column.is_(None), _p.id < row_id))
    return or_(column < value, and_(column == value, _p.id < row_id))
