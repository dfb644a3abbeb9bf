"""Fetch a pinned package tarball from the npm registry with the standard library.

Used for the area code list (`idn-area-data`) and the front-end assets: no Node needed. Every
package is pinned by version *and* by its published sha512 integrity; a download that does not
match is refused. Tarballs are cached under `var/cache/npm/`, and `--from DIR` style callers can
point at a folder holding the tarball (or its unpacked `package/` contents) instead.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

REGISTRY = "https://registry.npmjs.org"


class IntegrityError(RuntimeError):
    """A downloaded or cached tarball does not match its pinned sha512 integrity."""


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # "sha512-<base64>", as published in the registry's `dist.integrity`

    @property
    def tarball_name(self) -> str:
        return f"{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"

    @property
    def url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.tarball_name}"


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def cache_dir() -> Path:
    path = Path(settings.WASPADA_AREA_CACHE_DIR) / "npm"
    path.mkdir(parents=True, exist_ok=True)
    return path


def fetch_tarball(package: NpmPackage, *, timeout: float = 60.0) -> bytes:
    """The verified tarball bytes, from the cache or the registry (HTTPS)."""
    cached = cache_dir() / package.tarball_name
    if cached.exists():
        data = cached.read_bytes()
        if integrity_of(data) == package.integrity:
            return data
        cached.unlink()  # a damaged cache is fetched again, never trusted
    request = urllib.request.Request(package.url, headers={"User-Agent": "waspada"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URL)
        data = response.read()
    if integrity_of(data) != package.integrity:
        raise IntegrityError(
            f"{package.name}@{package.version}: downloaded tarball does not match its pinned "
            f"integrity {package.integrity[:20]}…; refusing to use it."
        )
    tmp = cached.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(cached)
    return data


def tarball_from_dir(package: NpmPackage, directory: Path) -> bytes:
    """The verified tarball from a folder given by an operator (offline machines)."""
    candidate = directory / package.tarball_name
    if not candidate.exists():
        raise FileNotFoundError(f"{candidate} not found")
    data = candidate.read_bytes()
    if integrity_of(data) != package.integrity:
        raise IntegrityError(f"{candidate} does not match the pinned integrity of {package.name}")
    return data


def read_member(data: bytes, member: str) -> bytes:
    """One file of a tarball, by its path inside `package/` (e.g. "data/provinces.csv")."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        extracted = archive.extractfile(f"package/{member}")
        if extracted is None:
            raise FileNotFoundError(member)
        return extracted.read()
