"""Build a realistic corpus in PostgreSQL for benchmarks, fast (COPY, not per-row inserts).

    DATABASE_URL=postgres://... python bench/generate_corpus.py --articles 10000

Articles of 300 to 3,000 words with direct and reported quotes and numbers; speakers with
aliases; claims in every workflow state (about --claims-per-article each) with verdicts
(published, superseded corrections, drafts, submitted) and evidence. Offsets of quotes and
claims index into the generated bodies, as the extractor's would. Prints rows and timings.
Published claims get their public record (FactCheck). Audit history is not generated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402

from claims import retrieval  # noqa: E402
from claims.models import Claim, Rating, normalize_name  # noqa: E402

FIRST = "Anna Ben Carla David Elena Farid Grace Hugo Ines Jonas Kemi Liam Maria Nils Olga Pedro Rosa Samir".split()
LAST = (
    "Adler Bauer Castro Dimitrov Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lopez Moreau Novak Okafor "
    "Petrov Quinn Rossi Silva Tanaka Umar Varga Weber Xu Yilmaz Zhang"
).split()
ROLES = [
    "Finance Minister",
    "Health Minister",
    "Senator",
    "Mayor",
    "spokesperson",
    "Prime Minister",
    "central bank governor",
    "opposition leader",
    "chief executive",
    "union leader",
]
TOPICS = [
    "unemployment",
    "inflation",
    "the defence budget",
    "hospital waiting lists",
    "crime",
    "house prices",
    "carbon emissions",
    "the deficit",
    "school funding",
    "migration",
]
# Where a claim or a background sentence is about: as in real news, a few places often and
# a long tail rarely. The lookup for "already checked?" filters by a claim's rarest words,
# so how often those recur decides its cost: in the 10,375 claims Snopes checked (the
# claim-retrieval collection) a claim's rarest word is in a median 0.01% of the others (p90
# 0.08%); when every sentence was about one of the 30 PLACES below, 0.8% (p90 1.2%), and a
# lookup read ever more rows as the table grew. `--narrow` keeps that old vocabulary, the
# worst case.
SYLLABLES = (
    "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
    "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu"
).split()
TAIL = len(SYLLABLES) ** 3  # 216,000 places, three syllables each
NARROW = False


def place(rng: random.Random) -> str:
    """A place name: the n-th of TAIL with probability about proportional to 1/n (Zipf's law)."""
    if NARROW:
        return rng.choice(PLACES)
    n = int((TAIL + 1) ** rng.random()) - 1
    a, b, c = n // len(SYLLABLES) ** 2, n // len(SYLLABLES) % len(SYLLABLES), n % len(SYLLABLES)
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c]).capitalize() + "ville"


UNITS = ["%", " billion euros", " million dollars", " trillion rubles", " people", " km"]
CUES = ["said", "told reporters", "claimed", "announced", "stated", "added"]
# Background sentences between the checkable ones, from a vocabulary wide enough that two
# articles rarely share more than their topic (a few templates over a few words made every
# claim look like every other and matching slower than on real news).
PLACES = (
    "Lisbon Porto Lyon Ghent Utrecht Leipzig Kraków Brno Tartu Riga Malmö Aarhus Bergen Turku Cork Galway Seville "
    "Bilbao Turin Bologna Graz Linz Basel Geneva Ljubljana Zagreb Plovdiv Cluj Debrecen Kaunas"
).split()
GROUPS = (
    "teachers nurses farmers pensioners commuters landlords tenants students economists engineers doctors "
    "shopkeepers fishermen builders retailers truckers midwives librarians exporters startups"
).split()
THINGS = (
    "railway timetable harbour expansion broadband rollout pension reform tram network flood barrier tax "
    "allowance rent control bridge repair grain harvest wind farm ferry service school canteen clinic "
    "merger border checkpoint water tariff bus fleet market hall recycling scheme steel plant hospital wing"
).split()
VERBS = (
    "questioned welcomed criticised postponed reviewed defended endorsed doubted celebrated debated "
    "protested examined supported challenged"
).split()
QUALIFIERS = ("cautiously openly repeatedly privately publicly narrowly unexpectedly quietly sharply firmly").split()
FILLER_TEMPLATES = [
    "In {place}, {group} {qualifier} {verb} the {thing} {thing2}.",
    "Local {group} in {place} have {verb} the plan for a new {thing} {thing2} since the spring.",
    "The {thing} {thing2} in {place} was {qualifier} {verb} by {group} at a public meeting.",
    "Residents of {place} followed the debate over the {thing} {thing2} closely.",
    "Officials in {place} {qualifier} declined to comment on the {thing} {thing2}.",
    "A spokesperson for the {group} of {place} {verb} the timing of the {thing} {thing2}.",
]
STATES = [
    ("candidate", 60),
    ("accepted", 8),
    ("assigned", 8),
    ("in_review", 6),
    ("submitted", 4),
    ("published", 10),
    ("dismissed", 3),
    ("duplicate", 1),
]


