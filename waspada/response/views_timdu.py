"""Timdu and RAD pages under /respons/: the Timdus in scope, one Timdu (members, plans), one RAD
(activities by stage, schedule, realisation, period reports, completion overview), the forms
that shape them, and the four-monthly progress report.

Views parse, call selectors and services, and render. Everyone needs "response.view"; a Timdu
the user cannot see is 404; a change the user's role may not make is 403 (the forms are not even
shown). Bad input answers 400 with the messages next to the fields, a stale version 409.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.web import domain_view
from waspada.geo.zones import zone_label
from waspada.response.forms_timdu import (
    ACTIVITY_ALIASES,
    ActivityEditForm,
    ActivityForm,
    MemberForm,
    PlanEditForm,
    PlanForm,
    TimduEditForm,
    TimduForm,
    apply_errors,
)
from waspada.response.models import ActionPlan, Timdu
from waspada.response.selectors import timdu as selectors
from waspada.response.selectors.agencies import agencies_for_area
from waspada.response.services import timdu as services
from waspada.response.timdu_periods import local_today
from waspada.response.views_timdu_report import plan_report
from waspada.response.views_timdu_report import reader as _reader

PER_PAGE = 25
MANAGE = "response.manage"

__all__ = [
    "activity_create",
    "activity_edit",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_report",
    "timdu_create",
    "timdu_detail",
    "timdu_edit",
    "timdu_list",
    "timdu_member",
]


def _manager_of(request: HttpRequest, timdu: Timdu) -> Any:
    if not selectors.can_manage_timdu(request.user, timdu):
        raise PermissionDenied(MANAGE)
    return request.user


# ---------------------------------------------------------------- Timdus


@domain_view
def timdu_list(request: HttpRequest) -> HttpResponse:
    """The Timdus in the user's scope with their current RAD's realisation and flags, and the
    RADs whose period reports are missing or due."""
    user = _reader(request)
    filters = {"area": request.GET.get("area", ""), "q": request.GET.get("q", "")}
    status = 200
    try:
        timdus = selectors.list_timdus(user, filters)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        timdus, status = selectors.list_timdus(user), 400
    page = Paginator(timdus, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "response/timdu/timdu_list.html",
        {
            "page": page,
            "rows": selectors.timdu_rows(user, page.object_list),
            "needing": selectors.plans_needing_reports(user),
            "filters": filters,
            "can_create": user.has_role_permission(MANAGE),
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def timdu_create(request: HttpRequest) -> HttpResponse:
    """Form a Timdu for a provinsi or kab/kota in the user's scope."""
    user = _reader(request)
    if not user.has_role_permission(MANAGE):
        raise PermissionDenied(MANAGE)
    if request.method != "POST":
        form = TimduForm(initial={"area": user.primary_area_code or ""})
        return render(request, "response/timdu/timdu_form.html", {"form": form})
    form = TimduForm(request.POST)
    status = 400
    existing = None
    if form.is_valid():
        try:
            timdu = services.create_timdu(actor=user, **form.service_kwargs())
        except OutOfScope:
            form.add_error("area", _("Wilayah ini di luar cakupan Anda atau tidak dikenal."))
        except InvalidInput as exc:
            apply_errors(form, exc, {"area_code": "area"})
        except Conflict as exc:
            form.add_error(None, exc.message)
            existing, status = exc.params.get("existing_id"), 409
        else:
            messages.success(request, _("Timdu dibentuk. Tambahkan instansi anggotanya."))
            return redirect("response:timdu_detail", pk=timdu.pk)
    return render(
        request,
        "response/timdu/timdu_form.html",
        {"form": form, "existing_id": existing},
        status=status,
    )


