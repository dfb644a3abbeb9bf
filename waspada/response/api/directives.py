"""`/api/v1/directives/` and `/api/v1/directive-assignments/{id}/follow-ups/`.

Reads go through `selectors.directives` (area scope or agency membership, and clearance: a
directive the caller may not see answers 404 and is never counted). Writes go through
`services.directives`: 404 outside the caller's scope, 403 for a role that may not, 400 with
per-field messages, 409 on a stale `version` (with the current `version`). Creating a directive
honours the `Idempotency-Key` header (a retry returns the first answer and creates nothing; the
same key with another body answers 422).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from waspada.core.api import idempotent_response, invalid_input, parse_input
from waspada.core.errors import Conflict
from waspada.core.idempotency import HEADER, Outcome, fingerprint_of, idempotent_create
from waspada.response.api.serializers_directives import (
    DirectiveAgenciesInputSerializer,
    DirectiveCancelInputSerializer,
    DirectiveCreateInputSerializer,
    DirectiveDetailOutputSerializer,
    DirectiveErrorOutputSerializer,
    DirectiveOutputSerializer,
    DirectiveUpdateInputSerializer,
    FollowUpCreatedOutputSerializer,
    FollowUpInputSerializer,
    FollowUpOutputSerializer,
)
from waspada.response.filters_directives import DirectiveFilter
from waspada.response.selectors import directives as selectors
from waspada.response.services import directives as services

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Kunci buatan klien (paling banyak 128 karakter: huruf, angka, . _ : ~ -). Pengiriman "
        "ulang dengan kunci yang sama mengembalikan jawaban pertama tanpa membuat arahan baru; "
        "kunci yang sama dengan isi berbeda: 422."
    ),
)
ERRORS: dict[int, Any] = {
    400: OpenApiResponse(
        DirectiveErrorOutputSerializer, description="Isian tidak valid (per kolom)."
    ),
    403: OpenApiResponse(DirectiveErrorOutputSerializer, description="Peran Anda tidak boleh."),
    404: OpenApiResponse(
        DirectiveErrorOutputSerializer,
        description="Tidak ditemukan atau di luar cakupan/izin Anda.",
    ),
}
CONFLICT = OpenApiResponse(
    DirectiveErrorOutputSerializer,
    description="Sudah diubah orang lain (versi usang), atau sudah final.",
)
CREATE_ERRORS = {
    **ERRORS,
    422: OpenApiResponse(
        DirectiveErrorOutputSerializer, description="Idempotency-Key dipakai untuk isi lain."
    ),
}


class FilterBackend(DjangoFilterBackend):
    """django-filter with the viewer and the time given, and bad values in the 400 shape."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_filterset_kwargs(request, queryset, view)
        kwargs["viewer"] = request.user
        return kwargs

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise invalid_input(filterset.errors)
        return filterset.qs


