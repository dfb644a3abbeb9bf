"""Pages of the response app: conflict cases, the status keadaan konflik and recovery activities
(included by waspada/response/urls.py)."""

from django.urls import URLPattern, path

from waspada.response import views_cases as views

urlpatterns: list[URLPattern] = [
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/baru/", views.case_create, name="case_create"),
    path("kasus/<int:pk>/", views.case_detail, name="case_detail"),
    path("kasus/<int:pk>/ubah/", views.case_edit, name="case_edit"),
    path("kasus/<int:pk>/tahap/", views.case_stage, name="case_stage"),
    path("kasus/<int:pk>/tutup/", views.case_close, name="case_close"),
    path("kasus/<int:pk>/status/", views.case_status_declare, name="case_status_declare"),
    path("kasus/status/<int:pk>/perpanjang/", views.case_status_extend, name="case_status_extend"),
    path("kasus/status/<int:pk>/cabut/", views.case_status_revoke, name="case_status_revoke"),
    path("kasus/<int:pk>/pemulihan/baru/", views.recovery_create, name="recovery_create"),
    path("kasus/pemulihan/<int:pk>/ubah/", views.recovery_edit, name="recovery_edit"),
]
