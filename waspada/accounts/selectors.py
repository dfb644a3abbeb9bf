"""Reads of users, always through the viewer's area scope."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from rest_framework.authtoken.models import Token

from waspada.accounts.models import AreaAssignment, User
from waspada.core.scoping import ScopedUser, scope_q
from waspada.geo.models import Area


def _with_areas(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.prefetch_related(
        Prefetch(
            "assignments",
            queryset=AreaAssignment.objects.select_related("area").order_by("area_id"),
        )
    )


def list_users(user: ScopedUser | AnonymousUser) -> QuerySet[User]:
    """The users `user` may see, by username, with their area assignments prefetched.

    A user is visible when at least one of its areas lies inside the viewer's scope. A viewer with
    national scope sees everyone, and is the only one who sees users without an area (national
    admins). Anonymous and inactive viewers see nobody. Permissions (who may open the list at all)
    are the caller's business.
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return User.objects.none()
    qs = User.objects.all()
    if not user.has_national_scope:
        inside = AreaAssignment.objects.filter(scope_q(user.scope_area_codes, "area__code"))
        qs = qs.filter(pk__in=inside.values("user_id"))
    return _with_areas(qs.order_by("username"))


def get_user(user: ScopedUser | AnonymousUser, pk: int | str) -> User:
    """One user by id; Http404 when it does not exist or lies outside the viewer's scope."""
    try:
        return list_users(user).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def list_users_in_area(qs: QuerySet[User], code: str) -> QuerySet[User]:
    """Narrow `qs` to users with an area at or below `code` (the list filter)."""
    inside = AreaAssignment.objects.filter(scope_q([code], "area__code"))
    return qs.filter(pk__in=inside.values("user_id"))


def user_areas(user: User) -> list[Area]:
    """The areas assigned to `user`, widest first (uses the prefetched assignments if present)."""
    prefetched = "assignments" in getattr(user, "_prefetched_objects_cache", {})
    assignments = user.assignments.all() if prefetched else user.assignments.select_related("area")
    areas = [a.area for a in assignments]
    return sorted(areas, key=lambda a: (a.level, a.code))


def get_api_token(user: User) -> Token | None:
    """The user's own API token, if it has one."""
    return Token.objects.filter(user=user).first()
