"""The Celery application. Without a broker (REDIS_URL/CELERY_BROKER_URL unset) tasks run
eagerly in-process, so the demo and the tests need no worker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setka.config.settings")

app = Celery("setka")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
