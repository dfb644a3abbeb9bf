"""Pages of the briefs app under /dokumen/: urls_documents (briefs, letterheads, subscriptions)
and urls_exports (exports)."""

from waspada.briefs import urls_documents, urls_exports

app_name = "briefs"
urlpatterns = [*urls_documents.urlpatterns, *urls_exports.urlpatterns]
