"""Triage at keyboard speed, server side: filters, labelled scores, decisions from every
card with Undo for a minute, the assign form after an accept, and past due dates refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Claim

from .factories import ArticleFactory, ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def eve(client, editor):
    client.force_login(editor)
    return client


def shown(client, **params) -> list[str]:
    return [c.text for c in client.get(reverse("claims:triage"), params).context["page"].object_list]


def test_triage_filters_by_article_speaker_kind_score_and_date(eve):
    budget = ArticleFactory(title="Budget day")
    ada = SpeakerFactory(name="Ada Lovelace")
    ClaimFactory(text="high stat", article=budget, speaker=ada, score=0.9, kind="statistic")
    ClaimFactory(text="medium event", article=budget, score=0.5, kind="event")
    ClaimFactory(text="low other", score=0.1, kind="other", created_at=timezone.now() - datetime.timedelta(days=10))
    assert set(shown(eve, article="budget")) == {"high stat", "medium event"}
    assert set(shown(eve, article=str(budget.pk))) == {"high stat", "medium event"}
    assert shown(eve, speaker="lovelace") == ["high stat"]
    assert shown(eve, kind="event") == ["medium event"]
    assert shown(eve, score="high") == ["high stat"]
    assert shown(eve, score="medium") == ["medium event"]
    assert shown(eve, score="low") == ["low other"]
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert set(shown(eve, since=week_ago)) == {"high stat", "medium event"}
    assert shown(eve, until=week_ago) == ["low other"]


def test_scores_are_labelled_and_shortcuts_listed(eve):
    ClaimFactory(text="Prices rose", score=0.87, numbers=[{"text": "12%", "value": 12.0, "unit": "%"}])
    html = eve.get(reverse("claims:triage")).content.decode()
    assert "Worth checking 0.87 · high" in html and "figures: 12%" in html
    assert "<kbd>j</kbd></dt><dd>next claim" in html and "<kbd>a</kbd></dt><dd>accept" in html
    assert "claims/triage.js" in html and "<script>" not in html  # no inline script (CSP)
    assert html.index("Skip to the first claim") < html.index("Skip to content")


def test_accepting_from_a_card_offers_undo_and_the_assign_form(eve):
    claim = ClaimFactory()
    response = eve.post(reverse("claims:claim_accept", args=[claim.pk]), headers=HTMX)
    html = response.content.decode()
    assert "<strong>accepted</strong>" in html and 'data-key="undo"' in html
    assert f'id="assignee-{claim.pk}"' in html and ">Assign</button>" in html


def test_undo_puts_the_claim_back_among_the_candidates(eve):
    claim = ClaimFactory(text="Back again")
    eve.post(reverse("claims:claim_dismiss", args=[claim.pk]), headers=HTMX)
    response = eve.post(reverse("claims:claim_undo", args=[claim.pk]), headers=HTMX)
    assert response.status_code == 200 and 'data-key="accept"' in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CANDIDATE
    assert claim.history.first().history_change_reason == "dismissed: undone"


def test_undo_lasts_a_minute(eve, editor):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    claim.history.filter(history_change_reason="accepted").update(
        history_date=timezone.now() - datetime.timedelta(seconds=61)
    )
    response = eve.post(reverse("claims:claim_undo", args=[claim.pk]))
    assert response.status_code == 400 and "undo lasts a minute" in response.content.decode()


def test_only_the_editor_who_decided_can_undo(client, editor, second_editor):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    client.force_login(second_editor)
    response = client.post(reverse("claims:claim_undo", args=[claim.pk]))
    assert response.status_code == 403 and "by someone else" in response.content.decode()


def test_a_past_due_date_is_refused_in_words(eve, reviewer):
    claim = ClaimFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = eve.post(
        reverse("claims:claim_assign", args=[claim.pk]), {"assignee": reviewer.pk, "due_date": yesterday.isoformat()}
    )
    assert response.status_code == 400 and "is in the past" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CANDIDATE and claim.due_date is None


def test_bulk_assign_with_due_date_and_priority(eve, reviewer):
    claims = ClaimFactory.create_batch(2)
    due = timezone.localdate() + datetime.timedelta(days=2)
    data = {
        "action": "assign",
        "claims": [c.pk for c in claims],
        "assignee": reviewer.pk,
        "due_date": due.isoformat(),
        "priority": 3,
    }
    eve.post(reverse("claims:triage_bulk"), data)
    assert {(c.status, c.due_date, c.priority) for c in Claim.objects.all()} == {(Claim.Status.ASSIGNED, due, 3)}


def test_a_bulk_accept_can_be_undone_for_a_minute(eve, editor):
    claims = ClaimFactory.create_batch(2)
    eve.post(reverse("claims:triage_bulk"), {"action": "accept", "claims": [c.pk for c in claims]})
    page = eve.get(reverse("claims:triage")).content.decode()
    assert "2 claims: accept done." in page and reverse("claims:triage_bulk_undo") in page
    response = eve.post(reverse("claims:triage_bulk_undo"), follow=True)
    assert f"Candidates again: #{claims[0].pk}, #{claims[1].pk}." in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.CANDIDATE}


def test_the_bulk_undo_offer_ends_after_a_minute(eve):
    claim = ClaimFactory()
    eve.post(reverse("claims:triage_bulk"), {"action": "dismiss", "claims": [claim.pk]})
    session = eve.session
    session["triage_bulk_undo"]["at"] = (timezone.now() - datetime.timedelta(seconds=61)).isoformat()
    session.save()
    assert reverse("claims:triage_bulk_undo") not in eve.get(reverse("claims:triage")).content.decode()
    response = eve.post(reverse("claims:triage_bulk_undo"), follow=True)
    assert "There is nothing to undo" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DISMISSED
