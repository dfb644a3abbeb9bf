"""brief_build: the monthly brief of a province with 5,000 verified items, as DOCX and as PDF.

Issue 6's target: building the monthly brief of a province with 5,000 items takes under 10 s for
the DOCX and under 10 s for the PDF.

Data, in the bench database (PostgreSQL with DATABASE_URL=postgres://..., else SQLite): the 91,599
areas (loaded once) and the boundaries of the workplace folder when it is there (so the choropleth
is drawn); then, for the last complete month (WIB), 5,000 verified items in Kalimantan Tengah (62),
spread over its kab/kota, kecamatan and desa, grouped into events of one to four items, on every
aspect and ATHG, 9 % terbatas and 3 % rahasia, with facts, analysis, prediction and
recommendation; the daily reports of each kab/kota (most on time, some late or nihil, some days
missing). Written with bulk_create by a bench operator, and removed again at the end (the area
benchmark empties the Area table, which items would pin down).

Measured, each the median of 3 runs, as a national admin cleared for *rahasia* (the reader who
sees the most): the content gathering (`briefs.content.periodic.gather_periodic`: every selector
read), and the build of each format = gathering + map and chart + writing that format (the time a
reader waits for that file). One full `briefs.services.documents.build_brief` (both formats, files
stored, as the job does it) is reported without a target.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import shutil
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.common import BENCH_DIR, Result, ensure_areas, ensure_boundaries

ITEMS = 5_000
PROVINCE = "62"
RUNS = 3
TARGET_S = 10.0
SEED = 20261206
OPERATOR = "bench-brief-operator"
READER = "bench-brief-reader"
MEDIA = BENCH_DIR / "brief-media"
TITLES = [
    "Unjuk rasa warga menolak perluasan kebun sawit",
    "Sengketa batas lahan antarwarga",
    "Penertiban tambang emas tanpa izin",
    "Hoaks tentang kelompok agama di media sosial",
    "Perkelahian antarkelompok pemuda",
    "Mogok kerja buruh perkebunan",
    "Pemalangan jalan perusahaan oleh warga adat",
    "Bentrokan pendukung calon kepala desa",
]
WIB = dt.timezone(dt.timedelta(hours=7))


def _month() -> tuple[dt.date, dt.date]:
    from django.utils import timezone

    today = timezone.now().astimezone(WIB).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def _users() -> tuple[Any, Any]:
    from waspada.accounts.models import AreaAssignment, User
    from waspada.accounts.roles import Role

    operator, _created = User.objects.get_or_create(
        username=OPERATOR, defaults={"role": Role.OPERATOR, "full_name": "Operator bench"}
    )
    AreaAssignment.objects.get_or_create(user=operator, area_id=PROVINCE)
    reader, _created = User.objects.get_or_create(
        username=READER,
        defaults={
            "role": Role.NATIONAL_ADMIN,
            "clearance": "rahasia",
            "full_name": "Pembaca bench",
        },
    )
    return operator, reader


def cleanup() -> None:
    """Remove every row this benchmark made (items, events, reports, briefs, its users)."""
    from django.db import transaction

    from waspada.accounts.models import User
    from waspada.briefs.models import Brief
    from waspada.events.models import Event, Item
    from waspada.reports.models import SituationReport

    with transaction.atomic():
        Brief.objects.filter(built_for__username=READER).delete()
        Item.objects.filter(created_by__username=OPERATOR).delete()
        Event.objects.filter(created_by__username=OPERATOR).delete()
        SituationReport.objects.filter(created_by__username=OPERATOR).delete()
        User.objects.filter(username__in=[OPERATOR, READER]).delete()


def _generate(operator: Any, start: dt.date, end: dt.date) -> int:
    """5,000 verified items of 62 in [start, end], and the daily reports; returns the items."""
    from waspada.events.models import Event, Item, Term
    from waspada.geo.models import Area
    from waspada.reports.models import SituationReport

    rng = random.Random(SEED)
    kabkota = list(
        Area.objects.filter(parent_id=PROVINCE).order_by("code").values_list("code", flat=True)
    )
    below: dict[str, list[str]] = {code: [] for code in kabkota}
    for code in Area.objects.filter(code__startswith=f"{PROVINCE}.", level__gte=3).values_list(
        "code", flat=True
    ):
        below[code[:5]].append(code)
    terms = {
        axis: list(Term.objects.filter(axis=axis, active=True).values_list("pk", flat=True))
        for axis in ("aspect", "athg", "source_reliability", "info_credibility")
    }
    days = calendar.monthrange(start.year, start.month)[1]
    from django.utils import timezone

    now = timezone.now()
    reports = {
        code: SituationReport.objects.create(
            report_type="informasi",
            area_id=code,
            period_start=start,
            period_end=end,
            status="verified",
            title="Bench",
            created_by=operator,
            submitted_at=now,
            first_submitted_at=now,
            verified_at=now,
        )
        for code in kabkota
    }
    daily = []
    for code in kabkota:
        for day in range(1, days + 1):
            draw = rng.random()
            if draw < 0.08:
                continue  # missing
            local = dt.datetime(start.year, start.month, day, 18, tzinfo=WIB)
            filed = local + dt.timedelta(hours=20) if draw > 0.9 else local
            daily.append(
                SituationReport(
                    report_type="harian",
                    area_id=code,
                    period_start=local.date(),
                    period_end=local.date(),
                    is_nihil=draw > 0.85,
                    status="verified",
                    created_by=operator,
                    submitted_at=filed,
                    first_submitted_at=filed,
                )
            )
    SituationReport.objects.bulk_create(daily, ignore_conflicts=True)
    planned: list[list[tuple[str, dt.datetime, str]]] = []
    count = 0
    while count < ITEMS:
        size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), ITEMS - count)
        kab = rng.choice(kabkota)
        place = rng.choice(below[kab] or [kab]) if rng.random() < 0.85 else kab
        first_day = rng.randint(1, days)
        moments = []
        for _n in range(size):
            day = min(days, first_day + rng.randint(0, 4))
            moments.append(
                (
                    place,
                    dt.datetime(
                        start.year,
                        start.month,
                        day,
                        rng.randint(0, 23),
                        rng.randint(0, 59),
                        tzinfo=WIB,
                    ),
                    rng.choices(["biasa", "terbatas", "rahasia"], weights=[88, 9, 3])[0],
                )
            )
        moments.sort(key=lambda m: m[1])
        planned.append(moments)
        count += size
    events = Event.objects.bulk_create(
        [
            Event(
                area_id=moments[0][0],
                title=f"{rng.choice(TITLES)} #{number}",
                status="open",
                classification=max(
                    (m[2] for m in moments), key=["biasa", "terbatas", "rahasia"].index
                ),
                first_occurred_at=moments[0][1],
                last_occurred_at=moments[-1][1],
                created_by=operator,
            )
            for number, moments in enumerate(planned)
        ],
        batch_size=1000,
    )
    items = []
    for event, moments in zip(events, planned, strict=True):
        aspect, athg = rng.choice(terms["aspect"]), rng.choice(terms["athg"])
        for index, (place, at, classification) in enumerate(moments):
            items.append(
                Item(
                    report=reports[place[:5]],
                    event=event,
                    original_event=event,
                    kind="new" if index == 0 else "development",
                    status="verified",
                    classification=classification,
                    occurred_at=at,
                    area_id=place,
                    title=event.title,
                    chronology=(
                        f"Sekitar {rng.randint(20, 500)} warga berkumpul di lokasi; aparat "
                        "keamanan berjaga dan camat menemui perwakilan warga. Situasi "
                        "berangsur kondusif setelah dialog di kantor kecamatan."
                    ),
                    deaths=rng.choice([0] * 30 + [1]),
                    injured_serious=rng.choice([0] * 12 + [1, 2]),
                    injured_light=rng.choice([0] * 6 + [1, 2, 3]),
                    displaced=rng.choice([0] * 20 + [25]),
                    loss_rupiah=rng.choice([0] * 8 + [5_000_000, 25_000_000]),
                    source="Kepala desa",
                    trend=rng.choice(["rising", "steady", "falling"]),
                    analysis="Ketegangan dipicu sengketa lama dan dapat meluas ke desa tetangga.",
                    prediction="Aksi lanjutan mungkin terjadi dalam sepekan.",
                    recommendation="Fasilitasi dialog para pihak dan tingkatkan patroli.",
                    aspect_id=aspect,
                    athg_id=athg,
                    source_reliability_id=rng.choice(terms["source_reliability"]),
                    info_credibility_id=rng.choice(terms["info_credibility"]),
                    created_by=operator,
                )
            )
    Item.objects.bulk_create(items, batch_size=1000)
    return len(items)


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def run() -> list[Result]:
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import translation

    from waspada.briefs import images
    from waspada.briefs.content.periodic import gather_periodic
    from waspada.briefs.documents import outline
    from waspada.briefs.documents.docx_writer import write_docx
    from waspada.briefs.documents.pdf_writer import write_pdf
    from waspada.briefs.models import Brief
    from waspada.briefs.services import documents as services

    ensure_areas()
    boundaries = ensure_boundaries()
    cleanup()
    operator, reader = _users()
    start, end = _month()
    print(f"  {connection.vendor}; boundaries {'loaded' if boundaries else 'missing (no map)'}")
    seconds, made = _timed(lambda: _generate(operator, start, end))
    print(f"  generated {made:,} verified items of {PROVINCE} for {start:%Y-%m} in {seconds:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE events_item")
            cursor.execute("ANALYZE events_event")
    gather_s: list[float] = []
    docx_s: list[float] = []
    pdf_s: list[float] = []
    sizes: dict[str, int] = {}
    try:
        with translation.override("id"):
            for _run in range(RUNS):
                clock = time.perf_counter()
                content = gather_periodic(
                    reader, kind="monthly", area_code=PROVINCE, start=start, end=end
                )
                took = time.perf_counter() - clock
                clock = time.perf_counter()
                pictures = (
                    images.choropleth_png(reader, PROVINCE, content.map_areas),
                    images.trend_png(content.trend_days, content.trend_items, content.trend_scores),
                )
                drawn = time.perf_counter() - clock
                blocks = outline.periodic_outline(content, *pictures)
                clock = time.perf_counter()
                docx = write_docx(
                    blocks, letterhead=content.letterhead, classification=content.classification
                )
                wrote_docx = time.perf_counter() - clock
                clock = time.perf_counter()
                pdf = write_pdf(
                    blocks,
                    letterhead=content.letterhead,
                    classification=content.classification,
                    title="bench",
                )
                wrote_pdf = time.perf_counter() - clock
                gather_s.append(took)
                docx_s.append(took + drawn + wrote_docx)
                pdf_s.append(took + drawn + wrote_pdf)
                sizes = {"docx": len(docx), "pdf": len(pdf), "items": content.summary["items"]}
                print(
                    f"  run {_run + 1}: gather {took:.2f} s, map and chart {drawn:.2f} s, "
                    f"DOCX {wrote_docx:.2f} s, PDF {wrote_pdf:.2f} s "
                    f"({sizes['items']:,} items; map {'yes' if pictures[0] else 'no'})"
                )
        MEDIA.mkdir(parents=True, exist_ok=True)
        with override_settings(MEDIA_ROOT=str(MEDIA)):
            brief = Brief.objects.create(
                kind="monthly",
                area_id=PROVINCE,
                period_start=start,
                period_end=end,
                built_for=reader,
            )
            full, brief = _timed(lambda: services.build_brief(brief.pk))
        if brief.state != "done":
            raise RuntimeError(f"the full build failed: {brief.error}")
        print(
            f"  full build_brief (both formats, stored): {full:.2f} s; "
            f"DOCX {sizes['docx'] / 1024:.0f} KiB, PDF {sizes['pdf'] / 1024:.0f} KiB"
        )
    finally:
        cleanup()
        shutil.rmtree(MEDIA, ignore_errors=True)
    gather, docx_total, pdf_total = (statistics.median(v) for v in (gather_s, docx_s, pdf_s))
    target = f"< {TARGET_S:.0f}"
    return [
        Result("brief_build_gather", round(gather, 2), "s", "", None),
        Result(
            "brief_build_monthly_docx", round(docx_total, 2), "s", target, docx_total < TARGET_S
        ),
        Result("brief_build_monthly_pdf", round(pdf_total, 2), "s", target, pdf_total < TARGET_S),
        Result("brief_build_full_job", round(full, 2), "s", "", None),
    ]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit("run it through bench/run.py: make bench BENCH=brief_build")
