"""Pages of the briefs app: documents (included by waspada/briefs/urls.py, under /dokumen/)."""

from django.urls import URLPattern, path

from waspada.briefs import views_documents as views

urlpatterns: list[URLPattern] = [
    path("", views.brief_list, name="brief_list"),
    path("<int:pk>/", views.brief_detail, name="brief_detail"),
    path("<int:pk>/unduh/<str:fmt>/", views.brief_download, name="brief_download"),
    path(
        "laporan-informasi/<int:event_id>/",
        views.information_report,
        name="information_report",
    ),
    path("langganan/", views.subscription_list, name="subscription_list"),
    path("langganan/<int:pk>/hapus/", views.subscription_delete, name="subscription_delete"),
    path("kop/", views.letterhead, name="letterhead"),
]
