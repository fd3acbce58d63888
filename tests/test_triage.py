"""Triage at keyboard speed, server side: filters, labelled scores, decisions from every
card with Undo for a minute, the assign form after an accept, and past due dates refused."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Claim

from .factories import ArticleFactory, ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def versions(html: str) -> dict[str, str]:
    """The per-claim versions a page carries for its bulk form and undo bar."""
    return dict(re.findall(r'name="(version-\d+)" value="(\d+)"', html))


def bulk(claims, **data) -> dict:
    """A bulk form as the triage page posts it: the chosen claims and each card's version."""
    return {"claims": [c.pk for c in claims], **{f"version-{c.pk}": c.version for c in claims}, **data}


def shown(client, **params) -> list[str]:
    return [c.text for c in client.get(reverse("claims:triage"), params).context["page"].object_list]


def test_triage_filters_by_article_speaker_kind_score_and_date(editor_client):
    budget = ArticleFactory(title="Budget day")
    ada = SpeakerFactory(name="Ada Lovelace")
    ClaimFactory(text="high stat", article=budget, speaker=ada, score=0.9, kind="statistic")
    ClaimFactory(text="medium event", article=budget, score=0.5, kind="event")
    ClaimFactory(text="low other", score=0.1, kind="other", created_at=timezone.now() - datetime.timedelta(days=10))
    assert set(shown(editor_client, article="budget")) == {"high stat", "medium event"}
    assert set(shown(editor_client, article=str(budget.pk))) == {"high stat", "medium event"}
    assert shown(editor_client, speaker="lovelace") == ["high stat"]
    assert shown(editor_client, kind="event") == ["medium event"]
    assert shown(editor_client, score="high") == ["high stat"]
    assert shown(editor_client, score="medium") == ["medium event"]
    assert shown(editor_client, score="low") == ["low other"]
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert set(shown(editor_client, since=week_ago)) == {"high stat", "medium event"}
    assert shown(editor_client, until=week_ago) == ["low other"]


def test_scores_are_labelled_and_shortcuts_listed(editor_client):
    ClaimFactory(text="Prices rose", score=0.87, numbers=[{"text": "12%", "value": 12.0, "unit": "%"}])
    html = editor_client.get(reverse("claims:triage")).content.decode()
    assert "Worth checking 0.87 · high" in html and "figures: 12%" in html
    assert "<kbd>j</kbd></dt><dd>next claim" in html and "<kbd>a</kbd></dt><dd>accept" in html
    assert "claims/triage.js" in html and "<script>" not in html  # no inline script (CSP)
    assert html.index("Skip to the first claim") < html.index("Skip to content")


def test_accepting_from_a_card_offers_undo_and_the_assign_form(editor_client):
    claim = ClaimFactory()
    response = editor_client.post(
        reverse("claims:claim_accept", args=[claim.pk]), {"version": claim.version}, headers=HTMX
    )
    html = response.content.decode()
    assert "<strong>accepted</strong>" in html and 'data-key="undo"' in html
    # the Undo and the assign form carry the version the accept made
    assert html.count(f'name="version" value="{claim.version + 1}"') == 2
    assert f'id="assignee-{claim.pk}"' in html and ">Assign</button>" in html


def test_undo_puts_the_claim_back_among_the_candidates(editor_client):
    claim = ClaimFactory(text="Back again")
    editor_client.post(reverse("claims:claim_dismiss", args=[claim.pk]), {"version": claim.version}, headers=HTMX)
    response = editor_client.post(
        reverse("claims:claim_undo", args=[claim.pk]), {"version": claim.version + 1}, headers=HTMX
    )
    assert response.status_code == 200 and 'data-key="accept"' in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CANDIDATE
    assert claim.history.first().history_change_reason == "dismissed: undone"


