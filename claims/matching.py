"""Finding earlier claims that say the same thing as a new one ("already checked?").

On PostgreSQL, candidates come from the full-text index: earlier claims containing the new
claim's figures and its longest words, at most CANDIDATES of them, ranked by trigram
similarity, in one query per job. The cost stays bounded however large the archive
grows. SQLite, the embedded default, compares word overlap with recent claims instead.
"""

from __future__ import annotations

from django.db import connection

from .models import Claim, ClaimMatch, normalize_name

THRESHOLD = 0.45  # similarity (0..1) from which two claims count as the same
PER_CLAIM = 5
CANDIDATES = 20
RECENT_ON_SQLITE = 5000
CLOSED = ("dismissed", "duplicate")


def similar_sql(*, source: str, source_text: str, target: str, target_text: str, where: str = "") -> str:
    """For each source row (one per id and its key terms), the top matches among at most
    CANDIDATES target rows that the target's full-text index finds sharing those terms;
    similarity() runs once on each of those only ("OFFSET 0" keeps the scored subquery
    whole, else the planner computes it in the filter and again in the output). One query
    for a whole batch. `where` narrows the targets (`x`) relative to the source row (`s`)."""
    return f"""
SELECT n.id, m.id, m.score
FROM unnest(%(ids)s::bigint[], %(terms)s::text[]) AS n(id, terms)
JOIN {source} s ON s.id = n.id
CROSS JOIN LATERAL (
    SELECT scored.id, scored.score FROM (
        SELECT cand.id, similarity(cand.body, s.{source_text}) AS score
        FROM (
            SELECT x.id, x.{target_text} AS body FROM {target} x
            WHERE to_tsvector('simple'::regconfig, COALESCE(x.{target_text}, '')) @@ plainto_tsquery('simple', n.terms)
              {where}
            ORDER BY x.id + 0 DESC  -- "+ 0": walking the primary key backwards and testing every
            LIMIT {CANDIDATES}       -- row (the planner's guess for rare terms) took seconds
        ) cand
        OFFSET 0
    ) scored
    WHERE scored.score >= {THRESHOLD}
    ORDER BY scored.score DESC
    LIMIT {PER_CLAIM}
) m
"""


# Earlier claims of other articles, still open. "+ 0": filter rows, don't AND a bitmap of
# every older id.
SIMILAR_SQL = similar_sql(
    source="claims_claim",
    source_text="text",
    target="claims_claim",
    target_text="text",
    where=f"AND x.id + 0 < s.id AND x.article_id IS DISTINCT FROM s.article_id AND x.status NOT IN {CLOSED!r}",
)


def similar_rows(sql: str, *, ids: list[int], source: str, source_text: str, batch: int = 500) -> list[tuple]:
    """(source id, target id, score) for `ids`, running `sql` (from `similar_sql`) on each
    batch with the key terms of its rows."""
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch):
            cursor.execute(
                f"SELECT id, tsvector_to_array(to_tsvector('simple', {source_text})) FROM {source} WHERE id = ANY(%s)",
                [ids[start : start + batch]],
            )
            terms = {pk: key_terms(lexemes or []) for pk, lexemes in cursor.fetchall()}
            terms = {pk: t for pk, t in terms.items() if t}
            if terms:
                cursor.execute(sql, {"ids": list(terms), "terms": list(terms.values())})
                found += cursor.fetchall()
    return found


def key_terms(lexemes: list[str], most: int = 3) -> str:
    """The terms a restatement of the same claim would share: its figures first (up to two),
    then its longest words."""
    numbers = [x for x in lexemes if any(c.isdigit() for c in x)]
    words = sorted((x for x in lexemes if x.isalpha() and len(x) > 3), key=lambda w: (-len(w), w))
    return " ".join((numbers[:2] + words)[:most])


def _similar_postgres(claims: list[Claim]) -> dict[int, list[tuple[int, float]]]:
    found: dict[int, list[tuple[int, float]]] = {}
    rows = similar_rows(SIMILAR_SQL, ids=[c.pk for c in claims], source="claims_claim", source_text="text")
    for pk, earlier, score in rows:
        found.setdefault(pk, []).append((earlier, score))
    return found


def _words(text: str) -> set[str]:
    return {w for w in normalize_name(text).split() if len(w) > 2}


def _similar_plain(claims: list[Claim]) -> dict[int, list[tuple[int, float]]]:
    recent = list(
        Claim.objects.exclude(status__in=CLOSED)
        .order_by("-pk")
        .values_list("pk", "article_id", "text")[:RECENT_ON_SQLITE]
    )
    found = {}
    for claim in claims:
        words = _words(claim.text)
        scored = []
        for pk, article_id, text in recent:
            if pk >= claim.pk or (article_id is not None and article_id == claim.article_id):
                continue
            other = _words(text)
            if words and other:
                similarity = len(words & other) / len(words | other)
                if similarity >= THRESHOLD:
                    scored.append((pk, similarity))
        found[claim.pk] = sorted(scored, key=lambda item: -item[1])[:PER_CLAIM]
    return found


def claims_match(*, claim_ids: list[int]) -> int:
    """Link each claim to earlier claims that say much the same thing. Returns the links made."""
    claims = list(Claim.objects.filter(pk__in=claim_ids).only("pk", "text", "article_id"))
    if not claims:
        return 0
    found = _similar_postgres(claims) if connection.vendor == "postgresql" else _similar_plain(claims)
    links = [
        ClaimMatch(claim_id=pk, earlier_id=earlier, score=round(min(1.0, score), 3))
        for pk, matches in found.items()
        for earlier, score in matches
    ]
    ClaimMatch.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)
