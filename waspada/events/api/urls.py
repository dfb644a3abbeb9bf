"""/api/v1/events/, /api/v1/items/, /api/v1/terms/."""

from rest_framework.routers import SimpleRouter

from waspada.events.api.views import EventViewSet, ItemViewSet, TermViewSet

router = SimpleRouter()
router.register("events", EventViewSet, basename="api-event")
router.register("items", ItemViewSet, basename="api-item")
router.register("terms", TermViewSet, basename="api-term")

urlpatterns = router.urls
