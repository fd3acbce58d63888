"""Monitored sources: feeds and sitemaps served from 127.0.0.1, polled with conditional
requests, items taken once, one story in two feeds one article, failures backed off."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from claims import services, sources, tasks
from claims.models import Article, ExternalFactCheck, Source, SourceItem

from .support import wait_for

pytestmark = pytest.mark.django_db

STAMP = "Tue, 01 Oct 2024 07:00:00 GMT"


@dataclass
class Doc:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str = ""
    last_modified: str = ""


@dataclass
class Feeds:
    """A site on 127.0.0.1 that answers conditional requests as a real feed server does
    (304 when If-None-Match or If-Modified-Since match) and records every request."""

    docs: dict[str, Doc] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def start(self) -> None:
        docs, requests = self.docs, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                requests.append((self.path, dict(self.headers)))
                doc = docs.get(self.path, Doc(b"not found", status=404))
                unchanged = (doc.etag and self.headers.get("If-None-Match") == doc.etag) or (
                    doc.last_modified and self.headers.get("If-Modified-Since") == doc.last_modified
                )
                self.send_response(304 if unchanged else doc.status)
                if doc.etag:
                    self.send_header("ETag", doc.etag)
                if doc.last_modified:
                    self.send_header("Last-Modified", doc.last_modified)
                body = b"" if unchanged else doc.body
                self.send_header("Content-Type", doc.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def feeds(settings) -> Iterator[Feeds]:
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    site = Feeds()
    site.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def story(title: str, sentence: str, canonical: str = "") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html><head><title>{title} | Harbour Gazette</title>{link}
<meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="2024-09-30T06:45:00+00:00"></head>
<body><article><h1>{title}</h1><p>{sentence} The council published the figures on Monday and
the opposition questioned them within the hour.</p><p>Officials said more detail would follow
next week, once the auditors had finished their review of the accounts.</p></article>
<footer>© 2026 Harbour Gazette</footer></body></html>""".encode()


