"""Speakers: creating one with its aliases, resolving the extractor's names to people we
know, editing one and merging two records of one person. Published fact-checks name their
speaker, so an edit or a merge marks them changed for partners."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ..audit import audit_create_many, audit_delete, audit_save
from ..models import Claim, Quote, Speaker, SpeakerAlias, normalize_name
from ..publishing import fact_checks_touch_speaker
from ..roles import Actor


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def speaker_create(*, name: str, aliases: Sequence[str] = (), **fields) -> Speaker:
    """A new speaker, with its name and aliases registered for later matching.

    Raises IntegrityError if the name is already someone's alias (or is being made one by a
    concurrent transaction). Other aliases someone else holds are skipped.
    """
    speaker = Speaker.objects.create(name=name, slug=_unique_slug(name), **fields)
    SpeakerAlias.objects.create(speaker=speaker, alias=name)
    _aliases_add([(speaker, a) for a in _other_aliases(speaker, aliases)])
    return speaker


def _other_aliases(speaker: Speaker, aliases: Sequence[str]) -> list[str]:
    """A new speaker's aliases besides its name: those given and, for a person of more than
    one name, the surname (later articles often say only that)."""
    if speaker.kind == Speaker.Kind.PERSON and len(speaker.name.split()) > 1:
        aliases = [*aliases, speaker.name.split()[-1]]
    return [a for a in aliases if normalize_name(a) != normalize_name(speaker.name)]


def _aliases_add(pairs: list[tuple[Speaker, str]]) -> None:
    """Record each (speaker, alias) of `pairs`, skipping any alias that already belongs to
    someone, or to an earlier pair (also when another job is adding it at this moment: no
    error, no wait for a retry)."""
    rows: dict[str, SpeakerAlias] = {}
    for speaker, alias in pairs:
        key = normalize_name(alias)
        if key and key not in rows:  # bulk_create skips save(), which sets `normalized`
            rows[key] = SpeakerAlias(speaker=speaker, alias=alias[:200], normalized=key)
    SpeakerAlias.objects.bulk_create(rows.values(), ignore_conflicts=True)


def _name_keys(found_speaker) -> list[str]:
    """Normalised names to look an extracted speaker up by. A surname alone ("Stoltenberg")
    finds the person whose surname alias it is; a different full name never does."""
    return [k for k in (normalize_name(n) for n in (found_speaker.name, *found_speaker.aliases)) if k]


def _speaker_by_alias(keys: list[str]) -> Speaker | None:
    alias = SpeakerAlias.objects.filter(normalized__in=keys).select_related("speaker").first()
    return alias.speaker if alias else None


def _aliases_known(names: set[str]) -> dict[str, Speaker]:
    """The speakers whose alias each of the normalised `names` is, where one is."""
    aliases = SpeakerAlias.objects.filter(normalized__in=names).select_related("speaker")
    return {a.normalized: a.speaker for a in aliases}


def _fields(found_speaker) -> dict:
    """A new speaker's fields from the extractor's speaker."""
    return {
        "name": found_speaker.name[:200],
        "kind": Speaker.Kind.ORGANISATION if found_speaker.type == "organisation" else Speaker.Kind.PERSON,
        "role": (getattr(found_speaker, "title", "") or "")[:200],
        "organisation": (getattr(found_speaker, "organisation", "") or "")[:200],
    }


def _new_speakers_create(found: list, known: dict[str, Speaker]) -> None:
    """Create together the speakers of `found` that nothing in `known` names, as
    `speaker_create` would one by one (their name an alias, a person's surname too, their
    other aliases unless someone holds them, a "created" audit row each), and add them to
    `known`. One by one, each took about seven statements: a text naming many people or
    places for the first time sent a hundred. Two of them sharing a name or a slug, a slug
    already taken, or a name another job has just made someone's alias: nothing is made
    here, and the caller makes them one by one as before."""
    new: list = []
    keys: set[str] = set()
    for sp in found:
        names = _name_keys(sp)
        if not names or any(k in known for k in names):
            continue
        if keys.intersection(names):
            return
        keys.update(names)
        new.append(sp)
    if len(new) < 2:
        return
    slugs = [slugify(sp.name[:200])[:200] or "speaker" for sp in new]
    if len(set(slugs)) < len(slugs) or Speaker.objects.filter(slug__in=slugs).exists():
        return
    speakers = [Speaker(slug=slug, **_fields(sp)) for sp, slug in zip(new, slugs, strict=True)]
    try:
        with transaction.atomic():
            audit_create_many(speakers, reason=None)
            own = [SpeakerAlias(speaker=s, alias=s.name, normalized=normalize_name(s.name)) for s in speakers]
            SpeakerAlias.objects.bulk_create(own)  # a name someone holds: IntegrityError
            _aliases_add([(s, a) for sp, s in zip(new, speakers, strict=True) for a in _other_aliases(s, sp.aliases)])
    except IntegrityError:
        return
    for sp, speaker in zip(new, speakers, strict=True):
        known.update({k: speaker for k in _name_keys(sp)})


def speakers_resolve(found: list) -> dict[str, Speaker]:
    """Database speakers for the extractor's speakers, by name: a name or alias already known
    links to that person ("Stoltenberg" to the existing Jens Stoltenberg); others are created,
    together when they can be. New aliases are recorded unless they already belong to
    someone."""
    known = _aliases_known({k for sp in found for k in _name_keys(sp)})
    _new_speakers_create(found, known)
    resolved: dict[str, Speaker] = {}
    for sp in found:
        keys = _name_keys(sp)
        speaker = next((known[k] for k in keys if k in known), None)
        if speaker is None:
            speaker = _speaker_by_alias(keys)  # another job may have just made them
        if speaker is None:
            try:
                with transaction.atomic():
                    speaker = speaker_create(aliases=[a[:200] for a in sp.aliases], **_fields(sp))
            except IntegrityError:  # created at this moment by another job: use theirs
                speaker = _speaker_by_alias(keys)
                if speaker is None:
                    raise
        else:
            _aliases_add([(speaker, a) for a in (sp.name, *sp.aliases) if normalize_name(a) not in known])
        known.update({k: speaker for k in keys if k not in known})
        resolved[sp.name] = speaker
        for alias in sp.aliases:
            resolved.setdefault(alias, speaker)
    return resolved


@transaction.atomic
def speaker_edit(*, speaker: Speaker, by: Actor | None, reason: str | None = None) -> Speaker:
    """Save an edited speaker (a new name, role or organisation). Every published fact-check
    naming them is marked changed, so partners' copies (kept by `updated_since`, ETag and
    Last-Modified) fetch them again."""
    audit_save(speaker, by, reason)
    fact_checks_touch_speaker(speaker=speaker)
    return speaker


@transaction.atomic
def speaker_merge(*, keep: Speaker, others: list[Speaker], by: Actor | None = None) -> Speaker:
    """Fold `others` into `keep`: their quotes, claims and aliases move; they are deleted.
    The published fact-checks now naming `keep` are marked changed for partners."""
    ids = [s.pk for s in others if s.pk != keep.pk]
    if not ids:
        raise ValidationError("Choose at least one other speaker to merge.", code="nothing_to_merge")
    Quote.objects.filter(speaker_id__in=ids).update(speaker=keep)
    Claim.objects.filter(speaker_id__in=ids).update(speaker=keep)
    SpeakerAlias.objects.filter(speaker_id__in=ids).update(speaker=keep)
    for other in Speaker.objects.filter(pk__in=ids):
        if not SpeakerAlias.objects.filter(normalized=normalize_name(other.name)).exists():
            SpeakerAlias.objects.create(speaker=keep, alias=other.name)
        for name in ("role", "organisation", "wikidata_id"):
            if not getattr(keep, name) and getattr(other, name):
                setattr(keep, name, getattr(other, name))
        audit_delete(other, by, f"merged into {keep.name} (#{keep.pk})")
    audit_save(keep, by, "merged other speakers in")
    fact_checks_touch_speaker(speaker=keep)
    return keep
