"""What both kinds of document share: the letterhead, the signature line, the classification, and
the open directives of an area (read from the response app when it is installed)."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from typing import Any

from django.core.files.storage import default_storage

from waspada.briefs.content import formatting as fmt
from waspada.briefs.content.model import DirectiveRow, LetterheadData
from waspada.briefs.selectors.documents import get_letterhead_for
from waspada.core.classification import RANK, Classification
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.geo.zones import zone_for

logger = logging.getLogger(__name__)

AGENCY = "BADAN KESATUAN BANGSA DAN POLITIK"
SIGNER_TITLE = "Kepala Badan Kesatuan Bangsa dan Politik"
_PREFIXES = ("Kabupaten ", "Kota ")
MAX_DIRECTIVES = 200


def highest(values: Any) -> str:
    """The highest classification among `values` ("biasa" when none)."""
    found = [str(v) for v in values if v in RANK]
    return max(found, key=RANK.__getitem__) if found else str(Classification.BIASA)


def _government(area: Area) -> Area:
    """The province or kab/kota whose Kesbangpol writes for `area` (itself, or its kab/kota)."""
    if area.level <= AreaLevel.REGENCY:
        return area
    code = ".".join(area.code.split(".")[:2])
    return Area.objects.filter(code=code).first() or area


def default_lines(area: Area) -> list[str]:
    """ "PEMERINTAH PROVINSI KALIMANTAN TENGAH" / "BADAN KESATUAN BANGSA DAN POLITIK"."""
    government = _government(area)
    name = government.name.strip()
    if government.level == AreaLevel.PROVINCE:
        head = f"PEMERINTAH PROVINSI {name.upper()}"
    elif name.lower().startswith(("kabupaten ", "kota ")):
        head = f"PEMERINTAH {name.upper()}"
    else:
        head = f"PEMERINTAH KABUPATEN {name.upper()}"
    return [head, AGENCY]


def default_city(area: Area) -> str:
    """The place of signing when the letterhead names none: the kab/kota or province name."""
    name = _government(area).name.strip()
    for prefix in _PREFIXES:
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix) :].strip()
    return name


def _logo(name: str) -> bytes | None:
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            data: bytes = handle.read()
            return data
    except OSError:
        logger.warning("Letterhead logo %s could not be read; left out.", name)
        return None


def letterhead_for(area: Area) -> LetterheadData:
    """The letterhead of the area or its nearest ancestor, or the default from the area's name."""
    stored = get_letterhead_for(area.code)
    if stored is None:
        return LetterheadData(
            lines=default_lines(area),
            address="",
            logo=None,
            city=default_city(area),
            signer_title=SIGNER_TITLE,
            signer_name="",
            signer_id="",
        )
    lines = [line.strip() for line in stored.lines.splitlines() if line.strip()]
    return LetterheadData(
        lines=lines or default_lines(area),
        address=stored.address,
        logo=_logo((stored.logo.name or "") if stored.logo else ""),
        city=stored.city or default_city(area),
        signer_title=stored.signer_title or SIGNER_TITLE,
        signer_name=stored.signer_name,
        signer_id=stored.signer_id,
    )


def local_today(area_code: str, now: dt.datetime) -> dt.date:
    return now.astimezone(zone_for(area_code)).date()


def place_date(letterhead: LetterheadData, day: dt.date) -> str:
    """ "Palangka Raya, 6 Desember 2026"."""
    return f"{letterhead.city}, {fmt.tanggal(day)}" if letterhead.city else fmt.tanggal(day)


# ---------------------------------------------------------------- directives (response app)


def _directive_selector() -> Any:
    """`list_directives` of the response app, or None while it is not installed."""
    try:
        module = importlib.import_module("waspada.response.selectors.directives")
    except ImportError:
        return None
    return getattr(module, "list_directives", None)


def _display(obj: Any, name: str) -> str:
    getter = getattr(obj, f"get_{name}_display", None)
    return str(getter()) if callable(getter) else str(getattr(obj, name, "") or "")


def _agencies(directive: Any) -> str:
    assignments = getattr(directive, "assignments", None)
    if assignments is None:
        return ""
    parts = []
    for assignment in assignments.all():
        agency = getattr(assignment, "agency", None)
        name = getattr(agency, "name", "") or str(agency or "")
        text = f"{name}: {_display(assignment, 'status')}"
        progress = getattr(assignment, "progress", None)
        if progress:
            text += f" ({fmt.persen(progress, 0)})"
        parts.append(text)
    return "; ".join(parts)


def open_directives(user: Any, area_code: str, now: dt.datetime) -> list[Any] | None:
    """The open directives of the area (and below) the user may see, or None when the response
    app's directive selector is not there (the section then says so)."""
    selector = _directive_selector()
    if selector is None:
        return None
    # The selector joins the area and prefetches the assignments with their agencies itself.
    found = selector(user, {"area": area_code, "status": "open"}, now=now)
    return list(found[:MAX_DIRECTIVES])


def directive_rows(directives: list[Any], now: dt.datetime) -> list[DirectiveRow]:
    rows = []
    for directive in directives:
        area = getattr(directive, "area", None)
        due = getattr(directive, "due_date", None)
        annotated = getattr(directive, "overdue", None)
        is_overdue = getattr(directive, "is_overdue", None)
        rows.append(
            DirectiveRow(
                reference=str(getattr(directive, "reference", directive.pk)),
                title=str(getattr(directive, "title", "")),
                area_name=area.display_name if area is not None else "",
                due=fmt.tanggal(due) if isinstance(due, dt.date) else "",
                priority=_display(directive, "priority"),
                status=_display(directive, "status"),
                overdue=bool(annotated)
                if annotated is not None
                else bool(is_overdue(now))
                if callable(is_overdue)
                else False,
                agencies=_agencies(directive),
            )
        )
    return rows
