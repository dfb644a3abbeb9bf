from django.urls import path, re_path

from waspada.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard_page, name="dashboard"),
    re_path(
        r"^dasbor/wilayah/(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/$",
        views.area_page,
        name="area",
    ),
]
