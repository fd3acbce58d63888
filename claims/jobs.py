"""Sending jobs. The domain names the job it wants (`enqueue("ingest_article", pk)`); the
Celery tasks that run them live in `claims.tasks` and call the domain. So the domain never
imports the tasks, and no import inside a function is needed to break a cycle.

`claims.apps` imports `claims.tasks` when Django starts, so every job is registered in
every process (web, worker, commands) before anything is sent.
"""

from __future__ import annotations

from typing import Any

from celery import Task, current_app
from django.db import transaction

# Jobs that moved into `claims.tasks` keep the name they were first registered under, so
# messages already waiting in the broker, the routes and the beat schedule still find them.
REGISTERED_AS = {
    "deliver_webhook": "claims.webhooks.deliver_webhook",
    "requeue_webhooks": "claims.webhooks.requeue_webhooks",
}


def task(name: str) -> Task:
    """The Celery task for the job `name` (a function name in `claims.tasks`)."""
    return current_app.tasks[REGISTERED_AS.get(name, f"claims.tasks.{name}")]


def enqueue(name: str, *args: Any) -> None:
    """Send the job `name` once the current transaction commits.

    The rows it works on are saved first; if the broker is unreachable the error is logged
    and the request still succeeds: the article stays queued and `requeue_stuck_articles`
    sends its job again later. A broker outage never loses a submission.
    """
    job = task(name)
    transaction.on_commit(lambda: job.delay(*args), robust=True)
