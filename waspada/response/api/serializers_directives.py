"""Input and output shapes of the directives and follow-up API (separate: their shapes differ).

Inputs only parse the envelope; `services.directives` decides (scope, agencies of the area, due
date, status moves) and answers with per-field messages.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waspada.core.classification import Classification
from waspada.response.choices import DirectivePriority, FollowUpStatus
from waspada.response.models import Agency, Directive, DirectiveAssignment, Evidence, FollowUp

AREA_CODE = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


# ---------------------------------------------------------------- output


class DirectiveAgencyOutputSerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "kind", "area"]
        read_only_fields = fields


class DirectiveAssignmentOutputSerializer(serializers.ModelSerializer[DirectiveAssignment]):
    """One agency's follow-up state: status, progress (0-100), reason when it cannot be done."""

    agency = DirectiveAgencyOutputSerializer(read_only=True)

    class Meta:
        model = DirectiveAssignment
        fields = [
            "id",
            "agency",
            "status",
            "progress",
            "reason",
            "completed_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class DirectiveOutputSerializer(serializers.ModelSerializer[Directive]):
    """A directive as listed: what, where, until when, how urgent, and each agency's state."""

    reference = serializers.CharField(read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)
    overdue = serializers.SerializerMethodField()
    issued_by = serializers.SerializerMethodField()
    assignments = DirectiveAssignmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "reference",
            "title",
            "area",
            "area_name",
            "alert",
            "event",
            "case",
            "priority",
            "due_date",
            "due_at",
            "status",
            "overdue",
            "classification",
            "issued_by",
            "issued_at",
            "completed_at",
            "cancelled_at",
            "version",
            "assignments",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj: Directive) -> bool:
        """Open and past the end of its due date (in the area's zone)."""
        return bool(getattr(obj, "overdue", False))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_issued_by(self, obj: Directive) -> str | None:
        user = obj.issued_by
        if user is None:
            return None
        return str(user.full_name or user.username)


class DirectiveDetailOutputSerializer(DirectiveOutputSerializer):
    """A directive with its instruction, cancel reason, and what the caller may do."""

    can_direct = serializers.SerializerMethodField()
    actionable_assignments = serializers.SerializerMethodField()

    class Meta(DirectiveOutputSerializer.Meta):
        fields = [
            *DirectiveOutputSerializer.Meta.fields,
            "instruction",
            "cancel_reason",
            "can_direct",
            "actionable_assignments",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_can_direct(self, obj: Directive) -> bool:
        """The caller may change or cancel it."""
        detail = self.context.get("detail")
        return bool(detail and detail.can_direct)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_actionable_assignments(self, obj: Directive) -> list[int]:
        """Ids of the assignments the caller may record follow-up for now."""
        detail = self.context.get("detail")
        return [row.assignment.pk for row in detail.actionable] if detail else []


class FollowUpEvidenceOutputSerializer(serializers.ModelSerializer[Evidence]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "location_kept",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj: Evidence) -> str:
        """Where to download the file (the same scope and clearance check as the pages)."""
        return reverse("response:evidence_download", args=[obj.pk])


class FollowUpOutputSerializer(serializers.ModelSerializer[FollowUp]):
    """One follow-up: the status after it, the progress, the note, who wrote it, its files."""

    author = serializers.SerializerMethodField()
    evidence = FollowUpEvidenceOutputSerializer(many=True, read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "assignment",
            "status",
            "progress",
            "note",
            "author",
            "created_at",
            "evidence",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, obj: FollowUp) -> str | None:
        user = obj.author
        if user is None:
            return None
        return str(user.full_name or user.username)


class FollowUpCreatedOutputSerializer(FollowUpOutputSerializer):
    """The follow-up just recorded, with the assignment and directive states after it."""

    assignment_state = serializers.SerializerMethodField()
    directive_status = serializers.SerializerMethodField()

    class Meta(FollowUpOutputSerializer.Meta):
        fields = [*FollowUpOutputSerializer.Meta.fields, "assignment_state", "directive_status"]
        read_only_fields = fields

    @extend_schema_field(DirectiveAssignmentOutputSerializer)
    def get_assignment_state(self, obj: FollowUp) -> dict[str, Any]:
        data: dict[str, Any] = DirectiveAssignmentOutputSerializer(self.context["assignment"]).data
        return data

    @extend_schema_field(serializers.CharField(help_text="open, completed or cancelled"))
    def get_directive_status(self, obj: FollowUp) -> str:
        return str(self.context["assignment"].directive.status)


class DirectiveErrorOutputSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # the body key is "errors"
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    version = serializers.IntegerField(required=False, help_text="Versi sekarang (pada 409).")


# ---------------------------------------------------------------- input


class DirectiveCreateInputSerializer(serializers.Serializer[Any]):
    """A new directive on an alert, an event, a case or an area (the area comes from the
    subject when one is given), to one or more agencies of that area."""

    area = serializers.RegexField(
        AREA_CODE, required=False, help_text="Kode wilayah (tanpa peringatan/kejadian/kasus)."
    )
    alert = serializers.IntegerField(min_value=1, required=False)
    event = serializers.IntegerField(min_value=1, required=False)
    case = serializers.IntegerField(min_value=1, required=False)
    title = serializers.CharField(max_length=200)
    instruction = serializers.CharField()
    due_date = serializers.DateField(help_text="Tanggal lokal wilayah; berakhir pukul 23.59.")
    priority = serializers.ChoiceField(
        choices=DirectivePriority.choices, default=DirectivePriority.NORMAL
    )
    agencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=100
    )
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        subjects = [name for name in ("alert", "event", "case") if attrs.get(name)]
        if len(subjects) > 1:
            raise serializers.ValidationError("Pilih satu saja: peringatan, kejadian atau kasus.")
        if not subjects and not attrs.get("area"):
            raise serializers.ValidationError(
                {"area": ["Isi kode wilayah, atau peringatan/kejadian/kasus yang diberi arahan."]}
            )
        return attrs


class DirectiveUpdateInputSerializer(serializers.Serializer[Any]):
    """A change of an open directive: `version` and only the fields that change."""

    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False)
    instruction = serializers.CharField(required=False)
    priority = serializers.ChoiceField(choices=DirectivePriority.choices, required=False)
    due_date = serializers.DateField(required=False)


class DirectiveCancelInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=2000)


class DirectiveAgenciesInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    agencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=100
    )


class FollowUpInputSerializer(serializers.Serializer[Any]):
    """A follow-up: multipart with `files` (several), or JSON without files."""

    version = serializers.IntegerField(min_value=1, help_text="Versi penugasan (assignment).")
    status = serializers.ChoiceField(choices=FollowUpStatus.choices)
    note = serializers.CharField(max_length=10000)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    keep_location = serializers.BooleanField(required=False, default=False)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Foto, PDF atau dokumen kantor."
    )
