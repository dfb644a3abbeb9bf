"""Agencies that receive directives and sit in a Timdu, and the users who act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import AreaScopedQuerySet
from waspada.response.choices import AgencyKind


class AgencyQuerySet(AreaScopedQuerySet["Agency"]):
    area_lookup = "area__code"  # code is the PK: no join


class Agency(models.Model):
    """An agency serving one area: an OPD, the Polres, the Kodim, the Kejari, a kecamatan office.

    Its users (AgencyMember) see and act on what is assigned to the agency, even when the
    directive's area lies above their own scope (a camat acting on a kab/kota directive).
    """

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=16, choices=AgencyKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    contact_name = models.CharField(_("narahubung"), max_length=150, blank=True)
    contact_phone = models.CharField(_("telepon"), max_length=40, blank=True)
    contact_email = models.EmailField(_("surel"), blank=True)
    address = models.TextField(_("alamat"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="uniq_agency_area_name"),
        ]
        indexes = [
            models.Index(
                fields=["area"],
                name="response_agency_area_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class AgencyMember(models.Model):
    """A user who acts for an agency (records its follow-up, its RAD progress)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships"
    )
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="uniq_agency_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.agency_id}"
