"""Models of the response domain, one module per part of the loop:

- `agencies`: Agency (OPD, Polres, Kodim, Kejari, Kecamatan, ...) and AgencyMember;
- `directives`: Directive (*arahan*) to agencies, DirectiveAssignment (one agency's *tindak
  lanjut*), FollowUp (a progress note) and Evidence (files of follow-ups, recovery activities and
  RAD progress);
- `cases`: ConflictCase through the UU 7/2012 stages, its events, parties, stage history,
  ConflictStatus (*status keadaan konflik*) and RecoveryActivity;
- `timdu`: Timdu with member agencies, ActionPlan (RAD) with activities, and the four-monthly
  PlanReport with one PlanReportEntry per activity;
- `webhooks`: WebhookDelivery, response events sent to the signed webhooks of the early-warning
  subscriptions.
"""

from waspada.response.models.agencies import Agency, AgencyMember
from waspada.response.models.cases import (
    CaseEvent,
    CaseParty,
    CaseStageChange,
    ConflictCase,
    ConflictStatus,
    RecoveryActivity,
)
from waspada.response.models.directives import (
    Directive,
    DirectiveAssignment,
    Evidence,
    FollowUp,
    evidence_path,
)
from waspada.response.models.timdu import (
    ActionPlan,
    PlanActivity,
    PlanReport,
    PlanReportEntry,
    Timdu,
    TimduMember,
)
from waspada.response.models.webhooks import WebhookDelivery

__all__ = [
    "ActionPlan",
    "Agency",
    "AgencyMember",
    "CaseEvent",
    "CaseParty",
    "CaseStageChange",
    "ConflictCase",
    "ConflictStatus",
    "Directive",
    "DirectiveAssignment",
    "Evidence",
    "FollowUp",
    "PlanActivity",
    "PlanReport",
    "PlanReportEntry",
    "RecoveryActivity",
    "Timdu",
    "TimduMember",
    "WebhookDelivery",
    "evidence_path",
]
