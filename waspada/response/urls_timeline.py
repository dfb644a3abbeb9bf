"""Pages of the response app: timelines of events and cases (included by urls.py)."""

from django.urls import URLPattern, path

from waspada.response import views_timeline as views

urlpatterns: list[URLPattern] = [
    path("kejadian/<int:pk>/linimasa/", views.event_timeline, name="event_timeline"),
    path("kasus/<int:pk>/linimasa/", views.case_timeline, name="case_timeline"),
]