def number(rng: random.Random) -> str:
    value = rng.choice([f"{rng.randint(2, 99)}", f"{rng.uniform(0.5, 99):.1f}", f"{rng.randint(1, 900):,}"])
    return rng.choice(["", "about ", "more than ", "nearly "]) + value + rng.choice(UNITS)


class ArticleBuilder:
    """One article's body with the spans of its quotes and claims."""

    def __init__(self, rng: random.Random, speakers: list[tuple[int, str, str]]):
        self.rng, self.speakers = rng, speakers
        self.parts: list[str] = []
        self.length = 0
        self.quotes: list[tuple[int, int, int, bool, str]] = []  # start, end, speaker id, direct, cue
        self.claims: list[tuple[int, int, int, str, list[str]]] = []  # start, end, speaker, kind, numbers

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def paragraph(self) -> None:
        rng = self.rng
        sid, name, role = rng.choice(self.speakers)
        # Claims are about somewhere in particular, as in real news: "crime in Lyon", not "crime".
        topic, figure, year = f"{rng.choice(TOPICS)} in {place(rng)}", number(rng), rng.randint(2015, 2026)
        kind = rng.random()
        if kind < 0.35:
            self.add("\u201c")
            quote = f"{topic[0].upper()}{topic[1:]} rose by {figure} in {year}, the highest level in a decade"
            q0, q1 = self.add(quote)
            self.add(f",\u201d {role} {name} {rng.choice(CUES)}. ")
            self.quotes.append((q0, q1, sid, True, "said"))
            self.claims.append((q0, q1, sid, "statistic", [figure]))
        elif kind < 0.6:
            self.add(f"{name} {rng.choice(CUES)} that ")
            clause = f"{topic} would fall to {figure} by {year + 2}"
            q0, q1 = self.add(clause)
            self.add(". ")
            self.quotes.append((q0, q1, sid, False, "said"))
            self.claims.append((q0, q1, sid, "prediction", [figure]))
        else:
            earlier = number(rng)
            sentence = (
                f"Official data show that {topic} reached {figure} in {year}, compared with {earlier} a year before."
            )
            c0, c1 = self.add(sentence)
            self.claims.append((c0, c1, None, "comparison", [figure]))
            self.add(" ")
        self.add(" ".join(self.background() for _ in range(rng.randint(2, 5))) + "\n\n")

    def background(self) -> str:
        rng = self.rng
        return rng.choice(FILLER_TEMPLATES).format(
            place=place(rng),
            group=rng.choice(GROUPS),
            qualifier=rng.choice(QUALIFIERS),
            verb=rng.choice(VERBS),
            thing=rng.choice(THINGS),
            thing2=rng.choice(THINGS),
        )

    def build(self, words: int) -> str:
        while self.length < words * 6:
            self.paragraph()
        return "".join(self.parts).rstrip()


