"""Background jobs of the response domain (Celery finds this package; each part registers its
jobs in its own module)."""

from waspada.response.tasks import cases, directives, timdu  # noqa: F401 (registers the jobs)
