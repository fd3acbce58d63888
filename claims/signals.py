"""Signal receivers. The workflow publishes and retracts explicitly (see `claims.workflow`);
what is left here keeps derived copies in step with rows changed from anywhere (the API's
key cache has its receivers in `claims.api.auth`):

- a speaker renamed marks the fact-checks naming them changed, so partners' copies (kept
  by `updated_since`, ETag and Last-Modified) fetch them again;
- a verdict saved as published outside the workflow (a data import, a fixture, the shell)
  still gets its public record; the workflow's own publications are left to it.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import publishing
from .models import Speaker, Verdict


@receiver(post_save, sender=Verdict, dispatch_uid="fact_check_publish")
def verdict_saved(sender, instance: Verdict, raw: bool = False, **kwargs) -> None:
    if raw or getattr(instance, "record_kept_by_workflow", False):
        return
    if instance.state == Verdict.State.PUBLISHED:
        publishing.fact_check_publish(verdict=instance)


@receiver(post_save, sender=Speaker, dispatch_uid="fact_check_touch_speaker")
def speaker_saved(sender, instance: Speaker, raw: bool = False, created: bool = False, **kwargs) -> None:
    if not raw and not created:
        publishing.fact_checks_touch_speaker(speaker=instance)
