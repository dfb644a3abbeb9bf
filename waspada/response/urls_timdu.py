"""Pages of the response app: timdu (included by waspada/response/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
