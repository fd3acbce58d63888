"""The reviewer workbench in the browser, page by page: queue, triage, claim, article,
submission and search, as reviewers and editors use them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from claims import services, tasks, workflow
from claims.models import Article, Claim, Comment, Evidence, Verdict

from .builders import assign, rating
from .factories import (
    ArticleFactory,
    ClaimFactory,
    CommentFactory,
    EvidenceFactory,
    QuoteFactory,
    SpeakerFactory,
)
from .support import Route

pytestmark = pytest.mark.django_db
S = Claim.Status


def submit_and_run_job(client, data, capture):
    """Post the submit form; check its job was queued on commit, then run the job here."""
    with capture() as callbacks:
        response = client.post(reverse("claims:article_submit"), data)
    assert len(callbacks) == 1
    tasks.ingest_article.apply(args=[Article.objects.latest("pk").pk])
    return response


# Signing in ---------------------------------------------------------------------------------


def test_every_workbench_page_asks_for_a_login(client, assigned_claim):
    pages = [
        reverse("claims:queue"),
        reverse("claims:triage"),
        reverse("claims:search") + "?q=x",
        reverse("claims:claim", args=[assigned_claim.pk]),
        reverse("claims:article", args=[assigned_claim.article_id]),
        reverse("claims:article_submit"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_reviewer_signs_in_and_out(client, reviewer):
    response = client.post(reverse("login"), {"username": "rita", "password": "a-long-test-password"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "My queue" in client.get("/").content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_a_partner_cannot_sign_in_to_the_workbench(client, partner):
    response = client.post(reverse("login"), {"username": "pat", "password": "a-long-test-password"})
    assert response.status_code == 200
    assert "partner accounts use the API" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_partner_or_outsider_is_refused_with_a_message(client, partner, outsider):
    for person in (partner, outsider):
        client.force_login(person)
        response = client.get("/")
        assert response.status_code == 403
        assert "cannot use the workbench" in response.content.decode()


def test_wrong_password_says_so(client, reviewer):
    response = client.post(reverse("login"), {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


# My queue ----------------------------------------------------------------------------------


def test_queue_lists_my_claims_by_due_date_then_priority(reviewer_client, editor, reviewer, other_reviewer):
    later = assign(ClaimFactory(text="Later claim"), editor, reviewer, due_date=datetime.date(2031, 1, 5))
    urgent = assign(ClaimFactory(text="Urgent claim"), editor, reviewer, due_date=datetime.date(2031, 1, 1), priority=3)
    normal = assign(ClaimFactory(text="Normal claim"), editor, reviewer, due_date=datetime.date(2031, 1, 1), priority=1)
    undated = assign(ClaimFactory(text="Undated claim"), editor, reviewer)
    assign(ClaimFactory(text="Ravi's claim"), editor, other_reviewer)
    html = reviewer_client.get("/").content.decode()
    positions = [html.index(c.text) for c in (urgent, normal, later, undated)]
    assert positions == sorted(positions)
    assert "Ravi&#x27;s claim" not in html and "Ravi's claim" not in html


def test_queue_counts_by_status_and_filters(reviewer_client, editor, reviewer):
    speaker = SpeakerFactory(name="Ada Minister")
    one = assign(ClaimFactory(text="Inflation is 3%", speaker=speaker, kind=Claim.Kind.STATISTIC), editor, reviewer)
    assign(ClaimFactory(text="It will rain", kind=Claim.Kind.PREDICTION), editor, reviewer)
    workflow.verdict_save_draft(claim=one, by=reviewer, rating=rating("true"), headline="Yes", analysis="")
    page = reviewer_client.get("/")
    counts = {label: n for _, label, n in page.context["counts"]}
    assert counts == {"Assigned": 1, "In review": 1}
    assert [c.text for c in reviewer_client.get("/", {"kind": "prediction"}).context["page"]] == ["It will rain"]
    assert [c.text for c in reviewer_client.get("/", {"speaker": "ada min"}).context["page"]] == ["Inflation is 3%"]
    assert [c.text for c in reviewer_client.get("/", {"status": "in_review"}).context["page"]] == ["Inflation is 3%"]
    assert [c.text for c in reviewer_client.get("/", {"rating": rating("true").pk}).context["page"]] == [
        "Inflation is 3%"
    ]
    assert [c.text for c in reviewer_client.get("/", {"q": "rain"}).context["page"]] == ["It will rain"]


def test_queue_filters_answer_htmx_with_the_results_only(reviewer_client, assigned_claim):
    response = reviewer_client.get("/", {"q": "Unemployment"}, headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert assigned_claim.text in html and "<html" not in html


def test_long_queues_paginate(reviewer_client, editor, reviewer):
    for _ in range(55):
        assign(ClaimFactory(), editor, reviewer)
    first = reviewer_client.get("/")
    assert len(first.context["page"].object_list) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert len(reviewer_client.get("/", {"page": 2}).context["page"].object_list) == 5


# Triage ------------------------------------------------------------------------------------


def test_triage_is_for_editors_and_sorted_by_check_worthiness(editor_client, reviewer_client, reviewer):
    ClaimFactory(text="Barely worth it", score=0.2)
    ClaimFactory(text="Very checkable", score=0.9)
    html = editor_client.get(reverse("claims:triage")).content.decode()
    assert html.index("Very checkable") < html.index("Barely worth it")
    response = reviewer_client.get(reverse("claims:triage"))
    assert response.status_code == 403 and "Only an editor" in response.content.decode()


def test_editor_accepts_and_dismisses_one_by_one_with_htmx(editor_client):
    keep, drop = ClaimFactory(), ClaimFactory()
    response = editor_client.post(
        reverse("claims:claim_accept", args=[keep.pk]), {"version": keep.version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "accepted" in response.content.decode()
    editor_client.post(reverse("claims:claim_dismiss", args=[drop.pk]), {"version": drop.version})
    assert Claim.objects.get(pk=keep.pk).status == S.ACCEPTED
    assert Claim.objects.get(pk=drop.pk).status == S.DISMISSED


def test_editor_assigns_a_candidate_in_one_step(editor_client, reviewer):
    claim = ClaimFactory()
    response = editor_client.post(
        reverse("claims:claim_assign", args=[claim.pk]),
        {"assignee": reviewer.pk, "due_date": "2031-02-03", "priority": "2", "version": claim.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.priority) == (S.ASSIGNED, reviewer, 2)
    assert claim.due_date == datetime.date(2031, 2, 3)


def test_editor_merges_a_duplicate(editor_client):
    original, copy = ClaimFactory(), ClaimFactory()
    editor_client.post(
        reverse("claims:claim_duplicate", args=[copy.pk]), {"original": original.pk, "version": copy.version}
    )
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id) == (S.DUPLICATE, original.pk)


def test_bulk_triage_reports_successes_and_refusals(editor_client, reviewer):
    fresh, other, gone = ClaimFactory(), ClaimFactory(), ClaimFactory(status=S.DISMISSED)
    response = editor_client.post(
        reverse("claims:triage_bulk"),
        {
            "action": "assign",
            "claims": [fresh.pk, other.pk, gone.pk],
            "assignee": reviewer.pk,
            **{f"version-{c.pk}": c.version for c in (fresh, other, gone)},
        },
        follow=True,
    )
    html = response.content.decode()
    assert "2 claims: accept and assign done." in html
    assert f"#{gone.pk}: Cannot assign this claim: it is dismissed." in html
    assert set(Claim.objects.filter(assignee=reviewer).values_list("pk", flat=True)) == {fresh.pk, other.pk}


def test_bulk_dismiss_and_duplicate(editor_client):
    a, b, root = ClaimFactory(), ClaimFactory(), ClaimFactory()
    duplicate = {"action": "duplicate", "claims": [a.pk], "original": root.pk, f"version-{a.pk}": a.version}
    editor_client.post(reverse("claims:triage_bulk"), duplicate)
    editor_client.post(
        reverse("claims:triage_bulk"), {"action": "dismiss", "claims": [b.pk], f"version-{b.pk}": b.version}
    )
    assert Claim.objects.get(pk=a.pk).duplicate_of_id == root.pk
    assert Claim.objects.get(pk=b.pk).status == S.DISMISSED


def test_bulk_without_a_selection_says_what_is_missing(editor_client):
    response = editor_client.post(reverse("claims:triage_bulk"), {"action": "accept"}, follow=True)
    assert "Select at least one claim." in response.content.decode()


# The claim page ----------------------------------------------------------------------------


def test_claim_page_shows_the_claim_in_its_article_with_the_span_highlighted(reviewer_client, assigned_claim):
    body = "Intro paragraph.\nThe minister said unemployment fell to 4% in May. Then more text."
    article = ArticleFactory(body=body)
    start = body.index("unemployment")
    assigned_claim.article, assigned_claim.start, assigned_claim.end = (
        article,
        start,
        start + len("unemployment fell to 4%"),
    )
    assigned_claim.save()
    html = reviewer_client.get(reverse("claims:claim", args=[assigned_claim.pk])).content.decode()
    assert '<mark class="span">unemployment fell to 4%</mark>' in html
    assert assigned_claim.speaker.name in html


def test_claim_page_shows_earlier_similar_claims_with_their_verdicts(
    reviewer_client, assigned_claim, submitted_verdict, second_editor
):
    workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    later = assign(ClaimFactory(text="Unemployment fell to 4% in May, again"), second_editor, assigned_claim.assignee)
    later.matches.create(earlier=assigned_claim, score=0.8)
    html = reviewer_client.get(reverse("claims:claim", args=[later.pk])).content.decode()
    assert "Already checked?" in html
    assert "No, it rose" in html and "False" in html


def test_reviewer_adds_edits_and_removes_evidence(reviewer_client, assigned_claim):
    url = reverse("claims:evidence_add", args=[assigned_claim.pk])
    data = {
        "url": "https://stats.example.org/t1",
        "title": "Table 1",
        "stance": "refutes",
        "source_kind": "official_data",
    }
    response = reviewer_client.post(url, {**data, "excerpt": "Rate: 5.1%"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Table 1" in response.content.decode()
    evidence = Evidence.objects.get(claim=assigned_claim)
    assert evidence.added_by.username == "rita"
    edit = reverse("claims:evidence_edit", args=[assigned_claim.pk, evidence.pk])
    assert 'value="Table 1"' in reviewer_client.get(edit, headers={"HX-Request": "true"}).content.decode()
    reviewer_client.post(edit, {**data, "title": "Table 1 (revised)", "version": evidence.version})
    assert Evidence.objects.get(pk=evidence.pk).title == "Table 1 (revised)"
    reviewer_client.post(
        reverse("claims:evidence_remove", args=[assigned_claim.pk, evidence.pk]), {"version": evidence.version + 1}
    )
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    history = reviewer_client.get(reverse("claims:claim", args=[assigned_claim.pk])).context["history"]
    assert [c.what for c in history][:3] == [
        "Evidence “Table 1 (revised)” removed",
        "Evidence “Table 1 (revised)” changed",
        "Evidence “Table 1” created",
    ]


def test_reviewer_saves_a_draft_then_submits_it(reviewer_client, assigned_claim):
    url = reverse("claims:verdict_save", args=[assigned_claim.pk])
    reviewer_client.post(
        url, {"rating": rating().pk, "headline": "Draft", "analysis": "Because.", "action": "save", "version": 0}
    )
    verdict = Verdict.objects.get(claim=assigned_claim)
    assert (verdict.state, verdict.headline) == ("draft", "Draft")
    response = reviewer_client.post(
        url,
        {
            "rating": rating().pk,
            "headline": "Final",
            "analysis": "Because.",
            "action": "submit",
            "version": verdict.version,
        },
        follow=True,
    )
    assert "Verdict submitted for approval." in response.content.decode()
    verdict.refresh_from_db()
    assert (verdict.state, verdict.headline) == ("submitted", "Final")
    assert Claim.objects.get(pk=assigned_claim.pk).status == S.SUBMITTED


def test_editor_approves_and_the_page_links_the_public_fact_check(
    second_editor_client, submitted_verdict, second_editor
):
    page = second_editor_client.get(reverse("claims:claim", args=[submitted_verdict.claim_id])).content.decode()
    assert "Approve and publish" in page and "Return with comment" in page
    url = reverse("claims:verdict_approve", args=[submitted_verdict.claim_id])
    # Two steps (the "one click" is gone): first the checks, then the confirmation.
    check = second_editor_client.post(url, {"version": submitted_verdict.version})
    assert check.status_code == 200 and "Before it goes out" in check.content.decode()
    assert Claim.objects.get(pk=submitted_verdict.claim_id).status == S.SUBMITTED
    response = second_editor_client.post(url, {"version": submitted_verdict.version, "confirm": "1"}, follow=True)
    claim = Claim.objects.get(pk=submitted_verdict.claim_id)
    assert claim.status == S.PUBLISHED
    assert f"/fact-checks/{claim.slug}/" in response.content.decode()


def test_editor_returns_a_verdict_with_a_comment(second_editor_client, submitted_verdict, second_editor):
    second_editor_client.post(
        reverse("claims:verdict_return", args=[submitted_verdict.claim_id]),
        {"comment": "Cite the table.", "version": submitted_verdict.version},
    )
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == "returned"
    assert Comment.objects.get(claim_id=submitted_verdict.claim_id).body == "Cite the table."


def test_reviewer_cannot_approve_own_verdict(reviewer_client, submitted_verdict):
    response = reviewer_client.post(
        reverse("claims:verdict_approve", args=[submitted_verdict.claim_id]), {"version": submitted_verdict.version}
    )
    assert response.status_code == 403
    assert "Only an editor can approve a verdict." in response.content.decode()
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == "submitted"


def test_an_editor_cannot_approve_a_verdict_they_edited(editor_client, assigned_claim, editor, reviewer):
    workflow.verdict_save_draft(claim=assigned_claim, by=editor, rating=rating(), headline="Eve's", analysis="")
    verdict = Verdict.objects.get(claim=assigned_claim)
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    response = editor_client.post(
        reverse("claims:verdict_approve", args=[assigned_claim.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "another editor must approve" in response.content.decode()
    assert response["HX-Retarget"] == "#messages"


def test_reviewer_comments_and_the_history_shows_who_did_what(reviewer_client, assigned_claim):
    reviewer_client.post(reverse("claims:comment_add", args=[assigned_claim.pk]), {"body": "Asked the ministry."})
    reviewer_client.post(
        reverse("claims:claim_edit", args=[assigned_claim.pk]), {"text": "Reworded", "kind": "statistic", "version": 3}
    )
    page = reviewer_client.get(reverse("claims:claim", args=[assigned_claim.pk]))
    html = page.content.decode()
    assert "Asked the ministry." in html
    latest = page.context["history"][0]
    assert (latest.who.username, latest.what, latest.reason) == ("rita", "Claim changed", "edited")
    assert ("text", assigned_claim.text, "Reworded") in latest.fields
    assigning = next(c for c in page.context["history"] if c.reason.startswith("assigned"))
    assert ("assignee", None, "Rita") in assigning.fields


def test_a_reviewer_sees_other_claims_read_only_and_cannot_change_them(
    other_reviewer_client, assigned_claim, other_reviewer
):
    html = other_reviewer_client.get(reverse("claims:claim", args=[assigned_claim.pk])).content.decode()
    assert "Read-only" in html
    assert "Add evidence" not in html and "Save draft" not in html
    posts = [
        (
            reverse("claims:evidence_add", args=[assigned_claim.pk]),
            {"url": "https://x.example.org/", "stance": "context", "source_kind": "media"},
        ),
        (reverse("claims:verdict_save", args=[assigned_claim.pk]), {"headline": "Mine", "action": "save"}),
        (reverse("claims:comment_add", args=[assigned_claim.pk]), {"body": "hello"}),
        (reverse("claims:claim_edit", args=[assigned_claim.pk]), {"text": "Mine", "kind": "other"}),
        (reverse("claims:claim_accept", args=[assigned_claim.pk]), {}),
        (reverse("claims:claim_assign", args=[assigned_claim.pk]), {"assignee": other_reviewer.pk}),
    ]
    for url, data in posts:
        response = other_reviewer_client.post(url, data)
        assert response.status_code == 403, url
        assert "alert" in response.content.decode()
    evidence = EvidenceFactory(claim=assigned_claim)
    for url in (
        reverse("claims:evidence_edit", args=[assigned_claim.pk, evidence.pk]),
        reverse("claims:evidence_remove", args=[assigned_claim.pk, evidence.pk]),
    ):
        assert (
            other_reviewer_client.post(
                url, {"url": "https://y.example.org/", "stance": "context", "source_kind": "media"}
            ).status_code
            == 403
        )
    assert Evidence.objects.filter(pk=evidence.pk, url=evidence.url).exists()
    assert not Comment.objects.exists()


def test_an_illegal_move_answers_400_with_the_reason(editor_client, editor):
    claim = workflow.claim_dismiss(claim=ClaimFactory(), by=editor)
    response = editor_client.post(reverse("claims:claim_accept", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 400
    assert "Cannot accept this claim: it is dismissed." in response.content.decode()


def test_a_missing_claim_is_404(reviewer_client):
    assert reviewer_client.get(reverse("claims:claim", args=[999999])).status_code == 404


# Articles -----------------------------------------------------------------------------------


def test_article_page_marks_quotes_by_speaker_and_claims(reviewer_client):
    body = 'Ada said: "Crime fell by 12% last year." Bob disagreed.'
    article = ArticleFactory(body=body)
    ada = SpeakerFactory(name="Ada Minister")
    start = body.index("Crime")
    QuoteFactory(article=article, speaker=ada, text="Crime fell by 12% last year.", start=start, end=start + 28)
    claim = ClaimFactory(article=article, speaker=ada, text="Crime fell by 12%", start=start, end=start + 17)
    page = reviewer_client.get(reverse("claims:article", args=[article.pk]))
    html = page.content.decode()
    assert "Ada Minister" in html and "1 quote" in html
    assert f'href="/claims/{claim.pk}/"' in html
    assert f'class="mark sp-{ada.pk % 12} quote claim"' in html
    # the marks add no characters: the text is the body
    segments = page.context["segments"]
    assert "".join(s.text for s in segments) == body


def test_a_speaker_keeps_one_colour_in_every_article_and_the_legend_shows_no_speaker(reviewer_client):
    ada, bob = SpeakerFactory(name="Ada Minister"), SpeakerFactory(name="Bob Mayor")
    first, second = (
        ArticleFactory(body='"We won," Ada said.'),
        ArticleFactory(body='"No," Bob said. "We won," Ada said.'),
    )
    QuoteFactory(article=first, speaker=ada, text="We won,", start=1, end=8)
    QuoteFactory(article=second, speaker=bob, text="No,", start=1, end=4)
    QuoteFactory(article=second, speaker=ada, text="We won,", start=17, end=24)
    QuoteFactory(article=second, speaker=None, text="No", start=1, end=3)
    colours = []
    for article in (first, second):
        legend = reviewer_client.get(reverse("claims:article", args=[article.pk])).context["legend"]
        colours.append({s.name: colour for s, colour, _ in legend.speakers})
    assert colours[0]["Ada Minister"] == colours[1]["Ada Minister"] != colours[1]["Bob Mayor"]
    html = reviewer_client.get(reverse("claims:article", args=[second.pk])).content.decode()
    assert '<span class="swatch sp-none" aria-hidden="true"></span> No speaker <span class="meta">(1 quote)' in html
    assert html.index('id="speakers-h"') < html.index('id="article-body"')  # first on a phone


def test_a_passage_becomes_a_claim_by_hand(reviewer_client):
    body = "The mayor said the bridge cost 40 million euros. Others disagree."
    article = ArticleFactory(body=body)
    start = body.index("the bridge")
    response = reviewer_client.post(
        reverse("claims:article_claim_add", args=[article.pk]),
        {"text": "the bridge cost 40 million euros", "start": start, "end": start + 32, "kind": "quantity"},
    )
    claim = Claim.objects.get(article=article)
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    assert (claim.start, claim.end, claim.origin, claim.status) == (start, start + 32, "human", S.CANDIDATE)
    assert claim.history.first().history_user.username == "rita"


def test_a_typed_passage_is_found_in_the_text_and_a_foreign_one_refused(reviewer_client):
    article = ArticleFactory(body="Prices rose 5% in March.")
    reviewer_client.post(
        reverse("claims:article_claim_add", args=[article.pk]), {"text": "rose 5%", "kind": "statistic"}
    )
    assert Claim.objects.get(article=article).start == len("Prices ")
    response = reviewer_client.post(
        reverse("claims:article_claim_add", args=[article.pk]), {"text": "not there", "kind": "other"}
    )
    assert response.status_code == 400
    assert "not in the article" in response.content.decode()


def test_submitting_pasted_text_runs_the_job_and_shows_the_article(editor_client, django_capture_on_commit_callbacks):
    text = (
        "The finance minister said on Monday that defence spending would rise by 68% next year. "
        '"We have no choice," she said.'
    )
    response = submit_and_run_job(editor_client, {"text": text, "title": "Budget"}, django_capture_on_commit_callbacks)
    article = Article.objects.get(title="Budget")
    assert response.status_code == 302 and response["Location"] == f"/articles/{article.pk}/"
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    html = editor_client.get(response["Location"]).content.decode()
    assert "68%" in html


def test_the_progress_fragment_polls_while_running_and_refreshes_when_done(reviewer_client):
    article = ArticleFactory(status=Article.Status.FETCHING, body="")
    running = reviewer_client.get(reverse("claims:article_progress", args=[article.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in running.content.decode() and "Fetching the page" in running.content.decode()
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.FAILED, error="The server answered 404: no page at this address."
    )
    done = reviewer_client.get(reverse("claims:article_progress", args=[article.pk]), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "could not be processed.</strong> The site answered 404 Not Found" in done.content.decode()
    assert "every 1s" not in done.content.decode()


def test_a_bad_submission_says_what_is_wrong(editor_client):
    response = editor_client.post(reverse("claims:article_submit"), {"url": "not a url"})
    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()
    assert "Give exactly one of" not in response.content.decode()
    response = editor_client.post(reverse("claims:article_submit"), {})
    assert "Give exactly one of" in response.content.decode()


def test_resubmitting_the_same_text_points_at_the_existing_article(editor_client):
    article = services.article_submit(text="Same words here.").article
    response = editor_client.post(reverse("claims:article_submit"), {"text": "Same words here."}, follow=True)
    assert f"Already in the workbench as article #{article.pk}" in response.content.decode()


# Search -------------------------------------------------------------------------------------


def test_search_finds_claims_quotes_and_speakers(reviewer_client):
    ada = SpeakerFactory(name="Ada Lovelace", role="Minister of Engines")
    ClaimFactory(text="Engines doubled output", speaker=ada)
    QuoteFactory(text="our engines are the best", speaker=ada)
    ClaimFactory(text="Nothing to do with it")
    page = reviewer_client.get(reverse("claims:search"), {"q": "engines"})
    sections = dict(page.context["sections"])
    assert [c.text for c in sections["claims"]] == ["Engines doubled output"]
    assert [q.text for q in sections["quotes"]] == ["our engines are the best"]
    assert [
        s.name for s in reviewer_client.get(reverse("claims:search"), {"q": "lovelace"}).context["sections"][2][1]
    ] == ["Ada Lovelace"]


def test_search_for_one_kind_paginates(reviewer_client):
    for n in range(55):
        ClaimFactory(text=f"Tariffs rose {n}%")
    page = reviewer_client.get(reverse("claims:search"), {"q": "tariffs", "kind": "claims"})
    ((kind, results),) = page.context["sections"]
    assert kind == "claims" and len(results.object_list) == 50 and results.paginator.count == 55


def test_comments_and_evidence_are_listed_on_the_claim_page(reviewer_client, assigned_claim):
    CommentFactory(claim=assigned_claim, author=assigned_claim.assignee, body="First thought")
    EvidenceFactory(claim=assigned_claim, title="Census 2021")
    html = reviewer_client.get(reverse("claims:claim", args=[assigned_claim.pk])).content.decode()
    assert "First thought" in html and "Census 2021" in html


@pytest.mark.postgres
def test_postgres_search_matches_word_forms_and_ranks_the_text_above_the_speaker(reviewer_client):
    engines = SpeakerFactory(name="Engines Minister")
    by_name = ClaimFactory(text="Output doubled this year", speaker=engines)
    by_text = ClaimFactory(text="Engines doubled output")
    ClaimFactory(text="Trains ran late")
    page = reviewer_client.get(reverse("claims:search"), {"q": "doubling engines", "kind": "claims"})
    ((_, results),) = page.context["sections"]
    assert [c.pk for c in results] == [by_text.pk, by_name.pk]


def test_a_url_that_fails_shows_the_error_in_words(editor_client, site, django_capture_on_commit_callbacks):
    url = site.add("/gone", Route(status=404, body=b"not here"))
    response = submit_and_run_job(editor_client, {"url": url}, django_capture_on_commit_callbacks)
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED
    html = editor_client.get(response["Location"]).content.decode()
    assert "The site answered 404 Not Found: there is no page at this address." in html
    assert '<summary>Technical detail</summary><p class="detail">The site refused the page (HTTP 404).</p>' in html
    assert 'aria-current="step">Failed' in html


def test_a_url_is_fetched_and_its_quotes_shown(editor_client, site, article_html, django_capture_on_commit_callbacks):
    url = site.add("/budget", Route(body=article_html.encode()))
    response = submit_and_run_job(editor_client, {"url": url}, django_capture_on_commit_callbacks)
    html = editor_client.get(response["Location"]).content.decode()
    assert "Budget rises sharply" in html and "We have no choice" in html
    assert Article.objects.get().status == Article.Status.READY


def test_editor_opens_a_published_verdict_for_correction(client, submitted_verdict, second_editor, reviewer):
    workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    client.force_login(second_editor)
    url = reverse("claims:claim", args=[submitted_verdict.claim_id])
    assert "Open for correction" in client.get(url).content.decode()
    claim = Claim.objects.get(pk=submitted_verdict.claim_id)
    client.post(
        reverse("claims:claim_correct", args=[claim.pk]),
        {"reason": "The 2023 figure was revised.", "version": claim.version},
    )
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    assert Verdict.objects.published().get(claim=claim).pk == submitted_verdict.pk  # still public
    client.force_login(reviewer)
    assert "Save draft" in client.get(url).content.decode()
    assert client.post(reverse("claims:claim_correct", args=[claim.pk]), {"reason": "x"}).status_code == 403


def test_the_claim_page_says_when_the_article_states_its_figure_differently(editor_client):
    body = (
        "The government will raise the defence budget by 68% next year, the finance ministry said.\n\n"
        "Documents show the defence budget will rise by 67.6% in 2024."
    )
    article = ArticleFactory(body=body, status=Article.Status.EXTRACTING)
    services.article_extract(article=article)
    claim = Claim.objects.filter(article=article, text__contains="68%").first()
    assert claim is not None
    html = editor_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "The article states this figure differently:" in html
    assert "68%, 67.6%" in html


def test_article_page_shows_who_said_a_quote_in_the_speakers_colour(reviewer_client):
    body = '"The ferry will run in May," said Councillor Ben Ross on Friday.'
    article = ArticleFactory(body=body)
    ben = SpeakerFactory(name="Ben Ross")
    source = body.index("Councillor")
    QuoteFactory(
        article=article,
        speaker=ben,
        text="The ferry will run in May,",
        start=1,
        end=27,
        source_start=source,
        source_end=source + len("Councillor Ben Ross"),
    )
    page = reviewer_client.get(reverse("claims:article", args=[article.pk]))
    html = page.content.decode()
    assert (
        f'<mark class="mark sp-{ben.pk % 12} source" title="Who said it: Ben Ross">Councillor Ben Ross</mark>' in html
    )
    assert "".join(s.text for s in page.context["segments"]) == body
