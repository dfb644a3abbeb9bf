"""Forms of the agency pages: the list filter, the agency form, the member form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.forms import AccessibleFormMixin
from waspada.accounts.validation import AREA_CODE
from waspada.core.errors import InvalidInput
from waspada.response.choices import AgencyKind

REQUIRED = {"required": _("Wajib diisi.")}


class AgencyFilterForm(forms.Form):
    area = forms.RegexField(
        label=_("Wilayah"),
        regex=AREA_CODE.pattern,
        required=False,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=[("", _("Semua"))] + AgencyKind.choices, required=False
    )
    q = forms.CharField(label=_("Cari nama"), required=False, max_length=100)

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"area_code": data["area"] or None, "kind": data["kind"] or None, "q": data["q"]}


class AgencyForm(AccessibleFormMixin, forms.Form):
    """Create or edit an agency (the area only when creating)."""

    area = forms.RegexField(
        label=_("Wilayah"),
        regex=AREA_CODE.pattern,
        help_text=_("Wilayah yang dilayani instansi ini. Contoh kode: 62.71"),
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=AgencyKind.choices, error_messages=REQUIRED)
    name = forms.CharField(label=_("Nama instansi"), max_length=200, error_messages=REQUIRED)
    short_name = forms.CharField(label=_("Singkatan"), max_length=60, required=False)
    contact_name = forms.CharField(label=_("Narahubung"), max_length=150, required=False)
    contact_phone = forms.CharField(
        label=_("Telepon"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Surel"),
        required=False,
        error_messages={"invalid": _("Alamat surel tidak sah.")},
    )
    address = forms.CharField(
        label=_("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["area"]
        else:
            del self.fields["active"]

    def apply_errors(self, exc: InvalidInput) -> None:
        """Put the service's field errors next to their fields."""
        for name, messages in exc.errors.items():
            target = "area" if name == "area_code" else name
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
        if not exc.errors:
            self.add_error(None, exc.message)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("area", None)
        data.pop("version", None)
        return data


class MemberForm(AccessibleFormMixin, forms.Form):
    """Add a user (by user name) to an agency."""

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    position = forms.CharField(label=_("Jabatan di instansi"), max_length=150, required=False)
