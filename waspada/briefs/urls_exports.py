"""Pages of the briefs app: exports (included by waspada/briefs/urls.py, under /dokumen/)."""

from django.urls import URLPattern, path

from waspada.briefs import views_exports

urlpatterns: list[URLPattern] = [
    path("ekspor/", views_exports.export_start, name="export_start"),
    path("ekspor/riwayat/", views_exports.export_list, name="export_list"),
    path("ekspor/<int:pk>/", views_exports.export_detail, name="export_detail"),
    path("ekspor/<int:pk>/unduh/", views_exports.export_download, name="export_download"),
]
