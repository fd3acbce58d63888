"""Shared fixtures: the named people of every test and their signed-in clients, a partner
with a key, the published story most API and public-page tests read, local servers, job
runners and the browser. Tests never touch the internet.

The people (usernames are what the pages show):

    editor          Eve, the desk editor: triages, assigns and approves
    second_editor   Ed, another editor: the second pair of eyes
    third_editor    Ann, and fourth_editor, Bo: more editors, for approval panels
    reviewer        Rita, a fact-checker
    other_reviewer  Ravi, a fact-checker who was not assigned the claim
    partner         Pat, who works for a platform and only pulls published verdicts
    outsider        Olga, logged in but with no role

Each has `<person>_client`, a test client signed in as them; `anonymous_client` is signed
in as nobody. A partner's program does not sign in: `partner_key_client` sends the API
key of `partner_org`.

Markers (declared in pyproject.toml) say what a test needs; it is skipped without it:
`postgres` (DATABASE_URL), `worker` (PostgreSQL and REDIS_URL: a real Celery worker on
the test database) and `browser` (Debian's chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from claims import workflow
from claims.models import EDITOR_GROUP, PARTNER_GROUP, REVIEWER_GROUP, Claim, Partner, PartnerAPIKey, Verdict

from .builders import api_key_client, assign, logged_in, published_story, rating
from .factories import ClaimFactory, UserFactory
from .support import ARGS, CHROMIUM, SHOTS, LocalSite, Worker, chromium_present


def pytest_collection_modifyitems(config, items) -> None:
    """Skip what this run cannot give: the markers name the need, the reasons say how."""
    missing: dict[str, str] = {}
    if connection.vendor != "postgresql":
        missing["postgres"] = "needs PostgreSQL (set DATABASE_URL)"
    if not settings.REDIS_URL:
        missing["worker"] = "needs Redis (set REDIS_URL)"
    elif connection.vendor != "postgresql":
        missing["worker"] = "a Celery worker can only share the test database on PostgreSQL (set DATABASE_URL)"
    if not chromium_present():
        missing["browser"] = f"needs Debian's chromium at {CHROMIUM}"
    for item in items:
        for marker, reason in missing.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


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


# People ------------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    """Eve, the desk editor: triages, assigns and approves."""
    return UserFactory(username="eve", first_name="Eve", is_staff=True, groups=[EDITOR_GROUP])


@pytest.fixture
def second_editor(db):
    """Ed, another editor: the second pair of eyes."""
    return UserFactory(username="ed", first_name="Ed", is_staff=True, groups=[EDITOR_GROUP])


@pytest.fixture
def third_editor(db):
    """Ann, a third editor, for panels."""
    return UserFactory(username="ann", first_name="Ann", is_staff=True, groups=[EDITOR_GROUP])


@pytest.fixture
def fourth_editor(db):
    """Bo, a fourth editor, for panels."""
    return UserFactory(username="bo", first_name="Bo", is_staff=True, groups=[EDITOR_GROUP])


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


# Their clients (each its own, so one test can hold several) ------------------------------


@pytest.fixture
def editor_client(editor) -> APIClient:
    return logged_in(editor)


@pytest.fixture
def second_editor_client(second_editor) -> APIClient:
    return logged_in(second_editor)


@pytest.fixture
def reviewer_client(reviewer) -> APIClient:
    return logged_in(reviewer)


@pytest.fixture
def other_reviewer_client(other_reviewer) -> APIClient:
    return logged_in(other_reviewer)


@pytest.fixture
def partner_client(partner) -> APIClient:
    return logged_in(partner)


@pytest.fixture
def outsider_client(outsider) -> APIClient:
    return logged_in(outsider)


@pytest.fixture
def anonymous_client(db) -> APIClient:
    return APIClient()


# A partner's program -----------------------------------------------------------------------


@pytest.fixture
def partner_org(db) -> Partner:
    """Example Platform, the partner organisation whose key `partner_api_key` is."""
    return Partner.objects.create(name="Example Platform")


@pytest.fixture
def partner_api_key(partner_org) -> str:
    _, key = PartnerAPIKey.objects.create_key(name="main", partner=partner_org)
    return key


@pytest.fixture
def partner_key_client(partner_api_key) -> APIClient:
    return api_key_client(partner_api_key)


# Data --------------------------------------------------------------------------------------


@pytest.fixture
def story(editor, second_editor, reviewer) -> dict[str, Any]:
    """One published fact-check and unpublished work beside it (builders.published_story)."""
    return published_story(editor=editor, second_editor=second_editor, reviewer=reviewer)


@pytest.fixture
def assigned_claim(editor, reviewer) -> Claim:
    """A candidate Eve accepted and assigned to Rita."""
    return assign(ClaimFactory(), editor, reviewer)


@pytest.fixture
def submitted_verdict(assigned_claim, reviewer) -> Verdict:
    """Rita's verdict on the assigned claim ("False"), submitted for approval."""
    verdict = workflow.verdict_save_draft(
        claim=assigned_claim,
        by=reviewer,
        rating=rating("false"),
        headline="No, it rose",
        analysis="Figures show a rise.",
    )
    return workflow.verdict_submit(verdict=verdict, by=reviewer)


@pytest.fixture
def published_verdict(submitted_verdict, second_editor) -> Verdict:
    """That verdict approved by Ed, the second pair of eyes: a published fact-check."""
    return workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)


# Servers and jobs --------------------------------------------------------------------------


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
    default), else in a real Celery worker on the test database, as in production. The
    worker may fetch from the local test site."""
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


# The browser -------------------------------------------------------------------------------


@pytest.fixture
def browser(monkeypatch):
    """Headless Debian chromium through Playwright (tests marked `browser` use it)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe here. Only for this test: the setting must
    # not leak into later tests (the deploy check refuses it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()
