"""Importing other fact-checkers' ClaimReview: files and feeds, refusals item by item,
matching to our claims, the claim page's "Checked elsewhere", and the admin import."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from claims import external, tasks
from claims.external import claimreview_read
from claims.models import ClaimReviewImport, ExternalFactCheck, ExternalMatch

from .builders import claim_review, claim_review_import
from .factories import ClaimFactory, UserFactory
from .support import Route

pytestmark = pytest.mark.django_db

BUDGET = "Defence spending will rise by 68% next year, the largest increase since 1991"


# Reading files --------------------------------------------------------------------------


def test_a_good_file_imports_every_item():
    run = claim_review_import(json.dumps([claim_review(1), claim_review(2), claim_review(3)]))
    assert (run.status, run.total, run.created, run.updated, run.refused, run.report) == ("done", 3, 3, 0, 0, [])
    check = ExternalFactCheck.objects.get(review_url="https://checker.example.org/checks/2")
    assert check.publisher_name == "Example Checker" and check.publisher_url == "https://checker.example.org/"
    assert (check.rating_label, check.rating_value, check.best_rating, check.worst_rating) == ("Mostly false", 2, 5, 1)
    assert check.claim_reviewed.startswith("Claim number 2") and check.claimant == "Jane Mayor"
    assert check.claim_date == datetime.date(2024, 5, 1) and check.review_date == datetime.date(2024, 5, 3)
    assert check.appearance_url == "https://news.example.com/story" and check.language == "en"
    assert check.source == run and check.data["headline"] == "The bridge cost less"


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(json.dumps(claim_review(1)), id="one ClaimReview"),
        pytest.param(
            json.dumps({"@context": "https://schema.org", "@graph": [claim_review(1), claim_review(2)]}), id="@graph"
        ),
        pytest.param(
            json.dumps(
                {
                    "@context": "https://schema.org",
                    "@type": "DataFeed",
                    "dataFeedElement": [{"@type": "DataFeedItem", "item": [claim_review(1)]}, claim_review(2)],
                }
            ),
            id="DataFeed",
        ),
        pytest.param("\n".join(json.dumps(claim_review(n)) for n in (1, 2)) + "\n", id="JSON Lines"),
    ],
)
def test_every_shape_of_claimreview_source_is_read(document):
    run = claim_review_import(document)
    assert run.status == "done" and run.created == run.total == ExternalFactCheck.objects.count()
    assert run.total in (1, 2)


def test_a_mixed_file_keeps_the_good_items_and_reports_each_bad_one_by_index():
    items = [
        claim_review(1),
        claim_review(2, **{"@type": "Article"}),
        claim_review(3, url="javascript:alert(1)"),
        claim_review(4, claimReviewed="  "),
        claim_review(5, reviewRating={"@type": "Rating"}),
        claim_review(6, author=None),
        "not an object",
        claim_review(8, reviewRating={"ratingValue": "3", "bestRating": "5"}, datePublished="2024-06-01 soon"),
        claim_review(1),
    ]
    run = claim_review_import(json.dumps(items))
    assert (run.status, run.total, run.created, run.refused) == ("done", 9, 2, 7)
    reasons = {item["index"]: item["reason"] for item in run.report}
    assert reasons == {
        2: "Its @type is Article, not ClaimReview.",
        3: "Its url 'javascript:alert(1)' is not an http(s) address.",
        4: "It has no claimReviewed (the text of the claim).",
        5: "It has no reviewRating with an alternateName or a ratingValue.",
        6: "It has no author (the name of the organisation that published it).",
        7: "It is not a JSON object.",
        9: "Item 1 has the same url; that one was kept.",
    }
    assert run.report[0]["url"] == "https://checker.example.org/checks/2"
    numeric = ExternalFactCheck.objects.get(review_url__endswith="/8")
    assert numeric.rating_label == "3 of 5" and numeric.review_date == datetime.date(2024, 6, 1)


def test_a_json_lines_file_refuses_a_broken_line_alone():
    lines = [json.dumps(claim_review(1)), "{not json", json.dumps(claim_review(3))]
    run = claim_review_import("\n".join(lines), filename="feed.jsonl")
    assert (run.status, run.created, run.refused) == ("done", 2, 1)
    assert run.report[0]["index"] == 2 and run.report[0]["reason"].startswith("Line 2 is not valid JSON")


def test_a_json_lines_line_with_a_number_too_long_to_read_is_refused_alone():
    too_long = '{"@type": "ClaimReview", "ratingValue": ' + "9" * 5000 + "}"  # Python reads at most 4300 digits
    lines = [json.dumps(claim_review(1)), too_long, json.dumps(claim_review(3))]
    run = claim_review_import("\n".join(lines), filename="feed.jsonl")
    assert (run.status, run.created, run.refused) == ("done", 2, 1)
    assert run.report[0]["index"] == 2 and run.report[0]["reason"].startswith("Line 2 is not valid JSON")


def test_reimporting_updates_rather_than_duplicates():
    first = claim_review_import(json.dumps([claim_review(1), claim_review(2)]))
    imported_at = ExternalFactCheck.objects.get(review_url__endswith="/1").imported_at
    changed = claim_review(1, reviewRating={"alternateName": "False", "ratingValue": 1})
    again = claim_review_import(json.dumps([changed, claim_review(2), claim_review(3)]))
    assert (again.created, again.updated) == (1, 2)
    assert ExternalFactCheck.objects.count() == 3
    check = ExternalFactCheck.objects.get(review_url__endswith="/1")
    assert check.rating_label == "False" and check.source == again and check.imported_at == imported_at
    assert first.fact_checks.count() == 0  # each item points at the run that last saw it


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b'[{"@type": "ClaimReview",', "The file is not valid JSON (line 1, column 26)", id="malformed"),
        pytest.param(b"", "The file is not valid JSON", id="empty"),
        pytest.param(b"[]", "The file holds no ClaimReview items.", id="no items"),
        pytest.param('[{"claimReviewed": "Caf\u00e9"}]'.encode("latin-1"), "The file is not UTF-8 text", id="latin-1"),
    ],
)
def test_a_source_that_cannot_be_read_fails_the_run_and_loses_nothing(data, message):
    kept = claim_review_import(json.dumps([claim_review(1)]))
    run = claim_review_import(data)
    assert run.status == "failed" and run.error.startswith(message), run.error
    assert run.finished_at is not None and run.total == 0
    assert list(ExternalFactCheck.objects.values_list("source", flat=True)) == [kept.pk]


def test_a_file_over_the_size_limit_fails_with_the_limit(monkeypatch):
    monkeypatch.setattr(claimreview_read, "MAX_BYTES", 1024 * 1024)
    run = claim_review_import(b" " * (1024 * 1024 + 1))
    assert run.status == "failed"
    assert run.error.startswith("The file is 1.0 MB; the limit is 1 MB.") and run.payload == ""


def test_a_done_run_is_not_redone():
    run = claim_review_import(json.dumps([claim_review(1)]))
    ExternalFactCheck.objects.all().delete()
    assert external.claimreview_import_run(run_id=run.pk) is None
    tasks.import_claimreview(run.pk)
    assert not ExternalFactCheck.objects.exists()


# Feeds ----------------------------------------------------------------------------------

FEED = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [claim_review(1), claim_review(2)]}


def test_a_feed_url_is_fetched_and_imported_by_the_job(site, django_capture_on_commit_callbacks):
    url = site.add("/feed.json", Route(body=json.dumps(FEED).encode(), headers={"Content-Type": "application/ld+json"}))
    with django_capture_on_commit_callbacks() as callbacks:
        run = external.claimreview_import_create(source_url=url)
    assert run.status == "queued" and len(callbacks) == 1
    tasks.import_claimreview(run.pk)
    run.refresh_from_db()
    assert (run.status, run.created, run.error) == ("done", 2, "")
    assert site.hits == {"/feed.json": 1}
    tasks.import_claimreview(run.pk)  # a second delivery of the job does nothing
    assert site.hits == {"/feed.json": 1}


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=404, body=b"gone"), "The feed could not be fetched: The site refused the page (HTTP 404)."),
        (Route(body=b"<html><p>no markup</p></html>"), "The HTML page has no ClaimReview in its JSON-LD"),
        (Route(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}), "The address gave application/pdf"),
        (Route(body=b"{oops", headers={"Content-Type": "application/json"}), "The file is not valid JSON"),
    ],
)
def test_a_feed_that_is_missing_or_not_json_fails_clearly(site, route, message):
    run = external.claimreview_import_create(source_url=site.add("/feed", route), queue=False)
    tasks.import_claimreview(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith(message), run.error


def test_a_private_address_is_refused(settings):
    settings.FETCH_ALLOWED_NETWORKS = []
    run = external.claimreview_import_create(source_url="http://10.0.0.8/feed.json", queue=False)
    tasks.import_claimreview(run.pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "private or local network address (10.0.0.8)" in run.error


def test_an_unreachable_feed_is_retried_then_fails_clearly(site, monkeypatch):
    url = site.add("/busy", Route(status=503, body=b"busy"))
    run = external.claimreview_import_create(source_url=url, queue=False)
    with pytest.raises(external.FetchError):
        external.claimreview_import_run(run_id=run.pk, retry_transient=True)
    run.refresh_from_db()
    assert run.status == "running" and "Trying again shortly" in run.error
    external.claimreview_import_run(run_id=run.pk)  # the last attempt
    run.refresh_from_db()
    assert run.status == "failed" and "server error (HTTP 503)" in run.error


# Matching -------------------------------------------------------------------------------


def test_an_imported_fact_check_is_matched_to_our_similar_claim():
    ours = ClaimFactory(text=BUDGET)
    unrelated = ClaimFactory(text="The new bridge opened in June 2019 after four years of work")
    claim_review_import(json.dumps([claim_review(1, claimReviewed=BUDGET + ", the minister said")]))
    match = ExternalMatch.objects.get()
    assert match.claim == ours and match.claim != unrelated and 0.45 <= match.score <= 1
    claim_review_import(
        json.dumps([claim_review(1, claimReviewed=BUDGET + ", the minister said")])
    )  # again: no second link
    assert ExternalMatch.objects.count() == 1


def test_a_new_claim_finds_fact_checks_imported_before_it():
    claim_review_import(json.dumps([claim_review(1, claimReviewed=BUDGET), claim_review(2)]))
    assert not ExternalMatch.objects.exists()
    ours = ClaimFactory(text="The minister said: " + BUDGET)
    tasks.match_claims([ours.pk])
    assert list(ExternalMatch.objects.values_list("claim", "external__review_url")) == [
        (ours.pk, "https://checker.example.org/checks/1")
    ]


def test_dismissed_claims_are_not_matched():
    ClaimFactory(text=BUDGET, status="dismissed")
    claim_review_import(json.dumps([claim_review(1, claimReviewed=BUDGET)]))
    assert not ExternalMatch.objects.exists()


@pytest.mark.postgres
def test_postgres_matches_an_import_with_one_indexed_lookup_per_fact_check(django_assert_num_queries):
    from claims import matching

    ours = ClaimFactory(text=BUDGET)
    claim_review_import(
        json.dumps(
            [claim_review(n) for n in range(1, 30)] + [claim_review(30, claimReviewed="Experts agree: " + BUDGET)]
        )
    )
    ids = list(ExternalFactCheck.objects.values_list("pk", flat=True))
    ExternalMatch.objects.all().delete()
    with connection.cursor() as cursor:  # the term statistics: read once, then kept a while
        matching._term_statistics(cursor, "claims_claim")
    # the fact-checks, one lookup each, the insert
    with django_assert_num_queries(1 + len(ids) + 1):
        assert external.external_match_fact_checks(external_ids=ids) == 1
    assert ExternalMatch.objects.get().claim == ours
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM claims_externalfactcheck WHERE search_vector @@ to_tsquery('english', 'spending')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "claims_externalfactcheck_search" in plan


# The claim page -------------------------------------------------------------------------


def test_the_claim_page_shows_fact_checks_from_elsewhere_with_publisher_rating_and_link(editor_client, editor):
    ours = ClaimFactory(text=BUDGET)
    url = reverse("claims:claim", args=[ours.pk])
    assert "No other fact-checker" in editor_client.get(url).content.decode()
    item = claim_review(
        1,
        claimReviewed=BUDGET,
        url="https://checker.example.org/checks/1?a=1&b=<2>",
        author={"@type": "Organization", "name": "<b>Checker</b> & Co"},
    )
    claim_review_import(json.dumps([item]))
    html = editor_client.get(url).content.decode()
    assert "Checked elsewhere" in html
    assert "&lt;b&gt;Checker&lt;/b&gt; &amp; Co" in html and "<b>Checker</b>" not in html
    assert '<span class="rating">Mostly false</span>' in html and "3 May 2024" in html
    assert '<a href="https://checker.example.org/checks/1?a=1&amp;b=&lt;2&gt;" rel="noopener noreferrer">' in html


# Admin ----------------------------------------------------------------------------------


def test_the_admin_upload_form_creates_a_run_and_enqueues_the_job(
    editor_client, editor, django_capture_on_commit_callbacks
):
    add = reverse("admin:claims_claimreviewimport_add")
    page = editor_client.get(add)
    assert page.status_code == 200 and "Import ClaimReview" in page.content.decode()
    upload = SimpleUploadedFile("feed.jsonld", json.dumps([claim_review(1), claim_review(2, url=None)]).encode())
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(add, {"file": upload})
    run = ClaimReviewImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/change/")
    assert (run.status, run.filename, run.created_by) == ("queued", "feed.jsonld", editor)
    assert len(callbacks) == 1
    tasks.import_claimreview(run.pk)  # what the queued job does
    report = editor_client.get(response["Location"]).content.decode()
    assert "It has no url (its page)." in report and "<td>2</td>" in report
    listing = editor_client.get(reverse("admin:claims_claimreviewimport_changelist")).content.decode()
    assert "feed.jsonld" in listing and "Done" in listing


def test_the_admin_form_takes_a_feed_url_and_refuses_bad_input(
    editor_client, editor, django_capture_on_commit_callbacks
):
    add = reverse("admin:claims_claimreviewimport_add")
    assert "Upload a file or give a feed URL" in editor_client.post(add, {}).content.decode()
    wrong = SimpleUploadedFile("notes.txt", b"[]")
    assert "Upload a .json, .jsonld, .jsonl or .html file." in editor_client.post(add, {"file": wrong}).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        editor_client.post(add, {"source_url": "https://checker.example.org/feed.json"})
    assert ClaimReviewImport.objects.get().source_url == "https://checker.example.org/feed.json"
    assert len(callbacks) == 1


def test_an_unreadable_upload_is_a_failed_run_with_the_reason_and_no_job(
    editor_client, editor, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("feed.json", b"\xff\xfe[]")
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(reverse("admin:claims_claimreviewimport_add"), {"file": upload}, follow=True)
    assert "is not UTF-8 text" in response.content.decode()
    assert ClaimReviewImport.objects.get().status == "failed" and callbacks == []


def test_the_external_fact_check_list_searches_and_filters(editor_client, editor):
    claim_review_import(json.dumps([claim_review(1), claim_review(2, claimReviewed="Wages <rose> by 3%")]))
    changelist = reverse("admin:claims_externalfactcheck_changelist")
    html = editor_client.get(changelist, {"q": "wages"}).content.decode()
    assert "Wages &lt;rose&gt; by 3%" in html and "Claim number 1" not in html
    assert (
        editor_client.get(changelist, {"publisher_name": "Example Checker", "rating_label": "Mostly false"}).status_code
        == 200
    )
    check = ExternalFactCheck.objects.first()
    assert editor_client.get(reverse("admin:claims_externalfactcheck_change", args=[check.pk])).status_code == 200


def test_non_editors_cannot_reach_the_admin_import(reviewer_client, reviewer):
    add = reverse("admin:claims_claimreviewimport_add")
    response = reviewer_client.get(add)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reviewer_client.force_login(UserFactory(username="sam", is_staff=True))  # staff, but no editor role
    assert reviewer_client.get(add).status_code == 403
    assert reviewer_client.post(add, {"source_url": "https://checker.example.org/feed.json"}).status_code == 403
    assert reviewer_client.get(reverse("admin:claims_claimreviewimport_changelist")).status_code == 403
    assert not ClaimReviewImport.objects.exists()


def test_the_command_imports_a_file_and_prints_the_report(tmp_path, capsys):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([claim_review(1), claim_review(2, author=None)]))
    call_command("import_claimreview", str(path))
    out = capsys.readouterr()
    assert "2 items: 1 created, 0 updated, 1 refused." in out.out
    assert "item 2 refused: It has no author" in out.err
