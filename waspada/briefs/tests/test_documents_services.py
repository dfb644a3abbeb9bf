"""Services of documents: who may request a brief, letterheads, brief subscriptions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from waspada.accounts.testing import make_user
from waspada.briefs.models import Brief, BriefSubscription, Letterhead
from waspada.briefs.selectors import documents as selectors
from waspada.briefs.services import documents as services
from waspada.briefs.tests import fixtures_documents as fx
from waspada.briefs.tests.fixtures_documents import (
    MONTH,
    docx_of,
    docx_text,
    monthly,
)
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.reports.testing import make_item, make_report

brief_media = fx.brief_media
march = fx.march


def png_upload(name: str = "logo.png", fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
class TestRequestBrief:
    def test_a_reader_of_63_asking_for_62_is_refused(self, personas, brief_media):
        with pytest.raises(OutOfScope):
            services.request_brief(actor=personas("analyst_63"), kind="monthly", area_code="62")
        with pytest.raises(OutOfScope):
            services.request_brief(actor=personas("operator_6201"), kind="daily", area_code="62.71")
        assert not Brief.objects.exists()

    def test_a_role_without_reports_view_is_refused(self, personas, brief_media):
        fkdm = make_user("fkdm_62", "fkdm", ["62"])
        with pytest.raises(PermissionDenied):
            services.request_brief(actor=fkdm, kind="monthly", area_code="62")

    def test_bad_input_is_named_per_field(self, personas, brief_media):
        leader = personas("leader_62")
        with pytest.raises(InvalidInput) as bad_kind:
            services.request_brief(actor=leader, kind="tahunan", area_code="62")
        assert "kind" in bad_kind.value.errors
        with pytest.raises(InvalidInput) as no_area:
            services.request_brief(actor=leader, kind="monthly", area_code="")
        assert "area_code" in no_area.value.errors
        with pytest.raises(InvalidInput) as future:
            services.request_brief(
                actor=leader, kind="daily", area_code="62", day=dt.date(2100, 1, 1)
            )
        assert "day" in future.value.errors
        with pytest.raises(InvalidInput) as no_event:
            services.request_brief(actor=leader, kind="informasi")
        assert "event_id" in no_event.value.errors

    def test_a_laporan_informasi_needs_a_visible_verified_event(self, personas, march):
        analyst = personas("analyst_62")
        with pytest.raises(OutOfScope):
            services.request_brief(
                actor=personas("analyst_63"), kind="informasi", event_id=march.demo.event_id
            )
        with pytest.raises(OutOfScope):
            services.request_brief(actor=analyst, kind="informasi", event_id=999999)
        with pytest.raises(InvalidInput) as unverified:
            services.request_brief(actor=analyst, kind="informasi", event_id=march.draft.event_id)
        assert "event_id" in unverified.value.errors

    def test_the_request_is_audited_for_the_area(self, personas, brief_media):
        brief = services.request_brief(
            actor=personas("leader_62"), kind="monthly", area_code="62", period_start=MONTH
        )
        entry = AuditEntry.objects.get(action="brief.requested")
        assert (entry.object_id, entry.area_code) == (str(brief.pk), "62")


@pytest.mark.django_db
class TestLetterhead:
    def test_only_analysts_and_admins_may_change_it_inside_their_scope(self, personas, brief_media):
        for name in ("leader_62", "operator_6271"):
            with pytest.raises(PermissionDenied):
                services.save_letterhead(actor=personas(name), area_code="62.71", lines="KOP")
        with pytest.raises(OutOfScope):
            services.save_letterhead(actor=personas("analyst_63"), area_code="62", lines="KOP")
        for name in ("analyst_62", "area_admin_62", "national_admin"):
            services.save_letterhead(actor=personas(name), area_code="62", lines=f"KOP {name}")
        assert Letterhead.objects.get(area_id="62").lines == "KOP national_admin"

    def test_it_keeps_lines_signer_and_a_clean_png_logo(self, personas, brief_media):
        letterhead = services.save_letterhead(
            actor=personas("analyst_62"),
            area_code="62",
            lines="PEMERINTAH PROVINSI KALIMANTAN TENGAH\n\n BADAN KESBANGPOL ",
            address="Jl. Imam Bonjol No. 1, Palangka Raya",
            city="Palangka Raya",
            signer_title="Kepala Badan Kesbangpol",
            signer_name="Drs. Contoh Nama",
            signer_id="196801011990031001",
            logo=png_upload("logo.jpg", fmt="JPEG"),
        )
        assert letterhead.lines == "PEMERINTAH PROVINSI KALIMANTAN TENGAH\nBADAN KESBANGPOL"
        with letterhead.logo.open("rb") as handle, Image.open(handle) as image:
            assert image.format == "PNG"
        entry = AuditEntry.objects.get(action="letterhead.saved")
        assert entry.area_code == "62" and str((entry.after or {})["logo"]).endswith(".png")
        removed = services.save_letterhead(
            actor=personas("analyst_62"), area_code="62", lines="KOP", remove_logo=True
        )
        assert not removed.logo

    def test_it_refuses_empty_lines_and_a_logo_that_is_not_an_image(self, personas, brief_media):
        with pytest.raises(InvalidInput) as bad:
            services.save_letterhead(
                actor=personas("analyst_62"),
                area_code="62",
                lines="  ",
                logo=SimpleUploadedFile("logo.png", b"<html>not a logo</html>"),
            )
        assert set(bad.value.errors) == {"lines", "logo"}
        assert not Letterhead.objects.exists()

    def test_an_area_uses_its_own_or_its_nearest_ancestors_letterhead(self, personas, brief_media):
        analyst = personas("analyst_62")
        services.save_letterhead(actor=analyst, area_code="62", lines="KOP PROVINSI")
        found = selectors.get_letterhead_for
        assert getattr(found("62.71.02"), "lines", None) == "KOP PROVINSI"
        services.save_letterhead(actor=analyst, area_code="62.71", lines="KOP KOTA")
        assert getattr(found("62.71.02"), "lines", None) == "KOP KOTA"
        assert getattr(found("62.01"), "lines", None) == "KOP PROVINSI"
        assert selectors.get_letterhead_for("63") is None

    def test_the_brief_carries_the_letterhead_and_signer(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        services.save_letterhead(
            actor=personas("analyst_62"),
            area_code="62",
            lines="PEMERINTAH PROVINSI KALIMANTAN TENGAH\nBADAN KESBANGPOL PROVINSI",
            city="Palangka Raya",
            signer_name="Drs. Contoh Nama",
            signer_id="196801011990031001",
            logo=png_upload(),
        )
        document = docx_of(monthly(django_capture_on_commit_callbacks, personas("leader_62")))
        text = docx_text(document)
        assert "BADAN KESBANGPOL PROVINSI" in text
        assert "Drs. Contoh Nama" in text and "NIP. 196801011990031001" in text
        assert "Palangka Raya, " in text
        assert len(document.inline_shapes) == 2  # the logo and the trend chart


@pytest.mark.django_db
class TestSubscriptions:
    def test_a_reader_subscribes_once_per_area_kind_and_channel(self, personas):
        leader = personas("leader_62")
        subscription = services.subscribe_brief(
            actor=leader, area_code="62", kind="daily", channel="email"
        )
        with pytest.raises(Conflict):
            services.subscribe_brief(actor=leader, area_code="62", kind="daily", channel="email")
        services.subscribe_brief(actor=leader, area_code="62", kind="daily", channel="inbox")
        assert list(selectors.list_brief_subscriptions(leader)) != []
        assert AuditEntry.objects.filter(action="brief_subscription.created").count() == 2
        services.unsubscribe_brief(subscription, actor=leader)
        subscription.refresh_from_db()
        assert subscription.active is False
        again = services.subscribe_brief(
            actor=leader, area_code="62", kind="daily", channel="email"
        )
        assert again.pk != subscription.pk

    def test_it_refuses_other_areas_kinds_and_someone_elses_subscription(self, personas):
        with pytest.raises(OutOfScope):
            services.subscribe_brief(
                actor=personas("analyst_63"), area_code="62", kind="daily", channel="inbox"
            )
        with pytest.raises(InvalidInput) as bad:
            services.subscribe_brief(
                actor=personas("leader_62"), area_code="62", kind="informasi", channel="sms"
            )
        assert set(bad.value.errors) == {"kind", "channel"}
        mine = services.subscribe_brief(
            actor=personas("leader_62"), area_code="62", kind="weekly", channel="inbox"
        )
        with pytest.raises(OutOfScope):
            services.unsubscribe_brief(mine, actor=personas("analyst_62"))
        assert BriefSubscription.objects.get(pk=mine.pk).active

    def test_email_needs_an_address(self, personas):
        nomail = make_user("nomail_62", "leader", ["62"])
        nomail.email = ""
        nomail.save(update_fields=["email"])
        with pytest.raises(InvalidInput) as bad:
            services.subscribe_brief(actor=nomail, area_code="62", kind="daily", channel="email")
        assert "channel" in bad.value.errors


@pytest.mark.django_db
def test_an_event_with_only_a_draft_cannot_be_reported(personas, brief_media):
    report = make_report("62.71", status="draft", report_type="informasi")
    item = make_item(report, title="Belum diajukan")
    with pytest.raises(InvalidInput):
        services.request_brief(
            actor=personas("analyst_62"), kind="informasi", event_id=item.event_id
        )
