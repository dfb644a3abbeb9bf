"""`manage.py fetch_assets`: install the pinned front-end packages into `var/vendor/`.

No Node and no CDN: each package is a tarball from the npm registry, pinned by version and by its
published sha512 integrity (`npm view PACKAGE@VERSION dist.integrity`), fetched with the standard
library by `waspada.core.npm`. The files are served as static files under `vendor/` (see
STATICFILES_DIRS). A file already present and matching the manifest is left alone, so a second run
costs nothing; `--from DIR` reads the tarballs from a folder on machines without registry access.

To upgrade a package: change its version and integrity below, run `make run` (or this command)
and the browser tests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from waspada.core import npm


@dataclass(frozen=True)
class Asset:
    package: npm.NpmPackage
    member: str  # path inside the tarball's package/ folder
    target: str  # file name under var/vendor/, served as static "vendor/<target>"


ASSETS: tuple[Asset, ...] = (
    Asset(
        npm.NpmPackage(
            "htmx.org",
            "2.0.11",
            "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        ),
        "dist/htmx.min.js",
        "htmx.min.js",
    ),
)


def vendor_dir() -> Path:
    return Path(settings.VAR_DIR) / "vendor"


def manifest_path() -> Path:
    """What was installed, kept beside (not inside) the folder that is served as static files."""
    return Path(settings.VAR_DIR) / "vendor-manifest.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load_manifest() -> dict[str, Any]:
    path = manifest_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_installed(asset: Asset, manifest: dict[str, Any], directory: Path) -> bool:
    """True when the file is there, from the pinned package, and unchanged since it was written."""
    entry = manifest.get(asset.target)
    path = directory / asset.target
    if not isinstance(entry, dict) or not path.exists():
        return False
    return (
        entry.get("package") == asset.package.name
        and entry.get("version") == asset.package.version
        and entry.get("integrity") == asset.package.integrity
        and entry.get("sha256") == _sha256(path.read_bytes())
    )


class Command(BaseCommand):
    help = (
        "Install the pinned front-end packages (npm tarballs, integrity-checked) into var/vendor."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--from",
            dest="source",
            metavar="DIR",
            help="read the .tgz tarballs from this folder instead of the npm registry",
        )
        parser.add_argument("--force", action="store_true", help="fetch even when up to date")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = vendor_dir()
        directory.mkdir(parents=True, exist_ok=True)
        manifest = _load_manifest()
        source = Path(options["source"]) if options.get("source") else None
        changed = 0
        for asset in ASSETS:
            label = f"{asset.package.name}@{asset.package.version}"
            if not options["force"] and is_installed(asset, manifest, directory):
                self.stdout.write(f"{label}: up to date ({asset.target})")
                continue
            try:
                if source is not None:
                    tarball = npm.tarball_from_dir(asset.package, source)
                else:
                    tarball = npm.fetch_tarball(asset.package)
                content = npm.read_member(tarball, asset.member)
            except npm.IntegrityError as exc:
                raise CommandError(str(exc)) from exc
            except (OSError, FileNotFoundError) as exc:
                raise CommandError(
                    f"{label}: could not get {asset.package.url} ({exc}). On a machine without "
                    f"registry access, copy {asset.package.tarball_name} into a folder and run "
                    "`manage.py fetch_assets --from FOLDER`."
                ) from exc
            target = directory / asset.target
            tmp = target.with_suffix(target.suffix + ".part")
            tmp.write_bytes(content)
            tmp.replace(target)
            manifest[asset.target] = {
                "package": asset.package.name,
                "version": asset.package.version,
                "integrity": asset.package.integrity,
                "member": asset.member,
                "sha256": _sha256(content),
            }
            changed += 1
            self.stdout.write(self.style.SUCCESS(f"{label}: installed {asset.target}"))
        if changed:
            manifest_path().write_text(
                json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
