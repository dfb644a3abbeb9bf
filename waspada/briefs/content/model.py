"""What a brief holds, gathered once and written twice (DOCX and PDF).

Plain data: every text is already in Indonesian and formatted (dates, numbers), so the two
writers only lay it out. Everything here was read AS the brief's reader, through the selectors of
the apps it comes from: nothing the reader may not see is in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from waspada.warnings.choices import LEVEL_COLOURS

LEVEL_WORDS = {0: "Normal", 1: "Waspada", 2: "Siaga", 3: "Awas"}


@dataclass(frozen=True)
class LetterheadData:
    """The *kop* and the signature block of a document."""

    lines: list[str]
    address: str
    logo: bytes | None
    city: str
    signer_title: str
    signer_name: str
    signer_id: str


@dataclass(frozen=True)
class Labelled:
    """A label and its (formatted) value: a row of a summary or of a form-like section."""

    label: str
    value: str


@dataclass(frozen=True)
class AspectAthgTable:
    """Verified items counted by aspect (rows) and ATHG (columns), with totals."""

    columns: list[str]
    rows: list[tuple[str, list[int], int]]
    column_totals: list[int]
    total: int


@dataclass(frozen=True)
class LevelChange:
    """One sub-area's early-warning level at the start and at the end of the period."""

    code: str
    name: str
    previous_level: int
    level: int
    score: float | None

    @property
    def level_label(self) -> str:
        return LEVEL_WORDS[self.level]

    @property
    def previous_label(self) -> str:
        return LEVEL_WORDS[self.previous_level]

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[self.level]

    @property
    def change(self) -> str:
        if self.level > self.previous_level:
            return "naik"
        if self.level < self.previous_level:
            return "turun"
        return "tetap"


@dataclass(frozen=True)
class AlertRow:
    """An alert raised in the period."""

    day: str
    area_name: str
    level: int
    previous_level: int
    kind: str

    @property
    def level_label(self) -> str:
        return LEVEL_WORDS[self.level]

    @property
    def previous_label(self) -> str:
        return LEVEL_WORDS[self.previous_level]


@dataclass(frozen=True)
class ComplianceArea:
    """How one area filed its daily reports over the period."""

    code: str
    name: str
    on_time: int
    late: int
    nihil: int
    missing: int
    pending: int
    missing_days: list[dt.date] = field(default_factory=list)


@dataclass(frozen=True)
class Matter:
    """A notable matter (an event with verified items in the period), told by its latest item."""

    reference: str
    title: str
    area_name: str
    when: str
    items: int
    classification: str
    facts: str
    analysis: str
    prediction: str
    recommendation: str
    impacts: str


@dataclass(frozen=True)
class AspectMatters:
    """The notable matters of one aspect (IPOLEKSOSBUDHANKAM); `omitted` more were left out."""

    aspect: str
    matters: list[Matter]
    omitted: int


@dataclass(frozen=True)
class DirectiveRow:
    """An open directive of the area and how its agencies are getting on."""

    reference: str
    title: str
    area_name: str
    due: str
    priority: str
    status: str
    overdue: bool
    agencies: str


@dataclass(frozen=True)
class MapArea:
    """A sub-area on the choropleth (and in the ranked table that replaces it)."""

    code: str
    name: str
    level: int
    score: float | None
    items: int


@dataclass
class PeriodicBrief:
    """A daily, weekly or monthly brief of one area."""

    kind: str
    title: str
    area_code: str
    area_name: str
    area_level: int
    period_start: dt.date
    period_end: dt.date
    period_text: str
    generated_text: str
    place_date: str
    reader_name: str
    classification: str
    letterhead: LetterheadData
    totals: list[Labelled]
    table: AspectAthgTable
    level_changes: list[LevelChange]
    alerts: list[AlertRow]
    compliance: list[ComplianceArea] | None
    compliance_totals: list[Labelled]
    map_areas: list[MapArea]
    levels_on: dt.date
    trend_days: list[dt.date]
    trend_items: list[int]
    trend_scores: list[float | None]
    matters: list[AspectMatters]
    directives: list[DirectiveRow] | None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def missing_areas(self) -> list[ComplianceArea]:
        """Areas that did not file a daily report on at least one day of the period."""
        return [row for row in self.compliance or [] if row.missing]

    @property
    def map_parent(self) -> str:
        return self.area_code


@dataclass
class InformationReport:
    """The Laporan Informasi of one event: I. Pendahuluan, II. Fakta-fakta, III. Pendapat."""

    reference: str
    title: str
    area_code: str
    area_name: str
    period_start: dt.date
    period_end: dt.date
    generated_text: str
    place_date: str
    reader_name: str
    classification: str
    letterhead: LetterheadData
    introduction: list[Labelled]
    facts: list[Labelled]
    impacts: list[Labelled]
    developments: list[Labelled]
    opinion: list[Labelled]
    summary: dict[str, Any] = field(default_factory=dict)
