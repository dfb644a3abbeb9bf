"""Token authentication that loads the caller and their area scope in one query.

DRF's TokenAuthentication reads the token with its user; the first scoped read then asks for the
user's area assignments. Here both come back together (the assignments through a correlated
subquery joined into one string), and `User.scope_area_codes` is filled from them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from waspada.accounts.models import AreaAssignment, User
from waspada.core.scoping import minimal_codes

SEPARATOR = ","


class _JoinedCodes(Aggregate):
    """The area codes of a group joined by SEPARATOR (string_agg, or group_concat on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '" + SEPARATOR + "')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, '" + SEPARATOR + "')",
            **extra_context,
        )


def _assigned_codes() -> Subquery:
    codes = (
        AreaAssignment.objects.filter(user_id=OuterRef("user_id"))
        .order_by()
        .values("user_id")
        .annotate(codes=_JoinedCodes("area_id"))
        .values("codes")
    )
    return Subquery(codes, output_field=CharField())


class ScopedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, answering exactly as DRF's TokenAuthentication does; the
    user comes back with `scope_area_codes` already known (one query instead of two)."""

    model = Token

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        try:
            token = (
                Token.objects.select_related("user")
                .annotate(assigned_codes=_assigned_codes())
                .get(key=key)
            )
        except Token.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        user: User = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        joined: str | None = getattr(token, "assigned_codes", None)
        codes = [code for code in (joined or "").split(SEPARATOR) if code]
        # What the cached property would compute (the user is active here).
        user.__dict__["scope_area_codes"] = frozenset(minimal_codes(codes))
        return user, token
