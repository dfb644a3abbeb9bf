"""Input and output shapes of the conflict-case API (separate: their shapes differ).

Inputs only parse the envelope; `services.cases` decides (scope, events, stages, dates, the
status keadaan konflik rules) and answers with per-field messages. Outputs are read through
`selectors.cases`, so a viewer never sees what the selectors hide.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waspada.response.choices import (
    ActivityStatus,
    CaseStage,
    ConflictScale,
    ConflictStatusState,
    RecoveryKind,
)
from waspada.response.models import (
    CaseParty,
    ConflictCase,
    ConflictStatus,
    Evidence,
    RecoveryActivity,
)
from waspada.response.selectors import cases as selectors

AREA_CODE = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


def _who(user: Any) -> str | None:
    if user is None:
        return None
    return str(user.username)


# ---------------------------------------------------------------- output


class PartyOutputSerializer(serializers.ModelSerializer[CaseParty]):
    party_type = serializers.SerializerMethodField()

    class Meta:
        model = CaseParty
        fields = ["id", "name", "party_type", "representative", "interest"]
        read_only_fields = fields

    def get_party_type(self, party: CaseParty) -> str | None:
        return party.party_type.code if party.party_type else None


class CaseOutputSerializer(serializers.ModelSerializer[ConflictCase]):
    """A case as listed: where, what, which stage, whether a status keadaan konflik is in force.

    `stage`: pencegahan | penghentian | pemulihan; `status`: active | closed.
    """

    reference = serializers.CharField(read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)
    stage = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    classification = serializers.CharField(read_only=True)
    root_cause = serializers.SerializerMethodField()
    event_count = serializers.SerializerMethodField()
    has_status_in_force = serializers.SerializerMethodField()
    opened_by = serializers.SerializerMethodField()

    class Meta:
        model = ConflictCase
        fields = [
            "id",
            "reference",
            "title",
            "area",
            "area_name",
            "stage",
            "status",
            "classification",
            "root_cause",
            "event_count",
            "has_status_in_force",
            "opened_by",
            "opened_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields

    def get_root_cause(self, case: ConflictCase) -> str | None:
        return case.root_cause.code if case.root_cause else None

    def get_event_count(self, case: ConflictCase) -> int:
        count = getattr(case, "event_count", None)
        return int(count) if count is not None else case.case_events.count()

    def get_has_status_in_force(self, case: ConflictCase) -> bool:
        found = getattr(case, "has_status_in_force", None)
        if found is not None:
            return bool(found)
        return ConflictStatus.objects.filter(case=case, state=ConflictStatusState.ACTIVE).exists()

    def get_opened_by(self, case: ConflictCase) -> str | None:
        return _who(case.opened_by)


class EventRefOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    area = serializers.CharField(source="area_id")
    status = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, event: Any) -> str:
        return reverse("events:event_detail", args=[event.pk])


class StageStepOutputSerializer(serializers.Serializer[Any]):
    """One step of the stage history: kind opened | moved | closed | reopened."""

    kind = serializers.CharField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_actor(self, step: Any) -> str | None:
        return _who(step.actor)


class RecoveryEvidenceOutputSerializer(serializers.ModelSerializer[Evidence]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "created_at", "url"]
        read_only_fields = fields

    def get_url(self, evidence: Evidence) -> str:
        return reverse("response:evidence_download", args=[evidence.pk])


class RecoveryOutputSerializer(serializers.ModelSerializer[RecoveryActivity]):
    """A recovery activity. `kind`: rekonsiliasi | rehabilitasi | rekonstruksi; `status`:
    planned | in_progress | done."""

    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    agency_name = serializers.SerializerMethodField()
    evidence = RecoveryEvidenceOutputSerializer(many=True, read_only=True)

    class Meta:
        model = RecoveryActivity
        fields = [
            "id",
            "case",
            "kind",
            "title",
            "description",
            "agency",
            "agency_name",
            "status",
            "start_date",
            "end_date",
            "notes",
            "evidence",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_agency_name(self, activity: RecoveryActivity) -> str | None:
        return str(activity.agency) if activity.agency else None


class StatusOutputSerializer(serializers.ModelSerializer[ConflictStatus]):
    """A status keadaan konflik. `scale`: kabupaten_kota | provinsi | nasional; `state`: active
    | extended | ended | revoked; `days_left` (in the zone of the case's area) only while in
    force, 0 on its last day; `extends`: the status this one extends."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    scale = serializers.CharField(read_only=True)
    area = serializers.CharField(source="area_id", read_only=True, allow_null=True)
    state = serializers.CharField(read_only=True)
    days_left = serializers.SerializerMethodField()
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ConflictStatus
        fields = [
            "id",
            "case",
            "case_reference",
            "scale",
            "area",
            "declared_by",
            "decree_number",
            "start_date",
            "end_date",
            "extends",
            "state",
            "days_left",
            "ended_at",
            "end_reason",
            "recorded_by",
            "recorded_at",
            "version",
        ]
        read_only_fields = fields

    def get_days_left(self, status: ConflictStatus) -> int | None:
        return selectors.status_days_left(status)

    def get_recorded_by(self, status: ConflictStatus) -> str | None:
        return _who(status.recorded_by)


class CaseDetailOutputSerializer(CaseOutputSerializer):
    """A case with what the viewer may see of it (context: `detail`, a `CaseDetail`)."""

    summary = serializers.CharField(read_only=True)
    closing_note = serializers.CharField(read_only=True)
    closed_by = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    statuses = serializers.SerializerMethodField()
    recovery_activities = serializers.SerializerMethodField()

    class Meta(CaseOutputSerializer.Meta):
        fields = [
            *CaseOutputSerializer.Meta.fields,
            "summary",
            "closing_note",
            "closed_by",
            "events",
            "parties",
            "history",
            "statuses",
            "recovery_activities",
        ]
        read_only_fields = fields

    def _detail(self) -> Any:
        return self.context["detail"]

    def get_closed_by(self, case: ConflictCase) -> str | None:
        return _who(case.closed_by)

    @extend_schema_field(EventRefOutputSerializer(many=True))
    def get_events(self, case: ConflictCase) -> Any:
        return EventRefOutputSerializer(self._detail().events, many=True).data

    @extend_schema_field(PartyOutputSerializer(many=True))
    def get_parties(self, case: ConflictCase) -> Any:
        return PartyOutputSerializer(self._detail().parties, many=True).data

    @extend_schema_field(StageStepOutputSerializer(many=True))
    def get_history(self, case: ConflictCase) -> Any:
        return StageStepOutputSerializer(self._detail().history, many=True).data

    @extend_schema_field(StatusOutputSerializer(many=True))
    def get_statuses(self, case: ConflictCase) -> Any:
        rows = [row for view in self._detail().statuses for row in view.chain]
        for row in rows:
            row.case = case  # the days are counted in the case's zone; no query per row
        return StatusOutputSerializer(rows, many=True).data

    @extend_schema_field(RecoveryOutputSerializer(many=True))
    def get_recovery_activities(self, case: ConflictCase) -> Any:
        rows = [a for group in self._detail().recovery for a in group.activities]
        return RecoveryOutputSerializer(rows, many=True).data


# ---------------------------------------------------------------- input


class PartyInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    party_type = serializers.CharField(
        max_length=48, required=False, allow_blank=True, allow_null=True, help_text="Kode istilah"
    )
    representative = serializers.CharField(max_length=200, required=False, allow_blank=True)
    interest = serializers.CharField(required=False, allow_blank=True)


class CaseCreateInputSerializer(serializers.Serializer[Any]):
    """Open a case. `area` defaults to the events' area when they share one."""

    area = serializers.RegexField(AREA_CODE, required=False, allow_blank=True)
    event_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=50
    )
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    root_cause = serializers.CharField(
        max_length=48,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Kode istilah sumber konflik UU 7/2012 (sumbu uu7_source).",
    )
    parties = PartyInputSerializer(many=True, required=False)


