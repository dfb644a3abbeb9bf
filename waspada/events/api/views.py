"""`/api/v1/events/`, `/api/v1/items/`, `/api/v1/terms/`: parse, call a selector or service, render.

Reads go through `events.selectors` (area scope and clearance: an object the caller may not see
answers 404, and lists never count it). Writes go through `events.services`, which answer 404
outside the caller's scope, 403 for a role that may not, 400 with per-field messages, 409 on a
stale `version`. Items are created and deleted through the report endpoints.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from waspada.core.api import invalid_input, parse_input
from waspada.core.errors import Conflict, InvalidInput
from waspada.events import selectors, services
from waspada.events.api.serializers import (
    DuplicateOutputSerializer,
    DuplicatesQuerySerializer,
    ErrorOutputSerializer,
    EventDetailOutputSerializer,
    EventMergeInputSerializer,
    EventOutputSerializer,
    EventStatusInputSerializer,
    HistoryEntryOutputSerializer,
    ItemDetailOutputSerializer,
    ItemOutputSerializer,
    ItemUpdateInputSerializer,
    TermCreateInputSerializer,
    TermOutputSerializer,
    TermQuerySerializer,
    TermUpdateInputSerializer,
)
from waspada.events.filters import EventFilter, ItemFilter

READ_PERMISSION = "reports.view"
ERRORS = {
    400: OpenApiResponse(ErrorOutputSerializer, description="Isian tidak valid (per kolom)."),
    403: OpenApiResponse(ErrorOutputSerializer, description="Peran Anda tidak boleh."),
    404: OpenApiResponse(
        ErrorOutputSerializer, description="Tidak ditemukan atau di luar cakupan/izin Anda."
    ),
}
CONFLICT = OpenApiResponse(
    ErrorOutputSerializer, description="Sudah diubah orang lain (versi usang) atau terkunci."
)


class FilterBackend(DjangoFilterBackend):
    """django-filter, with an invalid value answered in the project's 400 shape."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise invalid_input(filterset.errors)
        return filterset.qs


