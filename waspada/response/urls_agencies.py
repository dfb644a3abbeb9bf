"""Pages of the response app: agencies and evidence downloads (included by urls.py)."""

from django.urls import URLPattern, path

from waspada.response import views_agencies as views

urlpatterns: list[URLPattern] = [
    path("instansi/", views.agency_list, name="agency_list"),
    path("instansi/baru/", views.agency_create, name="agency_create"),
    path("instansi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("instansi/<int:pk>/ubah/", views.agency_edit, name="agency_edit"),
    path("instansi/<int:pk>/anggota/", views.agency_member_add, name="agency_member_add"),
    path(
        "instansi/<int:pk>/anggota/<int:user_id>/keluar/",
        views.agency_member_remove,
        name="agency_member_remove",
    ),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
]
