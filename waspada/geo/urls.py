from django.urls import path, re_path

from waspada.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.area_index, name="area_index"),
    path("cari/", views.area_search, name="area_search"),
    re_path(
        r"^(?P<code>\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)/$", views.area_detail, name="area_detail"
    ),
]
