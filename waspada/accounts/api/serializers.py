"""Input and output shapes of the users API (separate, as their shapes differ)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.selectors import user_areas
from waspada.accounts.validation import AREA_CODE
from waspada.core.classification import Classification
from waspada.geo.zones import zone_label

AREA_CODE_REGEX = AREA_CODE.pattern


class AreaRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    path_name = serializers.CharField()


class UserOutputSerializer(serializers.ModelSerializer[User]):
    """A user as the API shows it, with its areas."""

    role_label = serializers.CharField(source="get_role_display", read_only=True)
    areas = serializers.SerializerMethodField()
    has_password = serializers.BooleanField(source="has_usable_password", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "position",
            "role",
            "role_label",
            "clearance",
            "areas",
            "is_active",
            "has_password",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields

    def get_areas(self, user: User) -> list[dict[str, Any]]:
        return AreaRefSerializer(user_areas(user), many=True).data  # type: ignore[return-value]


def _area_codes_field(required: bool) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.RegexField(
            AREA_CODE_REGEX,
            max_length=13,
            error_messages={"invalid": "Kode wilayah tidak valid, contoh: 62.71"},
        ),
        required=required,
        allow_empty=True,
        max_length=50,
        help_text="Kode wilayah Kemendagri; kosong hanya untuk admin nasional.",
    )


class UserCreateInputSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    areas = _area_codes_field(required=True)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    position = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        trim_whitespace=False,
        help_text="Kosong: pengguna mengatur kata sandi sendiri lewat reset kata sandi.",
    )
    clearance = serializers.ChoiceField(
        choices=Classification.choices, required=False, help_text="Izin klasifikasi"
    )


class UserUpdateInputSerializer(serializers.Serializer[Any]):
    """Every field optional: only the fields sent change."""

    role = serializers.ChoiceField(choices=Role.choices, required=False)
    areas = _area_codes_field(required=False)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    clearance = serializers.ChoiceField(
        choices=Classification.choices, required=False, help_text="Izin klasifikasi"
    )


class UserImportInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV: username,full_name,email,role,areas,phone,…")
    dry_run = serializers.BooleanField(default=False)


class RowProblemSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    areas = serializers.ListField(child=serializers.CharField(), source="area_codes")
    phone = serializers.CharField()
    position = serializers.CharField()
    has_password = serializers.BooleanField()
    problems = RowProblemSerializer(many=True)


class UserImportResultSerializer(serializers.Serializer[Any]):
    dry_run = serializers.BooleanField()
    ok = serializers.BooleanField()
    created = serializers.SerializerMethodField()
    problems = RowProblemSerializer(many=True)
    rows = ImportRowSerializer(many=True)

    def get_created(self, result: Any) -> int:
        return len(result.created)


class MeSerializer(serializers.ModelSerializer[User]):
    """The caller: role, permissions, areas with their full names, and time zone."""

    role_label = serializers.CharField(source="get_role_display", read_only=True)
    areas = serializers.SerializerMethodField()
    national_scope = serializers.BooleanField(source="has_national_scope", read_only=True)
    time_zone = serializers.SerializerMethodField(help_text="WIB, WITA atau WIT")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "position",
            "role",
            "role_label",
            "clearance",
            "national_scope",
            "areas",
            "time_zone",
        ]
        read_only_fields = fields

    def get_areas(self, user: User) -> list[dict[str, Any]]:
        return AreaRefSerializer(user_areas(user), many=True).data  # type: ignore[return-value]

    def get_time_zone(self, user: User) -> str:
        return zone_label(user.primary_area_code)
