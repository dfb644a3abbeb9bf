"""/api/v1/ endpoints of the briefs app: exports (included by waspada/briefs/api/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
