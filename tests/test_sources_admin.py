"""Monitored sources for editors: registering and pausing them in the admin, their health on
the dashboard, and triage narrowed to what one source brought in."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Source, SourceItem

from .factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_editor_registers_a_source_in_the_admin(editor_client, editor):
    response = editor_client.post(
        reverse("admin:claims_source_add"),
        {
            "name": "Harbour Gazette",
            "kind": "feed",
            "url": "https://gazette.example.org/feed.xml",
            "outlet": "Harbour Gazette",
            "language": "en",
            "interval_minutes": "30",
            "active": "on",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get()
    assert (source.interval_minutes, source.language, source.active) == (30, "en", True)
    assert source.next_poll_at <= timezone.now()  # polled at the next tick


def test_an_editor_pauses_and_resumes_sources_and_reads_their_health(editor_client, editor):
    failing = Source.objects.create(
        name="Flaky",
        url="https://flaky.example.org/rss",
        failures=3,
        last_polled_at=timezone.now(),
        last_error="The site answered with a server error (HTTP 500). The poll failed 3 times in a row.",
    )
    changelist = reverse("admin:claims_source_changelist")
    html = editor_client.get(changelist).content.decode()
    assert "Failing (3×)" in html and "HTTP 500" in html
    editor_client.post(changelist, {"action": "pause", "_selected_action": [failing.pk]})
    failing.refresh_from_db()
    assert not failing.active
    editor_client.post(changelist, {"action": "resume", "_selected_action": [failing.pk]})
    failing.refresh_from_db()
    assert failing.active and failing.failures == 0 and failing.next_poll_at <= timezone.now()
    page = editor_client.get(reverse("admin:claims_source_change", args=[failing.pk])).content.decode()
    assert "failed items of the last poll" in page.lower()


def test_only_editors_reach_the_sources_admin(reviewer_client, reviewer):
    changelist = reverse("admin:claims_source_changelist")
    assert "/admin/login/" in reviewer_client.get(changelist)["Location"]
    reviewer_client.force_login(UserFactory(username="sam", is_staff=True))  # staff, but no editor role
    assert reviewer_client.get(changelist).status_code == 403
    assert reviewer_client.post(reverse("admin:claims_source_add"), {"name": "x"}).status_code == 403
    assert not Source.objects.exists()


def test_the_dashboard_shows_each_sources_health_in_one_query(editor_client, editor, django_assert_num_queries):
    url = reverse("claims:dashboard")
    assert "No source is monitored yet" in editor_client.get(url).content.decode()
    now = timezone.now()
    Source.objects.create(
        name="Quiet",
        url="https://quiet.example.org/rss",
        last_polled_at=now,
        items_seen=12,
        items_new=3,
        next_poll_at=now + datetime.timedelta(minutes=15),
    )
    Source.objects.create(
        name="Broken",
        url="https://broken.example.org/rss",
        last_polled_at=now,
        failures=2,
        last_error="The site answered with a server error (HTTP 500). Backing off.",
        items_failed=0,
    )
    editor_client.get(url)
    with CaptureQueriesContext(connection) as two:
        html = editor_client.get(url).content.decode()
    section = html[html.index('id="sources"') :]
    assert section.index("Broken") < section.index("Quiet")  # failing first
    assert "HTTP 500" in section and ">12<" in section and ">3<" in section
    for n in range(5):
        Source.objects.create(name=f"More {n}", url=f"https://m{n}.example.org/rss")
    with django_assert_num_queries(len(two)):
        editor_client.get(url)


def test_triage_can_be_narrowed_to_one_source_most_check_worthy_first(editor_client, editor):
    gazette = Source.objects.create(name="Gazette", url="https://gazette.example.org/rss")
    other = Source.objects.create(name="Other", url="https://other.example.org/rss")
    from_gazette = ArticleFactory()
    SourceItem.objects.create(source=gazette, url="https://gazette.example.org/a", article=from_gazette)
    SourceItem.objects.create(source=other, url="https://other.example.org/a", article=from_gazette)
    low = ClaimFactory(article=from_gazette, text="Ferry fares rose by 4% this year", score=0.4)
    high = ClaimFactory(article=from_gazette, text="Rents doubled in ten years", score=0.9)
    elsewhere = ClaimFactory(text="Bus fares fell by a third", score=0.95)
    response = editor_client.get(reverse("claims:triage"), {"source": gazette.pk})
    shown = [claim.pk for claim in response.context["page"]]
    assert shown == [high.pk, low.pk] and elsewhere.pk not in shown  # one row per claim, by score
    everything = editor_client.get(reverse("claims:triage")).context["page"]
    assert [c.pk for c in everything][:1] == [elsewhere.pk]
    assert 'name="source"' in response.content.decode()


def test_articles_a_source_brought_in_that_failed_are_counted_and_listed(editor_client, editor):
    source = Source.objects.create(name="Gazette", url="https://gazette.example.org/rss", last_polled_at=timezone.now())
    good, bad = ArticleFactory(), ArticleFactory(status="failed", error="The site refused the page (HTTP 404).")
    SourceItem.objects.create(source=source, url="https://gazette.example.org/good", article=good)
    SourceItem.objects.create(source=source, url="https://gazette.example.org/bad", article=bad)
    ArticleFactory(status="failed")  # someone else's
    html = editor_client.get(reverse("claims:dashboard")).content.decode()
    assert "1 of 2 articles could not be fetched or read" in html
    listing = editor_client.get(reverse("admin:claims_source_changelist")).content.decode()
    link = f"?status=failed&amp;source_items__source={source.pk}"
    assert link in listing
    failed = editor_client.get(reverse("admin:claims_article_changelist") + link.replace("&amp;", "&"))
    assert failed.status_code == 200 and list(failed.context["cl"].result_list) == [bad]
