"""Builders: the situations tests start from, made the way the product makes them. A claim
is published by walking the workflow (accept, assign, draft, submit, approve), so what a
test reads afterwards (history, fact-check rows, notices) is what a real desk leaves.
Where a test needs many rows and not the walk, `published_row` and `bulk_published` say so
in their names, and still publish the way approval does: an editor other than the author
approves, and the publishing service writes the public record.

factories.py makes single rows with plain defaults; the people a test talks about
(`editor`, `reviewer`, ...) and their signed-in clients are fixtures in conftest.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import external, publishing, workflow
from claims.models import Claim, ClaimReviewImport, FactCheck, Partner, PartnerAPIKey, Rating, Verdict

from .factories import ArticleFactory, ClaimFactory, CommentFactory, EvidenceFactory, SpeakerFactory

# Clients -----------------------------------------------------------------------------------


def logged_in(user) -> APIClient:
    """A test client signed in as `user`. DRF's APIClient is Django's test client that also
    takes `format="json"`, so one client serves the pages and the API alike."""
    client = APIClient()
    client.force_login(user)
    return client


def api_key_client(key: str) -> APIClient:
    """A client that sends a partner's API key, as a partner's program does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def token_client(user) -> APIClient:
    """A client that sends `user`'s staff API token, as a newsroom script does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# Partners ----------------------------------------------------------------------------------


def partner_key(name: str = "Example Platform", *, key_name: str = "main", **fields: Any) -> tuple[PartnerAPIKey, str]:
    """A partner with one API key: the stored key (only its hash is kept) and the key itself,
    which the partner is shown once. `fields` go to the partner (e.g. `throttle_rate`)."""
    partner = Partner.objects.create(name=name, **fields)
    return PartnerAPIKey.objects.create_key(name=key_name, partner=partner)


# Claims through the workflow ---------------------------------------------------------------


def rating(slug: str = "false") -> Rating:
    return Rating.objects.get(slug=slug)


def assign(claim: Claim, editor, person, **extra: Any) -> Claim:
    """An editor accepts a candidate and assigns it to `person` (`extra`: priority, due date)."""
    workflow.claim_accept(claim=claim, by=editor)
    return workflow.claim_assign(claim=claim, by=editor, assignee=person, **extra)


def submit(claim: Claim, reviewer) -> Verdict:
    """The assigned reviewer drafts a verdict ("False") and submits it for approval."""
    false = rating("false")
    verdict = workflow.verdict_save_draft(claim=claim, by=reviewer, rating=false, headline="No", analysis="A.")
    return workflow.verdict_submit(verdict=verdict, by=reviewer)


def publish(
    claim: Claim,
    *,
    reviewer,
    editor,
    approver,
    rating: str = "false",
    headline: str = "No, it rose",
    analysis: str = "Official figures show a rise.",
) -> Verdict:
    """Take a candidate claim through the whole workflow to a published verdict."""
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    verdict = workflow.verdict_save_draft(
        claim=claim, by=reviewer, rating=Rating.objects.get(slug=rating), headline=headline, analysis=analysis
    )
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    return workflow.verdict_approve(verdict=verdict, by=approver)


def correct(claim: Claim, *, reviewer, editor, approver, rating: str, headline: str) -> Verdict:
    """Reopen a published claim and publish a corrected verdict: version 2 of its fact-check."""
    workflow.claim_reopen(claim=claim, by=editor, reason="New figures came out")
    claim.refresh_from_db()
    verdict = workflow.verdict_save_draft(
        claim=claim, by=reviewer, rating=Rating.objects.get(slug=rating), headline=headline, analysis="Revised."
    )
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    return workflow.verdict_approve(verdict=verdict, by=approver)


def published_row(
    claim: Claim,
    *,
    author,
    approver,
    rating: str = "false",
    headline: str = "No, it rose",
    analysis: str = "Because.",
    published_at: datetime.datetime | None = None,
) -> Verdict:
    """A published verdict written straight to the database (no walk through the workflow),
    then published as approval publishes it: `publishing.fact_check_publish` writes the
    public record. The four-eyes rule holds here too: the approver is not the author."""
    assert approver != author, "a verdict is approved by an editor other than its author"
    verdict = Verdict.objects.create(
        claim=claim,
        rating=Rating.objects.get(slug=rating),
        headline=headline,
        analysis=analysis,
        author=author,
        approver=approver,
        state=Verdict.State.PUBLISHED,
        published_at=published_at or timezone.now(),
    )
    publishing.fact_check_publish(verdict=verdict)
    return verdict


def bulk_published(count: int, *, approver, author, start: datetime.datetime | None = None) -> list[FactCheck]:
    """Many published fact-checks, quickly (without walking the workflow for each)."""
    start = start or timezone.now() - datetime.timedelta(days=1)
    for n in range(count):
        claim = ClaimFactory(status=Claim.Status.PUBLISHED, slug=f"bulk-claim-{n}")
        published_row(
            claim,
            author=author,
            approver=approver,
            headline=f"Bulk {n}",
            published_at=start + datetime.timedelta(minutes=n),
        )
    return list(FactCheck.objects.order_by("-changed_at"))


def published_story(*, editor, second_editor, reviewer) -> dict[str, Any]:
    """One published fact-check with evidence and a comment, and unpublished work beside it:
    a claim in review with a draft verdict, and a candidate. The unpublished texts and the
    comment carry SECRET- markers, so a test can assert a partner never sees them."""
    speaker = SpeakerFactory(name="Jane Minister", slug="jane-minister", role="Finance Minister")
    article = ArticleFactory(
        url="https://news.example.com/budget",
        title="Budget rises",
        outlet="The Daily Example",
        published_at=datetime.datetime(2024, 9, 30, 8, tzinfo=datetime.UTC),
    )
    claim = ClaimFactory(text="Unemployment fell to 4% in May.", speaker=speaker, article=article)
    EvidenceFactory(claim=claim, url="https://stats.example.org/may", title="May labour survey")
    CommentFactory(claim=claim, author=reviewer, body="SECRET-COMMENT ask the ministry")
    verdict = publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    draft_claim = ClaimFactory(text="SECRET-UNPUBLISHED exports doubled.", speaker=speaker, article=article)
    workflow.claim_accept(claim=draft_claim, by=editor)
    workflow.claim_assign(claim=draft_claim, by=editor, assignee=reviewer)
    workflow.verdict_save_draft(
        claim=draft_claim, by=reviewer, rating=Rating.objects.get(slug="true"), headline="SECRET-DRAFT", analysis="x"
    )
    candidate = ClaimFactory(text="SECRET-CANDIDATE inflation is zero.", article=article)
    return {"claim": claim, "verdict": verdict, "draft_claim": draft_claim, "candidate": candidate, "speaker": speaker}


# Other fact-checkers' ClaimReview ----------------------------------------------------------


def claim_review(n: int = 1, **changes: Any) -> dict[str, Any]:
    """One ClaimReview as publishers write them; `changes` set (or, with None, drop) keys."""
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example.org/checks/{n}",
        "claimReviewed": f"Claim number {n}: the bridge cost {n}00 million dollars",
        "author": {"@type": "Organization", "name": "Example Checker", "url": "https://checker.example.org/"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Mostly false",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Jane Mayor"},
            "datePublished": "2024-05-01",
            "appearance": [{"@type": "CreativeWork", "url": "https://news.example.com/story"}],
        },
        "datePublished": "2024-05-03T10:15:00+02:00",
        "headline": "The bridge cost less",
        "inLanguage": "en",
    }
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return item


def claim_review_import(data: bytes | str, filename: str = "reviews.json") -> ClaimReviewImport:
    """Upload a ClaimReview file and run its import, the way the job does."""
    raw = data.encode() if isinstance(data, str) else data
    run = external.claimreview_import_create(data=raw, filename=filename, queue=False)
    external.claimreview_import_run(run_id=run.pk)
    run.refresh_from_db()
    return run
