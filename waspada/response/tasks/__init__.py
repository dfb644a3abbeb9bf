"""Background jobs of the response domain (Celery finds this package; each part registers its
jobs in its own module)."""

from waspada.response.tasks import (  # noqa: F401 (registers the jobs)
    cases,
    directives,
    timdu,
    webhooks,
)
