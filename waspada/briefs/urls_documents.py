"""Pages of the briefs app: documents (included by waspada/briefs/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
