"""Users, their role and the areas they are assigned to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from waspada.accounts.roles import Role, role_has
from waspada.core.classification import Classification
from waspada.core.scoping import minimal_codes


class User(AbstractUser):
    """A Waspada user: one role and one or more areas; sees those areas and everything below."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OPERATOR)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    # Highest security classification the user may read (biasa < terbatas < rahasia).
    clearance = models.CharField(
        _("izin klasifikasi"),
        max_length=10,
        choices=Classification.choices,
        default="terbatas",
    )
    areas = models.ManyToManyField(
        "geo.Area", through="AreaAssignment", related_name="assigned_users", blank=True
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def has_national_scope(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.NATIONAL_ADMIN)

    @cached_property
    def scope_area_codes(self) -> frozenset[str]:
        """The assigned area codes, without codes already covered by another assignment."""
        if not self.pk or not self.is_active:
            return frozenset()
        codes = self.assignments.values_list("area_id", flat=True)
        return frozenset(minimal_codes(codes))

    @property
    def primary_area_code(self) -> str | None:
        codes = sorted(self.scope_area_codes, key=lambda c: (c.count("."), c))
        return codes[0] if codes else None

    def has_role_permission(self, permission: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return role_has(self.role, permission)


class AreaAssignment(models.Model):
    """A user's assignment to an area (and so to everything below it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="uniq_user_area")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.area_id}"
