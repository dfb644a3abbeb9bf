"""`/api/v1/conflict-cases/`, `/api/v1/conflict-statuses/`, `/api/v1/recovery-activities/`.

Reads go through `selectors.cases` (area scope, clearance and "response.view": a case the caller
may not see answers 404, and lists never count it). Writes go through `services.cases`, which
answer 404 outside the caller's scope, 403 for a role that may not ("cases.manage": analysts and
leaders), 400 with per-field messages, and 409 on a stale `version` (with the current one).
Creating a case honours the `Idempotency-Key` header.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http_status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from waspada.core.api import idempotent_response, parse_input
from waspada.core.errors import Conflict
from waspada.core.idempotency import HEADER, Outcome, fingerprint_of, idempotent_create
from waspada.events.api.serializers import ErrorOutputSerializer
from waspada.response.api.serializers_cases import (
    CaseCloseInputSerializer,
    CaseCreateInputSerializer,
    CaseDetailOutputSerializer,
    CaseEventsInputSerializer,
    CaseOutputSerializer,
    CaseStageInputSerializer,
    CaseUpdateInputSerializer,
    EvidenceInputSerializer,
    RecoveryCreateInputSerializer,
    RecoveryEvidenceOutputSerializer,
    RecoveryOutputSerializer,
    RecoveryUpdateInputSerializer,
    StatusCreateInputSerializer,
    StatusExtendInputSerializer,
    StatusOutputSerializer,
    StatusRevokeInputSerializer,
)
from waspada.response.choices import (
    ActivityStatus,
    CaseStage,
    CaseStatus,
    ConflictStatusState,
    RecoveryKind,
)
from waspada.response.selectors import cases as selectors
from waspada.response.services import cases as services

VIEW_PERMISSION = "response.view"
ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorOutputSerializer, description="Isian tidak valid (per kolom)."),
    403: OpenApiResponse(ErrorOutputSerializer, description="Peran Anda tidak boleh."),
    404: OpenApiResponse(
        ErrorOutputSerializer, description="Tidak ditemukan atau di luar cakupan/izin Anda."
    ),
}
CONFLICT = OpenApiResponse(
    ErrorOutputSerializer, description="Sudah diubah orang lain (versi usang)."
)
WRITE_ERRORS = {**ERRORS, 409: CONFLICT}
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Kunci buatan klien (paling banyak 128 karakter: huruf, angka, . _ : ~ -). Pengiriman "
        "ulang dengan kunci yang sama mengembalikan jawaban pertama tanpa membuat data baru; "
        "kunci yang sama dengan isi berbeda: 422."
    ),
)
CASE_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=CaseStatus.values),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=CaseStage.values),
    OpenApiParameter("area", OpenApiTypes.STR, description="Kode wilayah (beserta di bawahnya)."),
    OpenApiParameter("root_cause", OpenApiTypes.STR, description="Kode istilah UU 7/2012."),
    OpenApiParameter(
        "active_status",
        OpenApiTypes.STR,
        enum=["ya", "tidak"],
        description="ya: ada status keadaan konflik yang berlaku; tidak: tidak ada.",
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Judul, ringkasan atau nomor KSS."),
]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        version = exc.params.get("version") if isinstance(exc, Conflict) else None
        if version is not None and isinstance(response.data, dict):
            response.data["version"] = version
        return response

    def _actor(self) -> Any:
        return self.request.user

    def _require_view(self) -> None:
        if not self.request.user.has_role_permission(VIEW_PERMISSION):  # type: ignore[union-attr]
            raise PermissionDenied(VIEW_PERMISSION)


# ---------------------------------------------------------------- cases


@extend_schema(tags=["response"])
class ConflictCaseViewSet(_Base):
    """Conflict cases in your area and below that you are cleared for."""

    serializer_class = CaseOutputSerializer

    def get_queryset(self) -> Any:
        return selectors.list_cases(self.request.user)

    def _body(self, pk: int | str) -> dict[str, Any]:
        user = self.request.user
        case = selectors.get_case(user, pk)
        detail = selectors.case_detail(user, case)
        data: dict[str, Any] = CaseDetailOutputSerializer(case, context={"detail": detail}).data
        return data

    @extend_schema(
        parameters=CASE_FILTERS, responses={200: CaseOutputSerializer(many=True), **ERRORS}
    )
    def list(self, request: Request) -> Response:
        """Cases, newest opened first; filter by status, stage, area (and below), root cause,
        whether a status keadaan konflik is in force, and text."""
        self._require_view()
        cases = selectors.list_cases(request.user, request.query_params)
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(CaseOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: CaseDetailOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One case with its events, parties, stage history, statuses and recovery activities."""
        return Response(self._body(pk))

    @extend_schema(
        request=CaseCreateInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: CaseDetailOutputSerializer,
            **ERRORS,
            422: OpenApiResponse(
                ErrorOutputSerializer, description="Idempotency-Key dipakai untuk isi lain."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        """Open a case from one or more events you can see (analysts and leaders); it starts
        in pencegahan. `area` defaults to the events' area when they share one."""
        body = parse_input(CaseCreateInputSerializer, request.data)
        actor = self._actor()

        def create() -> Outcome:
            case = services.open_case(
                actor=actor,
                area_code=body.get("area") or None,
                event_ids=body["event_ids"],
                title=body["title"],
                summary=body.get("summary", ""),
                root_cause=body.get("root_cause") or None,
                parties=[dict(p) for p in body.get("parties", [])],
            )
            return Outcome.of(case, body=self._body(case.pk))

        outcome = idempotent_create(
            actor,
            "response.cases.create",
            request.headers.get(HEADER),
            fingerprint_of(request.data),
            create,
        )
        return idempotent_response(outcome)

    @extend_schema(
        request=CaseUpdateInputSerializer,
        responses={200: CaseDetailOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the title, summary, root cause or parties (`parties` replaces them all); send
        the `version` you read."""
        case = selectors.get_case(request.user, pk)
        body = parse_input(CaseUpdateInputSerializer, request.data)
        version = body.pop("version")
        if "parties" in body:
            body["parties"] = [dict(p) for p in body["parties"]]
        services.update_case(case, actor=self._actor(), version=version, **body)
        return Response(self._body(case.pk))

    @extend_schema(
        request=CaseStageInputSerializer,
        responses={200: CaseDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: str) -> Response:
        """Move the case to another stage (forward or back), with a note."""
        case = selectors.get_case(request.user, pk)
        body = parse_input(CaseStageInputSerializer, request.data)
        services.move_stage(
            case,
            actor=self._actor(),
            version=body["version"],
            to_stage=body["to_stage"],
            note=body.get("note", ""),
        )
        return Response(self._body(case.pk))

    @extend_schema(
        request=CaseCloseInputSerializer,
        responses={200: CaseDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the case with a note; refused (400) while a status keadaan konflik is in
        force."""
        case = selectors.get_case(request.user, pk)
        body = parse_input(CaseCloseInputSerializer, request.data)
        services.close_case(case, actor=self._actor(), version=body["version"], note=body["note"])
        return Response(self._body(case.pk))

    @extend_schema(
        request=CaseEventsInputSerializer,
        responses={200: CaseDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def events(self, request: Request, pk: str) -> Response:
        """Add events (`add`) to the case and take events off it (`remove`); at least one
        stays. The case's classification rises with the events added."""
        case = selectors.get_case(request.user, pk)
        body = parse_input(CaseEventsInputSerializer, request.data)
        services.change_case_events(
            case,
            actor=self._actor(),
            add=body.get("add", []),
            remove=body.get("remove", []),
            version=body.get("version"),
        )
        return Response(self._body(case.pk))


# ---------------------------------------------------------------- statuses


@extend_schema(tags=["response"])
class ConflictStatusViewSet(_Base):
    """Declared statuses keadaan konflik of the cases you may see."""

    serializer_class = StatusOutputSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        in_force = params.get("in_force", "")
        state = params.get("state", "")
        return selectors.list_statuses(
            self.request.user,
            case_id=_int(params.get("case")),
            state=state if state in ConflictStatusState.values else "",
            in_force=None if in_force == "" else in_force.lower() in {"1", "true", "ya"},
        )

    def _status(self, pk: int | str) -> Any:
        return selectors.get_status(self.request.user, pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("case", OpenApiTypes.INT, description="Hanya status kasus ini."),
            OpenApiParameter("state", OpenApiTypes.STR, enum=ConflictStatusState.values),
            OpenApiParameter("in_force", OpenApiTypes.BOOL, description="Hanya yang berlaku."),
        ],
        responses={200: StatusOutputSerializer(many=True), 403: ERRORS[403]},
    )
    def list(self, request: Request) -> Response:
        """Statuses, newest start first."""
        self._require_view()
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StatusOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: StatusOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One status, with the days it has left while in force."""
        return Response(StatusOutputSerializer(self._status(pk)).data)

    @extend_schema(
        request=StatusCreateInputSerializer,
        responses={201: StatusOutputSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Record a declared status for a case: scale kabupaten_kota (a kab/kota area),
        provinsi (a province) or nasional (no area), containing the case's area; at most 90 days
        (the default end). A case in pencegahan moves to penghentian."""
        body = parse_input(StatusCreateInputSerializer, request.data)
        case = selectors.get_case(request.user, body["case"])
        status = services.declare_status(
            case,
            actor=self._actor(),
            scale=body["scale"],
            area_code=body.get("area") or None,
            declared_by=body["declared_by"],
            decree_number=body["decree_number"],
            start_date=body["start_date"],
            end_date=body.get("end_date"),
        )
        return Response(
            StatusOutputSerializer(self._status(status.pk)).data,
            status=http_status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=StatusExtendInputSerializer,
        responses={201: StatusOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        """Extend the status in force: a new status (its `extends` points here) from the day
        after it ends until `end_date`; all extensions together at most 30 days."""
        status = self._status(pk)
        body = parse_input(StatusExtendInputSerializer, request.data)
        extension = services.extend_status(
            status,
            actor=self._actor(),
            version=body["version"],
            declared_by=body["declared_by"],
            decree_number=body["decree_number"],
            end_date=body["end_date"],
        )
        return Response(
            StatusOutputSerializer(self._status(extension.pk)).data,
            status=http_status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=StatusRevokeInputSerializer,
        responses={200: StatusOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """End the status in force early, with a reason."""
        status = self._status(pk)
        body = parse_input(StatusRevokeInputSerializer, request.data)
        services.revoke_status(
            status, actor=self._actor(), version=body["version"], reason=body["reason"]
        )
        return Response(StatusOutputSerializer(self._status(status.pk)).data)


# ---------------------------------------------------------------- recovery


def _recovery_values(body: dict[str, Any]) -> dict[str, Any]:
    if "agency" in body:
        body["agency_id"] = body.pop("agency")
    return body


@extend_schema(tags=["response"])
class RecoveryActivityViewSet(_Base):
    """Recovery activities (rekonsiliasi, rehabilitasi, rekonstruksi) of the cases you may see."""

    serializer_class = RecoveryOutputSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        kind = params.get("kind", "")
        state = params.get("status", "")
        return selectors.list_recovery_activities(
            self.request.user,
            case_id=_int(params.get("case")),
            kind=kind if kind in RecoveryKind.values else "",
            status=state if state in ActivityStatus.values else "",
        )

    def _activity(self, pk: int | str) -> Any:
        return selectors.get_recovery_activity(self.request.user, pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("case", OpenApiTypes.INT, description="Hanya kegiatan kasus ini."),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=RecoveryKind.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ActivityStatus.values),
        ],
        responses={200: RecoveryOutputSerializer(many=True), 403: ERRORS[403]},
    )
    def list(self, request: Request) -> Response:
        """Recovery activities with their agency and evidence."""
        self._require_view()
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RecoveryOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: RecoveryOutputSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One recovery activity."""
        return Response(RecoveryOutputSerializer(self._activity(pk)).data)

    @extend_schema(
        request=RecoveryCreateInputSerializer,
        responses={201: RecoveryOutputSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Plan a recovery activity of an open case (it may be planned before pemulihan)."""
        body = _recovery_values(parse_input(RecoveryCreateInputSerializer, request.data))
        case = selectors.get_case(request.user, body.pop("case"))
        activity = services.add_recovery_activity(case, actor=self._actor(), **body)
        return Response(
            RecoveryOutputSerializer(self._activity(activity.pk)).data,
            status=http_status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=RecoveryUpdateInputSerializer,
        responses={200: RecoveryOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a recovery activity; send the `version` you read."""
        activity = self._activity(pk)
        body = _recovery_values(parse_input(RecoveryUpdateInputSerializer, request.data))
        version = body.pop("version")
        services.update_recovery_activity(activity, actor=self._actor(), version=version, **body)
        return Response(RecoveryOutputSerializer(self._activity(activity.pk)).data)

    @extend_schema(
        request={"multipart/form-data": EvidenceInputSerializer},
        responses={201: RecoveryEvidenceOutputSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def evidence(self, request: Request, pk: str) -> Response:
        """Attach a photo, PDF or office document (type checked from the content; photo GPS is
        removed unless `keep_location`)."""
        activity = self._activity(pk)
        body = parse_input(EvidenceInputSerializer, request.data)
        evidence = services.add_recovery_evidence(
            activity, body["file"], actor=self._actor(), keep_location=body["keep_location"]
        )
        return Response(
            RecoveryEvidenceOutputSerializer(evidence).data, status=http_status.HTTP_201_CREATED
        )
