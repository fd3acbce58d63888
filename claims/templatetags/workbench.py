"""Template helpers for the workbench pages."""

from __future__ import annotations

import datetime
import functools
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .. import queries

register = template.Library()


@register.simple_tag
def article_body(segments) -> SafeString:
    """The article text with quotes and claims marked. The marks add no characters, so the
    text content of the result is the body exactly and selection offsets index into it."""
    parts = []
    for segment in segments:
        if segment.quote is None and segment.claim is None and segment.source_of is None:
            parts.append(format_html("{}", segment.text))
            continue
        classes = ["mark"]
        title = []
        if segment.colour is not None:
            classes.append(f"sp-{segment.colour}")
        if segment.quote is not None:
            classes.append("quote")
            who = segment.quote.speaker.name if segment.quote.speaker else "unknown speaker"
            title.append(f"Quote: {who}")
        if segment.source_of is not None:
            classes.append("source")
            title.append(f"Who said it: {segment.source_of.speaker.name}")
        if segment.claim is not None:
            classes.append("claim")
            title.append(f"Claim #{segment.claim.pk} ({segment.claim.get_status_display()})")
        if segment.claim is not None:
            parts.append(
                format_html(
                    '<a class="{}" href="{}" title="{}">{}</a>',
                    " ".join(classes),
                    reverse("claims:claim", args=[segment.claim.pk]),
                    "; ".join(title),
                    segment.text,
                )
            )
        else:
            parts.append(
                format_html('<mark class="{}" title="{}">{}</mark>', " ".join(classes), "; ".join(title), segment.text)
            )
    return SafeString("".join(parts))


@register.filter
def overdue(day: datetime.date | None) -> bool:
    return day is not None and day < timezone.localdate()


@register.simple_tag
def field_changes(changes) -> SafeString:
    """A change list as "field: old → new" items (escaped)."""
    return format_html_join(
        "",
        '<li><span class="field">{}</span>: <del>{}</del> → <ins>{}</ins></li>',
        ((name, _short(old), _short(new)) for name, old, new in changes),
    )


def _short(value, limit: int = 160) -> str:
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


@register.filter
def person(user, fallback: str = "someone") -> str:
    """A person's name as the workbench shows it: full name, else username."""
    if user is None or not getattr(user, "pk", None):
        return fallback
    return user.get_full_name() or user.get_username()


# Dates, formatted with strftime: Django's `date` filter is many times slower, and the claim
# page shows a hundred timestamps (history, comments, evidence).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def when(value: datetime.datetime | None) -> str:
    """ "28 Nov 2026, 12:58" in the site's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


@register.filter
def day(value: datetime.date | None) -> str:
    """ "15 Jan 2031"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def iso(value: datetime.date | None) -> str:
    """For <time datetime="…">."""
    return value.isoformat() if value is not None else ""


@functools.lru_cache(maxsize=64)
def _pattern(name: str, prefix: str) -> str:
    args = (
        [987654321, 987654321] if name.startswith("claims:evidence_") and name != "claims:evidence_add" else [987654321]
    )
    return reverse(name, args=args)


@register.simple_tag
def claim_url(pk: int, action: str = "") -> str:
    """The address of a claim page (or of one of its actions), without reversing the URL
    for every row of a long list: the pattern is reversed once and filled in."""
    name = f"claims:{action}" if action else "claims:claim"
    return _pattern(name, get_script_prefix()).replace("987654321", str(pk))


@register.simple_tag
def evidence_url(claim_pk: int, evidence_pk: int, action: str) -> str:
    pattern = _pattern(f"claims:evidence_{action}", get_script_prefix())
    return pattern.replace("987654321", str(claim_pk), 1).replace("987654321", str(evidence_pk), 1)


@register.simple_tag
def claims_list_url(period=None, **filters) -> str:
    """The admin's list of the claims a dashboard figure counts: `filters` are field
    lookups (status, assignee__id__exact…); `period` narrows to claims that arrived in it."""
    params = {k: ",".join(v) if isinstance(v, list | tuple) else v for k, v in filters.items()}
    if period is not None:
        params["created_at__gte"] = period.start.isoformat()
        params["created_at__lt"] = period.end.isoformat()
    return reverse("admin:claims_claim_changelist") + "?" + urlencode(params)


@register.filter
def score_band(score: float) -> str:
    """ "high", "medium" or "low": how triage labels a check-worthiness score."""
    return queries.score_band(score)


@register.simple_tag
def today_iso() -> str:
    return timezone.localdate().isoformat()
