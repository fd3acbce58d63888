"""The dashboard's reviewer figures: each reviewer's open workload now, and the median
time from assignment to first publication (per reviewer and overall) of the claims first
published in a period. PostgreSQL computes exact medians; SQLite ranks the rows and takes
the middle ones. The other figures are in `queries.dashboard_counts`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, QuerySet, Window
from django.db.models.functions import RowNumber

from ..models import Claim, FactCheck
from .dashboard_counts import Period, person_name

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Middle(TypedDict):
    """What a row of `_middle_rows` carries: `took` from `_published_in`, its rank in its
    group and the group's size."""

    took: datetime.timedelta
    rank: int
    size: int


class Median(Aggregate):
    """PostgreSQL's exact median: `percentile_cont(0.5) WITHIN GROUP (ORDER BY …)`; works on
    intervals too, so a median duration comes back as a timedelta."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()
    allow_distinct = False


@dataclass(frozen=True)
class ReviewerRow:
    pk: int | None
    name: str
    open: int
    published: int
    median: datetime.timedelta | None

    @property
    def median_text(self) -> str:
        return duration_text(self.median)

    @property
    def median_days(self) -> float:
        return round(self.median.total_seconds() / 86400, 1) if self.median is not None else 0


@dataclass(frozen=True)
class Reviewers:
    rows: list[ReviewerRow]
    overall: ReviewerRow


PERSON = ("assignee__username", "assignee__first_name", "assignee__last_name")


def _published_in(period: Period) -> QuerySet[FactCheck]:
    """Claims first published in the period, with how long they took from (the last)
    assignment; a claim never assigned, or reassigned after it was published, has no
    meaningful time and is left out."""
    return (
        FactCheck.objects.filter(
            first_published_at__gte=period.start,
            first_published_at__lt=period.end,
            claim__assigned_at__isnull=False,
            claim__assigned_at__lte=F("first_published_at"),
        )
        .order_by()
        .annotate(took=F("first_published_at") - F("claim__assigned_at"))
    )


def reviewer_figures(*, period: Period) -> Reviewers:
    """Open claims per assignee now, and per assignee (and overall) the median time from
    assignment to first publication of the claims first published in the period."""
    workload = {
        row["assignee"]: row
        for row in Claim.objects.filter(status__in=Claim.OPEN_STATUSES, assignee__isnull=False)
        .order_by()
        .values("assignee", *PERSON)
        .annotate(n=Count("id"))
    }
    published = _published_in(period)
    per_person, overall = _medians(published)
    people = {**{pk: row for pk, row in per_person.items() if pk is not None}, **workload}
    rows = [
        ReviewerRow(
            pk=pk,
            name=person_name(row, "assignee__"),
            open=workload[pk]["n"] if pk in workload else 0,
            published=per_person[pk]["n"] if pk in per_person else 0,
            median=per_person[pk]["median"] if pk in per_person else None,
        )
        for pk, row in people.items()
    ]
    rows.sort(key=lambda r: (-r.open, -r.published, r.name.casefold()))
    everyone = ReviewerRow(
        pk=None, name="Everyone", open=sum(r.open for r in rows), published=overall["n"], median=overall["median"]
    )
    return Reviewers(rows=rows, overall=everyone)


def _medians(published: QuerySet[FactCheck]) -> tuple[dict, dict]:
    person = ("claim__assignee", *(f"claim__{field}" for field in PERSON))
    if connection.vendor == "postgresql":
        grouped = published.values(*person).annotate(n=Count("pk"), median=Median("took"))
        overall = published.aggregate(n=Count("pk"), median=Median("took"))
        return {row["claim__assignee"]: _unprefix(row) for row in grouped}, overall
    return _medians_by_rank(published, person)


def _medians_by_rank(published: QuerySet[FactCheck], person: tuple[str, ...]) -> tuple[dict, dict]:
    """Without percentile_cont (SQLite): rank the durations within each group in SQL and
    fetch only the middle one or two rows of each group, whose mean is the median."""
    grouped: dict = {}
    for row in _middle_rows(published, F("claim__assignee")).values("took", "size", *person):
        entry = grouped.setdefault(row["claim__assignee"], {**_unprefix(row), "middle": []})
        entry["middle"].append(row["took"])
    middle = list(_middle_rows(published, None).values("took", "size"))
    overall = {"size": middle[0]["size"] if middle else 0, "middle": [row["took"] for row in middle]}
    for entry in (*grouped.values(), overall):
        entry["median"] = _mean(entry.pop("middle"))
        entry["n"] = entry.pop("size")
    return grouped, overall


def _middle_rows(published: QuerySet[FactCheck], partition: F | None) -> QuerySet[WithAnnotations[FactCheck, _Middle]]:
    middle = published.annotate(
        rank=Window(RowNumber(), partition_by=partition, order_by=F("took").asc()),
        size=Window(Count("pk"), partition_by=partition),
    ).filter(rank__gte=(F("size") + 1) / 2, rank__lte=(F("size") + 2) / 2)
    # Django's types see the annotations made here, not `took` made by `_published_in`.
    return cast("QuerySet[WithAnnotations[FactCheck, _Middle]]", middle)


def _mean(values: list[datetime.timedelta]) -> datetime.timedelta | None:
    return sum(values, datetime.timedelta()) / len(values) if values else None


def _unprefix(row: dict) -> dict:
    return {key.removeprefix("claim__"): value for key, value in row.items()}


def duration_text(value: datetime.timedelta | None) -> str:
    """ "3 days 4 hours", "5 hours", "40 minutes"; a dash for no value."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _plural(days, "day") + (f" {_plural(hours, 'hour')}" if hours else "")
    if hours:
        return _plural(hours, "hour")
    return _plural(minutes, "minute")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
