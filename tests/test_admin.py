"""The editor's desk in the admin: pages, bulk actions, submission, merging speakers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import tasks, workflow
from claims.models import Article, Claim, FactCheck, Quote, Rating, Speaker, SpeakerAlias, Verdict

from .factories import AliasFactory, ArticleFactory, ClaimFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

MODELS = ["article", "speaker", "speakeralias", "quote", "claim", "verdict", "evidence", "comment", "rating"]


@pytest.mark.parametrize("model", MODELS)
def test_every_list_and_add_page_opens_with_search_and_filters(editor_client, model):
    ClaimFactory()
    changelist = reverse(f"admin:claims_{model}_changelist")
    assert editor_client.get(changelist).status_code == 200
    assert editor_client.get(changelist, {"q": "<script>alert(1)</script>"}).status_code == 200


def test_a_claim_page_shows_its_inlines_and_history(editor_client, editor):
    claim = ClaimFactory(text="Crime <b>fell</b> by 12%")
    workflow.claim_accept(claim=claim, by=editor)
    page = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Crime &lt;b&gt;fell&lt;/b&gt; by 12%" in html  # escaped
    assert "evidence" in html.lower() and "comments" in html.lower()
    history = editor_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    assert "accepted" in history.content.decode()


def test_a_reviewer_without_staff_access_cannot_open_the_admin(reviewer_client, reviewer):
    response = reviewer_client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def action(client, name: str, claims, **extra):
    """Run a bulk action as the list posts it: the selected claims and the versions it showed."""
    shown = {
        f"version-{pk}": v for pk, v in Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("pk", "version")
    }
    return client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": name, "_selected_action": [c.pk for c in claims], **shown, **extra},
        follow=True,
    )


def test_bulk_accept_and_dismiss_report_refusals(editor_client):
    fresh, other, done = ClaimFactory(), ClaimFactory(), ClaimFactory(status=Claim.Status.DISMISSED)
    response = action(editor_client, "accept", [fresh, done])
    text = response.content.decode()
    assert f"1 claim accepted: Claim #{fresh.pk}." in text
    assert f"Claim #{done.pk}: Cannot accept this claim: it is dismissed." in text
    action(editor_client, "dismiss", [other])
    assert Claim.objects.get(pk=fresh.pk).status == Claim.Status.ACCEPTED
    assert Claim.objects.get(pk=other.pk).status == Claim.Status.DISMISSED


def test_bulk_assign_with_due_date_and_priority(editor_client, reviewer):
    claims = [ClaimFactory(status=Claim.Status.ACCEPTED) for _ in range(3)]
    action(editor_client, "assign", claims, assignee=reviewer.pk, due_date="2030-05-01", priority=3)
    for claim in Claim.objects.filter(pk__in=[c.pk for c in claims]):
        assert (claim.status, claim.assignee, claim.priority, str(claim.due_date)) == (
            Claim.Status.ASSIGNED,
            reviewer,
            3,
            "2030-05-01",
        )


def test_assign_without_a_reviewer_says_so(editor_client):
    claim = ClaimFactory(status=Claim.Status.ACCEPTED)
    response = action(editor_client, "assign", [claim])
    assert "Choose a reviewer" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.ACCEPTED


def test_bulk_set_priority(editor_client):
    claim = ClaimFactory()
    action(editor_client, "set_priority", [claim], priority=0)
    assert Claim.objects.get(pk=claim.pk).priority == 0


def test_bulk_approve_respects_four_eyes(client, editor, second_editor):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=editor)
    verdict = workflow.verdict_save_draft(
        claim=claim, by=editor, rating=Rating.objects.get(slug="false"), headline="No", analysis=""
    )
    workflow.verdict_submit(verdict=verdict, by=editor)
    client.force_login(editor)
    response = action(client, "approve", [claim])
    assert "another editor must approve" in response.content.decode()
    seen = {f"verdict-version-{verdict.pk}": verdict.version}  # as the confirmation page carries it
    assert "another editor must approve" in action(client, "approve", [claim], confirm="yes", **seen).content.decode()
    client.force_login(second_editor)
    check = action(client, "approve", [claim])  # first the checks, as on the claim page
    assert "check before it goes out" in check.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).state == Verdict.State.SUBMITTED
    assert f'name="verdict-version-{verdict.pk}" value="{verdict.version}"' in check.content.decode()
    action(client, "approve", [claim], confirm="yes", **seen)
    assert Verdict.objects.get(pk=verdict.pk).state == Verdict.State.PUBLISHED


def test_a_stale_claim_form_is_refused_and_keeps_the_typed_text(editor_client, second_editor):
    claim = ClaimFactory(text="Original wording")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = {
        "text": "Eve's new wording",
        "kind": "statistic",
        "speaker": claim.speaker_id,
        "article": claim.article_id,
        "score": "0.8",
        "priority": "1",
        "seen_version": "1",
        **{
            f"{prefix}-{k}": v
            for prefix in ("matches", "evidence", "verdicts", "comments")
            for k, v in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        },
    }
    workflow.claim_edit(claim=Claim.objects.get(pk=claim.pk), by=second_editor, text="Ed's wording")
    response = editor_client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ed changed this claim since you opened it" in html
    assert "Eve&#x27;s new wording" in html  # still in the form
    assert Claim.objects.get(pk=claim.pk).text == "Ed's wording"


def test_submitting_an_article_by_pasted_text(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_client.post(
            reverse("admin:claims_article_add"), {"text": "The mayor said crime fell by 12%."}
        )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{article.pk}/change/")
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give exactly one of"),
        ({"text": "   "}, "Give exactly one of"),
        ({"url": "not a url at all"}, "Enter a valid URL"),
        ({"url": "https://example.org/a", "text": "both"}, "Give exactly one of"),
        ({"text": "x" * (11 * 1024 * 1024)}, "the limit is 10 MB"),
    ],
)
def test_bad_submissions_get_a_message_not_an_error_page(editor_client, data, message):
    response = editor_client.post(reverse("admin:claims_article_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_uploading_a_latin1_html_file(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = "<html><body><article><p>Le ministre a déclaré que la dette publique atteindra 112 % du PIB en 2025,"
    html += " selon les prévisions présentées mardi.</p></article></body></html>"
    upload = SimpleUploadedFile("story.html", html.encode("latin-1"), content_type="text/html")
    editor_client.post(reverse("admin:claims_article_add"), {"html_file": upload})
    tasks.ingest_article.apply(args=[Article.objects.get().pk])  # the job turns the HTML into text
    assert "déclaré" in Article.objects.get().body


def test_a_failed_article_shows_its_error_in_the_list(editor_client):
    Article.objects.create(
        url="https://example.org/x", status=Article.Status.FAILED, error="The site refused the page (HTTP 404)."
    )
    html = editor_client.get(reverse("admin:claims_article_changelist")).content.decode()
    assert "failed: The site refused the page (HTTP 404)." in html


def test_rerun_extraction_action(editor_client, django_capture_on_commit_callbacks):
    article, empty = ArticleFactory(), Article.objects.create(url="https://example.org/e")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_client.post(
            reverse("admin:claims_article_changelist"),
            {"action": "rerun_extraction", "_selected_action": [article.pk, empty.pk]},
            follow=True,
        )
    assert len(callbacks) == 1
    assert "has no text yet" in response.content.decode()


def test_merging_speakers_moves_everything_to_the_one_kept(editor_client):
    keep = SpeakerFactory(name="Jens Stoltenberg")
    other = SpeakerFactory(name="Stoltenberg", role="NATO Secretary General")
    AliasFactory(speaker=other, alias="NATO chief")
    quote, claim = QuoteFactory(speaker=other), ClaimFactory(speaker=other)
    url = reverse("admin:claims_speaker_changelist")
    confirm = editor_client.post(url, {"action": "merge_speakers", "_selected_action": [keep.pk, other.pk]})
    assert b"Keep this speaker" in confirm.content
    editor_client.post(url, {"action": "merge_speakers", "_selected_action": [keep.pk, other.pk], "keep": keep.pk})
    assert list(Speaker.objects.all()) == [keep]
    assert Quote.objects.get(pk=quote.pk).speaker == keep and Claim.objects.get(pk=claim.pk).speaker == keep
    assert set(SpeakerAlias.objects.filter(speaker=keep).values_list("alias", flat=True)) == {
        "NATO chief",
        "Stoltenberg",
    }
    assert Speaker.objects.get().role == "NATO Secretary General"


def test_aliases_are_unique_once_normalised(db):
    from django.db import IntegrityError

    AliasFactory(alias="Jens Stoltenberg")
    with pytest.raises(IntegrityError):
        AliasFactory(alias="  jens   STOLTENBERG. ")


def test_choosing_an_assignee_in_the_form_goes_through_the_workflow(editor_client, reviewer):
    candidate = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[candidate.pk])
    form = {
        "text": candidate.text,
        "kind": "statistic",
        "speaker": candidate.speaker_id,
        "article": candidate.article_id,
        "score": "0.8",
        "priority": "1",
        "seen_version": "1",
        "assignee": reviewer.pk,
        **{
            f"{prefix}-{k}": v
            for prefix in ("matches", "evidence", "verdicts", "comments")
            for k, v in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        },
    }
    response = editor_client.post(url, form, follow=True)
    assert "Cannot assign this claim: it is candidate." in response.content.decode()
    assert Claim.objects.get(pk=candidate.pk).assignee is None


def test_admin_assign_accepts_a_candidate_first_as_triage_does(editor_client, reviewer):
    candidate = ClaimFactory()
    text = action(editor_client, "assign", [candidate], assignee=reviewer.pk).content.decode()
    assert f"1 claim assigned to {reviewer}: Claim #{candidate.pk}." in text
    assert Claim.objects.get(pk=candidate.pk).status == Claim.Status.ASSIGNED


def test_admin_assign_refuses_a_past_due_date_and_says_nothing_was_done(editor_client, reviewer):
    claim = ClaimFactory()
    text = action(editor_client, "assign", [claim], assignee=reviewer.pk, due_date="2020-01-01").content.decode()
    assert "is in the past; nothing was done." in text
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.CANDIDATE


def test_approving_a_claim_that_is_not_submitted_says_so_with_its_id(editor_client):
    claim = ClaimFactory(status=Claim.Status.ACCEPTED)
    text = action(editor_client, "approve", [claim]).content.decode()
    assert f"Claim #{claim.pk}: no verdict waits for approval (the claim is accepted)." in text


def test_the_four_eyes_refusal_names_the_claim(editor_client, editor):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=editor)
    rating = Rating.objects.get(slug="false")
    verdict = workflow.verdict_save_draft(claim=claim, by=editor, rating=rating, headline="No", analysis="")
    workflow.verdict_submit(verdict=verdict, by=editor)
    text = action(
        editor_client, "approve", [claim], confirm="yes", **{f"verdict-version-{verdict.pk}": verdict.version}
    ).content.decode()
    assert f"Claim #{claim.pk} (verdict revision 1): You wrote or changed this verdict" in text


def test_merging_two_speakers_reports_one_merged_by_name(editor_client):
    keep, other = SpeakerFactory(name="Jens Stoltenberg"), SpeakerFactory(name="Stoltenberg")
    url = reverse("admin:claims_speaker_changelist")
    response = editor_client.post(
        url, {"action": "merge_speakers", "_selected_action": [keep.pk, other.pk], "keep": keep.pk}, follow=True
    )
    assert (
        f"Merged 1 speaker into Jens Stoltenberg (#{keep.pk}): Stoltenberg (#{other.pk})." in response.content.decode()
    )


def test_renaming_a_speaker_in_the_admin_marks_their_fact_checks_changed(editor_client, story):
    speaker = story["speaker"]
    FactCheck.objects.update(changed_at=timezone.now() - datetime.timedelta(hours=1))
    before = FactCheck.objects.get(claim=story["claim"]).changed_at
    url = reverse("admin:claims_speaker_change", args=[speaker.pk])
    data = {
        "name": "Jane Q. Minister",
        "slug": speaker.slug,
        "kind": speaker.kind,
        "role": speaker.role,
        "organisation": "",
        "wikidata_id": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    assert editor_client.post(url, data).status_code == 302
    assert Speaker.objects.get(pk=speaker.pk).name == "Jane Q. Minister"
    assert FactCheck.objects.get(claim=story["claim"]).changed_at > before
    assert Speaker.history.filter(id=speaker.pk).latest().history_user.username == "eve"


def test_merging_speakers_marks_the_fact_checks_now_naming_the_kept_one_changed(editor_client, story):
    keep = SpeakerFactory(name="Jane Minister-Smith")
    FactCheck.objects.update(changed_at=timezone.now() - datetime.timedelta(hours=1))
    before = FactCheck.objects.get(claim=story["claim"]).changed_at
    url = reverse("admin:claims_speaker_changelist")
    editor_client.post(
        url, {"action": "merge_speakers", "_selected_action": [keep.pk, story["speaker"].pk], "keep": keep.pk}
    )
    fact_check = FactCheck.objects.select_related("claim").get(claim=story["claim"])
    assert fact_check.claim.speaker_id == keep.pk and fact_check.changed_at > before


def test_the_claim_list_keeps_the_claim_column_short(editor_client):
    ClaimFactory(text="word " * 100)
    html = editor_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "claims/admin.css" in html and "word word…" in html


def test_the_approval_confirmation_carries_the_versions_it_showed(
    second_editor_client, editor, second_editor, reviewer
):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    rating = Rating.objects.get(slug="false")
    verdict = workflow.verdict_save_draft(claim=claim, by=reviewer, rating=rating, headline="No", analysis="")
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    text = action(second_editor_client, "approve", [claim], confirm="yes").content.decode()
    assert f"Claim #{claim.pk} (verdict revision 1): This form did not say which version you read" in text
    stale = {f"verdict-version-{verdict.pk}": verdict.version - 1}  # read before the reviewer's last change
    text = action(second_editor_client, "approve", [claim], confirm="yes", **stale).content.decode()
    assert "since you opened it" in text
    assert Verdict.objects.get(pk=verdict.pk).state == Verdict.State.SUBMITTED
    action(
        second_editor_client, "approve", [claim], confirm="yes", **{f"verdict-version-{verdict.pk}": verdict.version}
    )
    assert Verdict.objects.get(pk=verdict.pk).state == Verdict.State.PUBLISHED


def test_bulk_claim_actions_carry_the_versions_the_list_showed(editor_client, editor):
    shown, stale, bare = ClaimFactory.create_batch(3)
    page = editor_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    for claim in (shown, stale, bare):
        assert f'name="version-{claim.pk}" value="{claim.version}"' in page
    workflow.claim_edit(claim=stale, by=editor, version=stale.version, priority=3)  # changed since the list was read
    post = {
        "action": "accept",
        "_selected_action": [shown.pk, stale.pk, bare.pk],
        f"version-{shown.pk}": shown.version,
        f"version-{stale.pk}": stale.version - 1,
    }
    text = editor_client.post(reverse("admin:claims_claim_changelist"), post, follow=True).content.decode()
    assert f"1 claim accepted: Claim #{shown.pk}." in text
    assert f"Claim #{stale.pk}: This claim was changed by" in text
    assert f"Claim #{bare.pk}: This form did not say which version you read" in text
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {shown.pk: "accepted", stale.pk: "candidate", bare.pk: "candidate"}
