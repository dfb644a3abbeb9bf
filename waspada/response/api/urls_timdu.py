"""/api/v1/ endpoints of the response app: timdu (included by waspada/response/api/urls.py):
timdus, action-plans, plan-activities, plan-reports."""

from django.urls import URLPattern, URLResolver

from waspada.response.api import timdu

urlpatterns: list[URLPattern | URLResolver] = [*timdu.urlpatterns]