def copy(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)
            count += 1
    return count


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--speakers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--narrow", action="store_true", help="sentences about 30 places only (the old worst case)")
    args = parser.parse_args()
    global NARROW
    NARROW = args.narrow
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the generator loads with COPY.")
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    now = datetime.now(UTC)
    run = f"{args.seed}-{int(time.time())}"

    editors = [User.objects.get_or_create(username=f"bench-editor-{i}")[0] for i in range(2)]
    reviewers = [User.objects.get_or_create(username=f"bench-reviewer-{i}")[0] for i in range(20)]
    Group.objects.get(name="Editor").user_set.add(*editors)
    Group.objects.get(name="Reviewer").user_set.add(*reviewers)
    ratings = list(Rating.objects.values_list("id", flat=True))

    raw = connection.cursor().connection  # the psycopg 3 connection under Django's
    with raw.cursor() as cur:
        # Speakers, each with a unique surname so surname aliases stay unique.
        sp0 = next_id(cur, "claims_speaker")
        speakers, alias_rows, seen = [], [], set()
        for i in range(args.speakers):
            surname = f"{rng.choice(LAST)}-{rng.choice(LAST)}{sp0 + i}"
            name = f"{rng.choice(FIRST)} {surname}"
            sid = sp0 + i
            speakers.append((sid, name, rng.choice(ROLES)))
            for alias in (name, surname):
                key = normalize_name(alias)
                if key not in seen:
                    seen.add(key)
                    alias_rows.append((sid, alias, key))
        copy(
            cur,
            "claims_speaker",
            ["id", "name", "slug", "kind", "role", "organisation", "wikidata_id", "created_at"],
            ((sid, name, f"bench-{run}-{sid}", "person", role, "", "", now) for sid, name, role in speakers),
        )
        copy(cur, "claims_speakeralias", ["speaker_id", "alias", "normalized"], alias_rows)

        a0, c0 = next_id(cur, "claims_article"), next_id(cur, "claims_claim")
        articles, quotes, claims = [], [], []
        states = [s for s, w in STATES for _ in range(w)]
        for n in range(args.articles):
            aid = a0 + n
            builder = ArticleBuilder(rng, speakers)
            body = builder.build(rng.randint(300, 3000))
            created = now - timedelta(minutes=n)
            articles.append(
                (
                    aid,
                    f"https://news.example.org/{run}/{aid}",
                    f"Article {aid}: {rng.choice(TOPICS)}",
                    "Example News",
                    body,
                    hashlib.sha256(f"{run}{aid}".encode()).hexdigest(),
                    "ready",
                    created,
                    created,
                )
            )
            for start, end, sid, direct, cue in builder.quotes:
                quotes.append((aid, sid, body[start:end], start, end, direct, cue))
            picked = builder.claims[: args.claims_per_article]
            while len(picked) < args.claims_per_article:  # short articles: more claims than paragraphs
                picked.append(rng.choice(builder.claims))
            for start, end, sid, kind, numbers in picked:
                claims.append((aid, sid, body[start:end], start, end, kind, numbers, rng.choice(states), created))
        t_build = time.perf_counter()
        copy(
            cur,
            "claims_article",
            [
                "id",
                "url",
                "title",
                "outlet",
                "body",
                "content_hash",
                "status",
                "created_at",
                "status_changed_at",
                "byline",
                "language",
                "raw_html",
                "error",
                "extractor_version",
                "inconsistencies",
                "attempts",
                "canonical_url",
            ],
            ((*a, "", "en", "", "", "bench", "[]", 1, "") for a in articles),
        )
        n_quotes = copy(
            cur,
            "claims_quote",
            [
                "article_id",
                "speaker_id",
                "text",
                "start",
                '"end"',
                "direct",
                "cue",
                "partial",
                "attribution",
                "confidence",
                "origin",
                "kind",
            ],
            ((*q, False, "", 0.9, "machine", "speech") for q in quotes),
        )
        claim_rows, verdict_rows, evidence_rows = [], [], []
        for i, (aid, sid, text, start, end, kind, numbers, status, created) in enumerate(claims):
            cid = c0 + i
            assignee = (
                rng.choice(reviewers).id if status in ("assigned", "in_review", "submitted", "published") else None
            )
            due = (created + timedelta(days=rng.randint(-5, 10))).date() if assignee else None
            assigned_at = created + timedelta(minutes=rng.randint(5, 55)) if assignee else None
            slug = f"claim-{run}-{cid}" if status == "published" else None
            claim_rows.append(
                (
                    cid,
                    text,
                    sid,
                    aid,
                    start,
                    end,
                    kind,
                    json.dumps([{"text": x} for x in numbers]),
                    round(rng.uniform(0.3, 1.0), 3),
                    status,
                    rng.randint(0, 3),
                    assignee,
                    due,
                    assigned_at,
                    "machine",
                    slug,
                    1,
                    created,
                    created,
                    "[]",
                    retrieval.analysis_dump(f"{text} "),  # what the model's save() stores (no statement)
                )
            )
            if status in ("in_review", "submitted", "published"):
                author = assignee
                state = {"in_review": "draft", "submitted": "submitted", "published": "published"}[status]
                revisions = [state] if state != "published" or rng.random() > 0.1 else ["superseded", "published"]
                for r, st in enumerate(revisions, start=1):
                    published = created + timedelta(hours=r) if st in ("published", "superseded") else None
                    verdict_rows.append(
                        (
                            cid,
                            r,
                            rng.choice(ratings),
                            f"Verdict on claim {cid} (r{r})",
                            "Analysis of the figures against official data.",
                            author,
                            editors[0].id if published else None,
                            st,
                            published,
                            "[]",
                            1,
                            created,
                            published or created,
                        )
                    )
                for k in range(2):
                    evidence_rows.append(
                        (
                            cid,
                            f"https://data.example.org/{cid}/{k}",
                            f"Source {k}",
                            "Statistics office",
                            "Excerpt.",
                            rng.choice(["supports", "refutes", "context"]),
                            "official_data",
                            created,
                            "",
                            author,
                            created,
                        )
                    )
        n_claims = copy(
            cur,
            "claims_claim",
            [
                "id",
                "text",
                "speaker_id",
                "article_id",
                "start",
                '"end"',
                "kind",
                "numbers",
                "score",
                "status",
                "priority",
                "assignee_id",
                "due_date",
                "assigned_at",
                "origin",
                "slug",
                "version",
                "created_at",
                "updated_at",
                "score_reasons",
                "analysis",
            ],
            claim_rows,
        )
        n_verdicts = copy(
            cur,
            "claims_verdict",
            [
                "claim_id",
                "revision",
                "rating_id",
                "headline",
                "analysis",
                "author_id",
                "approver_id",
                "state",
                "published_at",
                "evidence_snapshot",
                "version",
                "created_at",
                "updated_at",
            ],
            verdict_rows,
        )
        # The public record of each published claim, as claims.publishing keeps it.
        cur.execute(
            """
            INSERT INTO claims_factcheck
                (claim_id, verdict_id, status, first_published_at, changed_at, retraction_reason)
            SELECT p.claim_id, p.id, 'published', first.at, p.published_at, ''
            FROM claims_verdict p
            JOIN (SELECT claim_id, MIN(published_at) AS at FROM claims_verdict
                  WHERE claim_id >= %(c0)s AND published_at IS NOT NULL GROUP BY claim_id) first
              ON first.claim_id = p.claim_id
            WHERE p.claim_id >= %(c0)s AND p.state = 'published'
            """,
            {"c0": c0},
        )
        n_fact_checks = cur.rowcount
        n_evidence = copy(
            cur,
            "claims_evidence",
            [
                "claim_id",
                "url",
                "title",
                "publisher",
                "excerpt",
                "stance",
                "source_kind",
                "accessed_at",
                "archived_url",
                "added_by_id",
                "created_at",
            ],
            evidence_rows,
        )
        for table in ("claims_speaker", "claims_article", "claims_claim"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t_end = time.perf_counter()
    print(
        f"speakers {len(speakers):,}  aliases {len(alias_rows):,}  articles {len(articles):,}  "
        f"quotes {n_quotes:,}  claims {n_claims:,}  verdicts {n_verdicts:,}  fact-checks {n_fact_checks:,}  "
        f"evidence {n_evidence:,}"
    )
    print(
        f"generated text in {t_build - t0:.1f} s; loaded (COPY) in {t_end - t_build:.1f} s; "
        f"total {t_end - t0:.1f} s ({n_claims / (t_end - t0):,.0f} claims/s)"
    )
    print(f"claims in the database now: {Claim.objects.count():,}")


if __name__ == "__main__":
    main()
