"""The Celery app: settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Options for every task: a passing database error (a deadlock, a serialization failure, a
# connection dropped by a restart; Django raises them all as OperationalError) is tried again
# after 1, 2, 4... seconds, at random within each, up to a minute: well inside the broker's
# visibility timeout (settings.CELERY_VISIBILITY_TIMEOUT), so that a message waiting to be tried
# again is never handed to a second worker. Tasks are idempotent, so a retry is safe.
RETRY_PASSING_ERRORS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}
