"""How long finding the earlier claims similar to a new one takes, on the corpus in the
database (build 1,000,000 claims with generate_corpus.py first), with the query plan.

    DATABASE_URL=postgres://... python bench/bench_matching.py --samples 200
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from claims.matching import SIMILAR_SQL, key_terms  # noqa: E402
from claims.models import Claim  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    total = Claim.objects.count()
    with connection.cursor() as cursor:
        # New claims: the most recent ones, matched against everything before them.
        cursor.execute(
            "SELECT id, article_id, text, tsvector_to_array(to_tsvector('simple', text)) FROM claims_claim "
            "ORDER BY id DESC LIMIT %s",
            [args.samples],
        )
        samples = cursor.fetchall()
        timings, found = [], 0
        for pk, _article_id, _text, lexemes in samples:
            params = {"ids": [pk], "terms": [key_terms(lexemes)]}
            t0 = time.perf_counter()
            cursor.execute(SIMILAR_SQL, params)
            found += len(cursor.fetchall())
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        print(f"{total:,} claims; {len(samples)} new claims matched; {found} links found")
        print(
            f"per claim: p50 {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, "
            f"max {timings[-1]:.1f} ms"
        )
        batch = samples[:25]  # what one job does: an article's new claims in one query
        params = {"ids": [row[0] for row in batch], "terms": [key_terms(row[3]) for row in batch]}
        t0 = time.perf_counter()
        cursor.execute(SIMILAR_SQL, params)
        print(f"one job's query for {len(batch)} claims: {(time.perf_counter() - t0) * 1000:.1f} ms")
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + SIMILAR_SQL, {"ids": [samples[0][0]], "terms": [params["terms"][0]]}
        )
        print(f"\nquery plan for claim #{samples[0][0]} (terms: {params['terms'][0]!r}):")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
