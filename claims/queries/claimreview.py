"""Loading published fact-checks for ClaimReview: the partner rows (`FactCheck.objects.for_partners()`)
with each one's earlier versions attached, for the public page, the API and the webhooks."""

from __future__ import annotations

from ..models import FactCheck, Verdict
from ..publishing.claimreview import PUBLISHED, Row, iso


def with_corrections(rows: list[Row]) -> list[Row]:
    """Attach each published row's earlier versions (newest first), in one query, made only
    when a row has been corrected (its revision is above 1)."""
    ids = [row["claim_id"] for row in rows if row["status"] == PUBLISHED and (row["verdict__revision"] or 1) > 1]
    found: dict[int, list[Row]] = {pk: [] for pk in ids}
    if ids:
        earlier = (
            Verdict.objects.filter(claim_id__in=ids, state=Verdict.State.SUPERSEDED)
            .order_by("claim_id", "-revision")
            .values_list("claim_id", "revision", "published_at", "rating__label", "headline", "changes")
        )
        for claim_id, revision, published_at, rating, headline, changes in earlier:
            found[claim_id].append(
                {
                    "version": revision,
                    "date_published": iso(published_at),
                    "rating": rating,
                    "headline": headline,
                    "changes": changes or [],
                }
            )
    for row in rows:
        row["corrections"] = found.get(row["claim_id"], [])
    return rows


def load(pk: int) -> Row | None:
    """One fact-check's row, with its corrections (for a webhook or a page)."""
    row = FactCheck.objects.for_partners().filter(pk=pk).first()
    return with_corrections([row])[0] if row is not None else None
