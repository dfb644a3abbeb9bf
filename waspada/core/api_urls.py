from django.urls import path

from waspada.core.api_views import AuditEntryList

urlpatterns = [
    path("audit/", AuditEntryList.as_view(), name="api-audit-list"),
]