class CanViewResponse(permissions.BasePermission):
    """Every endpoint here needs "response.view"; the rest is decided by selectors and services
    (404 outside the caller's scope first, then 403 for the role)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        return bool(user.has_role_permission(selectors.VIEW_PERMISSION))


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    permission_classes = [permissions.IsAuthenticated, CanViewResponse]
    lookup_value_regex = r"\d+"

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        version = exc.params.get("version") if isinstance(exc, Conflict) else None
        if version is not None and isinstance(response.data, dict):
            response.data["version"] = version
        return response


@extend_schema(tags=["response"])
class DirectiveViewSet(_Base):
    """Directives (*arahan*) in your scope or assigned to your agencies, within your clearance."""

    serializer_class = DirectiveOutputSerializer
    filterset_class = DirectiveFilter
    filter_backends = [FilterBackend]
    parser_classes = [JSONParser]

    def get_queryset(self) -> Any:
        return selectors.list_directives(self.request.user)

    def _detail(self, pk: int | str, code: int = 200) -> Response:
        return Response(self._detail_body(pk), status=code)

    def _detail_body(self, pk: int | str) -> dict[str, Any]:
        user = self.request.user
        directive = selectors.get_directive(user, pk)
        detail = selectors.directive_detail(user, directive)
        data: dict[str, Any] = DirectiveDetailOutputSerializer(
            directive, context={"detail": detail}
        ).data
        return data

    @extend_schema(responses={200: DirectiveOutputSerializer(many=True), 400: ERRORS[400]})
    def list(self, request: Request) -> Response:
        """Directives, overdue first, then open ones by due date; filter by `status`, `overdue`
        (true/false), `area` (and below), `agency`, `priority`, `alert`, `event`, `case`,
        `issued_by_me`, `assigned_to_me` and text (`q`: title and instruction)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(DirectiveOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: DirectiveDetailOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One directive with its instruction and every agency's state."""
        return self._detail(pk)

    @extend_schema(
        request=DirectiveCreateInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: DirectiveDetailOutputSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Issue a directive on an alert, an event, a case or an area to one or more agencies of
        that area, due at the end of `due_date` in the area's zone. Leaders and analysts
        ("response.direct") of the area only; every agency is told."""
        body = parse_input(DirectiveCreateInputSerializer, request.data)
        actor: Any = request.user
        subject = _subject(actor, body)

        def create() -> Outcome:
            directive = services.issue_directive(
                actor=actor,
                area_code=body.get("area"),
                title=body["title"],
                instruction=body["instruction"],
                due_date=body["due_date"],
                priority=body["priority"],
                agency_ids=body["agencies"],
                classification=body.get("classification"),
                **subject,
            )
            return Outcome.of(directive, body=self._detail_body(directive.pk))

        outcome = idempotent_create(
            actor,
            "response.directives.create",
            request.headers.get(HEADER),
            fingerprint_of(request.data),
            create,
        )
        return idempotent_response(outcome)

    @extend_schema(
        request=DirectiveUpdateInputSerializer,
        responses={200: DirectiveDetailOutputSerializer, **ERRORS, 409: CONFLICT},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change an open directive: send `version` and only the fields that change (title,
        instruction, priority, due_date). A new due date sends the reminders again."""
        directive = selectors.get_directive(request.user, pk)
        body = parse_input(DirectiveUpdateInputSerializer, request.data)
        version = body.pop("version")
        services.update_directive(directive, actor=cast(Any, request.user), version=version, **body)
        return self._detail(directive.pk)

    @extend_schema(
        request=DirectiveCancelInputSerializer,
        responses={200: DirectiveDetailOutputSerializer, **ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel an open directive with a reason; agencies that had not finished are told."""
        directive = selectors.get_directive(request.user, pk)
        body = parse_input(DirectiveCancelInputSerializer, request.data)
        services.cancel_directive(
            directive, actor=cast(Any, request.user), version=body["version"], reason=body["reason"]
        )
        return self._detail(directive.pk)

    @extend_schema(
        request=DirectiveAgenciesInputSerializer,
        responses={200: DirectiveDetailOutputSerializer, **ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def agencies(self, request: Request, pk: str) -> Response:
        """Assign an open directive to more agencies of its area; they are told."""
        directive = selectors.get_directive(request.user, pk)
        body = parse_input(DirectiveAgenciesInputSerializer, request.data)
        services.add_agencies(
            directive,
            actor=cast(Any, request.user),
            version=body["version"],
            agency_ids=body["agencies"],
        )
        return self._detail(directive.pk)


def _subject(actor: Any, body: dict[str, Any]) -> dict[str, Any]:
    """The alert, event or case named in a create request (404 when the caller cannot see it)."""
    from waspada.events.selectors import get_event
    from waspada.warnings.alert_selectors import get_alert

    if body.get("alert"):
        return {"alert": get_alert(actor, body["alert"])}
    if body.get("event"):
        return {"event": get_event(actor, body["event"])}
    if body.get("case"):
        return {"case": selectors.get_case_subject(actor, body["case"])}
    return {}


@extend_schema(tags=["response"])
class DirectiveAssignmentViewSet(_Base):
    """One agency's part of a directive: its follow-up history and new follow-ups."""

    serializer_class = FollowUpOutputSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:  # only used by the schema generator
        return selectors.visible_directives(self.request.user).none()

    @extend_schema(
        methods=["GET"],
        responses={200: FollowUpOutputSerializer(many=True), 404: ERRORS[404]},
        description=(
            "The follow-ups of one assignment, oldest first, with their evidence files. Visible "
            "to viewers whose scope covers the directive's area and to the agency's members."
        ),
    )
    @extend_schema(
        methods=["POST"],
        request={
            "multipart/form-data": FollowUpInputSerializer,
            "application/json": FollowUpInputSerializer,
        },
        responses={201: FollowUpCreatedOutputSerializer, **ERRORS, 409: CONFLICT},
        description=(
            "Record a follow-up: `status` (planned → in_progress → done; any unfinished → cannot, "
            "with a `reason`), `progress` 0-100, a `note`, and evidence `files` (multipart; the "
            "type is read from the content). Members of the agency ('response.act'), or "
            "coordinators of the directive's area on its behalf. Send the assignment's `version`."
        ),
    )
    @action(detail=True, methods=["get", "post"], url_path="follow-ups")
    def follow_ups(self, request: Request, pk: str) -> Response:
        user: Any = request.user
        assignment = selectors.get_assignment(user, pk)
        if request.method == "GET":
            queryset = selectors.follow_ups_of([assignment.pk])
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(FollowUpOutputSerializer(page, many=True).data)
        directive = assignment.directive
        if not selectors.may_act_for(user, assignment, directive):
            raise PermissionDenied(services.ACT_PERMISSION)
        body = parse_input(FollowUpInputSerializer, request.data)
        follow_up = services.record_follow_up(
            assignment,
            actor=user,
            version=body["version"],
            status=body["status"],
            note=body["note"],
            progress=body.get("progress"),
            reason=body.get("reason", ""),
            files=request.FILES.getlist("files"),
            keep_location=body.get("keep_location", False),
        )
        fresh = selectors.get_assignment(user, assignment.pk)
        shown = selectors.follow_ups_of([assignment.pk]).get(pk=follow_up.pk)
        data = FollowUpCreatedOutputSerializer(shown, context={"assignment": fresh}).data
        return Response(data, status=201)
