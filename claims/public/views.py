"""Public pages: published fact-checks readable without a login, with their ClaimReview
JSON-LD for search engines, an index, the rating scale and a page per speaker. The reads
are in `claims.queries.public_pages`."""

from __future__ import annotations

import datetime
import json
from typing import Any, cast
from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .. import charts, queries
from ..models import ApprovalPolicy, FactCheck, Rating, Speaker, Verdict
from ..publishing.claimreview import BEST_RATING, WORST_RATING, Row, claim_review, page_url
from ..publishing.freezing import claim_snapshot
from ..queries.claimreview import load
from ..queries.public_pages import (
    fact_check_corrections,
    fact_check_for_page,
    published_fact_checks,
    speaker_public_quotes,
)

# What json_script escapes, so text in the data cannot close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld(data: dict | None) -> SafeString:
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_ESCAPES))


def as_checked(fact_check: FactCheck) -> dict[str, Any]:
    """The claim as the published version froze it (statement, date, appearance), with the
    date as a date for templates. Versions published before claims were frozen: the claim now."""
    verdict = cast(Verdict, fact_check.verdict)  # a published fact-check has its version
    snapshot = dict(verdict.claim_snapshot or claim_snapshot(fact_check.claim))
    snapshot["day"] = datetime.date.fromisoformat(snapshot["date"]) if snapshot.get("date") else None
    return snapshot


def _with_statements(fact_checks) -> None:
    for fact_check in fact_checks:
        fact_check.as_checked = as_checked(fact_check)


def fact_check_index(request: HttpRequest) -> HttpResponse:
    recent = published_fact_checks().order_by("-first_published_at", "-claim_id")
    page = Paginator(recent, settings.PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    _with_statements(page.object_list)
    return render(request, "public/index.html", {"page": page, "publisher": settings.PUBLISHER_NAME})


def rating_scale(request: HttpRequest) -> HttpResponse:
    """How we rate: each step of the scale, its number in ClaimReview or that it is textual."""
    ratings = list(Rating.objects.order_by("order", "pk"))
    context = {
        "numeric": [r for r in ratings if r.value is not None],
        "textual": [r for r in ratings if r.value is None],
        "publisher": settings.PUBLISHER_NAME,
        "best": BEST_RATING,
        "worst": WORST_RATING,
        "policy": ApprovalPolicy.current(),  # how many editors approve, said as it is
    }
    return render(request, "public/rating_scale.html", context)


def fact_check_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fact_check = fact_check_for_page(slug)
    if fact_check is None:
        raise Http404("No fact-check here.")
    context = {"fact_check": fact_check, "publisher": settings.PUBLISHER_NAME}
    if fact_check.status == FactCheck.Status.RETRACTED:
        return render(request, "public/retracted.html", context, status=410)
    corrections = fact_check_corrections(fact_check.claim_id)
    verdict = cast(Verdict, fact_check.verdict)  # not retracted: it has its version
    panel = verdict.panel or {}
    context.update(
        verdict=verdict,
        claim=fact_check.claim,
        as_checked=as_checked(fact_check),
        panel=panel if panel.get("public") else None,
        corrections=corrections,
        canonical_url=page_url(cast(str, fact_check.claim.slug)),  # published claims have one
        claim_review_jsonld=jsonld(claim_review(cast(Row, load(fact_check.pk)))),
    )
    return render(request, "public/fact_check.html", context)


def speaker_jsonld(speaker: Speaker, *, url: str, aliases: list[str]) -> dict[str, Any]:
    """The speaker as a schema.org Person or Organization."""
    data: dict[str, Any] = {"@context": "https://schema.org", "url": url, "name": speaker.name}
    if speaker.kind == Speaker.Kind.ORGANISATION:
        data["@type"] = "Organization"
    else:
        data["@type"] = "Person"
        if speaker.role:
            data["jobTitle"] = speaker.role
        if speaker.organisation:
            data["affiliation"] = {"@type": "Organization", "name": speaker.organisation}
    if aliases:
        data["alternateName"] = aliases
    if speaker.wikidata_id:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
    return data


def speaker_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A speaker's published fact-checks and, of their quotes, only those from articles
    published on the web (with an address) that no editor marked internal: a pasted,
    embargoed or leaked text never reaches a public page. An editor can hide the page."""
    speaker = get_object_or_404(Speaker.objects.prefetch_related("aliases"), slug=slug, page_hidden=False)
    aliases = [a.alias for a in speaker.aliases.all() if a.alias != speaker.name]
    ratings = queries.speaker_ratings(speaker=speaker)
    fact_checks = published_fact_checks().filter(claim__speaker=speaker).order_by("-first_published_at", "-claim_id")
    quotes = speaker_public_quotes(speaker)
    month_labels, month_counts = queries.speaker_quotes_by_month(speaker=speaker)
    canonical_url = urljoin(settings.PUBLIC_BASE_URL, reverse("public:speaker", args=[speaker.slug]))
    total = sum(bar.value for bar in ratings)
    fact_checks_page = Paginator(fact_checks, settings.PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    _with_statements(fact_checks_page.object_list)
    context = {
        "speaker": speaker,
        "aliases": aliases,
        "ratings": ratings,
        "rated_total": total,
        "ratings_chart": charts.horizontal_bars(
            ratings, title=f"Ratings of {speaker.name}'s {total} published fact-checks", width=420, label_width=110
        ),
        "fact_checks": fact_checks_page,
        "quotes": Paginator(quotes, settings.PUBLIC_PAGE_SIZE).get_page(request.GET.get("quotes")),
        "quotes_chart": charts.columns(
            month_labels,
            [charts.Series("Quotes", month_counts, "#3b6ea5")],
            title=f"Quotes by {speaker.name} per month, {month_labels[0]} to {month_labels[-1]}",
            width=480,
        )
        if month_labels
        else None,
        "quote_months": month_labels,
        "canonical_url": canonical_url,
        "speaker_jsonld": jsonld(speaker_jsonld(speaker, url=canonical_url, aliases=aliases)),
        "publisher": settings.PUBLISHER_NAME,
    }
    return render(request, "public/speaker.html", context)
