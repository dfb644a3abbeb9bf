"""`/api/v1/timdus/`, `/api/v1/action-plans/`, `/api/v1/plan-activities/`,
`/api/v1/plan-reports/`.

Reads go through `selectors.timdu` (a Timdu is visible in the caller's scope, and to users of its
member agencies; hidden ones answer 404 and lists never count them). Writes go through
`services.timdu`: 404 for what the caller cannot see, 403 for a role that may not ("response.manage"
for the structure, "rad.report" for progress), 400 with per-field messages, 409 on a stale
`version` or a duplicate (with `existing_id` and the current `version` when known). Creates honour
the `Idempotency-Key` header.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from waspada.core.api import idempotent_response, parse_input
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.idempotency import HEADER, Outcome, fingerprint_of, idempotent_create
from waspada.events.api.serializers import ErrorOutputSerializer
from waspada.response.api import serializers_timdu as s
from waspada.response.models import Timdu
from waspada.response.selectors import timdu as selectors
from waspada.response.services import timdu as services

VIEW_PERMISSION = "response.view"
ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorOutputSerializer, description="Isian tidak valid (per kolom)."),
    403: OpenApiResponse(ErrorOutputSerializer, description="Peran Anda tidak boleh."),
    404: OpenApiResponse(ErrorOutputSerializer, description="Tidak ada, atau di luar cakupan."),
}
WRITE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(ErrorOutputSerializer, description="Sudah diubah orang lain / duplikat."),
}
CREATE_ERRORS = {
    **WRITE_ERRORS,
    422: OpenApiResponse(
        ErrorOutputSerializer, description="Idempotency-Key dipakai untuk isi lain."
    ),
}
IDEMPOTENCY = OpenApiParameter(
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


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(exc, Conflict) and isinstance(response.data, dict):
            for name in ("existing_id", "version"):
                if exc.params.get(name) is not None:
                    response.data[name] = exc.params[name]
        return response

    def _reader(self) -> Any:
        user: Any = self.request.user
        if not user.has_role_permission(VIEW_PERMISSION):
            raise PermissionDenied(VIEW_PERMISSION)
        return user

    def _filters(self, *names: str) -> dict[str, str]:
        params = self.request.query_params
        return {name: params.get(name, "") for name in names}

    def _page(self, queryset: Any, serializer_class: type[serializers.Serializer[Any]]) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    def _create(self, scope: str, create: Any) -> Response:
        outcome = idempotent_create(
            self.request.user,
            scope,
            self.request.headers.get(HEADER),
            fingerprint_of(self.request.data),
            create,
        )
        return idempotent_response(outcome)


# ---------------------------------------------------------------- Timdus


@extend_schema(tags=["timdu"])
class TimduViewSet(_Base):
    """Timdu PKS in your scope (and those your agency sits in)."""

    serializer_class = s.TimduOutputSerializer

    def _detail(self, timdu: Timdu) -> dict[str, Any]:
        user = self.request.user
        timdu = selectors.list_timdus(user).get(pk=timdu.pk)
        members = selectors.timdu_members(user, timdu)
        data: dict[str, Any] = s.TimduDetailOutputSerializer(
            timdu, context={"members": members}
        ).data
        return data

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Wilayah (beserta bawahnya)."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Sebagian nama tim."),
        ],
        responses={200: s.TimduOutputSerializer(many=True), 403: ERRORS[403]},
    )
    def list(self, request: Request) -> Response:
        """Timdus you may see, by area."""
        user = self._reader()
        return self._page(
            selectors.list_timdus(user, self._filters("area", "q")), s.TimduOutputSerializer
        )

    @extend_schema(responses={200: s.TimduDetailOutputSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """One Timdu with its member agencies."""
        return Response(self._detail(selectors.get_timdu(self._reader(), pk or "")))

    @extend_schema(
        request=s.TimduCreateInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.TimduDetailOutputSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Form the Timdu of a provinsi or kab/kota (one per area: 409 with `existing_id`)."""
        user = self._reader()
        values = parse_input(s.TimduCreateInputSerializer, request.data)

        def create() -> Outcome:
            timdu = services.create_timdu(actor=user, area_code=values.pop("area"), **values)
            return Outcome.of(timdu, body=self._detail(timdu))

        return self._create("response.timdus.create", create)

    @extend_schema(
        request=s.TimduUpdateInputSerializer,
        responses={200: s.TimduDetailOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change the name, chair or decree; `version` is required."""
        user = self._reader()
        timdu = selectors.get_timdu(user, pk or "")
        values = parse_input(s.TimduUpdateInputSerializer, request.data)
        timdu = services.update_timdu(timdu, actor=user, **values)
        return Response(self._detail(timdu))

    @extend_schema(
        methods=["get"], responses={200: s.TimduMemberOutputSerializer(many=True), **ERRORS}
    )
    @extend_schema(
        methods=["post"],
        request=s.TimduMemberInputSerializer,
        responses={200: s.TimduMemberOutputSerializer(many=True), **WRITE_ERRORS},
    )
    @extend_schema(
        methods=["delete"],
        parameters=[OpenApiParameter("agency", OpenApiTypes.INT, required=True)],
        responses={204: None, **ERRORS},
    )
    @action(detail=True, methods=["get", "post", "delete"], pagination_class=None)
    def members(self, request: Request, pk: str | None = None) -> Response:
        """The member agencies; POST adds one or changes its role (one chair at most);
        DELETE ?agency=<id> takes one out."""
        user = self._reader()
        timdu = selectors.get_timdu(user, pk or "")
        if request.method == "POST":
            values = parse_input(s.TimduMemberInputSerializer, request.data)
            services.set_member(timdu, actor=user, agency_id=values["agency"], role=values["role"])
        elif request.method == "DELETE":
            services.remove_member(
                timdu, actor=user, agency_id=request.query_params.get("agency", "")
            )
            return Response(status=http_status.HTTP_204_NO_CONTENT)
        members = selectors.timdu_members(user, timdu)
        return Response(s.TimduMemberOutputSerializer(members, many=True).data)


# ---------------------------------------------------------------- plans


def _today(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = _("Tanggal tidak sah (TTTT-BB-HH).")
        raise InvalidInput(message, {"date": [message]}) from None


@extend_schema(tags=["timdu"])
class PlanViewSet(_Base):
    """Action plans (RAD) of the Timdus you may see."""

    serializer_class = s.PlanOutputSerializer

    def _body(self, pk: int) -> dict[str, Any]:
        plan = selectors.list_plans(self.request.user).get(pk=pk)
        data: dict[str, Any] = s.PlanOutputSerializer(plan).data
        return data

    @extend_schema(
        parameters=[
            OpenApiParameter("timdu", OpenApiTypes.INT),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["draft", "active", "closed"]),
            OpenApiParameter("area", OpenApiTypes.STR, description="Wilayah Timdu (dan bawahnya)."),
        ],
        responses={200: s.PlanOutputSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    )
    def list(self, request: Request) -> Response:
        """RADs you may see, newest year first."""
        user = self._reader()
        filters = self._filters("timdu", "year", "status", "area")
        return self._page(selectors.list_plans(user, filters), s.PlanOutputSerializer)

    @extend_schema(responses={200: s.PlanOutputSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """One RAD."""
        plan = selectors.get_plan(self._reader(), pk or "")
        return Response(self._body(plan.pk))

    @extend_schema(
        request=s.PlanCreateInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.PlanOutputSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Open a Timdu's RAD for a year, as a draft (one per year: 409 with `existing_id`)."""
        user = self._reader()
        values = parse_input(s.PlanCreateInputSerializer, request.data)
        timdu = selectors.get_timdu(user, values["timdu"])

        def create() -> Outcome:
            plan = services.create_plan(
                timdu, actor=user, year=values["year"], title=values["title"]
            )
            return Outcome.of(plan, body=self._body(plan.pk))

        return self._create("response.action-plans.create", create)

    @extend_schema(
        request=s.PlanUpdateInputSerializer, responses={200: s.PlanOutputSerializer, **WRITE_ERRORS}
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change the title, the year (while a draft) or the status (draft -> active ->
        closed); `version` is required."""
        user = self._reader()
        plan = selectors.get_plan(user, pk or "")
        values = parse_input(s.PlanUpdateInputSerializer, request.data)
        services.update_plan(plan, actor=user, **values)
        return Response(self._body(plan.pk))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description="Keadaan per tanggal (bawaan: hari ini)."
            )
        ],
        responses={200: s.PlanOverviewOutputSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def overview(self, request: Request, pk: str | None = None) -> Response:
        """Activities by stage with their latest submitted realisation and state; physical and
        financial realisation per stage and in total; the state of each period report."""
        user = self._reader()
        plan = selectors.get_plan(user, pk or "")
        today = _today(request.query_params.get("date", ""))
        overview = selectors.plan_overview(user, plan, today=today)
        return Response(s.PlanOverviewOutputSerializer(overview).data)


# ---------------------------------------------------------------- activities


@extend_schema(tags=["timdu"])
class ActivityViewSet(_Base):
    """Activities of the RADs you may see."""

    serializer_class = s.PlanActivityOutputSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", OpenApiTypes.INT, description="Hanya kegiatan RAD ini."),
            OpenApiParameter("stage", OpenApiTypes.STR, enum=list(s.STAGES)),
        ],
        responses={
            200: s.PlanActivityOutputSerializer(many=True),
            400: ERRORS[400],
            403: ERRORS[403],
        },
    )
    def list(self, request: Request) -> Response:
        """Activities by plan, stage and order."""
        user = self._reader()
        filters = self._filters("plan", "stage")
        return self._page(selectors.list_activities(user, filters), s.PlanActivityOutputSerializer)

    @extend_schema(responses={200: s.PlanActivityOutputSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """One activity."""
        activity = selectors.get_activity(self._reader(), pk or "")
        return Response(s.PlanActivityOutputSerializer(activity).data)

    @extend_schema(
        request=s.PlanActivityCreateInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.PlanActivityOutputSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Add an activity to a RAD that is not closed."""
        user = self._reader()
        values = parse_input(s.PlanActivityCreateInputSerializer, request.data)
        plan = selectors.get_plan(user, values.pop("plan"))
        values["agency_id"] = values.pop("agency")

        def create() -> Outcome:
            activity = services.add_activity(plan, actor=user, **values)
            activity = selectors.get_activity(user, activity.pk)
            return Outcome.of(activity, body=s.PlanActivityOutputSerializer(activity).data)

        return self._create("response.plan-activities.create", create)

    @extend_schema(
        request=s.PlanActivityUpdateInputSerializer,
        responses={200: s.PlanActivityOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change an activity; `version` is required."""
        user = self._reader()
        activity = selectors.get_activity(user, pk or "")
        values = parse_input(s.PlanActivityUpdateInputSerializer, request.data)
        if "agency" in values:
            values["agency_id"] = values.pop("agency")
        services.update_activity(activity, actor=user, **values)
        return Response(s.PlanActivityOutputSerializer(selectors.get_activity(user, pk or "")).data)

    @extend_schema(
        parameters=[OpenApiParameter("version", OpenApiTypes.INT, description="409 bila usang.")],
        responses={204: None, **WRITE_ERRORS},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Remove an activity (refused once a submitted report gives its progress)."""
        user = self._reader()
        activity = selectors.get_activity(user, pk or "")
        version = request.query_params.get("version") or None
        services.remove_activity(activity, actor=user, version=version)
        return Response(status=http_status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- progress reports


@extend_schema(tags=["timdu"])
class ReportViewSet(_Base):
    """Four-monthly progress reports (B04, B08, B12) of the RADs you may see."""

    serializer_class = s.PlanReportOutputSerializer

    def _body(self, pk: int) -> dict[str, Any]:
        report = selectors.get_plan_report(self.request.user, pk)
        data: dict[str, Any] = s.PlanReportDetailOutputSerializer(report).data
        return data

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", OpenApiTypes.INT, description="Hanya laporan RAD ini."),
            OpenApiParameter("period", OpenApiTypes.STR, enum=list(s.PERIODS)),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["draft", "submitted"]),
        ],
        responses={
            200: s.PlanReportOutputSerializer(many=True),
            400: ERRORS[400],
            403: ERRORS[403],
        },
    )
    def list(self, request: Request) -> Response:
        """Reports by plan and period (without their entries: retrieve one for those)."""
        user = self._reader()
        filters = self._filters("plan", "period", "status")
        return self._page(selectors.list_plan_reports(user, filters), s.PlanReportOutputSerializer)

    @extend_schema(responses={200: s.PlanReportDetailOutputSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """One report with its entries and their evidence files."""
        report = selectors.get_plan_report(self._reader(), pk or "")
        return Response(self._body(report.pk))

    @extend_schema(
        request=s.PlanReportSaveInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.PlanReportDetailOutputSerializer, 200: s.PlanReportDetailOutputSerializer}
        | CREATE_ERRORS,
    )
    def create(self, request: Request) -> Response:
        """Create the draft of a period (201), or update the existing draft with its `version`
        (200). Entries are added or updated per activity; realisation is cumulative."""
        user = self._reader()
        values = parse_input(s.PlanReportSaveInputSerializer, request.data)
        plan = selectors.get_plan(user, values.pop("plan"))

        def create() -> Outcome:
            existed = values.get("version") is not None
            report = services.save_plan_report(plan, actor=user, **values)
            code = http_status.HTTP_200_OK if existed else http_status.HTTP_201_CREATED
            return Outcome.of(report, body=self._body(report.pk), status_code=code)

        return self._create("response.plan-reports.create", create)

    @extend_schema(
        request=s.PlanReportUpdateInputSerializer,
        responses={200: s.PlanReportDetailOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change a draft's summary and entries; `version` is required."""
        user = self._reader()
        report = selectors.get_plan_report(user, pk or "")
        values = parse_input(s.PlanReportUpdateInputSerializer, request.data)
        services.save_plan_report(
            report.plan,
            actor=user,
            period=report.period,
            summary=values.get("summary", report.summary),
            entries=values.get("entries", []),
            version=values["version"],
        )
        return Response(self._body(report.pk))

    @extend_schema(
        request=s.PlanReportSubmitInputSerializer,
        responses={200: s.PlanReportDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit a draft (final afterwards); every activity begun by the end of the period
        needs an entry."""
        user = self._reader()
        report = selectors.get_plan_report(user, pk or "")
        values = parse_input(s.PlanReportSubmitInputSerializer, request.data)
        services.submit_plan_report(report, actor=user, version=values["version"])
        return Response(self._body(report.pk))

    @extend_schema(
        request={"multipart/form-data": s.PlanEvidenceUploadInputSerializer},
        responses={201: s.PlanEvidenceOutputSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"entries/(?P<entry_id>\d+)/evidence",
        parser_classes=[MultiPartParser, FormParser],
    )
    def evidence(self, request: Request, pk: str | None = None, entry_id: str = "") -> Response:
        """Attach an evidence file (photo, PDF, office document) to an entry of a draft."""
        user = self._reader()
        report = selectors.get_plan_report(user, pk or "")
        entry = selectors.get_report_entry(user, entry_id)
        if entry.report_id != report.pk:
            raise OutOfScope()
        values = parse_input(s.PlanEvidenceUploadInputSerializer, request.data)
        evidence = services.add_plan_evidence(
            entry, values["file"], actor=user, keep_location=values["keep_location"]
        )
        return Response(
            s.PlanEvidenceOutputSerializer(evidence).data, status=http_status.HTTP_201_CREATED
        )


router = SimpleRouter()
router.register("timdus", TimduViewSet, basename="timdu")
router.register("action-plans", PlanViewSet, basename="action-plan")
router.register("plan-activities", ActivityViewSet, basename="plan-activity")
router.register("plan-reports", ReportViewSet, basename="plan-report")

urlpatterns = router.urls
