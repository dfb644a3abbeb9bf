"""/api/v1/reports/ (this app's API), with the compliance and import endpoints of their modules."""

from rest_framework.routers import SimpleRouter

from waspada.reports.api.compliance import urlpatterns as compliance_urls
from waspada.reports.api.importing import urlpatterns as import_urls
from waspada.reports.api.views import ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")

# The fixed paths (compliance, import) come first so no report route can shadow them.
urlpatterns = [*compliance_urls, *import_urls, *router.urls]
