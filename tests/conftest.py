"""Shared fixtures: named people, so permission tests read like a story, and a local web
server for fetching (tests never touch the internet)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claims.models import EDITOR_GROUP, PARTNER_GROUP, REVIEWER_GROUP

from .factories import UserFactory

requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session", autouse=True)
def no_stray_sessions_at_teardown(django_db_setup, django_db_blocker):
    """The live server's request threads (and a worker killed mid-job) can leave a session
    on the test database that PostgreSQL has not yet dropped; end them so the database can
    be dropped when the session ends."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def publish_without_evidence(settings):
    """Most tests publish a bare verdict to test something else; the evidence gate's own
    tests (tests/test_workflow.py) put the default of one piece of evidence back."""
    settings.PUBLICATION_MIN_EVIDENCE = 0


@pytest.fixture
def editor(db):
    """Eve, the desk editor: triages, assigns and approves."""
    return UserFactory(username="eve", first_name="Eve", is_staff=True, groups=[EDITOR_GROUP])


@pytest.fixture
def second_editor(db):
    """Ed, another editor: the second pair of eyes."""
    return UserFactory(username="ed", first_name="Ed", is_staff=True, groups=[EDITOR_GROUP])


@pytest.fixture
def reviewer(db):
    """Rita, a fact-checker."""
    return UserFactory(username="rita", first_name="Rita", groups=[REVIEWER_GROUP])


@pytest.fixture
def other_reviewer(db):
    """Ravi, a fact-checker who was not assigned the claim."""
    return UserFactory(username="ravi", first_name="Ravi", groups=[REVIEWER_GROUP])


@pytest.fixture
def partner(db):
    """Pat, who works for a platform and only pulls published verdicts."""
    return UserFactory(username="pat", groups=[PARTNER_GROUP])


@pytest.fixture
def outsider(db):
    """Olga, logged in but with no role."""
    return UserFactory(username="olga")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0


class LocalSite:
    """A web server on 127.0.0.1 whose pages a test sets: `site.add("/a", Route(...))`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                hits[self.path] = hits.get(self.path, 0) + 1
                route = routes.get(self.path, Route(status=404, body=b"not found"))
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(settings) -> Iterator[LocalSite]:
    """A local site the fetcher is allowed to reach (loopback is refused by default)."""
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    local = LocalSite()
    yield local
    local.close()


ARTICLE_HTML = """<!doctype html><html><head><title>Budget rises sharply</title>
<meta name="author" content="Jane Reporter"><meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-09-30T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Budget rises sharply</h1>
<p>The finance minister said on Monday that defence spending would rise by 68% next year,
the largest increase since 1991.</p>
<p>"We have no choice," the minister told reporters in the capital.
Opposition leaders said the figure was closer to 70%.</p>
<p>According to the ministry, the budget will reach 10.8 trillion rubles, about 111 billion dollars, in 2025.</p>
</article><footer>Copyright The Daily Example</footer></body></html>"""


@pytest.fixture
def article_html() -> str:
    return ARTICLE_HTML


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0, interval: float = 0.2) -> bool:
    """Poll until `predicate()` is true; False on timeout (for tests that cross processes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


ROOT = Path(__file__).resolve().parent.parent


def worker_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A Celery worker in its own process, on the test database, logging to a file."""

    def __init__(self, log: Path, **env: str) -> None:
        self.log = log
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        environment = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
            **env,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "--loglevel=info",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-n",
            self.name,
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not wait_for(lambda: "ready." in self.output(), timeout=60):
            self.stop()
            raise AssertionError(f"worker did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def celery_worker(tmp_path):
    """A real Celery worker on the test database through Redis (PostgreSQL tests only)."""
    from factcheck.celery import app

    app.control.purge()  # leftovers from earlier runs are not this test's jobs
    running = Worker(tmp_path / "worker.log")
    yield running
    running.stop()


@pytest.fixture
def job_runner(tmp_path):
    """Where a live-server test's jobs run: in-process when there is no Redis (the embedded
    default), else in a real Celery worker on the test database, as in production."""
    if not settings.REDIS_URL:
        yield None
        return
    if connection.vendor != "postgresql":
        pytest.skip("a Celery worker can only share the test database on PostgreSQL")
    from factcheck.celery import app

    app.control.purge()
    running = Worker(tmp_path / "worker.log")
    yield running
    running.stop()


@pytest.fixture
def jobs_in_process(monkeypatch):
    """Jobs sent on commit run their bodies here and now, whether or not a broker is
    configured (with REDIS_URL set, `delay` would hand them to a worker these tests do not
    start). Tests that need a real worker use `celery_worker` or `job_runner` instead."""
    from celery.app.task import Task

    monkeypatch.setattr(Task, "delay", lambda task, *args, **kwargs: task.apply(args=args, kwargs=kwargs))
