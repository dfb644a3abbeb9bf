from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    """Filters of the audit log page and API (all optional)."""

    action = forms.CharField(label=_("Tindakan"), required=False, max_length=80)
    actor = forms.CharField(label=_("Pelaku"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Jenis objek"), required=False, max_length=80)
    object_id = forms.CharField(label=_("ID objek"), required=False, max_length=64)
    area = forms.RegexField(
        label=_("Kode wilayah"),
        required=False,
        regex=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
    )
