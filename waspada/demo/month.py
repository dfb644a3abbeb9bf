"""A synthetic month of LAPSITDA for Kalimantan Tengah (62), for demonstrations and trials.

`seed_month(end=..., days=30, seed=...)` files, for every kab/kota of 62 that has a demo operator
(`seed_demo`), one daily report per day: with everyday items drawn from `stories.EVERYDAY` over
its kecamatan and desa, *nihil* on quiet days, now and then nothing at all (a missed report), and
the three scripted matters of `stories` escalating over the days. The demo analyst (analis.62)
verifies most reports; some are late, some were returned once and corrected, the last days still
wait for review or are back with the operator. Everything is deterministic for a given seed and
end date, and labelled: titles start with "[SINTETIS]" and the site shows its demo banner.

Every write an officer could observe goes through the services, as the officers themselves
(create_report, record_item, submit_report, return_report, verify_report, change_event_status),
so the audit log and the workflow are real. One thing cannot be: the services stamp *now* on
creation, submission and verification, and a month of history needs the times of that month. So
after the services have run, the report, item and event timestamps are set to their synthetic
moments with bulk updates, and one summary audit entry ("demo.month_seeded") says so.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from waspada.accounts.models import User
from waspada.core import audit
from waspada.demo.stories import (
    EVERYDAY,
    PREFIX,
    RETURN_REASONS,
    SOURCES,
    STORIES,
    Step,
    Story,
    Template,
    fill,
)
from waspada.events import services as event_services
from waspada.events.models import Event, Item
from waspada.geo.models import Area, AreaBoundary
from waspada.geo.zones import zone_for
from waspada.notifications.services import mark_all_read
from waspada.reports import services as report_services
from waspada.reports.models import SituationReport

PROVINCE = "62"
ANALYST = f"analis.{PROVINCE}"
MARKER_ACTION = "demo.month_seeded"


@dataclass
class Place:
    code: str
    name: str
    kecamatan: str
    point: tuple[float, float] | None = None


@dataclass
class Summary:
    """What `seed_month` created."""

    start: dt.date
    end: dt.date
    reports: int = 0
    nihil: int = 0
    missing: int = 0
    late: int = 0
    items: int = 0
    verified: int = 0
    submitted: int = 0
    returned: int = 0
    drafts: int = 0
    regencies: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "regencies": self.regencies,
            "reports": self.reports,
            "nihil": self.nihil,
            "missing": self.missing,
            "late": self.late,
            "items": self.items,
            "verified": self.verified,
            "submitted": self.submitted,
            "returned": self.returned,
            "drafts": self.drafts,
        }


def already_seeded() -> bool:
    """True when a synthetic month is in the database (its reports carry the prefix)."""
    return SituationReport.objects.filter(
        area__code__startswith=f"{PROVINCE}.", title__startswith=PREFIX
    ).exists()


def default_end() -> dt.date:
    """Yesterday in Kalimantan Tengah (WIB): the month ends with the last full day."""
    return timezone.now().astimezone(zone_for(PROVINCE)).date() - dt.timedelta(days=1)


def _places(regency: Area) -> list[Place]:
    """The desa and kecamatan of a kab/kota (the kab/kota itself when none are loaded)."""
    rows = list(
        Area.objects.filter(code__startswith=f"{regency.code}.")
        .order_by("code")
        .values_list("code", "name", "level")
    )
    kecamatan = {code: name for code, name, level in rows if level == 3}
    points = {
        b.area_id: (b.centroid_lat, b.centroid_lon)
        for b in AreaBoundary.objects.filter(area_id__in=list(kecamatan)).only(
            "area_id", "centroid_lat", "centroid_lon"
        )
    }
    places = []
    for code, name, level in rows:
        kec_code = code if level == 3 else code.rsplit(".", 1)[0]
        places.append(
            Place(
                code, name, kecamatan.get(kec_code, name), points.get(code) if level == 3 else None
            )
        )
    return places or [Place(regency.code, regency.name, regency.name)]


class _Month:
    """The plan and the writing of one synthetic month."""

    def __init__(self, end: dt.date, days: int, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by design)
        self.end = end
        self.dates = [end - dt.timedelta(days=days - 1 - i) for i in range(days)]
        self.now = timezone.now()
        self.analyst = User.objects.get(username=ANALYST)
        regencies = list(Area.objects.filter(parent_id=PROVINCE).order_by("code"))
        operators = {
            u.username: u
            for u in User.objects.filter(username__in=[f"operator.{r.code}" for r in regencies])
        }
        self.regencies = [r for r in regencies if f"operator.{r.code}" in operators]
        self.operators = {r.code: operators[f"operator.{r.code}"] for r in self.regencies}
        self.places = {r.code: _places(r) for r in self.regencies}
        self.summary = Summary(self.dates[0], end, regencies=[r.code for r in self.regencies])
        self.story_steps: dict[tuple[str, int], list[tuple[Story, Step]]] = {}
        self.story_values: dict[str, dict[str, str]] = {}
        self.story_events: dict[str, Event] = {}
        self.open_events: dict[str, list[int]] = {}  # everyday events that may develop
        self.stamps: list[tuple[SituationReport, dict[str, dt.datetime | None]]] = []

    # ---------------------------------------------------------------- planning

    def plan_stories(self) -> None:
        codes = {r.code: r for r in self.regencies}
        for story in STORIES:
            code = next((c for c in story.regencies if c in codes), None)
            if code is None and self.regencies:
                code = self.regencies[0].code
            if code is None:
                continue
            villages = [p for p in self.places[code] if p.code.count(".") == 3] or self.places[code]
            place = self.rng.choice(villages)
            self.story_values[story.key] = {
                "desa": place.name,
                "kec": place.kecamatan,
                "kab": codes[code].name,
                "code": place.code,
            }
            for step in story.steps:
                if step.day < len(self.dates):
                    self.story_steps.setdefault((code, step.day), []).append((story, step))

    def _when(self, day: dt.date, regency: str) -> dt.datetime:
        hour = self.rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 20, 21])
        moment = dt.datetime.combine(
            day, dt.time(hour, self.rng.randrange(0, 60, 5)), tzinfo=zone_for(regency)
        )
        return min(moment, self.now - dt.timedelta(minutes=5))

    def _source(self, when: dt.datetime) -> dict[str, Any]:
        source, relation, how = self.rng.choice(SOURCES)
        obtained = min(when + dt.timedelta(minutes=self.rng.randint(20, 240)), self.now)
        return {
            "source": source,
            "source_relation": relation,
            "how_obtained": how,
            "obtained_at": obtained.isoformat(),
            "source_reliability": self.rng.choice("abbbc"),
            "info_credibility": self.rng.choice("12223"),
        }

    def everyday_item(self, regency: Area, day: dt.date) -> dict[str, Any]:
        template: Template = self.rng.choices(EVERYDAY, weights=[t.weight for t in EVERYDAY])[0]
        place = self.rng.choice(self.places[regency.code])
        crowd = self.rng.randint(*template.crowd) if template.crowd else None
        impacts = {k: self.rng.randint(*bounds) for k, bounds in template.impacts.items()}
        values = {
            "desa": place.name,
            "kec": place.kecamatan,
            "kab": regency.name,
            "crowd": crowd or "",
            "injured_light": impacts.get("injured_light", 0),
        }
        when = self._when(day, regency.code)
        data: dict[str, Any] = {
            "title": PREFIX + fill(template.title, values),
            "chronology": fill(template.chronology, values),
            "occurred_at": when.isoformat(),
            "time_precision": self.rng.choice(["exact", "exact", "hour"]),
            "area": place.code,
            "place": template.place,
            "trend": self.rng.choice(template.trend),
            "crowd_size": crowd,
            **template.axes,
            **impacts,
            **self._source(when),
            "actors": [
                {"name": fill(name, values), "actor_type": kind} for name, kind in template.actors
            ],
            "election_issues": list(template.issues),
            "analysis": "Situasi dapat meningkat bila tuntutan tidak ditanggapi.",
            "recommendation": "Koordinasi dengan Forkopimcam dan pemantauan lanjutan.",
        }
        if place.point is not None and self.rng.random() < 0.6:
            lat, lon = place.point
            data["latitude"] = round(lat + self.rng.uniform(-0.02, 0.02), 6)
            data["longitude"] = round(lon + self.rng.uniform(-0.02, 0.02), 6)
        return data

    def story_item(self, story: Story, step: Step, regency: Area, day: dt.date) -> dict[str, Any]:
        values = self.story_values[story.key]
        when = self._when(day, regency.code)
        data: dict[str, Any] = {
            "title": PREFIX + fill(step.title, values),
            "chronology": fill(step.chronology, values),
            "occurred_at": when.isoformat(),
            "area": values["code"],
            "trend": step.trend,
            "crowd_size": step.crowd,
            "classification": step.classification,
            **step.axes,
            **step.impacts,
            **self._source(when),
            "actors": [
                {"name": fill(name, values), "actor_type": kind} for name, kind in step.actors
            ],
            "election_issues": list(step.issues),
            "analysis": "Perkembangan perlu diikuti setiap hari; potensi eskalasi ada.",
            "prediction": "Tergantung tanggapan para pihak dalam beberapa hari ke depan.",
            "steps_taken": "Koordinasi dengan Forkopimda dan tokoh masyarakat.",
            "recommendation": "Fasilitasi dialog dan pengamanan di lokasi.",
        }
        if story.key in self.story_events:
            data["event"] = self.story_events[story.key].pk
        return data

    # ---------------------------------------------------------------- writing

    def run(self) -> Summary:
        self.plan_stories()
        last = len(self.dates) - 1
        for index, day in enumerate(self.dates):
            for regency in self.regencies:
                self.file_day(regency, index, day, last)
            if index == last - 2:
                # What was said before the last two days has long been read; what is recent stays
                # unread, as it would be in a working office.
                for user in [self.analyst, *self.operators.values()]:
                    mark_all_read(actor=user)
        self.backdate()
        return self.summary

    def file_day(self, regency: Area, index: int, day: dt.date, last: int) -> None:
        operator = self.operators[regency.code]
        stories = self.story_steps.get((regency.code, index), [])
        if not stories and self.rng.random() < 0.03:
            self.summary.missing += 1  # a missed report: compliance shows it
            return
        quiet = not stories and self.rng.random() < 0.35
        count = 0 if quiet else self.rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
        if stories:
            count = self.rng.choice([0, 0, 1])
        name = regency.name
        report = report_services.create_report(
            actor=operator,
            report_type="harian",
            area_code=regency.code,
            period_start=day,
            is_nihil=quiet,
            title=f"{PREFIX}LAPSITDA harian {name} {day:%d-%m-%Y}",
            summary="Situasi umum aman dan terkendali." if quiet else "",
        )
        self.summary.reports += 1
        self.summary.nihil += quiet
        for story, step in stories:
            item = event_services.record_item(
                report, actor=operator, data=self.story_item(story, step, regency, day)
            )
            self.story_events.setdefault(story.key, item.event)
            self.summary.items += 1
        for _ in range(count):
            data = self.everyday_item(regency, day)
            earlier = self.open_events.get(regency.code, [])
            if earlier and self.rng.random() < 0.15:
                data["event"] = self.rng.choice(earlier)
                data["title"] = PREFIX + "Perkembangan: " + data["title"].removeprefix(PREFIX)
            item = event_services.record_item(report, actor=operator, data=data)
            if "event" not in data:
                self.open_events.setdefault(regency.code, []).append(item.event_id)
            self.summary.items += 1
        self.review(report, operator, day, index, last)
        for story, step in stories:
            if step.event_status:
                event = Event.objects.get(pk=self.story_events[story.key].pk)
                event_services.change_event_status(
                    event, actor=self.analyst, status=step.event_status, version=event.version
                )

    def review(
        self, report: SituationReport, operator: User, day: dt.date, index: int, last: int
    ) -> None:
        """Submit and review as the month would have gone, and note the synthetic times."""
        zone = zone_for(report.area_id)
        due = report.due_at or dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(10), tzinfo=zone
        )
        evening = dt.datetime.combine(day, dt.time(16), tzinfo=zone)
        created = evening + dt.timedelta(minutes=self.rng.randint(0, 180))
        roll = self.rng.random()
        if index == last and roll < 0.25:
            self.summary.drafts += 1  # still a draft: not reported yet
            self.stamps.append((report, {"created_at": created}))
            return
        late = self.rng.random() < 0.12
        if late:
            first = due + dt.timedelta(minutes=self.rng.randint(30, 26 * 60))
        else:
            first = created + dt.timedelta(minutes=self.rng.randint(10, 15 * 60))
            first = min(first, due - dt.timedelta(minutes=5))
        first = min(first, self.now - dt.timedelta(minutes=30))
        self.summary.late += first > due
        report_services.submit_report(report, actor=operator)
        stamps: dict[str, dt.datetime | None] = {
            "created_at": min(created, first),
            "first_submitted_at": first,
            "submitted_at": first,
        }
        recent = index >= last - 1
        if recent and roll < 0.55:
            self.summary.submitted += 1  # waiting in the analyst's queue
        elif recent and roll < 0.7:
            reason = self.rng.choice(RETURN_REASONS)
            report_services.return_report(report, actor=self.analyst, reason=reason)
            self.summary.returned += 1
        else:
            if self.rng.random() < 0.04:  # returned once, corrected and resubmitted
                reason = self.rng.choice(RETURN_REASONS)
                report_services.return_report(report, actor=self.analyst, reason=reason)
                report_services.submit_report(report, actor=operator)
                stamps["submitted_at"] = min(
                    first + dt.timedelta(hours=self.rng.randint(3, 20)), self.now
                )
            report_services.verify_report(report, actor=self.analyst)
            self.summary.verified += 1
            submitted = stamps["submitted_at"] or first
            stamps["verified_at"] = min(
                submitted + dt.timedelta(minutes=self.rng.randint(30, 20 * 60)), self.now
            )
        self.stamps.append((report, stamps))

    def backdate(self) -> None:
        """Set report, item and event times to their synthetic moments (see the docstring)."""
        reports = []
        for report, stamps in self.stamps:
            for name, value in stamps.items():
                setattr(report, name, value)
            report.updated_at = max(v for v in stamps.values() if v is not None)
            reports.append(report)
        SituationReport.objects.bulk_update(
            reports,
            ["created_at", "first_submitted_at", "submitted_at", "verified_at", "updated_at"],
            batch_size=500,
        )
        created = {report.pk: stamps["created_at"] for report, stamps in self.stamps}
        items = list(
            Item.objects.filter(report_id__in=list(created)).only("id", "report_id", "event_id")
        )
        for item in items:
            moment = created[item.report_id]
            if moment is not None:
                item.created_at = item.updated_at = moment
        Item.objects.bulk_update(items, ["created_at", "updated_at"], batch_size=500)
        first_seen: dict[int, dt.datetime] = {}
        for item in items:
            moment = created[item.report_id]
            if moment is not None and (
                item.event_id not in first_seen or moment < first_seen[item.event_id]
            ):
                first_seen[item.event_id] = moment
        events = list(Event.objects.filter(pk__in=list(first_seen)).only("id"))
        for event in events:
            event.created_at = first_seen[event.pk]
        Event.objects.bulk_update(events, ["created_at"], batch_size=500)


def seed_month(*, end: dt.date | None = None, days: int = 30, seed: int = 20260101) -> Summary:
    """Create the synthetic month (see the module docstring) in one transaction.

    Raises User.DoesNotExist when the demo analyst is missing (run `seed_demo` first).
    """
    month = _Month(end or default_end(), days, seed)
    with transaction.atomic():
        summary = month.run()
        audit.record(
            actor=None,
            action=MARKER_ACTION,
            object_type="demo.month",
            object_id=f"{summary.start}..{summary.end}",
            area_code=PROVINCE,
            after={
                **summary.as_dict(),
                "synthetic": True,
                "seed": seed,
                "note": (
                    "Synthetic demo data filed through the services by the demo accounts; the "
                    "creation, submission and verification times of these reports, items and "
                    "events were then set to the synthetic month by bulk updates."
                ),
            },
        )
    return summary
