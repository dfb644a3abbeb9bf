"""Roles and what each may do. Scope (which areas) is separate: see `core.scoping`.

A permission here says *what* a role may do; `core.permissions.ensure_can` adds *where*.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator (pelapor)")
    ANALYST = "analyst", _("Analis/verifikator")
    LEADER = "leader", _("Pimpinan")
    TIMDU = "timdu", _("Anggota Timdu")
    FKDM = "fkdm", _("Anggota FKDM")
    AREA_ADMIN = "area_admin", _("Admin wilayah")
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")


# Higher ranks may grant lower roles; an area admin cannot create a national admin.
RANK: dict[str, int] = {
    Role.FKDM: 1,
    Role.OPERATOR: 1,
    Role.TIMDU: 1,
    Role.ANALYST: 2,
    Role.LEADER: 2,
    Role.AREA_ADMIN: 3,
    Role.NATIONAL_ADMIN: 4,
}

# Situation reports: read, file (create and submit), review (return and verify).
_REPORT_READ = {"reports.view"}
_REPORT_FILE = {"reports.view", "reports.create", "reports.submit"}

# Response (issue 5): view what is in scope; direct (issue directives); act (record the follow-up
# of an agency one belongs to); coordinate (record follow-up for any agency in scope, on its
# behalf); manage (agencies, Timdu, RAD structure); cases (open and move conflict cases, record a
# status keadaan konflik); rad.report (fill in and submit RAD progress reports).
_RESPONSE_VIEW = {"response.view"}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OPERATOR: frozenset(
        {"areas.view", "users.view", *_REPORT_FILE, *_RESPONSE_VIEW, "response.act"}
    ),
    Role.FKDM: frozenset({"areas.view"}),
    Role.TIMDU: frozenset(
        {
            "areas.view",
            "users.view",
            *_REPORT_READ,
            *_RESPONSE_VIEW,
            "response.act",
            "rad.report",
        }
    ),
    Role.ANALYST: frozenset(
        {
            "areas.view",
            "users.view",
            "audit.view",
            *_REPORT_FILE,
            "reports.verify",
            *_RESPONSE_VIEW,
            "response.direct",
            "response.act",
            "response.coordinate",
            "response.manage",
            "cases.manage",
            "rad.report",
            "briefs.letterhead",
        }
    ),
    Role.LEADER: frozenset(
        {
            "areas.view",
            "users.view",
            "audit.view",
            *_REPORT_READ,
            *_RESPONSE_VIEW,
            "response.direct",
            "cases.manage",
        }
    ),
    Role.AREA_ADMIN: frozenset(
        {
            "areas.view",
            "users.view",
            "users.manage",
            "audit.view",
            *_REPORT_FILE,
            *_RESPONSE_VIEW,
            "response.coordinate",
            "response.manage",
            "rad.report",
            "briefs.letterhead",
        }
    ),
    Role.NATIONAL_ADMIN: frozenset(
        {
            "areas.view",
            "users.view",
            "users.manage",
            "audit.view",
            "taxonomy.manage",
            *_REPORT_READ,
            *_RESPONSE_VIEW,
            "response.manage",
            "briefs.letterhead",
        }
    ),
}


def role_has(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())


def can_grant(actor_role: str, role: str) -> bool:
    """An admin may give roles up to and including its own rank."""
    return RANK.get(role, 99) <= RANK.get(actor_role, 0)
