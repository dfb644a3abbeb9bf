"""The synthetic response of the demo month: agencies, directives and their follow-up, conflict
cases, and the Timdu with its action plan (RAD), for Kalimantan Tengah (62).

`seed_response(now=...)` runs after `seed_month` and reads what it made: the three scripted
matters (the events with the most developments) and the alerts their escalation raised. Every
write goes through the response services as the demo officers (the leader directs, agency users
record follow-up, the analyst opens cases and keeps the RAD), with `now` set to the moment in
the month when it would have happened, so the pages show a lived-in month: directives done,
in progress and overdue, a case in penghentian under a status keadaan konflik, another in
pemulihan, and a RAD with its four-monthly reports (one period missing at the kab/kota Timdu).
Agency users get demo accounts whose passwords join the others in var/demo-credentials.txt.
Names of places and people are those of the month; decree numbers are fictitious.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.services import create_user
from waspada.core import audit
from waspada.core.models import AuditEntry
from waspada.demo.stories import PREFIX
from waspada.events.models import Event
from waspada.geo.models import Area
from waspada.geo.zones import zone_for
from waspada.response.choices import (
    AgencyKind,
    CaseStage,
    DirectivePriority,
    FollowUpStatus,
    RecoveryKind,
)
from waspada.response.models import Agency, DirectiveAssignment
from waspada.response.services import agencies as agency_services
from waspada.response.services import cases as case_services
from waspada.response.services import conflict_statuses as status_services
from waspada.response.services import directives as directive_services
from waspada.response.services import recovery as recovery_services
from waspada.response.services import timdu as timdu_services
from waspada.response.services import timdu_progress as progress_services
from waspada.warnings.models import Alert

PROVINCE = "62"
MARKER_ACTION = "demo.response_seeded"
ADMIN = f"admin.{PROVINCE}"
ANALYST = f"analis.{PROVINCE}"
LEADER = f"pimpinan.{PROVINCE}"


@dataclass
class ResponseSummary:
    agencies: int = 0
    agency_users: list[tuple[str, str, str, str]] = field(default_factory=list)
    directives: int = 0
    follow_ups: int = 0
    cases: int = 0
    plans: int = 0


def already_seeded() -> bool:
    return AuditEntry.objects.filter(action=MARKER_ACTION).exists()


def _short(area: Area) -> str:
    """ "Kotawaringin Barat" for "Kabupaten Kotawaringin Barat", "Palangka Raya" for a kota."""
    name = area.name
    for prefix in ("Kabupaten ", "Kab. ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _is_city(area: Area) -> bool:
    return area.code.split(".")[-1].startswith("7")


def _agency(actor: User, area: Area, kind: str, name: str, short: str = "") -> Agency:
    existing = Agency.objects.filter(area=area, name=name).first()
    if existing:
        return existing
    return agency_services.create_agency(
        actor=actor,
        area_code=area.code,
        kind=kind,
        name=name,
        short_name=short,
        contact_name="Narahubung demo",
        contact_phone="0812-0000-0000",
    )


def _agencies(admin: User, summary: ResponseSummary) -> dict[str, dict[str, Agency]]:
    """Province agencies, and for each kab/kota its Kesbangpol, Polres, Kodim and Kejari."""
    province = Area.objects.get(code=PROVINCE)
    made: dict[str, dict[str, Agency]] = {PROVINCE: {}}
    for kind, name, short in (
        (AgencyKind.KESBANGPOL, "Badan Kesbangpol Provinsi Kalimantan Tengah", "Kesbangpol Prov"),
        (AgencyKind.POLRI, "Polda Kalimantan Tengah", "Polda"),
        (AgencyKind.TNI, "Korem 102/Panju Panjung", "Korem 102"),
        (AgencyKind.KEJAKSAAN, "Kejaksaan Tinggi Kalimantan Tengah", "Kejati"),
        (AgencyKind.OPD, "Dinas Sosial Provinsi Kalimantan Tengah", "Dinsos Prov"),
        (AgencyKind.FKUB, "FKUB Provinsi Kalimantan Tengah", "FKUB Prov"),
    ):
        made[PROVINCE][kind] = _agency(admin, province, kind, name, short)
    for regency in Area.objects.filter(parent_id=PROVINCE).order_by("code"):
        short = _short(regency)
        police = f"Polresta {short}" if _is_city(regency) else f"Polres {short}"
        made[regency.code] = {
            AgencyKind.KESBANGPOL: _agency(
                admin, regency, AgencyKind.KESBANGPOL, f"Badan Kesbangpol {regency.name}"
            ),
            AgencyKind.POLRI: _agency(admin, regency, AgencyKind.POLRI, police),
            AgencyKind.TNI: _agency(admin, regency, AgencyKind.TNI, f"Kodim {short}"),
            AgencyKind.KEJAKSAAN: _agency(
                admin, regency, AgencyKind.KEJAKSAAN, f"Kejaksaan Negeri {short}"
            ),
        }
    summary.agencies = Agency.objects.filter(area__code__startswith=PROVINCE).count()
    return made


def _story_events() -> list[Event]:
    """The scripted matters of the month: the synthetic events with the most developments."""
    return list(
        Event.objects.filter(area__code__startswith=f"{PROVINCE}.", title__startswith=PREFIX)
        .annotate(n=Count("items"))
        .filter(n__gte=3)
        .order_by("-n", "id")[:3]
    )


def _regency_of(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _kecamatan_of(code: str) -> str | None:
    parts = code.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else None


def _agency_user(
    admin: User, agency: Agency, username: str, full_name: str, password: str
) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    created = False
    if user is None:
        user = create_user(
            actor=None,
            username=username,
            role=Role.TIMDU,
            area_codes=[agency.area_id],
            password=password,
            full_name=full_name,
            email=f"{username}@demo.waspada.invalid",
        )
        created = True
    agency_services.add_member(agency, actor=admin, user=user, position=full_name)
    return user, created


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone_for(PROVINCE))


def seed_response(*, now: dt.datetime | None = None, password_for: Any) -> ResponseSummary:
    """Create the demo response (idempotent through a marker audit entry).

    `password_for(username)` returns a new password for each demo agency account.
    """
    summary = ResponseSummary()
    if already_seeded():
        return summary
    now = now or timezone.now()
    today = now.astimezone(zone_for(PROVINCE)).date()
    admin = User.objects.get(username=ADMIN)
    analyst = User.objects.get(username=ANALYST)
    leader = User.objects.get(username=LEADER)
    agencies = _agencies(admin, summary)

    events = _story_events()
    for index, event in enumerate(events):
        regency = _regency_of(event.area_id)
        local = agencies.get(regency, {})
        if not local:
            continue
        police, kesbangpol = local[AgencyKind.POLRI], local[AgencyKind.KESBANGPOL]
        chosen = [police.pk, kesbangpol.pk]
        kecamatan_code = _kecamatan_of(event.area_id)
        camat = None
        if kecamatan_code and Area.objects.filter(code=kecamatan_code).exists():
            kec_area = Area.objects.get(code=kecamatan_code)
            office = _agency(admin, kec_area, AgencyKind.KECAMATAN, f"Kecamatan {kec_area.name}")
            chosen.append(office.pk)
            username = f"camat.{kecamatan_code}"
            password = password_for(username)
            camat, created = _agency_user(
                admin, office, username, f"Camat {kec_area.name} (demo)", password
            )
            if created:
                summary.agency_users.append((username, Role.TIMDU, kecamatan_code, password))
        username = f"polres.{regency}"
        password = password_for(username)
        liaison, created = _agency_user(
            admin, police, username, f"Kasat Intelkam {police.name} (demo)", password
        )
        if created:
            summary.agency_users.append((username, Role.TIMDU, regency, password))

        alert = (
            Alert.objects.filter(area_id=regency, day__gte=(event.first_occurred_at or now).date())
            .order_by("day", "id")
            .first()
        )
        # Alerts of the month were raised when it was scored (today): date them by their day.
        raised = _at(alert.day, 8) if alert else (event.last_occurred_at or now)
        issued_at = min(raised + dt.timedelta(hours=2), now - dt.timedelta(hours=1))
        issued_day = issued_at.astimezone(zone_for(PROVINCE)).date()
        # The first matter's directive is overdue today; the others run on time.
        due = (
            issued_day + dt.timedelta(days=3)
            if index == 0
            else max(issued_day + dt.timedelta(days=3), today + dt.timedelta(days=2))
        )
        directive = directive_services.issue_directive(
            actor=leader,
            alert=alert,
            event=event if alert is None or _regency_of(event.area_id) == alert.area_id else None,
            title=f"{PREFIX} Cegah eskalasi: {event.title.removeprefix(PREFIX).strip()}"[:200],
            instruction=(
                "Lakukan pengamanan dan pendekatan persuasif kepada para pihak, fasilitasi dialog, "
                "dan laporkan perkembangan setiap hari sampai situasi kondusif."
            ),
            due_date=due,
            priority=DirectivePriority.HIGH if index == 0 else DirectivePriority.NORMAL,
            agency_ids=chosen,
            now=issued_at,
        )
        summary.directives += 1
        rows = {a.agency_id: a for a in DirectiveAssignment.objects.filter(directive=directive)}
        steps: list[tuple[User, int, str, str, int]] = [
            (liaison, police.pk, FollowUpStatus.IN_PROGRESS, "Personel disiagakan di lokasi.", 40)
        ]
        if index > 0:
            steps.append(
                (analyst, kesbangpol.pk, FollowUpStatus.DONE, "Rapat koordinasi Forkopimda.", 100)
            )
        if camat is not None and index > 0:
            steps.append(
                (camat, chosen[-1], FollowUpStatus.IN_PROGRESS, "Dialog warga dijadwalkan.", 50)
            )
        for hours, (user, agency_id, status, note, progress) in enumerate(steps, start=3):
            assignment = rows[agency_id]
            assignment.refresh_from_db()
            directive_services.record_follow_up(
                assignment,
                actor=user,
                version=assignment.version,
                status=status,
                note=note,
                progress=progress,
                now=min(issued_at + dt.timedelta(hours=hours * 4), now),
            )
            summary.follow_ups += 1

        opened_at = min(issued_at + dt.timedelta(days=1), now)
        case = case_services.open_case(
            actor=analyst,
            event_ids=[event.pk],
            title=f"{PREFIX} {event.title.removeprefix(PREFIX).strip()}"[:200],
            summary="Kasus demo dari matter yang memanas selama bulan sintetis.",
            now=opened_at,
        )
        summary.cases += 1
        if index == 0:
            regency_area = Area.objects.get(code=regency)
            start = opened_at.astimezone(zone_for(PROVINCE)).date()
            status_services.declare_status(
                case,
                actor=leader,
                scale="kabupaten_kota",
                area_code=regency,
                declared_by=f"Bupati/Wali Kota {_short(regency_area)} (demo)",
                decree_number=f"188.45/{100 + index}/DEMO/{start.year}",
                start_date=start,
                now=opened_at,
            )
        elif index == 1:
            case.refresh_from_db()
            case = case_services.move_stage(
                case,
                actor=analyst,
                version=case.version,
                to_stage=CaseStage.RECOVERY,
                note="Kesepakatan damai ditandatangani para pihak.",
                now=min(opened_at + dt.timedelta(days=2), now),
            )
            recovery_services.add_recovery_activity(
                case,
                actor=analyst,
                kind=RecoveryKind.RECONCILIATION,
                title="Musyawarah adat dan penandatanganan kesepakatan damai",
                agency_id=kesbangpol.pk,
                status="in_progress",
                start_date=today,
            )

    summary.plans = _timdu(admin, analyst, agencies, today, now)
    audit.record(
        actor=None,
        action=MARKER_ACTION,
        object_type="demo.response",
        object_id=PROVINCE,
        area_code=PROVINCE,
        after={
            "agencies": summary.agencies,
            "directives": summary.directives,
            "cases": summary.cases,
            "plans": summary.plans,
        },
    )
    return summary


PLAN = (
    (CaseStage.PREVENTION, "Pemetaan wilayah rawan konflik", "Peta 14 kab/kota", 150_000_000, 1, 4),
    (
        CaseStage.PREVENTION,
        "Dialog kebangsaan tokoh agama dan adat",
        "12 kali dialog",
        240_000_000,
        2,
        11,
    ),
    (CaseStage.PREVENTION, "Pelatihan deteksi dini FKDM", "300 peserta", 180_000_000, 3, 8),
    (
        CaseStage.STOPPING,
        "Simulasi penghentian kekerasan bersama Forkopimda",
        "2 simulasi",
        90_000_000,
        5,
        6,
    ),
    (CaseStage.STOPPING, "Posko terpadu masa Pilkada", "1 posko", 120_000_000, 8, 12),
    (CaseStage.RECOVERY, "Rehabilitasi sosial korban konflik", "150 KK", 200_000_000, 6, 12),
    (CaseStage.RECOVERY, "Rekonsiliasi pascasengketa lahan", "3 desa", 75_000_000, 9, 12),
)
PROGRESS = {"B04": (30, 25, 20, 0, 0, 0, 0), "B08": (100, 60, 70, 100, 10, 40, 0)}


def _due(year: int, period: str) -> dt.date:
    month = {"B04": 5, "B08": 9, "B12": 1}[period]
    return dt.date(year + (1 if period == "B12" else 0), month, 10)


def _timdu(
    admin: User,
    analyst: User,
    agencies: dict[str, dict[str, Agency]],
    today: dt.date,
    now: dt.datetime,
) -> int:
    """The Timdu of the province and of Kota Palangka Raya, each with this year's RAD; the
    province reports every period that is due, the city leaves B.08 unreported."""
    made = 0
    for code, name, chair in (
        (PROVINCE, "Timdu PKS Provinsi Kalimantan Tengah", "Gubernur Kalimantan Tengah"),
        ("62.71", "Timdu PKS Kota Palangka Raya", "Wali Kota Palangka Raya"),
    ):
        local = agencies.get(code)
        if not local:
            continue
        timdu = timdu_services.create_timdu(
            actor=admin, area_code=code, name=name, chair=chair, decree_number="DEMO/2026"
        )
        for kind, role in (
            (AgencyKind.KESBANGPOL, "sekretaris"),
            (AgencyKind.POLRI, "anggota"),
            (AgencyKind.TNI, "anggota"),
            (AgencyKind.KEJAKSAAN, "anggota"),
        ):
            if kind in local:
                timdu_services.set_member(timdu, actor=admin, agency_id=local[kind].pk, role=role)
        plan = timdu_services.create_plan(
            timdu, actor=analyst, year=today.year, title=f"RAD {name} {today.year}"
        )
        order = [AgencyKind.KESBANGPOL, AgencyKind.POLRI, AgencyKind.TNI, AgencyKind.KEJAKSAAN]
        activities = []
        for i, (stage, title, target, budget, start, end) in enumerate(PLAN):
            agency = local[order[i % len(order)]]
            activities.append(
                timdu_services.add_activity(
                    plan,
                    actor=analyst,
                    stage=stage,
                    title=title,
                    agency_id=agency.pk,
                    target=target,
                    budget=budget,
                    start_month=start,
                    end_month=end,
                )
            )
        plan.refresh_from_db()
        timdu_services.update_plan(plan, actor=analyst, version=plan.version, status="active")
        for period, values in PROGRESS.items():
            due = _due(today.year, period)
            if today <= due or (code != PROVINCE and period == "B08"):
                continue
            moment = _at(due - dt.timedelta(days=3), 10)
            entries = [
                {
                    "activity_id": activity.pk,
                    "realisation_percent": value,
                    "budget_spent": activity.budget * value // 100,
                    "notes": "",
                }
                for activity, value in zip(activities, values, strict=True)
                if activity.start_month <= {"B04": 4, "B08": 8}[period]
            ]
            report = progress_services.save_plan_report(
                plan,
                actor=analyst,
                period=period,
                entries=entries,
                now=moment,
                summary=f"Laporan kemajuan {period} (demo).",
            )
            progress_services.submit_plan_report(
                report, actor=analyst, version=report.version, now=moment
            )
        made += 1
    return made
