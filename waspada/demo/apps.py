from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Set-up tooling for the demo installation (`manage.py seed_demo`); no models."""

    name = "waspada.demo"
    label = "demo"
    verbose_name = "Demo"
