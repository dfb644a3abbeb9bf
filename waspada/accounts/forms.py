"""Forms of the account pages. They parse and check input; services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waspada.accounts import services
from waspada.accounts.models import User
from waspada.accounts.roles import Role, can_grant
from waspada.accounts.validation import AREA_CODE, username_errors
from waspada.core.classification import Classification
from waspada.core.errors import InvalidInput
from waspada.core.scoping import user_covers

MAX_IMPORT_BYTES = 1024 * 1024


class AccessibleFormMixin:
    """Ties each field's error list to its input (aria-describedby) and focuses the first error.

    Templates render the list with id "<input id>_error" (see accounts/_field.html).
    """

    fields: dict[str, forms.Field]
    errors: Any

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        self._mark_errors()

    def _mark_errors(self) -> None:
        focused = False
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            if name not in self.errors:
                continue
            bound = self[name]  # type: ignore[index]
            ids = [f"{bound.auto_id}_error"]
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(ids)
            if not focused:
                attrs["autofocus"] = True
                focused = True
        if focused:
            for name, field in self.fields.items():
                if name not in self.errors:
                    field.widget.attrs.pop("autofocus", None)


def apply_service_errors(
    form: forms.Form, exc: InvalidInput, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's InvalidInput messages next to the fields they are about."""
    aliases = aliases or {}
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for key, messages in exc.errors.items():
        name = aliases.get(key, key)
        form.add_error(name if name in form.fields else None, list(messages))


def parse_area_codes(raw: str) -> list[str]:
    """Codes typed into one box, separated by commas, semicolons or spaces."""
    return [c for c in re.split(r"[\s,;]+", raw.strip()) if c]


# ---------------------------------------------------------------- log-in and passwords


class LoginForm(AccessibleFormMixin, auth_forms.AuthenticationForm):
    """The log-in form with our own, clearer failure message."""

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar/kecil "
            "berpengaruh) lalu coba lagi. Setelah %(limit)s kali gagal, akun dikunci sementara."
        ),
        "inactive": _("Akun ini nonaktif. Hubungi admin wilayah Anda."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
        self.fields["username"].error_messages["required"] = _("Isi nama pengguna.")
        self.fields["password"].error_messages["required"] = _("Isi kata sandi.")

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class PasswordChangeForm(AccessibleFormMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class SetPasswordForm(AccessibleFormMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class PasswordResetRequestForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    """Asks for an e-mail address; the answer never says whether an account uses it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Alamat e-mail akun Anda")

    def get_users(self, email: str) -> QuerySet[User]:
        # Unlike Django's default, users without a usable password are included: in Waspada that
        # means "not set yet" (created by an admin or an import), and a reset is how they set it.
        return User.objects.filter(email__iexact=email, is_active=True).exclude(email="")

    def save(self, *args: Any, **kwargs: Any) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            services.request_password_reset(user=user)


# ---------------------------------------------------------------- managing users


def grantable_roles(actor: User) -> list[tuple[str, str]]:
    return [
        (value, str(label))
        for value, label in Role.choices
        if actor.is_superuser or can_grant(actor.role, value)
    ]


class AreaCodesField(forms.CharField):
    """Area codes typed as text ("62.71, 62.01"); cleans to a list of codes."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        codes = parse_area_codes(text or "")
        bad = [c for c in codes if not AREA_CODE.match(c)]
        if bad:
            raise ValidationError(
                gettext("Format kode wilayah salah: %(codes)s (contoh: 62.71)")
                % {"codes": ", ".join(bad)}
            )
        return codes


class UserDetailsForm(AccessibleFormMixin, forms.Form):
    """Role, areas, names and contact: the part shared by the create and edit forms."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Dipakai untuk mengatur ulang kata sandi."),
        error_messages={"invalid": _("Alamat e-mail tidak valid.")},
    )
    role = forms.ChoiceField(label=_("Peran"))
    areas = AreaCodesField(
        label=_("Wilayah tugas"),
        required=False,
        help_text=_(
            "Kode wilayah Kemendagri, dipisah koma, misalnya 62.71 atau 62.01, 62.02. "
            "Pengguna melihat wilayah ini dan semua wilayah di bawahnya. Kosongkan hanya untuk "
            "admin nasional."
        ),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)
    clearance = forms.ChoiceField(
        label=_("Izin klasifikasi"),
        initial="terbatas",
        required=False,
        choices=Classification.choices,
        help_text=_(
            "Laporan berklasifikasi lebih tinggi dari izin ini tidak terlihat oleh pengguna."
        ),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = grantable_roles(actor)  # type: ignore[attr-defined]

    def clean_areas(self) -> list[str]:
        codes: list[str] = self.cleaned_data["areas"]
        outside = [c for c in codes if not user_covers(self.actor, c)]
        if outside:
            raise ValidationError(
                gettext("Di luar wilayah Anda: %(codes)s") % {"codes": ", ".join(outside)}
            )
        return codes


class UserCreateForm(UserDetailsForm):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Huruf, angka, dan @ . + - _ tanpa spasi; dipakai untuk masuk."),
    )
    password1 = forms.CharField(
        label=_("Kata sandi awal"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Boleh dikosongkan bila e-mail diisi: pengguna lalu mengatur kata sandinya sendiri "
            "lewat “Lupa kata sandi”."
        ),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi awal"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = [
        "username",
        "full_name",
        "role",
        "areas",
        "email",
        "phone",
        "position",
        "clearance",
        "password1",
        "password2",
    ]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        problems = username_errors(username)
        if problems:
            raise ValidationError(problems)
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password1 != password2:
            self.add_error("password2", gettext("Kedua kata sandi tidak sama."))
        if not password1 and "email" in data and not data.get("email"):
            self.add_error(
                "password1",
                gettext("Isi kata sandi awal, atau isi e-mail agar pengguna dapat mengaturnya."),
            )
        return data


class UserEditForm(UserDetailsForm):
    @classmethod
    def initial_for(cls, user: User, codes: list[str]) -> dict[str, Any]:
        return {
            "full_name": user.full_name,
            "email": user.email,
            "role": user.role,
            "areas": ", ".join(codes),
            "phone": user.phone,
            "position": user.position,
            "clearance": user.clearance,
        }


class AdminSetPasswordForm(AccessibleFormMixin, forms.Form):
    password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("Kedua kata sandi tidak sama."))
        return data


class UserImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_("Paling besar 1 MB, paling banyak 2.000 baris, berenkode UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Pilih berkas CSV.")},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(gettext("Berkas harus berakhiran .csv."))
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(gettext("Berkas lebih besar dari 1 MB."))
        data: bytes = upload.read()
        return data
