"""Submitting and ingesting articles: the happy path, and bad input that loses nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import services, tasks
from claims.models import Article
from claims.services import ingestion  # where ingestion looks html_to_article up

from .support import Route

pytestmark = pytest.mark.django_db
TWENTY_MB = 20 * 1024 * 1024


def submit_and_run(django_capture_on_commit_callbacks, **kwargs) -> Article:
    """Submit, check the job was queued on commit, then run the job's body here."""
    with django_capture_on_commit_callbacks() as callbacks:
        submission = services.article_submit(**kwargs)
    assert submission.created and len(callbacks) == 1
    tasks.ingest_article.apply(args=[submission.article.pk])
    return Article.objects.get(pk=submission.article.pk)


def test_a_url_is_fetched_and_its_main_text_and_metadata_stored(site, article_html, django_capture_on_commit_callbacks):
    url = site.add("/budget", Route(body=article_html.encode()))
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert article.status == Article.Status.READY, article.error
    assert "defence spending would rise by 68%" in article.body
    assert "Copyright" not in article.body and "World" not in article.body  # boilerplate gone
    assert article.title == "Budget rises sharply"
    assert article.byline == "Jane Reporter"
    assert article.published_at.date() == datetime.date(2024, 9, 30)
    assert article.content_hash and article.raw_html.startswith("<!doctype")
    assert article.attempts == 1


def test_the_job_is_queued_only_after_commit(site, article_html, django_capture_on_commit_callbacks):
    url = site.add("/budget", Route(body=article_html.encode()))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.article_submit(url=url)
    assert len(callbacks) == 1
    assert site.hits == {}  # nothing fetched inside the request


def test_pasted_text_is_stored_as_is(django_capture_on_commit_callbacks):
    text = "Line one.\r\nThe mayor said crime fell by 12% in 2023.\r\n"
    article = submit_and_run(django_capture_on_commit_callbacks, text=text, title="Crime")
    assert article.status == Article.Status.READY
    assert article.body == "Line one.\nThe mayor said crime fell by 12% in 2023."


def test_pasted_html_is_cleaned_by_trafilatura(article_html, django_capture_on_commit_callbacks):
    article = submit_and_run(django_capture_on_commit_callbacks, text=article_html)
    assert "largest increase since 1991" in article.body and "<p>" not in article.body
    assert article.title == "Budget rises sharply"


def test_malformed_html_still_gives_its_text(django_capture_on_commit_callbacks):
    broken = (
        "<html><body><div><p>The council said it spent £4.2 million on roads in 2023, up from £3 million<p>Officials"
    )
    broken += " confirmed the rise.</div></span></b><table><tr><td>unclosed" + "</i>" * 50
    article = submit_and_run(django_capture_on_commit_callbacks, html=broken.encode())
    assert article.status == Article.Status.READY
    assert "£4.2 million" in article.body


def test_empty_text_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="Give exactly one"):
        services.article_submit(text="   \n ")
    assert not Article.objects.exists()


def test_a_20_mb_body_is_refused_with_its_size():
    with pytest.raises(ValidationError, match=r"20\.0 MB; the limit is 10 MB"):
        services.article_submit(text="a" * TWENTY_MB)
    assert not Article.objects.exists()


def test_a_20_mb_page_fails_with_its_size(site, django_capture_on_commit_callbacks):
    url = site.add("/huge", Route(body=b"<p>" + b"a" * TWENTY_MB + b"</p>"))
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert article.status == Article.Status.FAILED
    assert "the limit is 10 MB" in article.error
    assert site.hits["/huge"] == 1  # never retried


def test_non_utf8_bytes_are_decoded_not_lost(django_capture_on_commit_callbacks):
    html = "<html><body><article><p>Le ministre a déclaré que le budget augmenterait de 68 % en 2025, a-t-il"
    html += " précisé à la presse lors d'une conférence à Paris.</p></article></body></html>"
    article = submit_and_run(django_capture_on_commit_callbacks, html=html.encode("cp1252"))
    assert article.status == Article.Status.READY
    assert "déclaré" in article.body and "précisé" in article.body


