"""Reads for the reviewer workbench and the public speaker page: each page's data in a
fixed number of queries, whatever the amount of data (tests assert the counts).

Plain functions returning querysets or small dataclasses; the views stay thin.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from . import roles
from .charts import Bar
from .models import (
    EDITOR_GROUP,
    REVIEWER_GROUP,
    Article,
    Claim,
    ClaimMatch,
    Comment,
    Evidence,
    ExternalMatch,
    FactCheck,
    Quote,
    Rating,
    SourceItem,
    Speaker,
    Verdict,
    VerdictVote,
)

# Queue and triage ----------------------------------------------------------------------


def queue_claims(user: Any, *, filters: dict[str, Any] | None = None) -> QuerySet[Claim]:
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


def queue_counts(user: Any) -> dict[str, int]:
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


def _submitted_by(user: Any) -> Exists:
    """The claim's submitted verdict was written or last edited by `user` (who therefore
    cannot approve it: four eyes)."""
    return Exists(
        Verdict.objects.filter(claim=OuterRef("pk"), state=Verdict.State.SUBMITTED).filter(
            Q(author=user) | Q(last_edited_by=user)
        )
    )


def _voted_by(user: Any) -> Exists:
    """`user` has a vote standing on the claim's submitted verdict: it waits for the other
    editors, not for them."""
    return Exists(
        VerdictVote.objects.filter(
            verdict__claim=OuterRef("pk"), verdict__state=Verdict.State.SUBMITTED, editor=user, withdrawn=False
        )
    )


def _changed_by(user: Any) -> tuple[Exists, Exists]:
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


def worklist_claims(user: Any, name: str) -> QuerySet[Claim]:
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


def worklist_counts(user: Any) -> dict[str, int]:
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


# The claim page ------------------------------------------------------------------------


def figures_stated_differently(claim: Claim) -> list[dict[str, Any]]:
    """The article's inconsistencies (one quantity stated differently, e.g. 68%, 67.6% and
    67.65%) that touch this claim: one of their mentions lies in the claim's span."""
    if claim.article is None or claim.start is None:
        return []
    return [
        item
        for item in claim.article.inconsistencies
        if any(claim.start <= m.get("start", -1) < claim.end for m in item.get("mentions", []))
    ]


def claim_for_page(pk: int) -> Claim:
    """A claim with everything its page shows, fetched in a fixed number of queries."""
    published = Verdict.objects.published().select_related("rating")
    return (
        Claim.objects.with_related()
        .select_related("quote", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "verdicts",
                queryset=Verdict.objects.select_related(
                    "rating", "author", "approver", "last_edited_by"
                ).prefetch_related(Prefetch("votes", queryset=VerdictVote.objects.select_related("editor", "rating"))),
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch(
                "matches",
                queryset=ClaimMatch.objects.select_related("earlier__speaker")
                .prefetch_related(Prefetch("earlier__verdicts", queryset=published, to_attr="published"))
                .order_by("-score"),
            ),
            Prefetch("external_matches", queryset=ExternalMatch.objects.select_related("external").order_by("-score")),
        )
        .get(pk=pk)
    )


def open_verdict(claim: Claim) -> Verdict | None:
    """The verdict being worked on (draft, submitted or returned), from the prefetch."""
    open_states = (Verdict.State.DRAFT, Verdict.State.SUBMITTED, Verdict.State.RETURNED)
    return next((v for v in claim.verdicts.all() if v.state in open_states), None)


def published_verdict(claim: Claim) -> Verdict | None:
    return next((v for v in claim.verdicts.all() if v.state == Verdict.State.PUBLISHED), None)


CONTEXT_CHARS = 600


@dataclass(frozen=True)
class Context:
    """A window of the article around the claim: text before, the claim's span, after."""

    before: str
    span: str
    after: str
    cut_before: bool
    cut_after: bool


