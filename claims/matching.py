"""Finding what says the same thing as a new claim ("already checked?"): earlier claims
(published fact-checks among them) and imported ClaimReview fact-checks.

A ranked search, not a filter: the claim's informative words (claims.retrieval), ORed, go
to the database's full-text index with stemming (PostgreSQL's 'english' configuration over
a stored tsvector, SQLite's FTS5 with Porter stemming), and the best CANDIDATES by the
index's own BM25 come back in one query, with the number of entries holding each word.
claims.retrieval then ranks them the same way on both databases: its own BM25 over the
same stems, and a learned weighing of that and of what the statements share (words, names,
figures, trigrams, an image). The top PER_CLAIM are kept with a score and the reasons they
matched, and only confident ones are shown as likely duplicates. Cost per claim is one
index lookup and a few dozen comparisons, however large the archive grows."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import combinations

from django.db import connection

from . import retrieval
from .models import Claim, ClaimMatch

PER_CLAIM = 5
# Candidates from the index, by database; claims.retrieval's BM25 keeps the best RERANK of
# them for the model. PostgreSQL's lookup ranks by nearly that BM25 (the same statistics; a
# term counted once per field, not per occurrence), so its best RERANK serve (the retrieval
# benchmark's figures did not move from 50); SQLite's bm25() weighs terms its own way and
# needs 50 (30 lost 0.008 of Recall@5).
CANDIDATES = {"postgresql": retrieval.RERANK, "sqlite": 50}
CLOSED = ("dismissed", "duplicate")
LIKELY = retrieval.LIKELY
# Below this agreement a candidate shares only common words: not worth a fact-checker's look.
MIN_SCORE = 0.25


@dataclass(frozen=True)
class Target:
    """Where candidates are looked up: the table, its full-text column (PostgreSQL, a
    stored tsvector) or table (SQLite, FTS5), and the text a candidate is compared by (its
    analysis, claims.retrieval.analysis_dump of that text, is stored with each row)."""

    table: str
    fts: str
    text: str
    second: str  # the field weighted B in PostgreSQL's tsvector (the first is A)


# A claim is compared by the sentence as found and the statement as checked (often empty);
# the models store the analysis of the same text (Claim.compared_text).
CLAIMS = Target(table="claims_claim", fts="claims_claim_fts", text="x.text || ' ' || x.statement", second="statement")
EXTERNAL = Target(
    table="claims_externalfactcheck",
    fts="claims_externalfactcheck_fts",
    text="x.claim_reviewed || ' ' || x.headline",
    second="headline",
)


# The lookup's filter takes the query's terms rarest first while their rows add up to at
# most a twentieth of the table, within FILTER_ROWS (at least the rarest term that occurs
# at all): common words would make the index hand over a large part of the table for
# little evidence, and testing a long OR of terms on every row cost more than ranking the
# few rows the rare terms find. Every term still counts in the ranking of what the filter
# finds (PostgreSQL in the lookup, both databases in the re-ranking). On PostgreSQL no
# lookup ranks more than FILTER_ROWS[1] rows, the latest its filter finds (when even the
# rarest term is that common): its cost then stops growing with the table. Below 500 rows
# the retrieval benchmark lost precision (0.007 of MAP@1 at 311 rows out of 10,375).
FILTER_SHARE = 0.05
FILTER_ROWS = (500, 2_000)


# ...unless even the rarest term is in more than CROWDED times that many rows (a claim all of
# whose words are common, in a large table): the filter then takes the rows holding two of
# its three rarest terms. Rows holding the rarest alone would all be read for the latest
# FILTER_ROWS[1] to be ranked: on a table of 5,000,000 generated claims 27 lookups in 1,000
# were such, one of which read 25,000 rows and cost twenty times a usual lookup; a row
# sharing only one of a claim's common words is the least likely to state the same thing.
# None of the retrieval benchmark's 800 lookups is such, even with FILTER_ROWS lowered to
# (20, 80) and CROWDED to 1.
CROWDED = 4


def _filter_groups(terms: list[str], docs: Sequence[float | None], rows: float) -> list[tuple[str, ...]]:
    """The filter for `terms`, given their estimated rows (None: unknown but rare): groups of
    terms, a row passing when it holds every term of any group."""
    limit = min(max(FILTER_SHARE * rows, FILTER_ROWS[0]), FILTER_ROWS[1])
    known = sorted((d if d is not None else 0.0, i) for i, d in enumerate(docs) if d is None or d > 0)
    if len(known) >= 2 and known[0][0] > CROWDED * limit:
        return list(combinations([terms[i] for i in sorted(i for _, i in known[:3])], 2))
    chosen: list[int] = []
    total = 0.0
    for found, i in known:
        if chosen and total + found > limit:
            break
        chosen.append(i)
        total += found
    return [(terms[i],) for i in sorted(chosen)] or [(t,) for t in terms]


def _sqlite_match(cursor, target: Target, terms: list[str], rows: float) -> tuple[str, dict[str, float]]:
    """The FTS5 query (the filter's groups of terms ORed, the terms of a group ANDed: see
    `_filter_groups`) and the entries holding each term, by its stem."""
    porter = [retrieval.porter(t) for t in terms]
    marks = ", ".join(["%s"] * len(porter))
    cursor.execute(f"SELECT term, doc FROM {target.fts}_vocab WHERE term IN ({marks})", porter)
    docs = dict(cursor.fetchall())
    counts = [float(docs.get(p, 0)) for p in porter]
    groups = _filter_groups(terms, counts, rows)
    match = " OR ".join("(" + " AND ".join(f'"{t}"' for t in group) + ")" for group in groups)
    return match, {retrieval.stem(t): n for t, n in zip(terms, counts, strict=True)}


# Term statistics: on PostgreSQL each term's share of rows from the statistics ANALYZE keeps
# on the tsvector column (the most common lexemes); a term not listed there is rarer, so the
# lookup counts its rows through the index. On both databases the rows in the table and the
# mean length of an entry in stems (of its latest entries, as claims.retrieval counts them)
# are kept a while per process, and on PostgreSQL, with them, the rows each unlisted term
# was counted in (`_counted`).
K1, B = retrieval.K1, retrieval.B  # the index's own ranking of candidates, before the re-ranking
STATISTICS_FOR = 600.0  # seconds a process keeps a table's statistics
# ...but only UNSETTLED_FOR while they say little: a table counted small, or (PostgreSQL)
# never analysed, so that no lexeme is listed and every term counts as rare (the filter takes
# them all, and each lookup counts each term's rows). A worker started on a new database
# kept those for ten minutes while the table grew to tens of thousands of claims: its
# lookups ranked 2,000 rows with terms counted in rows that outnumbered the table's (idf 0).
# Five seconds, so that a lookup soon finds a new table grown past its statistics and has
# them worked out again (ANALYSE_AFTER): with 30, a fresh table's lookups cost twice as
# much over its first minute.
UNSETTLED_FOR = 5.0
# ...and settled statistics of a table that is still small only as long as a busy pipeline
# (GROWTH claims a second) takes to add half as many rows again. Workers that read them at
# about 20,000 claims kept them ten minutes while the table grew past 250,000, every term's
# rows taken for a tenth of what they were, so that the filters took far more rows than
# they should: the pipeline ran at 4 to 6 articles a second in those minutes, 13 after.
GROWTH = 1_000.0
SAMPLE = 500  # latest entries whose length gives the mean
# PostgreSQL's statistics of a table that has changed by half as many rows as they counted
# (and by at least ANALYSE_AFTER[0] rows) are worked out again by the lookup that finds them
# so: autovacuum looks at a table once a minute, and a new table filling fast (a newsroom's
# archive imported) went a minute with statistics counting none of its rows, when each
# lookup cost six times what it did after ANALYZE (every term ORed in its filter).
ANALYSE_AFTER = (1_000, 0.5)
# ...in the matching job only (`analysing`): a page that matches what ingestion left for later
# must not keep its reader waiting for ANALYZE.
_analysing: ContextVar[bool] = ContextVar("analysing", default=False)


@contextmanager
def analysing() -> Iterator[None]:
    """Let the lookups made inside have a table's statistics worked out again (ANALYSE_AFTER)."""
    token = _analysing.set(True)
    try:
        yield
    finally:
        _analysing.reset(token)


