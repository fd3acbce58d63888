"""How long finding the earlier claims similar to a new one takes, on the corpus in the
database (build 1,000,000 claims with generate_corpus.py first), with the query plan on
PostgreSQL. Either database: SQLite when DATABASE_URL is unset.

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
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from server_cpu import postmaster  # noqa: E402
from server_cpu import server_cpu as whole_server_cpu  # noqa: E402

from claims.matching import CLAIMS, EARLIER_OPEN, FILTER_ROWS, _lookup_sql, _postgres_params, similar_to  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.retrieval import query_terms  # noqa: E402


def server_cpu() -> float:
    """CPU seconds used so far by this session's PostgreSQL server process (when it runs on
    this machine), 0 on SQLite or when its /proc entry cannot be read."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    total = Claim.objects.count()
    # New claims: the most recent ones, matched against everything before them.
    samples = list(Claim.objects.order_by("-pk").values_list("pk", "article_id", "text")[: args.samples])
    if not samples:
        sys.exit("No claims in the database: build a corpus with bench/generate_corpus.py first.")
    timings, found = [], 0
    served = server_cpu()
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            pid = postmaster(cursor)
    whole = whole_server_cpu(pid)
    for sample in samples:
        t0 = time.perf_counter()
        found += len(similar_to([sample]))
        timings.append((time.perf_counter() - t0) * 1000)
    served = (server_cpu() - served) * 1000 / len(samples)
    whole = (whole_server_cpu(pid) - whole) * 1000 / len(samples)
    timings.sort()
    print(f"{connection.vendor}: {total:,} claims; {len(samples)} new claims matched; {found} links found")
    print(
        f"per claim: p50 {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, "
        f"max {timings[-1]:.1f} ms; server CPU {served:.2f} ms, the whole server's {whole:.2f} ms "
        f"(PostgreSQL on this machine; load average "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])})"
    )
    if connection.vendor == "postgresql":
        # How many rows a lookup's filter finds (its rarest words), of which at most
        # FILTER_ROWS[1], the latest, are ranked: what a lookup's cost follows.
        found_rows = []
        with connection.cursor() as cursor:
            for _pk, _article, text in samples[:100]:
                terms = query_terms(text)
                if terms:
                    match = _postgres_params(cursor, CLAIMS, terms)["match"]
                    cursor.execute(
                        "SELECT count(*) FROM claims_claim WHERE search_vector @@ to_tsquery('english', %s)", [match]
                    )
                    found_rows.append(cursor.fetchone()[0])
        found_rows.sort()
        if found_rows:
            print(
                f"rows the filter finds, {len(found_rows)} lookups: median {statistics.median(found_rows):,.0f}, "
                f"p90 {found_rows[int(len(found_rows) * 0.9) - 1]:,}, max {found_rows[-1]:,} "
                f"(the latest {FILTER_ROWS[1]:,} at most are ranked)"
            )
    batch = samples[:25]  # what one job does: an article's new claims
    t0 = time.perf_counter()
    similar_to(batch)
    print(f"one job's lookups for {len(batch)} claims: {(time.perf_counter() - t0) * 1000:.1f} ms")
    if connection.vendor != "postgresql" or not samples:
        return
    pk, article_id, text = samples[0]
    with connection.cursor() as cursor:
        terms = query_terms(text)
        params = _postgres_params(cursor, CLAIMS, terms) | {"before": pk, "article": article_id or -1}
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + _lookup_sql(CLAIMS, EARLIER_OPEN, len(terms)), params)
        print(f"\nquery plan for claim #{pk} (filter: {params['match']!r}):")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
