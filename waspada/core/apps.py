from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waspada.core"
    label = "core"
    verbose_name = "Inti"