# expiry, shares, rows, mean length, and the rows counted per unlisted term (None: unsettled)
_statistics: dict[str, tuple[float, dict[str, float], float, float, dict[str, float] | None]] = {}
# An unlisted term is not always rare: in a table of 5,000,000 claims the least common
# lexeme ANALYZE lists is in about 8,000 rows, and counting a term's 2,800 rows read 2,400
# heap pages, 54 to 72 ms of a 65 to 85 ms lookup. A worker's lookups meet the same terms
# again and again (the places and figures of the day's news), so each count is kept as
# long as the table's statistics (at most COUNTED_TERMS terms), once they are settled (a
# small table's counts are cheap, and it grows fast).
COUNTED_TERMS = 100_000


def _term_statistics(cursor, table: str) -> tuple[dict[str, float], float, float]:
    """(share of rows per common lexeme (PostgreSQL), rows in the table, mean length in stems)."""
    cached = _statistics.get(table)
    if cached and time.monotonic() < cached[0]:
        return cached[1], cached[2], cached[3]
    shares: dict[str, float] = {}
    rows = 0.0
    text = {t.table: t for t in (CLAIMS, EXTERNAL)}[table].text
    if connection.vendor == "postgresql":
        elems, freqs, rows, changed = _lexeme_statistics(cursor, table)
        stale = changed >= max(ANALYSE_AFTER[0], ANALYSE_AFTER[1] * rows)
        if stale and _analysing.get() and not connection.in_atomic_block:
            # Not inside a transaction, which would hold the lock it takes to its end. A
            # lookup that finds another session's ANALYZE running goes on without.
            cursor.execute(f"ANALYZE (SKIP_LOCKED) {table}")
            elems, freqs, rows, changed = _lexeme_statistics(cursor, table)
        shares = dict(zip(elems, freqs, strict=False)) if elems and freqs else {}
        rows = max(rows, 0.0)
    # Never analysed, or small: count. The sample comes back in the same round trip.
    cursor.execute(
        f"SELECT {text}, CASE WHEN %s < 1000 THEN (SELECT count(*) FROM {table}) END "
        f"FROM {table} x ORDER BY x.id DESC LIMIT {SAMPLE}",
        [rows],
    )
    sample = cursor.fetchall()
    if sample and sample[0][1] is not None:
        rows = float(sample[0][1])
    lengths = [len(retrieval.stem_list(body or "")) for body, _ in sample]
    mean = sum(lengths) / len(lengths) if lengths else 10.0
    unsettled = rows < 1000 or (connection.vendor == "postgresql" and not shares)
    expires = time.monotonic() + _kept_for(rows, unsettled)
    _statistics[table] = (expires, shares, float(max(rows, 1)), mean or 10.0, None if unsettled else {})
    return shares, float(max(rows, 1)), mean or 10.0