def test_undo_lasts_a_minute(editor_client, editor):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    claim.history.filter(history_change_reason="accepted").update(
        history_date=timezone.now() - datetime.timedelta(seconds=61)
    )
    response = editor_client.post(reverse("claims:claim_undo", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 400 and "undo lasts a minute" in response.content.decode()


def test_only_the_editor_who_decided_can_undo(second_editor_client, editor, second_editor):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    response = second_editor_client.post(reverse("claims:claim_undo", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 403 and "by someone else" in response.content.decode()


def test_a_past_due_date_is_refused_in_words(editor_client, reviewer):
    claim = ClaimFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = editor_client.post(
        reverse("claims:claim_assign", args=[claim.pk]),
        {"assignee": reviewer.pk, "due_date": yesterday.isoformat(), "version": claim.version},
    )
    assert response.status_code == 400 and "is in the past" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CANDIDATE and claim.due_date is None


def test_bulk_assign_with_due_date_and_priority(editor_client, reviewer):
    claims = ClaimFactory.create_batch(2)
    due = timezone.localdate() + datetime.timedelta(days=2)
    data = bulk(claims, action="assign", assignee=reviewer.pk, due_date=due.isoformat(), priority=3)
    editor_client.post(reverse("claims:triage_bulk"), data)
    assert {(c.status, c.due_date, c.priority) for c in Claim.objects.all()} == {(Claim.Status.ASSIGNED, due, 3)}


def test_a_bulk_accept_can_be_undone_for_a_minute(editor_client, editor):
    claims = ClaimFactory.create_batch(2)
    editor_client.post(reverse("claims:triage_bulk"), bulk(claims, action="accept"))
    page = editor_client.get(reverse("claims:triage")).content.decode()
    assert "2 claims: accept done." in page and reverse("claims:triage_bulk_undo") in page
    carried = versions(page)  # the undo bar's: the versions the accept made
    assert carried == {f"version-{c.pk}": str(c.version + 1) for c in claims}
    response = editor_client.post(reverse("claims:triage_bulk_undo"), carried, follow=True)
    assert f"Candidates again: #{claims[0].pk}, #{claims[1].pk}." in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.CANDIDATE}


def test_the_bulk_undo_offer_ends_after_a_minute(editor_client):
    claim = ClaimFactory()
    editor_client.post(reverse("claims:triage_bulk"), bulk([claim], action="dismiss"))
    session = editor_client.session
    session["triage_bulk_undo"]["at"] = (timezone.now() - datetime.timedelta(seconds=61)).isoformat()
    session.save()
    assert reverse("claims:triage_bulk_undo") not in editor_client.get(reverse("claims:triage")).content.decode()
    response = editor_client.post(
        reverse("claims:triage_bulk_undo"), {f"version-{claim.pk}": claim.version + 1}, follow=True
    )
    assert "There is nothing to undo" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DISMISSED


# Every triage write carries the version it was read at ---------------------------------------


@pytest.mark.parametrize("name", ["claim_accept", "claim_dismiss", "claim_assign", "claim_duplicate"])
def test_a_triage_post_without_a_version_is_refused_in_words(editor_client, reviewer, name):
    claim, original = ClaimFactory(), ClaimFactory()
    data = {"assignee": reviewer.pk, "original": original.pk}
    response = editor_client.post(reverse(f"claims:{name}", args=[claim.pk]), data, headers=HTMX)
    assert response.status_code == 400 and "did not say which version you read" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.CANDIDATE


def test_a_triage_decision_on_a_claim_changed_since_is_refused(editor_client, editor):
    claim = ClaimFactory()
    read = claim.version
    workflow.claim_edit(claim=claim, by=editor, version=read, priority=3)
    response = editor_client.post(reverse("claims:claim_accept", args=[claim.pk]), {"version": read}, headers=HTMX)
    assert response.status_code == 409 and "since you opened it" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.CANDIDATE


def test_an_undo_without_a_version_is_refused(editor_client):
    claim = ClaimFactory()
    editor_client.post(reverse("claims:claim_accept", args=[claim.pk]), {"version": claim.version}, headers=HTMX)
    response = editor_client.post(reverse("claims:claim_undo", args=[claim.pk]), headers=HTMX)
    assert response.status_code == 400 and "did not say which version you read" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.ACCEPTED


def test_every_card_carries_its_version_for_the_bulk_form(editor_client, editor):
    claims = ClaimFactory.create_batch(2)
    workflow.claim_edit(claim=claims[1], by=editor, version=claims[1].version, priority=2)
    html = editor_client.get(reverse("claims:triage")).content.decode()
    assert versions(html) == {f"version-{c.pk}": str(Claim.objects.get(pk=c.pk).version) for c in claims}


def test_a_bulk_action_refuses_stale_and_unversioned_claims_one_by_one(editor_client, editor):
    fresh, stale, bare = ClaimFactory.create_batch(3)
    data = bulk([fresh, stale], action="accept")
    data["claims"].append(bare.pk)  # selected, but its version is missing from the post
    workflow.claim_edit(claim=stale, by=editor, version=stale.version, priority=3)  # changed after the page was read
    response = editor_client.post(reverse("claims:triage_bulk"), data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 claim: accept done." in page
    assert f"#{stale.pk}: This claim was changed by" in page
    assert f"#{bare.pk}: This form did not say which version you read" in page
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {fresh.pk: "accepted", stale.pk: "candidate", bare.pk: "candidate"}


def test_a_bulk_undo_refuses_a_stale_or_missing_version_claim_by_claim(editor_client):
    moved, bare, kept = ClaimFactory.create_batch(3)
    editor_client.post(reverse("claims:triage_bulk"), bulk([moved, bare, kept], action="accept"))
    carried = versions(editor_client.get(reverse("claims:triage")).content.decode())
    carried[f"version-{moved.pk}"] = str(moved.version)  # as read before the accept: stale
    del carried[f"version-{bare.pk}"]
    response = editor_client.post(reverse("claims:triage_bulk_undo"), carried, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Candidates again: #{kept.pk}." in page and f"Claim #{moved.pk} changed since" in page
    assert f"#{bare.pk}: This form did not say which version you read" in page
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {moved.pk: "accepted", bare.pk: "accepted", kept.pk: "candidate"}
