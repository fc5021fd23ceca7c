"""Reading a seed file: JSON or YAML (by extension), as plain JSON values.

YAML is read with `safe_load` only (no object construction). Its dates and times become the
ISO 8601 text a JSON body would carry; a key that is not a string is refused, naming where.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import yaml

from partnerhub.errors import ValidationFailed

EXTENSIONS = (".json", ".yaml", ".yml")
MAX_DEPTH = 32


def read(path: Path) -> Any:
    """The file's content as JSON values; a ValidationFailed (field "file") if it cannot be
    read or parsed."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise ValidationFailed.one(
            "file", f"{path.name}: a seed file ends in .json, .yaml or .yml."
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed.one("file", f"{path}: cannot be read ({exc.strerror}).") from None
    if suffix == ".json":
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ValidationFailed.one(
                "file",
                f"{path.name}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}).",
            ) from None
    else:
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or "invalid YAML"
            raise ValidationFailed.one(
                "file", f"{path.name}: not YAML ({problem}{where})."
            ) from None
    return plain(data, "")


def plain(value: Any, where: str, depth: int = 0) -> Any:
    """`value` with YAML's dates as ISO text; non-string keys and deep nesting refused."""
    if depth > MAX_DEPTH:
        raise ValidationFailed.one(where or None, f"{where or 'the file'}: nested too deeply.")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                at = where or "the file"
                raise ValidationFailed.one(
                    where or None, f"{at}: the key {key!r} must be a string (quote it)."
                )
            out[key] = plain(item, f"{where}.{key}" if where else key, depth + 1)
        return out
    if isinstance(value, list):
        return [plain(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
