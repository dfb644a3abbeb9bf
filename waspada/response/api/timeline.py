"""`/api/v1/timelines/events/{id}/` and `/api/v1/timelines/cases/{id}/`: the steps of an
event's or a case's story, oldest first, as the caller may see them (404 when the event or case
is hidden)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.core.errors import OutOfScope
from waspada.events import selectors as event_selectors
from waspada.response.selectors import timeline


class StepSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=list(timeline.KIND_LABELS))
    kind_label = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    badge = serializers.CharField(allow_blank=True)


NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar wilayah/klasifikasi Anda.")


class EventTimelineView(APIView):
    """The story of one event: items, verification, alerts, directives, follow-up, cases."""

    @extend_schema(tags=["response"], responses={200: StepSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        try:
            event = event_selectors.get_event(request.user, pk)
        except Http404:
            raise OutOfScope() from None
        steps = timeline.event_steps(request.user, event)
        return Response(StepSerializer(steps, many=True).data)


class CaseTimelineView(APIView):
    """The story of one conflict case: its events' steps, stages, statuses and recovery."""

    @extend_schema(tags=["response"], responses={200: StepSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        from waspada.response.selectors.cases import get_case

        case = get_case(request.user, pk)
        steps = timeline.case_steps(request.user, case)
        return Response(StepSerializer(steps, many=True).data)
