"""Page-number pagination for every list endpoint.

Kept apart from the viewsets: DRF imports it while its own modules are still loading.
"""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination: `count`, `next`, `previous`, `results`; `page_size` up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500
