from django.apps import AppConfig


class ResponseConfig(AppConfig):
    """Response: agencies, directives and follow-up, conflict cases, Timdu action plans (RAD)."""

    name = "waspada.response"
    label = "response"
    verbose_name = "Respons"
