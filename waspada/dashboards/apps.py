from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "waspada.dashboards"
    label = "dashboards"
    verbose_name = "Dasbor"