def rss(*links: tuple[str, str]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>Mon, 30 Sep 2024 06:00:00 GMT</pubDate></item>"
        for title, link in links
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def poll(source: Source, django_capture_on_commit_callbacks) -> sources.Poll:
    """Poll the source, check it queued one ingestion job per new article on commit, then
    run those jobs' bodies here, as a worker would."""
    with django_capture_on_commit_callbacks() as callbacks:
        result = sources.source_poll(source_id=source.pk)
    pending = list(Article.objects.filter(status=Article.Status.PENDING).values_list("pk", flat=True))
    assert len(callbacks) == len(pending) == result.new
    for pk in pending:
        tasks.ingest_article.apply(args=[pk])
    source.refresh_from_db()
    return result


def test_a_feed_polled_twice_takes_its_items_once_and_asks_conditionally(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/a"] = Doc(story("Rents rose", "Rents rose by 9% in the harbour district last year."))
    feeds.docs["/b"] = Doc(story("Ferry fares", "Ferry fares will double from April, the operator said."))
    feeds.docs["/feed.xml"] = Doc(
        rss(("Rents rose", feeds.url("/a")), ("Ferry fares", feeds.url("/b"))),
        content_type="application/rss+xml",
        etag='"v1"',
        last_modified=STAMP,
    )
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"), outlet="Harbour Gazette", language="en")

    first = poll(source, django_capture_on_commit_callbacks)
    assert (first.requests, first.seen, first.new, first.failed) == (1, 2, 2, [])
    assert (source.items_seen, source.items_new, source.items_failed, source.failures) == (2, 2, 0, 0)
    assert source.etag == '"v1"' and source.last_modified == STAMP
    assert source.next_poll_at > timezone.now() + datetime.timedelta(minutes=14)
    articles = Article.objects.order_by("url")
    assert [a.status for a in articles] == ["ready", "ready"], [a.error for a in articles]
    assert articles[0].title == "Rents rose" and articles[0].outlet == "Harbour Gazette"
    assert articles[0].language == "en"
    assert SourceItem.objects.filter(source=source).count() == 2

    before = list(feeds.requests)
    second = poll(source, django_capture_on_commit_callbacks)
    assert second.not_modified and (second.requests, second.new) == (1, 0)
    path, headers = feeds.requests[len(before)]
    assert path == "/feed.xml" and len(feeds.requests) == len(before) + 1  # no article fetched again
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == STAMP
    assert source.last_status == "Not changed since the last poll." and Article.objects.count() == 2


def test_a_changed_feed_brings_only_its_new_item(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/a"] = Doc(story("Rents rose", "Rents rose by 9% in the harbour district last year."))
    feeds.docs["/b"] = Doc(story("Ferry fares", "Ferry fares will double from April, the operator said."))
    feeds.docs["/feed.xml"] = Doc(rss(("A", feeds.url("/a"))), content_type="application/rss+xml", etag='"v1"')
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"))
    poll(source, django_capture_on_commit_callbacks)
    feeds.docs["/feed.xml"] = Doc(
        rss(("B", feeds.url("/b")), ("A", feeds.url("/a"))), content_type="application/rss+xml", etag='"v2"'
    )
    result = poll(source, django_capture_on_commit_callbacks)
    assert (result.seen, result.new) == (2, 1) and source.etag == '"v2"'
    assert feeds.paths().count("/a") == 1 and feeds.paths().count("/b") == 1


def test_a_news_sitemap_index_is_read_and_polled_twice(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/a"] = Doc(story("Rents rose", "Rents rose by 9% in the harbour district last year."))
    feeds.docs["/news.xml"] = Doc(
        f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>{feeds.url("/a")}</loc>
        <news:news><news:publication><news:name>Harbour Gazette</news:name><news:language>en</news:language>
        </news:publication><news:publication_date>2024-09-30T06:00:00Z</news:publication_date>
        <news:title>Rents rose</news:title></news:news></url></urlset>""".encode(),
        content_type="application/xml",
    )
    feeds.docs["/sitemap.xml"] = Doc(
        f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>{feeds.url("/news.xml")}</loc><lastmod>2024-09-30T06:00:00Z</lastmod></sitemap>
        </sitemapindex>""".encode(),
        content_type="application/xml",
        last_modified=STAMP,
    )
    source = Source.objects.create(name="Gazette map", kind=Source.Kind.SITEMAP, url=feeds.url("/sitemap.xml"))
    first = poll(source, django_capture_on_commit_callbacks)
    assert (first.requests, first.seen, first.new) == (2, 1, 1)
    article = Article.objects.get()
    assert article.status == "ready" and article.title == "Rents rose"
    second = poll(source, django_capture_on_commit_callbacks)
    assert second.not_modified and second.requests == 1
    assert feeds.requests[-1][1]["If-Modified-Since"] == STAMP
    assert feeds.paths() == ["/sitemap.xml", "/news.xml", "/a", "/sitemap.xml"]


def test_the_same_story_in_two_feeds_is_one_article(feeds, django_capture_on_commit_callbacks):
    canonical = feeds.url("/story")
    page = story("Bridge repairs", "The bridge repairs will cost 40 million, the engineer said.", canonical)
    feeds.docs["/story"] = Doc(page)
    feeds.docs["/amp/story"] = Doc(page)  # the same page under a second address
    feeds.docs["/one.xml"] = Doc(rss(("Bridge", canonical + "?utm_source=rss")), content_type="application/rss+xml")
    feeds.docs["/two.xml"] = Doc(
        rss(("Bridge", feeds.url("/amp/story")), ("Bridge again", canonical + "?utm_medium=feed#top")),
        content_type="application/rss+xml",
    )
    one = Source.objects.create(name="One", url=feeds.url("/one.xml"))
    two = Source.objects.create(name="Two", url=feeds.url("/two.xml"))
    assert poll(one, django_capture_on_commit_callbacks).new == 1
    poll(two, django_capture_on_commit_callbacks)
    article = Article.objects.get()  # one article, however it was linked
    assert article.status == "ready" and article.canonical_url == canonical
    items = SourceItem.objects.order_by("source__name", "url")
    assert [(i.source.name, i.article_id) for i in items] == [
        ("One", article.pk),
        ("Two", article.pk),
        ("Two", article.pk),
    ]


def test_stories_whose_canonical_link_is_the_home_page_stay_apart(feeds, django_capture_on_commit_callbacks):
    home = feeds.url("/")
    feeds.docs["/a"] = Doc(story("Rents rose", "Rents rose by 9% in the harbour district last year.", home))
    feeds.docs["/b"] = Doc(story("Ferry fares", "Ferry fares will double from April, the operator said.", home))
    feeds.docs["/feed.xml"] = Doc(
        rss(("A", feeds.url("/a")), ("B", feeds.url("/b"))), content_type="application/rss+xml"
    )
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"))
    poll(source, django_capture_on_commit_callbacks)
    assert sorted(Article.objects.values_list("status", flat=True)) == ["ready", "ready"]


def test_a_person_submitting_another_address_of_an_article_is_told(feeds, django_capture_on_commit_callbacks):
    canonical = feeds.url("/story")
    feeds.docs["/story"] = Doc(
        story("Bridge", "The bridge repairs will cost 40 million, the engineer said.", canonical)
    )
    feeds.docs["/print/story"] = Doc(story("Bridge", "A shorter print edition of the same story.", canonical))
    first = services.article_submit(url=canonical).article
    tasks.ingest_article.apply(args=[first.pk])
    second = services.article_submit(url=feeds.url("/print/story")).article
    tasks.ingest_article.apply(args=[second.pk])
    second.refresh_from_db()
    assert second.status == "failed"
    assert second.error.startswith(f"The page names as its own the address of article #{first.pk}")


def test_an_unexpected_error_while_polling_is_recorded_not_silent(feeds, monkeypatch):
    feeds.docs["/feed.xml"] = Doc(rss(), content_type="application/rss+xml")
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"))

    def broken(*args, **kwargs):
        raise ValueError("parser bug")

    monkeypatch.setattr(sources.polling, "feed_entries", broken)
    sources.source_poll(source_id=source.pk)
    source.refresh_from_db()
    assert source.failures == 1 and source.last_error.startswith("An internal error stopped this poll")


def test_a_source_that_answers_500_backs_off_and_says_why(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/feed.xml"] = Doc(b"down for maintenance", status=500)
    source = Source.objects.create(name="Flaky", url=feeds.url("/feed.xml"), interval_minutes=10)
    started = timezone.now()
    poll(source, django_capture_on_commit_callbacks)
    assert source.failures == 1 and "HTTP 500" in source.last_error and "failed once" in source.last_error
    assert started + datetime.timedelta(minutes=10) <= source.next_poll_at < started + datetime.timedelta(minutes=11)
    poll(source, django_capture_on_commit_callbacks)
    poll(source, django_capture_on_commit_callbacks)
    assert source.failures == 3 and "3 times in a row" in source.last_error and "backing off" in source.last_error
    assert source.next_poll_at >= started + datetime.timedelta(minutes=40)  # 10, then 20, then 40
    assert sources.sources_poll_due() == []  # not due while backing off

    feeds.docs["/feed.xml"] = Doc(rss(), content_type="application/rss+xml")
    poll(source, django_capture_on_commit_callbacks)
    assert (source.failures, source.last_error) == (0, ""), source.last_error


def test_backoff_doubles_up_to_a_day():
    waits = [sources.backoff(interval_minutes=15, failures=n) for n in (1, 2, 3, 10)]
    assert waits[:3] == [datetime.timedelta(minutes=m) for m in (15, 30, 60)]
    assert waits[3] == datetime.timedelta(days=1)


def test_something_that_is_not_a_feed_is_a_failure_in_words(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/page"] = Doc(b"<html><body><p>Just a page</p></body></html>")
    source = Source.objects.create(name="Wrong", url=feeds.url("/page"))
    poll(source, django_capture_on_commit_callbacks)
    assert source.failures == 1 and source.last_error.startswith("This is not an RSS or Atom feed")


def test_the_periodic_job_queues_only_due_active_sources_once(django_capture_on_commit_callbacks):
    now = timezone.now()
    due = Source.objects.create(name="Due", url="https://a.example.org/feed", next_poll_at=now)
    Source.objects.create(
        name="Later", url="https://b.example.org/feed", next_poll_at=now + datetime.timedelta(hours=1)
    )
    Source.objects.create(name="Paused", url="https://c.example.org/feed", next_poll_at=now, active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        assert sources.sources_poll_due(now=now) == [due.pk]
        assert sources.sources_poll_due(now=now) == []  # claimed: the next tick does not queue it again
    assert len(callbacks) == 1
    due.refresh_from_db()
    assert due.next_poll_at == now + datetime.timedelta(minutes=15)


def test_an_interval_changed_in_the_admin_applies_at_the_next_poll(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/feed.xml"] = Doc(rss(), content_type="application/rss+xml")
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"))
    Source.objects.filter(pk=source.pk).update(interval_minutes=60)
    before = timezone.now()
    poll(source, django_capture_on_commit_callbacks)
    assert source.next_poll_at >= before + datetime.timedelta(minutes=60)


def test_a_paused_source_is_not_polled(feeds):
    source = Source.objects.create(name="Off", url=feeds.url("/feed.xml"), active=False)
    assert sources.source_poll(source_id=source.pk) is None and feeds.requests == []
    sources.source_pause(source=source, active=True)
    source.refresh_from_db()
    assert source.active and source.next_poll_at <= timezone.now()


def test_an_item_with_a_bad_address_is_listed_as_failed_with_the_reason(feeds, django_capture_on_commit_callbacks):
    feeds.docs["/a"] = Doc(story("Rents rose", "Rents rose by 9% in the harbour district last year."))
    feeds.docs["/feed.xml"] = Doc(
        rss(("Good", feeds.url("/a")), ("Bad", "mailto:desk@example.org")), content_type="application/rss+xml"
    )
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"))
    poll(source, django_capture_on_commit_callbacks)
    assert (source.items_seen, source.items_new, source.items_failed) == (2, 1, 1)
    assert source.failed_items == [
        {"url": "mailto:desk@example.org", "reason": "'mailto:desk@example.org' is not a valid http(s) address."}
    ]
    assert "2 items read, 1 new, 1 failed" in source.last_status


def test_the_poll_task_is_thin_and_quiet_when_the_source_is_gone():
    assert tasks.poll_source(123456) is None


def test_a_claimreview_feed_is_imported_and_asked_conditionally(feeds):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "/checks/ferry-fares",
        "claimReviewed": "Ferry fares doubled last spring",
        "author": {"@type": "Organization", "name": "Coast Check"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    page = {"@context": "https://schema.org", "@graph": [review, {"@type": "BreadcrumbList"}]}
    feeds.docs["/reviews.json"] = Doc(json.dumps(page).encode(), content_type="application/ld+json", etag='"r1"')
    source = Source.objects.create(name="Coast Check", kind=Source.Kind.CLAIMREVIEW, url=feeds.url("/reviews.json"))
    first = sources.source_poll(source_id=source.pk)
    source.refresh_from_db()
    assert (first.seen, first.new, first.skipped, source.items_failed) == (1, 1, 1, 0)
    assert "1 other nodes skipped" in source.last_status
    assert ExternalFactCheck.objects.get().review_url == feeds.url("/checks/ferry-fares")
    second = sources.source_poll(source_id=source.pk)
    assert second.not_modified and feeds.requests[-1][1]["If-None-Match"] == '"r1"'
    assert ExternalFactCheck.objects.count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_polls_a_due_source_and_ingests_its_new_item(celery_worker, feeds):
    feeds.docs["/a"] = Doc(story("Rents rose", "Rents rose by 9% in the harbour district last year."))
    feeds.docs["/feed.xml"] = Doc(rss(("Rents rose", feeds.url("/a"))), content_type="application/rss+xml", etag='"1"')
    source = Source.objects.create(name="Gazette", url=feeds.url("/feed.xml"))
    tasks.poll_due_sources.delay()  # what beat sends every minute

    assert wait_for(lambda: Article.objects.filter(status="ready").exists(), timeout=60), celery_worker.output()
    source.refresh_from_db()
    assert (source.items_seen, source.items_new, source.failures) == (1, 1, 0)
    assert SourceItem.objects.get().article == Article.objects.get()
    assert "claims.tasks.poll_source" in celery_worker.output()


def fact_check_page(n: int, claim: str) -> bytes:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"/fact-checks/claim-number-{n}",
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": "Coast Check"},
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly false"},
    }
    return (
        f'<!doctype html><html><head><script type="application/ld+json">{json.dumps(review)}</script></head>'
        f"<body><h1>{claim}</h1></body></html>"
    ).encode()


def listing(*paths: str) -> bytes:
    links = "".join(f'<li><a href="{path}">item</a></li>' for path in paths)
    return f"<!doctype html><html><head><title>Fact checks</title></head><body><ul>{links}</ul></body></html>".encode()


def test_a_fact_checkers_listing_page_is_followed_to_each_new_fact_check(feeds):
    feeds.docs["/fact-checks/claim-number-1"] = Doc(fact_check_page(1, "Ferry fares doubled last spring"))
    feeds.docs["/fact-checks/claim-number-2"] = Doc(fact_check_page(2, "The harbour wall is 900 years old"))
    feeds.docs["/fact-checks/claim-number-3"] = Doc(fact_check_page(3, "Rents tripled in a decade"))
    feeds.docs["/fact-checks/the-team-behind-it"] = Doc(b"<html><body><p>About us</p></body></html>")
    feeds.docs["/fact-checks/"] = Doc(
        listing(
            "/fact-checks/claim-number-1",
            "/fact-checks/claim-number-2#comments",
            "/fact-checks/the-team-behind-it",
            "/tag/ferries-and-boats-2024",  # a tag page
            "https://elsewhere.example.org/fact-checks/claim-number-9",  # another site
            "/fact-checks/",
        ),
        etag='"l1"',
    )
    source = Source.objects.create(name="Coast Check", kind=Source.Kind.CLAIMREVIEW, url=feeds.url("/fact-checks/"))
    first = sources.source_poll(source_id=source.pk)
    assert (first.requests, first.seen, first.new, first.skipped, first.failed) == (4, 2, 2, 1, [])
    assert sorted(ExternalFactCheck.objects.values_list("review_url", flat=True)) == [
        feeds.url("/fact-checks/claim-number-1"),
        feeds.url("/fact-checks/claim-number-2"),
    ]
    feeds.docs["/fact-checks/"] = Doc(
        listing("/fact-checks/claim-number-3", "/fact-checks/claim-number-1", "/fact-checks/claim-number-2"),
        etag='"l2"',
    )
    before = len(feeds.requests)
    second = sources.source_poll(source_id=source.pk)
    assert feeds.paths()[before:] == ["/fact-checks/", "/fact-checks/claim-number-3"]  # only the new one read
    assert (second.seen, second.new) == (1, 1) and ExternalFactCheck.objects.count() == 3


def test_a_listing_page_with_nothing_to_follow_says_so(feeds):
    feeds.docs["/checks"] = Doc(listing("/about", "/tag/x"))
    source = Source.objects.create(name="Empty", kind=Source.Kind.CLAIMREVIEW, url=feeds.url("/checks"))
    sources.source_poll(source_id=source.pk)
    source.refresh_from_db()
    assert source.failures == 1
    assert source.last_error.startswith("The page has no ClaimReview and links to no fact-check pages.")


def test_a_sitemap_index_is_read_newest_first_then_every_change_over_several_polls():
    day = datetime.datetime(2024, 9, 1, tzinfo=datetime.UTC)
    children = [(f"/map-{n}.xml", day + datetime.timedelta(days=n)) for n in range(8)] + [("/undated.xml", None)]
    source = Source(name="Map", kind=Source.Kind.SITEMAP, url="https://m.example.org/index.xml", etag='"1"')
    first = sources.polling._children_to_read(source, children)
    assert first == [f"/map-{n}.xml" for n in range(3, 8)]  # the newest five; archives are history
    assert source.sitemap_cursor == day + datetime.timedelta(days=7)

    changed = [(url, when + datetime.timedelta(days=30)) if when else (url, None) for url, when in children]
    second = sources.polling._children_to_read(source, changed)
    assert second == [f"/map-{n}.xml" for n in range(5)] and source.etag == ""  # the index is read again
    third = sources.polling._children_to_read(source, changed)
    assert third == ["/map-5.xml", "/map-6.xml", "/map-7.xml", "/undated.xml"]
    assert sources.polling._children_to_read(source, changed) == ["/undated.xml"]
