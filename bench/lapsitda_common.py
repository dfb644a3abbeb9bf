"""What the LAPSITDA benchmarks share: a bench operator of Kota Palangka Raya, plausible item rows,
and clean-up (the area benchmarks reload the Area table, which items would otherwise pin down).

Rows are generated with a seeded random generator over the kecamatan and desa of 62.71 and the
seeded taxonomy terms, so every run sends the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

AREA = "62.71"
OPERATOR = "bench-operator-6271"
TITLES = [
    "Unjuk rasa warga menolak perluasan kebun sawit",
    "Sengketa batas lahan antarwarga",
    "Penertiban tambang emas tanpa izin",
    "Hoaks tentang kelompok agama di media sosial",
    "Perkelahian antarkelompok pemuda",
    "Mogok kerja buruh perkebunan",
    "Pemalangan jalan perusahaan oleh warga adat",
]
AXES = {
    "aspect": ["ekonomi", "politik", "sosial-budaya", "pertahanan-keamanan", "ideologi"],
    "athg": ["ancaman", "tantangan", "hambatan", "gangguan"],
    "uu7_source": ["polekbud", "agama-suku", "batas-wilayah", "sengketa-sda", "distribusi-sda"],
    "snpk": ["sumber-daya", "tata-kelola", "identitas", "main-hakim-sendiri", "kriminalitas"],
}
ACLED = [("protests", "peaceful-protest"), ("riots", "mob-violence"), ("battles", "armed-clash")]


def bench_operator() -> tuple[Any, str]:
    """The bench operator of 62.71 (created once) and its API token."""
    from rest_framework.authtoken.models import Token

    from waspada.accounts.models import AreaAssignment, User
    from waspada.accounts.roles import Role
    from waspada.geo.models import Area

    user, _created = User.objects.get_or_create(
        username=OPERATOR, defaults={"role": Role.OPERATOR, "clearance": "terbatas"}
    )
    AreaAssignment.objects.get_or_create(user=user, area=Area.objects.get(code=AREA))
    token, _created = Token.objects.get_or_create(user=user)
    return user, str(token.key)


def cleanup() -> None:
    """Remove what the LAPSITDA benchmarks created (items, events, reports, idempotency keys)."""
    from django.db import transaction

    from waspada.core.models import IdempotencyRecord
    from waspada.events.models import Event, Item
    from waspada.reports.models import SituationReport

    with transaction.atomic():
        Item.objects.filter(created_by__username=OPERATOR).delete()
        Event.objects.filter(created_by__username=OPERATOR).delete()
        SituationReport.objects.filter(created_by__username=OPERATOR).delete()
        IdempotencyRecord.objects.filter(user__username=OPERATOR).delete()


def places() -> list[str]:
    """The kecamatan and desa codes of 62.71, in code order."""
    from waspada.geo.models import Area

    codes = list(
        Area.objects.filter(code__startswith=f"{AREA}.")
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not codes:
        raise RuntimeError(f"no areas below {AREA}: load the areas first")
    return codes


def item_rows(count: int, days: list[dt.date], seed: int) -> list[dict[str, Any]]:
    """`count` item payloads for `events.services.record_item` (and the items API)."""
    rng = random.Random(seed)
    codes = places()
    wib = dt.timezone(dt.timedelta(hours=7))
    rows = []
    for number in range(count):
        day = days[number % len(days)]
        at = dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=wib)
        acled_type, acled_subtype = rng.choice(ACLED)
        row: dict[str, Any] = {
            "title": f"{rng.choice(TITLES)} #{number}",
            "chronology": f"Sekitar {rng.randint(20, 500)} warga berkumpul; aparat keamanan "
            "berjaga di lokasi.",
            "occurred_at": at.isoformat(),
            "area": rng.choice(codes),
            "place": "Depan kantor desa",
            "crowd_size": rng.randint(10, 800),
            "injured_light": rng.choice([0, 0, 0, 1, 2]),
            "houses_damaged": rng.choice([0, 0, 0, 1]),
            "acled_type": acled_type,
            "acled_subtype": acled_subtype,
            "source": "Kepala desa",
            "source_reliability": rng.choice(["a", "b", "c"]),
            "info_credibility": rng.choice(["1", "2", "3"]),
            "trend": rng.choice(["rising", "steady", "falling"]),
        }
        for axis, values in AXES.items():
            row[axis] = rng.choice(values)
        rows.append(row)
    return rows


def past_days(count: int, *, ending_days_ago: int = 1) -> list[dt.date]:
    """`count` dates ending `ending_days_ago` days before today (WIB), oldest first."""
    from django.utils import timezone

    today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    last = today - dt.timedelta(days=ending_days_ago)
    return [last - dt.timedelta(days=offset) for offset in range(count - 1, -1, -1)]
