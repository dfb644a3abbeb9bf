"""`/api/v1/alerts/`, `/api/v1/subscriptions/`, `/api/v1/deliveries/`.

Reads go through `alert_selectors` (alerts in the caller's scope; one's own subscriptions;
one's own deliveries, and for area/national admins those of their scope); writes through
`subscriptions` services. An alert outside the caller's scope answers 404. A webhook
subscription's secret is in the create answer only.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from waspada.warnings import alert_selectors as selectors
from waspada.warnings import subscriptions as services
from waspada.warnings.api.alert_serializers import (
    AcknowledgementSerializer,
    AlertSerializer,
    CommentInputSerializer,
    CommentSerializer,
    DeliverySerializer,
    SubscriptionCreatedSerializer,
    SubscriptionInputSerializer,
    SubscriptionSerializer,
    SubscriptionUpdateSerializer,
)
from waspada.warnings.choices import DeliveryStatus

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar wilayah Anda.")
INVALID = OpenApiResponse(description="Isian tidak valid (per kolom).")
CONFLICT = OpenApiResponse(description="Langganan yang sama sudah aktif.")

ALERT_FILTERS = [
    OpenApiParameter("level", OpenApiTypes.INT, description="Level minimal (1-3)."),
    OpenApiParameter("area", OpenApiTypes.STR, description="Kode wilayah (beserta di bawahnya)."),
    OpenApiParameter(
        "acknowledged", OpenApiTypes.BOOL, description="true: sudah diterima siapa pun"
    ),
]


def _bool(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return value.lower() in {"1", "true", "yes", "ya"}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class _NoFilters(BaseFilterBackend):  # the selectors do the filtering
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        return queryset


@extend_schema(tags=["alerts"])
class AlertViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg,unused-ignore]
    """Alerts of areas in your scope, newest first."""

    serializer_class = AlertSerializer
    filter_backends = [_NoFilters]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.list_alerts(
            self.request.user,
            level=_int(params.get("level")),
            area_code=params.get("area", "").strip(),
            acknowledged=_bool(params.get("acknowledged")),
        )

    def get_object(self) -> Any:
        return selectors.get_alert(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=ALERT_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Alerts in your scope; filter by level, area and acknowledgement."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: AlertSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One alert with its reasons."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: AcknowledgementSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Mark the alert as received by you (again is harmless)."""
        alert = self.get_object()
        ack = services.acknowledge(alert, actor=request.user)
        return Response(AcknowledgementSerializer(ack).data)

    @extend_schema(
        methods=["get"],
        responses={200: CommentSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["post"],
        request=CommentInputSerializer,
        responses={201: CommentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request: Request, pk: str | None = None) -> Response:
        """The alert's comments (oldest first); POST adds one."""
        alert = self.get_object()
        if request.method == "POST":
            data = CommentInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            note = services.comment(alert, actor=request.user, body=data.validated_data["body"])
            return Response(CommentSerializer(note).data, status=status.HTTP_201_CREATED)
        rows = selectors.alert_comments(request.user, alert)
        return Response(CommentSerializer(rows, many=True).data)


@extend_schema(tags=["alerts"])
class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg,unused-ignore]
):
    """Your own alert subscriptions. DELETE deactivates one."""

    serializer_class = SubscriptionSerializer
    filter_backends = [_NoFilters]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.list_subscriptions(self.request.user)

    def get_object(self) -> Any:
        return selectors.get_subscription(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=SubscriptionInputSerializer,
        responses={201: SubscriptionCreatedSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request: Request) -> Response:
        """Subscribe to an area (and everything below it). A webhook's signing secret is in
        this answer only; it is never shown again."""
        data = SubscriptionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        subscription, secret = services.subscribe(actor=request.user, **values)
        body = SubscriptionCreatedSerializer(subscription, context={"secret": secret}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SubscriptionUpdateSerializer,
        responses={200: SubscriptionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change the minimum level, the mode or the webhook URL."""
        subscription = self.get_object()
        data = SubscriptionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_subscription(subscription, actor=request.user, **data.validated_data)
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Stop the subscription (deactivated; past deliveries stay)."""
        services.unsubscribe(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["alerts"])
class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg,unused-ignore]
    """Deliveries of alerts: your own; area and national admins also see their scope's."""

    serializer_class = DeliverySerializer
    filter_backends = [_NoFilters]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        params = self.request.query_params
        wanted = params.get("status", "")
        return selectors.list_deliveries(
            self.request.user,
            status=wanted if wanted in DeliveryStatus.values else "",
            alert_id=_int(params.get("alert")),
        )

    def get_object(self) -> Any:
        return selectors.get_delivery(self.request.user, self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=DeliveryStatus.values),
            OpenApiParameter("alert", OpenApiTypes.INT, description="Hanya untuk peringatan ini."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Deliveries you may see, newest first."""
        return super().list(request, *args, **kwargs)


router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="alert")
router.register("subscriptions", SubscriptionViewSet, basename="alert-subscription")
router.register("deliveries", DeliveryViewSet, basename="alert-delivery")

urlpatterns = router.urls
