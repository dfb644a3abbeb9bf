"""Writes of conflict cases: opening a case from events, its events and parties, moving it
through the UU 7/2012 stages (pencegahan, penghentian, pemulihan), closing and reopening it.

Every service needs "cases.manage" (analysts and leaders) in the case's area, runs in one
transaction and writes an audit entry carrying the case's classification. Objects the actor may
not see (outside scope or above clearance) raise OutOfScope (404); a stale `version` raises
Conflict (409); bad input raises InvalidInput with Indonesian messages per field.

The *status keadaan konflik* lives in `conflict_statuses` and recovery activities in `recovery`;
both are re-exported here, so callers import one module.

Audit actions: case.opened, case.updated, case.events_changed, case.party_added,
case.party_updated, case.party_removed, case.stage_changed, case.closed, case.reopened.

Stage history (`CaseStageChange`): opening is "" -> pencegahan; a move is one stage -> another;
closing is stage -> the same stage (the case stays where it was, closed); reopening is "" -> the
stage it was closed in. `selectors.cases.case_stage_history` reads them back as steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import code_within
from waspada.events import selectors as event_selectors
from waspada.events.choices import Axis
from waspada.events.models import Event, Term
from waspada.geo.models import Area
from waspada.response.access import event_classification, highest_classification
from waspada.response.choices import CaseStage, CaseStatus, ConflictStatusState
from waspada.response.models import (
    CaseEvent,
    CaseParty,
    ConflictCase,
    ConflictStatus,
)
from waspada.response.services.cases_base import (
    MANAGE_PERMISSION,
    bump_case,
    check_case,
    clean_text,
    now_or,
    record,
    record_stage,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

CASE_FIELDS = ("title", "summary", "root_cause")
PARTY_FIELDS = ("name", "party_type", "representative", "interest")
MAX_EVENTS = 50


def _term(
    actor: User, axis: str, value: Any, name: str, errors: dict[str, list[str]]
) -> Term | None:
    """A term of `axis` given as a Term, its id or its code (None for empty)."""
    if value in (None, ""):
        return None
    if isinstance(value, Term):
        value = value.pk
    qs = event_selectors.list_terms(actor, axis=axis)
    text = str(value).strip()
    found = qs.filter(pk=int(text)).first() if text.isdigit() else qs.filter(code=text).first()
    if found is None:
        errors.setdefault(name, []).append(_("Pilihan tidak dikenal."))
    return found


def _party_values(
    actor: User, data: Mapping[str, Any], errors: dict[str, list[str]], prefix: str = ""
) -> dict[str, Any]:
    unknown = sorted(set(data) - set(PARTY_FIELDS))
    for name in unknown:
        errors.setdefault(f"{prefix}{name}", []).append(_("Kolom ini tidak dikenal."))
    local: dict[str, list[str]] = {}
    values = {
        "name": clean_text(data.get("name"), "name", local, required=True),
        "party_type": _term(actor, Axis.ACTOR_TYPE, data.get("party_type"), "party_type", local),
        "representative": clean_text(data.get("representative"), "representative", local),
        "interest": clean_text(data.get("interest"), "interest", local),
    }
    for name, messages in local.items():
        errors.setdefault(f"{prefix}{name}", []).extend(messages)
    return values


def _visible_events(actor: User, event_ids: Iterable[Any], name: str) -> list[Event]:
    """The events named by `event_ids`, each visible to the actor; InvalidInput otherwise."""
    wanted: list[int] = []
    for raw in event_ids:
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            message = _("Nomor kejadian tidak valid.")
            raise InvalidInput(message, {name: [message]}) from None
    wanted = list(dict.fromkeys(wanted))
    if len(wanted) > MAX_EVENTS:
        message = _("Paling banyak %(n)d kejadian sekaligus.") % {"n": MAX_EVENTS}
        raise InvalidInput(message, {name: [message]})
    found = {e.pk: e for e in event_selectors.visible_events(actor).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        refs = ", ".join(f"KJD-{pk:06d}" for pk in missing)
        message = _("Kejadian tidak ditemukan atau di luar wilayah Anda: %(refs)s.") % {
            "refs": refs
        }
        raise InvalidInput(message, {name: [message]})
    return [found[pk] for pk in wanted]


def _outside(events: Sequence[Event], area_code: str, name: str) -> None:
    outside = [e for e in events if not code_within(e.area_id, area_code)]
    if outside:
        refs = ", ".join(e.reference for e in outside)
        message = _("Kejadian berikut berada di luar wilayah kasus (%(area)s): %(refs)s.") % {
            "area": area_code,
            "refs": refs,
        }
        raise InvalidInput(message, {name: [message]})


# ---------------------------------------------------------------- cases


@transaction.atomic
def open_case(
    *,
    actor: User,
    area_code: str | None = None,
    event_ids: Iterable[Any],
    title: str,
    summary: str = "",
    root_cause: Any = None,
    parties: Iterable[Mapping[str, Any]] = (),
    now: dt.datetime | None = None,
) -> ConflictCase:
    """Open a conflict case from one or more events, in the pencegahan stage.

    The area defaults to the events' area when they share one (otherwise it is required); every
    event must be visible to the actor and lie inside the case's area. The case takes the highest
    classification of its events. `root_cause` is a UU 7/2012 source term (id or code);
    `parties` are mappings of name, party_type (actor_type term id or code), representative and
    interest.

    Raises PermissionDenied without "cases.manage", OutOfScope for an area outside the actor's
    scope, InvalidInput for missing or invalid fields (per field).
    """
    at = now_or(now)
    errors: dict[str, list[str]] = {}
    ids = list(event_ids or ())
    if not ids:
        message = _("Pilih sedikitnya satu kejadian.")
        raise InvalidInput(message, {"event_ids": [message]})
    ensure_can(actor, MANAGE_PERMISSION, (area_code or "").strip() or None)
    events = _visible_events(actor, ids, "event_ids")
    code = (area_code or "").strip()
    if not code:
        areas = {e.area_id for e in events}
        if len(areas) != 1:
            message = _("Kejadian-kejadian ini berada di wilayah berbeda: pilih wilayah kasus.")
            raise InvalidInput(message, {"area_code": [message]})
        code = areas.pop()
    ensure_can(actor, MANAGE_PERMISSION, code)
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise OutOfScope(code)
    _outside(events, code, "event_ids")
    clean_title = clean_text(title, "title", errors, required=True)
    clean_summary = clean_text(summary, "summary", errors)
    cause = _term(actor, Axis.UU7_SOURCE, root_cause, "root_cause", errors)
    party_rows = [
        _party_values(actor, row, errors, prefix=f"parties.{index}.")
        for index, row in enumerate(parties or ())
    ]
    if errors:
        raise InvalidInput(_("Periksa kembali isian kasus."), errors)
    case = ConflictCase(
        area=area,
        title=clean_title,
        summary=clean_summary,
        root_cause=cause,
        stage=CaseStage.PREVENTION,
        status=CaseStatus.ACTIVE,
        classification=highest_classification(*(event_classification(e) for e in events)),
        opened_by=actor,
        opened_at=at,
    )
    case.save(force_insert=True)
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, event=e, added_by=actor, added_at=at) for e in events]
    )
    CaseParty.objects.bulk_create(
        [CaseParty(case=case, sort_order=index, **row) for index, row in enumerate(party_rows)]
    )
    record_stage(case, actor=actor, from_stage="", to_stage=CaseStage.PREVENTION, note="", at=at)
    after = audit.snapshot(case)
    after["parties"] = [p["name"] for p in party_rows]
    record(case, actor=actor, action="case.opened", after=after)
    return case


@transaction.atomic
def update_case(case: ConflictCase, *, actor: User, version: int, **fields: Any) -> ConflictCase:
    """Change the title, summary or root cause of an open case; `parties` (a list of mappings as
    in `open_case`), when given, replaces all its parties.

    Raises Conflict when someone changed the case since `version`, InvalidInput for unknown or
    invalid fields.
    """
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    party_rows: list[dict[str, Any]] | None = None
    for name, value in fields.items():
        if name == "parties":
            party_rows = [
                _party_values(actor, row, errors, prefix=f"parties.{index}.")
                for index, row in enumerate(value or ())
            ]
        elif name not in CASE_FIELDS:
            errors.setdefault(name, []).append(_("Kolom ini tidak dapat diubah."))
        elif name == "root_cause":
            clean[name] = _term(actor, Axis.UU7_SOURCE, value, name, errors)
        else:
            clean[name] = clean_text(value, name, errors, required=name == "title")
    if errors:
        raise InvalidInput(_("Periksa kembali isian kasus."), errors)
    before = audit.snapshot(case)
    bump_case(case, version=version, **clean)
    after = audit.snapshot(case)
    if party_rows is not None:
        before["parties"] = list(
            CaseParty.objects.filter(case=case)
            .order_by("sort_order", "id")
            .values_list("name", flat=True)
        )
        CaseParty.objects.filter(case=case).delete()
        CaseParty.objects.bulk_create(
            [CaseParty(case=case, sort_order=i, **row) for i, row in enumerate(party_rows)]
        )
        after["parties"] = [row["name"] for row in party_rows]
    record(case, actor=actor, action="case.updated", before=before, after=after)
    return case


@transaction.atomic
def change_case_events(
    case: ConflictCase,
    *,
    actor: User,
    add: Iterable[Any] = (),
    remove: Iterable[Any] = (),
    version: int | None = None,
    now: dt.datetime | None = None,
) -> ConflictCase:
    """Add events to a case and take events off it (at least one stays).

    Added events must be visible to the actor and inside the case's area; the case's
    classification rises to the highest of its events (it is never lowered by a removal: what
    was read under it stays classified). Raises InvalidInput, or Conflict for a stale `version`.
    """
    check_case(case, actor)
    at = now_or(now)
    added = _visible_events(actor, list(add or ()), "add") if add else []
    _outside(added, case.area_id, "add")
    removing: set[int] = set()
    for raw in remove or ():
        try:
            removing.add(int(raw))
        except (TypeError, ValueError):
            message = _("Nomor kejadian tidak valid.")
            raise InvalidInput(message, {"remove": [message]}) from None
    current = set(CaseEvent.objects.filter(case=case).values_list("event_id", flat=True))
    unknown = removing - current
    if unknown:
        message = _("Kejadian ini tidak termasuk dalam kasus.")
        raise InvalidInput(message, {"remove": [message]})
    new = [e for e in added if e.pk not in current]
    remaining = (current - removing) | {e.pk for e in new}
    if not remaining:
        message = _("Kasus harus tetap memiliki sedikitnya satu kejadian.")
        raise InvalidInput(message, {"remove": [message]})
    if not new and not removing:
        return case
    before = audit.snapshot(case)
    before["events"] = sorted(current)
    level = highest_classification(case.classification, *(event_classification(e) for e in new))
    bump_case(case, version=version, classification=level)
    CaseEvent.objects.filter(case=case, event_id__in=removing).delete()
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, event=e, added_by=actor, added_at=at) for e in new]
    )
    after = audit.snapshot(case)
    after["events"] = sorted(remaining)
    record(case, actor=actor, action="case.events_changed", before=before, after=after)
    return case


def add_case_event(
    case: ConflictCase, *, actor: User, event_id: int, now: dt.datetime | None = None
) -> ConflictCase:
    """Add one event to the case (see `change_case_events`)."""
    return change_case_events(case, actor=actor, add=[event_id], now=now)


def remove_case_event(case: ConflictCase, *, actor: User, event_id: int) -> ConflictCase:
    """Take one event off the case (see `change_case_events`)."""
    return change_case_events(case, actor=actor, remove=[event_id])


# ---------------------------------------------------------------- parties


@transaction.atomic
def add_party(case: ConflictCase, *, actor: User, **fields: Any) -> CaseParty:
    """Add a party (name, party_type, representative, interest) to an open case.

    Raises InvalidInput for missing or invalid fields.
    """
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    values = _party_values(actor, fields, errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian pihak."), errors)
    last = CaseParty.objects.filter(case=case).order_by("-sort_order").first()
    party = CaseParty(case=case, sort_order=(last.sort_order + 1) if last else 0, **values)
    party.save(force_insert=True)
    record(case, actor=actor, action="case.party_added", obj=party)
    return party


@transaction.atomic
def update_party(party: CaseParty, *, actor: User, **fields: Any) -> CaseParty:
    """Change a party of an open case (only the fields given). Raises InvalidInput."""
    case = party.case
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    merged = {name: getattr(party, name) for name in PARTY_FIELDS}
    merged.update(fields)
    values = _party_values(actor, merged, errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian pihak."), errors)
    before = audit.snapshot(party)
    for name, value in values.items():
        setattr(party, name, value)
    party.save(update_fields=list(values))
    record(case, actor=actor, action="case.party_updated", obj=party, before=before)
    return party


@transaction.atomic
def remove_party(party: CaseParty, *, actor: User) -> None:
    """Remove a party from an open case."""
    case = party.case
    check_case(case, actor)
    before = audit.snapshot(party)
    record(case, actor=actor, action="case.party_removed", obj=party, before=before, after={})
    CaseParty.objects.filter(pk=party.pk).delete()


# ---------------------------------------------------------------- stages


@transaction.atomic
def move_stage(
    case: ConflictCase,
    *,
    actor: User,
    version: int,
    to_stage: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ConflictCase:
    """Move an open case to any other stage (forward or back); the move is kept in its history.

    Raises InvalidInput for an unknown or the current stage, Conflict for a stale `version`.
    """
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    if to_stage not in CaseStage.values:
        errors["to_stage"] = [_("Tahap tidak dikenal.")]
    elif to_stage == case.stage:
        errors["to_stage"] = [_("Kasus sudah berada pada tahap ini.")]
    clean_note = clean_text(note, "note", errors)
    if errors:
        raise InvalidInput(_("Periksa kembali perpindahan tahap."), errors)
    before = audit.snapshot(case)
    from_stage = case.stage
    bump_case(case, version=version, stage=to_stage)
    record_stage(
        case,
        actor=actor,
        from_stage=from_stage,
        to_stage=to_stage,
        note=clean_note,
        at=now_or(now),
    )
    after = audit.snapshot(case)
    after["note"] = clean_note
    record(case, actor=actor, action="case.stage_changed", before=before, after=after)
    return case


def status_in_force(case: ConflictCase) -> ConflictStatus | None:
    """The case's status keadaan konflik in force (the head of its chain), if any."""
    return (
        ConflictStatus.objects.filter(case=case, state=ConflictStatusState.ACTIVE)
        .order_by("-start_date", "-id")
        .first()
    )


