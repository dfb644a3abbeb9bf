from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "waspada.reports"
    label = "reports"
    verbose_name = "Laporan"
