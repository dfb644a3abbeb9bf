"""Forms of the document pages: request a brief, subscribe to scheduled briefs, edit the
letterhead. They parse and render; the services validate and write."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.forms import AccessibleFormMixin
from waspada.accounts.validation import AREA_CODE
from waspada.briefs.choices import PERIODIC_KINDS, BriefChannel, BriefKind
from waspada.core.errors import InvalidInput

REQUIRED = {"required": _("Wajib diisi.")}
PERIODIC_CHOICES = [(str(kind.value), kind.label) for kind in PERIODIC_KINDS]
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _area_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Wilayah"),
        regex=AREA_CODE.pattern,
        help_text=_("Wilayah ini beserta semua wilayah di bawahnya. Contoh kode: 62.71"),
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )


class _ServiceErrorsMixin(AccessibleFormMixin):
    def field_for(self, name: str) -> str:
        """The form field showing the service's errors about `name`."""
        return "area" if name == "area_code" else name

    def apply_errors(self, exc: InvalidInput) -> None:
        """Put the service's field errors next to their fields."""
        for name, messages in exc.errors.items():
            target = self.field_for(name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
        if not exc.errors:
            self.add_error(None, exc.message)


class BriefRequestForm(_ServiceErrorsMixin, forms.Form):
    """A periodic brief: kind, area, and the day, week or month (by kind)."""

    kind = forms.ChoiceField(
        label=_("Jenis dokumen"), choices=PERIODIC_CHOICES, initial=BriefKind.DAILY
    )
    area = _area_field()
    day = forms.DateField(
        label=_("Tanggal (rekap harian)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid (contoh: 2026-12-06).")},
    )
    week = forms.CharField(
        label=_("Minggu (laporan mingguan)"),
        required=False,
        max_length=8,
        help_text=_("Senin sampai Minggu; format TTTT-Www, misalnya 2026-W49."),
        widget=forms.TextInput(attrs={"type": "week", "placeholder": "2026-W49"}),
    )
    month = forms.CharField(
        label=_("Bulan (laporan bulanan)"),
        required=False,
        max_length=7,
        help_text=_("Format TTTT-BB, misalnya 2026-11."),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == BriefKind.DAILY and not data.get("day") and "day" not in self.errors:
            self.add_error("day", _("Isi tanggal rekap harian."))
        if kind == BriefKind.WEEKLY:
            data["week_start"] = self._week(data.get("week") or "")
        if kind == BriefKind.MONTHLY:
            data["month_start"] = self._month(data.get("month") or "")
        return data

    def _week(self, raw: str) -> dt.date | None:
        match = WEEK.match(raw.strip())
        if not match:
            self.add_error("week", _("Isi minggu dengan format TTTT-Www, misalnya 2026-W49."))
            return None
        try:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            self.add_error("week", _("Minggu ini tidak ada."))
            return None

    def _month(self, raw: str) -> dt.date | None:
        match = MONTH.match(raw.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            self.add_error("month", _("Isi bulan dengan format TTTT-BB, misalnya 2026-11."))
            return None
        return dt.date(int(match[1]), int(match[2]), 1)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        kwargs: dict[str, Any] = {"kind": kind, "area_code": data["area"]}
        if kind == BriefKind.DAILY:
            kwargs["day"] = data["day"]
        elif kind == BriefKind.WEEKLY:
            kwargs["period_start"] = data["week_start"]
        else:
            kwargs["period_start"] = data["month_start"]
        return kwargs

    def field_for(self, name: str) -> str:
        if name in ("day", "period_start"):
            kind = str(getattr(self, "cleaned_data", {}).get("kind") or "")
            return {"daily": "day", "weekly": "week"}.get(kind, "month")
        return super().field_for(name)


class BriefSubscriptionForm(_ServiceErrorsMixin, forms.Form):
    """New brief subscription: area, kind (daily, weekly, monthly), channel."""

    area = _area_field()
    kind = forms.ChoiceField(
        label=_("Jenis dokumen"), choices=PERIODIC_CHOICES, initial=BriefKind.DAILY
    )
    channel = forms.ChoiceField(
        label=_("Saluran"), choices=BriefChannel.choices, initial=BriefChannel.EMAIL
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"area_code": data["area"], "kind": data["kind"], "channel": data["channel"]}


class LetterheadForm(_ServiceErrorsMixin, forms.Form):
    """The letterhead of one area: lines, address, logo, and who signs."""

    lines = forms.CharField(
        label=_("Baris kop"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu baris per baris kop, mis. PEMERINTAH PROVINSI ... / BADAN KESBANGPOL"),
        error_messages=REQUIRED,
    )
    address = forms.CharField(label=_("Alamat dan kontak"), max_length=300, required=False)
    logo = forms.FileField(
        label=_("Logo (PNG atau JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Hapus logo yang tersimpan"), required=False)
    city = forms.CharField(label=_("Kota penandatanganan"), max_length=100, required=False)
    signer_title = forms.CharField(
        label=_("Jabatan penanda tangan"), max_length=200, required=False
    )
    signer_name = forms.CharField(label=_("Nama penanda tangan"), max_length=200, required=False)
    signer_id = forms.CharField(label=_("NIP"), max_length=40, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "lines": data["lines"],
            "address": data["address"],
            "logo": data.get("logo") or None,
            "remove_logo": bool(data.get("remove_logo")),
            "city": data["city"],
            "signer_title": data["signer_title"],
            "signer_name": data["signer_name"],
            "signer_id": data["signer_id"],
        }
