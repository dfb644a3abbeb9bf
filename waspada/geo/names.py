"""Folding area names for search, and reading the level hints people type in front of names.

The same `fold()` is applied to stored names (`Area.search_name`) and to queries, so "Bekasi",
"BEKASI" and "Békasi" meet, and "Ma'u" matches "mau".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from waspada.geo.choices import AreaLevel

# Quote-like characters are dropped entirely: names such as "Ma'u", "Regapu’u" and "Ra\"as" are
# typed with and without them.
_QUOTES = str.maketrans("", "", "'\"`´’‘ʼ“”")
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

# Prefixes stored names of kab/kota carry and that search_name leaves out.
_REGENCY_PREFIX = re.compile(r"^(?:kabupaten|kab\.?|kota)\s+")

# Prefixes people type in a query: a whole word followed by a space, or an abbreviation with a dot
# ("Kab.Kotabaru"). A bare "kota" glued to a name ("kotabaru") is a name, not a prefix.
_QUERY_PREFIX = re.compile(
    r"^(?:(?P<word>kabupaten|kab|kota|kecamatan|kec|desa|kelurahan|kel)\.?\s+"
    r"|(?P<abbr>kab|kec|kel)\.\s*)"
)
_HINTS: dict[str, AreaLevel] = {
    "kabupaten": AreaLevel.REGENCY,
    "kab": AreaLevel.REGENCY,
    "kota": AreaLevel.REGENCY,
    "kecamatan": AreaLevel.DISTRICT,
    "kec": AreaLevel.DISTRICT,
    "desa": AreaLevel.VILLAGE,
    "kelurahan": AreaLevel.VILLAGE,
    "kel": AreaLevel.VILLAGE,
}


def fold(text: str) -> str:
    """Lower-case, accent-free, quote-free, single-spaced text."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.translate(_QUOTES).lower()).strip()


def compact(text: str) -> str:
    """Only the letters and digits of folded text: "Palangka Raya" and "Palangkaraya" meet."""
    return _NOT_ALNUM.sub("", text)


def search_name_for(name: str, level: int) -> str:
    """The stored search key: folded, and for kab/kota without "Kabupaten"/"Kota"/"Kab."."""
    folded = fold(name)
    if level == AreaLevel.REGENCY:
        folded = _REGENCY_PREFIX.sub("", folded, count=1)
    return folded


@dataclass(frozen=True)
class ParsedQuery:
    """A search query split into the folded whole, the name part and the level it hints at."""

    full: str
    term: str
    hint: AreaLevel | None
    # "kota" or "kab" when the query named the kind of kab/kota; used to rank, not to filter.
    regency_kind: str | None = None


def parse_query(query: str) -> ParsedQuery:
    """Fold a query and take off a leading "Kab."/"Kota"/"Kec."/"Desa"/"Kel." level hint."""
    full = fold(query)
    match = _QUERY_PREFIX.match(full)
    if match is None:
        return ParsedQuery(full=full, term=full, hint=None)
    word = match.group("word") or match.group("abbr")
    rest = full[match.end() :].strip()
    if not rest:
        return ParsedQuery(full=full, term=full, hint=None)
    hint = _HINTS[word]
    kind = None
    if hint == AreaLevel.REGENCY:
        kind = "kota" if word == "kota" else "kab"
    return ParsedQuery(full=full, term=rest, hint=hint, regency_kind=kind)