def claim_context(claim: Claim, chars: int = CONTEXT_CHARS) -> Context | None:
    article = claim.article
    if article is None or claim.start is None or claim.end is None or claim.end > len(article.body):
        return None
    body = article.body
    first = max(0, claim.start - chars)
    last = min(len(body), claim.end + chars)
    # Start and end on a paragraph or at least a word boundary so the window reads well.
    paragraph = body.rfind("\n", first, claim.start)
    if paragraph != -1:
        first = paragraph + 1
    elif first > 0:
        space = body.find(" ", first, claim.start)
        first = space + 1 if space != -1 else first
    paragraph = body.find("\n", claim.end, last)
    if paragraph != -1:
        last = paragraph
    elif last < len(body):
        space = body.rfind(" ", claim.end, last)
        last = space if space != -1 else last
    return Context(
        before=body[first : claim.start],
        span=body[claim.start : claim.end],
        after=body[claim.end : last],
        cut_before=first > 0,
        cut_after=last < len(body),
    )


# History ---------------------------------------------------------------------------------

HISTORY_LIMIT = 30
HIDDEN_FIELDS = {"version", "updated_at", "evidence_snapshot", "numbers", "score", "content_hash"}


@dataclass
class Change:
    when: Any
    who: Any
    what: str
    reason: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


def _changes(records: list, label) -> list[Change]:
    """Turn history records (newest first) into changes, each diffed against the previous
    record of the same object, in memory: no query per record."""
    previous: dict[int, Any] = {}
    changes = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        diffs = []
        if before is not None and record.history_type == "~":
            diffs = _diff(record, before)
        verb = {"+": "created", "~": "changed", "-": "removed"}[record.history_type]
        changes.append(
            Change(
                when=record.history_date,
                who=record.history_user,
                what=f"{label(record)} {verb}",
                reason=record.history_change_reason or "",
                fields=diffs,
            )
        )
        previous[record.id] = record
    return changes


def _field_names(record) -> set[str]:
    return {f.name for f in record.instance_type._meta.fields}


