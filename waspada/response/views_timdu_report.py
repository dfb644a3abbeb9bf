"""The RAD progress report page /respons/rad/<pk>/laporan/<period>/: one row per activity with
its cumulative realisation (%), budget spent and note, evidence files per row; save as draft,
or save and submit.

Readers of the plan see the page (a submitted report read-only); writing needs "rad.report" in
the Timdu's area or membership of one of its member agencies (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waspada.core.errors import Conflict, InvalidInput
from waspada.core.web import domain_view
from waspada.geo.zones import zone_label
from waspada.response.choices import PlanReportStatus, RadPeriod
from waspada.response.forms_timdu import EvidenceForm, PlanReportForm
from waspada.response.models import ActionPlan, PlanActivity, PlanReport
from waspada.response.selectors import timdu as selectors
from waspada.response.services import timdu as services
from waspada.response.timdu_periods import due_date, period_label, period_start


def reader(request: HttpRequest) -> Any:
    """The user, when they may read response data ("response.view"); 403 otherwise."""
    user = request.user
    if not user.has_role_permission("response.view"):  # type: ignore[union-attr]
        raise PermissionDenied("response.view")
    return user


def period_or_404(period: str) -> str:
    """The period from the URL ("B04", also "b04" or "B.04"), or 404."""
    cleaned = period.upper().replace(".", "")
    if cleaned not in RadPeriod.values:
        raise Http404
    return cleaned


def _page(
    request: HttpRequest,
    plan: ActionPlan,
    period: str,
    report: PlanReport | None,
    activities: list[PlanActivity],
    form: PlanReportForm,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    user = request.user
    timdu = plan.timdu
    previous = selectors.previous_figures(user, plan, period)
    entries = {e.activity_id: e for e in selectors.report_entries(user, report)} if report else {}
    rows = [
        {
            **row,
            "entry": entries.get(row["activity"].pk),
            "previous": previous.get(row["activity"].pk),
        }
        for row in form.rows()
    ]
    for row in rows:
        row["budget_label"] = selectors.rupiah(row["activity"].budget)
        if row["entry"] is not None:
            row["spent_label"] = selectors.rupiah(row["entry"].budget_spent)
        if row["previous"]:
            row["previous_label"] = period_label(row["previous"][2])
    submitted = report is not None and report.status == PlanReportStatus.SUBMITTED
    context = {
        "plan": plan,
        "timdu": timdu,
        "period": period,
        "period_label": period_label(period),
        "period_name": RadPeriod(period).label,
        "period_start": period_start(plan.year, period),
        "due_date": due_date(plan.year, period),
        "report": report,
        "submitted": submitted,
        "form": form,
        "rows": rows,
        "activities": activities,
        "can_report": selectors.can_report_progress(user, timdu) and not submitted,
        "zone": zone_label(timdu.area_id),
        **extra,
    }
    return render(request, "response/timdu/plan_report.html", context, status=status)


def _form_for(
    plan: ActionPlan,
    report: PlanReport | None,
    activities: list[PlanActivity],
    previous: dict[int, tuple[int, int, str]],
) -> PlanReportForm:
    initial = PlanReportForm.initial_for(
        activities,
        list(report.entries.all()) if report else [],
        {k: (v[0], v[1]) for k, v in previous.items()},
        summary=report.summary if report else "",
        version=report.version if report else None,
    )
    return PlanReportForm(activities=activities, initial=initial)


@domain_view
@require_http_methods(["GET", "POST"])
def plan_report(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The report of one period: GET shows it (a form for those who may report); POST
    action=save keeps a draft, action=submit saves and submits, action=evidence adds a file."""
    user = reader(request)
    period = period_or_404(period)
    plan = selectors.get_plan(user, pk)
    report = selectors.plan_report_for_period(user, plan, period)
    activities = selectors.plan_activities(user, plan)
    if request.method != "POST":
        previous = selectors.previous_figures(user, plan, period)
        form = _form_for(plan, report, activities, previous)
        return _page(request, plan, period, report, activities, form)
    if not selectors.can_report_progress(user, plan.timdu):
        raise PermissionDenied("rad.report")
    action = request.POST.get("action", "save")
    if action == "evidence":
        return _add_evidence(request, plan, period, report, activities)
    form = PlanReportForm(request.POST, activities=activities)
    if not form.is_valid():
        return _page(request, plan, period, report, activities, form, status=400)
    entries, order = form.entries()
    try:
        saved = services.save_plan_report(
            plan,
            actor=user,
            period=period,
            summary=form.cleaned_data["summary"],
            entries=entries,
            version=form.cleaned_data.get("version"),
        )
    except InvalidInput as exc:
        form.apply_errors(exc, order)
        return _page(request, plan, period, report, activities, form, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _page(request, plan, period, report, activities, form, status=409)
    if action != "submit":
        messages.success(request, _("Draf laporan %(p)s disimpan.") % {"p": period_label(period)})
        return redirect("response:plan_report", pk=plan.pk, period=period)
    try:
        services.submit_plan_report(saved, actor=user, version=saved.version)
    except (InvalidInput, Conflict) as exc:
        # The draft is saved; show the page again with its new version and the reason.
        data = request.POST.copy()
        data["version"] = str(saved.version)
        form = PlanReportForm(data, activities=activities)
        form.is_valid()
        if isinstance(exc, InvalidInput):
            form.apply_errors(exc, order)
        else:
            form.add_error(None, exc.message)
        report = selectors.plan_report_for_period(user, plan, period)
        status = 400 if isinstance(exc, InvalidInput) else 409
        return _page(request, plan, period, report, activities, form, status=status)
    messages.success(request, _("Laporan %(p)s diajukan.") % {"p": period_label(period)})
    return redirect("response:plan_detail", pk=plan.pk)


def _add_evidence(
    request: HttpRequest,
    plan: ActionPlan,
    period: str,
    report: PlanReport | None,
    activities: list[PlanActivity],
) -> HttpResponse:
    user: Any = request.user
    upload = EvidenceForm(request.POST, request.FILES)
    error = ""
    entry_id = request.POST.get("entry", "")
    if not upload.is_valid():
        error = "; ".join(str(m) for errors in upload.errors.values() for m in errors)
    else:
        entry = selectors.get_report_entry(user, upload.cleaned_data["entry"])
        if report is None or entry.report_id != report.pk:
            raise Http404
        try:
            services.add_plan_evidence(
                entry,
                upload.cleaned_data["file"],
                actor=user,
                keep_location=upload.cleaned_data["keep_location"],
            )
        except InvalidInput as exc:
            error = "; ".join(m for ms in exc.errors.values() for m in ms) or exc.message
        else:
            messages.success(request, _("Bukti diunggah."))
            return redirect("response:plan_report", pk=plan.pk, period=period)
    previous = selectors.previous_figures(user, plan, period)
    form = _form_for(plan, report, activities, previous)
    return _page(
        request,
        plan,
        period,
        report,
        activities,
        form,
        status=400,
        evidence_error=error,
        evidence_entry=str(entry_id),
    )
