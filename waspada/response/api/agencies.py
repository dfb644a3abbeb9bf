"""`/api/v1/agencies/`: agencies in the caller's scope (and those the caller belongs to).

Reads go through `selectors.agencies`; writes through `services.agencies` ("response.manage" in
the agency's area). An agency outside the caller's scope answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from waspada.accounts import selectors as account_selectors
from waspada.core.errors import InvalidInput
from waspada.response.choices import AgencyKind
from waspada.response.models import Agency, AgencyMember
from waspada.response.selectors import agencies as selectors
from waspada.response.services import agencies as services

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar wilayah Anda.")
INVALID = OpenApiResponse(description="Isian tidak valid (per kolom).")
CONFLICT = OpenApiResponse(description="Diubah pengguna lain, atau nama sudah dipakai.")


class AgencyMemberSerializer(serializers.ModelSerializer[AgencyMember]):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = AgencyMember
        fields = ["user", "username", "full_name", "position"]
        read_only_fields = fields


class AgencySerializer(serializers.ModelSerializer[Agency]):
    area_name = serializers.CharField(source="area.display_name", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "area",
            "area_name",
            "kind",
            "name",
            "short_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "active",
            "version",
        ]
        read_only_fields = fields


class AgencyDetailSerializer(AgencySerializer):
    members = AgencyMemberSerializer(many=True, read_only=True)

    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "members"]
        read_only_fields = fields


class AgencyInputSerializer(serializers.Serializer[Any]):
    area = serializers.RegexField(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)


class AgencyUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class MemberInputSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField(min_value=1)
    position = serializers.CharField(max_length=150, required=False, allow_blank=True)


class _NoFilters(BaseFilterBackend):  # the selectors do the filtering
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        return queryset


def _member_user(request: Request, pk: int) -> Any:
    user = account_selectors.list_users(request.user).filter(pk=pk).first()
    if user is None:
        raise InvalidInput("Pengguna tidak ditemukan.", {"user": ["Pengguna tidak ditemukan."]})
    return user


@extend_schema(tags=["response"])
class AgencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg,unused-ignore]
):
    """Agencies (OPD, Polres, Kodim, Kejari, kecamatan, ...) in your scope."""

    serializer_class = AgencySerializer
    filter_backends = [_NoFilters]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        params = self.request.query_params
        active = params.get("active", "")
        return selectors.list_agencies(
            self.request.user,
            area_code=params.get("area", "").strip() or None,
            include_ancestors=params.get("ancestors", "") in {"1", "true"},
            kind=params.get("kind") or None,
            active=None if active == "" else active.lower() in {"1", "true"},
            q=params.get("q", "").strip()[:100],
        )

    def get_object(self) -> Any:
        return selectors.get_agency(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self) -> Any:
        return AgencyDetailSerializer if self.action == "retrieve" else AgencySerializer

    def _actor(self) -> Any:
        return self.request.user

    def _require_view(self) -> None:
        if not self.request.user.has_role_permission("response.view"):  # type: ignore[union-attr]
            raise PermissionDenied

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Kode wilayah (dan bawahnya)."),
            OpenApiParameter(
                "ancestors", OpenApiTypes.BOOL, description="Juga wilayah di atasnya."
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=AgencyKind.values),
            OpenApiParameter("active", OpenApiTypes.BOOL),
            OpenApiParameter("q", OpenApiTypes.STR, description="Bagian nama."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Agencies you may see, by area and name."""
        self._require_view()
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: AgencyDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One agency with its members."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=AgencyInputSerializer,
        responses={201: AgencySerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request: Request) -> Response:
        """Create an agency in an area of your scope (needs "response.manage")."""
        data = AgencyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        area_code = values.pop("area")
        agency = services.create_agency(actor=self._actor(), area_code=area_code, **values)
        return Response(AgencySerializer(agency).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AgencyUpdateSerializer,
        responses={200: AgencySerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change an agency (send the `version` you read; 409 when someone changed it since)."""
        agency = self.get_object()
        data = AgencyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        agency = services.update_agency(agency, actor=self._actor(), version=version, **values)
        return Response(AgencySerializer(agency).data)

    @extend_schema(
        request=MemberInputSerializer,
        responses={201: AgencyMemberSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        """Add a user (of your scope) to the agency."""
        agency = self.get_object()
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _member_user(request, data.validated_data["user"])
        member = services.add_member(
            agency,
            actor=self._actor(),
            user=user,
            position=data.validated_data.get("position", ""),
        )
        return Response(AgencyMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 404: NOT_FOUND})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<user_id>\d+)")
    def remove_member(self, request: Request, pk: str | None = None, user_id: str = "") -> Response:
        """Remove a user from the agency."""
        agency = self.get_object()
        user = _member_user(request, int(user_id))
        services.remove_member(agency, actor=self._actor(), user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
