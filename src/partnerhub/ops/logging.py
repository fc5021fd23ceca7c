"""Structured logs: one JSON line per event, never a secret.

Both structlog's events and the standard library's records (uvicorn, asyncio, SQLAlchemy's pool)
are rendered as JSON lines on stdout, through the same exception formatter: a database error's
text can quote the statement's values (SQLAlchemy's `[parameters: ...]`, PostgreSQL's
`DETAIL: Key (login)=(...)`), so for database and validation errors only the exception's type and
its codes are logged, never its message.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any, TextIO

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

# Exceptions from these packages may quote the values they were given.
_WITHHELD_PACKAGES = frozenset({"sqlalchemy", "asyncpg", "sqlite3", "psycopg", "pydantic_core"})
# Attributes of those exceptions that name things (codes, constraints), never values.
_SAFE_ATTRIBUTES = ("sqlstate", "constraint_name", "table_name", "column_name", "code")
_HANDLER_NAME = "partnerhub"


def _withheld(exc: BaseException) -> bool:
    return type(exc).__module__.split(".", 1)[0] in _WITHHELD_PACKAGES


def describe(exc: BaseException) -> str:
    """The exception's one-line text; for a database or validation error only its codes."""
    if not _withheld(exc):
        return str(exc)
    named = []
    for attribute in _SAFE_ATTRIBUTES:
        value = getattr(exc, attribute, None)
        if isinstance(value, str) and value:
            named.append(f"{attribute}={value}")
    return " ".join([*named, "(message withheld: it may quote parameter values)"])


def format_exception(exc: BaseException) -> str:
    """A traceback like Python's (the chain of causes, oldest first), each message `describe`d."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for index, item in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        kind = type(item)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {describe(item)}\n")
    return "".join(parts)


def _render_exc_info(_logger: WrappedLogger, _name: str, event: EventDict) -> EventDict:
    """structlog's format_exc_info, with `format_exception` instead of the traceback module's."""
    exc_info = event.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        event["exception"] = format_exception(exc_info)
    elif isinstance(exc_info, tuple) and isinstance(exc_info[1], BaseException):
        event["exception"] = format_exception(exc_info[1])
    return event


def _dumps_text(value: Any, **_: Any) -> str:
    return orjson.dumps(value, default=str).decode()


def _shared() -> list[Processor]:
    return [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _writer(out: TextIO) -> tuple[Any, Processor]:
    """structlog's logger factory and renderer for `out`."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        return structlog.WriteLoggerFactory(out), structlog.processors.JSONRenderer(_dumps_text)
    # orjson renders bytes; they go to stdout's buffer without an encode step.
    renderer = structlog.processors.JSONRenderer(serializer=orjson.dumps, default=str)
    return structlog.BytesLoggerFactory(buffer), renderer


def configure(level: str, stream: TextIO | None = None) -> None:
    """Log at `level` to `stream` (stdout): structlog events and the standard library's records."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    out = stream or sys.stdout
    factory, renderer = _writer(out)
    structlog.configure(
        processors=[*_shared(), _render_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=factory,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(out)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_shared(), structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _render_exc_info,
                structlog.processors.JSONRenderer(serializer=_dumps_text),
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    # uvicorn's own lifecycle chatter stays out of the log unless debugging.
    logging.getLogger("uvicorn").setLevel(max(numeric, logging.WARNING))


def get_logger(name: str = "partnerhub") -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
