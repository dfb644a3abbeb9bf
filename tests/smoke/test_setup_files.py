"""The set-up files agree with each other: Makefile, Procfile, scripts, .env.example, README.

The real smoke run (a server started by `scripts/run.sh` and answering HTTP) is in `.ci/run`;
these checks are the cheap part that can run with every `make test`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parents[2]
MAKE_TARGETS = [
    "install",
    "run",
    "test",
    "lint",
    "typecheck",
    "check",
    "bench",
    "schema",
    "areas",
    "boundaries",
    "demo",
]


def _env_vars_read_by_settings() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "config").glob("*.py"):
        names |= set(
            re.findall(r"env_(?:str|bool|int|list|secret)\(\s*\"([A-Z0-9_]+)\"", path.read_text())
        )
    return names


def test_every_environment_variable_the_settings_read_is_documented():
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    read = _env_vars_read_by_settings()
    assert read, "found no env_* calls in config/: the pattern is out of date"
    missing = sorted(read - documented)
    assert not missing, f"add these to .env.example with their meaning: {missing}"


def test_the_procfile_runs_the_web_server_a_worker_and_beat():
    procfile = parse_procfile((ROOT / "Procfile").read_text())
    commands = procfile.processes
    assert set(commands) == {"web", "worker", "beat"}
    assert commands["web"].startswith("gunicorn config.wsgi:application --bind 127.0.0.1:")
    assert "${WASPADA_PORT:-8000}" in commands["web"]
    assert "celery --app config worker" in commands["worker"]
    assert "celery --app config beat" in commands["beat"]


@pytest.mark.parametrize(
    "script", [*sorted((ROOT / "scripts").glob("*.sh")), ROOT / ".ci" / "run"], ids=lambda p: p.name
)
def test_the_shell_scripts_parse_and_stop_on_errors(script):
    text = script.read_text()
    if script.name != "lib.sh":
        assert "set -euo pipefail" in text
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)  # noqa: S603, S607
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", MAKE_TARGETS)
def test_make_knows_the_target(target):
    result = subprocess.run(  # noqa: S603
        ["make", "--dry-run", "--directory", str(ROOT), target],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_opens_with_the_two_commands_in_indonesian_then_english():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block
    assert readme.index("## Dua perintah") < readme.index("## English")
    for credit in ("ODbL 1.0", "cahyadsn/wilayah_boundaries", "CC BY 4.0"):
        assert credit in readme
