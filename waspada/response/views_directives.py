"""Directive pages under /respons/: the overview, the list, a new directive (on an alert, an
event, a case or an area), one directive with its agencies' follow-up, edit and cancel, and the
follow-up form (posted with HTMX, or as a normal form).

Views parse, call one selector or service and render. A directive the viewer may not see is 404;
a role that may not is 403; a stale version is answered 409 with the message on the page. Times
are shown in the directive's area zone (WIB/WITA/WIT).
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import can
from waspada.core.web import domain_view
from waspada.events.attachments import ACCEPT_ATTRIBUTE
from waspada.geo.selectors import get_area
from waspada.geo.zones import zone_for, zone_label
from waspada.response.choices import DirectiveStatus
from waspada.response.filters_directives import DirectiveFilter
from waspada.response.forms_directives import (
    CancelForm,
    DirectiveEditForm,
    DirectiveForm,
    FollowUpForm,
    default_due_date,
)
from waspada.response.models import Directive, DirectiveAssignment
from waspada.response.selectors import directives as selectors
from waspada.response.selectors.agencies import agencies_for_area
from waspada.response.services import directives as services

PER_PAGE = 25
LIST_FILTERS = ("q", "status", "overdue", "area", "agency", "priority")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _viewer(request: HttpRequest) -> Any:
    """The signed-in user, who must have "response.view" (403 otherwise)."""
    user: Any = request.user
    if not user.has_role_permission(selectors.VIEW_PERMISSION):
        raise PermissionDenied(selectors.VIEW_PERMISSION)
    return user


def _zone(directive: Directive) -> dict[str, Any]:
    return {"zone": zone_label(directive.area_id), "tz": zone_for(directive.area_id)}


# ---------------------------------------------------------------- overview and list


@domain_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """/respons/: what is assigned to my agencies and still open (overdue first), directives I
    issued that are open, overdue directives in my scope, and counts."""
    from waspada.response.selectors.cases import statuses_in_force, visible_cases
    from waspada.response.selectors.timdu_overview import plans_needing_reports

    user = _viewer(request)
    return render(
        request,
        "response/home.html",
        {
            "overview": selectors.response_overview(user),
            "statuses": list(statuses_in_force(user)[:10]),
            "active_cases": visible_cases(user).filter(status="active").count(),
            "plan_flags": plans_needing_reports(user)[:10],
        },
    )


@domain_view
@require_GET
def directive_list(request: HttpRequest) -> HttpResponse:
    """Directives the user can see, with the shared DirectiveFilter, overdue first."""
    user = _viewer(request)
    query = request.GET.copy()
    query.pop("page", None)
    filterset = DirectiveFilter(
        query or None, queryset=selectors.visible_directives(user), viewer=user
    )
    errors = False
    try:
        directives = selectors.list_directives(user, query)
    except InvalidInput:
        errors = True
        directives = selectors.visible_directives(user).none()
    page = Paginator(directives, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "response/directives/directive_list.html",
        {
            "filter": filterset,
            "list_filters": LIST_FILTERS,
            "filter_errors": errors,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(query),
            "can_direct": user.has_role_permission(services.DIRECT_PERMISSION),
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- new directive


def _subject(request: HttpRequest, user: Any) -> dict[str, Any]:
    """The alert, event or case (from the query string) the directive is about, and its area.
    An unknown or hidden subject is 404."""
    from waspada.events.selectors import get_event
    from waspada.warnings.alert_selectors import get_alert

    params = request.GET
    subject: dict[str, Any] = {"alert": None, "event": None, "case": None, "area_code": ""}
    if params.get("alert"):
        subject["alert"] = get_alert(user, params["alert"])
        subject["area_code"] = subject["alert"].area_id
    elif params.get("event"):
        subject["event"] = get_event(user, params["event"])
        subject["area_code"] = subject["event"].area_id
    elif params.get("case"):
        subject["case"] = selectors.get_case_subject(user, params["case"])
        subject["area_code"] = subject["case"].area_id
    else:
        subject["area_code"] = (params.get("area") or "").strip() or (user.primary_area_code or "")
    return subject


def _suggested_title(subject: dict[str, Any]) -> str:
    if subject["alert"] is not None:
        alert = subject["alert"]
        return _("Tindak lanjut peringatan %(level)s %(area)s") % {
            "level": alert.get_level_display(),
            "area": alert.area.name,
        }
    if subject["event"] is not None:
        return _("Tindak lanjut: %(title)s") % {"title": subject["event"].title}
    if subject["case"] is not None:
        return _("Penanganan kasus: %(title)s") % {"title": subject["case"].title}
    return ""


def _create_page(
    request: HttpRequest,
    *,
    form: DirectiveForm | None,
    subject: dict[str, Any],
    area: Any,
    agencies: list[Any],
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "response/directives/directive_form.html",
        {
            "form": form,
            "subject": subject,
            "area": area,
            "agencies": agencies,
            "zone": zone_label(subject["area_code"]),
            "action": request.get_full_path(),
            "can_manage_agencies": bool(
                area is not None and can(user, "response.manage", area.code)
            ),
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def directive_create(request: HttpRequest) -> HttpResponse:
    """A new directive: `?alert=<id>`, `?event=<id>`, `?case=<id>` or `?area=<code>` (default:
    the user's own area). Agencies of the area are checkboxes grouped by area."""
    user = _viewer(request)
    if not user.has_role_permission(services.DIRECT_PERMISSION):
        raise PermissionDenied(services.DIRECT_PERMISSION)
    subject = _subject(request, user)
    area_code = subject["area_code"]
    if not area_code:
        return _create_page(request, form=None, subject=subject, area=None, agencies=[])
    area = get_area(user, area_code)  # 404 outside the user's scope
    agencies = agencies_for_area(user, area.code)
    event, case = subject["event"], subject["case"]
    minimum = services.highest_classification(
        event.classification if event is not None else None,
        case.classification if case is not None else None,
    )
    form_kwargs = {"agencies": agencies, "user": user, "minimum_classification": minimum}
    if request.method != "POST":
        form = DirectiveForm(
            initial={
                "title": _suggested_title(subject),
                "due_date": default_due_date(services.local_today(area.code)),
                "priority": "normal",
                "classification": minimum,
            },
            **form_kwargs,
        )
        return _create_page(request, form=form, subject=subject, area=area, agencies=agencies)
    form = DirectiveForm(request.POST, **form_kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.issue_directive(
                actor=user,
                area_code=area.code,
                alert=subject["alert"],
                event=event,
                case=case,
                title=data["title"],
                instruction=data["instruction"],
                due_date=data["due_date"],
                priority=data["priority"],
                agency_ids=data["agencies"],
                classification=data["classification"],
            )
        except InvalidInput as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                _("Arahan %(ref)s dikirim ke %(n)s instansi.")
                % {"ref": directive.reference, "n": len(data["agencies"])},
            )
            return redirect("response:directive_detail", pk=directive.pk)
    return _create_page(
        request, form=form, subject=subject, area=area, agencies=agencies, status=400
    )


# ---------------------------------------------------------------- one directive


def _follow_up_form(row: selectors.AssignmentView, data: Any = None) -> FollowUpForm:
    assignment = row.assignment
    return FollowUpForm(
        data,
        current_status=assignment.status,
        initial={"version": assignment.version, "progress": assignment.progress},
        auto_id=f"fu{assignment.pk}_%s",
    )


def _detail_context(
    request: HttpRequest,
    directive: Directive,
    *,
    forms: dict[int, FollowUpForm] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    user: Any = request.user
    detail = selectors.directive_detail(user, directive)
    given = forms or {}
    for row in detail.assignments:
        if row.can_act:
            row.form = given.get(row.assignment.pk) or _follow_up_form(row)
    return {
        "directive": directive,
        "detail": detail,
        "accept": ACCEPT_ATTRIBUTE,
        "cancel_form": extra.pop("cancel_form", None)
        or CancelForm(initial={"version": directive.version}),
        **_zone(directive),
        **extra,
    }


@domain_view
@require_GET
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The directive, an overdue banner, each agency's status and progress, the follow-up
    history with evidence, and the follow-up form for each agency the viewer acts for."""
    user = _viewer(request)
    directive = selectors.get_directive(user, pk)
    return render(
        request,
        "response/directives/directive_detail.html",
        _detail_context(request, directive),
    )


@domain_view
@require_http_methods(["GET", "POST"])
def directive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title, instruction, due date or priority of an open directive."""
    user = _viewer(request)
    directive = selectors.get_directive(user, pk)
    if not selectors.can_direct(user, directive):
        raise PermissionDenied(services.DIRECT_PERMISSION)
    context: dict[str, Any] = {"directive": directive, **_zone(directive)}
    if directive.status != DirectiveStatus.OPEN:
        messages.info(request, _("Arahan yang sudah selesai atau dibatalkan tidak dapat diubah."))
        return redirect("response:directive_detail", pk=directive.pk)
    if request.method != "POST":
        form = DirectiveEditForm(
            initial={
                "version": directive.version,
                "title": directive.title,
                "instruction": directive.instruction,
                "due_date": directive.due_date,
                "priority": directive.priority,
            }
        )
        return render(request, "response/directives/directive_edit.html", {**context, "form": form})
    form = DirectiveEditForm(request.POST)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_directive(directive, actor=user, version=version, **data)
        except InvalidInput as exc:
            form.apply_errors(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Arahan diperbarui."))
            return redirect("response:directive_detail", pk=directive.pk)
    return render(
        request,
        "response/directives/directive_edit.html",
        {**context, "form": form},
        status=status,
    )


@domain_view
@require_POST
def directive_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an open directive, with a reason (whoever may direct in its area)."""
    user = _viewer(request)
    directive = selectors.get_directive(user, pk)
    if not selectors.can_direct(user, directive):
        raise PermissionDenied(services.DIRECT_PERMISSION)
    form = CancelForm(request.POST)
    conflict = ""
    status = 400
    if form.is_valid():
        try:
            services.cancel_directive(
                directive,
                actor=user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            form.apply_errors(exc)
        except Conflict as exc:
            conflict, status = exc.message, 409
        else:
            messages.success(request, _("Arahan dibatalkan."))
            return redirect("response:directive_detail", pk=directive.pk)
    directive = selectors.get_directive(user, pk)
    return render(
        request,
        "response/directives/directive_detail.html",
        _detail_context(request, directive, cancel_form=form, conflict=conflict),
        status=status,
    )


# ---------------------------------------------------------------- follow-up


def _row_for(
    request: HttpRequest, directive: Directive, assignment: DirectiveAssignment
) -> selectors.AssignmentView:
    detail = selectors.directive_detail(request.user, directive)
    for row in detail.assignments:
        if row.assignment.pk == assignment.pk:
            return row
    raise OutOfScope()


@domain_view
@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a follow-up of one agency (status, progress, note, files). HTMX gets the agency's
    block back (with the form's messages, answered 200 so htmx swaps it); a normal POST is
    redirected to the directive, or gets the page again with the messages (400/409)."""
    user = _viewer(request)
    assignment = selectors.get_assignment(user, pk)
    directive = selectors.get_directive(user, assignment.directive_id)
    if not selectors.may_act_for(user, assignment, directive):
        raise PermissionDenied(services.ACT_PERMISSION)
    form = FollowUpForm(
        request.POST, current_status=assignment.status, auto_id=f"fu{assignment.pk}_%s"
    )
    conflict = ""
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_follow_up(
                assignment,
                actor=user,
                version=data["version"],
                status=data["status"],
                note=data["note"],
                progress=data["progress"],
                reason=data["reason"],
                files=request.FILES.getlist("files"),
                keep_location=data["keep_location"],
            )
        except InvalidInput as exc:
            form.apply_errors(exc, {"file": "note", "files": "note"})
        except Conflict as exc:
            conflict, status = exc.message, 409
        else:
            return _after_follow_up(request, directive, assignment)
    directive = selectors.get_directive(user, directive.pk)
    if _is_htmx(request):
        row = _row_for(request, directive, assignment)
        if row.can_act:
            row.form = form if not conflict else _follow_up_form(row)
        # htmx swaps only 2xx answers: the form's messages come back with 200.
        return render(
            request,
            "response/directives/_assignment.html",
            {
                "row": row,
                "directive": directive,
                "accept": ACCEPT_ATTRIBUTE,
                "conflict": conflict,
                **_zone(directive),
            },
        )
    # After a conflict the form starts again from the current version (the message says why).
    forms = None if conflict else {assignment.pk: form}
    context = _detail_context(request, directive, forms=forms, conflict=conflict)
    return render(request, "response/directives/directive_detail.html", context, status=status)


def _after_follow_up(
    request: HttpRequest, directive: Directive, assignment: DirectiveAssignment
) -> HttpResponse:
    url = reverse("response:directive_detail", args=[directive.pk])
    saved = _("Tindak lanjut %(agency)s dicatat.") % {"agency": assignment.agency.name}
    fresh = selectors.get_directive(request.user, directive.pk)
    if not _is_htmx(request):
        messages.success(request, saved)
        return redirect(url)
    if fresh.status != directive.status:
        # The directive itself changed (completed): reload the whole page.
        messages.success(request, saved)
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    row = _row_for(request, fresh, assignment)
    if row.can_act:
        row.form = _follow_up_form(row)
    return render(
        request,
        "response/directives/_assignment.html",
        {
            "row": row,
            "directive": fresh,
            "accept": ACCEPT_ATTRIBUTE,
            "saved": saved,
            **_zone(fresh),
        },
    )
