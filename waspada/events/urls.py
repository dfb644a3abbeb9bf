"""Event pages under /kejadian/ (namespace "events"), and scoped attachment downloads."""

from django.urls import URLPattern, path

from waspada.events import views

app_name = "events"
urlpatterns: list[URLPattern] = [
    path("", views.event_list, name="event_list"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/status/", views.event_status, name="event_status"),
    path("<int:pk>/gabung/", views.event_merge, name="event_merge"),
    path("<int:pk>/pisahkan/", views.event_unmerge, name="event_unmerge"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("lampiran/<int:pk>/hapus/", views.attachment_delete, name="attachment_delete"),
]
