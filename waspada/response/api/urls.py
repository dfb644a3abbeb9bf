"""/api/v1/ endpoints of the response app; each part keeps its own url list."""

from waspada.response.api import (
    urls_agencies,
    urls_cases,
    urls_directives,
    urls_timdu,
    urls_timeline,
)

urlpatterns = [
    *urls_agencies.urlpatterns,
    *urls_directives.urlpatterns,
    *urls_cases.urlpatterns,
    *urls_timdu.urlpatterns,
    *urls_timeline.urlpatterns,
]
