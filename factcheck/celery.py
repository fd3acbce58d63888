"""The Celery application. Configuration lives in settings under the CELERY_ prefix."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    """Treat each job as Django treats a request: keep the database connection while it is
    young and healthy (CONN_MAX_AGE, CONN_HEALTH_CHECKS), drop it after an error or once it
    is old. Celery's own Django fixup would close it around every job instead (a new
    PostgreSQL session per job) unless CELERY_DB_REUSE_MAX is set, as it is in settings;
    a job run in-process (no broker) runs inside its caller's transaction and is left alone.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
