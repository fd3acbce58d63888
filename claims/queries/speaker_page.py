"""The public speaker page: their ratings and their quotes over time."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from ..charts import Bar
from ..models import (
    FactCheck,
    Quote,
    Rating,
    Speaker,
)

UNRATED_COLOUR = "#777777"
# Quotes a public page may show: from articles published on the web (they have an address)
# that no editor marked internal. Pasted or uploaded texts never show.
PUBLIC_QUOTES = Q(article__internal=False) & ~Q(article__url="")
QUOTE_MONTHS = 24  # the quotes chart covers at most the last two years of quotes


def speaker_ratings(*, speaker: Speaker) -> list[Bar]:
    """How the speaker's published fact-checks were rated: one bar per step of the scale,
    in its order and colours, zeros included so two speakers' charts compare. Retracted
    fact-checks are not published, so they never count."""
    counts: dict[int | None, int] = dict(  # None: published without a rating
        FactCheck.objects.published()
        .filter(claim__speaker=speaker)
        .order_by()
        .values("verdict__rating")
        .annotate(n=Count("pk"))
        .values_list("verdict__rating", "n")
    )
    bars = [Bar(r.label, counts.get(r.pk, 0), r.colour) for r in Rating.objects.order_by("order", "pk")]
    if counts.get(None):
        bars.append(Bar("Unrated", counts[None], UNRATED_COLOUR))
    return bars


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def speaker_quotes_by_month(*, speaker: Speaker) -> tuple[list[str], list[int]]:
    """Quotes per month (when their article appeared, else when we stored it), empty months
    included, over at most the last `QUOTE_MONTHS` months that have quotes."""
    rows = (
        Quote.objects.filter(speaker=speaker)
        .filter(PUBLIC_QUOTES)
        .annotate(month=TruncMonth(Coalesce("article__published_at", "article__created_at")))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counts = {timezone.localtime(month).date(): n for month, n in rows}
    if not counts:
        return [], []
    months = _months_between(min(counts), max(counts))[-QUOTE_MONTHS:]
    return [m.strftime("%b %Y") for m in months], [counts.get(m, 0) for m in months]
