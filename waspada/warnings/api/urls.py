"""API routes of the early-warning app: risk (read side) and alerts/subscriptions."""

from waspada.warnings.api import alerts, risk

urlpatterns = [*risk.urlpatterns, *alerts.urlpatterns]
