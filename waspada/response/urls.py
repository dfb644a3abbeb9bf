"""Pages of the response app under /respons/. Each part keeps its own url list: urls_agencies
(agencies, evidence downloads), urls_directives (the overview, directives, follow-up), urls_cases
(conflict cases, status keadaan konflik, recovery), urls_timdu (Timdu and RAD), urls_timeline
(timelines of events and cases)."""

from waspada.response import (
    urls_agencies,
    urls_cases,
    urls_directives,
    urls_timdu,
    urls_timeline,
)

app_name = "response"
urlpatterns = [
    *urls_agencies.urlpatterns,
    *urls_directives.urlpatterns,
    *urls_cases.urlpatterns,
    *urls_timdu.urlpatterns,
    *urls_timeline.urlpatterns,
]
