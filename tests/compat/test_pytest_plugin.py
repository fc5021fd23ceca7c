"""The stand-in kit as its users run it: partnerhub installed (not editable) from this checkout
into a throwaway virtual environment, a project there without any conftest whose tests are the
README's example ("Use it as a stand-in in your tests"), run by pytest in a subprocess on SQLite
and on PostgreSQL; and the README's shell CI job, run as written."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
from compat_servers import PgDatabases, free_port

pytestmark = pytest.mark.slow
CHECKOUT = Path(__file__).resolve().parents[2]
README = CHECKOUT / "README.md"
SECTION = "## Use it as a stand-in in your tests"
FILE_BLOCK = re.compile(r"```[a-z]*\n# file: (\S+)[^\n]*\n(.*?)```", re.DOTALL)
RUN_SECONDS = 300
# More of the plugin than the README shows: a seed file for one test, removed by the next
# test's reset; a refused fault naming its field.
MORE_TESTS = """
import pytest
from partnerhub.pytest_plugin.control import PartnerhubError

BETA = "ph_beta_test_token_0123456789abcdefghijklmnopq"


def test_seed_for_one_test(partnerhub, tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("accounts:\\n  - name: beta\\n    token: " + BETA + "\\n")
    partnerhub.seed(extra)
    with partnerhub.client(BETA) as crm:
        assert crm.get("/crm/v3/objects/partner_clients").status_code == 200


def test_the_next_test_has_no_such_account(partnerhub):
    with partnerhub.client(BETA) as crm:
        assert crm.get("/crm/v3/objects/partner_clients").status_code == 401


def test_a_bad_fault_names_its_field(partnerhub):
    with pytest.raises(PartnerhubError, match="status must be one of"):
        partnerhub.fault(status=418)
"""
PASSED = 5 + 3  # the README's tests and MORE_TESTS


def readme_files() -> dict[str, str]:
    """The files of the README's stand-in section: each fenced block opening `# file: NAME`."""
    text = README.read_text()
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    return {name: body for name, body in FILE_BLOCK.findall(section)}


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with partnerhub installed from a copy of this checkout (a real
    wheel install, so its entry points are real) and this environment's packages visible
    through a .pth file: `venv --system-site-packages` made from a venv would see the base
    interpreter's packages instead of the project's."""
    root = tmp_path_factory.mktemp("plugin-venv")
    source = root / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    # A copy: building in place would leave build/ and *.egg-info in the checkout.
    shutil.copytree(CHECKOUT / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(CHECKOUT / name, source / name)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.run(
            [
                str(_venv_python(venv)),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    project_sites = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "project-venv.pth").write_text("\n".join(sorted(project_sites)) + "\n")
    install = subprocess.run(
        [
            *(str(_venv_python(venv)), "-m", "pip", "install", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--disable-pip-version-check", str(source)),
        ],
        env=_clean_env(),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return venv


def _clean_env() -> dict[str, str]:
    """No PYTHONPATH (this suite runs the checkout's src from it): the installed copy only."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's project: the README's files and a few more tests, no conftest.py."""
    root = tmp_path_factory.mktemp("user-project")
    files = readme_files()
    assert {"seed.yaml", "test_partners.py", "ci.sh"} <= set(files), sorted(files)
    for name, body in files.items():
        (root / name).write_text(body)
    (root / "test_more.py").write_text(MORE_TESTS)
    (root / "pytest.ini").write_text("[pytest]\n")  # the rootdir; no conftest anywhere
    return root


def run_pytest(venv: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_venv_python(venv)), "-m", "pytest", "-p", "no:cacheprovider", *args],
        env=_clean_env(),
        cwd=project,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )


def _passed(result: subprocess.CompletedProcess[str]) -> int:
    found = re.search(r"(\d+) passed", result.stdout)
    return int(found[1]) if found else 0


def test_the_readme_example_passes_on_sqlite(installed: Path, project: Path) -> None:
    result = run_pytest(installed, project, "--trace-config", "--partnerhub-seed", "seed.yaml")

    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert _passed(result) == PASSED, report
    # Loaded by its entry point, from the installed copy.
    plugin = re.search(
        r"PLUGIN registered: <module 'partnerhub\.pytest_plugin' from '([^']+)'>", report
    )
    assert plugin, report
    assert Path(plugin[1]).is_relative_to(installed), plugin[1]
    assert not (project / "conftest.py").exists()


def test_the_readme_example_passes_on_postgresql(
    installed: Path, project: Path, pg_databases: PgDatabases
) -> None:
    url = pg_databases.create()
    result = run_pytest(
        installed, project, "-o", "partnerhub_seed=seed.yaml", "--partnerhub-database-url", url
    )

    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert _passed(result) == PASSED, report


def test_a_database_with_accounts_is_refused_by_name(
    installed: Path, project: Path, tmp_path: Path
) -> None:
    used = tmp_path / "used.db"
    made = subprocess.run(
        [str(_venv_python(installed)), "-m", "partnerhub", "accounts", "create", "someone"],
        env={**_clean_env(), "PARTNERHUB_DATABASE_URL": f"sqlite:///{used}"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr

    result = run_pytest(
        installed,
        project,
        "test_more.py::test_a_bad_fault_names_its_field",
        "--partnerhub-database-url",
        f"sqlite:///{used}",
    )

    assert result.returncode == 1, result.stdout
    assert "partnerhub_database_url" in result.stdout
    assert "already has accounts" in result.stdout
    assert "ph_" not in result.stdout.replace("ph_[redacted]", "")


@pytest.fixture
def ci_script(installed: Path, project: Path, tmp_path: Path) -> Iterator[Path]:
    """The README's shell job in a directory of its own, with its seed file."""
    shutil.copy(project / "ci.sh", tmp_path / "ci.sh")
    shutil.copy(project / "seed.yaml", tmp_path / "seed.yaml")
    yield tmp_path


def test_the_readme_ci_script_runs(installed: Path, ci_script: Path) -> None:
    env = {
        **_clean_env(),
        "PORT": str(free_port()),
        "PATH": f"{installed / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    env = {k: v for k, v in env.items() if not k.startswith("PARTNERHUB_")}
    process = subprocess.Popen(
        ["bash", "ci.sh"],
        cwd=ci_script,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=RUN_SECONDS)
    finally:
        # The script's trap stops the server; anything left in its group is ended here.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    assert process.returncode == 0, f"{out}\n{err}\n{(ci_script / 'partnerhub.log').read_text()}"
    ready, seeded, created, reset, after = _json_values(out)
    assert ready["status"] == "ok"
    assert seeded["items"][0]["name"] == "Hairdressing Claire"
    assert "CI" in json.dumps(created)
    assert set(reset) == {"generation"}
    assert [p["name"] for p in after["items"]] == ["Hairdressing Claire"]


def _json_values(text: str) -> list[object]:
    """The JSON values curl printed one after another (the bodies end without a newline)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while (at := _skip_space(text, at)) < len(text):
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at
