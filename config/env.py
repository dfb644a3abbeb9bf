"""Typed helpers that read settings from the environment.

Every setting Waspada reads is listed, with its meaning, in `.env.example`.
`env_secret` also reads `NAME_FILE` so secrets can come from mounted files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ImproperlyConfiguredError(RuntimeError):
    """A required setting is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "ya"}:
        return True
    if lowered in {"0", "false", "no", "off", "tidak"}:
        return False
    raise ImproperlyConfiguredError(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfiguredError(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, generated_file: Path | None = None) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE.

    When neither is set and `generated_file` is given (embedded mode only), a random secret is
    generated once and kept in that file, readable by its owner only.
    """
    value = os.environ.get(name)
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    if required or generated_file is None:
        raise ImproperlyConfiguredError(
            f"{name} is required in production mode (set {name} or {name}_FILE)."
        )
    if generated_file.exists():
        return generated_file.read_text(encoding="utf-8").strip()
    generated_file.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(50)
    generated_file.write_text(secret, encoding="utf-8")
    generated_file.chmod(0o600)
    return secret
