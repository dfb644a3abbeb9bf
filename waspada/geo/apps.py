from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "waspada.geo"
    label = "geo"
    verbose_name = "Wilayah"
