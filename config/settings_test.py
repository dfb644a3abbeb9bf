"""Test settings: only speed-ups and isolation on top of `config.settings`.

The database comes from DATABASE_URL like everywhere else: CI sets it to PostgreSQL, a developer's
`make test` without it uses SQLite.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = (
    True  # jobs run synchronously inside the test, through the real task code
)
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every change refreshes the risk aggregates at once (the coalescing marker lives in the cache,
# which outlives a test; the coalescing has its own test).
WASPADA_RISK_COALESCE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
