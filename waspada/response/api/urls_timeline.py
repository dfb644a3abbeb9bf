"""/api/v1/timelines/ (included by waspada/response/api/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from waspada.response.api.timeline import CaseTimelineView, EventTimelineView

urlpatterns: list[URLPattern | URLResolver] = [
    path("timelines/events/<int:pk>/", EventTimelineView.as_view(), name="timeline-event"),
    path("timelines/cases/<int:pk>/", CaseTimelineView.as_view(), name="timeline-case"),
]
