"""Pages of the response app: cases (included by waspada/response/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
