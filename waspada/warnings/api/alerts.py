urlpatterns: list = []  # filled by the alerts API work
