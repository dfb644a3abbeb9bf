"""Gathering the Laporan Informasi of one event, AS its reader.

The standard layout (DOMAIN.md): I. Pendahuluan (source, relation to the source, how and when
obtained, value of the information in Admiralty style), II. Fakta-fakta (apa, bilamana, di mana,
siapa, bagaimana, mengapa), III. Pendapat pelapor (analysis, prediction, steps already taken,
recommendation), then the place, date and signature block. The event's verified items the reader
may see are its timeline (`events.selectors.event_timeline`); the latest one tells the matter as
it stands, the earlier ones are listed as its developments (*perkembangan*).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone

from waspada.briefs.content import common
from waspada.briefs.content import formatting as fmt
from waspada.briefs.content.model import InformationReport, Labelled
from waspada.briefs.content.periodic import impacts_text
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.events import selectors as event_selectors
from waspada.events.choices import ItemStatus
from waspada.events.models import Event, Item
from waspada.geo.zones import zone_for

EMPTY = "-"


def visible_event(user: Any, event_id: int) -> Event:
    """The event if `user` may see it; OutOfScope (404) otherwise."""
    try:
        return event_selectors.get_event(user, event_id)
    except Http404 as exc:
        raise OutOfScope("") from exc


def verified_timeline(user: Any, event: Event) -> list[Item]:
    """The event's verified items the user may see, oldest first."""
    return [
        i for i in event_selectors.event_timeline(user, event) if i.status == ItemStatus.VERIFIED
    ]


def _latest(items: list[Item], name: str) -> Any:
    """The newest non-empty value of a field among the items (the matter as last reported)."""
    for item in reversed(items):
        value = getattr(item, name)
        if value:
            return value
    return None


def _value(item: Item) -> str:
    """The value of the information: source reliability and credibility ("B2 - ...")."""
    reliability = item.source_reliability
    credibility = item.info_credibility
    if reliability is None and credibility is None:
        return "Belum dinilai"
    source = reliability.code.upper() if reliability else "-"
    code = f"{source}{credibility.code if credibility else '-'}"
    words = "; ".join(t.label for t in (reliability, credibility) if t is not None)
    return f"{code} ({words})"


def _actors(item: Item) -> str:
    names = []
    for actor in item.actors.all():
        text = actor.name
        details = [d for d in (actor.actor_type.label if actor.actor_type else "", actor.role) if d]
        if actor.crowd_size:
            details.append(f"sekitar {fmt.angka(actor.crowd_size)} orang")
        if details:
            text += f" ({', '.join(details)})"
        names.append(text)
    return "; ".join(names)


def gather_information(
    user: Any, *, event_id: int, now: dt.datetime | None = None
) -> InformationReport:
    """The Laporan Informasi of one event, read as `user`.

    Raises OutOfScope (404) when the event is missing, outside the user's scope or above their
    clearance, and InvalidInput when none of its items the user may see is verified yet.
    """
    now = now or timezone.now()
    event = visible_event(user, event_id)
    items = verified_timeline(user, event)
    if not items:
        raise InvalidInput(
            "Kejadian ini belum memiliki butir laporan terverifikasi.",
            {"event": ["Belum ada butir terverifikasi."]},
        )
    latest = items[-1]
    area = event.area
    zone = zone_for(area.code)
    when = fmt.waktu(latest.occurred_at, area.code)
    where = ", ".join(p for p in (latest.place, latest.area.path_name) if p)
    who = "; ".join(p for p in (_latest(items, "who"), _actors(latest)) if p)
    crowd = _latest(items, "crowd_size")
    if crowd:
        who += f" (perkiraan massa {fmt.angka(crowd)} orang)"
    why = "; ".join(p for p in (_latest(items, "why"), _latest(items, "trigger")) if p)
    facts = [
        Labelled("Apa", latest.what or latest.title),
        Labelled("Bilamana", when),
        Labelled("Di mana", where or EMPTY),
        Labelled("Siapa", who.strip("; ") or EMPTY),
        Labelled("Bagaimana", latest.how or latest.chronology or EMPTY),
        Labelled("Mengapa", why or EMPTY),
    ]
    sourced = next(
        (i for i in reversed(items) if i.source or i.source_reliability or i.info_credibility),
        latest,
    )
    obtained = sourced.obtained_at
    introduction = [
        Labelled("Sumber informasi", sourced.source or EMPTY),
        Labelled("Hubungan dengan sumber", sourced.source_relation or EMPTY),
        Labelled("Cara memperoleh", sourced.how_obtained or EMPTY),
        Labelled("Waktu memperoleh", fmt.waktu(obtained, area.code) if obtained else EMPTY),
        Labelled("Nilai informasi", _value(sourced)),
    ]
    totals = [
        sum(getattr(i, name) for i in items)
        for name in ("deaths", "injured_serious", "injured_light", "displaced", "loss_rupiah")
    ]
    impacts = [Labelled("Dampak", impacts_text(*totals))]
    if latest.trend:
        impacts.append(Labelled("Kecenderungan", latest.get_trend_display()))
    developments = [
        Labelled(fmt.waktu(i.occurred_at, area.code), f"{i.title}. {i.chronology}".strip())
        for i in items
    ]
    opinion = [
        Labelled("Analisis", _latest(items, "analysis") or EMPTY),
        Labelled("Prediksi", _latest(items, "prediction") or EMPTY),
        Labelled("Langkah yang telah diambil", _latest(items, "steps_taken") or EMPTY),
        Labelled("Rekomendasi (saran tindak)", _latest(items, "recommendation") or EMPTY),
    ]
    letterhead = common.letterhead_for(area)
    first = items[0].occurred_at.astimezone(zone).date()
    last = latest.occurred_at.astimezone(zone).date()
    report = InformationReport(
        reference=event.reference,
        title=latest.title,
        area_code=area.code,
        area_name=area.path_name or area.display_name,
        period_start=first,
        period_end=last,
        generated_text=f"Disusun {fmt.waktu(now, area.code)} untuk {user}",
        place_date=common.place_date(letterhead, now.astimezone(zone).date()),
        reader_name=str(user),
        classification=common.highest([i.classification for i in items]),
        letterhead=letterhead,
        introduction=introduction,
        facts=facts,
        impacts=impacts,
        developments=developments,
        opinion=opinion,
    )
    report.summary = {"items": len(items), "event": event.reference}
    return report
