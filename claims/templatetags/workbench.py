"""Template helpers for the workbench pages."""

from __future__ import annotations

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def article_body(segments) -> SafeString:
    """The article text with quotes and claims marked. The marks add no characters, so the
    text content of the result is the body exactly and selection offsets index into it."""
    parts = []
    for segment in segments:
        if segment.quote is None and segment.claim is None:
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
