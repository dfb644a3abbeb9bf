"""Taxonomy terms by (axis, code), kept per process and checked against `TermStamp` on every use.

Every item written resolves up to a dozen term codes, and terms change rarely (a national admin
edits them, a migration seeds them). So a process keeps all terms in memory, tagged with the value
of the stamp it loaded them under. Database triggers (migration 0006) give the stamp a new random
value whenever any Term row changes, however it is changed, so a caller that reads the stamp in the
same transaction as the rest of its work (`record_item` reads it with the report lock, in one
statement) gets the cached terms only while they are what the database holds. Without a stamp (no
row, as right after a test flush, or a database without the triggers) terms come from the database.

Cached Term objects are shared by every request of the process: read them, never change them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection

from waspada.events.models import Term, TermStamp

TRIGGER = "events_term_restamp"
SQLITE_OPERATIONS = ("insert", "update", "delete")


@dataclass(frozen=True)
class _Loaded:
    stamp: int
    by_key: dict[tuple[str, str], Term]


_loaded: _Loaded | None = None


def stamp_sql(connection: Any = default_connection) -> str:
    """A scalar subquery giving the current stamp (NULL when there is no row), to embed in a
    query the caller makes anyway."""
    quote = connection.ops.quote_name
    return (
        f"(SELECT {quote('value')} FROM {quote(TermStamp._meta.db_table)} "  # noqa: S608 (our names)
        f"WHERE {quote('id')} = 1)"
    )


def current_stamp() -> int | None:
    """The stamp as the database holds it now (one query; None without a row)."""
    value: int | None = TermStamp.objects.filter(pk=1).values_list("value", flat=True).first()
    return value


def by_code(wanted: set[tuple[str, str]], *, stamp: int | None) -> dict[tuple[str, str], Term]:
    """The terms among `wanted` (axis, code) pairs that exist, active or not, with their parents.

    `stamp` is `current_stamp()` read in the caller's transaction (or None to read the database).
    """
    if not wanted:
        return {}
    if stamp is None:
        return _query(wanted)
    table = _table(stamp)
    return {key: table[key] for key in wanted if key in table}


def _query(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], Term]:
    # One plain query on both columns (cheaper to plan than one OR branch per pair); the few
    # extra rows it may bring (a code of another axis) are dropped here.
    rows = Term.objects.filter(
        axis__in={axis for axis, _code in wanted}, code__in={code for _axis, code in wanted}
    ).select_related("parent")
    return {(t.axis, t.code): t for t in rows if (t.axis, t.code) in wanted}


def _table(stamp: int) -> dict[tuple[str, str], Term]:
    global _loaded
    loaded = _loaded
    if loaded is None or loaded.stamp != stamp:
        terms = list(Term.objects.order_by("pk"))
        by_pk = {t.pk: t for t in terms}
        parent = Term._meta.get_field("parent")
        for term in terms:
            if term.parent_id is not None:
                parent.set_cached_value(term, by_pk.get(term.parent_id))
        loaded = _Loaded(stamp, {(t.axis, t.code): t for t in terms})
        _loaded = loaded
    return loaded.by_key


def forget() -> None:
    """Drop this process's copy (tests; the stamp makes it unnecessary otherwise)."""
    global _loaded
    _loaded = None


# ---------------------------------------------------------------- triggers (migration 0006)


def install_triggers(connection: Any) -> None:
    """Create the triggers that restamp on every change to events_term, and a first stamp.

    PostgreSQL and SQLite; other databases get neither (no stamp: terms are always read).
    """
    quote = connection.ops.quote_name
    terms, stamps = quote(Term._meta.db_table), quote(TermStamp._meta.db_table)
    statements: list[str] = []
    if connection.vendor == "postgresql":
        statements = [
            f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {stamps} (id, value)
                VALUES (1, floor(random() * 9007199254740991)::bigint)
                ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
                RETURN NULL;
            END;
            $$""",  # noqa: S608 (our own names, no input)
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {terms}",
            f"""CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {terms}
            FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()""",
        ]
    elif connection.vendor == "sqlite":
        statements = [
            f"""CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{operation} AFTER {operation.upper()}
            ON {terms} BEGIN
                INSERT OR REPLACE INTO {stamps} (id, value) VALUES (1, random());
            END"""  # noqa: S608 (our own names, no input)
            for operation in SQLITE_OPERATIONS
        ]
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(
            f"DELETE FROM {stamps}"  # noqa: S608 (our own table)
        )
        cursor.execute(
            f"INSERT INTO {stamps} (id, value) VALUES (1, %s)",  # noqa: S608 (our own table)
            [secrets.randbits(53)],
        )


def remove_triggers(connection: Any) -> None:
    quote = connection.ops.quote_name
    terms = quote(Term._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {terms}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        elif connection.vendor == "sqlite":
            for operation in SQLITE_OPERATIONS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{operation}")


def triggers_installed(connection: Any = default_connection) -> bool:
    """True when the restamping triggers exist (PostgreSQL or SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [TRIGGER]
            )
            return bool(cursor.fetchone()[0] == 1)
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}_%"],
            )
            return bool(cursor.fetchone()[0] == len(SQLITE_OPERATIONS))
    return False
