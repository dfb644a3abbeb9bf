"""The filter form of the export page: the item list's own `ItemFilter` form, with friendlier
widgets (areas in the user's scope to pick from, axis terms as lists). Field names are the filter
names, so `/dokumen/ekspor/?area=62.71&aspect=ekonomi` fills the form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from waspada.briefs.selectors import exports as selectors
from waspada.events.filters import ItemFilter
from waspada.events.models import Item

# The filters offered on the page, in this order (the others still work from a link or the API).
SHOWN = (
    "q",
    "area",
    "occurred_from",
    "occurred_to",
    "status",
    "kind",
    "classification",
    "aspect",
    "athg",
    "uu7_source",
    "snpk",
    "acled_type",
    "election_type",
    "election_issue",
)
AXIS_FIELDS = (
    "aspect",
    "athg",
    "uu7_source",
    "snpk",
    "acled_type",
    "election_type",
    "election_issue",
)


def filter_form(user: Any, data: Mapping[str, str] | None) -> forms.Form:
    """The bound (or unbound, for no filters) item filter form for `user`."""
    form: forms.Form = ItemFilter(data or None, queryset=Item.objects.none(), viewer=user).form
    values = data or {}
    terms = selectors.term_choices(user)
    for name in AXIS_FIELDS:
        choices = [("", _("Semua")), *terms.get(name, [])]
        current = values.get(name, "")
        if current and current not in {code for code, _label in choices}:
            choices.append((current, current))  # several codes from a link: "ekonomi,politik"
        form.fields[name].widget = forms.Select(choices=choices)
    area = form.fields["area"]
    area.widget = forms.TextInput(
        attrs={"list": "export-areas", "inputmode": "decimal", "autocomplete": "off"}
    )
    for name in ("occurred_from", "occurred_to"):
        form.fields[name].widget = forms.DateInput(attrs={"type": "date"})
    form.fields["q"].widget.attrs.update({"type": "search"})
    for name in list(form.fields):
        if name not in SHOWN:
            form.fields[name].widget = forms.HiddenInput()
    return form


def apply_errors(form: forms.Form, errors: Mapping[str, list[str]]) -> list[str]:
    """Show a selector's or service's per-field messages next to their fields; returns the
    messages that belong to no field of the form (the format, for one), to show above it."""
    if form.is_bound:
        form.is_valid()
    loose: list[str] = []
    for name, messages in errors.items():
        for message in messages:
            if form.is_bound and name in form.fields:
                if message not in form.errors.get(name, []):
                    form.add_error(name, message)
            else:
                loose.append(message)
    return loose
