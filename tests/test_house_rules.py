"""Project lint rules (in the spirit of Zulip's custom checks), run with the test suite.

- views never write through the ORM: writes go through services, which audit them;
- `core` imports no domain app;
- no naive `datetime.now()` (ruff's banned-API rule covers `datetime.datetime.now`; this catches
  `from datetime import datetime` followed by `datetime.now()`).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "waspada"
DOMAIN_APPS = {
    "accounts",
    "geo",
    "reports",
    "events",
    "warnings",
    "response",
    "briefs",
    "dashboards",
}

ORM_WRITE = re.compile(
    r"\.objects\.(create|update|delete|bulk_create|bulk_update|get_or_create|update_or_create)\("
    r"|\.save\(|\.delete\("
)


def _python_files(pattern: str) -> list[Path]:
    return sorted(p for p in PACKAGE.rglob(pattern) if "migrations" not in p.parts)


def test_views_make_no_orm_writes():
    offenders = []
    # Every view module (views.py, views_*.py) and every module of an api/ package.
    api_modules = [p for p in _python_files("*.py") if "api" in p.parent.parts[-1:]]
    for path in sorted(set(_python_files("views*.py") + api_modules)):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ORM_WRITE.search(line) and "# house-rule: ok" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "views must call services for writes:\n" + "\n".join(offenders)


def test_core_imports_no_domain_app():
    offenders = []
    for path in (PACKAGE / "core").rglob("*.py"):
        if "testing" in path.parts or "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.match(r"\s*(from|import)\s+waspada\.(\w+)", line)
            if match and match.group(2) in DOMAIN_APPS:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "core must not import domain apps:\n" + "\n".join(offenders)


def test_no_naive_now():
    offenders = []
    for path in _python_files("*.py"):
        text = path.read_text()
        if re.search(r"^from datetime import .*\bdatetime\b", text, re.M) and re.search(
            r"\bdatetime\.now\(\s*\)", text
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, "use django.utils.timezone.now():\n" + "\n".join(offenders)


def test_the_rules_catch_what_they_should():
    assert ORM_WRITE.search("User.objects.create(username='x')")
    assert ORM_WRITE.search("obj.save(update_fields=['a'])")
    assert not ORM_WRITE.search("User.objects.filter(pk=1)")
