"""Background jobs of briefs: exports (ids in, services called, idempotent)."""

from __future__ import annotations

from typing import Any

from waspada.core.jobs import JobFailed, job


@job(name="briefs.build_export", timeout=3600)
def build_export(export_id: int) -> dict[str, Any]:
    """Write the file of one export, with progress on its row; the owner is told when it is
    ready. A failed export (reason on the row) fails the run too."""
    from waspada.briefs.services import exports

    result = exports.build_export(export_id)
    if result.get("state") == "failed":
        raise JobFailed(str(result.get("error", "")), result=result)
    return result


@job(name="briefs.remove_expired_exports", timeout=900, exclusive=True)
def remove_expired_exports() -> dict[str, Any]:
    """Daily: delete the files of exports past their `expires_at` (the rows stay)."""
    from waspada.briefs.services import exports

    return exports.remove_expired_exports()