def _lexeme_statistics(cursor, table: str) -> tuple[list[str] | None, list[float] | None, float, int]:
    """The most common lexemes ANALYZE listed for `table`'s tsvector and their shares of its
    rows, the rows it counted (-1: never analysed), and the rows changed since."""
    cursor.execute(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples, "
        "pg_stat_get_mod_since_analyze(c.oid) FROM pg_class c "
        "LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = %s "
        "AND s.attname = 'search_vector' WHERE c.oid = %s::regclass",
        [table, table],
    )
    elems, freqs, rows, changed = cursor.fetchone()
    return elems, freqs, float(rows), int(changed)


def _kept_for(rows: float, unsettled: bool) -> float:
    """Seconds a process keeps the statistics of a table of `rows` rows."""
    if unsettled:
        return UNSETTLED_FOR
    return min(STATISTICS_FOR, max(UNSETTLED_FOR, rows / 2 / GROWTH))


def _counted(table: str) -> dict[str, float]:
    """The rows each unlisted term of `table` was counted in, while its statistics hold (a
    dict the lookups add to; a new one with new statistics, none while they are unsettled)."""
    cached = _statistics.get(table)
    counted = cached[4] if cached else None
    return counted if counted is not None and len(counted) < COUNTED_TERMS else {}


# PostgreSQL's own stem of each term, kept per process (at most LEXEMES): the statistics
# list its lexemes, and its Snowball "english" stems some words unlike the Python one
# ("added": `ad` there, `add` here), which made a word in 5% of the claims look rarer than
# every listed lexeme and the filter take it alone (147,206 rows of 3,000,000).
_lexemes: dict[str, str] = {}
LEXEMES = 100_000


def _lexemes_fetch(cursor, terms: Iterable[str]) -> None:
    """PostgreSQL's stems of the `terms` not yet known, in one round trip."""
    missing = sorted({t for t in terms if t not in _lexemes})
    if not missing:
        return
    if len(_lexemes) + len(missing) > LEXEMES:
        _lexemes.clear()
    cursor.execute(
        "SELECT u.t, COALESCE((ts_lexize('english_stem', u.t))[1], u.t) FROM unnest(%s::text[]) AS u(t)", [missing]
    )
    _lexemes.update(cursor.fetchall())


