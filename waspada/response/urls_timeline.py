"""Pages of the response app: timeline (included by waspada/response/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
