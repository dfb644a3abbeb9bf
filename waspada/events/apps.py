from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "waspada.events"
    label = "events"
    verbose_name = "Kejadian"
