"""Each workbench page runs a fixed number of SQL queries, whatever the amount of data:
the same count with one item shown as with fifty."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import workflow
from claims.models import Claim, ClaimMatch, Rating

from .factories import (
    ArticleFactory,
    ClaimFactory,
    CommentFactory,
    EvidenceFactory,
    QuoteFactory,
    SpeakerFactory,
)
from .support import same_count

pytestmark = pytest.mark.django_db


def assign(editor, person, **fields) -> Claim:
    claim = ClaimFactory(**fields)
    workflow.claim_accept(claim=claim, by=editor)
    return workflow.claim_assign(claim=claim, by=editor, assignee=person)


def test_queue_runs_the_same_queries_for_1_and_50_claims(reviewer_client, editor, reviewer, django_assert_num_queries):
    rating = Rating.objects.get(slug="false")

    def add(n):
        for _ in range(n):
            claim = assign(editor, reviewer, speaker=SpeakerFactory())
            workflow.verdict_save_draft(claim=claim, by=reviewer, rating=rating, headline="H", analysis="")

    n = same_count(reviewer_client, django_assert_num_queries, "/", add, lambda r: len(r.context["page"].object_list))
    assert n <= 12


def test_triage_runs_the_same_queries_for_1_and_50_candidates(editor_client, editor, django_assert_num_queries):
    earlier = ClaimFactory(status=Claim.Status.PUBLISHED)

    def add(n):
        for _ in range(n):
            claim = ClaimFactory(speaker=SpeakerFactory(), article=ArticleFactory())
            ClaimMatch.objects.create(claim=claim, earlier=earlier, score=0.7)

    url = reverse("claims:triage")
    n = same_count(editor_client, django_assert_num_queries, url, add, lambda r: len(r.context["page"].object_list))
    assert n <= 12


def test_claim_page_runs_the_same_queries_for_1_and_50_of_everything(
    reviewer_client, editor, reviewer, django_assert_num_queries
):
    claim = assign(editor, reviewer)
    rating = Rating.objects.get(slug="false")

    def add(n):
        for i in range(n):
            evidence = EvidenceFactory(claim=claim, added_by=reviewer)
            evidence.title = f"edited {i}"
            evidence.save()  # an evidence change in the history
            CommentFactory(claim=claim, author=reviewer)
            earlier = assign(editor, reviewer, speaker=SpeakerFactory())
            verdict = workflow.verdict_save_draft(claim=earlier, by=reviewer, rating=rating, headline="E", analysis="")
            workflow.verdict_submit(verdict=verdict, by=reviewer)
            workflow.verdict_approve(verdict=verdict, by=editor)
            ClaimMatch.objects.create(claim=claim, earlier=verdict.claim, score=0.5)

    url = reverse("claims:claim", args=[claim.pk])
    n = same_count(reviewer_client, django_assert_num_queries, url, add, lambda r: len(r.context["evidence"]))
    assert n <= 20


def test_article_page_runs_the_same_queries_for_1_and_50_quotes_and_claims(
    reviewer_client, reviewer, django_assert_num_queries
):
    article = ArticleFactory(body="x" * 2000)

    def add(n):
        base = article.quotes.count() * 20
        for i in range(n):
            start = base + i * 20
            speaker = SpeakerFactory()
            QuoteFactory(article=article, speaker=speaker, text="x" * 10, start=start, end=start + 10)
            ClaimFactory(article=article, speaker=speaker, text="x" * 5, start=start + 2, end=start + 7)

    url = reverse("claims:article", args=[article.pk])
    n = same_count(reviewer_client, django_assert_num_queries, url, add, lambda r: len(r.context["quotes"]))
    assert n <= 12


def test_search_runs_the_same_queries_for_1_and_50_results(reviewer_client, reviewer, django_assert_num_queries):

    def add(n):
        for _ in range(n):
            speaker = SpeakerFactory(name="Minister Zed")
            ClaimFactory(text="Zebras doubled", speaker=speaker)
            QuoteFactory(text="zebras are many", speaker=speaker)

    url = reverse("claims:search") + "?q=zebras&kind=claims"
    n = same_count(
        reviewer_client, django_assert_num_queries, url, add, lambda r: len(r.context["sections"][0][1].object_list)
    )
    assert n <= 10
