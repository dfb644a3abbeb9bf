"""Pages of the early-warning app: alerts, subscriptions, risk settings (under /peringatan/)."""

app_name = "warnings"
urlpatterns: list = []  # filled by the alerts work
