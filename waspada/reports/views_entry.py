"""Report entry pages: list, new report, report detail with its items, item form, workflow.

Views parse the request, call one selector or service, and render. Out-of-scope objects are 404
(selectors and `OutOfScope`), a role without the permission is 403, bad input re-renders the form
with the message next to the field (400), and a stale version or a report someone else moved is
answered 409 with a clear message on the page. Creates go through `core.idempotency` with the
form's hidden `idempotency_key`, so a double submit lands once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waspada.accounts.models import User
from waspada.core.errors import Conflict, DomainError, InvalidInput, OutOfScope
from waspada.core.idempotency import Outcome, fingerprint_of, idempotent_create
from waspada.core.scoping import scope_q, user_covers
from waspada.core.web import domain_view
from waspada.events import attachments
from waspada.events import selectors as event_selectors
from waspada.events import services as event_services
from waspada.events.choices import EventStatus
from waspada.events.forms import history_rows
from waspada.events.models import Event, Item
from waspada.geo.models import Area
from waspada.geo.zones import zone_for, zone_label
from waspada.reports import selectors, services
from waspada.reports.filters import ReportFilter
from waspada.reports.forms import (
    ActorFormSet,
    ItemForm,
    ReportCreateForm,
    ReportEditForm,
    ReturnForm,
    VersionForm,
    actor_initial,
    apply_service_errors,
    new_idempotency_key,
    term_choices,
    without_key,
)
from waspada.reports.models import ReportStatus, ReportType, SituationReport

REPORTS_PER_PAGE = 25
DEVELOPMENT_CHOICES = 200
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
CLEAR_DRAFT_KEY = "entry_clear_draft"


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


entry_view = domain_view


def _require(user: User, permission: str) -> None:
    if not user.has_role_permission(permission):
        raise PermissionDenied(permission)


def _capabilities(user: User, report: SituationReport) -> dict[str, bool]:
    """What the page offers this user on this report (the services check again)."""
    editable = report.status in EDITABLE
    in_scope = user_covers(user, report.area_id)
    can_edit = editable and in_scope and user.has_role_permission("reports.create")
    can_review = (
        report.status == ReportStatus.SUBMITTED
        and user.has_role_permission("reports.verify")
        and services.reviews_above(user, report.area_id)
        and report.created_by_id != user.pk
    )
    return {
        "can_edit": can_edit,
        "can_submit": editable and in_scope and user.has_role_permission("reports.submit"),
        "can_review": can_review,
    }


def _clear_draft_marker(request: HttpRequest) -> str:
    value = request.session.pop(CLEAR_DRAFT_KEY, "")
    return str(value)


# ---------------------------------------------------------------- list


@entry_view
def report_list(request: HttpRequest) -> HttpResponse:
    """Reports in the user's scope, filtered by the shared ReportFilter, 25 a page."""
    user = _user(request)
    _require(user, "reports.view")
    query = request.GET.copy()
    query.pop("page", None)
    filterset = ReportFilter(query or None, queryset=selectors.visible_reports(user).none())
    errors = False
    try:
        reports = selectors.list_reports(user, query)
    except InvalidInput:
        errors = True
        reports = selectors.visible_reports(user).none()
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/entry/report_list.html",
        {
            "filter": filterset,
            "filter_errors": errors,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(query),
            "can_create": user.has_role_permission("reports.create"),
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- new report


def _scope_areas(user: User) -> list[Area]:
    return list(Area.objects.filter(code__in=sorted(user.scope_area_codes)).order_by("code"))


@entry_view
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    """New report: type, area inside the user's scope (default: their own), date (default today
    in their zone), nihil. A daily report that already exists is a 409 with a link to it."""
    user = _user(request)
    _require(user, "reports.create")
    home = user.primary_area_code or ""
    initial = {
        "report_type": ReportType.DAILY,
        "area": home,
        "period_start": services.local_today(home),
        "idempotency_key": new_idempotency_key(),
    }
    form = ReportCreateForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    existing_id: Any = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                outcome = idempotent_create(
                    user,
                    "reports.create",
                    form.cleaned_data["idempotency_key"],
                    fingerprint_of(without_key(request.POST)),
                    lambda: _created_report(user, form),
                )
            except OutOfScope:
                form.add_error("area", _("Wilayah ini di luar cakupan Anda."))
            except InvalidInput as exc:
                exc.errors = {("area" if k == "area_code" else k): v for k, v in exc.errors.items()}
                for message in apply_service_errors(form, exc):
                    form.add_error(None, message)
            except Conflict as exc:
                status = 409
                existing_id = exc.params.get("existing_id")
                form.add_error(None, exc.message)
            except DomainError as exc:
                status = exc.status_code
                form.add_error(None, exc.message)
            else:
                request.session[CLEAR_DRAFT_KEY] = "report-new"
                if outcome.replayed:
                    messages.info(request, _("Laporan ini sudah dibuat sebelumnya."))
                else:
                    messages.success(request, _("Laporan dibuat sebagai draf."))
                return redirect("reports:report_detail", pk=int(outcome.body["id"]))
    return render(
        request,
        "reports/entry/report_form.html",
        {
            "form": form,
            "existing_id": existing_id,
            "scope_areas": _scope_areas(user),
            "zone": zone_label(home),
        },
        status=status,
    )


def _created_report(user: User, form: ReportCreateForm) -> Outcome:
    report = services.create_report(actor=user, **form.service_kwargs())
    return Outcome.of(report, body={"id": report.pk})


# ---------------------------------------------------------------- report detail


def _report_page(
    request: HttpRequest,
    report: SituationReport,
    *,
    edit_form: ReportEditForm | None = None,
    return_form: ReturnForm | None = None,
    conflict: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    caps = _capabilities(user, report)
    daily = report.report_type == ReportType.DAILY
    nihil_allowed = report.report_type in services.NIHIL_TYPES
    if edit_form is None and caps["can_edit"]:
        edit_form = ReportEditForm(
            initial={
                "title": report.title,
                "summary": report.summary,
                "introduction": report.introduction,
                "opinion": report.opinion,
                "is_nihil": report.is_nihil,
                "period_start": report.period_start,
                "period_end": report.period_end,
                "version": report.version,
            },
            daily=daily,
            nihil_allowed=nihil_allowed,
        )
    items = list(selectors.report_items(user, report))
    zone = zone_for(report.area_id)
    return render(
        request,
        "reports/entry/report_detail.html",
        {
            "report": report,
            "items": items,
            "edit_form": edit_form,
            "return_form": return_form or ReturnForm(initial={"version": report.version}),
            "conflict": conflict,
            "error": error,
            "zone": zone_label(report.area_id),
            "tz": zone,
            "clear_draft": _clear_draft_marker(request),
            "accept": attachments.ACCEPT_ATTRIBUTE,
            **caps,
        },
        status=status,
    )


@entry_view
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report with its items; POST saves its text (draft or returned, current version)."""
    user = _user(request)
    report = selectors.get_report(user, pk)
    if request.method != "POST":
        return _report_page(request, report)
    _require(user, "reports.create")
    form = ReportEditForm(
        request.POST,
        daily=report.report_type == ReportType.DAILY,
        nihil_allowed=report.report_type in services.NIHIL_TYPES,
    )
    if not form.is_valid():
        return _report_page(request, report, edit_form=form, status=400)
    try:
        services.update_report(
            report, actor=user, version=form.cleaned_data["version"], **form.service_kwargs()
        )
    except InvalidInput as exc:
        for message in apply_service_errors(form, exc):
            form.add_error(None, message)
        return _report_page(request, report, edit_form=form, status=400)
    except Conflict as exc:
        report = selectors.get_report(user, pk)
        return _report_page(request, report, conflict=exc.message, status=409)
    messages.success(request, _("Perubahan laporan disimpan."))
    return redirect("reports:report_detail", pk=report.pk)


def _workflow(
    request: HttpRequest,
    pk: int,
    action: Callable[[SituationReport, User, int | None], SituationReport],
    done: str,
) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report(user, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        action(report, user, version)
    except Conflict as exc:
        report = selectors.get_report(user, pk)
        return _report_page(request, report, conflict=exc.message, status=409)
    except InvalidInput as exc:
        report = selectors.get_report(user, pk)
        detail = " ".join(str(m) for msgs in exc.errors.values() for m in msgs)
        text = f"{exc.message} {detail}".strip() if detail else exc.message
        return _report_page(request, report, error=text, status=400)
    messages.success(request, done)
    return redirect("reports:report_detail", pk=report.pk)


@entry_view
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        lambda r, u, v: services.submit_report(r, actor=u, version=v),
        _("Laporan diajukan untuk diverifikasi."),
    )


@entry_view
@require_POST
def report_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        lambda r, u, v: services.verify_report(r, actor=u, version=v),
        _("Laporan diverifikasi."),
    )


@entry_view
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a submitted report with a reason (required: shown next to the field)."""
    user = _user(request)
    report = selectors.get_report(user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        _require(user, "reports.verify")
        return _report_page(request, report, return_form=form, status=400)
    try:
        services.return_report(
            report,
            actor=user,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except InvalidInput as exc:
        for message in apply_service_errors(form, exc):
            form.add_error(None, message)
        return _report_page(request, report, return_form=form, status=400)
    except Conflict as exc:
        report = selectors.get_report(user, pk)
        return _report_page(request, report, conflict=exc.message, status=409)
    messages.success(request, _("Laporan dikembalikan ke pelapor dengan alasan."))
    return redirect("reports:report_detail", pk=report.pk)


# ---------------------------------------------------------------- items


def _item_of(user: User, report: SituationReport, item_pk: int) -> Item:
    item = event_selectors.get_item(user, item_pk)
    if item.report_id != report.pk:
        raise Http404
    return item


def _development_events(user: User, report: SituationReport) -> list[Event]:
    """Events a development may be filed under: visible, in the report's area, not closed."""
    return list(
        event_selectors.visible_events(user)
        .filter(scope_q([report.area_id], "area__code"))
        .exclude(status=EventStatus.CLOSED)
        .order_by("-last_occurred_at", "-id")[:DEVELOPMENT_CHOICES]
    )


def _terms(user: User, item: Item | None = None) -> dict[str, list[Any]]:
    terms = list(event_selectors.list_terms(user, include_inactive=True))
    keep: set[int] = set()
    if item is not None:
        for name in (
            "aspect",
            "athg",
            "uu7_source",
            "snpk",
            "acled_type",
            "acled_subtype",
            "election_type",
            "election_stage",
            "source_reliability",
            "info_credibility",
        ):
            term_id = getattr(item, f"{name}_id")
            if term_id:
                keep.add(term_id)
        keep |= {t.pk for t in item.election_issues.all()}
        keep |= {a.actor_type_id for a in item.actors.all() if a.actor_type_id}
    return term_choices(t for t in terms if t.active or t.pk in keep)


def _default_occurred_at(report: SituationReport) -> Any:
    zone = zone_for(report.area_id)
    now = timezone.now().astimezone(zone)
    if report.period_start <= now.date() <= report.period_end:
        return now.replace(second=0, microsecond=0)
    return now.replace(
        year=report.period_end.year,
        month=report.period_end.month,
        day=report.period_end.day,
        hour=12,
        minute=0,
        second=0,
        microsecond=0,
    )


def _ensure_item_entry(user: User, report: SituationReport) -> None:
    _require(user, "reports.create")
    if not user_covers(user, report.area_id):
        raise Http404


def _item_page(
    request: HttpRequest,
    report: SituationReport,
    form: ItemForm,
    actors: Any,
    *,
    item: Item | None = None,
    conflict: str = "",
    status: int = 200,
    leftover: list[str] | None = None,
) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "reports/entry/item_form.html",
        {
            "report": report,
            "item": item,
            "form": form,
            "actors": actors,
            "conflict": conflict,
            "leftover": leftover or [],
            "zone": zone_label(report.area_id),
            "map_parent": _map_parent(report.area_id),
            "accept": attachments.ACCEPT_ATTRIBUTE,
            "max_mb": f"{attachments.max_bytes() / 1048576:g}",
            "draft_key": f"item:{item.pk}" if item else f"item-new:{report.pk}",
            "history": history_rows(event_selectors.item_history(user, item)) if item else [],
            "tz": zone_for(report.area_id),
            "can_edit": report.status in EDITABLE
            and user.has_role_permission("reports.create")
            and user_covers(user, report.area_id),
        },
        status=status,
    )


def _map_parent(area_code: str) -> str:
    """Whose children the map draws: a kab/kota's kecamatan (the province's kab/kota at level 1)."""
    parts = area_code.split(".")
    return ".".join(parts[:2])


def _service_item_data(form: ItemForm, actors: Any) -> tuple[dict[str, Any], list[int]]:
    rows = actors.rows()
    return form.service_data([row for _i, row in rows]), [i for i, _row in rows]


def _place_errors(form: ItemForm, actors: Any, exc: InvalidInput, indexes: list[int]) -> list[str]:
    leftover = actors.apply_service_errors(exc, indexes)
    rest = InvalidInput(
        exc.message, {k: v for k, v in exc.errors.items() if not k.startswith("actors.")}
    )
    if exc.errors and not rest.errors:
        return leftover
    return leftover + apply_service_errors(form, rest)


def _upload_files(request: HttpRequest, item: Item, user: User) -> int:
    keep = request.POST.get("keep_location") == "on"
    count = 0
    for upload in request.FILES.getlist("files"):
        attachments.add_attachment(item, actor=user, upload=upload, keep_location=keep)
        count += 1
    return count


@entry_view
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item (a new event or a development of a visible one), with files, idempotently."""
    user = _user(request)
    report = selectors.get_report(user, pk)
    _ensure_item_entry(user, report)
    if report.status not in EDITABLE:
        messages.error(request, _("Laporan ini sudah diajukan; butirnya tidak dapat ditambah."))
        return redirect("reports:report_detail", pk=report.pk)
    zone = zone_for(report.area_id)
    terms = _terms(user)
    events = _development_events(user, report)
    posted = request.method == "POST"
    initial = {
        "occurred_at": _default_occurred_at(report),
        "area": report.area_id,
        "idempotency_key": new_idempotency_key(),
    }
    wanted_event = request.GET.get("event", "")
    if wanted_event.isdigit() and any(str(e.pk) == wanted_event for e in events):
        initial.update(kind="development", event=wanted_event)
    form = ItemForm(
        request.POST if posted else None, initial=initial, zone=zone, terms=terms, events=events
    )
    actors = ActorFormSet(
        request.POST if posted else None, prefix="actors", actor_types=terms["actor_type"]
    )
    if not posted:
        return _item_page(request, report, form, actors)
    if not (form.is_valid() and actors.is_valid()):
        return _item_page(request, report, form, actors, status=400)
    data, indexes = _service_item_data(form, actors)

    def create() -> Outcome:
        item = event_services.record_item(report, actor=user, data=data)
        _upload_files(request, item, user)
        return Outcome.of(item, body={"id": item.pk})

    try:
        outcome = idempotent_create(
            user,
            f"reports.items:{report.pk}",
            form.cleaned_data.get("idempotency_key"),
            fingerprint_of(without_key(request.POST)),
            create,
        )
    except InvalidInput as exc:
        if "file" in exc.errors:
            leftover = [
                _("Lampiran: %(m)s Pilih lagi berkasnya.") % {"m": m} for m in exc.errors["file"]
            ]
            return _item_page(request, report, form, actors, leftover=leftover, status=400)
        leftover = _place_errors(form, actors, exc, indexes)
        return _item_page(request, report, form, actors, leftover=leftover, status=400)
    except Conflict as exc:
        return _item_page(request, report, form, actors, conflict=exc.message, status=409)
    request.session[CLEAR_DRAFT_KEY] = f"item-new:{report.pk}"
    if outcome.replayed:
        messages.info(request, _("Butir ini sudah tersimpan sebelumnya."))
    else:
        messages.success(request, _("Butir disimpan."))
    return redirect(
        reverse("reports:report_detail", args=[report.pk]) + f"#butir-{outcome.body['id']}"
    )


@entry_view
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Correct an item (current version only: a stale one is 409) and see its history."""
    user = _user(request)
    report = selectors.get_report(user, pk)
    item = _item_of(user, report, item_pk)
    zone = zone_for(report.area_id)
    terms = _terms(user, item)
    posted = request.method == "POST"
    if posted:
        _ensure_item_entry(user, report)
    form = ItemForm(
        request.POST if posted else None,
        initial=ItemForm.initial_for(item, zone),
        zone=zone,
        terms=terms,
        editing=True,
    )
    actors = ActorFormSet(
        request.POST if posted else None,
        prefix="actors",
        actor_types=terms["actor_type"],
        initial=actor_initial(item),
    )
    if not posted:
        return _item_page(request, report, form, actors, item=item)
    if not (form.is_valid() and actors.is_valid()):
        return _item_page(request, report, form, actors, item=item, status=400)
    data, indexes = _service_item_data(form, actors)
    try:
        with transaction.atomic():
            event_services.update_item(
                item, actor=user, version=form.cleaned_data.get("version") or 0, data=data
            )
            _upload_files(request, item, user)
    except InvalidInput as exc:
        if "file" in exc.errors:
            leftover = [
                _("Lampiran: %(m)s Pilih lagi berkasnya.") % {"m": m} for m in exc.errors["file"]
            ]
        else:
            leftover = _place_errors(form, actors, exc, indexes)
        return _item_page(request, report, form, actors, item=item, leftover=leftover, status=400)
    except Conflict as exc:
        return _item_page(
            request, report, form, actors, item=item, conflict=exc.message, status=409
        )
    request.session[CLEAR_DRAFT_KEY] = f"item:{item.pk}"
    messages.success(request, _("Perubahan butir disimpan."))
    return redirect(reverse("reports:report_detail", args=[report.pk]) + f"#butir-{item.pk}")


@entry_view
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report(user, pk)
    item = _item_of(user, report, item_pk)
    try:
        event_services.remove_item(item, actor=user)
    except Conflict as exc:
        return _report_page(request, report, conflict=exc.message, status=409)
    messages.success(request, _("Butir dihapus."))
    return redirect("reports:report_detail", pk=report.pk)


@entry_view
@require_POST
def attachment_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Upload files to an item from the report page (type, size and metadata checked)."""
    user = _user(request)
    report = selectors.get_report(user, pk)
    item = _item_of(user, report, item_pk)
    if not request.FILES.getlist("files"):
        return _report_page(
            request, report, error=_("Pilih berkas yang akan dilampirkan."), status=400
        )
    try:
        with transaction.atomic():
            count = _upload_files(request, item, user)
    except InvalidInput as exc:
        text = " ".join(str(m) for msgs in exc.errors.values() for m in msgs) or exc.message
        return _report_page(request, report, error=text, status=400)
    except Conflict as exc:
        return _report_page(request, report, conflict=exc.message, status=409)
    messages.success(request, _("%(n)s lampiran ditambahkan.") % {"n": count})
    return redirect(reverse("reports:report_detail", args=[report.pk]) + f"#butir-{item.pk}")
