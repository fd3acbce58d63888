"""Published fact-checks exported in bulk, as CSV (for a newsroom's spreadsheet) or as JSON
Lines (one schema.org ClaimReview per line, exactly as the API and the public pages give it).

Exports stream: rows come from the database in chunks, as the same dicts the API reads
(`FactCheck.objects.for_partners()`, no model instances), and each becomes one line, so a
million fact-checks never sit in memory. The command `export_factchecks` and the admin's
export buttons both call `factchecks_export`.

"Since" means published or changed since: `changed_at >= since`. A fact-check's
`changed_at` is its last publication or correction and never precedes its first
publication, so this takes in both new fact-checks and corrected ones.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TypeGuard

from django.db.models import QuerySet
from django.utils import timezone

from ..models import PARTNER_FIELDS, FactCheck, FactCheckQuerySet
from .claimreview import Row, claim_review, frozen_claim, iso, page_url

Format = Literal["csv", "jsonl"]
FORMATS: dict[str, str] = {"csv": "text/csv", "jsonl": "application/jsonl"}


def is_format(value: str) -> TypeGuard[Format]:
    """Whether `value` names one of the FORMATS (a URL or an option gives a plain string)."""
    return value in FORMATS


CHUNK_SIZE = 2000

# The API's row fields less those neither the CSV nor ClaimReview reads, the long ones above
# all (analysis, evidence snapshot): the same rows, quicker to fetch and decode. Should
# `claim_review` come to read one of these, the test comparing JSON Lines with the API fails.
_UNUSED = (
    "retracted_at",
    "verdict__revision",
    "verdict__analysis",
    "verdict__evidence_snapshot",
    "verdict__changes",
    "claim__article__internal",
)
EXPORT_FIELDS = tuple(name for name in PARTNER_FIELDS if name not in _UNUSED)

# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS: tuple[tuple[str, Callable[[Row], Any]], ...] = (
    ("id", lambda row: row["claim_id"]),
    ("url", lambda row: page_url(row["claim__slug"])),
    ("claim", lambda row: frozen_claim(row)["statement"]),
    ("speaker", lambda row: row["claim__speaker__name"]),
    ("speaker_slug", lambda row: row["claim__speaker__slug"]),
    ("rating", lambda row: row["verdict__rating__label"]),
    ("rating_value", lambda row: row["verdict__rating__value"]),
    ("headline", lambda row: row["verdict__headline"]),
    ("first_published", lambda row: iso(row["first_published_at"])),
    ("last_changed", lambda row: iso(row["changed_at"])),
    ("article_url", lambda row: row["claim__article__url"]),
    ("article_title", lambda row: row["claim__article__title"]),
    ("article_outlet", lambda row: row["claim__article__outlet"]),
)
CSV_HEADER = tuple(name for name, _ in CSV_COLUMNS)


def since_parse(value: str) -> datetime.date:
    """A YYYY-MM-DD date, or ValueError with a message a person understands."""
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f'"{value}" is not a date; write it as YYYY-MM-DD, e.g. 2024-09-30.') from None


def factchecks_rows(
    *, since: datetime.date | None = None, base: FactCheckQuerySet | None = None
) -> QuerySet[FactCheck, Row]:
    """Published fact-checks as API rows, oldest publication first (ties by id, so the order
    is stable between runs). `base` narrows them further (the admin's current filters)."""
    queryset = (base if base is not None else FactCheck.objects.all()).published()
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        queryset = queryset.filter(changed_at__gte=start)
    return queryset.values(*EXPORT_FIELDS).order_by("first_published_at", "claim_id")


def factchecks_count(*, since: datetime.date | None = None, base: FactCheckQuerySet | None = None) -> int:
    """How many fact-checks an export with these arguments holds (one COUNT query)."""
    return factchecks_rows(since=since, base=base).order_by().count()


def cell_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a leading quote disarms a would-be formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


class _Echo:
    """A file whose write() hands the line back (Django's "streaming large CSV files")."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in rows:
        yield writer.writerow([cell_safe(value(row)) for _, value in CSV_COLUMNS])


def jsonl_lines(rows: Iterable[Row]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(claim_review(row), ensure_ascii=False) + "\n"


def factchecks_export(
    *,
    since: datetime.date | None = None,
    fmt: Format = "csv",
    base: FactCheckQuerySet | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[str]:
    """The export, line by line: for CSV a header, then one line per published fact-check.
    Reads the database lazily, `chunk_size` rows at a time (a server-side cursor on
    PostgreSQL), when the caller starts iterating."""
    if fmt not in FORMATS:
        raise ValueError(f'Unknown format "{fmt}"; choose one of: {", ".join(FORMATS)}.')
    rows = factchecks_rows(since=since, base=base).iterator(chunk_size=chunk_size)
    return csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)


def lines_batched(lines: Iterable[str], *, size: int = 500) -> Iterator[str]:
    """Lines joined `size` at a time: one write per batch instead of one per line."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def export_filename(*, fmt: Format, since: datetime.date | None = None, today: datetime.date | None = None) -> str:
    """e.g. fact-checks-2025-01-31.csv, or fact-checks-since-2024-12-01-2025-01-31.jsonl."""
    today = today or timezone.localdate()
    scope = f"since-{since.isoformat()}-" if since else ""
    return f"fact-checks-{scope}{today.isoformat()}.{fmt}"
