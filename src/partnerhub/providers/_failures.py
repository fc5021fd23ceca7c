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
    for cause in _chain(exc):
        if isinstance(cause, TimeoutError | httpx.TimeoutException):
            return f"no answer from {where} within {timeout:g} s"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {where}"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate of {where} not accepted: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS failure with {where}: {cause.reason or cause}"
        if isinstance(cause, socket.gaierror):
            return f"cannot resolve {host}"
        if isinstance(cause, ConnectionError):
            return f"connection to {where} lost ({type(cause).__name__})"
    return None


def describe(exc: BaseException, host: str, port: int, timeout: float) -> str:
    known = known_cause(exc, host, port, timeout)
    return known or f"cannot reach {host}:{port} ({type(exc).__name__}: {exc})"
