"""Writes of items, events and taxonomy terms: checked, atomic, audited.

Who may do what: whoever may file reports ("reports.create") writes the items of a report in their
scope while it is a draft or returned; reviewers ("reports.verify", analysts) follow events: their
status, merges of duplicates; national admins ("taxonomy.manage") edit the taxonomies. Objects the
actor may not see (outside scope, or above clearance) raise OutOfScope, answered as 404, before
any permission check, so a 403 never confirms that a hidden object exists.

Audit actions: item.recorded, item.updated, item.removed, event.opened, event.deleted,
event.status_changed, event.merged / event.merged_in, event.unmerged / event.unmerged_from,
term.created, term.updated. Item and event entries carry the object's area code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import user_covers
from waspada.events import selectors, terms, validation
from waspada.events.choices import CLASSIFICATION_RANK, Axis, Classification, EventStatus, ItemKind
from waspada.events.models import Attachment, Event, Item, ItemActor, Term
from waspada.events.signals import send_items_changed

if TYPE_CHECKING:
    from waspada.accounts.models import User

RECORD_PERMISSION = "reports.create"
MANAGE_PERMISSION = "reports.verify"
TAXONOMY_PERMISSION = "taxonomy.manage"
EDITABLE_REPORT_STATUSES = frozenset({"draft", "returned"})

# open → monitored → resolved → closed; a resolved matter that flares up again is monitored again.
EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.OPEN: frozenset({EventStatus.MONITORED}),
    EventStatus.MONITORED: frozenset({EventStatus.RESOLVED}),
    EventStatus.RESOLVED: frozenset({EventStatus.CLOSED, EventStatus.MONITORED}),
    EventStatus.CLOSED: frozenset(),
}
STALE_ITEM = "Butir ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda."
STALE_EVENT = "Kejadian ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda."


# ---------------------------------------------------------------- checks


def _ensure_visible(actor: User, area_code: str, classification: str) -> None:
    """OutOfScope unless the actor may see an object of this area and classification."""
    if not user_covers(actor, area_code) or not selectors.can_read_classification(
        actor, classification
    ):
        raise OutOfScope(area_code)


def _ensure_editable(report: Any, *, lock: bool = False) -> str:
    """Conflict unless the report is still a draft or returned (re-read, and locked if asked).

    Returns the report's current status.
    """
    qs = type(report).objects.filter(pk=report.pk)
    if lock:
        qs = qs.select_for_update()
    status = qs.values_list("status", flat=True).first()
    if status not in EDITABLE_REPORT_STATUSES:
        raise Conflict(
            _("Laporan sudah diajukan atau diverifikasi; butirnya tidak dapat diubah lagi.")
        )
    return str(status)


def _lock_for_item(report: Any) -> tuple[str, int | None]:
    """`_ensure_editable(report, lock=True)` for a new item, and the taxonomy stamp: one statement
    that locks the report row and reads its status and `terms.stamp_sql()` (the stamp is read in
    the same transaction as everything the item is checked against).

    Returns (status, stamp); the stamp is None when the database has none.
    """
    connection = connections[type(report).objects.db]
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(connection.alias, type(report)._meta.label), [report.pk])
        row = cursor.fetchone()
    status = row[0] if row else None
    if status not in EDITABLE_REPORT_STATUSES:
        raise Conflict(
            _("Laporan sudah diajukan atau diverifikasi; butirnya tidak dapat diubah lagi.")
        )
    return str(status), row[1]


@functools.cache
def _lock_sql(alias: str, label: str) -> str:
    connection = connections[alias]
    meta = apps.get_model(label)._meta
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {quote(meta.get_field('status').column)}, {terms.stamp_sql(connection)} "  # noqa: S608 (our own names)
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s{lock}"
    )


def _item_status(report_status: str) -> str:
    return "returned" if report_status == "returned" else "draft"


# ---------------------------------------------------------------- items


def item_snapshot(item: Item) -> dict[str, Any]:
    """The item as the audit log keeps it: its fields, election issues and actors."""
    data = audit.snapshot(item)
    data["actors"] = [
        {
            "name": a.name,
            "actor_type_id": a.actor_type_id,
            "crowd_size": a.crowd_size,
            "role": a.role,
        }
        for a in item.actors.order_by("id")
    ]
    return data


def _save_related(item: Item, clean: validation.CleanItem, data: Mapping[str, Any]) -> None:
    """Actors and election issues: replaced when given (always on create)."""
    if "actors" in data:
        item.actors.all().delete()
        ItemActor.objects.bulk_create(
            ItemActor(
                item=item,
                name=a.name,
                actor_type=a.actor_type,
                crowd_size=a.crowd_size,
                role=a.role,
            )
            for a in clean.actors
        )
    if "election_issues" in data:
        item.election_issues.set(clean.election_issues)


def refresh_event(event_id: int) -> None:
    """Keep an event's classification (highest of its items) and occurrence window current.

    An event without items (a merged duplicate) keeps its values, so it stays as classified as it
    was.
    """
    items = Item.objects.filter(event_id=event_id).exclude(status="withdrawn")
    window = items.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if window["first"] is None:
        return
    levels = set(items.values_list("classification", flat=True).distinct())
    classification = max(levels, key=lambda c: CLASSIFICATION_RANK[Classification(c)])
    Event.objects.filter(pk=event_id).update(
        classification=classification,
        first_occurred_at=window["first"],
        last_occurred_at=window["last"],
    )


def _snapshot_in_memory(item: Item, actors: list[ItemActor], issues: list[Term]) -> dict[str, Any]:
    """`item_snapshot` of an item just created, from memory (the same dict, no queries)."""
    data = audit.snapshot(item, exclude=("election_issues",))
    data["election_issues"] = sorted(str(t.pk) for t in issues)
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


def _prefetched(item: Item, name: str, rows: list[Any]) -> None:
    """Fill `item.<name>.all()` from memory, as prefetch_related would (so it costs no query)."""
    queryset = getattr(item, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache = getattr(item, "_prefetched_objects_cache", None)
    if cache is None:
        cache = item._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    cache[name] = queryset


def record_item(
    report: Any, *, actor: User, data: Mapping[str, Any], savepoint: bool = True
) -> Item:
    """Validate `data` and add an item to `report`, opening a new Event unless it names one.

    `data` is keyed by Item field names with term codes for the axes (see `validation`). The item
    takes the report's status (draft or returned). Raises OutOfScope (report outside the actor's
    scope), PermissionDenied (role may not file reports), Conflict (report no longer editable),
    InvalidInput with per-field messages. Writes item.recorded (and event.opened).

    The item comes back with its actors, election issues and (no) attachments already loaded,
    so rendering it costs no further query.

    `savepoint=False` skips the savepoint when called inside a transaction that rolls back as a
    whole on any error (the API's idempotent create): nothing may catch an error and go on then.
    """
    ensure_can(actor, RECORD_PERMISSION, report.area_id)
    with transaction.atomic(savepoint=savepoint):
        # Locked before validating: a report submitted meanwhile answers Conflict, as before.
        report_status, term_stamp = _lock_for_item(report)
        clean = validation.clean_item_data(report, data, actor=actor, term_stamp=term_stamp)
        values = clean.fields
        event = clean.event
        entries: list[audit.Pending] = []
        if event is None:
            event = Event.objects.create(
                area=values["area"],
                title=values["title"],
                classification=values["classification"],
                first_occurred_at=values["occurred_at"],
                last_occurred_at=values["occurred_at"],
                created_by=actor,
            )
            entries.append(
                audit.Pending(
                    "event.opened",
                    selectors.EVENT_OBJECT_TYPE,
                    event.pk,
                    event.area_id,
                    after=audit.snapshot(event),
                )
            )
        item = Item.objects.create(
            report=report,
            event=event,
            original_event=event,
            kind=clean.kind,
            status=_item_status(report_status),
            created_by=actor,
            **values,
        )
        actors = [
            ItemActor(
                item=item,
                name=a.name,
                actor_type=a.actor_type,
                crowd_size=a.crowd_size,
                role=a.role,
            )
            for a in clean.actors
        ]
        if actors:
            ItemActor.objects.bulk_create(actors)
        issues = list({t.pk: t for t in clean.election_issues}.values())
        if issues:
            through = Item.election_issues.through
            through.objects.bulk_create([through(item_id=item.pk, term_id=t.pk) for t in issues])
        if clean.event is not None:
            # A development moves its event's window and classification; a new event was
            # opened with this item's own, which is what refresh_event would write.
            refresh_event(event.pk)
        entries.append(
            audit.Pending(
                "item.recorded",
                selectors.ITEM_OBJECT_TYPE,
                item.pk,
                item.area_id,
                after=_snapshot_in_memory(item, actors, issues),
            )
        )
        audit.record_many(actor=actor, entries=entries)
    _prefetched(item, "actors", actors)
    _prefetched(item, "election_issues", sorted(issues, key=lambda t: (t.sort_order, t.code)))
    _prefetched(item, "attachments", [])
    return item


def update_item(item: Item, *, actor: User, version: int, data: Mapping[str, Any]) -> Item:
    """Correct an item of a draft or returned report; fields not in `data` stay as they are.

    Optimistic: `version` is the version the actor edited; if someone saved in between, Conflict
    (409) and nothing changes. "actors" and "election_issues", when given, replace the old ones.
    The event an item opened follows a corrected title or area. Raises OutOfScope,
    PermissionDenied, Conflict, InvalidInput. Writes item.updated with before and after.
    """
    _ensure_visible(actor, item.area_id, item.classification)
    ensure_can(actor, RECORD_PERMISSION, item.report.area_id)
    current = cast(
        Item,
        Item.objects.select_related("report", "event", "area", *selectors.ITEM_TERM_FIELDS).get(
            pk=item.pk
        ),
    )
    if current.version != version:
        raise Conflict(_(STALE_ITEM), version=current.version)
    _ensure_editable(current.report)
    clean = validation.clean_item_data(current.report, data, actor=actor, current=current)
    with transaction.atomic():
        _ensure_editable(current.report, lock=True)
        claimed = Item.objects.filter(pk=item.pk, version=version).update(version=F("version") + 1)
        if claimed != 1:
            latest = Item.objects.filter(pk=item.pk).values_list("version", flat=True).first()
            raise Conflict(_(STALE_ITEM), version=latest)
        before = item_snapshot(current)
        old_title, old_area, before_at = current.title, current.area_id, current.occurred_at
        for name, value in clean.fields.items():
            setattr(current, name, value)
        current.version = version + 1
        current.save(update_fields=[*clean.fields, "version", "updated_at"])
        _save_related(current, clean, data)
        event = current.event
        opened_here = current.kind == ItemKind.NEW and current.event_id == current.original_event_id
        if opened_here and event.title == old_title and event.area_id == old_area:
            before_event = audit.snapshot(event)
            event.title, event.area = current.title, current.area
            event.save(update_fields=["title", "area", "updated_at"])
            if event.title != old_title or event.area_id != old_area:
                audit.record(
                    actor=actor,
                    action="event.updated",
                    obj=event,
                    before=before_event,
                    area_code=event.area_id,
                )
        refresh_event(event.pk)
        send_items_changed([(old_area, before_at), (current.area_id, current.occurred_at)])
        audit.record(
            actor=actor,
            action="item.updated",
            obj=current,
            area_code=current.area_id,
            before=before,
            after=item_snapshot(current),
        )
    item.refresh_from_db()
    return current


def remove_item(item: Item, *, actor: User) -> None:
    """Delete an item of a draft or returned report, with its actors and attachments (the rows
    now, their files from storage once the removal commits, as `attachments.remove_attachment`).

    An event the item opened goes too when nothing else refers to it. Raises OutOfScope,
    PermissionDenied, Conflict. Writes item.removed (and event.deleted).
    """
    _ensure_visible(actor, item.area_id, item.classification)
    ensure_can(actor, RECORD_PERMISSION, item.report.area_id)
    with transaction.atomic():
        _ensure_editable(item.report, lock=True)
        before = item_snapshot(item)
        item_pk, area_code, event_id = item.pk, item.area_id, item.event_id
        opened_here = item.kind == ItemKind.NEW and item.event_id == item.original_event_id
        occurred_at = item.occurred_at
        files = [
            name
            for name in Attachment.objects.filter(item=item).values_list("file", flat=True)
            if name
        ]
        item.delete()
        if files:
            transaction.on_commit(lambda: _delete_files(files))
        send_items_changed([(area_code, occurred_at)])
        audit.record(
            actor=actor,
            action="item.removed",
            object_type=selectors.ITEM_OBJECT_TYPE,
            object_id=item_pk,
            area_code=area_code,
            before=before,
            after={},
        )
        event = Event.objects.get(pk=event_id)
        orphan = (
            opened_here
            and not Item.objects.filter(event_id=event_id).exists()
            and not Item.objects.filter(original_event_id=event_id).exists()
            and not Event.objects.filter(merged_into_id=event_id).exists()
        )
        if orphan:
            before_event = audit.snapshot(event)
            event.delete()
            audit.record(
                actor=actor,
                action="event.deleted",
                object_type=selectors.EVENT_OBJECT_TYPE,
                object_id=event_id,
                area_code=before_event["area_id"],
                before=before_event,
                after={},
            )
        else:
            refresh_event(event_id)


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def set_items_status(report: Any, status: str) -> int:
    """Mirror the report's status on its items and keep their events current; returns the count.

    Called by the report services inside their own transaction (they write the audit entry of the
    transition, so this writes none).
    """
    with transaction.atomic():
        items = Item.objects.filter(report_id=report.pk)
        event_ids = set(items.values_list("event_id", flat=True))
        moving = items.exclude(status=status)
        cells = list(moving.values_list("area_id", "occurred_at"))
        changed = moving.update(status=status, updated_at=timezone.now())
        for event_id in sorted(event_ids):
            refresh_event(event_id)
        send_items_changed(cells)
    return changed


def withdraw_item(item: Item, *, actor: User, version: int, reason: str) -> Item:
    """Take a verified item out of the verified data (found false, a hoax, entered twice).

    The item stays, with its history, as *withdrawn*: lists of verified items, the aggregates and
    the risk scores stop counting it. Reviewers of its area do this ("reports.verify").
    Optimistic: Conflict (409) when `version` is stale. InvalidInput without a reason or for an
    item that is not verified. Raises OutOfScope, PermissionDenied. Writes item.withdrawn.
    """
    _ensure_visible(actor, item.area_id, item.classification)
    ensure_can(actor, MANAGE_PERMISSION, item.area_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Alasan penarikan wajib diisi."), {"reason": [_("Wajib diisi.")]})
    with transaction.atomic():
        current = Item.objects.select_for_update().get(pk=item.pk)
        if current.version != version:
            raise Conflict(_(STALE_ITEM), version=current.version)
        if current.status != "verified":
            message = _("Hanya butir terverifikasi yang dapat ditarik.")
            raise InvalidInput(message, {"status": [message]})
        before = {"status": current.status, "version": current.version}
        current.status = "withdrawn"
        current.version = version + 1
        current.save(update_fields=["status", "version", "updated_at"])
        refresh_event(current.event_id)
        send_items_changed([(current.area_id, current.occurred_at)])
        audit.record(
            actor=actor,
            action="item.withdrawn",
            obj=current,
            area_code=current.area_id,
            before=before,
            after={"status": current.status, "version": current.version, "reason": reason},
        )
    return current


# ---------------------------------------------------------------- events


def _lock_events(pks: Iterable[int]) -> dict[int, Event]:
    rows = Event.objects.select_for_update().filter(pk__in=list(pks))
    return {e.pk: cast(Event, e) for e in rows}


def change_event_status(event: Event, *, actor: User, status: str, version: int) -> Event:
    """Move an event along open → monitored → resolved → closed (or resolved → monitored).

    Optimistic: Conflict (409) when `version` is stale. InvalidInput for an unknown status, a move
    the workflow does not allow, or a merged event. Raises OutOfScope, PermissionDenied. Writes
    event.status_changed.
    """
    _ensure_visible(actor, event.area_id, event.classification)
    ensure_can(actor, MANAGE_PERMISSION, event.area_id)
    if status not in EventStatus.values:
        raise InvalidInput(
            _("Status tidak dikenal."),
            {"status": [_("Pilihan '%(v)s' tidak dikenal.") % {"v": status}]},
        )
    fresh = Event.objects.get(pk=event.pk)
    if fresh.version != version:
        raise Conflict(_(STALE_EVENT), version=fresh.version)
    if fresh.merged_into_id is not None:
        raise InvalidInput(
            _("Kejadian ini telah digabung; ubah status kejadian tujuannya."),
            {"status": [_("Kejadian ini telah digabung.")]},
        )
    if status not in EVENT_TRANSITIONS[fresh.status]:
        message = _("Status tidak dapat diubah dari %(old)s menjadi %(new)s.") % {
            "old": EventStatus(fresh.status).label,
            "new": EventStatus(status).label,
        }
        raise InvalidInput(message, {"status": [message]})
    with transaction.atomic():
        before = audit.snapshot(fresh)
        moved = Event.objects.filter(pk=event.pk, version=version, status=fresh.status).update(
            status=status, version=version + 1, updated_at=timezone.now()
        )
        if moved != 1:
            raise Conflict(_(STALE_EVENT))
        fresh.refresh_from_db()
        audit.record(
            actor=actor,
            action="event.status_changed",
            obj=fresh,
            before=before,
            area_code=fresh.area_id,
        )
    return fresh


def merge_events(*, target: Event, duplicate: Event, actor: User) -> Event:
    """Merge `duplicate` into `target`: its items move, and it is hidden from lists.

    Nothing is lost: every item keeps its sources and its `original_event`, and the duplicate
    remembers `merged_into`, so `unmerge_event` puts everything back. Both events' histories show
    the merge. Raises OutOfScope, PermissionDenied, InvalidInput (same event, or either already
    merged). Returns the target, refreshed.
    """
    for event in (target, duplicate):
        _ensure_visible(actor, event.area_id, event.classification)
    for event in (target, duplicate):
        ensure_can(actor, MANAGE_PERMISSION, event.area_id)
    if target.pk == duplicate.pk:
        raise InvalidInput(
            _("Kejadian tidak dapat digabung dengan dirinya sendiri."),
            {"duplicate": [_("Pilih kejadian lain.")]},
        )
    with transaction.atomic():
        locked = _lock_events([target.pk, duplicate.pk])
        t, d = locked[target.pk], locked[duplicate.pk]
        if t.merged_into_id is not None:
            raise InvalidInput(
                _("Kejadian tujuan sudah digabung ke KJD-%(pk)06d.") % {"pk": t.merged_into_id},
                {"target": [_("Kejadian ini sudah digabung.")]},
            )
        if d.merged_into_id is not None:
            raise InvalidInput(
                _("Kejadian ini sudah digabung ke KJD-%(pk)06d.") % {"pk": d.merged_into_id},
                {"duplicate": [_("Kejadian ini sudah digabung.")]},
            )
        before_t, before_d = audit.snapshot(t), audit.snapshot(d)
        moved = sorted(Item.objects.filter(event=d).values_list("pk", flat=True))
        Item.objects.filter(pk__in=moved).update(event=t, updated_at=timezone.now())
        send_items_changed(Item.objects.filter(pk__in=moved).values_list("area_id", "occurred_at"))
        now = timezone.now()
        Event.objects.filter(pk=d.pk).update(
            merged_into=t, version=F("version") + 1, updated_at=now
        )
        Event.objects.filter(pk=t.pk).update(version=F("version") + 1, updated_at=now)
        refresh_event(t.pk)
        t.refresh_from_db()
        d.refresh_from_db()
        audit.record(
            actor=actor,
            action="event.merged",
            obj=d,
            before=before_d,
            after={**audit.snapshot(d), "items_moved": moved},
            area_code=d.area_id,
        )
        audit.record(
            actor=actor,
            action="event.merged_in",
            obj=t,
            before=before_t,
            after={**audit.snapshot(t), "duplicate_id": d.pk, "items_moved": moved},
            area_code=t.area_id,
        )
    return t


def unmerge_event(duplicate: Event, *, actor: User) -> Event:
    """Undo a merge: the duplicate's items (and those of events merged into it) come back.

    Raises OutOfScope, PermissionDenied, InvalidInput (the event is not merged). Writes
    event.unmerged on the duplicate and event.unmerged_from on the event it was merged into.
    Returns the duplicate, refreshed and listed again.
    """
    if duplicate.merged_into_id is None:
        raise InvalidInput(
            _("Kejadian ini tidak sedang digabung."), {"duplicate": [_("Tidak digabung.")]}
        )
    target = Event.objects.get(pk=duplicate.merged_into_id)
    for event in (duplicate, target):
        _ensure_visible(actor, event.area_id, event.classification)
    for event in (duplicate, target):
        ensure_can(actor, MANAGE_PERMISSION, event.area_id)
    with transaction.atomic():
        locked = _lock_events([duplicate.pk, target.pk])
        d, t = locked[duplicate.pk], locked[target.pk]
        if d.merged_into_id != t.pk:
            raise Conflict(_(STALE_EVENT))
        # The duplicate and every event merged into it (at any depth) before it was merged.
        family = {d.pk}
        frontier = {d.pk}
        while frontier:
            frontier = (
                set(Event.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
                - family
            )
            family |= frontier
        returning = Item.objects.filter(original_event_id__in=family).exclude(event_id=d.pk)
        left = set(returning.values_list("event_id", flat=True))
        moved = sorted(returning.values_list("pk", flat=True))
        Item.objects.filter(pk__in=moved).update(event=d, updated_at=timezone.now())
        send_items_changed(Item.objects.filter(pk__in=moved).values_list("area_id", "occurred_at"))
        before_t, before_d = audit.snapshot(t), audit.snapshot(d)
        now = timezone.now()
        Event.objects.filter(pk=d.pk).update(
            merged_into=None, version=F("version") + 1, updated_at=now
        )
        Event.objects.filter(pk=t.pk).update(version=F("version") + 1, updated_at=now)
        for event_id in sorted(left | {d.pk}):
            refresh_event(event_id)
        t.refresh_from_db()
        d.refresh_from_db()
        audit.record(
            actor=actor,
            action="event.unmerged",
            obj=d,
            before=before_d,
            after={**audit.snapshot(d), "items_returned": moved, "was_merged_into": t.pk},
            area_code=d.area_id,
        )
        audit.record(
            actor=actor,
            action="event.unmerged_from",
            obj=t,
            before=before_t,
            after={**audit.snapshot(t), "duplicate_id": d.pk, "items_returned": moved},
            area_code=t.area_id,
        )
    return d


# ---------------------------------------------------------------- taxonomy terms

TERM_EDITABLE = ("label", "label_en", "description", "parent", "sort_order", "weight", "active")


def _clean_term(axis: str, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if "label" in values:
        values["label"] = str(values["label"] or "").strip()
        if not values["label"]:
            errors.setdefault("label", []).append(_("Wajib diisi."))
        elif len(values["label"]) > 160:
            errors.setdefault("label", []).append(_("Paling banyak 160 karakter."))
    for name in ("label_en", "description"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "label_en" in values and len(values["label_en"]) > 160:
        errors.setdefault("label_en", []).append(_("Paling banyak 160 karakter."))
    if "weight" in values:
        try:
            weight = Decimal(str(values["weight"]))
        except (InvalidOperation, ValueError):
            errors.setdefault("weight", []).append(_("Bobot harus berupa angka."))
        else:
            exponent = weight.as_tuple().exponent
            in_range = weight.is_finite() and Decimal(0) <= weight <= Decimal(100)
            if not in_range or not isinstance(exponent, int) or exponent < -2:
                errors.setdefault("weight", []).append(
                    _("Bobot harus di antara 0 dan 100, paling banyak dua angka desimal.")
                )
            values["weight"] = weight
    if "sort_order" in values:
        try:
            order = int(values["sort_order"])
        except (TypeError, ValueError):
            order = -1
        if not 0 <= order <= 32767:
            errors.setdefault("sort_order", []).append(_("Urutan harus bilangan 0 sampai 32767."))
        values["sort_order"] = order
    if "active" in values:
        values["active"] = bool(values["active"])
    if "parent" in values:
        code = values["parent"]
        code = code.code if isinstance(code, Term) else str(code or "").strip()
        parent = None
        if axis != Axis.ACLED_SUBTYPE:
            if code:
                errors.setdefault("parent", []).append(
                    _("Hanya sub-jenis ACLED yang mempunyai induk.")
                )
        else:
            parent = Term.objects.filter(axis=Axis.ACLED_TYPE, code=code).first() if code else None
            if parent is None:
                errors.setdefault("parent", []).append(
                    _("Sub-jenis ACLED harus menunjuk jenis ACLED yang ada.")
                )
        values["parent"] = parent


def create_term(*, actor: User, axis: str, code: str, label: str, **fields: Any) -> Term:
    """Add a value to a taxonomy axis (national admins only: taxonomies are national data).

    `fields` may hold label_en, description, parent (an ACLED type code, for a sub-type),
    sort_order, weight, active. Raises PermissionDenied, InvalidInput. Writes term.created.
    """
    ensure_can(actor, TAXONOMY_PERMISSION)
    errors: dict[str, list[str]] = {}
    unknown = set(fields) - set(TERM_EDITABLE)
    for name in sorted(unknown):
        errors[name] = [_("Kolom tidak dikenal.")]
    if axis not in Axis.values:
        errors["axis"] = [_("Sumbu klasifikasi tidak dikenal.")]
    code = str(code or "").strip()
    if not code or len(code) > 48 or not all(c.isalnum() or c in "-_" for c in code):
        errors["code"] = [_("Kode hanya huruf, angka, tanda hubung; paling banyak 48 karakter.")]
    elif Term.objects.filter(axis=axis, code=code).exists():
        errors["code"] = [_("Kode '%(code)s' sudah dipakai pada sumbu ini.") % {"code": code}]
    values = {k: v for k, v in fields.items() if k in TERM_EDITABLE}
    values["label"] = label
    if axis == Axis.ACLED_SUBTYPE:
        values.setdefault("parent", "")
    _clean_term(axis, values, errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian istilah."), errors)
    with transaction.atomic():
        term = Term.objects.create(axis=axis, code=code, **values)
        audit.record(actor=actor, action="term.created", obj=term)
    return term


def update_term(term: Term, *, actor: User, **fields: Any) -> Term:
    """Change a term's labels, description, parent, order, weight or whether it is offered.

    The axis and code never change (items and imports refer to them); retire a term with
    active=False instead. Raises PermissionDenied, InvalidInput. Writes term.updated.
    """
    ensure_can(actor, TAXONOMY_PERMISSION)
    errors: dict[str, list[str]] = {}
    for name in sorted(set(fields) - set(TERM_EDITABLE)):
        errors[name] = [_("Kolom ini tidak dapat diubah.")]
    values = {k: v for k, v in fields.items() if k in TERM_EDITABLE}
    _clean_term(term.axis, values, errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian istilah."), errors)
    with transaction.atomic():
        locked = Term.objects.select_for_update().get(pk=term.pk)
        before = audit.snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
        audit.record(actor=actor, action="term.updated", obj=locked, before=before)
    return locked