def _postgres_params(cursor, target: Target, terms: list[str]) -> dict:
    shares, rows, mean = _term_statistics(cursor, target.table)
    if shares:
        _lexemes_fetch(cursor, terms)
    # (a term another thread's clearing took away meanwhile goes by the Python stem)
    listed = [shares.get(_lexemes.get(t) or retrieval.stem(t)) for t in terms] if shares else [None] * len(terms)
    counted = _counted(target.table)
    docs = [share * rows if share is not None else counted.get(t) for t, share in zip(terms, listed, strict=True)]
    # The filter goes by the rows an unlisted term was counted in, once a lookup has counted
    # them; until then by the least common listed lexeme's (an unlisted term is rarer).
    floor = min(shares.values()) * rows if shares else None
    groups = _filter_groups(terms, [d if d is not None else floor for d in docs], rows)
    match = " | ".join("(" + " & ".join(group) + ")" for group in groups)
    # Each term on its own too, for its part of the rank (`_term_rank`); None past the last.
    each = {f"term_{n}": terms[n - 1] if n <= len(terms) else None for n in range(1, MOST_TERMS + 1)}
    return {"match": match, "terms": terms, "docs": docs, "rows": rows, "mean": mean} | each


# query_terms gives at most this many terms: SQL for an unknown count has a part for each.
MOST_TERMS = 32


def _term_rank(n: int) -> str:
    """Term `n`'s part of a row's BM25: 0 unless the row holds it (every row the filter finds
    holds one of the terms, so no rank is the NULL of sum() over none). The term comes as a
    parameter of its own (`term_<n>`, NULL past the query's last term: its part adds 0), so
    its queries are constants once the statement is planned; its idf is read from the
    lookup's one row `w`."""
    term = f"%(term_{n})s::text"
    return (
        f"CASE WHEN h.v @@ to_tsquery('english', {term}) THEN w.idf[{n}] * CASE WHEN h.second "
        f"AND h.v @@ to_tsquery('english', {term} || ':A & ' || {term} || ':B') "
        "THEN h.two ELSE h.one END ELSE 0 END"
    )


def _lookup_sql(target: Target, where: str, terms: int = MOST_TERMS) -> str:
    """One round trip: the best CANDIDATES by the index's own relevance (PostgreSQL: among
    the latest FILTER_ROWS[1] rows the filter finds), each with its text and stored
    analysis, and (PostgreSQL, with the first only: reading the same array with each row
    cost the worker more than the rest of the row) the entries holding each query term, in
    the order of the terms. `terms`: how many the query has (PostgreSQL).

    PostgreSQL's BM25 counts a term once per field (its sentence, weight A; its statement,
    weight B): a term's frequency is 2 when it is in both, else 1. A row's rank is one
    expression with a part per term (`_term_rank`), added up in the terms' order as sum()
    over the terms did: the same ranks to the bit. Per row that costs a test per term, a
    second only for a term it holds and only when its second field is not empty (most
    claims have no statement as checked), and the two values of a term's saturation
    (`one`, `two`), worked out with the row. A subquery over the terms for each row, with
    the saturation worked out again for each term it held and B a numeric literal (which
    made `B * length` a numeric, turned into a float8 through its text), cost the server
    two fifths more CPU on a 50,000-claim table (2,000 rows ranked) and as much on the
    retrieval benchmark's 10,375 fact-checks (500 rows), where planning the expression
    takes back most of what it saves per row."""
    if connection.vendor == "postgresql":
        return f"""
            WITH u AS (
                SELECT u.n, to_tsquery('english', u.term) AS query, u.df
                FROM unnest(%(terms)s::text[], %(docs)s::float8[]) WITH ORDINALITY AS u(term, df, n)
            ), q AS MATERIALIZED (
                SELECT u.n, u.query, COALESCE(u.df, c.df) AS df,
                    ln(1 + GREATEST(0, %(rows)s::float8 - COALESCE(u.df, c.df) + 0.5)
                        / (COALESCE(u.df, c.df) + 0.5)) AS idf
                FROM u LEFT JOIN LATERAL (
                    SELECT count(*) AS df FROM {target.table} y WHERE u.df IS NULL AND y.search_vector @@ u.query
                ) c ON true
            ), hits AS (
                SELECT x.id, x.search_vector AS v, x.{target.second} <> '' AS second,
                    {K1 + 1} / (1 + {K1} * (1 - {B} + {B}::float8 * length(x.search_vector) / %(mean)s::float8)) AS one,
                    {2 * (K1 + 1)} / (2 + {K1} * (1 - {B} + {B}::float8 * length(x.search_vector) / %(mean)s::float8))
                        AS two
                FROM {target.table} x
                WHERE x.search_vector @@ to_tsquery('english', %(match)s) {where}
                ORDER BY x.id DESC LIMIT {FILTER_ROWS[1]}
            ), ranked AS (
                SELECT h.id, {" + ".join(_term_rank(n) for n in range(1, terms + 1))} AS rank
                FROM hits h CROSS JOIN (SELECT array_agg(q.idf ORDER BY q.n) AS idf FROM q) w
                ORDER BY rank DESC, h.id DESC LIMIT {CANDIDATES["postgresql"]}
            )
            SELECT x.id, {target.text}, r.rank,
                CASE WHEN row_number() OVER (ORDER BY r.rank DESC, x.id DESC) = 1
                    THEN (SELECT array_agg(q.df ORDER BY q.n) FROM q) END,
                x.analysis
            FROM ranked r JOIN {target.table} x ON x.id = r.id
            ORDER BY r.rank DESC, x.id DESC"""
    # bm25() is lower for better matches.
    return f"""
        SELECT x.id, {target.text}, -bm25({target.fts}) AS rank, NULL, x.analysis
        FROM {target.fts} JOIN {target.table} x ON x.id = {target.fts}.rowid
        WHERE {target.fts} MATCH %(match)s {where}
        ORDER BY bm25({target.fts}), x.id DESC
        LIMIT {CANDIDATES["sqlite"]}"""


