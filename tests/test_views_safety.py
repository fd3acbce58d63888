"""Bad input and concurrent edits on the workbench: every one answered in words, nothing
run, nothing lost."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims import workflow
from claims.models import Claim, Comment, Evidence, Rating, Verdict

from .factories import ArticleFactory, ClaimFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def evidence_data(**extra) -> dict:
    return {"url": "https://stats.example.org/", "stance": "refutes", "source_kind": "official_data", **extra}


def test_an_evidence_url_that_is_not_a_url_is_refused_in_words(reviewer_client, assigned_claim):
    for bad in ("not a url", "javascript:alert(1)", "ftp://files.example.org/x"):
        response = reviewer_client.post(
            reverse("claims:evidence_add", args=[assigned_claim.pk]), evidence_data(url=bad, title="Kept")
        )
        assert response.status_code == 400, bad
        html = response.content.decode()
        assert "Enter a valid URL." in html or "http:// or https://" in html
        assert 'value="Kept"' in html  # the rest of the form is kept
    assert not Evidence.objects.exists()


def test_a_verdict_submitted_with_no_rating_is_refused(reviewer_client, assigned_claim):
    response = reviewer_client.post(
        reverse("claims:verdict_save", args=[assigned_claim.pk]),
        {"headline": "Mostly wrong", "analysis": "My long analysis", "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a rating before submitting." in html
    assert "My long analysis" in html and 'value="Mostly wrong"' in html
    assert not Verdict.objects.exists()


def test_a_headline_of_ten_thousand_characters_is_refused(reviewer_client, assigned_claim):
    response = reviewer_client.post(
        reverse("claims:verdict_save", args=[assigned_claim.pk]),
        {"headline": "x" * 10_000, "analysis": "kept", "action": "save"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 300 characters (it has 10000)." in response.content.decode()
    assert not Verdict.objects.exists()


def test_html_and_script_are_shown_escaped_everywhere(client, editor, reviewer):
    speaker = SpeakerFactory(name=SCRIPT, role=SCRIPT)
    body = f"Intro. {SCRIPT} said the deficit doubled. End."
    article = ArticleFactory(title=SCRIPT, body=body, outlet=SCRIPT)
    start = body.index("the deficit")
    QuoteFactory(article=article, speaker=speaker, text="the deficit doubled", start=start, end=start + 19)
    claim = ClaimFactory(text=SCRIPT, speaker=speaker, article=article, start=start, end=start + 19)
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    client.force_login(reviewer)
    client.post(
        reverse("claims:evidence_add", args=[claim.pk]), evidence_data(title=SCRIPT, excerpt=SCRIPT, publisher=SCRIPT)
    )
    client.post(reverse("claims:comment_add", args=[claim.pk]), {"body": SCRIPT})
    client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {"rating": Rating.objects.first().pk, "headline": SCRIPT[:300], "analysis": SCRIPT, "action": "save"},
    )
    assert Comment.objects.get().body == SCRIPT  # stored as typed
    pages = [
        reverse("claims:queue"),
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:article", args=[article.pk]),
        reverse("claims:search") + "?q=deficit",
        reverse("claims:search") + "?q=" + "%3Cscript%3E",
        reverse("claims:article_submit"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert ESCAPED in client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    client.force_login(editor)
    assert "<script>alert" not in client.get(reverse("claims:triage")).content.decode()


def test_a_form_posted_without_csrf_token_is_refused(reviewer, assigned_claim):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    for url, data in (
        (reverse("claims:evidence_add", args=[assigned_claim.pk]), evidence_data()),
        (reverse("claims:verdict_save", args=[assigned_claim.pk]), {"headline": "x", "action": "save"}),
        (reverse("claims:comment_add", args=[assigned_claim.pk]), {"body": "x"}),
        (reverse("logout"), {}),
    ):
        response = browser.post(url, data)
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode()
    assert not Evidence.objects.exists() and not Verdict.objects.exists() and not Comment.objects.exists()


def test_a_form_posted_with_the_csrf_token_works(reviewer, assigned_claim):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    page = browser.get(reverse("claims:claim", args=[assigned_claim.pk]))
    token = page.cookies["csrftoken"].value
    response = browser.post(
        reverse("claims:comment_add", args=[assigned_claim.pk]), {"body": "ok", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    # htmx sends the token in a header set on <body>
    assert 'hx-headers=\'{"X-CSRFToken": "' in page.content.decode()


def test_a_stale_verdict_form_shows_who_changed_what_and_keeps_my_text(
    reviewer_client, assigned_claim, reviewer, editor
):
    draft = workflow.verdict_save_draft(claim=assigned_claim, by=reviewer, rating=None, headline="First", analysis="a")
    seen = draft.version
    # Eve edits the draft while Rita's form is open
    workflow.verdict_save_draft(
        claim=assigned_claim,
        by=editor,
        rating=Rating.objects.get(slug="true"),
        headline="Eve's take",
        analysis="b",
        version=seen,
    )
    response = reviewer_client.post(
        reverse("claims:verdict_save", args=[assigned_claim.pk]),
        {"headline": "Rita's take", "analysis": "Rita's long analysis", "action": "save", "version": seen},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Eve</strong> changed this verdict" in html
    assert "Eve&#x27;s take" in html and "headline" in html and "True" in html  # what changed, with names
    assert "Rita&#x27;s long analysis" in html and 'value="Rita&#x27;s take"' in html  # nothing lost
    assert Verdict.objects.get(pk=draft.pk).headline == "Eve's take"
    # saving again from the refreshed form is a deliberate choice and goes through
    version = response.context["verdict_form"]["version"].value()
    reviewer_client.post(
        reverse("claims:verdict_save", args=[assigned_claim.pk]),
        {"headline": "Rita's take", "analysis": "Rita's long analysis", "action": "save", "version": version},
    )
    assert Verdict.objects.get(pk=draft.pk).headline == "Rita's take"


def test_a_stale_claim_form_shows_who_changed_what_and_keeps_my_text(
    reviewer_client, assigned_claim, reviewer, second_editor
):
    seen = assigned_claim.version
    workflow.claim_edit(claim=Claim.objects.get(pk=assigned_claim.pk), by=second_editor, text="Ed's wording")
    response = reviewer_client.post(
        reverse("claims:claim_edit", args=[assigned_claim.pk]),
        {"text": "Rita's wording", "kind": "statistic", "version": seen},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ed</strong> changed this claim" in html
    assert "Ed&#x27;s wording" in html and "Rita&#x27;s wording" in html
    assert Claim.objects.get(pk=assigned_claim.pk).text == "Ed's wording"


def test_a_stale_approval_is_refused_with_who_changed_it(second_editor_client, assigned_claim, reviewer, second_editor):
    verdict = workflow.verdict_save_draft(
        claim=assigned_claim, by=reviewer, rating=Rating.objects.first(), headline="H", analysis=""
    )
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    response = second_editor_client.post(reverse("claims:verdict_approve", args=[assigned_claim.pk]), {"version": 1})
    assert response.status_code == 409
    assert "Rita</strong> changed this verdict" in response.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).state == "submitted"


def test_next_never_sends_anyone_off_site(editor_client, editor):
    claim = ClaimFactory()
    response = editor_client.post(
        reverse("claims:claim_accept", args=[claim.pk]), {"next": "https://evil.example.com/", "version": claim.version}
    )
    assert response["Location"] == reverse("claims:triage")


def test_oversized_and_malformed_numbers_do_not_crash(reviewer_client, assigned_claim, editor):
    article = ArticleFactory(body="Short text.")
    response = reviewer_client.post(
        reverse("claims:article_claim_add", args=[article.pk]),
        {"text": "Short", "start": "-5", "end": "x", "kind": "other"},
    )
    assert response.status_code == 400
    assert (
        reviewer_client.get(reverse("claims:queue"), {"page": "99999", "speaker": "abc", "rating": "-1"}).status_code
        == 200
    )
    assert (
        reviewer_client.post(
            reverse("claims:verdict_save", args=[assigned_claim.pk]), {"action": "save", "version": "nope"}
        ).status_code
        == 400
    )


def test_a_refusal_is_not_hidden_behind_a_form_error(other_reviewer_client, assigned_claim, other_reviewer):
    for name, data in (
        ("claims:verdict_save", {"headline": "x" * 10_000}),
        ("claims:claim_edit", {"text": ""}),
        ("claims:comment_add", {"body": ""}),
        ("claims:evidence_add", {"url": "not a url"}),
    ):
        response = other_reviewer_client.post(reverse(name, args=[assigned_claim.pk]), data)
        assert response.status_code == 403, name
