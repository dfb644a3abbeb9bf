"""`/api/v1/audit/`: the audit log within the caller's scope."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from waspada.core.forms import AuditFilterForm
from waspada.core.models import AuditEntry
from waspada.core.selectors import list_audit_entries


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "created_at",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "area_code",
            "before",
            "after",
            "request_id",
            "job_id",
            "hash",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter(name, str, description=str(field.label))
        for name, field in AuditFilterForm.base_fields.items()
    ]
)
class AuditEntryList(generics.ListAPIView[AuditEntry]):
    """Audit entries inside the caller's scope, newest first (needs the audit.view permission)."""

    serializer_class = AuditEntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        return list_audit_entries(self.request.user, **filters)
