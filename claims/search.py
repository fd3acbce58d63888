"""Search across claims, quotes and speakers for the workbench: PostgreSQL full-text search
with ranking, a plain substring match on SQLite."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Count, Q, QuerySet, Value

from .models import Claim, Quote, Speaker

SEARCH_NOISE = {"and", "or", "not", "the"}


def _narrowing(q: str, field: str, qs: QuerySet) -> QuerySet | None:
    """A cheap pre-filter for full-text search: every word's first five letters must begin a
    word of the claim (a prefix query on the full-text index of claim text), or the speaker's
    name must hold one of the words. Ranking then runs on those rows only, instead of
    computing a text vector for every row in the table. Stemmed forms share their first
    letters ("doubled", "doubling"), so few matches are lost."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    words = [w for w in re.findall(r"\w+", q.lower()) if len(w) >= 3 and w not in SEARCH_NOISE]
    if not words:
        return None
    names = Q()
    for word in words[:8]:
        names |= Q(name__icontains=word)
    by_speaker = Q(speaker__in=Speaker.objects.filter(names).values("pk"))
    if field == "text" and qs.model is Claim:  # indexed: claims_claim_text_fts
        prefixes = SearchQuery(" & ".join(f"{w[:5]}:*" for w in words[:8]), search_type="raw", config="simple")
        return qs.annotate(simple=SearchVector("text", config="simple")).filter(Q(simple=prefixes) | by_speaker)
    text = Q()
    for word in words[:8]:
        text &= Q(**{f"{field}__icontains": word[:5]})
    return qs.filter(text | by_speaker)


def _full_text(qs: QuerySet, q: str, field: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(q, search_type="websearch", config="english")
    vector = SearchVector(field, weight="A", config="english") + SearchVector(
        "speaker__name", weight="B", config="english"
    )
    narrowed = _narrowing(q, field, qs)
    if narrowed is None:  # only short words: plain substring match
        return qs.filter(**{f"{field}__icontains": q}).annotate(rank=Value(0.0))
    return narrowed.annotate(document=vector, rank=SearchRank(vector, query)).filter(document=query)


def search_claims(q: str) -> QuerySet[Claim]:
    qs = Claim.objects.with_related().exclude(status=Claim.Status.DISMISSED)
    if connection.vendor == "postgresql":
        return _full_text(qs, q, "text").order_by("-rank", "-created_at")
    return qs.filter(Q(text__icontains=q) | Q(speaker__name__icontains=q)).order_by("-created_at")


def search_quotes(q: str) -> QuerySet[Quote]:
    qs = Quote.objects.select_related("speaker", "article")
    if connection.vendor == "postgresql":
        return _full_text(qs, q, "text").order_by("-rank", "-pk")
    return qs.filter(Q(text__icontains=q) | Q(speaker__name__icontains=q)).order_by("-pk")


def search_speakers(q: str) -> QuerySet[Speaker]:
    qs = Speaker.objects.annotate(n_claims=Count("claims", distinct=True))
    matching = Q(name__icontains=q) | Q(aliases__alias__icontains=q) | Q(role__icontains=q)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(q, search_type="websearch", config="simple")
        vector = SearchVector("name", weight="A", config="simple") + SearchVector(
            "role", "organisation", weight="C", config="simple"
        )
        ids = Speaker.objects.filter(matching).values("pk")
        return qs.annotate(rank=SearchRank(vector, query)).filter(pk__in=ids).order_by("-rank", "name")
    ids = Speaker.objects.filter(matching).values("pk")
    return qs.filter(pk__in=ids).order_by("name")
