"""A client of the test-control API (`/_partnerhub/test`, README "Test-control API"): each
operation is described once as a `Call` and sent by `Control` (httpx.Client, a served
partnerhub) or `AsyncControl` (httpx.AsyncClient, the in-process app)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import httpx

from partnerhub.surfaces.testing.routing import PREFIX

if TYPE_CHECKING:
    from typing_extensions import Unpack


class PartnerhubError(Exception):
    """partnerhub refused a test-control request or a seed file; the message is its own (the
    field and the rule), `status` the HTTP status (None: not an HTTP answer)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class FaultSpec(TypedDict, total=False):
    """A fault's fields (README "Test-control API", Faults); the server's defaults for the rest."""

    surface: str | None
    method: str | None
    path: str | None
    status: int | None
    delay_ms: int
    times: int | None
    probability: float
    retry_after: int


class JournalFilter(TypedDict, total=False):
    surface: str
    method: str
    path_prefix: str
    status: int
    limit: int


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    expect: int
    json: Any = None
    params: Mapping[str, Any] | None = None

    def answer(self, response: httpx.Response) -> Any:
        if response.status_code != self.expect:
            problem = f"{self.method} {self.path}: {_problem(response)}"
            raise PartnerhubError(problem, response.status_code)
        return None if response.status_code == 204 else response.json()


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} {response.text[:500]}"
    if not isinstance(body, dict):
        return f"{response.status_code} {body!r}"
    details = [
        f"{e.get('field')}: {e.get('message')}" if e.get("field") else str(e.get("message"))
        for e in body.get("errors") or []
        if isinstance(e, dict)
    ]
    return f"{response.status_code} {body.get('message', '')} {'; '.join(details)}".strip()


def reset(account: str | int | None) -> Call:
    if account is None:
        return Call("POST", f"{PREFIX}/reset", 200)
    return Call("POST", f"{PREFIX}/accounts/{account}/reset", 200)


def take_baseline() -> Call:
    return Call("POST", f"{PREFIX}/baseline", 200)


def new_fault(spec: FaultSpec) -> Call:
    return Call("POST", f"{PREFIX}/faults", 201, json=dict(spec))


def delete_fault(fault_id: int) -> Call:
    return Call("DELETE", f"{PREFIX}/faults/{fault_id}", 204)


def clear_faults() -> Call:
    return Call("DELETE", f"{PREFIX}/faults", 204)


def journal(filters: JournalFilter) -> Call:
    return Call("GET", f"{PREFIX}/journal", 200, params=dict(filters))


def clear_journal() -> Call:
    return Call("DELETE", f"{PREFIX}/journal", 204)


def snapshot(name: str) -> Call:
    return Call("POST", f"{PREFIX}/snapshots", 201, json={"name": name})


def restore(name: str) -> Call:
    return Call("POST", f"{PREFIX}/snapshots/{name}/restore", 200)


class Control:
    """The test-control API of a served partnerhub, through `http` (base URL and admin token)."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def _send(self, call: Call) -> Any:
        return call.answer(
            self._http.request(call.method, call.path, json=call.json, params=call.params)
        )

    def reset(self, account: str | int | None = None) -> int:
        """Every data table back to the baseline (or only `account`'s rows); the generation."""
        generation: int = self._send(reset(account))["generation"]
        return generation

    def take_baseline(self) -> None:
        self._send(take_baseline())

    def fault(self, **spec: Unpack[FaultSpec]) -> dict[str, Any]:
        """Inject a fault; the fault as the API shows it (`id`, `remaining`, `fired`, …)."""
        created: dict[str, Any] = self._send(new_fault(spec))
        return created

    @contextmanager
    def faulted(self, **spec: Unpack[FaultSpec]) -> Iterator[dict[str, Any]]:
        """A fault for the duration of the block, removed after it."""
        fault = self.fault(**spec)
        try:
            yield fault
        finally:
            self.remove_fault(fault["id"])

    def remove_fault(self, fault_id: int) -> None:
        """Remove a fault (one removed already is no error)."""
        try:
            self._send(delete_fault(fault_id))
        except PartnerhubError as exc:
            if exc.status != 404:
                raise

    def clear_faults(self) -> None:
        self._send(clear_faults())

    def journal(self, **filters: Unpack[JournalFilter]) -> list[dict[str, Any]]:
        """The journaled requests, oldest first (secrets redacted)."""
        found: list[dict[str, Any]] = self._send(journal(filters))["results"]
        return found

    def clear_journal(self) -> None:
        self._send(clear_journal())

    def snapshot(self, name: str) -> dict[str, Any]:
        taken: dict[str, Any] = self._send(snapshot(name))
        return taken

    def restore(self, name: str) -> int:
        generation: int = self._send(restore(name))["generation"]
        return generation


class AsyncControl:
    """`Control`, awaited: the test-control API of an in-process app."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def _send(self, call: Call) -> Any:
        return call.answer(
            await self._http.request(call.method, call.path, json=call.json, params=call.params)
        )

    async def reset(self, account: str | int | None = None) -> int:
        generation: int = (await self._send(reset(account)))["generation"]
        return generation

    async def fault(self, **spec: Unpack[FaultSpec]) -> dict[str, Any]:
        created: dict[str, Any] = await self._send(new_fault(spec))
        return created

    @asynccontextmanager
    async def faulted(self, **spec: Unpack[FaultSpec]) -> AsyncIterator[dict[str, Any]]:
        fault = await self.fault(**spec)
        try:
            yield fault
        finally:
            await self.remove_fault(fault["id"])

    async def remove_fault(self, fault_id: int) -> None:
        try:
            await self._send(delete_fault(fault_id))
        except PartnerhubError as exc:
            if exc.status != 404:
                raise

    async def clear_faults(self) -> None:
        await self._send(clear_faults())

    async def journal(self, **filters: Unpack[JournalFilter]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await self._send(journal(filters)))["results"]
        return found

    async def clear_journal(self) -> None:
        await self._send(clear_journal())

    async def snapshot(self, name: str) -> dict[str, Any]:
        taken: dict[str, Any] = await self._send(snapshot(name))
        return taken

    async def restore(self, name: str) -> int:
        generation: int = (await self._send(restore(name)))["generation"]
        return generation
