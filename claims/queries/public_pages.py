"""Reads for the public pages: published fact-checks with what a page shows of them (never
the article's text), a fact-check's earlier versions, a speaker's public quotes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from ..models import FactCheck, Quote, Speaker, Verdict
from .speaker_page import PUBLIC_QUOTES


def published_fact_checks() -> QuerySet[FactCheck]:
    """Published fact-checks with what a page shows of them (not the article's text)."""
    return (
        FactCheck.objects.published()
        .select_related("verdict__rating", "claim__speaker", "claim__article")
        .defer("claim__article__body", "claim__article__raw_html")
    )


def fact_check_for_page(slug: str) -> FactCheck | None:
    """The fact-check of the claim `slug`, published or retracted."""
    return (
        FactCheck.objects.select_related("verdict__rating", "claim__speaker", "claim__article")
        .defer("claim__article__body", "claim__article__raw_html")
        .filter(claim__slug=slug)
        .first()
    )


def fact_check_corrections(claim_id: int) -> list[Verdict]:
    """The versions a correction replaced, newest first."""
    return list(
        Verdict.objects.filter(claim_id=claim_id, state=Verdict.State.SUPERSEDED)
        .select_related("rating")
        .order_by("-revision")
    )


def speaker_public_quotes(speaker: Speaker) -> QuerySet[Quote]:
    """Of a speaker's quotes, only those a public page may show (see PUBLIC_QUOTES), newest
    article first."""
    return (
        Quote.objects.filter(speaker=speaker)
        .filter(PUBLIC_QUOTES)
        .select_related("article")
        .defer("article__body", "article__raw_html")
        .order_by(Coalesce("article__published_at", "article__created_at").desc(), "-pk")
    )
