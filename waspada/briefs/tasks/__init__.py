"""Background jobs of briefs and exports (Celery finds this package; each part registers its jobs
in its own module)."""

from waspada.briefs.tasks import documents, exports  # noqa: F401 (registers the jobs)
