"""/api/v1/ endpoints of the briefs app: exports (included by waspada/briefs/api/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from waspada.briefs.api.exports import ExportViewSet

router = SimpleRouter()
router.register("exports", ExportViewSet, basename="api-export")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
