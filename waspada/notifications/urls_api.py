from django.urls import path

from waspada.notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationList.as_view(), name="api-notification-list"),
    path(
        "notifications/unread-count/",
        views.NotificationUnreadCount.as_view(),
        name="api-notification-unread-count",
    ),
    path(
        "notifications/read-all/",
        views.NotificationMarkAllRead.as_view(),
        name="api-notification-read-all",
    ),
    path(
        "notifications/<int:pk>/",
        views.NotificationDetail.as_view(),
        name="api-notification-detail",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationMarkRead.as_view(),
        name="api-notification-read",
    ),
]
