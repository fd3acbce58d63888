"""How well "already checked?" finds the checked claim a text repeats, on a claim-retrieval
collection in the CLEF CheckThat! 2020 format (tab-separated, with a header row):

    --collection  vclaim_id, vclaim, title     the checked claims
    --queries     tweet_id, tweet_content      the texts to look up
    --qrels       tweet_id 0 vclaim_id 1       the right answer for each text

The collection is loaded into the app as imported fact-checks (claim checked, headline),
in the database DATABASE_URL names (SQLite by default), then the app's own matching ranks
them for each query. Prints MAP@1, MAP@5, Recall@5 and the time per query, for the app and
for a plain BM25 over claim and headline (rank-bm25) as the reference.

    DATABASE_URL=postgres://... python bench/bench_claim_retrieval.py \\
        --collection verified_claims.docs.tsv --queries tweets.tsv --qrels pairs.qrels [--holdout 5]

--holdout N also prints the lines for every Nth query alone and for the others.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from claims.matching import EXTERNAL, candidates_find  # noqa: E402
from claims.models import ExternalFactCheck  # noqa: E402

PUBLISHER = "Claim-retrieval benchmark collection"
URL = "https://collection.invalid/{}"


def read_tsv(path: str) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [row for row in rows[1:] if row]


def read_qrels(path: str) -> dict[str, set[str]]:
    answers: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                answers.setdefault(parts[0], set()).add(parts[2])
    return answers


def collection_load(rows: list[list[str]]) -> dict[int, str]:
    """Replace the benchmark's fact-checks with `rows`; returns database id -> vclaim_id."""
    ExternalFactCheck.objects.filter(publisher_name=PUBLISHER).delete()
    items = [
        ExternalFactCheck(
            review_url=URL.format(row[0]),
            publisher_name=PUBLISHER,
            claim_reviewed=row[1],
            headline=(row[2] if len(row) > 2 else "")[:500],
            rating_label="checked",
        )
        for row in rows
    ]
    ExternalFactCheck.objects.bulk_create(items, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE claims_externalfactcheck")
    ids = ExternalFactCheck.objects.filter(publisher_name=PUBLISHER).values_list("pk", "review_url")
    return {pk: url.rsplit("/", 1)[1] for pk, url in ids}


def scores(rankings: dict[str, list[str]], answers: dict[str, set[str]], ids: list[str]) -> tuple[float, float, float]:
    """MAP@1, MAP@5 and Recall@5 over `ids` (a query without an answer in the top five scores 0)."""
    ap1 = ap5 = recall = 0.0
    for qid in ids:
        top = rankings.get(qid, [])[:5]
        right = answers.get(qid, set())
        hits = [i for i, doc in enumerate(top) if doc in right]
        if hits:
            ap1 += hits[0] == 0
            # Average precision at 5 over the relevant documents (usually one per query).
            ap5 += sum((n + 1) / (i + 1) for n, i in enumerate(hits)) / min(len(right), 5)
            recall += len(hits) / len(right)
    n = len(ids) or 1
    return ap1 / n, ap5 / n, recall / n


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def bm25_rankings(collection: list[list[str]], queries: list[list[str]]) -> tuple[dict[str, list[str]], list[float]]:
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([tokens(" ".join(row[1:3])) for row in collection])
    doc_ids = [row[0] for row in collection]
    rankings, times = {}, []
    for qid, text in queries:
        t0 = time.perf_counter()
        values = bm25.get_scores(tokens(text))
        top = sorted(range(len(values)), key=lambda i: -values[i])[:5]
        times.append((time.perf_counter() - t0) * 1000)
        rankings[qid] = [doc_ids[i] for i in top]
    return rankings, times


def report(name: str, rankings: dict, answers: dict, queries: list, times: list[float], holdout: int) -> None:
    ids = [row[0] for row in queries]
    groups = [("all", ids)]
    if holdout:
        groups += [
            ("tuning part", [q for i, q in enumerate(ids) if i % holdout != holdout - 1]),
            (f"held out (every {holdout}th)", [q for i, q in enumerate(ids) if i % holdout == holdout - 1]),
        ]
    for label, subset in groups:
        m1, m5, r5 = scores(rankings, answers, subset)
        print(f"{name:<22} {label:<22} n={len(subset):<5} MAP@1 {m1:.3f}  MAP@5 {m5:.3f}  Recall@5 {r5:.3f}")
    p95 = sorted(times)[int(len(times) * 0.95)]
    print(f"{name:<22} per query: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collection", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--qrels", required=True)
    parser.add_argument("--holdout", type=int, default=0, help="also score every Nth query apart")
    parser.add_argument("--keep", action="store_true", help="keep the loaded collection (skip reloading)")
    parser.add_argument("--misses", type=int, default=0, help="list this many queries the app ranks wrong")
    parser.add_argument("--no-reference", action="store_true", help="skip the rank-bm25 reference (slow)")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    collection, queries, answers = read_tsv(args.collection), read_tsv(args.queries), read_qrels(args.qrels)
    t0 = time.perf_counter()
    existing = ExternalFactCheck.objects.filter(publisher_name=PUBLISHER).count()
    if args.keep and existing == len(collection):
        ids = dict(
            (pk, url.rsplit("/", 1)[1])
            for pk, url in ExternalFactCheck.objects.filter(publisher_name=PUBLISHER).values_list("pk", "review_url")
        )
    else:
        ids = collection_load(collection)
    total = ExternalFactCheck.objects.count()
    print(
        f"{connection.vendor}: {len(ids):,} checked claims loaded in {time.perf_counter() - t0:.1f} s "
        f"({total:,} fact-checks in the database); {len(queries)} queries"
    )

    rankings, times = {}, []
    for qid, text in queries:
        t1 = time.perf_counter()
        found = candidates_find(text=text, target=EXTERNAL)
        times.append((time.perf_counter() - t1) * 1000)
        rankings[qid] = [ids[hit.id] for hit in found[:5] if hit.id in ids]
    report("app matching", rankings, answers, queries, times, args.holdout)
    missed = [(qid, text) for qid, text in queries if not set(rankings.get(qid, [])[:1]) & answers.get(qid, set())]
    for qid, text in missed[: args.misses]:
        right = ", ".join(sorted(answers.get(qid, set())))
        print(f"  missed {qid}: right {right}, ranked {rankings.get(qid, [])[:5]}; query: {text[:160]!r}")
    if args.no_reference:
        return
    reference, times = bm25_rankings(collection, queries)
    report("BM25 (rank-bm25)", reference, answers, queries, times, args.holdout)


if __name__ == "__main__":
    main()
