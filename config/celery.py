"""The Celery application. Tasks live in each app's `tasks.py` (built with `waspada.core.jobs.job`);
the periodic schedule is `CELERY_BEAT_SCHEDULE` in `config/settings.py`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("waspada")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
