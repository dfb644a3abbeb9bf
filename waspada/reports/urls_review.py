"""Review pages under /laporan/ (namespace "reports"): queue and compliance."""

from django.urls import URLPattern, path, re_path

from waspada.reports import views_review

urlpatterns: list[URLPattern] = [
    path("tinjau/", views_review.review_queue, name="review_queue"),
    path("kepatuhan/", views_review.compliance_day, name="compliance"),
    re_path(
        r"^kepatuhan/(?P<code>\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)/(?P<year>\d{4})-(?P<month>\d{2})/$",
        views_review.compliance_month,
        name="compliance_month",
    ),
]
