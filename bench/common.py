"""What the benchmarks share: the bench database, result records, data set-up, a local server.

Benchmarks never touch the user's database. By default they use `var/bench/bench.sqlite3`; with
DATABASE_URL pointing at PostgreSQL they use a sibling database named `<name>_bench` on the same
server (created when missing); WASPADA_BENCH_DATABASE_URL overrides both.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS = BENCH_DIR / "results.json"
EXPECTED_AREAS = {1: 38, 2: 514, 3: 7285, 4: 83762}


@dataclass
class Result:
    """One figure: name, value and unit go to results.json; target and ok only to the table."""

    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None

    def record(self) -> dict[str, object]:
        return {"name": self.name, "value": self.value, "unit": self.unit}


def bench_database_url() -> str:
    """The database the benchmarks use (never the user's own)."""
    explicit = os.environ.get("WASPADA_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        name = parts.path.lstrip("/") or "waspada"
        return urlunsplit(parts._replace(path=f"/{name}_bench"))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL bench database when it does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # noqa: S608 (name from our own URL)


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile (0..1) by the nearest-rank method."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def area_counts() -> dict[int, int]:
    from django.db.models import Count

    from waspada.geo.models import Area

    return {
        row["level"]: row["n"]
        for row in Area.objects.values("level").annotate(n=Count("code")).order_by("level")
    }


def ensure_areas() -> None:
    """Load all 91,599 areas into the bench database unless they are there already."""
    if area_counts() == EXPECTED_AREAS:
        return
    from waspada.geo import areadata
    from waspada.geo.services import load_areas

    print("  (loading the 91,599 areas into the bench database first)")
    load_areas(areadata.read_pinned())


def ensure_boundaries() -> bool:
    """Load the boundaries of the workplace folder unless they are there; False when no folder."""
    from waspada.geo import boundaryfiles
    from waspada.geo.models import AreaBoundary
    from waspada.geo.services import load_boundaries

    if AreaBoundary.objects.filter(level=3).count() >= 7000:
        return True
    folder = boundaryfiles.default_directory()
    if folder is None or not folder.is_dir():
        return False
    print(f"  (loading boundaries from {folder} into the bench database first)")
    features, _files = boundaryfiles.read_directory(folder)
    load_boundaries(features, source=str(folder))
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """gunicorn serving the project on a free local port against the bench database."""

    def __init__(self, database_url: str, workers: int = 2) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        self.log = (BENCH_DIR / "server.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {BENCH_DIR / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the server did not answer /healthz within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
