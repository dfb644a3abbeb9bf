"""Background jobs of briefs: documents (ids in, services called, idempotent)."""

from __future__ import annotations

from typing import Any

from waspada.core.jobs import JobFailed, job


@job(name="briefs.build_brief", timeout=900)
def build_brief(brief_id: int) -> dict[str, Any]:
    """Build one queued brief (DOCX and PDF) as its reader; a done or failed brief is left as it
    is. The run fails (and says why) when the brief fails."""
    from waspada.briefs.choices import JobState
    from waspada.briefs.services import documents

    brief = documents.build_brief(brief_id)
    result = {"brief": brief.pk, "state": brief.state, "version": brief.version}
    if brief.state == JobState.FAILED:
        raise JobFailed(brief.error or "Dokumen gagal dibuat.", result=result)
    return result


@job(name="briefs.send_scheduled_briefs", timeout=1800, exclusive=True)
def send_scheduled_briefs() -> dict[str, int]:
    """Every 15 minutes: request the daily, weekly and monthly briefs subscribers are due once
    their local hour has come, and deliver the ones built (each channel once)."""
    from waspada.briefs.services import documents

    return documents.send_scheduled_briefs()
