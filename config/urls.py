from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("waspada.dashboards.urls")),
    path("", include("waspada.core.urls")),
    path("akun/", include("waspada.accounts.urls")),
    path("wilayah/", include("waspada.geo.urls")),
    path("laporan/", include("waspada.reports.urls")),
    path("kejadian/", include("waspada.events.urls")),
    path("notifikasi/", include("waspada.notifications.urls")),
    path("peringatan/", include("waspada.warnings.urls")),
    path("respons/", include("waspada.response.urls")),
    path("dokumen/", include("waspada.briefs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("config.api_urls")),
]

# No MEDIA_URL route, not even with DEBUG: uploaded files (attachments) are served only through
# scoped views such as events:attachment_download, which check the area and the clearance.
