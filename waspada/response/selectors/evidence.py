"""Reads of evidence files: a file is visible to whoever may see its owner."""

from __future__ import annotations

from typing import Any

from waspada.core.errors import OutOfScope
from waspada.events.selectors import can_read_classification as cleared
from waspada.response.access import can_read, highest_classification, member_agency_ids
from waspada.response.models import DirectiveAssignment, Evidence


def get_evidence(user: Any, pk: int | str) -> Evidence:
    """One evidence file the user may see. Raises OutOfScope (404) when it is missing, outside
    the user's scope (unless it proves a follow-up of the user's own agency's directive), or
    above their clearance.
    """
    if user is None or not user.is_authenticated or not user.has_role_permission("response.view"):
        raise OutOfScope()
    try:
        evidence = Evidence.objects.select_related(
            "follow_up__assignment__directive",
            "recovery_activity__case",
            "plan_entry__report__plan__timdu",
        ).get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None
    # A file is as classified as its owner is now (a case's classification rises with its
    # events), and never less than it was when it was uploaded.
    owner_level = ""
    if evidence.recovery_activity is not None:
        owner_level = evidence.recovery_activity.case.classification
    elif evidence.follow_up is not None:
        owner_level = evidence.follow_up.assignment.directive.classification
    level = highest_classification(evidence.classification, owner_level)
    if can_read(user, evidence.area_code, level):
        return evidence
    # Agency members see the directives assigned to their agency, evidence included.
    follow_up = evidence.follow_up
    if follow_up is not None and cleared(user, level):
        directive_id = follow_up.assignment.directive_id
        mine = member_agency_ids(user)
        if (
            mine
            and DirectiveAssignment.objects.filter(
                directive_id=directive_id, agency_id__in=mine
            ).exists()
        ):
            return evidence
    # Members of a Timdu's agencies see its RAD progress, evidence included.
    if evidence.plan_entry_id is not None:
        from waspada.response.selectors.timdu import can_see_timdu

        timdu = evidence.plan_entry.report.plan.timdu  # type: ignore[union-attr]
        if can_see_timdu(user, timdu):
            return evidence
    raise OutOfScope(evidence.area_code)
