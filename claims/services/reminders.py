"""Reminders: e-mail each reviewer the open claims past their due date."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mass_mail
from django.utils import timezone

from ..models import Claim


def overdue_reminders_send() -> int:
    """Email each reviewer the open claims past their due date. Returns emails sent."""
    today = timezone.localdate()
    overdue = (
        Claim.objects.filter(status__in=Claim.OPEN_STATUSES, due_date__lt=today, assignee__isnull=False)
        .exclude(assignee__email="")
        .select_related("assignee")
        .order_by("assignee_id", "due_date")
    )
    by_person: dict[Any, list[Claim]] = {}
    for claim in overdue:
        by_person.setdefault(claim.assignee, []).append(claim)
    messages = [
        (
            f"{len(claims)} overdue claim(s) in your queue",
            "\n".join(f"- due {c.due_date:%d %b}: {c.text[:120]}" for c in claims),
            None,
            [person.email],
        )
        for person, claims in by_person.items()
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
