"""Agency pages under /respons/instansi/ and the evidence download /respons/bukti/<pk>/.

Views parse, call one selector or service, and render. Agencies outside the user's scope are
404; managing them needs "response.manage" in their area.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waspada.accounts import selectors as account_selectors
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import can
from waspada.core.web import domain_view
from waspada.response.forms_agencies import AgencyFilterForm, AgencyForm, MemberForm
from waspada.response.selectors import agencies as selectors
from waspada.response.selectors.evidence import get_evidence
from waspada.response.services import agencies as services

PER_PAGE = 50


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_role_permission("response.view"):  # type: ignore[union-attr]
        raise PermissionDenied


@domain_view
def agency_list(request: HttpRequest) -> HttpResponse:
    """Agencies in the user's scope, filtered by area, kind and name."""
    _require_view(request)
    form = AgencyFilterForm(request.GET or None)
    agencies = selectors.list_agencies(request.user, active=None, **form.selector_kwargs())
    page = Paginator(agencies, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "response/agencies/agency_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": request.user.has_role_permission("response.manage"),  # type: ignore[union-attr]
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    """New agency (area inside the user's scope)."""
    user: Any = request.user
    if not user.has_role_permission("response.manage"):
        raise PermissionDenied
    if request.method != "POST":
        form = AgencyForm(initial={"area": getattr(user, "primary_area_code", "") or ""})
        return render(request, "response/agencies/agency_form.html", {"form": form})
    form = AgencyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            agency = services.create_agency(
                actor=user, area_code=form.cleaned_data["area"], **form.service_fields()
            )
        except OutOfScope:
            form.add_error("area", _("Wilayah ini di luar cakupan Anda."))
        except InvalidInput as exc:
            form.apply_errors(exc)
        except Conflict as exc:
            form.add_error("name", exc.message)
            status = 409
        else:
            messages.success(request, _("Instansi disimpan."))
            return redirect("response:agency_detail", pk=agency.pk)
    return render(request, "response/agencies/agency_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, agency: Any, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    return {
        "agency": agency,
        "members": list(agency.members.all()),
        "can_manage": can(user, "response.manage", agency.area_id),
        "member_form": extra.pop("member_form", None) or MemberForm(),
        **extra,
    }


@domain_view
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One agency: contacts and members (and the member form for managers)."""
    agency = selectors.get_agency(request.user, pk)
    return render(request, "response/agencies/agency_detail.html", _detail(request, agency))


@domain_view
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an agency's details or deactivate it."""
    user: Any = request.user
    agency = selectors.get_agency(user, pk)
    if not can(user, "response.manage", agency.area_id):
        raise PermissionDenied
    context: dict[str, Any] = {"agency": agency}
    if request.method != "POST":
        initial = {
            field: getattr(agency, field)
            for field in services.EDITABLE_FIELDS
            if hasattr(agency, field)
        }
        form = AgencyForm(initial={**initial, "version": agency.version}, editing=True)
        return render(request, "response/agencies/agency_form.html", {**context, "form": form})
    form = AgencyForm(request.POST, editing=True)
    status = 400
    if form.is_valid():
        try:
            services.update_agency(
                agency,
                actor=user,
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
        except InvalidInput as exc:
            form.apply_errors(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Instansi disimpan."))
            return redirect("response:agency_detail", pk=agency.pk)
    return render(
        request, "response/agencies/agency_form.html", {**context, "form": form}, status=status
    )


@domain_view
@require_POST
def agency_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a user (visible to the manager) to the agency."""
    user: Any = request.user
    agency = selectors.get_agency(user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        member = (
            account_selectors.list_users(user)
            .filter(username=form.cleaned_data["username"].strip())
            .first()
        )
        if member is None:
            form.add_error("username", _("Pengguna tidak ditemukan di cakupan Anda."))
        else:
            try:
                services.add_member(
                    agency, actor=user, user=member, position=form.cleaned_data["position"]
                )
            except OutOfScope:
                form.add_error("username", _("Pengguna tidak ditemukan di cakupan Anda."))
            else:
                messages.success(request, _("Anggota ditambahkan."))
                return redirect("response:agency_detail", pk=agency.pk)
    agency = selectors.get_agency(user, pk)
    return render(
        request,
        "response/agencies/agency_detail.html",
        _detail(request, agency, member_form=form),
        status=400,
    )


@domain_view
@require_POST
def agency_member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """Remove a member from the agency."""
    user: Any = request.user
    agency = selectors.get_agency(user, pk)
    member = next((m.user for m in agency.members.all() if m.user_id == user_id), None)
    if member is None:
        raise OutOfScope()
    services.remove_member(agency, actor=user, user=member)
    messages.success(request, _("Anggota dikeluarkan dari instansi."))
    return redirect("response:agency_detail", pk=agency.pk)


@domain_view
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for whoever may see its owner; photos inline, documents as downloads."""
    evidence = get_evidence(request.user, pk)
    inline = evidence.content_type.startswith("image/") and request.GET.get("unduh") is None
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
