"""/api/v1/directives/ and /api/v1/directive-assignments/{id}/follow-ups/ (included by
waspada/response/api/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from waspada.response.api.directives import DirectiveAssignmentViewSet, DirectiveViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="api-directive")
router.register(
    "directive-assignments", DirectiveAssignmentViewSet, basename="api-directive-assignment"
)

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
