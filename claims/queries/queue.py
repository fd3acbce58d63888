"""The queue, triage and the worklists: what waits for whom, filtered and counted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from .. import roles
from ..models import (
    EDITOR_GROUP,
    REVIEWER_GROUP,
    Claim,
    ClaimMatch,
    Comment,
    Evidence,
    SourceItem,
    Verdict,
    VerdictVote,
)
from ..roles import Actor


def queue_claims(user: Actor, *, filters: dict[str, Any] | None = None) -> QuerySet[Claim]:
    """The claims assigned to `user`, due first then most urgent, narrowed by `filters`
    (status, speaker, kind, rating, q). With no status filter, only open claims show."""
    filters = filters or {}
    qs = (
        Claim.objects.with_related()
        .filter(assignee=user)
        .prefetch_related(Prefetch("verdicts", queryset=Verdict.objects.select_related("rating").order_by("-revision")))
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    else:
        qs = qs.filter(status__in=Claim.OPEN_STATUSES)
    return _narrow(qs, filters).order_by(F("due_date").asc(nulls_last=True), "-priority", "created_at")


# Check-worthiness bands, as triage labels and filters them: label, lowest, below.
SCORE_BANDS = {
    "high": ("High (0.70 and above)", 0.7, None),
    "medium": ("Medium (0.40 to 0.69)", 0.4, 0.7),
    "low": ("Low (below 0.40)", None, 0.4),
}


def score_band(score: float) -> str:
    return next(
        band
        for band, (_, low, high) in SCORE_BANDS.items()
        if (low is None or score >= low) and (high is None or score < high)
    )


def _narrow(qs: QuerySet[Claim], filters: dict[str, Any]) -> QuerySet[Claim]:
    article = (filters.get("article") or "").strip().lstrip("#")
    if article:
        qs = qs.filter(article_id=int(article)) if article.isdigit() else qs.filter(article__title__icontains=article)
    if filters.get("score") in SCORE_BANDS:
        _, low, high = SCORE_BANDS[filters["score"]]
        qs = qs.filter(score__gte=low) if low is not None else qs
        qs = qs.filter(score__lt=high) if high is not None else qs
    if filters.get("since"):
        qs = qs.filter(created_at__gte=_local_midnight(filters["since"]))
    if filters.get("until"):
        qs = qs.filter(created_at__lt=_local_midnight(filters["until"] + datetime.timedelta(days=1)))
    if filters.get("speaker"):
        qs = qs.filter(speaker__name__icontains=filters["speaker"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("rating"):
        qs = qs.filter(verdicts__rating=filters["rating"]).distinct()
    if filters.get("q"):
        qs = qs.filter(Q(text__icontains=filters["q"]) | Q(speaker__name__icontains=filters["q"]))
    if filters.get("source"):  # claims in articles a monitored source brought in
        qs = qs.filter(Exists(SourceItem.objects.filter(article_id=OuterRef("article_id"), source=filters["source"])))
    return qs


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def queue_counts(user: Actor) -> dict[str, int]:
    """How many of the user's claims are in each status, in one query."""
    rows = Claim.objects.filter(assignee=user).values_list("status").annotate(n=Count("pk")).order_by()
    return dict(rows)


def triage_claims(*, status: str = Claim.Status.CANDIDATE, filters: dict[str, Any] | None = None) -> QuerySet[Claim]:
    """Claims waiting for an editor, the most check-worthy first, each with its closest
    earlier match (a likely duplicate) prefetched."""
    qs = (
        Claim.objects.with_related()
        .filter(status=status)
        .prefetch_related(Prefetch("matches", queryset=ClaimMatch.objects.select_related("earlier").order_by("-score")))
        .order_by("-score", "-created_at")
    )
    return _narrow(qs, filters or {})


