"""A failed article says in plain words what happened and what to do, and can be tried
again: by an editor's Retry, or by submitting the same address again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import services, tasks
from claims.failures import failure_explain
from claims.models import Article

from .support import Route

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("recorded", "plain"),
    [
        ("The site refused the page (HTTP 404).", "answered 404 Not Found"),
        ("The site answered with a server error (HTTP 503).", "503 Service Unavailable"),
        ("example.org did not answer within 10 seconds. Trying again in 30 seconds.", "longer than 10 seconds"),
        ("Refused to fetch x.test: it points to a private or local network address (10.0.0.1)", "private network"),
        ("The host 'nowhere.invalid' does not exist (DNS lookup failed).", "could not be found"),
        ("Could not connect to example.org: refused.", "could not be reached"),
        ("No article text was found on the page.", "not an article"),
        ("Gave up after 6 attempts. Could not connect to example.org: refused.", "could not be reached"),
    ],
)
def test_each_kind_of_failure_is_told_in_plain_words(recorded, plain):
    failure = failure_explain(recorded)
    assert plain in failure.what
    assert failure.todo and failure.detail == recorded


def test_an_unknown_failure_still_says_what_to_do():
    failure = failure_explain("KeyError: 'x'")
    assert "went wrong" in failure.what and "Retry" in failure.todo and failure.detail == "KeyError: 'x'"


def test_giving_up_keeps_the_last_reason(settings):
    settings.ARTICLE_MAX_ATTEMPTS = 1
    article = Article.objects.create(url="https://example.org/a", attempts=1, error="Could not connect to x.")
    services.article_ingest(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error == "Gave up after 1 attempts. Could not connect to x."


def failed_article(site, captured) -> Article:
    url = site.add("/flaky", Route(status=404, body=b"gone"))
    with captured() as callbacks:
        article = services.article_submit(url=url).article
    assert len(callbacks) == 1
    tasks.ingest_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    return article


def test_editor_retries_a_failed_article_and_it_succeeds(
    editor_client, editor, site, article_html, django_capture_on_commit_callbacks, jobs_in_process
):
    article = failed_article(site, django_capture_on_commit_callbacks)
    page = editor_client.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert ">Retry</button>" in page
    site.add("/flaky", Route(body=article_html.encode()))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("claims:article_retry", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.READY and article.error == ""


def test_a_reviewer_sees_no_retry_and_cannot_post_one(
    reviewer_client, reviewer, site, django_capture_on_commit_callbacks
):
    article = failed_article(site, django_capture_on_commit_callbacks)
    assert ">Retry</button>" not in reviewer_client.get(reverse("claims:article", args=[article.pk])).content.decode()
    response = reviewer_client.post(reverse("claims:article_retry", args=[article.pk]))
    assert response.status_code == 403 and "Only an editor can retry" in response.content.decode()


def test_retrying_an_article_that_did_not_fail_is_refused_in_words(editor_client, editor):
    article = Article.objects.create(body="Some text.", status=Article.Status.READY)
    response = editor_client.post(reverse("claims:article_retry", args=[article.pk]), follow=True)
    assert "has not failed (ready); nothing to retry." in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # jobs run on commit
def test_resubmitting_a_failed_url_retries_it_without_a_success_banner_over_the_failure(
    editor_client, editor, site, jobs_in_process
):
    site.add("/flaky", Route(status=404, body=b"gone"))
    article = services.article_submit(url=site.url("/flaky")).article
    assert Article.objects.get().status == Article.Status.FAILED
    response = editor_client.post(reverse("claims:article_submit"), {"url": site.url("/flaky")}, follow=True)
    assert site.hits["/flaky"] == 2  # the job ran again…
    html = response.content.decode()
    assert "could not be processed" in html  # …and failed again, said once, in red only
    assert "queued for processing" not in html and "trying it again" not in html
    assert Article.objects.count() == 1 and Article.objects.get().pk == article.pk


def test_a_job_that_fails_before_the_page_is_shown_gets_no_success_banner(editor_client, editor):
    """The submission is told "queued" while the job runs; if the job has failed by the time
    the article's page is drawn, the failure is said alone."""
    response = editor_client.post(reverse("claims:article_submit"), {"text": "The council agreed to it."})
    article = Article.objects.get()
    assert response.status_code == 302 and article.status == Article.Status.PENDING
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED, error="fetch: refused")
    html = editor_client.get(response["Location"]).content.decode()
    assert "could not be processed" in html and "queued for processing" not in html
    html = editor_client.get(response["Location"]).content.decode()
    assert "queued for processing" not in html  # nor on the next page drawn


def test_a_job_still_running_keeps_its_banner(editor_client, editor):
    response = editor_client.post(reverse("claims:article_submit"), {"text": "The council agreed to it."}, follow=True)
    assert "queued for processing" in response.content.decode()


def test_pasted_text_takes_its_headline_as_title():
    text = "Budget for schools rises by a fifth\n\nThe council agreed on Monday to raise the budget."
    assert services.article_submit(text=text).article.title == "Budget for schools rises by a fifth"


@pytest.mark.parametrize(
    "text",
    [
        "The council agreed on Monday to raise the budget.\nIt will rise again next year.",  # a sentence
        "Budget rises by a fifth",  # nothing follows it
        '"We have no choice," she said\nThe council agreed.',  # a quote
    ],
)
def test_pasted_text_without_a_headline_stays_untitled(text):
    assert services.article_submit(text=text).article.title == ""
