import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from waspada.core import audit
from waspada.core.context import job_context
from waspada.core.models import AuditEntry, AuditHead
from waspada.geo.models import Area


def _write_entries(n: int, actor=None) -> list[AuditEntry]:
    return [
        audit.record(
            actor=actor,
            action="test.changed",
            object_type="test.thing",
            object_id=i,
            area_code="62.71",
            before={"n": i},
            after={"n": i + 1},
        )
        for i in range(n)
    ]


@pytest.mark.django_db
class TestAuditChain:
    def test_it_verifies_an_intact_chain(self, capsys, analyst_62):
        _write_entries(5, actor=analyst_62)
        call_command("verify_audit")
        assert "5 entries verified" in capsys.readouterr().out

    def test_it_records_actor_job_and_snapshot(self, analyst_62):
        area = Area.objects.get(code="62.71")
        with job_context("job-123"):
            entry = audit.record(
                actor=analyst_62, action="area.touched", obj=area, area_code=area.code
            )
        assert entry.actor_label == "analyst_62"
        assert entry.job_id == "job-123"
        assert entry.after is not None
        assert entry.after["name"] == "Kota Palangka Raya"
        assert entry.object_type == "geo.area" and entry.object_id == "62.71"

    def test_it_never_logs_password_hashes(self, analyst_62):
        entry = audit.record(actor=None, action="user.changed", obj=analyst_62)
        assert entry.after is not None
        assert "password" not in entry.after
        assert entry.actor_label == "system"

    def test_it_names_the_first_edited_entry(self):
        entries = _write_entries(4)
        # An edit by hand, straight in the database, as an intruder would do it.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditentry SET action = %s WHERE id = %s", ["forged", entries[1].id]
            )
        with pytest.raises(CommandError, match="#2"):
            call_command("verify_audit")

    def test_it_detects_a_deleted_middle_entry(self):
        entries = _write_entries(4)
        AuditEntry.objects.filter(pk=entries[2].pk).delete()
        result = audit.verify_chain()
        assert not result.ok and result.first_bad_seq == 3

    def test_it_detects_a_deleted_last_entry(self):
        entries = _write_entries(3)
        AuditEntry.objects.filter(pk=entries[-1].pk).delete()
        result = audit.verify_chain()
        assert not result.ok and "head" in result.reason

    def test_it_detects_a_rehashed_edit(self):
        entries = _write_entries(3)
        forged = entries[0]
        forged.after = {"n": 999}
        forged.hash = audit.compute_hash(forged)
        forged.save(update_fields=["after", "hash"])
        result = audit.verify_chain()
        assert not result.ok and result.first_bad_seq == 2

    def test_an_empty_log_is_intact(self):
        assert audit.verify_chain().ok
        assert not AuditHead.objects.exists()


def _pending(n: int, start: int = 0) -> list[audit.Pending]:
    return [
        audit.Pending(
            "test.bulk",
            "test.thing",
            start + i,
            "62.71",
            after={"n": start + i, "text": "kutip ' dan \" dan \\ garis", "list": [1, None]},
            classification="terbatas" if i % 2 else None,
        )
        for i in range(n)
    ]


@pytest.mark.django_db
class TestRecordMany:
    """record_many: one INSERT with the head update for a few entries (PostgreSQL), COPY or
    bulk_create in batches for many; the chain is the one record() would have written."""

    def test_it_starts_the_chain_on_an_empty_log(self, analyst_62):
        assert audit.record_many(actor=analyst_62, entries=_pending(2)) == 2
        assert audit.verify_chain().ok
        head = AuditHead.objects.get()
        last = AuditEntry.objects.get(seq=2)
        assert (head.seq, head.hash) == (2, last.hash)
        assert last.prev_hash == AuditEntry.objects.get(seq=1).hash
        assert last.actor_label == "analyst_62"

    def test_small_and_large_batches_continue_one_chain(self, analyst_62):
        _write_entries(1, actor=analyst_62)
        assert audit.record_many(actor=analyst_62, entries=_pending(3, start=10)) == 3
        _write_entries(1)
        written = audit.record_many(
            actor=None, entries=iter(_pending(25, start=100)), batch_size=10
        )
        assert written == 25
        assert audit.record_many(actor=analyst_62, entries=[]) == 0
        assert audit.verify_chain().ok
        assert AuditEntry.objects.count() == AuditHead.objects.get().seq == 30
        stored = AuditEntry.objects.get(action="test.bulk", object_id="11")
        assert stored.after == _pending(2, start=10)[1].after
        assert stored.classification == "terbatas"
        assert AuditEntry.objects.get(action="test.bulk", object_id="10").classification == ""
