from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "waspada.warnings"
    label = "warnings"
    verbose_name = "Peringatan dini"

    def ready(self) -> None:
        # Verified items feed the aggregates: listen to the events app's change signal.
        from waspada.warnings import handlers  # noqa: F401
