"""Input and output shapes of the area API (input parameters are serializers too)."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from waspada.geo.choices import AreaLevel
from waspada.geo.geocode import LAT_RANGE, LON_RANGE
from waspada.geo.models import Area
from waspada.geo.selectors import SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX

LEVEL_SLUGS = [level.slug for level in AreaLevel]
_SLUG_BY_LEVEL = {int(level): level.slug for level in AreaLevel}
LEVEL_HELP = _("Tingkat wilayah: province, regency, district atau village.")


class AreaSerializer(serializers.ModelSerializer[Area]):
    """An area as lists, search and reverse geocoding return it."""

    level = serializers.SerializerMethodField()
    level_name = serializers.CharField(source="get_level_display", read_only=True)
    parent = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.parent
        source="parent_id", read_only=True, allow_null=True
    )
    path = serializers.CharField(source="path_name", read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "display_name", "level", "level_name", "parent", "path"]
        read_only_fields = fields

    def get_level(self, area: Area) -> str:
        return AreaLevel(area.level).slug

    def to_representation(self, instance: Area) -> dict[str, Any]:
        # The hot path of search and of lists over 91,599 areas: plain attribute reads instead of
        # DRF's per-field machinery (several times faster). The declared fields above still
        # describe the shape for the OpenAPI schema; tests pin both to the same output.
        names = self.__dict__.get("_level_names")
        if names is None:
            names = {int(level): str(level.label) for level in AreaLevel}
            self.__dict__["_level_names"] = names
        return {
            "code": instance.code,
            "name": instance.name,
            "display_name": instance.display_name,
            "level": _SLUG_BY_LEVEL[instance.level],
            "level_name": names[instance.level],
            "parent": instance.parent_id,
            "path": instance.path_name,
        }


class AreaDetailSerializer(AreaSerializer):
    """One area with the number of its direct children."""

    children_count = serializers.IntegerField(read_only=True)

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "children_count"]
        read_only_fields = fields

    def to_representation(self, instance: Area) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["children_count"] = instance.children_count  # type: ignore[attr-defined]
        return data


class SearchResultsSerializer(serializers.Serializer[object]):
    """The answer of the search endpoint."""

    count = serializers.IntegerField()
    results = AreaSerializer(many=True)


class SearchParamsSerializer(serializers.Serializer[object]):
    """Query parameters of GET /api/v1/areas/search/."""

    q = serializers.CharField(
        max_length=100,
        trim_whitespace=True,
        help_text=_(
            "Awal nama wilayah; huruf besar/kecil, aksen dan awalan seperti Kab., Kota, Kec., "
            "Desa, Kel. tidak berpengaruh (awalan memberi petunjuk tingkat)."
        ),
        error_messages={
            "required": _("Parameter q (awal nama wilayah) wajib diisi."),
            "blank": _("Parameter q (awal nama wilayah) wajib diisi."),
            "max_length": _("Parameter q paling panjang {max_length} karakter."),
        },
    )
    scope = serializers.ChoiceField(
        choices=["all", "mine"],
        default="all",
        help_text=_("mine: hanya wilayah dalam cakupan pengguna; all (bawaan): seluruh Indonesia."),
        error_messages={"invalid_choice": _("Parameter scope harus 'all' atau 'mine'.")},
    )
    level = serializers.ChoiceField(
        choices=LEVEL_SLUGS,
        required=False,
        help_text=LEVEL_HELP,
        error_messages={
            "invalid_choice": _(
                "Tingkat '{input}' tidak dikenal; pakai province, regency, district atau village."
            )
        },
    )
    limit = serializers.IntegerField(
        default=SEARCH_LIMIT_DEFAULT,
        min_value=1,
        max_value=SEARCH_LIMIT_MAX,
        help_text=_("Jumlah hasil paling banyak (1–100, bawaan 20)."),
        error_messages={
            "invalid": _("Parameter limit harus bilangan bulat."),
            "min_value": _("Parameter limit paling kecil {min_value}."),
            "max_value": _("Parameter limit paling besar {max_value}."),
        },
    )


class LocateParamsSerializer(serializers.Serializer[object]):
    """Query parameters of GET /api/v1/areas/locate/ (WGS84 decimal degrees)."""

    lat = serializers.FloatField(
        min_value=LAT_RANGE[0],
        max_value=LAT_RANGE[1],
        help_text=_("Lintang, derajat desimal WGS84 (-90 sampai 90)."),
        error_messages={
            "required": _("Parameter lat (lintang) wajib diisi."),
            "invalid": _("Parameter lat harus angka desimal, misalnya -2.2096."),
            "min_value": _("Lintang harus antara -90 dan 90."),
            "max_value": _("Lintang harus antara -90 dan 90."),
        },
    )
    lon = serializers.FloatField(
        min_value=LON_RANGE[0],
        max_value=LON_RANGE[1],
        help_text=_("Bujur, derajat desimal WGS84 (-180 sampai 180)."),
        error_messages={
            "required": _("Parameter lon (bujur) wajib diisi."),
            "invalid": _("Parameter lon harus angka desimal, misalnya 113.9108."),
            "min_value": _("Bujur harus antara -180 dan 180."),
            "max_value": _("Bujur harus antara -180 dan 180."),
        },
    )

    def validate(self, attrs: dict[str, float]) -> dict[str, float]:
        if not all(math.isfinite(value) for value in attrs.values()):
            raise serializers.ValidationError(_("Koordinat harus angka yang terhingga."))
        return attrs


class BoundaryParamsSerializer(serializers.Serializer[object]):
    """Query parameters of GET /api/v1/boundaries/."""

    parent = serializers.RegexField(  # type: ignore[assignment]  # a field, not Field.parent
        r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$",
        required=False,
        help_text=_("Kode wilayah induk (misalnya 62 atau 62.71); tanpa induk: 38 provinsi."),
        error_messages={"invalid": _("Parameter parent harus kode wilayah, misalnya 62.71.")},
    )
    format = serializers.ChoiceField(
        choices=["topojson", "geojson"],
        default="topojson",
        help_text=_("topojson (bawaan) atau geojson."),
        error_messages={"invalid_choice": _("Parameter format harus 'topojson' atau 'geojson'.")},
    )
