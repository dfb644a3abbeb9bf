"""Reads of situation reports, always through the viewer's area scope and clearance.

A report is visible when its area lies inside the viewer's scope and the viewer's role may read
reports ("reports.view"). Its items are filtered by clearance as everywhere else
(`events.selectors.visible_items`): a *rahasia* item does not exist for a viewer not cleared for
it, neither in the report's item list nor in its item count.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from waspada.core.errors import InvalidInput
from waspada.core.scoping import user_covers
from waspada.events.choices import ItemStatus
from waspada.events.models import Item
from waspada.events.selectors import allowed_classifications, visible_items, with_item_details
from waspada.reports.models import SituationReport

# Withdrawn items stay in the database (and the audit log) but are no longer part of the report.
LISTED_ITEM_STATUSES = [s for s in ItemStatus.values if s != ItemStatus.WITHDRAWN]


def _reports() -> QuerySet[SituationReport]:
    # The scoped manager is typed for any model; the rows are situation reports.
    return cast("QuerySet[SituationReport]", SituationReport.objects.all())


def visible_reports(user: Any) -> QuerySet[SituationReport]:
    """The reports `user` may see (no ordering or joins added); none for anonymous users and
    roles without "reports.view"."""
    if user is None or not user.is_authenticated or not user.has_role_permission("reports.view"):
        return _reports().none()
    return cast("QuerySet[SituationReport]", SituationReport.objects.visible_to(user))


def visible_report(user: Any, pk: int | str) -> SituationReport:
    """One report by id, as it is (no details), for writes that need only the row; Http404 when
    missing or outside the viewer's scope.

    The same rule as `visible_reports`, checked on the row: one plain SELECT by primary key (the
    item create runs it on every item, and building the scoped query costs more than running it).
    """
    if user is None or not user.is_authenticated or not user.has_role_permission("reports.view"):
        raise Http404
    try:
        number = int(pk)
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if not 0 < number < 2**63:  # outside the id column's range: no such report (as the ORM says)
        raise Http404
    report = next(iter(SituationReport.objects.raw(_report_sql(connection.vendor), [number])), None)
    if report is None or not user_covers(user, report.area_id):
        raise Http404
    return report


@functools.cache
def _report_sql(vendor: str) -> str:
    meta = SituationReport._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in meta.concrete_fields)
    pk = quote(str(meta.get_field("id").column))
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {pk} = %s"  # noqa: S608 (our names)


def with_report_details(user: Any, qs: QuerySet[SituationReport]) -> QuerySet[SituationReport]:
    """Join area and people, and count the items the viewer is cleared for (`item_count`)."""
    counted = Q(items__classification__in=allowed_classifications(user)) & Q(
        items__status__in=LISTED_ITEM_STATUSES
    )
    return qs.select_related("area", "created_by", "verified_by").annotate(
        item_count=Count("items", filter=counted)
    )


def get_report(user: Any, pk: int | str) -> SituationReport:
    """One report with its details; Http404 when missing or outside the viewer's scope."""
    try:
        return with_report_details(user, visible_reports(user)).get(pk=pk)
    except (SituationReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def list_reports(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[SituationReport]:
    """Visible reports narrowed by `ReportFilter` (area and below, period, type, status, nihil,
    text), newest period first. Raises InvalidInput with per-field messages for a bad filter."""
    from waspada.reports.filters import ReportFilter  # the filter module imports this one

    qs = with_report_details(user, visible_reports(user)).order_by(
        "-period_start", "area_id", "-id"
    )
    if not filters:
        return qs
    filterset = ReportFilter(filters, queryset=qs)
    if not filterset.is_valid():
        raise InvalidInput(
            "Filter tidak valid.",
            {k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    return cast("QuerySet[SituationReport]", filterset.qs)


def report_items(user: Any, report: SituationReport) -> QuerySet[Item]:
    """The report's items (not withdrawn) the viewer is cleared for, oldest first, with details.

    The caller got `report` from `get_report` (so it is in scope)."""
    qs = with_item_details(
        visible_items(user).filter(report=report, status__in=LISTED_ITEM_STATUSES)
    )
    return qs.prefetch_related("attachments").order_by("occurred_at", "id")
