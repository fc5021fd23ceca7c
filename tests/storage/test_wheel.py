"""The built wheel carries the Alembic migrations (scripts, versions, the revision template), so
an installed `partnerhub migrate` finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "src" / "partnerhub" / "storage" / "migrations"

pytestmark = pytest.mark.slow


def _shipped(directory: Path) -> set[str]:
    return {
        path.relative_to(ROOT / "src").as_posix()
        for path in directory.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_carries_every_migration_file(tmp_path: Path) -> None:
    # Built from a copy: an in-tree build would leave build/ and egg-info behind.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), source],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("partnerhub-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = _shipped(MIGRATIONS)
    assert {"partnerhub/storage/migrations/script.py.mako"} <= expected
    assert any(n.startswith("partnerhub/storage/migrations/versions/") for n in expected)
    assert expected - names == set()
