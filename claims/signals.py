"""Keep the public record of fact-checks in step with the workflow, without the workflow
knowing about partners: a verdict saved as published becomes the fact-check's current
version (and a webhook event); a speaker renamed marks theirs changed. Edits to a published
claim or its evidence do not: the record is frozen with the version (see `workflow`), and
changes only when a correction is approved. And a
partner key or partner saved (revoked, suspended) is forgotten by the API's key cache."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import publishing
from . import webhooks as webhooks  # registers the delivery task in every process
from .api.auth import forget_keys
from .models import Partner, PartnerAPIKey, Speaker, Verdict


@receiver(post_save, sender=Verdict, dispatch_uid="fact_check_publish")
def verdict_saved(sender, instance: Verdict, raw: bool = False, **kwargs) -> None:
    if not raw and instance.state == Verdict.State.PUBLISHED:
        publishing.fact_check_publish(verdict=instance)


@receiver(post_save, sender=Speaker, dispatch_uid="fact_check_touch_speaker")
def speaker_saved(sender, instance: Speaker, raw: bool = False, created: bool = False, **kwargs) -> None:
    if not raw and not created:
        publishing.fact_checks_touch_speaker(speaker=instance)


@receiver([post_save, post_delete], sender=PartnerAPIKey, dispatch_uid="forget_partner_key")
def partner_key_changed(sender, instance: PartnerAPIKey, **kwargs) -> None:
    forget_keys(instance.prefix)


@receiver([post_save, post_delete], sender=Partner, dispatch_uid="forget_partner_keys")
def partner_changed(sender, instance: Partner, **kwargs) -> None:
    forget_keys(*PartnerAPIKey.objects.filter(partner_id=instance.pk).values_list("prefix", flat=True))
