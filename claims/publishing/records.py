"""The public record of fact-checks (`FactCheck`): what partners, public pages and webhooks see.

`claims.workflow` calls `fact_check_publish` when it publishes a verdict and
`fact_check_retract` when it retracts one; both record the webhook events in the same
transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import FactCheck, Speaker, Verdict, WebhookDelivery
from ..roles import Actor
from .webhooks import webhook_events_record


@transaction.atomic
def fact_check_publish(*, verdict: Verdict) -> FactCheck | None:
    """Make `verdict` the published version of its claim's fact-check.

    A first publication (or one after a retraction) is a "published" event, a new revision
    replacing a published one is a "corrected" event; saving the current version again only
    marks the fact-check changed, so partners polling `updated_since` fetch it again.
    """
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


def fact_check_retract(*, verdict: Verdict, by: Actor, reason: str) -> FactCheck:
    """Turn the claim's fact-check into a tombstone (id, "retracted", when) and record the
    webhook event, in the caller's transaction (`workflow.verdict_retract`)."""
    now = timezone.now()
    fact_check, _ = FactCheck.objects.update_or_create(
        claim_id=verdict.claim_id,
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
