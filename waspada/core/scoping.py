"""The one place where "which areas may this user see" becomes a database filter.

Area codes are hierarchical and dotted ("62" province, "62.71" kab/kota, "62.71.01" kecamatan,
"62.71.01.1001" desa/kelurahan), so "inside my area" is the code itself or a prefix match on
"code." (never a bare prefix: "62.1" must not match "62.10"). Every selector in every app builds its
filter with `scope_q` or `AreaScopedQuerySet.visible_to`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, Self, TypeVar

from django.db import models
from django.db.models import Q


class ScopedUser(Protocol):
    """What scoping needs to know about a user (accounts.User implements it)."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def has_national_scope(self) -> bool: ...

    @property
    def scope_area_codes(self) -> frozenset[str]: ...


def code_within(code: str, ancestor: str) -> bool:
    """True when `code` is `ancestor` itself or lies below it."""
    return code == ancestor or code.startswith(ancestor + ".")


def ancestor_codes(code: str) -> list[str]:
    """The code and every area above it, province first ("62", "62.71", "62.71.02")."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def minimal_codes(codes: Iterable[str]) -> list[str]:
    """Drop codes already covered by another code in the set (62.71 is covered by 62)."""
    ordered = sorted(set(codes), key=lambda c: (c.count("."), c))
    kept: list[str] = []
    for code in ordered:
        if not any(code_within(code, k) for k in kept):
            kept.append(code)
    return sorted(kept)


def scope_q(codes: Iterable[str], lookup: str) -> Q:
    """A Q matching rows whose `lookup` (a dotted-code column) lies inside any of `codes`.

    An empty `codes` matches nothing.
    """
    condition = Q(pk__in=[])
    for code in minimal_codes(codes):
        condition |= Q(**{lookup: code}) | Q(**{f"{lookup}__startswith": f"{code}."})
    return condition


def scope_sql(codes: Iterable[str], column: str) -> tuple[str, list[str]]:
    """The same rule as `scope_q` as an SQL condition on a quoted `column`, for raw queries.

    Returns ("(...)", params); an empty `codes` matches nothing ("(1 = 0)").
    """
    conditions: list[str] = []
    params: list[str] = []
    for code in minimal_codes(codes):
        conditions.append(f"{column} = %s OR {column} LIKE %s")
        params += [code, f"{code}.%"]
    if not conditions:
        return "(1 = 0)", []
    return "(" + " OR ".join(conditions) + ")", params


def user_covers(user: ScopedUser, code: str) -> bool:
    """True when `code` lies inside the user's scope."""
    if not user.is_authenticated:
        return False
    if user.has_national_scope:
        return True
    return any(code_within(code, scope) for scope in user.scope_area_codes)


def user_scope_q(user: ScopedUser, lookup: str) -> Q | None:
    """The filter for `user`, or None when the user sees everything (national scope)."""
    if user.has_national_scope:
        return None
    return scope_q(user.scope_area_codes, lookup)


_M = TypeVar("_M", bound=models.Model)


class AreaScopedQuerySet(models.QuerySet[_M]):
    """QuerySet for rows that belong to an area; `area_lookup` names the dotted-code column."""

    area_lookup = "area__code"  # code is the PK: no join, and lookups work (area_id__x does not)

    def visible_to(self, user: ScopedUser) -> Self:
        if not user.is_authenticated:
            return self.none()
        condition = user_scope_q(user, self.area_lookup)
        return self if condition is None else self.filter(condition)

    def within(self, code: str) -> Self:
        return self.filter(scope_q([code], self.area_lookup))
