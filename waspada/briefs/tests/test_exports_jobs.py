"""The export services and jobs: stream or background, the build job (progress, file, owner
told, idempotent, failures), the audit entry, and the removal of expired files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from waspada.accounts.testing import make_user
from waspada.briefs.choices import JobState
from waspada.briefs.models import Export
from waspada.briefs.services import exports as services
from waspada.briefs.tasks import exports as tasks
from waspada.briefs.tests import fixtures_exports as fx
from waspada.briefs.tests.fixtures_exports import clear, read_csv, read_geojson, read_xlsx
from waspada.core.errors import InvalidInput
from waspada.core.jobs import JobFailed
from waspada.core.models import AuditEntry, Job, JobStatus
from waspada.notifications.models import Notification

stage = fx.stage
media = fx.media

NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def background(settings):
    """Every export that is not empty goes to the background."""
    settings.WASPADA_EXPORT_STREAM_MAX_ROWS = 0
    settings.WASPADA_EXPORT_KEEP_DAYS = 7


def start(user, fmt="csv", filters=None, *, capture, **kwargs):
    with capture(execute=True):
        return services.start_export(actor=user, format=fmt, filters=filters or {}, **kwargs)


def read(export: Export) -> bytes:
    with default_storage.open(export.file.name or "", "rb") as handle:
        data: bytes = handle.read()
    return data


@pytest.mark.django_db
class TestStart:
    def test_a_small_set_is_handed_over_to_stream_without_a_row(
        self, stage, analyst_62, django_capture_on_commit_callbacks
    ):
        export = start(
            analyst_62, "csv", {"area": "62.71"}, capture=django_capture_on_commit_callbacks
        )
        assert services.is_streamed(export)
        assert export.total_rows == 2 and export.filters == {"area": "62.71"}
        assert not Export.objects.exists()

    def test_every_request_is_audited_with_its_filters_and_count(
        self, stage, analyst_62, django_capture_on_commit_callbacks
    ):
        start(
            analyst_62,
            "xlsx",
            {"area": "62.71", "q": " sawit "},
            capture=django_capture_on_commit_callbacks,
        )
        entry = AuditEntry.objects.get(action="export.requested")
        assert entry.actor_id == analyst_62.pk
        assert entry.area_code == "62.71"
        assert entry.after == {
            "format": "xlsx",
            "filters": {"area": "62.71", "q": "sawit"},
            "count": 1,
            "delivery": "stream",
        }

    def test_bad_filters_and_formats_are_refused_with_messages(self, stage, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            services.start_export(
                actor=analyst_62, format="pdf", filters={"area": "62,71", "aspek": "x"}
            )
        errors = caught.value.errors
        assert errors["format"] == ["Pilih CSV, XLSX atau GeoJSON."]
        assert errors["aspek"] == ["Saringan tidak dikenal."]
        assert not AuditEntry.objects.filter(action="export.requested").exists()

    def test_a_role_that_may_not_read_items_is_refused(self, stage):
        fkdm = make_user("fkdm_62", "fkdm", ["62"])
        with pytest.raises(PermissionDenied):
            services.start_export(actor=fkdm, format="csv", filters={})


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "media")
class TestBackground:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
    def test_a_large_set_is_built_by_the_job_and_the_owner_is_told(
        self, fmt, stage, analyst_62, django_capture_on_commit_callbacks
    ):
        export = start(analyst_62, fmt, capture=django_capture_on_commit_callbacks)
        assert not services.is_streamed(export)
        export.refresh_from_db()
        assert export.state == JobState.DONE
        assert (export.progress, export.total_rows, export.row_count) == (100, 2, 2)
        assert export.file.name.startswith(f"exports/{analyst_62.pk}/butir-{export.pk}-")
        assert export.file.name.endswith(f".{fmt}")
        assert export.size == len(read(export)) > 0
        assert export.expires_at - export.finished_at == dt.timedelta(days=7)
        assert Job.objects.get(pk=export.job_id).status == JobStatus.SUCCEEDED
        note = Notification.objects.get(user=analyst_62, kind="export")
        assert note.title == "Ekspor data siap diunduh"
        assert note.url == f"/dokumen/ekspor/{export.pk}/"
        assert note.body.startswith("2 butir")
        ids = {
            "csv": lambda data: {int(r["ID butir"]) for r in read_csv(data)},
            "xlsx": lambda data: {r[0] for r in read_xlsx(data)[0][1:]},
            "geojson": lambda data: {f["id"] for f in read_geojson(data)["features"]},
        }[fmt](read(export))
        assert ids == {stage.plain.pk, stage.formula.pk}

    def test_the_file_holds_what_the_owner_may_see_only(
        self, stage, analyst_62, analyst_63, django_capture_on_commit_callbacks
    ):
        clear(analyst_62)
        clear(analyst_63)
        mine = start(analyst_62, "csv", capture=django_capture_on_commit_callbacks)
        theirs = start(analyst_63, "csv", capture=django_capture_on_commit_callbacks)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        got = {int(r["ID butir"]) for r in read_csv(read(mine))}
        assert got == {stage.plain.pk, stage.formula.pk, stage.secret.pk}
        assert [int(r["ID butir"]) for r in read_csv(read(theirs))] == [stage.other.pk]

    def test_an_owner_whose_clearance_is_lowered_no_longer_gets_a_classified_file(
        self, stage, analyst_62, web_as, django_capture_on_commit_callbacks
    ):
        clear(analyst_62)
        export = start(analyst_62, "csv", capture=django_capture_on_commit_callbacks)
        export.refresh_from_db()
        assert export.classification == "rahasia"
        from waspada.briefs.selectors.exports import get_export

        assert get_export(analyst_62, export.pk) == export
        analyst_62.clearance = "terbatas"
        analyst_62.save(update_fields=["clearance"])
        answer = web_as("analyst_62").get(f"/dokumen/ekspor/{export.pk}/unduh/")
        assert answer.status_code == 404

    def test_the_api_always_builds_in_the_background(
        self, stage, analyst_62, settings, django_capture_on_commit_callbacks
    ):
        settings.WASPADA_EXPORT_STREAM_MAX_ROWS = 10_000
        export = start(
            analyst_62, "csv", capture=django_capture_on_commit_callbacks, allow_stream=False
        )
        assert export.pk is not None
        export.refresh_from_db()
        assert export.state == JobState.DONE
        entry = AuditEntry.objects.get(action="export.requested")
        assert entry.object_id == str(export.pk)
        assert (entry.after or {})["delivery"] == "background"

    def test_running_the_job_again_changes_nothing(
        self, stage, analyst_62, django_capture_on_commit_callbacks
    ):
        export = start(analyst_62, "csv", capture=django_capture_on_commit_callbacks)
        export.refresh_from_db()
        first = (export.file.name, export.finished_at)
        assert services.build_export(export.pk) == {"export": export.pk, "skipped": "done"}
        export.refresh_from_db()
        assert (export.file.name, export.finished_at) == first
        assert Notification.objects.filter(user=analyst_62, kind="export").count() == 1

    def test_an_export_left_running_by_a_dead_worker_is_built_again(self, stage, analyst_62):
        export = Export.objects.create(
            user=analyst_62, format="csv", filters={}, state=JobState.RUNNING, progress=40
        )
        result = services.build_export(export.pk, now=NOW)
        export.refresh_from_db()
        assert result["state"] == JobState.DONE and export.row_count == 2
        assert export.finished_at == NOW and export.expires_at == NOW + dt.timedelta(days=7)

    def test_a_filter_no_longer_valid_fails_the_export_with_the_reason(
        self, stage, analyst_62, django_capture_on_commit_callbacks
    ):
        export = Export.objects.create(user=analyst_62, format="csv", filters={"area": "62-71"})
        with pytest.raises(JobFailed), django_capture_on_commit_callbacks(execute=True):
            tasks.build_export.delay(export_id=export.pk)
        export.refresh_from_db()
        assert export.state == JobState.FAILED
        assert "Kode wilayah tidak valid" in export.error
        assert not export.file
        note = Notification.objects.get(user=analyst_62, kind="export")
        assert note.title == "Ekspor data gagal"
        assert services.build_export(export.pk) == {"export": export.pk, "skipped": "failed"}

    def test_an_owner_who_may_no_longer_export_gets_a_failed_export(self, stage, analyst_62):
        export = Export.objects.create(user=analyst_62, format="csv", filters={})
        analyst_62.role = "fkdm"
        analyst_62.save(update_fields=["role"])
        result = services.build_export(export.pk)
        assert result["state"] == JobState.FAILED
        assert "tidak lagi boleh" in Export.objects.get(pk=export.pk).error

    def test_a_missing_export_is_skipped(self, db):
        assert services.build_export(999_999) == {"export": 999_999, "skipped": "missing"}


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "media")
class TestExpiry:
    def test_expired_files_are_removed_and_the_rows_stay(
        self, stage, analyst_62, django_capture_on_commit_callbacks
    ):
        old = start(analyst_62, "csv", capture=django_capture_on_commit_callbacks)
        fresh = start(analyst_62, "geojson", capture=django_capture_on_commit_callbacks)
        old.refresh_from_db()
        fresh.refresh_from_db()
        Export.objects.filter(pk=old.pk).update(expires_at=NOW - dt.timedelta(minutes=1))
        Export.objects.filter(pk=fresh.pk).update(expires_at=NOW + dt.timedelta(days=1))
        name = old.file.name
        assert services.remove_expired_exports(NOW) == {"removed": 1}
        assert not default_storage.exists(name)
        assert default_storage.exists(fresh.file.name)
        old.refresh_from_db()
        assert not old.file and old.state == JobState.DONE
        assert AuditEntry.objects.filter(
            action="export.file_removed", object_id=str(old.pk)
        ).exists()
        assert services.remove_expired_exports(NOW) == {"removed": 0}

    def test_the_removal_job_is_registered_under_its_beat_name(self, db):
        assert tasks.remove_expired_exports.name == "briefs.remove_expired_exports"
        assert tasks.build_export.name == "briefs.build_export"
        outcome = tasks.remove_expired_exports.delay()
        assert Job.objects.get(pk=outcome.id).status == JobStatus.SUCCEEDED


@pytest.mark.django_db
@pytest.mark.usefixtures("background")
def test_a_user_waits_for_their_running_exports_before_starting_more(stage, analyst_62):
    for _n in range(services.MAX_WORKING_PER_USER):
        Export.objects.create(user=analyst_62, format="csv", state=JobState.QUEUED)
    with pytest.raises(InvalidInput) as caught:
        services.start_export(actor=analyst_62, format="csv", filters={})
    assert "Tunggu salah satunya selesai" in caught.value.errors["format"][0]
    streamed = services.start_export(actor=analyst_62, format="csv", filters={"status": "draft"})
    assert services.is_streamed(streamed)  # nothing to build: an empty export still streams
