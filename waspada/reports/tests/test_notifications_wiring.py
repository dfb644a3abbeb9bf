"""The workflow tells reviewers when a report is submitted, the reporter when it comes back."""

import pytest
from django.core import mail

from waspada.notifications.models import Notification
from waspada.reports import services
from waspada.reports.testing import make_item, make_report


@pytest.mark.django_db(transaction=True)
class TestWorkflowNotifications:
    def test_it_tells_the_analysts_above_on_submit_and_the_reporter_on_return_and_verify(
        self, personas
    ):
        operator, analyst = personas("operator_6271"), personas("analyst_62")
        stranger = personas("analyst_63")
        report = make_report("62.71", created_by=operator)
        make_item(report)
        services.submit_report(report, actor=operator)
        assert Notification.objects.filter(user=analyst, kind="report.submitted").count() == 1
        assert not Notification.objects.filter(user=stranger).exists()
        assert not Notification.objects.filter(user=operator).exists()

        services.return_report(report, actor=analyst, reason="Lengkapi kronologi.")
        returned = Notification.objects.get(user=operator, kind="report.returned")
        assert returned.body == "Lengkapi kronologi."
        assert returned.url == f"/laporan/{report.pk}/"

        services.submit_report(report, actor=operator)
        services.verify_report(report, actor=analyst)
        assert Notification.objects.filter(user=operator, kind="report.verified").count() == 1
        assert Notification.objects.filter(user=analyst, kind="report.submitted").count() == 2
        assert any("diverifikasi" in m.subject for m in mail.outbox)

    def test_a_new_monthly_report_starts_pre_filled(self, personas):
        operator = personas("operator_6271")
        report = services.create_report(
            actor=operator,
            report_type="bulanan",
            area_code="62.71",
            period_start=__import__("datetime").date(2026, 10, 1),
        )
        assert report.summary  # the prefill always writes its counts, even for a quiet month