def _detail_context(request: HttpRequest, timdu: Timdu, **extra: Any) -> dict[str, Any]:
    user = request.user
    can_manage = selectors.can_manage_timdu(user, timdu)
    agencies = agencies_for_area(user, timdu.area_id) if can_manage else []
    plans = list(selectors.list_plans(user, {"timdu": timdu.pk}))
    return {
        "timdu": timdu,
        "members": selectors.timdu_members(user, timdu),
        "plans": plans,
        "can_manage": can_manage,
        "member_form": extra.pop("member_form", None) or MemberForm(agencies=agencies),
        "zone": zone_label(timdu.area_id),
        **extra,
    }


@domain_view
def timdu_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One Timdu: its decree, member agencies and roles, and its RADs by year."""
    user = _reader(request)
    timdu = selectors.get_timdu(user, pk)
    return render(request, "response/timdu/timdu_detail.html", _detail_context(request, timdu))


@domain_view
@require_http_methods(["GET", "POST"])
def timdu_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the Timdu's name, chair or decree."""
    user = _reader(request)
    timdu = selectors.get_timdu(user, pk)
    _manager_of(request, timdu)
    if request.method != "POST":
        form = TimduEditForm(
            initial={
                "name": timdu.name,
                "chair": timdu.chair,
                "decree_number": timdu.decree_number,
                "decree_date": timdu.decree_date,
                "version": timdu.version,
            }
        )
        return render(request, "response/timdu/timdu_form.html", {"form": form, "timdu": timdu})
    form = TimduEditForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.update_timdu(timdu, actor=user, **form.service_kwargs())
        except InvalidInput as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Perubahan Timdu disimpan."))
            return redirect("response:timdu_detail", pk=timdu.pk)
    return render(
        request, "response/timdu/timdu_form.html", {"form": form, "timdu": timdu}, status=status
    )