class CaseUpdateInputSerializer(serializers.Serializer[Any]):
    """Change a case; `parties`, when sent, replaces all its parties."""

    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    root_cause = serializers.CharField(
        max_length=48, required=False, allow_blank=True, allow_null=True
    )
    parties = PartyInputSerializer(many=True, required=False)


class CaseStageInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    to_stage = serializers.ChoiceField(choices=CaseStage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseCloseInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    note = serializers.CharField()


class CaseEventsInputSerializer(serializers.Serializer[Any]):
    """Events to add to and take off the case (at least one stays)."""

    version = serializers.IntegerField(min_value=1, required=False)
    add = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    remove = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class StatusCreateInputSerializer(serializers.Serializer[Any]):
    """Record a declared status keadaan konflik; `end_date` defaults to the longest allowed."""

    case = serializers.IntegerField(min_value=1)
    scale = serializers.ChoiceField(choices=ConflictScale.choices)
    area = serializers.RegexField(AREA_CODE, required=False, allow_blank=True, allow_null=True)
    declared_by = serializers.CharField(max_length=200)
    decree_number = serializers.CharField(max_length=120)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)


class StatusExtendInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    declared_by = serializers.CharField(max_length=200)
    decree_number = serializers.CharField(max_length=120)
    end_date = serializers.DateField()


class StatusRevokeInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class RecoveryCreateInputSerializer(serializers.Serializer[Any]):
    case = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=RecoveryKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=ActivityStatus.choices, required=False, default=ActivityStatus.PLANNED
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RecoveryUpdateInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=RecoveryKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    agency = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class EvidenceInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    keep_location = serializers.BooleanField(required=False, default=False)
