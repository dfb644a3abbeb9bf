"""`/api/v1/users/` and `/api/v1/me/`: reads through selectors, writes through services."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.accounts import services
from waspada.accounts.api.serializers import (
    MeSerializer,
    UserCreateInputSerializer,
    UserImportInputSerializer,
    UserImportResultSerializer,
    UserOutputSerializer,
    UserUpdateInputSerializer,
)
from waspada.accounts.filters import UserFilter
from waspada.accounts.models import User
from waspada.accounts.selectors import get_user, list_users
from waspada.core.api import ScopedModelViewSet

READ_ACTIONS = {"list", "retrieve"}


def _actor(request: Request) -> User:
    """The authenticated caller (every view here requires authentication first)."""
    return cast(User, request.user)


class UserPermission(permissions.BasePermission):
    """Reads need "users.view", everything else "users.manage"; scope is the selector's job."""

    def has_permission(self, request: Request, view: Any) -> bool:
        needed = "users.view" if view.action in READ_ACTIONS else "users.manage"
        return _actor(request).has_role_permission(needed)


class UserViewSet(ScopedModelViewSet):
    """Users inside the caller's scope; a user of another area answers 404."""

    selector = list_users
    serializer_class = UserOutputSerializer
    filterset_class = UserFilter
    permission_classes = [permissions.IsAuthenticated, UserPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def _output(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        user = get_user(self.request.user, pk)
        return Response(UserOutputSerializer(user).data, status=code)

    @extend_schema(request=UserCreateInputSerializer, responses={201: UserOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = UserCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = services.create_user(
            actor=_actor(request),
            area_codes=values.pop("areas"),
            password=values.pop("password", None) or None,
            **values,
        )
        return self._output(user.pk, status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateInputSerializer, responses=UserOutputSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self.get_object()
        data = UserUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "areas" in values:
            values["area_codes"] = values.pop("areas")
        services.update_user(actor=_actor(request), user=user, **values)
        return self._output(user.pk)

    @extend_schema(request=None, responses=UserOutputSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        """Deactivate the user: no more log-ins or token calls. Repeating it changes nothing."""
        user = self.get_object()
        services.set_user_active(actor=_actor(request), user=user, active=False)
        return self._output(user.pk)

    @extend_schema(request=None, responses=UserOutputSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        """Let a deactivated user log in again."""
        user = self.get_object()
        services.set_user_active(actor=_actor(request), user=user, active=True)
        return self._output(user.pk)

    @extend_schema(
        request={"multipart/form-data": UserImportInputSerializer},
        responses={
            200: UserImportResultSerializer,
            201: UserImportResultSerializer,
            400: UserImportResultSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_csv(self, request: Request) -> Response:
        """Create many users from a CSV, all or nothing; `dry_run` only checks and previews.

        200 for a dry run (see `ok`), 201 when the users were created, 400 with every problem
        (row, column, message) when any row is bad.
        """
        data = UserImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dry_run = data.validated_data["dry_run"]
        result = services.import_users_csv(
            data.validated_data["file"],
            actor=_actor(request),
            dry_run=dry_run,
        )
        code: int
        if dry_run:
            code = status.HTTP_200_OK
        else:
            code = status.HTTP_201_CREATED if result.ok else status.HTTP_400_BAD_REQUEST
        return Response(UserImportResultSerializer(result).data, status=code)


class MeView(APIView):
    """The caller's own account: role, areas with full names, and time zone (WIB/WITA/WIT)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = get_user(request.user, _actor(request).pk)
        return Response(MeSerializer(user).data)
