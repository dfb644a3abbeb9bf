"""How alike two events are: the measure behind `selectors.duplicate_candidates`.

Two events are *likely duplicates* when they lie in the same or a neighbouring area (inside one
kab/kota), come within `WINDOW` of each other in time, and their texts are similar.

Similarity is the **Sørensen–Dice coefficient** of word sets, 2·|A∩B| / (|A| + |B|), a standard
measure between 0 (no word in common) and 1 (the same words), insensitive to word order and
repetition. It is taken twice, once over the titles and once over title plus chronologies, and the
two are averaged: titles are short and telling, chronologies long and noisy. Words are lower-cased
with accents folded; words shorter than three letters and common Indonesian function words are
dropped, so "yang", "dan", "di" do not make two reports look alike. `THRESHOLD` was set on
hand-written pairs in the tests: the same demonstration told by two operators scores about 0.4 to
0.7, different matters in the same town under 0.15.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

WINDOW = dt.timedelta(days=3)
THRESHOLD = 0.3
# At most this many nearby events are scored per request (newest first).
POOL = 200

STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "dari",
        "dengan",
        "untuk",
        "pada",
        "dalam",
        "oleh",
        "ini",
        "itu",
        "akan",
        "telah",
        "sudah",
        "tidak",
        "ada",
        "sebagai",
        "para",
        "serta",
        "karena",
        "atau",
        "juga",
        "sekitar",
        "saat",
        "tersebut",
        "kepada",
        "bahwa",
        "agar",
        "hingga",
        "masih",
        "dapat",
        "kami",
        "mereka",
        "kita",
        "pukul",
        "wib",
        "wita",
        "wit",
        "tanggal",
        "hari",
        "sebanyak",
        "orang",
        "antara",
        "secara",
        "setelah",
        "sebelum",
        "namun",
        "adalah",
        "yaitu",
        "bagi",
        "atas",
        "bersama",
        "terhadap",
        "tentang",
        "menjadi",
        "sejak",
        "lalu",
        "kemudian",
        "maka",
        "jam",
        "pada",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Profile:
    """The word sets of an event's title and of its whole text."""

    title: frozenset[str]
    text: frozenset[str]


def words(text: str) -> frozenset[str]:
    """Lower-cased, accent-folded words of three letters or more, without function words."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return frozenset(w for w in _WORD.findall(folded) if len(w) >= 3 and w not in STOPWORDS)


def profile(title: str, texts: Iterable[str] = ()) -> Profile:
    """The profile of an event from its title and its items' titles and chronologies."""
    title_words = words(title)
    return Profile(title_words, title_words | words(" ".join(texts)))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Sørensen–Dice coefficient of two sets (0.0 when both are empty)."""
    if not a and not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def similarity(a: Profile, b: Profile) -> float:
    """Mean of the Dice coefficients of the titles and of the whole texts (0..1)."""
    return (dice(a.title, b.title) + dice(a.text, b.text)) / 2


def neighbourhood(area_code: str) -> str:
    """The area whose inside counts as "same or neighbouring": the kab/kota (or the province)."""
    return ".".join(area_code.split(".")[:2])
