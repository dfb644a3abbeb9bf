"""Pages of the response app under /respons/. Each part keeps its own url list:
urls_directives (agencies, directives, follow-up, the overview), urls_cases (conflict cases,
status keadaan konflik, recovery), urls_timdu (Timdu and RAD), urls_timeline (timelines)."""

from waspada.response import urls_cases, urls_directives, urls_timdu, urls_timeline

app_name = "response"
urlpatterns = [
    *urls_directives.urlpatterns,
    *urls_cases.urlpatterns,
    *urls_timdu.urlpatterns,
    *urls_timeline.urlpatterns,
]
