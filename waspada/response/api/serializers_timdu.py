"""Serializers of the Timdu and RAD API: output shapes apart from input shapes (Sentry style).

Inputs check types only; the services check the rules and answer with Indonesian messages per
field (entries as "entries.<index>.<field>"). Choice values are plain strings in the outputs
(documented in the help texts) so the schema has no colliding enum names.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from waspada.response.models import (
    ActionPlan,
    Evidence,
    PlanActivity,
    PlanReport,
    PlanReportEntry,
    Timdu,
    TimduMember,
)

AREA_CODE = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
STAGES = ("pencegahan", "penghentian", "pemulihan")
PERIODS = ("B04", "B08", "B12")


# ---------------------------------------------------------------- output


class TimduMemberOutputSerializer(serializers.ModelSerializer[TimduMember]):
    """A member agency. `role`: ketua | wakil_ketua | sekretaris | anggota."""

    agency_id = serializers.IntegerField(read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_kind = serializers.CharField(source="agency.kind", read_only=True)
    agency_area_code = serializers.CharField(source="agency.area_id", read_only=True)
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = TimduMember
        fields = [
            "agency_id",
            "agency_name",
            "agency_kind",
            "agency_area_code",
            "role",
            "role_label",
        ]
        read_only_fields = fields


class TimduOutputSerializer(serializers.ModelSerializer[Timdu]):
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)
    member_count = serializers.IntegerField(read_only=True, default=0)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Timdu
        fields = [
            "id",
            "area_code",
            "area_name",
            "name",
            "chair",
            "decree_number",
            "decree_date",
            "member_count",
            "version",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, timdu: Timdu) -> str:
        return reverse("response:timdu_detail", args=[timdu.pk])


class TimduDetailOutputSerializer(TimduOutputSerializer):
    """A Timdu with its member agencies (chair first)."""

    members = serializers.SerializerMethodField()

    class Meta(TimduOutputSerializer.Meta):
        fields = [*TimduOutputSerializer.Meta.fields, "members"]
        read_only_fields = fields

    def get_members(self, timdu: Timdu) -> list[dict[str, Any]]:
        rows = self.context.get("members", [])
        return list(TimduMemberOutputSerializer(rows, many=True).data)


class PlanOutputSerializer(serializers.ModelSerializer[ActionPlan]):
    """A RAD. `status`: draft | active | closed."""

    timdu_id = serializers.IntegerField(read_only=True)
    area_code = serializers.CharField(source="timdu.area_id", read_only=True)
    timdu_name = serializers.CharField(source="timdu.name", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    activity_count = serializers.IntegerField(read_only=True, default=0)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "timdu_id",
            "timdu_name",
            "area_code",
            "year",
            "title",
            "status",
            "status_label",
            "activity_count",
            "version",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, plan: ActionPlan) -> str:
        return reverse("response:plan_detail", args=[plan.pk])


class PlanActivityOutputSerializer(serializers.ModelSerializer[PlanActivity]):
    """An activity of a RAD. `stage`: pencegahan | penghentian | pemulihan; `budget` in whole
    rupiah; months 1-12 of the plan's year."""

    plan_id = serializers.IntegerField(read_only=True)
    stage = serializers.CharField(read_only=True)
    agency_id = serializers.IntegerField(read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = PlanActivity
        fields = [
            "id",
            "plan_id",
            "stage",
            "title",
            "description",
            "agency_id",
            "agency_name",
            "target",
            "budget",
            "start_month",
            "end_month",
            "sort_order",
            "version",
        ]
        read_only_fields = fields


class PlanEvidenceOutputSerializer(serializers.ModelSerializer[Evidence]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "created_at", "url"]
        read_only_fields = fields

    def get_url(self, evidence: Evidence) -> str:
        return reverse("response:evidence_download", args=[evidence.pk])


class PlanEntryOutputSerializer(serializers.ModelSerializer[PlanReportEntry]):
    """One activity's cumulative realisation at the end of the period."""

    activity_id = serializers.IntegerField(read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)
    evidence = PlanEvidenceOutputSerializer(many=True, read_only=True)

    class Meta:
        model = PlanReportEntry
        fields = [
            "id",
            "activity_id",
            "activity_title",
            "realisation_percent",
            "budget_spent",
            "notes",
            "evidence",
        ]
        read_only_fields = fields


class PlanReportOutputSerializer(serializers.ModelSerializer[PlanReport]):
    """A period report. `period`: B04 | B08 | B12; `status`: draft | submitted."""

    plan_id = serializers.IntegerField(read_only=True)
    period = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    submitted_by = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = PlanReport
        fields = [
            "id",
            "plan_id",
            "period",
            "status",
            "summary",
            "submitted_at",
            "submitted_by",
            "version",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_submitted_by(self, report: PlanReport) -> str | None:
        user = report.submitted_by
        return str(user.username) if user is not None else None

    def get_url(self, report: PlanReport) -> str:
        return reverse("response:plan_report", args=[report.plan_id, report.period])


class PlanReportDetailOutputSerializer(PlanReportOutputSerializer):
    """A period report with its entries and their evidence files."""

    entries = PlanEntryOutputSerializer(many=True, read_only=True)

    class Meta(PlanReportOutputSerializer.Meta):
        fields = [*PlanReportOutputSerializer.Meta.fields, "entries"]
        read_only_fields = fields


# ---------------------------------------------------------------- overview (dataclasses)


class PlanOverviewActivitySerializer(serializers.Serializer[Any]):
    """`state`: not_started | on_track | late (end month passed, under 100 %) | done."""

    id = serializers.IntegerField(source="activity.pk")
    title = serializers.CharField(source="activity.title")
    agency_id = serializers.IntegerField(source="activity.agency_id")
    agency_name = serializers.CharField(source="activity.agency.name")
    target = serializers.CharField(source="activity.target")
    budget = serializers.IntegerField(source="activity.budget")
    start_month = serializers.IntegerField(source="activity.start_month")
    end_month = serializers.IntegerField(source="activity.end_month")
    realisation_percent = serializers.IntegerField(
        help_text="Realisasi fisik terakhir yang diajukan (kumulatif)."
    )
    budget_spent = serializers.IntegerField()
    reported_in = serializers.CharField(help_text="Periode angka itu (kosong: belum pernah).")
    state = serializers.CharField()


class PlanOverviewStageSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField(help_text="pencegahan | penghentian | pemulihan")
    stage_label = serializers.CharField(source="label")
    budget = serializers.IntegerField()
    spent = serializers.IntegerField()
    physical_percent = serializers.FloatField(allow_null=True)
    financial_percent = serializers.FloatField(allow_null=True)
    activities = PlanOverviewActivitySerializer(many=True)


class PlanOverviewPeriodSerializer(serializers.Serializer[Any]):
    """`state`: submitted | draft | missing (flagged: due day passed, not submitted) |
    not_due."""

    period = serializers.CharField()
    period_label = serializers.CharField(source="label", help_text="B.04, B.08, B.12")
    state = serializers.CharField()
    flagged = serializers.BooleanField()
    due_date = serializers.DateField()
    started = serializers.BooleanField(help_text="Periode sudah dimulai: laporan dapat diisi.")
    report_id = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    has_draft = serializers.BooleanField()


class PlanOverviewOutputSerializer(serializers.Serializer[Any]):
    """The completion overview of a RAD on `today` (the area's local date)."""

    plan_id = serializers.IntegerField(source="plan.pk")
    today = serializers.DateField()
    budget = serializers.IntegerField()
    spent = serializers.IntegerField()
    physical_percent = serializers.FloatField(
        allow_null=True, help_text="Rata-rata realisasi fisik tertimbang anggaran."
    )
    financial_percent = serializers.FloatField(
        allow_null=True, help_text="Realisasi anggaran dibagi pagu."
    )
    activity_count = serializers.IntegerField()
    late_count = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="Periode terlambat.")
    stages = PlanOverviewStageSerializer(many=True)
    periods = PlanOverviewPeriodSerializer(many=True)


# ---------------------------------------------------------------- input


class TimduCreateInputSerializer(serializers.Serializer[Any]):
    area = serializers.RegexField(AREA_CODE, help_text="Kode provinsi atau kabupaten/kota.")
    name = serializers.CharField(max_length=200)
    chair = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    decree_number = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    decree_date = serializers.DateField(required=False, allow_null=True, default=None)


class TimduUpdateInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Versi yang Anda ubah (409 bila usang).")
    name = serializers.CharField(max_length=200, required=False)
    chair = serializers.CharField(max_length=200, required=False, allow_blank=True)
    decree_number = serializers.CharField(max_length=120, required=False, allow_blank=True)
    decree_date = serializers.DateField(required=False, allow_null=True)


class TimduMemberInputSerializer(serializers.Serializer[Any]):
    agency = serializers.IntegerField(help_text="Id instansi (wilayah Timdu, di atas atau bawah).")
    role = serializers.CharField(help_text="ketua | wakil_ketua | sekretaris | anggota")


class PlanCreateInputSerializer(serializers.Serializer[Any]):
    timdu = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=200)


class PlanUpdateInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Versi yang Anda ubah (409 bila usang).")
    title = serializers.CharField(max_length=200, required=False)
    year = serializers.IntegerField(required=False, help_text="Hanya selama draf.")
    status = serializers.CharField(
        required=False, help_text="draft -> active (perlu kegiatan) -> closed; tidak mundur."
    )


class PlanActivityFieldsSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField(help_text="pencegahan | penghentian | pemulihan")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.IntegerField(help_text="Id instansi penanggung jawab.")
    target = serializers.CharField(max_length=200)
    budget = serializers.IntegerField(default=0, help_text="Rupiah tanpa sen.")
    start_month = serializers.IntegerField(help_text="1-12")
    end_month = serializers.IntegerField(help_text="1-12")


class PlanActivityCreateInputSerializer(PlanActivityFieldsSerializer):
    plan = serializers.IntegerField()


class PlanActivityUpdateInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Versi yang Anda ubah (409 bila usang).")
    stage = serializers.CharField(required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    agency = serializers.IntegerField(required=False)
    target = serializers.CharField(max_length=200, required=False)
    budget = serializers.IntegerField(required=False)
    start_month = serializers.IntegerField(required=False)
    end_month = serializers.IntegerField(required=False)


class PlanEntryInputSerializer(serializers.Serializer[Any]):
    activity_id = serializers.IntegerField()
    realisation_percent = serializers.IntegerField(help_text="0-100, kumulatif.")
    budget_spent = serializers.IntegerField(
        default=0, help_text="Rupiah kumulatif; di atas pagu perlu catatan."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PlanReportSaveInputSerializer(serializers.Serializer[Any]):
    plan = serializers.IntegerField()
    period = serializers.CharField(help_text="B04 | B08 | B12")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    entries = PlanEntryInputSerializer(many=True, required=False, default=list)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Wajib bila draf sudah ada."
    )


class PlanReportUpdateInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Versi yang Anda ubah (409 bila usang).")
    summary = serializers.CharField(required=False, allow_blank=True)
    entries = PlanEntryInputSerializer(many=True, required=False, default=list)


class PlanReportSubmitInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="Versi yang Anda ajukan (409 bila usang).")


class PlanEvidenceUploadInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="Foto, PDF atau dokumen kantor.")
    keep_location = serializers.BooleanField(required=False, default=False)
