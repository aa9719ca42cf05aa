"""The Celery application: `celery -A community worker` and `celery -A community beat`
(see Procfile). Its settings are the `CELERY_*` names in community/settings.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

app = Celery("community")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["community.jobs"])
