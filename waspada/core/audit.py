"""The audit log: services call `record()` for every change users can observe.

Entries are hash-chained (see `AuditEntry`). `record()` must run inside the service's transaction;
it locks the chain head, so concurrent writers on PostgreSQL queue up instead of forking the chain
(on SQLite, writers are serialised by the database itself).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.utils import timezone

from waspada.core.classification import RANK
from waspada.core.context import job_id_var, request_id_var
from waspada.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64
NEVER_LOGGED = frozenset({"password"})


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the stored value and the hashed value are the same thing."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The concrete field values of a model instance, as JSON, without secrets."""
    skip = NEVER_LOGGED | set(exclude)
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.attname] = field.value_from_object(obj)
    for field in obj._meta.many_to_many:
        if field.name in skip or obj.pk is None:
            continue
        data[field.name] = sorted(
            str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True)
        )
    result: dict[str, Any] = _jsonable(data)
    return result


def _content(entry: AuditEntry) -> bytes:
    created: datetime = entry.created_at
    payload = {
        "seq": entry.seq,
        "created_at": created.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "area_code": entry.area_code,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
        "job_id": entry.job_id,
        "prev_hash": entry.prev_hash,
    }
    if entry.classification:  # only hashed when set, so entries written before it still verify
        payload["classification"] = entry.classification
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_content(entry)).hexdigest()


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    area_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    classification: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain. `actor` is a user, or None for the system.

    When `obj` is given and `after` is not, the entry stores a snapshot of `obj` as `after`.
    The entry takes the highest security classification of `obj` (its `classification` field)
    and of the before/after snapshots, unless `classification` is given, so a reader without the
    clearance never sees a classified snapshot in the log.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        if after is None:
            after = snapshot(obj)
    if not object_type:
        raise ValueError("record() needs obj or object_type")
    if classification is None:
        found = [
            str(value)
            for value in (
                getattr(obj, "classification", None) if obj is not None else None,
                (before or {}).get("classification"),
                (after or {}).get("classification"),
            )
            if value in RANK
        ]
        classification = max(found, key=RANK.__getitem__) if found else ""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor if is_user else None,
            actor_label=actor.get_username() if is_user else "system",
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            area_code=area_code or "",
            classification=classification,
            before=None if before is None else _jsonable(before),
            after=None if after is None else _jsonable(after),
            request_id=request_id_var.get() or "",
            job_id=job_id_var.get() or "",
            prev_hash=head.hash or GENESIS,
        )
        entry.hash = compute_hash(entry)
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class Pending:
    """One entry for `record_many`: the arguments `record()` takes, with the object spelled out."""

    action: str
    object_type: str
    object_id: str | int
    area_code: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    classification: str | None = None  # None: the highest found in before/after, as record()

    def level(self) -> str:
        if self.classification is not None:
            return self.classification
        found = [
            str(value)
            for value in (
                (self.before or {}).get("classification"),
                (self.after or {}).get("classification"),
            )
            if value in RANK
        ]
        return max(found, key=RANK.__getitem__) if found else ""


# At most this many entries go in one INSERT statement together with the head update; larger
# batches go by COPY (PostgreSQL) or bulk_create.
SMALL_BATCH = 20


def _entry_fields() -> list[models.Field[Any, Any]]:
    return [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]


def _lock_head(connection: Any) -> tuple[int, str]:
    """Lock the chain head (one plain SELECT ... FOR UPDATE; the row is created on first use) and
    return its seq and hash."""
    quote = connection.ops.quote_name
    table = quote(AuditHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('seq')}, {quote('hash')} FROM {table} "  # noqa: S608 (our own names)
            f"WHERE {quote('id')} = 1{lock}"
        )
        row = cursor.fetchone()
    if row is None:
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        row = (head.seq, head.hash)
    return int(row[0]), str(row[1] or GENESIS)


def _head_update_sql(connection: Any) -> str:
    quote = connection.ops.quote_name
    return (
        f"UPDATE {quote(AuditHead._meta.db_table)} "  # noqa: S608 (our own names)
        f"SET {quote('seq')} = %s, {quote('hash')} = %s WHERE {quote('id')} = 1"
    )


def _row(entry: AuditEntry, fields: list[models.Field[Any, Any]], connection: Any) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in fields]


def _insert_with_head(connection: Any, entries: list[AuditEntry], seq: int, last: str) -> None:
    """PostgreSQL: insert a few entries and move the head in one statement (one round trip)."""
    fields = _entry_fields()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = ", ".join([one] * len(entries))
    table = quote(AuditEntry._meta.db_table)
    insert = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608 (our own names)
    sql = f"WITH head AS ({_head_update_sql(connection)}) {insert}"
    params: list[Any] = [seq, last]
    for entry in entries:
        params += _row(entry, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert(connection: Any, entries: list[AuditEntry]) -> None:
    """Insert entries in one go: COPY on PostgreSQL (several times faster than a multi-row INSERT
    for large JSON snapshots), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        AuditEntry.objects.bulk_create(entries)
        return
    fields = _entry_fields()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 (our own table and column names)
        ) as copy,
    ):
        for entry in entries:
            copy.write_row(_row(entry, fields, connection))


def record_many(*, actor: Any, entries: Iterable[Pending], batch_size: int = 2000) -> int:
    """Append many entries by one actor at once (bulk writes such as an import): the same chain,
    the same hashes as `record()` one by one, with one head lock and batched inserts.

    Must run inside the caller's transaction, and takes no savepoint of its own (two round trips
    fewer per call): an error here fails the caller's whole transaction. Returns the number of
    entries written. On PostgreSQL a few entries (an item and its event) go in one statement with
    the head update.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    label = actor.get_username() if is_user else "system"
    written = 0
    connection = connections[AuditEntry.objects.db]
    with transaction.atomic(savepoint=False):
        seq, prev = _lock_head(connection)
        now = timezone.now()
        request_id, job_id = request_id_var.get() or "", job_id_var.get() or ""
        batch: list[AuditEntry] = []
        for pending in entries:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                created_at=now,
                actor=actor if is_user else None,
                actor_label=label,
                action=pending.action,
                object_type=pending.object_type,
                object_id=str(pending.object_id),
                area_code=pending.area_code or "",
                classification=pending.level(),
                before=None if pending.before is None else _jsonable(pending.before),
                after=None if pending.after is None else _jsonable(pending.after),
                request_id=request_id,
                job_id=job_id,
                prev_hash=prev,
            )
            entry.hash = prev = compute_hash(entry)
            batch.append(entry)
            if len(batch) >= batch_size:
                _insert(connection, batch)
                written += len(batch)
                batch = []
        if (
            batch
            and not written
            and len(batch) <= SMALL_BATCH
            and connection.vendor == "postgresql"
        ):
            _insert_with_head(connection, batch, seq, prev)
            return len(batch)
        if batch:
            _insert(connection, batch)
            written += len(batch)
        if written:
            with connection.cursor() as cursor:
                cursor.execute(_head_update_sql(connection), [seq, prev])
    return written


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify_chain() -> VerifyResult:
    """Walk the whole chain in order and report the first entry that does not fit."""
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.seq, "link to the previous entry is broken")
        if compute_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, "content does not match its hash")
        prev = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    head_hash = (head.hash if head else "") or GENESIS
    if head_seq != checked or (checked and head_hash != prev):
        return VerifyResult(
            False, checked, checked + 1, f"the log ends at #{checked} but the head says #{head_seq}"
        )
    return VerifyResult(True, checked)