@transaction.atomic
def close_case(
    case: ConflictCase,
    *,
    actor: User,
    version: int,
    note: str,
    now: dt.datetime | None = None,
) -> ConflictCase:
    """Close an open case with a closing note (required).

    Refused (InvalidInput) while a status keadaan konflik is in force: revoke it, or let it end,
    first. Raises Conflict for a stale `version`.
    """
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    clean_note = clean_text(note, "note", errors, required=True)
    if status_in_force(case) is not None:
        errors.setdefault("status", []).append(
            _(
                "Kasus tidak dapat ditutup selama status keadaan konflik masih berlaku. "
                "Cabut status itu atau tunggu sampai berakhir."
            )
        )
    if errors:
        raise InvalidInput(_("Kasus belum dapat ditutup."), errors)
    at = now_or(now)
    before = audit.snapshot(case)
    bump_case(
        case,
        version=version,
        status=CaseStatus.CLOSED,
        closed_by=actor,
        closed_at=at,
        closing_note=clean_note,
    )
    record_stage(
        case, actor=actor, from_stage=case.stage, to_stage=case.stage, note=clean_note, at=at
    )
    record(case, actor=actor, action="case.closed", before=before)
    return case


@transaction.atomic
def reopen_case(
    case: ConflictCase,
    *,
    actor: User,
    version: int,
    note: str,
    now: dt.datetime | None = None,
) -> ConflictCase:
    """Reopen a closed case in the stage it was closed in, with a reason (required).

    Raises InvalidInput when the case is open or the reason is missing, Conflict when stale.
    """
    check_case(case, actor, open_only=False)
    errors: dict[str, list[str]] = {}
    clean_note = clean_text(note, "note", errors, required=True)
    if case.status != CaseStatus.CLOSED:
        errors.setdefault("status", []).append(_("Kasus ini masih terbuka."))
    if errors:
        raise InvalidInput(_("Kasus tidak dapat dibuka kembali."), errors)
    at = now_or(now)
    before = audit.snapshot(case)
    bump_case(
        case,
        version=version,
        status=CaseStatus.ACTIVE,
        closed_by=None,
        closed_at=None,
        closing_note="",
    )
    record_stage(case, actor=actor, from_stage="", to_stage=case.stage, note=clean_note, at=at)
    after = audit.snapshot(case)
    after["note"] = clean_note
    record(case, actor=actor, action="case.reopened", before=before, after=after)
    return case


# The status keadaan konflik and recovery activities, so callers import one module.
from waspada.response.services.conflict_statuses import (  # noqa: E402
    declare_status,
    extend_status,
    process_conflict_statuses,
    revoke_status,
)
from waspada.response.services.recovery import (  # noqa: E402
    add_recovery_activity,
    add_recovery_evidence,
    update_recovery_activity,
)

__all__ = [
    "add_case_event",
    "add_party",
    "add_recovery_activity",
    "add_recovery_evidence",
    "change_case_events",
    "close_case",
    "declare_status",
    "extend_status",
    "move_stage",
    "open_case",
    "process_conflict_statuses",
    "remove_case_event",
    "remove_party",
    "reopen_case",
    "revoke_status",
    "status_in_force",
    "update_case",
    "update_party",
    "update_recovery_activity",
]
