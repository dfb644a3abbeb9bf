"""Idempotent creates: a client-made key makes a retried submission land once.

    outcome = idempotent_create(
        request.user, "reports.create", request.headers.get("Idempotency-Key"),
        fingerprint_of(request.data),
        lambda: Outcome.of(services.create_report(...), status_code=201, body=...),
    )

The first call with a key runs `create_fn` and stores its answer (status code and JSON body) in
`core.IdempotencyRecord` in the same transaction; every retry with the same key (same user and
scope) gets the stored answer back and creates nothing. The same key with a different request body
is refused (422), a malformed key too (400). Without a key, `create_fn` simply runs.

Concurrent retries: the record is inserted *before* the object is created, so on PostgreSQL the
unique constraint makes a second request with the same key wait on the first one's row; when the
first commits, the second's insert fails, and it reads and replays the stored answer. When the
first rolls back (bad input), the second proceeds as the first. SQLite serialises writers anyway.

`claim_first=False` writes the record once, after the object, with its answer (one statement
fewer, for creates made on every request of a phone). A retry, or a concurrent request with the
same key, then runs `create_fn` too, fails on the unique constraint (or on whatever `create_fn`
now refuses, e.g. a report submitted since), rolls back whole and replays the stored answer: the
same answers as claiming first, so only for a `create_fn` whose every effect is in the database
transaction (no files written, nothing sent except through `on_commit`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, transaction
from django.utils.translation import gettext as _

from waspada.core.errors import DomainError, InvalidInput
from waspada.core.models import IdempotencyRecord

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:~\-]{1,128}$")
HEADER = "Idempotency-Key"
# Stored while the creating transaction is still open; never visible to another transaction.
_PENDING = 0


class KeyReused(DomainError):
    """The idempotency key was already used with a different request body (422)."""

    status_code = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    """The answer to a create: what the client got the first time and gets on every retry."""

    status_code: int
    body: Any
    object_type: str = ""
    object_id: str = ""
    replayed: bool = False

    @classmethod
    def of(cls, obj: models.Model, *, body: Any, status_code: int = 201) -> Outcome:
        """The outcome of creating `obj`; `body` must be JSON-serialisable (dates become text)."""
        return cls(
            status_code=status_code,
            body=_jsonable(body),
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        )


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def fingerprint_of(data: Any) -> str:
    """A stable sha256 of a request body (dict keys sorted), to tell a retry from a new request."""
    canonical = json.dumps(
        _jsonable(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def clean_key(key: str | None) -> str | None:
    """The key, or None when absent or blank; InvalidInput (400) when it is malformed."""
    if key is None or not key.strip():
        return None
    key = key.strip()
    if not KEY_PATTERN.match(key):
        message = _(
            "Idempotency-Key tidak valid: paling banyak 128 karakter berupa huruf, angka, "
            "titik, garis bawah, titik dua, tilde atau tanda hubung."
        )
        raise InvalidInput(message, {HEADER: [message]})
    return key


def _replay(record: IdempotencyRecord, fingerprint: str) -> Outcome:
    if record.fingerprint != fingerprint:
        raise KeyReused(
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi yang berbeda. "
                "Gunakan kunci baru untuk permintaan baru."
            )
        )
    return Outcome(
        status_code=record.status_code,
        body=record.response,
        object_type=record.object_type,
        object_id=record.object_id,
        replayed=True,
    )


def _find(user: Any, scope: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()


def idempotent_create(
    user: Any,
    scope: str,
    key: str | None,
    fingerprint: str,
    create_fn: Callable[[], Outcome],
    *,
    claim_first: bool = True,
) -> Outcome:
    """Run `create_fn` once per (user, scope, key) and replay its stored answer afterwards.

    `scope` names what is created ("reports.create", "reports.items:42"); `fingerprint` is
    `fingerprint_of(body)`. Returns the Outcome (with `replayed=True` on a retry). Raises
    InvalidInput (400) for a malformed key, KeyReused (422) for a key reused with another body,
    and whatever `create_fn` raises (nothing is stored then, so a corrected retry may reuse the
    key). `create_fn` runs inside the transaction that stores the record. `claim_first=False`:
    see the module docstring.
    """
    cleaned = clean_key(key)
    if cleaned is None:
        with transaction.atomic():
            return create_fn()
    if not claim_first:
        return _create_then_store(user, scope, cleaned, fingerprint, create_fn)
    try:
        with transaction.atomic():
            # Claim the key first: a concurrent request with the same key waits here, and a
            # retry of a finished request fails here (no look-up first: retries are rare).
            record = IdempotencyRecord.objects.create(
                user=user,
                scope=scope,
                key=cleaned,
                fingerprint=fingerprint,
                status_code=_PENDING,
            )
            outcome = create_fn()
            record.status_code = outcome.status_code
            record.response = _jsonable(outcome.body)
            record.object_type = outcome.object_type
            record.object_id = outcome.object_id
            stored = _store(record)
    except IntegrityError:
        # This key is stored already (a retry), or someone else stored it between our request
        # and our insert: replay theirs. An IntegrityError raised by create_fn itself finds no
        # record and is raised again.
        existing = _find(user, scope, cleaned)
        if existing is None or existing.status_code == _PENDING:
            raise
        return _replay(existing, fingerprint)
    # Answer with the stored body as read back (PostgreSQL's jsonb orders keys its own way), so
    # the first answer and every replay are the same bytes.
    return replace(outcome, body=stored)


def _create_then_store(
    user: Any, scope: str, key: str, fingerprint: str, create_fn: Callable[[], Outcome]
) -> Outcome:
    try:
        with transaction.atomic():
            outcome = create_fn()
            record = IdempotencyRecord(
                user=user,
                scope=scope,
                key=key,
                fingerprint=fingerprint,
                status_code=outcome.status_code,
                response=_jsonable(outcome.body),
                object_type=outcome.object_type,
                object_id=outcome.object_id,
            )
            stored = _insert(record)
    except (DomainError, IntegrityError, PermissionDenied):
        # Everything above is rolled back. A stored answer for this key means a retry (or a
        # concurrent twin that committed first): replay it, whatever create_fn said this time.
        existing = _find(user, scope, key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return replace(outcome, body=stored)


def _insert(record: IdempotencyRecord) -> Any:
    """Insert the finished record; returns the response as the database keeps it (see _store)."""
    connection = connections[IdempotencyRecord.objects.db]
    if connection.vendor != "postgresql":
        record.save(force_insert=True)
        if connection.vendor != "sqlite":
            record.refresh_from_db(fields=["response"])
        return record.response
    meta = IdempotencyRecord._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    response = cast("models.JSONField[Any]", meta.get_field("response"))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    table, returned = quote(meta.db_table), quote(str(response.column))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING {returned}"  # noqa: S608 (our own names)
    params = [f.get_db_prep_save(f.pre_save(record, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return response.from_db_value(row[0], cast(Any, None), connection)


def _store(record: IdempotencyRecord) -> Any:
    """Save the answer into the claimed record; returns the response as the database keeps it.

    On PostgreSQL the UPDATE returns it (jsonb reorders keys); SQLite keeps JSON as text, in the
    order written, so the stored value is the one in memory; anything else reads it back.
    """
    fields = ["status_code", "response", "object_type", "object_id"]
    connection = connections[IdempotencyRecord.objects.db]
    if connection.vendor != "postgresql":
        record.save(update_fields=fields)
        if connection.vendor != "sqlite":
            record.refresh_from_db(fields=["response"])
        return record.response
    meta = IdempotencyRecord._meta
    columns = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in fields]
    response = cast("models.JSONField[Any]", meta.get_field("response"))
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in columns)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (our own names)
        f"WHERE {quote('id')} = %s RETURNING {quote(str(response.column))}"
    )
    params = [f.get_db_prep_save(getattr(record, f.attname), connection) for f in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, record.pk])
        row = cursor.fetchone()
    return response.from_db_value(row[0], cast(Any, None), connection)


__all__ = [
    "HEADER",
    "KeyReused",
    "Outcome",
    "clean_key",
    "fingerprint_of",
    "idempotent_create",
]
