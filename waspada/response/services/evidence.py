"""Evidence files of follow-ups, recovery activities and RAD progress entries.

The callers' services check who may add evidence to what; this module checks the file (its type
from the content, never the name: `events.attachments.inspect_upload`), strips photo metadata
(GPS included) unless the uploader keeps the location, stores it through Django's storage API
under a content-hash name, copies the owner's area and classification onto the row (so the
download view checks scope and clearance directly), and writes the audit entry.

Audit action: evidence.added (filed under the owner, so its history lists its files).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from waspada.core import audit
from waspada.core.classification import Classification
from waspada.events.attachments import Upload, inspect_upload
from waspada.response.models import (
    Evidence,
    FollowUp,
    PlanReportEntry,
    RecoveryActivity,
    evidence_path,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

Owner = FollowUp | RecoveryActivity | PlanReportEntry


def owner_area_and_classification(owner: Owner) -> tuple[str, str]:
    """The area code and classification an owner's evidence inherits."""
    if isinstance(owner, FollowUp):
        directive = owner.assignment.directive
        return directive.area_id, directive.classification
    if isinstance(owner, RecoveryActivity):
        return owner.case.area_id, owner.case.classification
    return owner.report.plan.timdu.area_id, str(Classification.BIASA)


def _owner_field(owner: Owner) -> str:
    if isinstance(owner, FollowUp):
        return "follow_up"
    if isinstance(owner, RecoveryActivity):
        return "recovery_activity"
    return "plan_entry"


def _snapshot(evidence: Evidence) -> dict[str, Any]:
    # audit.snapshot cannot serialise a FieldFile; the stored name is what the log needs.
    return {**audit.snapshot(evidence, exclude=["file"]), "file": evidence.file.name}


@transaction.atomic
def add_evidence(
    owner: Owner, upload: Upload, *, actor: User, keep_location: bool = False
) -> Evidence:
    """Check `upload`, store it and attach it to `owner`; returns the Evidence row.

    The same content uploaded twice to the same owner (a double submit) returns the first row.
    Raises InvalidInput (under "file") for an empty, oversized, disguised or unreadable file.
    The caller has already checked that `actor` may change `owner`.
    """
    kind, data, original_name = inspect_upload(upload, keep_location=keep_location)
    digest = hashlib.sha256(data).hexdigest()
    field = _owner_field(owner)
    existing = Evidence.objects.filter(**{field: owner}, sha256=digest).first()
    if existing is not None:
        return existing
    area_code, classification = owner_area_and_classification(owner)
    evidence = Evidence(
        area_code=area_code,
        classification=classification,
        original_name=original_name,
        content_type=kind.content_type,
        extension=kind.extension,
        size=len(data),
        sha256=digest,
        location_kept=keep_location and kind.is_photo,
        uploaded_by=actor,
        created_at=timezone.now(),
        **{field: owner},
    )
    stored = default_storage.save(
        evidence_path(evidence, f"{digest}{kind.extension}"), ContentFile(data)
    )
    try:
        evidence.file = stored
        evidence.save(force_insert=True)
        audit.record(
            actor=actor,
            action="evidence.added",
            object_type=owner._meta.label_lower,
            object_id=owner.pk,
            area_code=area_code,
            after=_snapshot(evidence),
        )
    except BaseException:
        # Nothing half-written: the row rolls back with the transaction, and the file goes too.
        default_storage.delete(stored)
        raise
    return evidence
