"""/api/v1/: only includes each app's `api/urls.py`, plus the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("waspada.geo.api.urls")),
    path("", include("waspada.accounts.api.urls")),
    path("", include("waspada.core.api_urls")),
    path("", include("waspada.reports.api.urls")),
    path("", include("waspada.events.api.urls")),
    path("", include("waspada.notifications.urls_api")),
    path("", include("waspada.warnings.api.urls")),
    path("", include("waspada.response.api.urls")),
    path("", include("waspada.briefs.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
