"""/api/v1/ endpoints of the response app: conflict cases, the status keadaan konflik and
recovery activities (included by waspada/response/api/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from waspada.response.api.cases import (
    ConflictCaseViewSet,
    ConflictStatusViewSet,
    RecoveryActivityViewSet,
)

router = SimpleRouter()
router.register("conflict-cases", ConflictCaseViewSet, basename="conflict-case")
router.register("conflict-statuses", ConflictStatusViewSet, basename="conflict-status")
router.register("recovery-activities", RecoveryActivityViewSet, basename="recovery-activity")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
