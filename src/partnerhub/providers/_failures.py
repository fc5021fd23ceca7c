"""Network failures (refused, timed out, TLS, DNS) described in a few words, for ProviderError."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpx


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def known_cause(exc: BaseException, host: str, port: int, timeout: float) -> str | None:
    """A timeout, refusal, TLS or DNS failure anywhere in `exc`'s chain, in words; else None."""
    where = f"{host}:{port}"
    chain = list(_chain(exc))

    def find(kind: type[BaseException] | tuple[type[BaseException], ...]) -> BaseException | None:
        return next((cause for cause in chain if isinstance(cause, kind)), None)

    if find((TimeoutError, httpx.TimeoutException)):
        return f"no answer from {where} within {timeout:g} s"
    if find(ConnectionRefusedError):
        return f"connection refused by {where}"
    if isinstance(cert := find(ssl.SSLCertVerificationError), ssl.SSLCertVerificationError):
        return f"TLS certificate of {where} not accepted: {cert.verify_message}"
    if isinstance(tls := find(ssl.SSLError), ssl.SSLError):
        return f"TLS failure with {where}: {tls.reason or tls}"
    if find(socket.gaierror):
        return f"cannot resolve {host}"
    if find(ConnectionResetError):
        return f"connection reset by {where}"
    return None


def describe(exc: BaseException, host: str, port: int, timeout: float) -> str:
    known = known_cause(exc, host, port, timeout)
    return known or f"cannot reach {host}:{port} ({type(exc).__name__}: {exc})"
