"""Bulk writes of items for imports: `record_clean_items`, the batch form of `record_item`.

Why a second write path: `services.record_item` spends about 17 queries on one item (validation
look-ups, locks, the event, two audit entries), which is right for a form and far too slow for a
10,000-row import. The importer (`reports.importer`) checks its rows in bulk, with terms, areas
and events read once and the same limits as `validation`, and hands over model-ready
`validation.CleanItem`s. This service repeats every check that guards access and integrity
(the report is editable and inside the actor's scope, each area lies inside the report's area,
each classification within the actor's clearance, each event visible, not merged and not closed,
no time in the future or before 1945, no negative impact), then writes events, items, actors and
election issues with bulk inserts and one audit entry per event opened and per item recorded
(`audit.record_many`), in one transaction. The rows, the audit entries (and their order: per item,
the event it opened, then the item), the event refreshes and the signals (none: new items are
drafts, outside the verified data) are what `record_item` writes for the same items, one by one;
`reports.tests.test_import` compares the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput
from waspada.core.permissions import ensure_can
from waspada.core.scoping import code_within
from waspada.events import selectors
from waspada.events.choices import EventStatus, ItemKind
from waspada.events.models import Event, Item, ItemActor
from waspada.events.services import (
    EDITABLE_REPORT_STATUSES,
    RECORD_PERMISSION,
    refresh_event,
)
from waspada.events.validation import CLOCK_SKEW, EARLIEST, IMPACT_LIMITS, CleanItem

if TYPE_CHECKING:
    from waspada.accounts.models import User

NON_NEGATIVE = (*IMPACT_LIMITS, "loss_rupiah", "crowd_size")


def _check(
    report: Any, actor: User, items: Sequence[CleanItem], events: dict[int, Event]
) -> dict[str, list[str]]:
    """Problems keyed "<index>.<field>" (index into `items`)."""
    errors: dict[str, list[str]] = {}
    later = timezone.now() + CLOCK_SKEW

    def add(index: int, name: str, message: str) -> None:
        errors.setdefault(f"{index}.{name}", []).append(message)

    for index, clean in enumerate(items):
        fields = clean.fields
        area = fields.get("area")
        if area is None or not code_within(area.code, report.area_id):
            add(
                index,
                "area",
                _("Wilayah harus berada di dalam wilayah laporan (%(code)s).")
                % {"code": report.area_id},
            )
        if not selectors.can_read_classification(actor, fields.get("classification") or "biasa"):
            add(
                index,
                "classification",
                _("Anda tidak berwenang memberi klasifikasi setinggi ini."),
            )
        for name in ("occurred_at", "obtained_at"):
            when = fields.get(name)
            if when is not None and when > later:
                add(index, name, _("Waktu tidak boleh di masa depan."))
            elif when is not None and when < EARLIEST:
                add(index, name, _("Waktu tidak masuk akal."))
        if fields.get("occurred_at") is None:
            add(index, "occurred_at", _("Wajib diisi."))
        for name in NON_NEGATIVE:
            value = fields.get(name)
            if value is not None and value < 0:
                add(index, name, _("Tidak boleh negatif."))
        if clean.event is not None:
            event = events.get(clean.event.pk)
            if event is None:
                add(index, "event", _("Kejadian tidak ditemukan atau di luar wilayah Anda."))
            elif event.merged_into_id is not None:
                add(
                    index,
                    "event",
                    _("Kejadian ini telah digabung ke KJD-%(pk)06d; pilih kejadian tersebut.")
                    % {"pk": event.merged_into_id},
                )
            elif event.status == EventStatus.CLOSED:
                add(index, "event", _("Kejadian sudah ditutup; laporkan sebagai kejadian baru."))
    return errors


def _item_snapshot(item: Item, actors: list[ItemActor], issue_ids: list[int]) -> dict[str, Any]:
    """`services.item_snapshot` from memory (no query per item)."""
    data = audit.snapshot(item, exclude=("election_issues",))
    data["election_issues"] = sorted(str(pk) for pk in issue_ids)
    data["actors"] = [
        {
            "name": a.name,
            "actor_type_id": a.actor_type_id,
            "crowd_size": a.crowd_size,
            "role": a.role,
        }
        for a in actors
    ]
    return data


def record_clean_items(report: Any, *, actor: User, items: Sequence[CleanItem]) -> list[Item]:
    """Add checked items to a draft or returned report in one go; see the module docstring.

    Raises OutOfScope/PermissionDenied as `ensure_can`, Conflict (409) when the report is no
    longer editable, InvalidInput whose `errors` are keyed "<index>.<field>" (all problems at once;
    nothing is written then). Writes event.opened and item.recorded entries.
    """
    ensure_can(actor, RECORD_PERMISSION, report.area_id)
    if not items:
        return []
    with transaction.atomic():
        status = (
            type(report)
            .objects.select_for_update()
            .filter(pk=report.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status not in EDITABLE_REPORT_STATUSES:
            raise Conflict(
                _("Laporan sudah diajukan atau diverifikasi; butirnya tidak dapat diubah lagi.")
            )
        wanted = {c.event.pk for c in items if c.event is not None}
        events = (
            {
                e.pk: e
                for e in selectors.visible_events(actor, include_merged=True).filter(pk__in=wanted)
            }
            if wanted
            else {}
        )
        errors = _check(report, actor, items, events)
        if errors:
            raise InvalidInput(_("Periksa kembali isian butir laporan."), errors)

        opened = [
            Event(
                area=c.fields["area"],
                title=c.fields["title"],
                classification=c.fields["classification"],
                first_occurred_at=c.fields["occurred_at"],
                last_occurred_at=c.fields["occurred_at"],
                created_by=actor,
            )
            for c in items
            if c.event is None
        ]
        Event.objects.bulk_create(opened)
        new_events = iter(opened)
        item_status = "returned" if status == "returned" else "draft"
        rows: list[Item] = []
        opened_by: list[Event | None] = []  # per row, the event it opened
        for clean in items:
            event = next(new_events) if clean.event is None else events[clean.event.pk]
            opened_by.append(event if clean.event is None else None)
            rows.append(
                Item(
                    report=report,
                    event=event,
                    original_event=event,
                    kind=ItemKind.NEW if clean.event is None else ItemKind.DEVELOPMENT,
                    status=item_status,
                    created_by=actor,
                    **clean.fields,
                )
            )
        Item.objects.bulk_create(rows)

        actors: dict[int, list[ItemActor]] = {}
        issues: dict[int, list[int]] = {}
        through = Item.election_issues.through
        links = []
        for item, clean in zip(rows, items, strict=True):
            actors[item.pk] = [
                ItemActor(
                    item=item,
                    name=a.name,
                    actor_type=a.actor_type,
                    crowd_size=a.crowd_size,
                    role=a.role,
                )
                for a in clean.actors
            ]
            # An issue named twice is linked once, as record_item does.
            issues[item.pk] = list(dict.fromkeys(t.pk for t in clean.election_issues))
            links += [through(item_id=item.pk, term_id=pk) for pk in issues[item.pk]]
        ItemActor.objects.bulk_create([a for group in actors.values() for a in group])
        through.objects.bulk_create(links)
        for pk in sorted(events):  # developments move their event's window and classification
            refresh_event(pk)

        # The entries record_item writes, in its order: per item, the event it opened, then it.
        entries: list[audit.Pending] = []
        for item, new_event in zip(rows, opened_by, strict=True):
            if new_event is not None:
                entries.append(
                    audit.Pending(
                        "event.opened",
                        selectors.EVENT_OBJECT_TYPE,
                        new_event.pk,
                        new_event.area_id,
                        after=audit.snapshot(new_event),
                    )
                )
            entries.append(
                audit.Pending(
                    "item.recorded",
                    selectors.ITEM_OBJECT_TYPE,
                    item.pk,
                    item.area_id,
                    after=_item_snapshot(item, actors[item.pk], issues[item.pk]),
                )
            )
        audit.record_many(actor=actor, entries=entries)
    return rows