def test_a_latin1_page_without_a_declared_charset(site, django_capture_on_commit_callbacks):
    body = "<html><body><article><p>Die Ministerin erklärte, die Ausgaben würden um 12 Prozent steigen.</p>"
    body += "<p>Das sagte sie am Montag in Berlin vor Journalisten.</p></article></body></html>"
    url = site.add("/de", Route(body=body.encode("latin-1"), headers={"Content-Type": "text/html"}))
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert article.status == Article.Status.READY, article.error
    assert "erklärte" in article.body


def test_a_binary_file_is_refused():
    with pytest.raises(ValidationError, match="binary"):
        services.article_submit(html=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert not Article.objects.exists()


def test_html_with_no_article_fails_with_a_message_in_its_job(django_capture_on_commit_callbacks):
    html = b"<html><head><title>x</title></head><body><nav></nav></body></html>"
    article = submit_and_run(django_capture_on_commit_callbacks, html=html)
    assert article.status == Article.Status.FAILED
    assert "No article text" in article.error


def test_uploaded_html_is_converted_in_the_job_not_in_the_request(
    article_html, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    convert = services.html_to_article
    monkeypatch.setattr(ingestion, "html_to_article", lambda *a, **k: calls.append(1) or convert(*a, **k))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = services.article_submit(html=article_html.encode())
    assert calls == [] and submission.created
    assert (submission.article.body, submission.article.status) == ("", Article.Status.PENDING)
    assert len(callbacks) == 1  # the job, queued after commit
    tasks.ingest_article.apply(args=[submission.article.pk])  # as a worker runs it
    article = Article.objects.get(pk=submission.article.pk)
    assert calls == [1] and article.status == Article.Status.READY
    assert "largest increase since 1991" in article.body


def test_the_same_html_uploaded_twice_is_refused_by_the_job(article_html, django_capture_on_commit_callbacks):
    submit_and_run(django_capture_on_commit_callbacks, html=article_html.encode())
    again = submit_and_run(django_capture_on_commit_callbacks, html=article_html.encode())
    assert again.status == Article.Status.FAILED and "Same text as article" in again.error


def test_an_uploaded_page_with_a_nul_past_its_first_4_kb_is_stored_without_it(
    article_html, django_capture_on_commit_callbacks
):
    html = article_html.replace("</body>", "<p>" + "x" * 5000 + "\x00</p></body>")
    article = submit_and_run(django_capture_on_commit_callbacks, html=html.encode())
    assert article.status == Article.Status.READY and "\x00" not in article.raw_html + article.body


def test_a_page_with_no_article_fails_with_a_message(site, django_capture_on_commit_callbacks):
    url = site.add("/empty", Route(body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert article.status == Article.Status.FAILED
    assert "No article text was found" in article.error


def test_404_fails_at_once_and_is_not_retried(site, django_capture_on_commit_callbacks):
    article = submit_and_run(django_capture_on_commit_callbacks, url=site.url("/gone"))
    assert article.status == Article.Status.FAILED
    assert "HTTP 404" in article.error
    assert site.hits["/gone"] == 1


def test_500_is_retried_with_backoff_then_fails(site, settings, django_capture_on_commit_callbacks):
    settings.FETCH_MAX_RETRIES = 2
    url = site.add("/flaky", Route(status=500, body=b"oops"))
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert site.hits["/flaky"] == 3  # first try and two retries
    assert article.status == Article.Status.FAILED
    assert "server error (HTTP 500)" in article.error


def test_a_transient_error_then_success(site, settings, article_html, django_capture_on_commit_callbacks):
    settings.FETCH_MAX_RETRIES = 2
    url = site.add("/wobbly", Route(status=502))
    original = site.server.RequestHandlerClass.do_GET

    def recover(handler):  # the second request succeeds
        if site.hits.get("/wobbly"):
            site.routes["/wobbly"] = Route(body=article_html.encode())
        original(handler)

    site.server.RequestHandlerClass.do_GET = recover
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert article.status == Article.Status.READY
    assert site.hits["/wobbly"] == 2


def test_a_timeout_is_retried_then_fails(site, settings, django_capture_on_commit_callbacks):
    settings.FETCH_TIMEOUT_SECONDS, settings.FETCH_MAX_RETRIES = 1, 1
    url = site.add("/slow", Route(body=b"late", delay=2))
    article = submit_and_run(django_capture_on_commit_callbacks, url=url)
    assert article.status == Article.Status.FAILED
    assert "did not answer within 1 seconds" in article.error


def test_a_private_network_url_fails_without_a_request(settings, django_capture_on_commit_callbacks):
    settings.FETCH_ALLOWED_NETWORKS = []
    article = submit_and_run(django_capture_on_commit_callbacks, url="http://192.168.0.10/intranet/story")
    assert article.status == Article.Status.FAILED
    assert "private or local network" in article.error


def test_an_invalid_url_is_refused():
    with pytest.raises(ValidationError, match="not a valid http"):
        services.article_submit(url="javascript:alert(1)")


def test_the_same_url_twice_gives_the_same_article(site, article_html):
    url = site.add("/budget", Route(body=article_html.encode()))
    first = services.article_submit(url=url)
    second = services.article_submit(url=url + "#comments")
    assert (first.created, second.created) == (True, False)
    assert second.article.pk == first.article.pk
    assert "Already in the workbench" in second.message
    assert Article.objects.count() == 1


def test_the_same_text_twice_gives_the_same_article():
    first = services.article_submit(text="The mayor said crime fell by 12%.")
    second = services.article_submit(text="  the mayor said   crime fell by 12%.  ")
    assert second.article.pk == first.article.pk and not second.created
    assert Article.objects.count() == 1


def test_two_urls_with_the_same_text_keep_one_copy(site, article_html, django_capture_on_commit_callbacks):
    one = submit_and_run(django_capture_on_commit_callbacks, url=site.add("/a", Route(body=article_html.encode())))
    two = submit_and_run(django_capture_on_commit_callbacks, url=site.add("/b", Route(body=article_html.encode())))
    assert one.status == Article.Status.READY
    assert two.status == Article.Status.FAILED
    assert f"Same text as article #{one.pk}" in two.error
    assert two.content_hash == ""


def test_a_job_interrupted_mid_fetch_starts_over(site, article_html):
    url = site.add("/budget", Route(body=article_html.encode()))
    article = Article.objects.create(url=url, status=Article.Status.FETCHING, attempts=1)
    tasks.ingest_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert (article.status, article.attempts) == (Article.Status.READY, 2)


def test_a_job_that_keeps_dying_is_given_up(settings):
    article = Article.objects.create(url="https://example.org/x", status=Article.Status.FETCHING, attempts=6)
    settings.ARTICLE_MAX_ATTEMPTS = 6
    tasks.ingest_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "Gave up after 6 attempts" in article.error


def test_a_finished_or_deleted_article_is_left_alone(site):
    done = Article.objects.create(url=site.url("/x"), status=Article.Status.READY, body="done")
    tasks.ingest_article.apply(args=[done.pk])
    tasks.ingest_article.apply(args=[999_999])
    done.refresh_from_db()
    assert done.attempts == 0 and site.hits == {}


def test_stuck_articles_are_queued_again(django_capture_on_commit_callbacks):
    old = timezone.now() - datetime.timedelta(hours=1)
    stuck = Article.objects.create(url="https://example.org/stuck", status=Article.Status.PENDING)
    Article.objects.filter(pk=stuck.pk).update(status_changed_at=old)
    Article.objects.create(url="https://example.org/fresh", status=Article.Status.PENDING)
    Article.objects.create(url="https://example.org/done", status=Article.Status.READY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.requeue_stuck_articles() == 1
    assert len(callbacks) == 1


def test_rerunning_extraction_needs_text():
    with pytest.raises(ValidationError, match="has no text yet"):
        services.article_rerun_extraction(article=Article.objects.create(url="https://example.org/n"))


def test_reviewers_get_one_reminder_listing_their_overdue_claims(reviewer, other_reviewer, mailoutbox):
    from .factories import ClaimFactory

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ClaimFactory(assignee=reviewer, status="assigned", due_date=yesterday, text="Overdue one")
    ClaimFactory(assignee=reviewer, status="in_review", due_date=yesterday, text="Overdue two")
    ClaimFactory(assignee=reviewer, status="published", due_date=yesterday, text="Done already")
    ClaimFactory(assignee=other_reviewer, status="assigned", due_date=timezone.localdate(), text="Due today")
    assert tasks.remind_overdue() == 1
    (mail,) = mailoutbox
    assert mail.to == [reviewer.email] and "2 overdue" in mail.subject
    assert "Overdue one" in mail.body and "Overdue two" in mail.body and "Done already" not in mail.body
