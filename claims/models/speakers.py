"""Speakers (people and bodies) and the names articles give them."""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

__all__ = ["Speaker", "SpeakerAlias", "normalize_name"]


def normalize_name(name: str) -> str:
    """Fold a person's or body's name for matching: no accents, case, punctuation or runs
    of spaces. "Jens  Stoltenberg." and "jens stoltenberg" normalise alike."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w ]+", " ", folded).split())


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.PERSON)
    role = models.CharField(max_length=200, blank=True, help_text='E.g. "Finance Minister".')
    organisation = models.CharField(max_length=200, blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True, help_text='Wikidata item, e.g. "Q57286".')
    page_hidden = models.BooleanField(
        default=False, db_default=False, help_text="Hide this speaker's public page (it answers 404)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """One way an article names a speaker. Normalised aliases are unique, so one name can
    only ever point at one person."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["alias"]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_name(self.alias)
        super().save(*args, **kwargs)
