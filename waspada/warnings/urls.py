"""Pages of the early-warning app under /peringatan/: alerts, subscriptions, deliveries."""

from django.urls import path

from waspada.warnings import views_alerts

app_name = "warnings"
urlpatterns = [
    path("", views_alerts.alert_list, name="alert_list"),
    path("<int:pk>/", views_alerts.alert_detail, name="alert_detail"),
    path("<int:pk>/terima/", views_alerts.alert_acknowledge, name="alert_acknowledge"),
    path("<int:pk>/komentar/", views_alerts.alert_comment, name="alert_comment"),
    path("langganan/", views_alerts.subscription_list, name="subscription_list"),
    path(
        "langganan/<int:pk>/hapus/",
        views_alerts.subscription_delete,
        name="subscription_delete",
    ),
    path("pengiriman/", views_alerts.delivery_list, name="delivery_list"),
    path("berhenti/<str:token>/", views_alerts.unsubscribe, name="unsubscribe"),
]
