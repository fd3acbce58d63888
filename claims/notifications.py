"""Telling people what happened to their work: a notice in the workbench (the bell) and, if
they want it, an e-mail through Django's mail framework.

The workflow calls `event_notify` inside the transition's transaction; the notices are
written and sent by a job after the commit, so a transition that rolls back tells nobody.
Each event has a key; a person gets at most one notice, and one e-mail, per key, however
often the job runs.

Events: assigned, returned, approval (a verdict waits for an editor), vote (a panel vote
waits for its members: the caller names them), published, correction, mention (a comment
names someone as @username).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from . import jobs
from .models import EDITOR_GROUP, REVIEWER_GROUP, Claim, Comment, Notification, NotificationPreference, Verdict
from .roles import Actor

log = logging.getLogger(__name__)
Event = Notification.Event
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]*\w)")


def event_notify(
    *,
    event: str,
    claim: Claim,
    by: Actor,
    key: str,
    recipients: Iterable[Any] | None = None,
    comment: Comment | None = None,
) -> None:
    """Announce `event` on `claim`, done by `by`: once the current transaction commits, a
    job works out who is told and tells them. `key` names this one event (two calls with the
    same key notify once); `recipients` overrides who is told (a panel vote names its
    members)."""
    recipient_ids = None if recipients is None else [getattr(r, "pk", r) for r in recipients]
    jobs.enqueue(
        "deliver_notifications",
        event,
        claim.pk,
        getattr(by, "pk", None),
        key,
        recipient_ids,
        comment.pk if comment is not None else None,
    )


def mentioned_usernames(text: str) -> list[str]:
    return list(dict.fromkeys(MENTION.findall(text)))


def _desk() -> QuerySet:
    return get_user_model().objects.filter(
        Q(groups__name__in=[REVIEWER_GROUP, EDITOR_GROUP]) | Q(is_superuser=True), is_active=True
    )


def _recipients(event: str, claim: Claim, comment: Comment | None) -> QuerySet:
    people = get_user_model().objects.filter(is_active=True)
    verdicts = Verdict.objects.filter(claim=claim)
    if event == Event.ASSIGNED:
        return people.filter(pk=claim.assignee_id) if claim.assignee_id is not None else people.none()
    if event == Event.APPROVAL:
        submitted = verdicts.filter(state=Verdict.State.SUBMITTED).first()
        writers = [submitted.author_id, submitted.last_edited_by_id] if submitted else []
        editors = _desk().filter(Q(groups__name=EDITOR_GROUP) | Q(is_superuser=True))
        return people.filter(pk__in=editors.values("pk")).exclude(pk__in=[w for w in writers if w])
    if event in (Event.RETURNED, Event.PUBLISHED, Event.CORRECTION):
        authors = verdicts.values("author_id")
        return people.filter(Q(pk=claim.assignee_id) | Q(pk__in=authors))
    if event == Event.MENTION and comment is not None:
        return people.filter(pk__in=_desk().values("pk"), username__in=mentioned_usernames(comment.body))
    return people.none()


def _message(event: str, claim: Claim, actor: Actor | None, comment: Comment | None) -> str:
    who = (actor.get_full_name() or actor.get_username()) if actor else "Someone"
    text = claim.text if len(claim.text) <= 90 else claim.text[:89] + "…"
    messages: dict[str, str] = {
        Event.ASSIGNED: f"{who} assigned you claim #{claim.pk}: “{text}”",
        Event.RETURNED: f"{who} returned your verdict on claim #{claim.pk}: “{text}”",
        Event.APPROVAL: f"A verdict on claim #{claim.pk} waits for approval: “{text}”",
        Event.VOTE: f"{who} voted on the verdict of claim #{claim.pk}; your vote is needed: “{text}”",
        Event.PUBLISHED: f"{who} published the fact-check of claim #{claim.pk}: “{text}”",
        Event.CORRECTION: f"{who} opened the fact-check of claim #{claim.pk} for correction: “{text}”",
        Event.MENTION: f"{who} mentioned you on claim #{claim.pk}: “{(comment.body if comment else '')[:120]}”",
    }
    return messages[event][:300]


def notifications_deliver(
    *,
    event: str,
    claim_id: int,
    actor_id: int | None,
    key: str,
    recipient_ids: list[int] | None = None,
    comment_id: int | None = None,
) -> int:
    """Store the notices of one event and e-mail those who want it. Safe to run again:
    notices already stored are not stored twice, and an e-mail already sent is not sent
    again. Returns how many notices were new."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return 0
    comment = Comment.objects.filter(pk=comment_id).first() if comment_id else None
    User = get_user_model()
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    people = (
        User.objects.filter(pk__in=recipient_ids, is_active=True)
        if recipient_ids is not None
        else _recipients(event, claim, comment)
    )
    people = people.exclude(pk=actor_id) if actor_id else people
    wanted = set(people.values_list("pk", flat=True).distinct())
    already = set(Notification.objects.filter(key=key, recipient_id__in=wanted).values_list("recipient_id", flat=True))
    message = _message(event, claim, actor, comment)
    new = [
        Notification(recipient_id=pk, event=event, key=key, claim=claim, actor=actor, message=message)
        for pk in sorted(wanted - already)
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    _email(key)
    return len(new)


def _email(key: str) -> None:
    """E-mail the notices of `key` not yet e-mailed, to people who want them. Each notice is
    marked sent before its e-mail goes: two jobs racing send it once (and a crash between
    the mark and the send loses that e-mail rather than sending it twice)."""
    pending = list(
        Notification.objects.filter(key=key, emailed_at=None)
        .exclude(recipient__email="")
        .select_related("recipient", "claim")
    )
    preferences = {
        p.user_id: p.email_events
        for p in NotificationPreference.objects.filter(user__in=[n.recipient_id for n in pending])
    }
    messages = []
    for notice in pending:
        if notice.event not in preferences.get(notice.recipient_id, Event.values):
            continue
        if not Notification.objects.filter(pk=notice.pk, emailed_at=None).update(emailed_at=timezone.now()):
            continue  # another run sent it
        link = settings.WORKBENCH_URL.rstrip("/") + reverse("claims:notification_open", args=[notice.pk])
        body = f"{notice.message}\n\nOpen it: {link}\n\nChoose which notices reach your inbox: " + (
            settings.WORKBENCH_URL.rstrip("/") + reverse("claims:notification_settings")
        )
        messages.append(
            EmailMessage(subject=f"[Fact-check] {notice.message[:120]}", body=body, to=[notice.recipient.email])
        )
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)


# The workbench's side --------------------------------------------------------------------


def unread_count(user: Actor) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(user: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor", "claim")


def notification_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())


def notifications_read_all(*, user: Actor) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, user: Actor, email_events: list[str]) -> NotificationPreference:
    unknown = set(email_events) - set(Event.values)
    if unknown:
        raise ValueError(f"Unknown notice kinds: {', '.join(sorted(unknown))}")
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_events": [e for e in Event.values if e in email_events]}
    )
    return preference
