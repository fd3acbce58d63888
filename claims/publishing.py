"""The public record of fact-checks: what partners, public pages and webhooks see.

`fact_check_publish` runs when a verdict becomes published (from `claims.signals`, so the
workflow needs no knowledge of partners); `verdict_retract` takes a published verdict down
and leaves a tombstone. Both record the webhook events in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from . import roles, workflow
from .errors import IllegalTransition, NotAllowed, StaleEdit
from .models import Claim, Comment, FactCheck, Speaker, Verdict, WebhookDelivery


@transaction.atomic
def fact_check_publish(*, verdict: Verdict) -> FactCheck | None:
    """Make `verdict` the published version of its claim's fact-check.

    A first publication (or one after a retraction) is a "published" event, a new revision
    replacing a published one is a "corrected" event; saving the current version again only
    marks the fact-check changed, so partners polling `updated_since` fetch it again.
    """
    from .webhooks import webhook_events_record

    if verdict.state != Verdict.State.PUBLISHED:
        return None
    published_at = verdict.published_at or timezone.now()
    fact_check = FactCheck.objects.select_for_update().filter(claim_id=verdict.claim_id).first()
    if fact_check is None:
        event = WebhookDelivery.Event.PUBLISHED
        fact_check = FactCheck(claim_id=verdict.claim_id, first_published_at=published_at)
    elif fact_check.verdict_id == verdict.pk and fact_check.status == FactCheck.Status.PUBLISHED:
        FactCheck.objects.filter(pk=fact_check.pk).update(changed_at=timezone.now())
        return fact_check
    elif fact_check.status == FactCheck.Status.PUBLISHED:
        event = WebhookDelivery.Event.CORRECTED
    else:
        event = WebhookDelivery.Event.PUBLISHED
    fact_check.verdict = verdict
    fact_check.status = FactCheck.Status.PUBLISHED
    fact_check.changed_at = max(published_at, timezone.now())
    fact_check.retracted_at, fact_check.retracted_by, fact_check.retraction_reason = None, None, ""
    fact_check.save()
    webhook_events_record(fact_check_id=fact_check.pk, event=event)
    return fact_check


@transaction.atomic
def verdict_retract(*, verdict: Verdict, by: Any, reason: str, revision: int | None = None) -> FactCheck:
    """Take a published verdict down. Partners get a tombstone (id, "retracted", when) in
    `updated_since` polls and by webhook; the public page answers 410 Gone. The claim goes
    back into review with the reason as a comment, so the desk can rework or drop it.
    `revision` is the published version the editor read: if a correction replaced it since,
    nothing is retracted (StaleEdit)."""
    if not roles.is_editor(by):
        raise NotAllowed("Only an editor can retract a published verdict.")
    if revision is not None:
        locked = Verdict.objects.select_for_update().filter(pk=verdict.pk).values_list("state", "revision").first()
        if locked != (Verdict.State.PUBLISHED, revision):
            raise StaleEdit(
                f"This fact-check changed since you read version {revision}: it was corrected or retracted. "
                "Read it again; nothing was retracted.",
                current=verdict,
            )
    if verdict.state != Verdict.State.PUBLISHED:
        raise IllegalTransition(f"Cannot retract a verdict that is {verdict.get_state_display().lower()}.")
    if not reason.strip():
        raise IllegalTransition("Say why the verdict is retracted: the reason is empty.")
    from .webhooks import webhook_events_record

    now = timezone.now()
    verdict.state = Verdict.State.SUPERSEDED
    verdict._history_user = by  # type: ignore[attr-defined]
    verdict._change_reason = "retracted"  # type: ignore[attr-defined]
    verdict.save()
    claim = verdict.claim
    workflow._move(claim, by=by, to=Claim.Status.IN_REVIEW, reason="retracted", version=None)
    Comment.objects.create(claim=claim, author=by, body=f"Retracted: {reason}")
    fact_check, _ = FactCheck.objects.update_or_create(
        claim_id=claim.pk,
        defaults={
            "verdict": None,
            "status": FactCheck.Status.RETRACTED,
            "changed_at": now,
            "retracted_at": now,
            "retracted_by": by,
            "retraction_reason": reason,
        },
        create_defaults={"first_published_at": verdict.published_at or now},
    )
    webhook_events_record(fact_check_id=fact_check.pk, event=WebhookDelivery.Event.RETRACTED)
    return fact_check


def fact_checks_touch_speaker(*, speaker: Speaker) -> None:
    """A speaker's name or role changed: every published fact-check naming them changed."""
    FactCheck.objects.filter(claim__speaker=speaker, status=FactCheck.Status.PUBLISHED).update(
        changed_at=timezone.now()
    )
