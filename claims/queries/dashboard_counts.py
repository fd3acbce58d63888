"""The dashboard's counts of claims, articles and sources in a period (figures 1, 2, 4 and
5 of the page, and the sources' health), and the period itself. Figure 3, the reviewers,
is in `queries.dashboard_reviewers`; `queries.dashboard` gathers both for the page.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDay, TruncWeek
from django.utils import timezone

from ..models import Article, Claim, Source

S = Claim.Status
DEFAULT_WEEKS = 8
OVERDUE_SHOWN = 20

# Bars in the same hues as the status badges, dark enough to read a white page against.
STATUS_COLOURS: dict[str, str] = {
    S.CANDIDATE: "#7b8794",
    S.ACCEPTED: "#3b6ea5",
    S.ASSIGNED: "#2f5fd0",
    S.IN_REVIEW: "#b7791f",
    S.SUBMITTED: "#c05621",
    S.PUBLISHED: "#2f855a",
    S.DISMISSED: "#9aa5b1",
    S.DUPLICATE: "#9aa5b1",
}
# Accepted for checking: anything past triage except claims folded into another one.
ACCEPTED_OR_FURTHER = (S.ACCEPTED, S.ASSIGNED, S.IN_REVIEW, S.SUBMITTED, S.PUBLISHED)


@dataclass(frozen=True)
class Period:
    """Whole days, `first` to `last` inclusive, in the site's time zone."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def default(cls, today: datetime.date) -> Period:
        return cls(first=today - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(days=1), last=today)

    @property
    def start(self) -> datetime.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the period."""
        return _midnight(self.last + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _local_date(value: datetime.datetime | datetime.date) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


# 1. Claims by status ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    colour: str


def claims_by_status(*, period: Period) -> list[StatusCount]:
    """Claims that arrived in the period, counted by where they stand now, in workflow order."""
    rows = (
        Claim.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts: dict[str, int] = {row["status"]: row["n"] for row in rows}
    return [StatusCount(value, label, counts.get(value, 0), STATUS_COLOURS[value]) for value, label in S.choices]


# 2. Overdue assignments ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueClaim:
    pk: int
    text: str
    assignee: str
    due_date: datetime.date
    days_overdue: int


@dataclass(frozen=True)
class Overdue:
    total: int
    claims: list[OverdueClaim]


def overdue_claims(*, today: datetime.date, limit: int = OVERDUE_SHOWN) -> Overdue:
    """Open claims whose due date has passed, longest overdue first (the first `limit`)."""
    late = Claim.objects.filter(status__in=Claim.OPEN_STATUSES, due_date__lt=today)
    rows = late.order_by("due_date", "pk").values(
        "pk", "text", "due_date", "assignee__username", "assignee__first_name", "assignee__last_name"
    )[:limit]
    claims = []
    for row in rows:
        due_date = row["due_date"]
        assert due_date is not None  # due_date__lt leaves out the claims without one
        claims.append(
            OverdueClaim(
                pk=row["pk"],
                text=row["text"],
                assignee=person_name(row, "assignee__"),
                due_date=due_date,
                days_overdue=(today - due_date).days,
            )
        )
    return Overdue(total=late.count(), claims=claims)


def person_name(row: Mapping[str, Any], prefix: str) -> str:
    """A person's full name from a `values()` row whose user fields start with `prefix`."""
    full = f"{row[prefix + 'first_name']} {row[prefix + 'last_name']}".strip()
    return full or row[prefix + "username"] or "nobody"


# 4. Candidates proposed and accepted per week --------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One day or week of a time series."""

    start: datetime.date
    label: str
    counts: tuple[int, ...]


def slot_totals(slots: list[Slot]) -> tuple[int, ...]:
    """Each series summed over the period."""
    return tuple(sum(column) for column in zip(*(slot.counts for slot in slots), strict=True))


def candidates_per_week(*, period: Period) -> list[Slot]:
    """Per week (Monday to Sunday) of the period: claims proposed (every claim that arrived,
    found by the extractor or entered by hand), and how many of those were accepted for
    checking: status now accepted or further along; dismissed and duplicates are not."""
    rows = (
        Claim.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values("week")
        .annotate(proposed=Count("id"), accepted=Count("id", filter=Q(status__in=ACCEPTED_OR_FURTHER)))
    )
    counts = {_local_date(row["week"]): (row["proposed"], row["accepted"]) for row in rows}
    monday = period.first - datetime.timedelta(days=period.first.weekday())
    weeks = []
    while monday <= period.last:
        weeks.append(Slot(monday, f"{monday.day} {monday:%b}", counts.get(monday, (0, 0))))
        monday += datetime.timedelta(weeks=1)
    return weeks


# 5. Articles ingested per day, and failures ----------------------------------------------------


def articles_per_day(*, period: Period) -> list[Slot]:
    """Per day: articles submitted, and how many of them have failed (fetch or extraction)."""
    rows = (
        Article.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(day=TruncDay("created_at"))
        .order_by()
        .values("day")
        .annotate(ingested=Count("id"), failed=Count("id", filter=Q(status=Article.Status.FAILED)))
    )
    counts = {_local_date(row["day"]): (row["ingested"], row["failed"]) for row in rows}
    return [
        Slot(day, f"{day.day} {day:%b}", counts.get(day, (0, 0)))
        for day in (period.first + datetime.timedelta(days=i) for i in range(period.days))
    ]


# Monitored sources ----------------------------------------------------------------------

SOURCES_SHOWN = 20


def source_health(*, limit: int = SOURCES_SHOWN) -> list[Source]:
    """Monitored sources for the health panel: failing first (longest failing streak),
    then the rest by name; paused ones last; each with how many of its articles failed to
    be fetched or read. One query."""
    return list(Source.objects.with_article_counts().order_by("-active", "-failures", "name")[:limit])
