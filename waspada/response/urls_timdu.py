"""Pages of the response app: timdu (included by waspada/response/urls.py).

/respons/timdu/ (list), timdu/baru/, timdu/<pk>/ (members, plans), timdu/<pk>/ubah/,
timdu/<pk>/anggota/ (POST), timdu/<pk>/rad/baru/, rad/<pk>/ (the RAD), rad/<pk>/ubah/,
rad/<pk>/kegiatan/baru/, rad/kegiatan/<pk>/ubah/, rad/<pk>/laporan/<period>/ (B04, B08, B12).
"""

from django.urls import URLPattern, path

from waspada.response import views_timdu

urlpatterns: list[URLPattern] = [
    path("timdu/", views_timdu.timdu_list, name="timdu_list"),
    path("timdu/baru/", views_timdu.timdu_create, name="timdu_create"),
    path("timdu/<int:pk>/", views_timdu.timdu_detail, name="timdu_detail"),
    path("timdu/<int:pk>/ubah/", views_timdu.timdu_edit, name="timdu_edit"),
    path("timdu/<int:pk>/anggota/", views_timdu.timdu_member, name="timdu_member"),
    path("timdu/<int:pk>/rad/baru/", views_timdu.plan_create, name="plan_create"),
    path("rad/<int:pk>/", views_timdu.plan_detail, name="plan_detail"),
    path("rad/<int:pk>/ubah/", views_timdu.plan_edit, name="plan_edit"),
    path("rad/<int:pk>/kegiatan/baru/", views_timdu.activity_create, name="activity_create"),
    path("rad/kegiatan/<int:pk>/ubah/", views_timdu.activity_edit, name="activity_edit"),
    path("rad/<int:pk>/laporan/<str:period>/", views_timdu.plan_report, name="plan_report"),
]
