"""The audit history (django-simple-history): who changed what, and why.

Every write to an audited model (claims, verdicts, evidence, speakers) that a person makes
goes through `audit_save` or `audit_delete`, so the history names them and the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Model
from django.utils import timezone

if TYPE_CHECKING:
    from .roles import Actor


def _mark(obj: Model, by: Actor | None, reason: str | None) -> None:
    obj._history_user = by  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


def audit_save(obj: Model, by: Actor | None, reason: str | None) -> None:
    """Save `obj`, recording `by` and `reason` in its history."""
    _mark(obj, by, reason)
    obj.save()


def audit_delete(obj: Model, by: Actor | None, reason: str) -> None:
    """Delete `obj`, recording `by` and `reason` in its history."""
    _mark(obj, by, reason)
    obj.delete()


HISTORY_BATCH = 500  # rows whose audit rows one statement copies


def audit_create_many(objs: list, *, reason: str | None) -> list:
    """Insert `objs` (of one audited model) and their "created" audit rows, the rows copied
    by the database from those just inserted. simple_history's bulk path built a historical
    instance per row in Python, and cost the extraction job as much as inserting its claims
    did; the rows are the same (user and reason as it would set them, one time for all)."""
    if not objs:
        return objs
    model = type(objs[0])
    objs = model.objects.bulk_create(objs)
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    user = history.get_default_history_user(objs[0])
    stamp = [connection.ops.adapt_datetimefield_value(timezone.now()), reason, user.pk if user else None]
    ids = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        # in batches: a huge text's thousands of claims stay under SQLite's limit on parameters
        for start in range(0, len(ids), HISTORY_BATCH):
            batch = ids[start : start + HISTORY_BATCH]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_type, "
                f"history_change_reason, history_user_id) SELECT {columns}, %s, '+', %s, %s "
                f"FROM {quote(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(batch))})",
                [*stamp, *batch],
            )
    return objs