def _prepare(cursor, target: Target, terms: list[str]) -> tuple[dict, float, float, dict[str, float] | None]:
    """The lookup's parameters for `terms`, with the table's rows and mean length and (SQLite)
    the entries holding each term; PostgreSQL sends those back with the candidates."""
    if connection.vendor == "postgresql":
        values = _postgres_params(cursor, target, terms)
        return values, values["rows"], values["mean"], None
    _, rows, mean = _term_statistics(cursor, target.table)
    match, docs = _sqlite_match(cursor, target, terms, rows)
    return {"match": match}, rows, mean, docs


def _ranked(
    text: str,
    terms: list[str],
    found: list,
    rows: float,
    mean: float,
    docs: dict[str, float] | None,
    keep: int | None,
    table: str,
) -> list[retrieval.Scored]:
    if not found:
        return []
    if docs is None:  # PostgreSQL: the counts came back with the candidates
        counted: list[float | None] = next((row[3] for row in found if row[3] is not None), [])
        docs = {retrieval.stem(t): float(n or 0) for t, n in zip(terms, counted, strict=False)}
        _counted(table).update((t, float(n)) for t, n in zip(terms, counted, strict=False) if n is not None)
    statistics = retrieval.Statistics(rows=rows, mean=mean, docs=docs)
    return retrieval.rerank(
        text,
        [(pk, body or "", float(rank or 0)) for pk, body, rank, _, _ in found],
        statistics,
        analyses=[analysis for *_, analysis in found],
        keep=keep,
    )


def candidates_find(
    *,
    text: str,
    target: Target = CLAIMS,
    where: str = "",
    params: dict | None = None,
    cursor=None,
    keep: int | None = None,
) -> list[retrieval.Scored]:
    """The entries of `target` most likely to state what `text` states, best first, each
    with a score 0..1 and its reasons. `where` narrows the candidates (`x`, with `params`);
    `keep` returns only the best `keep` (the re-ranker then works out less of the rest)."""
    terms = retrieval.query_terms(text)
    if not terms:
        return []
    if cursor is None:
        with connection.cursor() as own:
            return candidates_find(text=text, target=target, where=where, params=params, cursor=own, keep=keep)
    values, rows, mean, docs = _prepare(cursor, target, terms)
    cursor.execute(_lookup_sql(target, where, len(terms)), values | (params or {}))
    return _ranked(text, terms, cursor.fetchall(), rows, mean, docs, keep, target.table)


# Lookups sent in one statement on PostgreSQL: an article's claims (about 25) in one round
# trip, each lookup planned and run exactly as alone.
BATCH = 50
_PARAM = re.compile(r"%\((\w+)\)s")


def _numbered(sql: str, k: int) -> str:
    """`sql` with each parameter renamed `<name>_<k>`, so k copies share one statement."""
    return _PARAM.sub(lambda m: f"%({m.group(1)}_{k})s", sql)


