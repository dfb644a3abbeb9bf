"""/laporan/: entry pages (urls_entry) and review pages (urls_review), owned separately."""

from waspada.reports.urls_entry import urlpatterns as entry_urls
from waspada.reports.urls_review import urlpatterns as review_urls

app_name = "reports"
urlpatterns = [*entry_urls, *review_urls]
