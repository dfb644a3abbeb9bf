from django.urls import path, re_path

from waspada.geo.api import views

urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/search/", views.AreaSearchView.as_view(), name="area-search"),
    path("areas/locate/", views.AreaLocateView.as_view(), name="area-locate"),
    re_path(
        r"^areas/(?P<code>\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)/$",
        views.AreaDetailView.as_view(),
        name="area-detail",
    ),
    path("boundaries/", views.BoundaryView.as_view(), name="boundary-list"),
]
