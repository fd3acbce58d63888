"""A claim's history, from the audit records of the claim, its verdicts and evidence, in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model

from ..models import (
    Claim,
    Evidence,
    Rating,
    Speaker,
    Verdict,
)

HISTORY_LIMIT = 30
HIDDEN_FIELDS = {"version", "updated_at", "evidence_snapshot", "numbers", "score", "content_hash"}


@dataclass
class Change:
    when: Any
    who: Any
    what: str
    reason: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


# (label, old, new, related model or None): a changed field before its ids are named.
Diff = tuple[str, Any, Any, type[Model] | None]


def _changes(records: list, label: Callable[[Any], str]) -> list[tuple[Change, list[Diff]]]:
    """Turn history records (newest first) into changes, each diffed against the previous
    record of the same object, in memory: no query per record. Each change comes with its
    diffs, whose ids `claim_history` names for all changes at once."""
    previous: dict[int, Any] = {}
    changes = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        diffs: list[Diff] = []
        if before is not None and record.history_type == "~":
            diffs = _diff(record, before)
        verb = {"+": "created", "~": "changed", "-": "removed"}[record.history_type]
        change = Change(
            when=record.history_date,
            who=record.history_user,
            what=f"{label(record)} {verb}",
            reason=record.history_change_reason or "",
        )
        changes.append((change, diffs))
        previous[record.id] = record
    return changes


def _field_names(record) -> set[str]:
    return {f.name for f in record.instance_type._meta.fields}


def _diff(record, before) -> list[Diff]:
    """[label, old, new, related model or None] for each changed field; foreign keys are
    ids here and get their names in `_name_foreign_keys`."""
    delta = record.diff_against(before, excluded_fields=HIDDEN_FIELDS & _field_names(record))
    rows: list[Diff] = []
    for change in delta.changes:
        model_field = record.instance_type._meta.get_field(change.field)
        related = model_field.related_model if model_field.is_relation else None
        old, new = change.old, change.new
        if model_field.choices:  # "in_review" reads "In review"
            labels = dict(model_field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        rows.append((change.field.replace("_", " "), old, new, related))
    return rows


def _name_foreign_keys(rows: list[Diff], ratings: list[Rating] | None = None) -> list[tuple[str, Any, Any]]:
    """Replace the ids of people, speakers and ratings by their names (other relations show
    as "#id"). Always one query for each of those three models, so a page's query count does
    not depend on which fields its history happens to hold."""
    named = (get_user_model(), Speaker) + (() if ratings is not None else (Rating,))
    wanted: dict[Any, set] = {model: {0} for model in named}  # 0: the query runs even when empty
    for _, old, new, related in rows:
        if related in wanted:
            wanted[related].update(v for v in (old, new) if v is not None)
    found = {model: {obj.pk: obj for obj in model._default_manager.filter(pk__in=ids)} for model, ids in wanted.items()}
    if ratings is not None:
        found[Rating] = {r.pk: r for r in ratings}

    def name(value, related):
        if related is None or value is None:
            return value
        obj = found.get(related, {}).get(value)
        if obj is None:
            return f"#{value}"
        return (obj.get_full_name() or obj.get_username()) if hasattr(obj, "get_username") else str(obj)

    return [(label, name(old, related), name(new, related)) for label, old, new, related in rows]


def claim_history(claim: Claim, limit: int = HISTORY_LIMIT, ratings: list[Rating] | None = None) -> list[Change]:
    """Who changed what and when on the claim, its verdicts and its evidence, newest first.
    Three queries, bounded by `limit` records of each."""
    claims = list(claim.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    verdicts = list(
        Verdict.history.filter(claim_id=claim.pk).select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    evidence = list(
        Evidence.history.filter(claim_id=claim.pk).select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    found = (
        _changes(claims, lambda r: "Claim")
        + _changes(verdicts, lambda r: f"Verdict r{r.revision}")
        + _changes(evidence, lambda r: f"Evidence “{(r.title or r.url)[:60]}”")
    )
    found.sort(key=lambda pair: pair[0].when, reverse=True)
    found = found[:limit]
    # Name the foreign keys of all changes at once: a query per related model, not per row.
    rows = [row for _, diffs in found for row in diffs]
    named = iter(_name_foreign_keys(rows, ratings))
    changes = []
    for change, diffs in found:
        change.fields = [next(named) for _ in diffs]
        changes.append(change)
    return changes


def changes_since(obj: Claim | Verdict, seen_version: int | None) -> list[tuple[str, Any, Any]]:
    """What changed in `obj` since the user saw `seen_version`: (field, theirs-before, now)."""
    latest = obj.history.first()
    if latest is None or seen_version is None:
        return []
    seen = obj.history.filter(version=seen_version).order_by("-history_date").first()
    if seen is None or seen.pk == latest.pk:
        return []
    return _name_foreign_keys(_diff(latest, seen))
