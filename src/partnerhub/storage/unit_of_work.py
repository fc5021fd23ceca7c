"""One transaction and the repositories that work inside it."""

from __future__ import annotations

from functools import cached_property

from partnerhub.domain.objects import Kind
from partnerhub.storage.connection import Conn
from partnerhub.storage.repos.accounts import AccountsRepo, MembersRepo, TokensRepo
from partnerhub.storage.repos.changes import ChangesRepo
from partnerhub.storage.repos.core_partners import CorePartnersRepo
from partnerhub.storage.repos.crm import CrmRepo
from partnerhub.storage.repos.history import HistoryRepo
from partnerhub.storage.repos.hood_partners import HoodContactsRepo, HoodPartnersRepo
from partnerhub.storage.repos.idempotency import IdempotencyRepo


class UnitOfWork:
    """Repositories sharing one connection and its open transaction.

    It never commits: whoever opened the transaction (`Database.transaction`) does.
    """

    def __init__(self, conn: Conn, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    @cached_property
    def accounts(self) -> AccountsRepo:
        return AccountsRepo(self.conn, self.dialect)

    @cached_property
    def tokens(self) -> TokensRepo:
        return TokensRepo(self.conn, self.dialect)

    @cached_property
    def members(self) -> MembersRepo:
        return MembersRepo(self.conn, self.dialect)

    @cached_property
    def changes(self) -> ChangesRepo:
        return ChangesRepo(self.conn, self.dialect, on_write=self._written)

    def _written(self, kind: Kind, account_id: int) -> None:
        if kind is Kind.CRM_PROPERTY and "crm" in self.__dict__:
            self.crm.forget_properties(account_id)

    @cached_property
    def history(self) -> HistoryRepo:
        return HistoryRepo(self.conn, self.dialect)

    @cached_property
    def idempotency(self) -> IdempotencyRepo:
        return IdempotencyRepo(self.conn, self.dialect)

    @cached_property
    def hood_partners(self) -> HoodPartnersRepo:
        return HoodPartnersRepo(self.conn, self.dialect)

    @cached_property
    def hood_contacts(self) -> HoodContactsRepo:
        return HoodContactsRepo(self.conn, self.dialect)

    @cached_property
    def crm(self) -> CrmRepo:
        return CrmRepo(self.conn, self.dialect)

    @cached_property
    def core_partners(self) -> CorePartnersRepo:
        return CorePartnersRepo(self.conn, self.dialect)
