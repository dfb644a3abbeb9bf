"""/api/v1/ endpoints of the briefs app; each part keeps its own url list."""

from waspada.briefs.api import urls_documents, urls_exports

urlpatterns = [*urls_documents.urlpatterns, *urls_exports.urlpatterns]