@domain_view
@require_POST
def timdu_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a member agency or change its role (POST agency, role), or take it out (POST agency,
    remove=1)."""
    user = _reader(request)
    timdu = selectors.get_timdu(user, pk)
    _manager_of(request, timdu)
    if request.POST.get("remove"):
        try:
            services.remove_member(timdu, actor=user, agency_id=request.POST.get("agency", ""))
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Instansi dikeluarkan dari Timdu."))
        return redirect("response:timdu_detail", pk=timdu.pk)
    form = MemberForm(request.POST, agencies=agencies_for_area(user, timdu.area_id))
    if form.is_valid():
        try:
            services.set_member(
                timdu,
                actor=user,
                agency_id=form.cleaned_data["agency"],
                role=form.cleaned_data["role"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc, {"agency_id": "agency"})
        else:
            messages.success(request, _("Anggota Timdu disimpan."))
            return redirect("response:timdu_detail", pk=timdu.pk)
    context = _detail_context(request, timdu, member_form=form)
    return render(request, "response/timdu/timdu_detail.html", context, status=400)


# ---------------------------------------------------------------- plans


@domain_view
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the Timdu's RAD for a year (as a draft)."""
    user = _reader(request)
    timdu = selectors.get_timdu(user, pk)
    _manager_of(request, timdu)
    context: dict[str, Any] = {"timdu": timdu}
    if request.method != "POST":
        year = local_today(timdu.area_id).year
        context["form"] = PlanForm(initial={"year": year, "title": f"RAD {timdu.name} {year}"})
        return render(request, "response/timdu/plan_form.html", context)
    form = PlanForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            plan = services.create_plan(timdu, actor=user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            context["existing_id"], status = exc.params.get("existing_id"), 409
        else:
            messages.success(request, _("RAD dibuat sebagai draf. Tambahkan kegiatannya."))
            return redirect("response:plan_detail", pk=plan.pk)
    context["form"] = form
    return render(request, "response/timdu/plan_form.html", context, status=status)


@domain_view
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One RAD: activities by stage with agency, target, budget, schedule and realisation; the
    period reports B.04/B.08/B.12 with their state; the completion overview."""
    user = _reader(request)
    plan = selectors.get_plan(user, pk)
    overview = selectors.plan_overview(user, plan)
    timdu = plan.timdu
    return render(
        request,
        "response/timdu/plan_detail.html",
        {
            "plan": plan,
            "timdu": timdu,
            "overview": overview,
            "can_manage": selectors.can_manage_timdu(user, timdu),
            "can_report": selectors.can_report_progress(user, timdu),
            "zone": zone_label(timdu.area_id),
            "month_range": range(1, 13),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a RAD's title, year (while a draft) or status (draft -> active -> closed)."""
    user = _reader(request)
    plan = selectors.get_plan(user, pk)
    _manager_of(request, plan.timdu)
    context: dict[str, Any] = {"plan": plan, "timdu": plan.timdu}
    if request.method != "POST":
        context["form"] = PlanEditForm(
            current_status=plan.status,
            initial={
                "year": plan.year,
                "title": plan.title,
                "status": plan.status,
                "version": plan.version,
            },
        )
        return render(request, "response/timdu/plan_form.html", context)
    form = PlanEditForm(request.POST, current_status=plan.status, initial={"year": plan.year})
    status = 400
    if form.is_valid():
        try:
            services.update_plan(plan, actor=user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Perubahan RAD disimpan."))
            return redirect("response:plan_detail", pk=plan.pk)
    context["form"] = form
    return render(request, "response/timdu/plan_form.html", context, status=status)


# ---------------------------------------------------------------- activities


def _activity_page(
    request: HttpRequest, plan: ActionPlan, form: ActivityForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"plan": plan, "timdu": plan.timdu, "form": form, **extra}
    return render(request, "response/timdu/activity_form.html", context, status=status)


@domain_view
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an activity to a RAD."""
    user = _reader(request)
    plan = selectors.get_plan(user, pk)
    _manager_of(request, plan.timdu)
    agencies = agencies_for_area(user, plan.timdu.area_id)
    if request.method != "POST":
        form = ActivityForm(agencies=agencies, initial={"stage": request.GET.get("tahap", "")})
        return _activity_page(request, plan, form)
    form = ActivityForm(request.POST, agencies=agencies)
    if form.is_valid():
        try:
            services.add_activity(plan, actor=user, **form.service_kwargs())
        except InvalidInput as exc:
            apply_errors(form, exc, ACTIVITY_ALIASES)
        else:
            messages.success(request, _("Kegiatan ditambahkan."))
            if request.POST.get("again"):
                return redirect(reverse("response:activity_create", kwargs={"pk": plan.pk}))
            return redirect("response:plan_detail", pk=plan.pk)
    return _activity_page(request, plan, form, status=400)


@domain_view
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity, or remove it (POST remove=1) while no submitted report gives its
    progress."""
    user = _reader(request)
    activity = selectors.get_activity(user, pk)
    plan = activity.plan
    _manager_of(request, plan.timdu)
    agencies = agencies_for_area(user, plan.timdu.area_id)
    if activity.agency_id not in {a.pk for a in agencies}:
        agencies = [activity.agency, *agencies]  # keep the current one selectable
    extra: dict[str, Any] = {"activity": activity}
    if request.method != "POST":
        form = ActivityEditForm(agencies=agencies, initial=ActivityForm.initial_for(activity))
        return _activity_page(request, plan, form, **extra)
    if request.POST.get("remove"):
        try:
            services.remove_activity(activity, actor=user, version=request.POST.get("version"))
        except InvalidInput as exc:
            messages.error(request, exc.message)
            return redirect("response:activity_edit", pk=activity.pk)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("response:activity_edit", pk=activity.pk)
        messages.success(request, _("Kegiatan dihapus."))
        return redirect("response:plan_detail", pk=plan.pk)
    form = ActivityEditForm(request.POST, agencies=agencies)
    status = 400
    if form.is_valid():
        try:
            services.update_activity(
                activity, actor=user, version=form.cleaned_data["version"], **form.service_kwargs()
            )
        except InvalidInput as exc:
            apply_errors(form, exc, ACTIVITY_ALIASES)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect("response:plan_detail", pk=plan.pk)
    return _activity_page(request, plan, form, status=status, **extra)
