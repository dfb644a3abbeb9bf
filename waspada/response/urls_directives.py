"""Pages of the response app: the overview, directives and follow-up (included by urls.py)."""

from django.urls import URLPattern, path

from waspada.response import views_directives as views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("arahan/", views.directive_list, name="directive_list"),
    path("arahan/baru/", views.directive_create, name="directive_create"),
    path("arahan/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("arahan/<int:pk>/ubah/", views.directive_edit, name="directive_edit"),
    path("arahan/<int:pk>/batal/", views.directive_cancel, name="directive_cancel"),
    path(
        "arahan/tugas/<int:pk>/tindak-lanjut/",
        views.follow_up_create,
        name="follow_up_create",
    ),
]
