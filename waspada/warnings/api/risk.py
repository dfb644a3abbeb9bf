urlpatterns: list = []  # filled by the risk API work