class CanReadReports(permissions.BasePermission):
    """Reading events and items needs "reports.view"; writes are decided by the services."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user.has_role_permission(READ_PERMISSION))  # type: ignore[union-attr]
        return True


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    permission_classes = [permissions.IsAuthenticated, CanReadReports]
    filter_backends = [FilterBackend]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        version = exc.params.get("version") if isinstance(exc, Conflict) else None
        if version is not None and isinstance(response.data, dict):
            response.data["version"] = version
        return response


class EventViewSet(_Base):
    """Events in your area and below that you are cleared for."""

    serializer_class = EventOutputSerializer
    filterset_class = EventFilter

    def get_queryset(self) -> Any:
        return selectors.list_events(self.request.user)

    def _detail(self, pk: int | str, code: int = http_status.HTTP_200_OK) -> Response:
        user = self.request.user
        event = selectors.get_event(user, pk)
        context = {
            "items": selectors.event_timeline(user, event),
            "merged": selectors.merged_duplicates(user, event),
        }
        return Response(EventDetailOutputSerializer(event, context=context).data, status=code)

    @extend_schema(responses={200: EventOutputSerializer(many=True), 400: ERRORS[400]})
    def list(self, request: Request) -> Response:
        """Events not merged into another, latest occurrence first; filter by area (and below),
        period (occurrence windows that overlap it), status, classification, the axes of their
        items, and text (`q`: PostgreSQL full-text search, or every word on SQLite)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(EventOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: EventDetailOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One event with its timeline of items (oldest first) and the duplicates merged in."""
        return self._detail(pk)

    @extend_schema(
        request=EventStatusInputSerializer,
        responses={200: EventDetailOutputSerializer, **ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Move the event along open → monitored → resolved → closed (resolved → monitored
        reopens). Reviewers (analysts) of the event's area only."""
        event = selectors.get_event(request.user, pk)
        body = parse_input(EventStatusInputSerializer, request.data)
        services.change_event_status(
            event, actor=cast(Any, request.user), status=body["status"], version=body["version"]
        )
        return self._detail(event.pk)

    @extend_schema(
        request=EventMergeInputSerializer,
        responses={200: EventDetailOutputSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merge the `duplicate` event into this one: its items (and their sources) join this
        timeline, the duplicate leaves the lists; reversible with `unmerge`."""
        target = selectors.get_event(request.user, pk)
        body = parse_input(EventMergeInputSerializer, request.data)
        duplicate = (
            selectors.visible_events(request.user, include_merged=True)
            .filter(pk=body["duplicate"])
            .first()
        )
        if duplicate is None:
            message = _("Kejadian tidak ditemukan atau di luar wilayah Anda.")
            raise InvalidInput(message, {"duplicate": [message]})
        services.merge_events(target=target, duplicate=duplicate, actor=cast(Any, request.user))
        return self._detail(target.pk)

    @extend_schema(request=None, responses={200: EventDetailOutputSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def unmerge(self, request: Request, pk: str) -> Response:
        """Undo the merge of this (duplicate) event: its items come back to it."""
        duplicate = selectors.get_event(request.user, pk)
        services.unmerge_event(duplicate, actor=cast(Any, request.user))
        return self._detail(duplicate.pk)

    @extend_schema(
        parameters=[DuplicatesQuerySerializer],
        responses={200: DuplicateOutputSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def duplicates(self, request: Request, pk: str) -> Response:
        """Likely duplicates, best first: same kab/kota, within three days, similar title and
        chronology (Sørensen–Dice similarity of their words, at least 0.3)."""
        event = selectors.get_event(request.user, pk)
        limit = parse_input(DuplicatesQuerySerializer, request.query_params)["limit"]
        found = selectors.duplicate_candidates(request.user, event, limit=limit)
        data = [{"event": c.event, "score": c.score} for c in found]
        return Response(DuplicateOutputSerializer(data, many=True).data)

    @extend_schema(responses={200: HistoryEntryOutputSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str) -> Response:
        """The audit entries of the event and of its items you may see, oldest first."""
        event = selectors.get_event(request.user, pk)
        page = self.paginate_queryset(selectors.event_history(request.user, event))
        return self.get_paginated_response(HistoryEntryOutputSerializer(page, many=True).data)


class ItemViewSet(_Base):
    """Report items in your area and below that you are cleared for."""

    serializer_class = ItemOutputSerializer
    filterset_class = ItemFilter

    def get_queryset(self) -> Any:
        return selectors.list_items(self.request.user)

    @extend_schema(responses={200: ItemOutputSerializer(many=True), 400: ERRORS[400]})
    def list(self, request: Request) -> Response:
        """Items, latest first; filter by area (and below), period, status, kind, classification,
        event, report, every axis by term code (several separated by commas) and text (`q`)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ItemOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: ItemDetailOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One item with its actors and attachments."""
        item = selectors.get_item(request.user, pk)
        return Response(ItemDetailOutputSerializer(item).data)

    @extend_schema(
        request=ItemUpdateInputSerializer,
        responses={200: ItemDetailOutputSerializer, **ERRORS, 409: CONFLICT},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Correct an item while its report is a draft or returned: send `version` and only the
        fields that change (axis values as term codes; `actors` replaces all actors)."""
        item = selectors.get_item(request.user, pk)
        parse_input(ItemUpdateInputSerializer, request.data)
        data = dict(request.data)
        version = int(data.pop("version"))
        services.update_item(item, actor=cast(Any, request.user), version=version, data=data)
        return Response(ItemDetailOutputSerializer(selectors.get_item(request.user, pk)).data)

    @extend_schema(responses={200: HistoryEntryOutputSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str) -> Response:
        """Every change of the item, and of the events it belongs or belonged to (merges)."""
        item = selectors.get_item(request.user, pk)
        page = self.paginate_queryset(selectors.item_history(request.user, item))
        return self.get_paginated_response(HistoryEntryOutputSerializer(page, many=True).data)


class TermViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    """Taxonomy terms: reference data every signed-in user reads; national admins edit them."""

    serializer_class = TermOutputSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.list_terms(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("axis", str, description="Sumbu klasifikasi, mis. aspect."),
            OpenApiParameter("active", bool, description="Hanya yang aktif (true) atau tidak."),
        ],
        responses={200: TermOutputSerializer(many=True), 400: ERRORS[400]},
    )
    def list(self, request: Request) -> Response:
        """Terms by axis and order, retired ones included unless `active=true`."""
        query = parse_input(TermQuerySerializer, request.query_params)
        queryset = selectors.list_terms(request.user, axis=query.get("axis"))
        if query.get("active") is not None:
            queryset = queryset.filter(active=query["active"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(TermOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: TermOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(TermOutputSerializer(selectors.get_term(request.user, pk)).data)

    @extend_schema(
        request=TermCreateInputSerializer,
        responses={201: TermOutputSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request: Request) -> Response:
        """Add a term to an axis (national admins)."""
        body = parse_input(TermCreateInputSerializer, request.data)
        term = services.create_term(actor=cast(Any, request.user), **body)
        return Response(TermOutputSerializer(term).data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        request=TermUpdateInputSerializer,
        responses={200: TermOutputSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change labels, description, parent, order, weight or `active` (national admins)."""
        term = selectors.get_term(request.user, pk)
        body = parse_input(TermUpdateInputSerializer, request.data)
        term = services.update_term(term, actor=cast(Any, request.user), **body)
        return Response(TermOutputSerializer(term).data)
