"""/api/v1/agencies/ (included by waspada/response/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from waspada.response.api.agencies import AgencyViewSet

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="agency")

urlpatterns = router.urls
