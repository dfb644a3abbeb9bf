"""Forms of the event pages: status change, merge of a duplicate, attachment upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.events.choices import EventStatus


class EventStatusForm(forms.Form):
    """The next status of an event; `version` is the one the user saw (stale: 409)."""

    status = forms.ChoiceField(
        label=_("Status baru"),
        error_messages={
            "required": _("Pilih status baru."),
            "invalid_choice": _("Status ini tidak dapat dipilih sekarang."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, statuses: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s, EventStatus(s).label) for s in statuses or []
        ]


class MergeForm(forms.Form):
    """The duplicate to merge into the event on the page."""

    duplicate = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# Audit fields that change on every save and say nothing to a reader.
_NOISE = frozenset({"updated_at", "version", "created_at", "id"})


def changed_fields(before: Any, after: Any) -> list[str]:
    """Names of the fields an audit entry changed (for the history tables)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    keys = (set(before) | set(after)) - _NOISE
    return sorted(k for k in keys if before.get(k) != after.get(k))


def history_rows(entries: Any) -> list[Any]:
    """Audit entries with a `changes` attribute listing what each changed."""
    rows = list(entries)
    for entry in rows:
        entry.changes = changed_fields(entry.before, entry.after)
    return rows
