"""Conflict-case pages under /respons/kasus/: the list, opening a case (from an event), the case
with its stage stepper, events, parties, status keadaan konflik and recovery activities, and the
forms that move, close, declare, extend, revoke and record recovery.

Views parse, call one selector or service, and render. A case the viewer may not see is 404; a
role that may not change it gets 403 on the write pages; bad input is shown next to the fields
(400) and a stale version says so (409).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waspada.accounts.models import User
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.web import domain_view
from waspada.events import selectors as event_selectors
from waspada.geo.zones import zone_for, zone_label
from waspada.response.choices import CaseStage
from waspada.response.filters_cases import CaseFilter
from waspada.response.forms_cases import (
    CaseEditForm,
    CaseForm,
    CloseForm,
    EvidenceForm,
    PartyFormSet,
    RecoveryForm,
    StageForm,
    StatusDeclareForm,
    StatusExtendForm,
    StatusRevokeForm,
)
from waspada.response.models import ConflictCase, RecoveryActivity
from waspada.response.selectors import cases as selectors
from waspada.response.selectors.agencies import agencies_for_area
from waspada.response.services import cases as services
from waspada.response.services.conflict_statuses import extension_max_days, max_days

CASES_PER_PAGE = 25
EVENT_CHOICES = 100
MANAGE_PERMISSION = "cases.manage"
VIEW_PERMISSION = "response.view"


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _ensure_viewer(user: User) -> None:
    if not user.has_role_permission(VIEW_PERMISSION):
        raise PermissionDenied(VIEW_PERMISSION)


def _ensure_manager(user: User, case: ConflictCase) -> None:
    if not selectors.can_manage(user, case):
        raise PermissionDenied(MANAGE_PERMISSION)


def _terms(user: User, axis: str) -> list[tuple[Any, Any]]:
    return [
        (t.code, t.label)
        for t in event_selectors.list_terms(user, axis=axis, include_inactive=False)
    ]


def _event_choices(user: User, area_code: str, selected: list[int]) -> list[tuple[Any, Any]]:
    """Visible events of the area (newest first), plus the ones already selected."""
    found: dict[int, Any] = {}
    if area_code:
        try:
            for event in event_selectors.list_events(user, {"area": area_code})[:EVENT_CHOICES]:
                found[event.pk] = event
        except InvalidInput:
            pass
    missing = [pk for pk in selected if pk not in found]
    if missing:
        for event in event_selectors.visible_events(user).filter(pk__in=missing):
            found[event.pk] = event
    return [(pk, f"{e.reference} · {e.title} ({e.area_id})") for pk, e in found.items()]


def _selected_events(data: Any) -> list[int]:
    picked: list[int] = []
    for raw in data.getlist("events") if hasattr(data, "getlist") else []:
        try:
            picked.append(int(raw))
        except (TypeError, ValueError):
            continue
    return picked


# ---------------------------------------------------------------- list


@domain_view
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases in the viewer's scope and clearance, newest first, with filters."""
    user = _user(request)
    _ensure_viewer(user)
    query = request.GET.copy()
    query.pop("page", None)
    filterset = CaseFilter(query or None, queryset=selectors.visible_cases(user).none())
    errors = False
    try:
        cases = selectors.list_cases(user, query)
    except InvalidInput:
        errors = True
        cases = selectors.list_cases(user).none()
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "response/cases/case_list.html",
        {
            "filter": filterset,
            "filter_errors": errors,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(query),
            "can_open": user.has_role_permission(MANAGE_PERMISSION),
            "ending_soon": selectors.statuses_ending_soon(user),
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- open a case


def _create_page(
    request: HttpRequest, form: CaseForm, parties: Any, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "response/cases/case_form.html",
        {"form": form, "parties": parties, "creating": True},
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case: `?event=<id>` prefills the title, the area and the event."""
    user = _user(request)
    if not user.has_role_permission(MANAGE_PERMISSION):
        raise PermissionDenied(MANAGE_PERMISSION)
    root_causes = _terms(user, "uu7_source")
    party_types = _terms(user, "actor_type")
    if request.method != "POST":
        initial: dict[str, Any] = {"area": user.primary_area_code or ""}
        selected: list[int] = []
        if request.GET.get("event"):
            event = event_selectors.get_event(user, request.GET["event"])
            initial = {"title": event.title, "area": event.area_id, "events": [event.pk]}
            selected = [event.pk]
        form = CaseForm(
            initial=initial,
            events=_event_choices(user, initial["area"], selected),
            root_causes=root_causes,
        )
        return _create_page(request, form, PartyFormSet(party_types=party_types, prefix="parties"))
    area = (request.POST.get("area") or "").strip()
    form = CaseForm(
        request.POST,
        events=_event_choices(user, area, _selected_events(request.POST)),
        root_causes=root_causes,
    )
    parties = PartyFormSet(request.POST, party_types=party_types, prefix="parties")
    if not (form.is_valid() and parties.is_valid()):
        return _create_page(request, form, parties, status=400)
    indexes, rows = parties.rows()
    data = form.cleaned_data
    try:
        case = services.open_case(
            actor=user,
            area_code=data["area"],
            event_ids=data["events"],
            title=data["title"],
            summary=data.get("summary") or "",
            root_cause=data.get("root_cause") or None,
            parties=rows,
        )
    except OutOfScope:
        form.add_error("area", _("Wilayah ini di luar cakupan Anda."))
        return _create_page(request, form, parties, status=400)
    except InvalidInput as exc:
        form.apply_errors(exc)
        parties.apply_errors(exc, indexes)
        return _create_page(request, form, parties, status=400)
    messages.success(request, _("Kasus %(ref)s dibuka.") % {"ref": case.reference})
    return redirect("response:case_detail", pk=case.pk)


# ---------------------------------------------------------------- the case


def _case_page(
    request: HttpRequest,
    case: ConflictCase,
    *,
    status: int = 200,
    conflict: str = "",
    **forms: Any,
) -> HttpResponse:
    user = _user(request)
    detail = selectors.case_detail(user, case)
    in_force = detail.in_force
    head_version = in_force.head.version if in_force else 0
    context = {
        "case": case,
        "detail": detail,
        "stages": [
            {"value": value, "label": label, "index": index}
            for index, (value, label) in enumerate(CaseStage.choices)
        ],
        "stage_index": list(CaseStage.values).index(case.stage),
        "stage_form": forms.get("stage_form")
        or StageForm(initial={"version": case.version}, current=case.stage),
        "close_form": forms.get("close_form") or CloseForm(initial={"version": case.version}),
        "declare_form": forms.get("declare_form")
        or StatusDeclareForm(
            initial={
                "scale": "kabupaten_kota" if case.area_id.count(".") >= 1 else "provinsi",
                "area": ".".join(case.area_id.split(".")[:2]),
                "start_date": selectors.local_today(case.area_id),
            }
        ),
        "extend_form": forms.get("extend_form")
        or StatusExtendForm(initial={"version": head_version}),
        "revoke_form": forms.get("revoke_form")
        or StatusRevokeForm(initial={"version": head_version}),
        "conflict": conflict,
        "max_days": max_days(),
        "extension_max_days": extension_max_days(),
        "zone": zone_label(case.area_id),
        "tz": zone_for(case.area_id),
    }
    return render(request, "response/cases/case_detail.html", context, status=status)


@domain_view
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case: stage stepper and history, events, parties, status keadaan konflik, recovery."""
    return _case_page(request, selectors.get_case(_user(request), pk))


def _write(
    request: HttpRequest,
    case: ConflictCase,
    form: Any,
    form_name: str,
    call: Any,
    done: str,
) -> HttpResponse:
    """Run `call(cleaned_data)` for a valid form and go back to the case; otherwise show the
    case page with the form's messages (400) or the stale-version message (409)."""
    if not form.is_valid():
        return _case_page(request, case, status=400, **{form_name: form})
    try:
        call(form.cleaned_data)
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _case_page(request, case, status=400, **{form_name: form})
    except Conflict as exc:
        return _case_page(request, case, status=409, conflict=exc.message)
    messages.success(request, done)
    return redirect("response:case_detail", pk=case.pk)


@domain_view
@require_POST
def case_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the case to another stage."""
    user = _user(request)
    case = selectors.get_case(user, pk)
    _ensure_manager(user, case)
    form = StageForm(request.POST, current=case.stage)
    return _write(
        request,
        case,
        form,
        "stage_form",
        lambda d: services.move_stage(
            case, actor=user, version=d["version"], to_stage=d["to_stage"], note=d["note"]
        ),
        _("Tahap kasus diubah."),
    )


@domain_view
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the case (refused while a status keadaan konflik is in force)."""
    user = _user(request)
    case = selectors.get_case(user, pk)
    _ensure_manager(user, case)
    return _write(
        request,
        case,
        CloseForm(request.POST),
        "close_form",
        lambda d: services.close_case(case, actor=user, version=d["version"], note=d["note"]),
        _("Kasus ditutup."),
    )


@domain_view
@require_POST
def case_status_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a declared status keadaan konflik for the case."""
    user = _user(request)
    case = selectors.get_case(user, pk)
    _ensure_manager(user, case)
    return _write(
        request,
        case,
        StatusDeclareForm(request.POST),
        "declare_form",
        lambda d: services.declare_status(
            case,
            actor=user,
            scale=d["scale"],
            area_code=d.get("area") or None,
            declared_by=d["declared_by"],
            decree_number=d["decree_number"],
            start_date=d["start_date"],
            end_date=d.get("end_date"),
        ),
        _("Status keadaan konflik dicatat."),
    )


@domain_view
@require_POST
def case_status_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend the status keadaan konflik in force."""
    user = _user(request)
    status = selectors.get_status(user, pk)
    case = selectors.get_case(user, status.case_id)
    _ensure_manager(user, case)
    return _write(
        request,
        case,
        StatusExtendForm(request.POST),
        "extend_form",
        lambda d: services.extend_status(
            status,
            actor=user,
            version=d["version"],
            declared_by=d["declared_by"],
            decree_number=d["decree_number"],
            end_date=d["end_date"],
        ),
        _("Perpanjangan status keadaan konflik dicatat."),
    )


@domain_view
@require_POST
def case_status_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke the status keadaan konflik in force."""
    user = _user(request)
    status = selectors.get_status(user, pk)
    case = selectors.get_case(user, status.case_id)
    _ensure_manager(user, case)
    return _write(
        request,
        case,
        StatusRevokeForm(request.POST),
        "revoke_form",
        lambda d: services.revoke_status(
            status, actor=user, version=d["version"], reason=d["reason"]
        ),
        _("Status keadaan konflik dicabut."),
    )


# ---------------------------------------------------------------- edit


def _edit_page(
    request: HttpRequest, case: ConflictCase, form: Any, parties: Any, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "response/cases/case_form.html",
        {"form": form, "parties": parties, "case": case, "creating": False},
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title, summary, root cause and parties of an open case."""
    user = _user(request)
    case = selectors.get_case(user, pk)
    _ensure_manager(user, case)
    root_causes = _terms(user, "uu7_source")
    party_types = _terms(user, "actor_type")
    if request.method != "POST":
        detail = selectors.case_detail(user, case)
        form = CaseEditForm(
            initial={
                "title": case.title,
                "summary": case.summary,
                "root_cause": case.root_cause.code if case.root_cause else "",
                "version": case.version,
            },
            root_causes=root_causes,
        )
        parties = PartyFormSet(
            initial=[
                {
                    "name": p.name,
                    "party_type": p.party_type.code if p.party_type else "",
                    "representative": p.representative,
                    "interest": p.interest,
                }
                for p in detail.parties
            ],
            party_types=party_types,
            prefix="parties",
        )
        return _edit_page(request, case, form, parties)
    form = CaseEditForm(request.POST, root_causes=root_causes)
    parties = PartyFormSet(request.POST, party_types=party_types, prefix="parties")
    if not (form.is_valid() and parties.is_valid()):
        return _edit_page(request, case, form, parties, status=400)
    indexes, rows = parties.rows()
    data = form.cleaned_data
    try:
        services.update_case(
            case,
            actor=user,
            version=data["version"],
            title=data["title"],
            summary=data.get("summary") or "",
            root_cause=data.get("root_cause") or None,
            parties=rows,
        )
    except InvalidInput as exc:
        form.apply_errors(exc)
        parties.apply_errors(exc, indexes)
        return _edit_page(request, case, form, parties, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _edit_page(request, case, form, parties, status=409)
    messages.success(request, _("Kasus diperbarui."))
    return redirect("response:case_detail", pk=case.pk)


# ---------------------------------------------------------------- recovery


def _agency_choices(user: User, case: ConflictCase) -> list[tuple[Any, Any]]:
    return [(a.pk, f"{a} ({a.area_id})") for a in agencies_for_area(user, case.area_id)]


def _recovery_page(
    request: HttpRequest,
    case: ConflictCase,
    form: RecoveryForm,
    *,
    activity: RecoveryActivity | None = None,
    evidence_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "response/cases/recovery_form.html",
        {
            "case": case,
            "form": form,
            "activity": activity,
            "evidence_form": evidence_form or EvidenceForm(),
            "zone": zone_label(case.area_id),
            "tz": zone_for(case.area_id),
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def recovery_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a recovery activity of the case (reconciliation, rehabilitation, reconstruction)."""
    user = _user(request)
    case = selectors.get_case(user, pk)
    _ensure_manager(user, case)
    agencies = _agency_choices(user, case)
    if request.method != "POST":
        kind = request.GET.get("jenis", "")
        return _recovery_page(
            request, case, RecoveryForm(initial={"kind": kind}, agencies=agencies)
        )
    form = RecoveryForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return _recovery_page(request, case, form, status=400)
    try:
        services.add_recovery_activity(case, actor=user, **form.service_kwargs())
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _recovery_page(request, case, form, status=400)
    messages.success(request, _("Kegiatan pemulihan dicatat."))
    return redirect("response:case_detail", pk=case.pk)


@domain_view
@require_http_methods(["GET", "POST"])
def recovery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a recovery activity, or (with `action=evidence`) attach a file to it."""
    user = _user(request)
    activity = selectors.get_recovery_activity(user, pk)
    case = selectors.get_case(user, activity.case_id)
    _ensure_manager(user, case)
    agencies = _agency_choices(user, case)
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "agency": activity.agency_id,
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "description": activity.description,
        "notes": activity.notes,
        "version": activity.version,
    }
    if request.method != "POST":
        form = RecoveryForm(initial=initial, agencies=agencies)
        return _recovery_page(request, case, form, activity=activity)
    if request.POST.get("action") == "evidence":
        return _upload(request, case, activity, RecoveryForm(initial=initial, agencies=agencies))
    form = RecoveryForm(request.POST, agencies=agencies)
    if not form.is_valid() or form.cleaned_data.get("version") is None:
        if form.is_valid():
            form.add_error(None, _("Muat ulang halaman lalu ulangi."))
        return _recovery_page(request, case, form, activity=activity, status=400)
    try:
        services.update_recovery_activity(
            activity, actor=user, version=form.cleaned_data["version"], **form.service_kwargs()
        )
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _recovery_page(request, case, form, activity=activity, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _recovery_page(request, case, form, activity=activity, status=409)
    messages.success(request, _("Kegiatan pemulihan diperbarui."))
    return redirect("response:case_detail", pk=case.pk)


def _upload(
    request: HttpRequest, case: ConflictCase, activity: RecoveryActivity, form: RecoveryForm
) -> HttpResponse:
    evidence_form = EvidenceForm(request.POST, request.FILES)
    if evidence_form.is_valid():
        try:
            services.add_recovery_evidence(
                activity,
                evidence_form.cleaned_data["file"],
                actor=_user(request),
                keep_location=evidence_form.cleaned_data["keep_location"],
            )
        except InvalidInput as exc:
            for message in exc.errors.get("file", [exc.message]):
                evidence_form.add_error("file", message)
        else:
            messages.success(request, _("Bukti ditambahkan."))
            return redirect("response:recovery_edit", pk=activity.pk)
    return _recovery_page(
        request, case, form, activity=activity, evidence_form=evidence_form, status=400
    )
