"""Models of briefs and exports:

- `documents`: Letterhead (the *kop* of an area), Brief (one generated document version, DOCX and
  PDF, built by a background job with visible progress) and BriefSubscription (who receives the
  scheduled daily, weekly and monthly briefs of an area, by inbox or e-mail attachment);
- `exports`: Export (a filtered list of items as CSV, XLSX or GeoJSON, built in the background for
  large sets, downloadable when done).
"""

from waspada.briefs.models.documents import Brief, BriefSubscription, Letterhead
from waspada.briefs.models.exports import Export

__all__ = ["Brief", "BriefSubscription", "Export", "Letterhead"]
