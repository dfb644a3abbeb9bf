"""Text search: PostgreSQL full-text search or the SQLite fallback, with the same answers here.

Run this file on both databases (plain `pytest` uses SQLite; with DATABASE_URL=postgres://...
the same tests go through `to_tsvector`/`websearch_to_tsquery` and the GIN index).
"""

from __future__ import annotations

import pytest
from django.db import connection

from waspada.events import search, selectors
from waspada.events.models import Item
from waspada.events.tests import fixtures_events as fx
from waspada.reports.testing import make_item

pytestmark = pytest.mark.django_db
report_6271 = fx.report_6271


@pytest.fixture
def items(report_6271):
    return [
        make_item(
            report_6271,
            title="Unjuk rasa sopir angkutan kota",
            chronology="Puluhan sopir memblokir jalan Tjilik Riwut menuntut tarif baru.",
        ),
        make_item(
            report_6271,
            title="Sengketa lahan sawit",
            chronology="Warga Desa Tumbang Talaken menahan alat berat perusahaan.",
        ),
        make_item(
            report_6271,
            title="Kebakaran pasar",
            chronology="Kios pedagang terbakar; tidak ada korban jiwa.",
        ),
    ]


def _found(q: str) -> set[str]:
    return set(search.search_items(Item.objects.all(), q).values_list("title", flat=True))


class TestSearchItems:
    def test_it_uses_full_text_search_only_on_postgresql(self):
        assert search.uses_full_text(Item.objects.all()) == (connection.vendor == "postgresql")

    def test_every_word_must_match_in_title_or_chronology(self, items):
        assert _found("sopir") == {"Unjuk rasa sopir angkutan kota"}
        assert _found("SAWIT warga") == {"Sengketa lahan sawit"}
        assert _found("sawit sopir") == set()
        assert _found("tjilik riwut") == {"Unjuk rasa sopir angkutan kota"}

    def test_a_word_can_be_excluded(self, items):
        assert _found("warga -sawit") == set()
        assert _found("kios -sawit") == {"Kebakaran pasar"}

    def test_an_empty_query_changes_nothing(self, items):
        assert len(_found("   ")) == 3

    def test_punctuation_in_the_query_is_harmless(self, items):
        assert _found("pasar; '1=1 --") == set()
        assert _found("pasar;") == {"Kebakaran pasar"}
        assert _found('"kebakaran"') == {"Kebakaran pasar"}

    def test_search_respects_scope_through_the_selector(self, personas, items):
        assert selectors.list_items(personas("operator_6201"), {"q": "sopir"}).count() == 0
        assert selectors.list_items(personas("operator_6271"), {"q": "sopir"}).count() == 1

    def test_events_are_found_by_the_text_of_their_items(self, personas, items):
        found = selectors.list_events(personas("analyst_62"), {"q": "alat berat"})
        assert [e.pk for e in found] == [items[1].event_id]
