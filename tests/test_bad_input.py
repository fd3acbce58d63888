"""Input that once caused server errors, each now answered with a message (4xx), and fuzzing
of the HTML upload and search inputs. The API's schema fuzzing is in test_api_schema."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from claims import external, services, tasks
from claims.models import Article, ClaimReviewImport, ExternalFactCheck

from .builders import bulk_published, claim_review, claim_review_import, token_client

pytestmark = pytest.mark.django_db
DEEP = "[" * 50_000


@pytest.fixture
def staff_api(editor) -> APIClient:
    """A newsroom script: the editor's API token."""
    return token_client(editor)


def test_deeply_nested_json_is_a_400(staff_api, partner_key_client):
    for client, path in ((staff_api, "/api/v1/articles/"), (partner_key_client, "/api/v1/webhooks/")):
        response = client.post(path, DEEP, content_type="application/json")
        assert response.status_code == 400, path
        assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("name", ["updated_since", "published_since"])
def test_offsets_past_fifteen_hours_are_read_as_utc(partner_key_client, editor, second_editor, name):
    bulk_published(2, author=editor, approver=second_editor)
    response = partner_key_client.get("/api/v1/fact-checks/", {name: "2000-01-01T00:00:00+16:00"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    later = partner_key_client.get("/api/v1/fact-checks/", {name: "2999-01-01T00:00:00-16:00"})
    assert later.status_code == 200 and later.json()["results"] == []


@pytest.mark.parametrize(("param", "message"), [("page_size", "whole number"), ("speaker", "No speaker")])
@pytest.mark.parametrize("value", ["²", "١٢", "¹²³"])  # str.isdigit() says yes to each
def test_digits_that_are_not_ascii_are_a_400(partner_key_client, param, message, value):
    response = partner_key_client.get("/api/v1/fact-checks/", {param: value})
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("path", ["/search/?q=%00", "/search/?q=a%00b&only=claims", "/fact-checks/?q=%00", "/?x=%00"])
def test_a_nul_in_the_address_is_a_400(editor_client, editor, path):
    response = editor_client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_an_uploaded_page_with_a_nul_after_4_kb_is_accepted(
    editor_client, editor, article_html, django_capture_on_commit_callbacks
):
    html = article_html.replace("</body>", "<p>" + "y" * 6000 + "\x00</p></body>").encode()
    with django_capture_on_commit_callbacks(execute=False):
        response = editor_client.post(
            "/articles/new/", {"html_file": SimpleUploadedFile("page.html", html, content_type="text/html")}
        )
    assert response.status_code in (200, 302)
    tasks.ingest_article.apply(args=[Article.objects.get().pk])  # the job, as a worker runs it
    article = Article.objects.get()
    assert article.status == Article.Status.READY and "\x00" not in article.raw_html


@pytest.mark.parametrize(
    "query",
    [{"from": "9999-12-30", "to": "9999-12-31"}, {"from": "0001-01-01", "to": "0001-01-02"}, {"to": "9999-12-31"}],
)
def test_dates_at_the_ends_of_the_calendar_are_a_400_on_the_dashboard(editor_client, editor, query):
    response = editor_client.get("/dashboard/", query)
    assert response.status_code == 400
    assert "between the years 1000 and 9000" in response.content.decode()


def test_the_admin_does_not_offer_to_add_a_verdict(editor_client, editor):
    assert editor_client.post("/admin/claims/verdict/add/", {}).status_code == 403
    assert "/admin/claims/verdict/add/" not in editor_client.get("/admin/claims/verdict/").content.decode()


def test_an_import_with_a_lone_surrogate_in_one_item_keeps_the_others():
    good, bad = claim_review(1), claim_review(2)
    text = json.dumps([good, bad]).replace("Claim number 2", "Claim number \\ud800 2")
    run = claim_review_import(text)
    assert run.status == ClaimReviewImport.Status.DONE, run.error
    assert (run.created, run.refused) == (1, 1)
    assert "lone surrogate" in run.report[0]["reason"] and run.report[0]["index"] == 2
    assert ExternalFactCheck.objects.count() == 1


def test_a_lone_surrogate_in_a_refused_items_url_does_not_break_the_report():
    text = json.dumps([claim_review(1), claim_review(2, url="https://x.example/\ud800", claimReviewed=None)])
    run = claim_review_import(text)
    assert run.status == ClaimReviewImport.Status.DONE and (run.created, run.refused) == (1, 1)


def test_a_deeply_nested_import_is_not_valid_json():
    run = claim_review_import(DEEP)
    assert run.status == ClaimReviewImport.Status.FAILED
    assert "not valid JSON" in run.error and "nested too deeply" in run.error
    lines = claim_review_import(json.dumps(claim_review(1)) + "\n" + DEEP + "\n")
    assert lines.status == ClaimReviewImport.Status.DONE and lines.created == 1 and lines.refused == 1


def test_parse_refuses_depth_directly():
    with pytest.raises(external.SourceError, match="nested too deeply"):
        external.claimreview_parse(DEEP)


# Fuzzing ------------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
HTMLISH = st.one_of(
    st.binary(max_size=6000),
    st.text(max_size=3000).map(
        lambda t: ("<html><body><p>" + t + "</p></body></html>").encode("utf-8", "surrogatepass")
    ),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(data=HTMLISH)
def test_any_upload_is_taken_or_refused_with_a_message(data):
    try:
        submission = services.article_submit(html=data)
    except ValidationError as exc:
        assert exc.messages and all(message.strip() for message in exc.messages)
        return
    try:
        services.article_ingest(article_id=submission.article.pk)
    except ValidationError as exc:  # e.g. "No article text was found": the job records it
        assert exc.messages
    Article.objects.all().delete()


@FUZZ
@given(
    q=st.text(max_size=300), only=st.sampled_from(["", "claims", "quotes", "speakers", "x"]), page=st.text(max_size=8)
)
def test_search_answers_any_input_without_a_server_error(q, only, page):
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="eve"))
    response = client.get("/search/", {"q": q, "only": only, "page": page})
    assert response.status_code < 500
    public = client.get("/fact-checks/", {"q": q, "page": page})
    assert public.status_code < 500


@pytest.fixture(autouse=True)
def _people(editor):
    """Eve, for the fuzzing tests that sign in."""