def candidates_find_many(
    *, queries: list[tuple[str, dict]], target: Target = CLAIMS, where: str = "", cursor, keep: int | None = None
) -> list[list[retrieval.Scored]]:
    """`candidates_find` for each (text, params) of `queries`, in order. On PostgreSQL the
    lookups go to the database together, BATCH to a statement (UNION ALL of the same query,
    each with its own parameters): under load a job's time went mostly to waiting for one
    answer per claim. The candidates and their ranking are those of `candidates_find`."""
    if connection.vendor != "postgresql":
        return [
            candidates_find(text=t, target=target, where=where, params=p, cursor=cursor, keep=keep) for t, p in queries
        ]
    results: list[list[retrieval.Scored]] = [[] for _ in queries]
    prepared = []
    terms_of = [retrieval.query_terms(text) for text, _ in queries]
    if _term_statistics(cursor, target.table)[0]:
        _lexemes_fetch(cursor, [t for terms in terms_of for t in terms])  # the article's at once
    for n, ((text, params), terms) in enumerate(zip(queries, terms_of, strict=True)):
        if terms:
            values, rows, mean, _ = _prepare(cursor, target, terms)
            prepared.append((n, text, terms, values | params, rows, mean))
    for start in range(0, len(prepared), BATCH):
        chunk = prepared[start : start + BATCH]
        parts, values = [], {}
        for k, (_, _, terms, params, _, _) in enumerate(chunk):
            sql = _numbered(_lookup_sql(target, where, len(terms)), k)
            parts.append(f"SELECT {k}, s.* FROM ({sql}) AS s(id, body, rank, docs, analysis)")
            values |= {f"{name}_{k}": value for name, value in params.items()}
        cursor.execute("\nUNION ALL\n".join(parts), values)
        found: list[list] = [[] for _ in chunk]
        for k, *row in cursor.fetchall():
            found[k].append(row)
        for (n, text, terms, _, rows, mean), rows_found in zip(chunk, found, strict=True):
            results[n] = _ranked(text, terms, rows_found, rows, mean, None, keep, target.table)
    return results


# "+ 0": filter the index's hits, never walk the primary key.
EARLIER_OPEN = (
    "AND x.id + 0 < %(before)s AND (x.article_id IS NULL OR x.article_id <> %(article)s) "
    f"AND x.status NOT IN {CLOSED!r}"
)


def similar_to(
    claims: Sequence[tuple[int, int | None, str]], *, target: Target = CLAIMS
) -> list[tuple[int, int, float]]:
    """(source id, match id, score) for each (id, article id, text) in `claims`: the top
    PER_CLAIM matches among earlier open claims of other articles, or among imported
    fact-checks. One indexed lookup per claim, sent together (`candidates_find_many`)."""
    where = EARLIER_OPEN if target is CLAIMS else ""
    queries = [
        (text, {"before": pk, "article": article_id if article_id is not None else -1} if target is CLAIMS else {})
        for pk, article_id, text in claims
    ]
    with connection.cursor() as cursor:
        found = candidates_find_many(queries=queries, target=target, where=where, cursor=cursor, keep=PER_CLAIM)
    return [
        (pk, hit.id, hit.score)
        for (pk, _, _), hits in zip(claims, found, strict=True)
        for hit in hits[:PER_CLAIM]
        if hit.score >= MIN_SCORE
    ]


def claims_match(*, claim_ids: list[int]) -> int:
    """Link each claim to the earlier claims that say most nearly the same thing. Returns the
    links made."""
    claims = list(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "article_id", "text"))
    if not claims:
        return 0
    links = [ClaimMatch(claim_id=pk, earlier_id=earlier, score=score) for pk, earlier, score in similar_to(claims)]
    ClaimMatch.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def claims_match_pending(*, claims: Iterable[Claim]) -> list[int]:
    """Match now those of `claims` (as loaded) that matching at ingestion left for later,
    against earlier claims and imported fact-checks, as the matching job does, and mark
    them matched. Returns their ids: the caller reads their matches again when any."""
    pending = [claim.pk for claim in claims if claim.matches_pending]
    if not pending:
        return []
    from .external import external_match_claims  # claims.external builds on this module

    external_match_claims(claim_ids=pending)
    claims_match(claim_ids=pending)
    Claim.objects.filter(pk__in=pending).update(matches_pending=False)
    return pending
