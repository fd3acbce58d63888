"""The editors' dashboard: one function per figure, each a fixed number of SQL queries
(grouped and counted in the database) returning plain data for the page to draw.

Python only fills the gaps between the rows the database returns (days or weeks with
nothing in them) and merges a few grouped rows; it never walks over claims or articles.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDay, TruncWeek
from django.utils import timezone

from ..models import Article, Claim, FactCheck, Source

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Middle(TypedDict):
    """What a row of `_middle_rows` carries: `took` from `_published_in`, its rank in its
    group and the group's size."""

    took: datetime.timedelta
    rank: int
    size: int


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
                assignee=_name(row, "assignee__"),
                due_date=due_date,
                days_overdue=(today - due_date).days,
            )
        )
    return Overdue(total=late.count(), claims=claims)


def _name(row: Mapping[str, Any], prefix: str) -> str:
    full = f"{row[prefix + 'first_name']} {row[prefix + 'last_name']}".strip()
    return full or row[prefix + "username"] or "nobody"


# 3. Reviewers: open workload and time from assignment to publication ---------------------------


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
            name=_name(row, "assignee__"),
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
