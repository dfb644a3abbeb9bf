"""Forms of the alert pages. They parse and render; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.forms import AccessibleFormMixin
from waspada.accounts.validation import AREA_CODE
from waspada.core.errors import InvalidInput
from waspada.warnings.choices import Channel, DeliveryStatus, DigestMode, RiskLevel

REQUIRED = {"required": _("Wajib diisi.")}
ALERT_LEVELS = [(int(level), level.label) for level in RiskLevel if level >= RiskLevel.WASPADA]


class SubscriptionForm(AccessibleFormMixin, forms.Form):
    """New subscription: area (inside the user's scope), minimum level, channel, mode, URL."""

    area = forms.RegexField(
        label=_("Wilayah"),
        regex=AREA_CODE.pattern,
        help_text=_("Wilayah ini beserta semua wilayah di bawahnya. Contoh kode: 62.71"),
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    min_level = forms.TypedChoiceField(
        label=_("Mulai dari level"),
        choices=ALERT_LEVELS,
        coerce=int,
        initial=int(RiskLevel.WASPADA),
    )
    channel = forms.ChoiceField(label=_("Saluran"), choices=Channel.choices, initial=Channel.INBOX)
    digest = forms.ChoiceField(
        label=_("Mode"),
        choices=DigestMode.choices,
        initial=DigestMode.IMMEDIATE,
        help_text=_("Ringkasan harian dikirim sekali sehari, pagi hari waktu wilayah."),
    )
    webhook_url = forms.CharField(
        label=_("URL webhook"),
        required=False,
        max_length=500,
        help_text=_(
            "Hanya untuk saluran webhook: alamat http(s) yang menerima POST JSON. Webhook juga "
            "menerima kejadian respons di wilayah itu: arahan, tindak lanjut, kasus konflik, "
            "status keadaan konflik, dan laporan RAD yang belum masuk."
        ),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "area_code": data["area"],
            "min_level": data["min_level"],
            "channel": data["channel"],
            "digest": data["digest"],
            "webhook_url": data["webhook_url"],
        }

    def apply_errors(self, exc: InvalidInput) -> None:
        """Put the service's field errors next to their fields."""
        for name, messages in exc.errors.items():
            target = "area" if name == "area_code" else name
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
        if not exc.errors:
            self.add_error(None, exc.message)


class CommentForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Komentar"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )


YES_NO = [("", _("Semua")), ("ya", _("Sudah diterima")), ("belum", _("Belum diterima"))]


class AlertFilterForm(forms.Form):
    """Filters of the alert list (GET): level, area (and below), acknowledged."""

    level = forms.TypedChoiceField(
        label=_("Level minimal"),
        choices=[("", _("Semua")), *ALERT_LEVELS],
        coerce=int,
        required=False,
        empty_value=None,
    )
    area = forms.RegexField(
        label=_("Wilayah"),
        regex=AREA_CODE.pattern,
        required=False,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    ack = forms.ChoiceField(label=_("Tanda terima"), choices=YES_NO, required=False)

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        ack = {"ya": True, "belum": False}.get(data.get("ack") or "")
        return {
            "level": data.get("level"),
            "area_code": data.get("area") or "",
            "acknowledged": ack,
        }


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua")), *DeliveryStatus.choices], required=False
    )
