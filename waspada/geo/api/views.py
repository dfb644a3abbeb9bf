"""Area API: list, detail, search, reverse geocoding and boundaries. Parse, select, render."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.core.errors import InvalidInput
from waspada.core.scoping import ScopedUser
from waspada.geo import selectors
from waspada.geo.api.serializers import (
    AreaDetailSerializer,
    AreaSerializer,
    BoundaryParamsSerializer,
    LocateParamsSerializer,
    SearchParamsSerializer,
    SearchResultsSerializer,
)
from waspada.geo.choices import AreaLevel
from waspada.geo.errors import BoundariesNotLoaded, NoBoundariesHere, PointOutsideAreas
from waspada.geo.filters import AreaFilter
from waspada.geo.models import Area

BOUNDARY_CACHE_CONTROL = "private, max-age=3600"
NOT_FOUND = OpenApiResponse(description=_("Tidak ditemukan atau di luar cakupan pengguna."))
BAD_PARAMS = OpenApiResponse(description=_("Parameter tidak valid (pesan di `detail`)."))


def _user(request: Request | HttpRequest) -> ScopedUser:
    # Only authenticated users get past the permission check; they are accounts.User.
    return cast(ScopedUser, request.user)


def _invalid(errors: Any) -> InvalidInput:
    flat = {str(key): [str(message) for message in messages] for key, messages in errors.items()}
    first = next((messages[0] for messages in flat.values() if messages), "")
    return InvalidInput(_("Parameter tidak valid: %(first)s") % {"first": first}, errors=flat)


def _params(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise _invalid(serializer.errors)
    return serializer.validated_data


class AreaFilterBackend(DjangoFilterBackend):
    """django-filter, but an invalid parameter is a 400 with one clear message."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise _invalid(filterset.errors)
        return filterset.qs


@extend_schema_view(
    get=extend_schema(
        summary=_("Daftar wilayah dalam cakupan pengguna"),
        description=_(
            "Berhalaman, dengan `count`. Saring dengan `level` dan/atau `parent` (anak langsung)."
        ),
        responses={200: AreaSerializer(many=True), 400: BAD_PARAMS},
    )
)
class AreaListView(generics.ListAPIView[Area]):
    serializer_class = AreaSerializer
    filter_backends = [AreaFilterBackend]
    filterset_class = AreaFilter

    def get_queryset(self) -> Any:
        return selectors.visible_areas(_user(self.request)).order_by("code")


class AreaDetailView(APIView):
    @extend_schema(
        summary=_("Satu wilayah"),
        responses={200: AreaDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        area = selectors.get_area_detail(_user(request), code)
        return Response(AreaDetailSerializer(area).data)


class AreaSearchView(APIView):
    @extend_schema(
        summary=_("Cari wilayah berdasarkan awal nama"),
        description=_(
            "Tanpa memandang huruf besar/kecil dan aksen; awalan Kab., Kabupaten, Kota, Kec., "
            "Kecamatan, Desa, Kel. pada `q` diabaikan dan mendahulukan tingkat itu. "
            "`scope=mine` membatasi ke cakupan pengguna."
        ),
        parameters=[SearchParamsSerializer],
        responses={200: SearchResultsSerializer, 400: BAD_PARAMS},
    )
    def get(self, request: Request) -> Response:
        params = _params(SearchParamsSerializer, request)
        results = selectors.search_areas(
            _user(request),
            params["q"],
            level=AreaLevel.from_slug(params["level"]) if params.get("level") else None,
            mine=params["scope"] == "mine",
            limit=params["limit"],
        )
        return Response({"count": len(results), "results": AreaSerializer(results, many=True).data})


class AreaLocateView(APIView):
    @extend_schema(
        summary=_("Kecamatan yang memuat sebuah titik (geokode balik)"),
        parameters=[LocateParamsSerializer],
        responses={
            200: AreaSerializer,
            400: BAD_PARAMS,
            404: OpenApiResponse(
                description=_("Titik di luar semua kecamatan, atau batas belum dimuat.")
            ),
        },
    )
    def get(self, request: Request) -> Response:
        params = _params(LocateParamsSerializer, request)
        area = selectors.locate_area(_user(request), params["lat"], params["lon"])
        if area is None:
            if not selectors.boundaries_loaded():
                raise BoundariesNotLoaded()
            raise PointOutsideAreas()
        return Response(AreaSerializer(area).data)


class BoundaryView(APIView):
    """Boundaries of the children of a parent, served from the precomputed bundle."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        # `format` is this endpoint's own parameter (topojson|geojson), not DRF's renderer
        # override; errors are always JSON.
        return JSONRenderer(), "application/json"

    @extend_schema(
        summary=_("Batas anak wilayah (TopoJSON atau GeoJSON)"),
        description=_(
            "Anak wilayah `parent` (tanpa parent: 38 provinsi), properti `code` dan `name`. "
            "Dengan ETag kuat: kirim If-None-Match untuk jawaban 304."
        ),
        parameters=[BoundaryParamsSerializer],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            304: OpenApiResponse(description=_("Tidak berubah sejak ETag yang dikirim.")),
            400: BAD_PARAMS,
            404: OpenApiResponse(
                description=_("Di luar cakupan, tanpa batas di tingkat ini, atau belum dimuat.")
            ),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        params = _params(BoundaryParamsSerializer, request)
        parent = params.get("parent")
        fmt = params["format"]
        bundle = selectors.boundary_bundle(_user(request), parent, fmt)
        if bundle is None:
            if not selectors.boundaries_loaded():
                raise BoundariesNotLoaded()
            raise NoBoundariesHere(parent or "-")
        etag = f'"{bundle.etag}"'
        sent = request.headers.get("If-None-Match", "")
        if etag in [tag.strip().removeprefix("W/") for tag in sent.split(",")] or sent == "*":
            response: HttpResponse = HttpResponseNotModified()
        else:
            content_type = "application/geo+json" if fmt == "geojson" else "application/json"
            response = HttpResponse(bundle.body, content_type=f"{content_type}; charset=utf-8")
        response["ETag"] = etag
        response["Cache-Control"] = BOUNDARY_CACHE_CONTROL
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response
