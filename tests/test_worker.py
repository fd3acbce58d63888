"""Jobs through a real Celery worker process and Redis (PostgreSQL and REDIS_URL needed)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from claims import services
from claims.models import Article

from .support import Route, Worker, wait_for, worker_database_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_fetches_and_ingests_an_article_through_redis(celery_worker, site, article_html):
    url = site.add("/budget", Route(body=article_html.encode()))
    submission = services.article_submit(url=url)  # autocommit: the job goes to Redis now

    assert wait_for(lambda: Article.objects.get(pk=submission.article.pk).status in ("ready", "failed"), timeout=60)
    article = Article.objects.get(pk=submission.article.pk)
    assert article.status == Article.Status.READY, article.error
    assert "defence spending would rise by 68%" in article.body
    assert site.hits == {"/budget": 1}
    # It ran in the worker process, not here: the worker logged the job (its "succeeded"
    # line comes after the job's last commit, which the loop above may see first).
    assert wait_for(lambda: "succeeded" in celery_worker.output(), timeout=10)
    assert "claims.tasks.ingest_article" in celery_worker.output()


def test_a_failing_fetch_is_recorded_by_the_worker(celery_worker, site):
    submission = services.article_submit(url=site.url("/missing"))
    assert wait_for(lambda: Article.objects.get(pk=submission.article.pk).status == "failed", timeout=60)
    assert "HTTP 404" in Article.objects.get(pk=submission.article.pk).error


def test_a_job_whose_worker_is_killed_runs_again_on_another_worker_once(tmp_path, site, article_html):
    """SIGKILL mid-fetch: the unacknowledged job goes back to the queue (acks_late) and a
    second worker finishes it; the article ends with one set of quotes and claims."""
    from factcheck.celery import app

    app.control.purge()
    url = site.add("/slow", Route(body=article_html.encode(), delay=30))
    doomed = Worker(tmp_path / "doomed.log")
    try:
        submission = services.article_submit(url=url)
        pk = submission.article.pk
        assert wait_for(lambda: site.hits.get("/slow") == 1, timeout=30), doomed.output()
        doomed.stop(signal.SIGKILL)
    finally:
        doomed.stop()
    assert Article.objects.get(pk=pk).status == Article.Status.FETCHING  # left half-way

    site.routes["/slow"] = Route(body=article_html.encode())  # the site recovers
    # A short visibility timeout so the survivor takes the lost job back within seconds.
    survivor = Worker(tmp_path / "survivor.log", JOB_VISIBILITY_TIMEOUT="3", JOB_RESTORE_INTERVAL="1")
    try:
        assert wait_for(lambda: Article.objects.get(pk=pk).status == "ready", timeout=90), survivor.output()
    finally:
        survivor.stop()
    article = Article.objects.get(pk=pk)
    assert article.attempts == 2
    assert site.hits["/slow"] == 2
    spans = list(article.quotes.values_list("start", "end"))
    assert spans and len(spans) == len(set(spans))
    claims = list(article.claims.values_list("start", "end"))
    assert len(claims) == len(set(claims))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server program")
def test_submissions_during_a_redis_outage_are_kept_and_run_when_it_is_back(tmp_path, site, article_html):
    """Our own Redis on a spare port, down while an editor submits, then started again."""
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    story = tmp_path / "story.html"
    story.write_text(article_html, encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "REDIS_URL": broker}

    submitted = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(story)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert submitted.returncode == 0, submitted.stderr
    assert "1 queued" in submitted.stdout
    article = Article.objects.get()
    assert (article.status, article.get_status_display()) == ("pending", "Queued")

    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    worker = None
    try:
        assert wait_for(
            lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0
        )
        # the periodic job, as beat would send it; "stuck" means any age here
        worker = Worker(tmp_path / "worker.log", REDIS_URL=broker, ARTICLE_STUCK_AFTER_MINUTES="0")
        requeue = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "factcheck", "call", "claims.tasks.requeue_stuck_articles"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert requeue.returncode == 0, requeue.stderr
        assert wait_for(lambda: Article.objects.get().status == "ready", timeout=60), worker.output()
    finally:
        if worker:
            worker.stop()
        redis.terminate()
        redis.wait(timeout=10)


def _worker_sessions() -> set[int]:
    """The other PostgreSQL sessions on the test database: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def _submit_and_wait(rise: int) -> Article:
    text = f'"Rents rose by {rise}% this year," the housing minister Ada Moss told the council on Monday.'
    pk = services.article_submit(text=text).article.pk
    assert wait_for(lambda: Article.objects.get(pk=pk).status in ("ready", "failed"), timeout=60)
    return Article.objects.get(pk=pk)


def test_a_worker_keeps_its_database_session_between_jobs_and_recovers_when_it_is_cut(celery_worker):
    first = _submit_and_wait(11)
    assert first.status == Article.Status.READY, first.error
    kept = _worker_sessions()
    assert kept, celery_worker.output()
    assert _submit_and_wait(12).status == Article.Status.READY
    assert _worker_sessions() <= kept  # the same session served the next jobs: no new one

    with connection.cursor() as cursor:  # as a database restart would, from the worker's side
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(%s)", [list(kept)])
    third = _submit_and_wait(13)
    # The health check before the job found the session dead and opened a new one: the job
    # succeeded at its first attempt, no retry.
    assert (third.status, third.attempts) == (Article.Status.READY, 1), celery_worker.output()
    assert _worker_sessions() and not _worker_sessions() & kept
