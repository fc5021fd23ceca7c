"""One transaction and the repositories that work inside it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import cached_property
from typing import Any

import structlog

from partnerhub.domain.objects import Kind
from partnerhub.storage.connection import Conn
from partnerhub.storage.repos.accounts import AccountsRepo, MembersRepo, TokensRepo
from partnerhub.storage.repos.changes import ChangesRepo
from partnerhub.storage.repos.core_partners import CorePartnersRepo
from partnerhub.storage.repos.crm import CrmRepo
from partnerhub.storage.repos.history import HistoryRepo
from partnerhub.storage.repos.hood_campaigns import HoodCampaignsRepo
from partnerhub.storage.repos.hood_deals import HoodDealsRepo
from partnerhub.storage.repos.hood_integrations import HoodIntegrationsRepo
from partnerhub.storage.repos.hood_partners import HoodContactsRepo, HoodPartnersRepo
from partnerhub.storage.repos.idempotency import IdempotencyRepo
from partnerhub.storage.repos.test_control import TestControlRepo
from partnerhub.storage.repos.transfer import TransferRepo
from partnerhub.storage.table_data import TableData


class UnitOfWork:
    """Repositories sharing one connection and its open transaction.

    It never commits: whoever opened the transaction (`Database.transaction`) does.
    """

    def __init__(self, conn: Conn, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback()` once the transaction has committed; never if it rolls back or its
        commit fails. Callbacks run in the order given, after the connection (and SQLite's
        write lock) is released but before `Database.transaction` returns; one that raises is
        logged, and neither the others nor the caller notice.

        Synchronous only, and meant to be quick: a wake-up (`asyncio.Event.set`,
        `Queue.put_nowait`) for work that runs elsewhere, not the work itself, which would
        delay the response. A savepoint rolled back after registering does not unregister:
        whatever is woken must look for its work, not take the call as proof of it.
        """
        if inspect.iscoroutinefunction(callback):
            raise TypeError("after_commit takes a synchronous callable")
        self._after_commit.append(callback)

    def savepoint(self) -> AbstractAsyncContextManager[Any]:
        """A savepoint: what the block writes is kept if it ends without error, and undone
        (the rest of the transaction going on) if it raises."""
        result: AbstractAsyncContextManager[Any] = self.conn.begin_nested()
        return result

    def run_after_commit(self) -> None:
        """Run the `after_commit` callbacks (the `Database`'s call, once it has committed)."""
        if not self._after_commit:  # nearly every unit of work
            return
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # the commit stands; one failing wake-up must not stop the rest
                structlog.get_logger("partnerhub.storage").exception(
                    "after_commit_failed", callback=repr(callback)
                )

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
    def hood_deals(self) -> HoodDealsRepo:
        return HoodDealsRepo(self.conn, self.dialect)

    @cached_property
    def hood_campaigns(self) -> HoodCampaignsRepo:
        return HoodCampaignsRepo(self.conn, self.dialect)

    @cached_property
    def hood_integrations(self) -> HoodIntegrationsRepo:
        return HoodIntegrationsRepo(self.conn, self.dialect)

    @cached_property
    def hood_contacts(self) -> HoodContactsRepo:
        return HoodContactsRepo(self.conn, self.dialect)

    @cached_property
    def crm(self) -> CrmRepo:
        return CrmRepo(self.conn, self.dialect)

    @cached_property
    def core_partners(self) -> CorePartnersRepo:
        return CorePartnersRepo(self.conn, self.dialect)

    @cached_property
    def transfer(self) -> TransferRepo:
        return TransferRepo(self.conn, self.dialect)

    @cached_property
    def test_control(self) -> TestControlRepo:
        return TestControlRepo(self.conn, self.dialect)

    @cached_property
    def table_data(self) -> TableData:
        return TableData(self.conn, self.dialect)
