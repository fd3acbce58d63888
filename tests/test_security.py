"""Hardening: login lockout, the feed's escaping, the Content-Security-Policy and the docs,
role permissions walked through the admin, and SQLite database URLs."""

from __future__ import annotations

import datetime
import logging
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from claims.models import Evidence

from .builders import publish
from .factories import PASSWORD, ClaimFactory, EvidenceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


# 1. Login lockout --------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["/accounts/login/", "/admin/login/"])
def test_a_few_wrong_passwords_lock_the_account_even_against_the_right_one(login, editor, settings, caplog):
    caplog.set_level(logging.WARNING, logger="claims.lockout")
    client = Client()
    answers = [
        client.post(login, {"username": "eve", "password": f"wrong-{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again, with its error
    locked = client.post(login, {"username": "eve", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "Try again in" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Login locked out" in r.getMessage() and "'eve'" in r.getMessage() for r in caplog.records)


def test_failures_from_one_address_lock_it_whatever_the_account(editor, reviewer, settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": f"guess-{n}", "password": "x"})
    assert client.post("/accounts/login/", {"username": "rita", "password": PASSWORD}).status_code == 429
    # Another address and the account itself are not locked.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post("/accounts/login/", {"username": "rita", "password": PASSWORD}).status_code == 302


def test_the_lock_is_released_after_the_cool_off_and_logged(editor, settings, caplog):
    caplog.set_level(logging.WARNING, logger="claims.lockout")
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "eve", "password": f"wrong-{n}"})
    assert client.post("/accounts/login/", {"username": "eve", "password": PASSWORD}).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1))
    assert client.post("/accounts/login/", {"username": "eve", "password": PASSWORD}).status_code == 302
    assert any("Login lockout released" in r.getMessage() for r in caplog.records)


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_saw(settings, rf):
    from claims.lockout import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    assert client_ip(request) == "10.0.0.2"
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"  # not the forgeable left-most entry


# 5. The Atom feed -----------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append(tag)


def test_feed_summaries_carry_no_markup_from_speakers_or_claims(editor, second_editor, reviewer):
    speaker = SpeakerFactory(name='<script>alert("speaker")</script>Mallory')
    claim = ClaimFactory(speaker=speaker, text="Taxes fell <img src=x onerror=alert(1)> by 3% & more.")
    publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    response = Client().get("/fact-checks/feed/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    summaries = feed.findall(".//{http://www.w3.org/2005/Atom}summary")
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary.get("type") == "html"
    parser = Tags()
    parser.feed(summary.text)  # what a feed reader renders
    assert parser.found == []
    assert "<script>" in _html_text(summary.text) and "onerror" in _html_text(summary.text)  # shown as text


def _html_text(html: str) -> str:
    import html as html_module

    return html_module.unescape(html)


# 9. Content-Security-Policy, and the API docs served by the app ------------------------------------


def test_every_page_has_a_policy_that_forbids_inline_script(editor_client, editor):
    for path in ("/", "/fact-checks/", "/accounts/login/", "/admin/", "/api/docs/", "/api/redoc/"):
        response = editor_client.get(path, follow=True)
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
        assert directives["object-src"] == "'none'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*["']""", re.I)


def test_no_template_has_inline_script_or_event_handlers():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert not INLINE_SCRIPT.search(text), path
        assert not EVENT_HANDLER.search(text), path
        assert "javascript:" not in text, path


def test_pages_as_served_have_no_inline_script(editor_client, editor, second_editor, reviewer):
    claim = ClaimFactory()
    publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    claim.refresh_from_db()
    paths = ["/", "/fact-checks/", f"/fact-checks/{claim.slug}/", f"/claims/{claim.pk}/", "/admin/"]
    paths += [f"/admin/claims/claim/{claim.pk}/change/", "/api/docs/", "/api/redoc/", "/dashboard/"]
    for path in paths:
        response = editor_client.get(path, follow=True)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html))
        assert not EVENT_HANDLER.search(html), path


def test_swagger_ui_and_redoc_come_from_our_own_static_files():
    client = Client()
    for path in ("/api/docs/", "/api/redoc/"):
        html = client.get(path).content.decode()
        assert "cdn" not in html.lower() and "https://" not in html, path
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts, path
        for src in scripts:
            if src.startswith("/static/"):
                assert finders.find(src.removeprefix("/static/")), src  # shipped with the app: works offline
            else:
                assert client.get(src).status_code == 200, src


# 10. Role permissions match the workflow's rules, in the admin too -------------------------------


def test_a_reviewer_made_staff_cannot_touch_evidence_or_verdicts_in_the_admin(reviewer_client, reviewer, editor):
    reviewer.is_staff = True
    reviewer.save()
    not_theirs = EvidenceFactory(claim=ClaimFactory(assignee=editor), added_by=editor)
    theirs = EvidenceFactory(claim=ClaimFactory(assignee=reviewer), added_by=reviewer)
    for evidence in (not_theirs, theirs):
        change = f"/admin/claims/evidence/{evidence.pk}/change/"
        page = reviewer_client.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read only
        post = reviewer_client.post(
            change, {"claim": evidence.claim_id, "url": "https://evil.example/", "stance": "refutes"}
        )
        assert post.status_code == 403
        assert reviewer_client.post(f"/admin/claims/evidence/{evidence.pk}/delete/", {"post": "yes"}).status_code == 403
    assert reviewer_client.get("/admin/claims/evidence/add/").status_code == 403
    assert reviewer_client.get("/admin/claims/verdict/add/").status_code == 403
    assert reviewer_client.get("/admin/claims/comment/add/").status_code == 403
    assert Evidence.objects.get(pk=not_theirs.pk).url == "https://stats.example.org/unemployment"


def test_each_role_walks_the_admin_as_its_rules_say(reviewer, editor, partner, outsider):
    evidence = EvidenceFactory(added_by=editor)
    change = f"/admin/claims/evidence/{evidence.pk}/change/"
    expected = {"editor": (200, True), "reviewer": (200, False), "partner": (403, False), "outsider": (403, False)}
    for name, user in (("editor", editor), ("reviewer", reviewer), ("partner", partner), ("outsider", outsider)):
        user.is_staff = True
        user.save()
        client = Client()
        client.force_login(user)
        response = client.get(change)
        status, can_save = expected[name]
        assert response.status_code == status, name
        assert ('name="_save"' in response.content.decode()) == can_save, name
    assert reviewer.has_perm("claims.review_claim") and not reviewer.has_perm("claims.change_evidence")
    assert editor.has_perm("claims.change_evidence")


def test_the_workbench_still_lets_a_reviewer_add_evidence_to_their_claim(reviewer_client, reviewer):
    claim = ClaimFactory(assignee=reviewer, status="in_review")
    response = reviewer_client.post(
        f"/claims/{claim.pk}/evidence/",
        {
            "url": "https://stats.example.org/a",
            "title": "Figures",
            "stance": "supports",
            "source_kind": "official_data",
        },
    )
    assert response.status_code in (200, 302), response.content[:500]
    assert Evidence.objects.filter(claim=claim, added_by=reviewer).exists()


# 11. DATABASE_URL takes SQLite URLs ----------------------------------------------------------


def test_a_sqlite_database_url_starts(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)
    ran = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert (tmp_path / "db.sqlite3").stat().st_size > 0


def test_postgres_only_options_are_only_for_postgres(monkeypatch):
    import importlib

    import factcheck.settings as project_settings

    try:
        monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/never-opened.sqlite3")
        sqlite = importlib.reload(project_settings).DATABASES["default"]
        assert "options" not in sqlite.get("OPTIONS", {}) and sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/x")
        postgres = importlib.reload(project_settings).DATABASES["default"]
        assert postgres["OPTIONS"]["options"] == "-c jit=off"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
