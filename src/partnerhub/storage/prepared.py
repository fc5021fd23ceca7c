"""Hot statements compiled once and executed on the database driver itself.

A statement is still written with SQLAlchemy Core, against the tables in `tables.py`; it is
compiled once per dialect, with SQLAlchemy's own type processing for its parameters and result
columns. Executing it then costs the driver call and nothing else. Through SQLAlchemy's
`Connection.execute`, the same statement spent more Python on bookkeeping (cache lookup,
execution context, events, result wrapping) than the database spent running it; the profile
behind this is in README "Performance".

Only the per-request hot paths use this (one object's read, update and history row); everything
else goes through SQLAlchemy as usual, in the same transaction.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Compiled:
    """One statement as one dialect's driver runs it."""

    sql: str
    names: tuple[str, ...]  # parameter names, in the driver's positional order
    defaults: Mapping[str, Any]  # values of parameters fixed in the statement itself
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    row: type  # a named tuple of the result columns (attribute access, as SQLAlchemy rows)

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, process in zip(self.names, self.binds, strict=True):
            value = params[name] if name in params else self.defaults[name]
            out.append(value if process is None or value is None else process(value))
        return out

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[Any]:
        make, results = self.row._make, self.results  # type: ignore[attr-defined]
        return [
            make([v if p is None or v is None else p(v) for v, p in zip(r, results, strict=True)])
            for r in raw
        ]


class Prepared:
    """A Core statement, compiled lazily for each dialect it meets.

    `column_keys` names the columns an INSERT or UPDATE sets (its VALUES / SET clause), as the
    keys of the parameters at execution do for SQLAlchemy.
    """

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None):
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: dict[tuple[str, str], Compiled] = {}

    def on(self, dialect: Dialect) -> Compiled:
        # Keyed by database and driver, not by dialect instance: every engine of `Database` is
        # configured alike (same JSON codec), and engines come and go (tests, CLI).
        key = (dialect.name, dialect.driver)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=self.column_keys)
        assert isinstance(compiled, SQLCompiler)
        names = tuple(compiled.positiontup or ())
        binds = compiled.binds
        columns = list(getattr(self.statement, "selected_columns", None) or ())
        return Compiled(
            sql=compiled.string,
            names=names,
            defaults={n: binds[n].effective_value for n in names if not binds[n].required},
            binds=tuple(binds[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names),
            results=tuple(
                c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
            ),
            row=namedtuple("Row", [c.key for c in columns], rename=True),
        )
