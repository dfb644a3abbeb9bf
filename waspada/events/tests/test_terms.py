"""events.terms: the per-process taxonomy copy is only used while the database's stamp says it is
current, whoever changed the terms and however (services, querysets, another process)."""

from __future__ import annotations

import pytest
from django.db import connection

from waspada.core.errors import InvalidInput
from waspada.events import services, terms
from waspada.events.models import Term, TermStamp
from waspada.events.tests import fixtures_events as fx
from waspada.events.tests.fixtures_events import payload

pytestmark = pytest.mark.django_db
report_6271 = fx.report_6271


def _all_keys() -> set[tuple[str, str]]:
    return set(Term.objects.values_list("axis", "code"))


def _described(found: dict[tuple[str, str], Term]) -> dict[tuple[str, str], tuple]:
    return {
        key: (
            t.pk,
            t.label,
            t.active,
            t.sort_order,
            t.weight,
            t.parent_id,
            t.parent.code if t.parent else None,
        )
        for key, t in found.items()
    }


def test_the_restamping_triggers_are_installed():
    # SQLite drops a table's triggers when a migration rebuilds it: a migration altering Term must
    # call terms.install_triggers again, or this fails.
    assert terms.triggers_installed(connection)
    assert terms.current_stamp() is not None


def test_any_change_to_the_term_table_gives_a_new_stamp():
    seen = [terms.current_stamp()]
    Term.objects.filter(axis="aspect", code="ekonomi").update(label="Ekonomi (ubah)")
    seen.append(terms.current_stamp())
    term = Term.objects.create(axis="aspect", code="uji-stempel", label="Uji")
    seen.append(terms.current_stamp())
    term.delete()
    seen.append(terms.current_stamp())
    assert None not in seen
    assert len(set(seen)) == len(seen)


def test_the_cached_terms_are_the_terms_the_database_holds():
    terms.forget()
    wanted = _all_keys() | {("aspect", "tidak-ada")}
    cached = terms.by_code(wanted, stamp=terms.current_stamp())
    read = terms.by_code(wanted, stamp=None)
    assert ("aspect", "tidak-ada") not in cached
    assert _described(cached) == _described(read)
    assert len(cached) == Term.objects.count()


def test_the_report_lock_reads_the_current_stamp(report_6271):
    status, stamp = services._lock_for_item(report_6271)
    assert (status, stamp) == ("draft", terms.current_stamp())


def test_a_term_retired_behind_the_cache_is_refused_at_once(personas, report_6271):
    operator = personas("operator_6271")
    services.record_item(report_6271, actor=operator, data=payload())  # the copy is loaded
    # As another process, or an admin's SQL, would: nothing in this process is told.
    Term.objects.filter(axis="aspect", code="ekonomi").update(active=False)
    with pytest.raises(InvalidInput) as caught:
        services.record_item(report_6271, actor=operator, data=payload())
    assert "tidak dipakai" in caught.value.errors["aspect"][0]
    Term.objects.filter(axis="aspect", code="ekonomi").update(active=True)
    services.record_item(report_6271, actor=operator, data=payload())


def test_a_term_a_national_admin_retires_is_refused(personas, report_6271):
    operator = personas("operator_6271")
    services.record_item(report_6271, actor=operator, data=payload())
    term = Term.objects.get(axis="snpk", code="sumber-daya")
    services.update_term(term, actor=personas("national_admin"), active=False)
    with pytest.raises(InvalidInput) as caught:
        services.record_item(report_6271, actor=operator, data=payload())
    assert "tidak dipakai" in caught.value.errors["snpk"][0]


def test_a_new_term_is_known_at_once(personas, report_6271):
    operator = personas("operator_6271")
    services.record_item(report_6271, actor=operator, data=payload())
    services.create_term(
        actor=personas("national_admin"), axis="aspect", code="lingkungan", label="Lingkungan"
    )
    item = services.record_item(report_6271, actor=operator, data=payload(aspect="lingkungan"))
    assert item.aspect is not None and item.aspect.code == "lingkungan"


def test_without_a_stamp_the_terms_come_from_the_database(personas, report_6271):
    operator = personas("operator_6271")
    services.record_item(report_6271, actor=operator, data=payload())
    TermStamp.objects.all().delete()
    Term.objects.filter(axis="aspect", code="ekonomi").update(active=False)
    TermStamp.objects.all().delete()  # the update wrote a new row
    assert services._lock_for_item(report_6271)[1] is None
    with pytest.raises(InvalidInput) as caught:
        services.record_item(report_6271, actor=operator, data=payload())
    assert "tidak dipakai" in caught.value.errors["aspect"][0]