def _diff(record, before) -> list[list]:
    """[label, old, new, related model or None] for each changed field; foreign keys are
    ids here and get their names in `_name_foreign_keys`."""
    delta = record.diff_against(before, excluded_fields=HIDDEN_FIELDS & _field_names(record))
    rows = []
    for change in delta.changes:
        model_field = record.instance_type._meta.get_field(change.field)
        related = model_field.related_model if model_field.is_relation else None
        old, new = change.old, change.new
        if model_field.choices:  # "in_review" reads "In review"
            labels = dict(model_field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        rows.append([change.field.replace("_", " "), old, new, related])
    return rows


def _name_foreign_keys(rows: list[list], ratings: list[Rating] | None = None) -> list[tuple[str, Any, Any]]:
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
    changes = (
        _changes(claims, lambda r: "Claim")
        + _changes(verdicts, lambda r: f"Verdict r{r.revision}")
        + _changes(evidence, lambda r: f"Evidence “{(r.title or r.url)[:60]}”")
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    changes = changes[:limit]
    # Name the foreign keys of all changes at once: a query per related model, not per row.
    rows = [row for change in changes for row in change.fields]
    named = iter(_name_foreign_keys(rows, ratings))
    for change in changes:
        change.fields = [next(named) for _ in change.fields]
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


# Articles ----------------------------------------------------------------------------------


def article_for_page(pk: int) -> Article:
    return Article.objects.select_related("submitted_by").get(pk=pk)


@dataclass(frozen=True)
class Segment:
    """A run of article text under the same marks: the quote (and its speaker's colour)
    and the claim covering it, if any."""

    text: str
    quote: Quote | None
    claim: Claim | None
    colour: int | None


SPEAKER_COLOURS = 12


def speaker_colour(speaker_id: int) -> int:
    """A speaker's colour slot, the same on every page: derived from the speaker (not from
    the order they appear in), so a person reads in one colour everywhere. Speakers made
    together (one article's) have neighbouring ids and so different colours."""
    return speaker_id % SPEAKER_COLOURS


@dataclass(frozen=True)
class Legend:
    speakers: list[tuple[Speaker, int, int]]  # speaker, colour, quotes
    unattributed: int  # quotes with no speaker


def article_marks(article: Article) -> tuple[list[Segment], Legend, list[Claim], list[Quote]]:
    """The body cut into segments at every quote and claim boundary, the legend (speakers
    with their colour and quote count, and the quotes nobody is named for), the claims and
    the quotes. Two queries."""
    quotes = list(article.quotes.select_related("speaker").order_by("start"))
    claims = list(article.claims.select_related("speaker").exclude(start=None).order_by("start"))
    body = article.body
    counts: dict[int, int] = {}
    speakers: dict[int, Speaker] = {}
    for item in [*quotes, *claims]:
        if item.speaker_id is not None and item.speaker_id not in speakers:
            speakers[item.speaker_id] = item.speaker
        if isinstance(item, Quote) and item.speaker_id is not None:
            counts[item.speaker_id] = counts.get(item.speaker_id, 0) + 1
    valid_quotes = [q for q in quotes if 0 <= q.start < q.end <= len(body)]
    valid_claims = [c for c in claims if 0 <= c.start < c.end <= len(body)]
    cuts = sorted(
        {0, len(body), *(q.start for q in valid_quotes), *(q.end for q in valid_quotes)}
        | {c.start for c in valid_claims}
        | {c.end for c in valid_claims}
    )
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        quote = next((q for q in valid_quotes if q.start <= start and end <= q.end), None)
        claim = next((c for c in valid_claims if c.start <= start and end <= c.end), None)
        owner = quote or claim
        colour = speaker_colour(owner.speaker_id) if owner is not None and owner.speaker_id is not None else None
        segments.append(Segment(body[start:end], quote, claim, colour))
    legend = Legend(
        speakers=[(speakers[pk], speaker_colour(pk), counts.get(pk, 0)) for pk in speakers],
        unattributed=sum(1 for q in quotes if q.speaker_id is None),
    )
    return segments, legend, claims, quotes


# The public speaker page --------------------------------------------------------------

UNRATED_COLOUR = "#777777"
# Quotes a public page may show: from articles published on the web (they have an address)
# that no editor marked internal. Pasted or uploaded texts never show.
PUBLIC_QUOTES = Q(article__internal=False) & ~Q(article__url="")
QUOTE_MONTHS = 24  # the quotes chart covers at most the last two years of quotes


def speaker_ratings(*, speaker: Speaker) -> list[Bar]:
    """How the speaker's published fact-checks were rated: one bar per step of the scale,
    in its order and colours, zeros included so two speakers' charts compare. Retracted
    fact-checks are not published, so they never count."""
    counts = dict(
        FactCheck.objects.published()
        .filter(claim__speaker=speaker)
        .order_by()
        .values("verdict__rating")
        .annotate(n=Count("pk"))
        .values_list("verdict__rating", "n")
    )
    bars = [Bar(r.label, counts.get(r.pk, 0), r.colour) for r in Rating.objects.order_by("order", "pk")]
    if counts.get(None):
        bars.append(Bar("Unrated", counts[None], UNRATED_COLOUR))
    return bars


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def speaker_quotes_by_month(*, speaker: Speaker) -> tuple[list[str], list[int]]:
    """Quotes per month (when their article appeared, else when we stored it), empty months
    included, over at most the last `QUOTE_MONTHS` months that have quotes."""
    rows = (
        Quote.objects.filter(speaker=speaker)
        .filter(PUBLIC_QUOTES)
        .annotate(month=TruncMonth(Coalesce("article__published_at", "article__created_at")))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counts = {timezone.localtime(month).date(): n for month, n in rows}
    if not counts:
        return [], []
    months = _months_between(min(counts), max(counts))[-QUOTE_MONTHS:]
    return [m.strftime("%b %Y") for m in months], [counts.get(m, 0) for m in months]