def workbench_people() -> QuerySet:
    """Active reviewers and editors: the people a claim can be assigned to."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[REVIEWER_GROUP, EDITOR_GROUP]) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


# Worklists: what waits for whom ----------------------------------------------------------

DUE_SOON_DAYS = 3
WORKLIST_PREVIEW = 5


@dataclass(frozen=True)
class Worklist:
    """A list of claims waiting for someone, as the home page and the navigation show it."""

    name: str
    title: str
    empty: str
    editors_only: bool = False


WORKLISTS = {
    w.name: w
    for w in (
        Worklist("approval", "Waiting for your approval", "No verdict waits for your approval.", editors_only=True),
        Worklist("returned", "Returned verdicts", "No verdict has been returned."),
        Worklist("overdue", "Overdue", "Nothing is overdue."),
        Worklist("due-soon", f"Due in the next {DUE_SOON_DAYS} days", "Nothing is due soon."),
        Worklist("candidates", "Candidates to triage", "No candidate claims wait for triage.", editors_only=True),
    )
}


def _submitted_by(user: Actor) -> Exists:
    """The claim's submitted verdict was written or last edited by `user` (who therefore
    cannot approve it: four eyes)."""
    return Exists(
        Verdict.objects.filter(claim=OuterRef("pk"), state=Verdict.State.SUBMITTED).filter(
            Q(author=user) | Q(last_edited_by=user)
        )
    )


def _voted_by(user: Actor) -> Exists:
    """`user` has a vote standing on the claim's submitted verdict: it waits for the other
    editors, not for them."""
    return Exists(
        VerdictVote.objects.filter(
            verdict__claim=OuterRef("pk"), verdict__state=Verdict.State.SUBMITTED, editor=user, withdrawn=False
        )
    )


def _changed_by(user: Actor) -> tuple[Exists, Exists]:
    """`user` edited the claim or its evidence since its submitted verdict was started, so
    four eyes keep them from approving it (as `workflow.verdict_contributors` says). Needs
    the `verdict_started` annotation."""
    claim_edits = Claim.history.model.objects.filter(
        id=OuterRef("pk"),
        history_user=user,
        history_change_reason="edited",
        history_date__gte=OuterRef("verdict_started"),
    )
    evidence_edits = Evidence.history.model.objects.filter(
        claim_id=OuterRef("pk"), history_user=user, history_date__gte=OuterRef("verdict_started")
    )
    return Exists(claim_edits), Exists(evidence_edits)


def _verdict_started() -> Subquery:
    submitted = Verdict.objects.filter(claim=OuterRef("pk"), state=Verdict.State.SUBMITTED)
    return Subquery(submitted.values("created_at")[:1])


def _returned() -> Exists:
    return Exists(Verdict.objects.filter(claim=OuterRef("pk"), state=Verdict.State.RETURNED))


def worklist_claims(user: Actor, name: str) -> QuerySet[Claim]:
    """The claims of worklist `name` for `user`. Editors see the whole desk's returned and
    overdue claims; a reviewer sees their own. Returned claims carry the comment that sent
    them back (`return_comment`, `return_comment_by`)."""
    editor = roles.is_editor(user)
    today = timezone.localdate()
    qs = Claim.objects.with_related()
    if name == "approval":
        qs = qs.filter(status=Claim.Status.SUBMITTED).annotate(verdict_started=_verdict_started())
        edited, evidence = _changed_by(user)
        qs = qs.exclude(_submitted_by(user)).exclude(_voted_by(user)).exclude(edited).exclude(evidence)
        order: list[Any] = ["-priority", "updated_at"]
    elif name == "candidates":
        return triage_claims()
    elif name == "returned":
        qs = qs.filter(_returned(), status=Claim.Status.IN_REVIEW)
        latest = Comment.objects.filter(claim=OuterRef("pk")).order_by("-created_at", "-pk")
        qs = qs.annotate(
            return_comment=Subquery(latest.values("body")[:1]),
            return_comment_by=Subquery(latest.values("author__username")[:1]),
        )
        order = ["-priority", "updated_at"]
    elif name == "overdue":
        qs = qs.filter(status__in=Claim.OPEN_STATUSES, due_date__lt=today)
        order = ["due_date", "-priority"]
    elif name == "due-soon":
        qs = qs.filter(status__in=Claim.OPEN_STATUSES, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        order = ["due_date", "-priority"]
    else:
        raise KeyError(name)
    if not (editor and name in ("approval", "returned", "overdue")):
        qs = qs.filter(assignee=user)
    return qs.order_by(*order, "pk")


def worklist_counts(user: Actor) -> dict[str, int]:
    """How many claims wait in each of `user`'s worklists (keys with "_" for "-") and in
    their own queue ("mine"), in one query: the navigation shows them on every page."""
    editor = roles.is_editor(user)
    today = timezone.localdate()
    mine = Q(assignee=user)
    desk = Q() if editor else mine
    open_ = Q(status__in=Claim.OPEN_STATUSES)
    counts: dict[str, Any] = {
        "mine": Count("pk", filter=mine & open_),
        "returned": Count("pk", filter=desk & Q(status=Claim.Status.IN_REVIEW, has_returned=True)),
        "overdue": Count("pk", filter=desk & open_ & Q(due_date__lt=today)),
        "due_soon": Count("pk", filter=mine & open_ & Q(due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))),
    }
    qs = Claim.objects.annotate(has_returned=_returned())
    if editor:
        qs = qs.annotate(verdict_started=_verdict_started())
        edited, evidence = _changed_by(user)
        qs = qs.annotate(
            mine_submitted=_submitted_by(user), voted=_voted_by(user), claim_edited=edited, evidence_edited=evidence
        )
        waiting = Q(
            status=Claim.Status.SUBMITTED, mine_submitted=False, voted=False, claim_edited=False, evidence_edited=False
        )
        counts["approval"] = Count("pk", filter=waiting)
        counts["candidates"] = Count("pk", filter=Q(status=Claim.Status.CANDIDATE))
    return qs.order_by().aggregate(**counts)
