"""Account pages: log-in and passwords, "Profil saya", and user management for admins.

Views parse, call one selector or service, and render. Writes go through `services`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waspada.accounts import services
from waspada.accounts.filters import UserFilter
from waspada.accounts.forms import (
    AdminSetPasswordForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SetPasswordForm,
    UserCreateForm,
    UserEditForm,
    UserImportForm,
    apply_service_errors,
)
from waspada.accounts.models import User
from waspada.accounts.permissions import can_manage_user, can_manage_users
from waspada.accounts.selectors import get_api_token, get_user, list_users, user_areas
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.geo.zones import zone_label

IMPORT_SESSION_KEY = "accounts_user_import"
USERS_PER_PAGE = 25


def _actor(request: HttpRequest) -> User:
    """The logged-in user (views reaching here are behind `login_required`)."""
    user: User = request.user  # type: ignore[assignment]
    return user


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so the form reports missing fields)."""
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------- log-in, log-out, passwords


class LoginView(auth_views.LoginView):
    """Django's log-in (django-axes counts failures and locks out) plus an audit entry."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        services.record_login(user=form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    """Log-out by POST only, with an audit entry."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            services.record_logout(user=_actor(request))
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda telah keluar."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        user = _actor(self.request)
        try:
            services.change_own_password(
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Kata sandi Anda telah diganti."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        try:
            services.reset_password(user=form.user, new_password=form.cleaned_data["new_password1"])
        except InvalidInput as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---------------------------------------------------------------- Profil saya


def _profile_context(user: User, new_key: str | None = None) -> dict[str, Any]:
    return {
        "areas": user_areas(user),
        "zone": zone_label(user.primary_area_code),
        "token": get_api_token(user),
        "new_key": new_key,
    }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own details, areas, password link and API token."""
    return render(request, "accounts/profile.html", _profile_context(_actor(request)))


@never_cache
@login_required
@require_POST
def profile_token_create(request: HttpRequest) -> HttpResponse:
    """Create (or replace) the user's API token and show its key this once."""
    user = _actor(request)
    token = services.create_api_token(actor=user)
    messages.success(
        request, _("Token API baru dibuat. Salin sekarang: token tidak ditampilkan lagi.")
    )
    return render(request, "accounts/profile.html", _profile_context(user, new_key=token.key))


@login_required
@require_POST
def profile_token_revoke(request: HttpRequest) -> HttpResponse:
    if services.revoke_api_token(actor=_actor(request)):
        messages.success(
            request, _("Token API dicabut. Klien yang memakainya tidak bisa masuk lagi.")
        )
    return redirect("accounts:profile")


# ---------------------------------------------------------------- user management


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required, then 403 without "users.manage"; OutOfScope from a service becomes 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_users(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("users.manage")
        try:
            return view(request, *args, **kwargs)
        except OutOfScope as exc:
            raise Http404 from exc

    return wrapper


@manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Users inside the admin's scope: search, filter by role, area and status, 25 a page."""
    users = UserFilter(request.GET or None, queryset=list_users(_actor(request)))
    page = Paginator(users.qs, USERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "filter": users,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = UserCreateForm(_posted(request), actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=actor,
                username=data["username"],
                role=data["role"],
                area_codes=data["areas"],
                password=data["password1"] or None,
                email=data["email"],
                full_name=data["full_name"],
                phone=data["phone"],
                position=data["position"],
                clearance=data["clearance"] or "terbatas",
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc, {"password": "password1"})
        else:
            messages.success(request, _("Pengguna %(u)s dibuat.") % {"u": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _target(request: HttpRequest, pk: int) -> tuple[User, list[str], bool]:
    """The user on the page (404 outside scope), its area codes, and whether the admin may edit."""
    actor = _actor(request)
    target = get_user(actor, pk)
    codes = [a.code for a in user_areas(target)]
    return target, codes, can_manage_user(actor, target, codes)


@manager_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's details, and the edit form when the admin may change this user."""
    actor = _actor(request)
    target, codes, manageable = _target(request, pk)
    form = UserEditForm(
        _posted(request),
        actor=actor,
        initial=UserEditForm.initial_for(target, codes),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(
                actor=actor,
                user=target,
                role=data["role"],
                area_codes=data["areas"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                position=data["position"],
                clearance=data["clearance"] or None,
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan pada %(u)s disimpan.") % {"u": target.username})
            return redirect("accounts:user_edit", pk=target.pk)
    return render(
        request,
        "accounts/user_edit.html",
        {
            "target": target,
            "areas": user_areas(target),
            "form": form,
            "manageable": manageable,
            "is_self": target.pk == actor.pk,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    target, _codes, manageable = _target(request, pk)
    if not manageable:
        raise PermissionDenied("users.manage")
    form = AdminSetPasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password_by_admin(
                actor=actor, user=target, password=form.cleaned_data["password1"]
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc, {"password": "password1"})
        else:
            messages.success(
                request,
                _("Kata sandi %(u)s diganti; sesi yang sedang berjalan berakhir.")
                % {"u": target.username},
            )
            return redirect("accounts:user_edit", pk=target.pk)
    return render(request, "accounts/user_set_password.html", {"target": target, "form": form})


def _set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    actor = _actor(request)
    target, _codes, manageable = _target(request, pk)
    if not manageable:
        raise PermissionDenied("users.manage")
    if request.method == "POST":
        try:
            services.set_user_active(actor=actor, user=target, active=active)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            text = _("%(u)s diaktifkan kembali.") if active else _("%(u)s dinonaktifkan.")
            messages.success(request, text % {"u": target.username})
        return redirect("accounts:user_edit", pk=target.pk)
    return render(
        request,
        "accounts/user_confirm_active.html",
        {"target": target, "active": active, "is_self": target.pk == actor.pk},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@manager_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


# ---------------------------------------------------------------- CSV import

IMPORT_TEMPLATE = (
    "username,full_name,email,role,areas,phone,position,password\r\n"
    "budi.santoso,Budi Santoso,budi.santoso@example.go.id,operator,62.71,081200000001,"
    "Staf Kesbangpol,\r\n"
    "sari.dewi,Sari Dewi,sari.dewi@example.go.id,analyst,62.01;62.02,081200000002,"
    "Analis Kesbangpol,\r\n"
)


@manager_required
def user_import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template: the header line and two example rows."""
    response = HttpResponse(IMPORT_TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pengguna.csv"'
    return response


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@manager_required
@require_http_methods(["GET", "POST"])
def user_import(request: HttpRequest) -> HttpResponse:
    """Step 1 and 2: upload a CSV, see every row with its problems (a dry run)."""
    actor = _actor(request)
    posted = request.method == "POST"
    form = UserImportForm(_posted(request), request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data: bytes = form.cleaned_data["file"]
        result = services.import_users_csv(data, actor=actor, dry_run=True)
        digest = _digest(data)
        if result.ok:
            request.session[IMPORT_SESSION_KEY] = {
                "data": base64.b64encode(data).decode(),
                "digest": digest,
            }
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
        return render(
            request,
            "accounts/user_import_preview.html",
            {"result": result, "digest": digest, "form": UserImportForm()},
        )
    return render(request, "accounts/user_import.html", {"form": form})


@manager_required
@require_POST
def user_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 3: create every previewed user, or none when something changed since the preview."""
    actor = _actor(request)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("digest") != request.POST.get("digest"):
        messages.error(request, _("Pratinjau impor sudah tidak berlaku. Unggah berkasnya lagi."))
        return redirect("accounts:user_import")
    data = base64.b64decode(stored["data"])
    result = services.import_users_csv(data, actor=actor, dry_run=False)
    if not result.ok:
        return render(
            request,
            "accounts/user_import_preview.html",
            {"result": result, "digest": "", "form": UserImportForm(), "changed": True},
        )
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(
        request, _("%(n)d pengguna dibuat dari berkas impor.") % {"n": len(result.created)}
    )
    return redirect(reverse("accounts:user_list"))
