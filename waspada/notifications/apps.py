from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "waspada.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
