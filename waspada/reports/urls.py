"""/laporan/: entry pages (urls_entry), review pages (urls_review) and import (views_import)."""

from waspada.reports.urls_entry import urlpatterns as entry_urls
from waspada.reports.urls_review import urlpatterns as review_urls
from waspada.reports.views_import import urlpatterns as import_urls

app_name = "reports"
urlpatterns = [*entry_urls, *review_urls, *import_urls]
