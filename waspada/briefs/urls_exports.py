"""Pages of the briefs app: exports (included by waspada/briefs/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
