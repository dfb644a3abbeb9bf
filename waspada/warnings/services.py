"""Writes of the risk engine's data: the settings row and vulnerability index values.

Both are national data, like the taxonomies: national admins ("taxonomy.manage") change them.
Audit actions: risk_settings.updated, vulnerability.set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.geo.models import Area
from waspada.warnings import tasks
from waspada.warnings.models import RiskSettings, VulnerabilityValue
from waspada.warnings.severity import IMPACTS

if TYPE_CHECKING:
    from waspada.accounts.models import User

SETTINGS_PERMISSION = "taxonomy.manage"
LEVEL_KEYS = ("province", "regency", "district")
TREND_KEYS = ("rising", "steady", "falling", "")

# field -> (minimum, maximum, integer?) for the plain numbers.
NUMBERS: dict[str, tuple[float, float, bool]] = {
    "half_life_days": (0.5, 3650, False),
    "window_days": (1, 3650, True),
    "crowd_weight": (0, 10, False),
    "missing_reliability_factor": (0, 10, False),
    "hysteresis": (0, 0.95, False),
    "escalation_recent_days": (1, 365, True),
    "escalation_baseline_days": (1, 3650, True),
    "escalation_alpha": (1e-9, 0.5, False),
    "escalation_min_items": (1, 1000, True),
    "structural_weight": (0, 10, False),
    "sustained_alert_days": (1, 365, True),
}
EDITABLE = (*NUMBERS, "impact_weights", "trend_factors", "thresholds")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _clean_number(name: str, value: Any, errors: dict[str, list[str]]) -> float | int | None:
    low, high, integer = NUMBERS[name]
    number = _number(value)
    if number is None or (integer and number != int(number)):
        errors[name] = [_("Masukkan angka bulat.") if integer else _("Masukkan angka.")]
        return None
    if not low <= number <= high:
        errors[name] = [_("Nilai harus antara %(low)s dan %(high)s.") % {"low": low, "high": high}]
        return None
    return int(number) if integer else number


def _clean_weights(
    name: str, value: Any, keys: tuple[str, ...], errors: dict[str, list[str]], positive: bool
) -> dict[str, float] | None:
    if not isinstance(value, Mapping):
        errors[name] = [_("Harus berupa pasangan nama dan angka.")]
        return None
    messages: list[str] = []
    cleaned: dict[str, float] = {}
    for key, raw in value.items():
        number = _number(raw)
        if key not in keys:
            messages.append(_("Kunci '%(key)s' tidak dikenal.") % {"key": key})
        elif number is None or number < 0 or (positive and number == 0):
            messages.append(_("Bobot '%(key)s' harus angka positif.") % {"key": key})
        else:
            cleaned[str(key)] = number
    if messages:
        errors[name] = messages
        return None
    return cleaned


def _clean_thresholds(value: Any, errors: dict[str, list[str]]) -> dict[str, list[float]] | None:
    if not isinstance(value, Mapping) or set(value) != set(LEVEL_KEYS):
        errors["thresholds"] = [_("Isi ambang untuk provinsi, kabupaten/kota dan kecamatan.")]
        return None
    cleaned: dict[str, list[float]] = {}
    for key in LEVEL_KEYS:
        raw = value[key]
        numbers = [_number(v) for v in raw] if isinstance(raw, list | tuple) else []
        valid = [n for n in numbers if n is not None]
        if len(valid) != 3 or len(numbers) != 3 or not 0 < valid[0] < valid[1] < valid[2]:
            errors["thresholds"] = [
                _("Tiga ambang (Waspada, Siaga, Awas) harus positif dan naik berurutan.")
            ]
            return None
        cleaned[key] = valid
    return cleaned


@transaction.atomic
def update_risk_settings(*, actor: User, **fields: Any) -> RiskSettings:
    """Change the risk settings (national admins only); the version goes up by one.

    Fields: the numbers in `NUMBERS`, `impact_weights` (known impact keys → weight ≥ 0, missing
    keys keep their weight), `trend_factors`, `thresholds` (three rising values per area level).
    After commit the nightly recompute job runs at once: it sees aggregates of an older version,
    rebuilds them with the new weights, and rescores every area. Raises PermissionDenied,
    InvalidInput (field errors; nothing is written). Writes risk_settings.updated.
    """
    ensure_can(actor, SETTINGS_PERMISSION)
    errors: dict[str, list[str]] = {}
    for name in sorted(set(fields) - set(EDITABLE)):
        errors[name] = [_("Kolom ini tidak dapat diubah.")]
    current, _created = RiskSettings.objects.select_for_update().get_or_create(pk=1)
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in NUMBERS:
            values[name] = _clean_number(name, value, errors)
        elif name == "impact_weights":
            cleaned = _clean_weights(name, value, tuple(IMPACTS), errors, positive=False)
            values[name] = {**dict(current.impact_weights), **(cleaned or {})}
        elif name == "trend_factors":
            cleaned = _clean_weights(name, value, TREND_KEYS, errors, positive=True)
            values[name] = {**dict(current.trend_factors), **(cleaned or {})}
        elif name == "thresholds":
            values[name] = _clean_thresholds(value, errors)
    recent = values.get("escalation_recent_days", current.escalation_recent_days)
    baseline = values.get("escalation_baseline_days", current.escalation_baseline_days)
    if not errors and baseline < recent:
        errors["escalation_baseline_days"] = [
            _("Masa dasar harus sekurang-kurangnya sepanjang masa terakhir.")
        ]
    if errors:
        raise InvalidInput(_("Periksa kembali pengaturan skor risiko."), errors)
    before = audit.snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = actor
    current.save(update_fields=[*values, "version", "updated_by", "updated_at"])
    audit.record(actor=actor, action="risk_settings.updated", obj=current, before=before)
    tasks.recompute_all.enqueue()
    return current


@transaction.atomic
def set_vulnerability(
    *, actor: User, area_code: str, value: Any, source: str = ""
) -> VulnerabilityValue:
    """Set the vulnerability index value (0-100) of a province, kab/kota or kecamatan.

    It counts in the score only when `RiskSettings.structural_weight` is above 0, from the next
    scoring. Raises OutOfScope (unknown area or outside the actor's scope), PermissionDenied,
    InvalidInput. Writes vulnerability.set.
    """
    ensure_can(actor, SETTINGS_PERMISSION, area_code)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise OutOfScope(area_code)
    errors: dict[str, list[str]] = {}
    number = _number(value)
    if number is None or not 0 <= number <= 100:
        errors["value"] = [_("Nilai indeks harus angka antara 0 dan 100.")]
    if area.level > 3:
        errors["area"] = [_("Hanya provinsi, kabupaten/kota atau kecamatan.")]
    source = (source or "").strip()
    if len(source) > 200:
        errors["source"] = [_("Paling banyak 200 karakter.")]
    if errors or number is None:
        raise InvalidInput(_("Periksa kembali nilai kerentanan."), errors)
    existing = VulnerabilityValue.objects.select_for_update().filter(area=area).first()
    before = audit.snapshot(existing) if existing else None
    row, _created = VulnerabilityValue.objects.update_or_create(
        area=area, defaults={"value": number, "source": source}
    )
    audit.record(
        actor=actor, action="vulnerability.set", obj=row, before=before, area_code=area.code
    )
    return row
