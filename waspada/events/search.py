"""Text search over items: the one seam between PostgreSQL full-text search and SQLite.

On PostgreSQL the title and chronology are matched as a `to_tsvector('simple', ...)` document
against a `websearch_to_tsquery('simple', q)` query: every word must occur (as a whole word),
"quoted phrases" and -exclusions work, and migration 0004 adds a GIN index on exactly that
document. The 'simple' configuration lower-cases and does not stem, which suits Indonesian
(PostgreSQL ships no Indonesian stemmer) and place and person names.

On SQLite (the embedded default) every word of `q` (letters and digits; punctuation separates
words) must occur, case-insensitively, somewhere in the title or the chronology, and words after a
"-" must not (a substring match, so it also finds parts of words).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet

_QS = TypeVar("_QS", bound=QuerySet[Any])

SEARCH_CONFIG = "simple"
MAX_WORDS = 12
_WORD = re.compile(r"\w+")


def item_document() -> SearchVector:
    """The indexed search document of an item (keep in step with migration 0004)."""
    return SearchVector("title", "chronology", config=SEARCH_CONFIG)


def uses_full_text(qs: QuerySet[Any]) -> bool:
    """True when the queryset's database is PostgreSQL."""
    return connections[qs.db].vendor == "postgresql"


def search_items(qs: _QS, q: str) -> _QS:
    """Narrow `qs` to items whose title or chronology matches `q` (an empty `q` changes nothing)."""
    q = " ".join(q.split()[:MAX_WORDS])
    if not q:
        return qs
    if uses_full_text(qs):
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        return qs.alias(document=item_document()).filter(document=query)
    for chunk in q.split():
        excluded = chunk.startswith("-")
        for word in _WORD.findall(chunk):
            match = Q(title__icontains=word) | Q(chronology__icontains=word)
            qs = qs.exclude(match) if excluded else qs.filter(match)
    return qs


def search_events(qs: _QS, items: QuerySet[Any], q: str) -> _QS:
    """Narrow `qs` to events with an item among `items` (already scoped) that matches `q`."""
    if not " ".join(q.split()):
        return qs
    return qs.filter(pk__in=search_items(items, q).values("event_id"))
