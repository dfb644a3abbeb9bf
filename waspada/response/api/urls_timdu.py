"""/api/v1/ endpoints of the response app: timdu (included by waspada/response/api/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
