"""Report entry pages under /laporan/ (namespace "reports")."""

from django.urls import URLPattern, path

from waspada.reports import views_entry as views

urlpatterns: list[URLPattern] = [
    path("", views.report_list, name="report_list"),
    path("baru/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/ajukan/", views.report_submit, name="report_submit"),
    path("<int:pk>/kembalikan/", views.report_return, name="report_return"),
    path("<int:pk>/verifikasi/", views.report_verify, name="report_verify"),
    path("<int:pk>/butir/baru/", views.item_create, name="item_create"),
    path("<int:pk>/butir/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/butir/<int:item_pk>/hapus/", views.item_delete, name="item_delete"),
    path("<int:pk>/butir/<int:item_pk>/lampiran/", views.attachment_add, name="attachment_add"),
]
