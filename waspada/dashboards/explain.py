"""A stored risk score told in plain Indonesian, for a leader who has two minutes.

"14 butir dalam 14 hari terakhir; biasanya 2; peluang kebetulan 0,1%." Numbers follow the active
language's formats; every sentence is a translatable msgid with named placeholders.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from waspada.warnings.choices import RiskLevel
from waspada.warnings.selectors import ScoreExplanation


def _num(value: Any, places: int = 1) -> str:
    """A number in the active language's format; whole numbers without decimals ("2", "2,5")."""
    try:
        number = round(float(value), places)
    except (TypeError, ValueError):
        return "-"
    if number == int(number):
        places = 0
    return str(number_format(number, places))


def chance(p: float) -> str:
    """A p-value as a percentage a non-statistician reads: "0,1%", "kurang dari 0,1%", "35%"."""
    percent = max(0.0, float(p)) * 100
    if percent < 0.1:
        return _("kurang dari %(pct)s%%") % {"pct": _num(0.1)}
    if percent < 10:
        return f"{_num(percent, 1)}%"
    return f"{_num(percent, 0)}%"


def describe(result: ScoreExplanation) -> list[str]:
    """The factors of a score as short sentences (empty when the area has no score)."""
    score = result.score
    if score is None:
        return []
    factors = result.factors
    level = RiskLevel(score.level)
    lines = [
        _("Level %(level)s dengan skor %(score)s, dihitung untuk %(day)s.")
        % {
            "level": level.label,
            "score": _num(score.score),
            "day": date_format(score.day, "j F Y"),
        }
    ]
    half_life = factors.get("half_life_days")
    window = factors.get("window_days")
    if half_life and window:
        lines.append(
            _(
                "Keparahan butir terverifikasi, ditimbang menurut waktu (bobot setengahnya setiap "
                "%(half)s hari, dalam %(window)s hari terakhir): %(severity)s."
            )
            % {"half": _num(half_life, 0), "window": window, "severity": _num(score.severity)}
        )
    else:
        lines.append(
            _("Keparahan butir terverifikasi, ditimbang menurut waktu: %(severity)s.")
            % {"severity": _num(score.severity)}
        )
    thresholds = factors.get("thresholds")
    if isinstance(thresholds, list) and len(thresholds) == 3:
        lines.append(
            _("Ambang skor: Waspada dari %(w)s, Siaga dari %(s)s, Awas dari %(a)s.")
            % {"w": _num(thresholds[0]), "s": _num(thresholds[1]), "a": _num(thresholds[2])}
        )
    lines.append(
        _(
            "%(k)s butir dalam %(days)s hari terakhir; biasanya %(expected)s; peluang kebetulan "
            "%(chance)s."
        )
        % {
            "k": score.recent_items,
            "days": result.recent_days,
            "expected": _num(score.expected_items),
            "chance": chance(score.p_value),
        }
    )
    if score.escalating:
        lines.append(_("Uji eskalasi: jumlah butir naik jauh di atas biasanya (eskalasi)."))
    else:
        lines.append(_("Uji eskalasi: tidak ada kenaikan yang bermakna."))
    if factors.get("rule") == "escalation":
        lines.append(_("Level dinaikkan satu tingkat di atas level skor karena eskalasi."))
    if factors.get("hysteresis_held"):
        lines.append(
            _(
                "Level sebelumnya dipertahankan: skor turun, tetapi belum cukup jauh di bawah "
                "ambang (histeresis), agar level tidak naik-turun."
            )
        )
    if score.structural is not None and float(factors.get("structural_weight") or 0) > 0:
        lines.append(
            _("Nilai kerentanan wilayah %(value)s ikut diperhitungkan (bobot %(weight)s).")
            % {
                "value": _num(score.structural),
                "weight": _num(factors.get("structural_weight"), 2),
            }
        )
    return lines
