"""/api/v1/ endpoints of the briefs app: documents (included by waspada/briefs/api/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from waspada.briefs.api.documents import BriefSubscriptionViewSet, BriefViewSet

router = SimpleRouter()
router.register("briefs", BriefViewSet, basename="api-brief")
router.register("brief-subscriptions", BriefSubscriptionViewSet, basename="api-brief-subscription")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
