"""Search across claims, quotes and speakers for the workbench.

Words in any order and any form ("evicted" finds "eviction"), every word required, the best
matches first, hits highlighted — the same on both databases: PostgreSQL's stemmed
full-text index ('english' configuration, ranked by ts_rank, highlighted by ts_headline),
SQLite's FTS5 tables (Porter stemming, bm25(), snippet()). Claims and quotes by a speaker
whose name holds one of the words come after the text matches, from a separate indexed
lookup (a UNION, not an OR that makes the planner scan every row). Counts stop at COUNT_CAP:
counting a million matches would cost more than the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Claim, Quote, Speaker
from ..retrieval import STOPWORDS

COUNT_CAP = 1000
SPEAKERS_AT_MOST = 200
# Private-use characters mark the hits in the database's output; the text is escaped before
# they become <mark> tags, so nothing in a claim can inject markup.
START, STOP = "\ue000", "\ue001"


def search_words(q: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", q.lower()) if w not in STOPWORDS][:12]


def highlight(text: str, *, entities: bool = False) -> SafeString:
    """Escaped text with the database's hit markers as <mark> tags. `entities`: the text
    comes with &, < and > as entities (PostgreSQL's headline, which would drop tags)."""
    html = escape(unescape(text) if entities else text)
    if html.count(START) != html.count(STOP):  # the text itself held a marker: show it plain
        return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 (escaped above)
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


@dataclass(frozen=True)
class Table:
    model: type
    table: str
    fts: str  # SQLite FTS5 table
    vector: str  # PostgreSQL tsvector expression, as its GIN index is built
    where: str = ""


CLAIMS = Table(Claim, "claims_claim", "claims_claim_fts", "x.search_vector", "AND x.status <> 'dismissed'")
QUOTES = Table(Quote, "claims_quote", "claims_quote_fts", "to_tsvector('english'::regconfig, COALESCE(x.text, ''))")


class Hits:
    """Search results a Paginator can page through: a capped count and, per page, the
    rows in rank order with their highlighted text (`item.highlighted`). Three queries per
    page: the count, the page's ids with highlights, the rows."""

    def __init__(self, table: Table, q: str, queryset: QuerySet) -> None:
        self.table, self.queryset = table, queryset
        words = search_words(q)
        names = Q()
        for word in words[:8]:
            if len(word) >= 3:
                names |= Q(name__icontains=word)
        self.speakers = (
            list(Speaker.objects.filter(names).values_list("pk", flat=True)[:SPEAKERS_AT_MOST]) if names else []
        )
        self.words = words
        if connection.vendor == "postgresql":
            self.query = " & ".join(words)  # letters and digits only: safe in to_tsquery
        else:
            self.query = " ".join(f'"{w}"' for w in words)  # FTS5: every word, any order
        self._count: int | None = None
        self._capped = False

    def _union(self) -> tuple[str, list]:
        """The text matches and then the speakers' other claims, with a score (lower first)
        and the text to highlight (SQLite highlights here, PostgreSQL on the page)."""
        t = self.table
        in_speakers = ", ".join(["%s"] * len(self.speakers)) or "NULL"
        if connection.vendor == "postgresql":
            query = "(SELECT to_tsquery('english', %s) AS query) q"
            text_hits = (
                f"SELECT x.id, -ts_rank({t.vector}, q.query)::float8 AS score, x.text AS body "
                f"FROM {t.table} x, {query} WHERE {t.vector} @@ q.query {t.where}"
            )
            speaker_hits = (
                f"SELECT x.id, 1e9::float8 AS score, x.text AS body FROM {t.table} x, {query} "
                f"WHERE x.speaker_id IN ({in_speakers}) AND NOT ({t.vector} @@ q.query) {t.where}"
            )
            params = [self.query, self.query, *self.speakers]
        else:
            fts = t.fts
            text_hits = (
                f"SELECT x.id, bm25({fts}) AS score, snippet({fts}, 0, '{START}', '{STOP}', '…', 40) AS body "
                f"FROM {fts} JOIN {t.table} x ON x.id = {fts}.rowid WHERE {fts} MATCH %s {t.where}"
            )
            speaker_hits = (
                f"SELECT x.id, 1e9 AS score, x.text AS body FROM {t.table} x "
                f"WHERE x.speaker_id IN ({in_speakers}) "
                f"AND x.id NOT IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) {t.where}"
            )
            params = [self.query, *self.speakers, self.query]
        return f"SELECT id, score, body FROM ({text_hits} UNION ALL {speaker_hits}) hits", params

    def count(self) -> int:
        if self._count is None:
            if not self.words:
                self._count = 0
            else:
                sql, params = self._union()
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {COUNT_CAP + 1}) capped", params)
                    found = cursor.fetchone()[0]
                    self._count, self._capped = min(found, COUNT_CAP), found > COUNT_CAP
        return self._count

    @property
    def capped(self) -> bool:
        self.count()
        return self._capped

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        if not self.words:
            return []
        start, stop = window.start or 0, window.stop if window.stop is not None else COUNT_CAP
        sql, params = self._union()
        body, head = "hits.body", []
        if connection.vendor == "postgresql":  # ts_headline on the page's rows only
            options = f"StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=20"
            # Entities first: ts_headline drops anything that looks like a tag.
            text = "replace(replace(replace(hits.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
            body, head = f"ts_headline('english', {text}, to_tsquery('english', %s), '{options}')", [self.query]
        sql = (
            f"SELECT hits.id, hits.score, {body} FROM ({sql}) hits ORDER BY hits.score, hits.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*head, *params, max(0, stop - start), start])
            rows = cursor.fetchall()
        found = self.queryset.in_bulk([pk for pk, _, _ in rows])
        items = []
        for pk, _, body in rows:
            if pk in found:
                item = found[pk]
                item.highlighted = highlight(body, entities=connection.vendor == "postgresql") if body else item.text
                items.append(item)
        return items


def search_claims(q: str) -> Hits:
    return Hits(CLAIMS, q, Claim.objects.with_related())


def search_quotes(q: str) -> Hits:
    return Hits(QUOTES, q, Quote.objects.select_related("speaker", "article"))


def search_speakers(q: str) -> QuerySet[Speaker]:
    qs = Speaker.objects.annotate(n_claims=Count("claims", distinct=True))
    matching = Q(name__icontains=q) | Q(aliases__alias__icontains=q) | Q(role__icontains=q)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(q, search_type="websearch", config="simple")
        vector = SearchVector("name", weight="A", config="simple") + SearchVector(
            "role", "organisation", weight="C", config="simple"
        )
        ids = Speaker.objects.filter(matching).values("pk")
        return qs.annotate(rank=SearchRank(vector, query)).filter(pk__in=ids).order_by("-rank", "name")
    ids = Speaker.objects.filter(matching).values("pk")
    return qs.filter(pk__in=ids).order_by("name")
