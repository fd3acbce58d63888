"""Exporting published fact-checks: the streamed export against loading them all first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_export \\
        python bench/bench_export.py --fact-checks 100000

Seeds the database once with published fact-checks (the partner API benchmark's seeder;
re-runs reuse them), then writes every published fact-check to /dev/null as CSV and as
JSON Lines, twice each way:

- streamed: `claims.publishing.exports.factchecks_export` (rows in chunks from a server-side cursor);
- naive: `list()` of the same rows first, then the same lines from that list; and, for
  scale, `list()` of model instances alone (what a careless export would begin with).

Prints rows/s and wall time from an untraced run, the peak of Python allocations from a
second run under tracemalloc (which slows Python down, so it is not timed), and the peak
resident set (ru_maxrss) before and after the untraced run. Each way runs in a fresh
process, as ru_maxrss only ever grows.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import seed  # noqa: E402


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def drain(lines: Iterable[str]) -> int:
    count = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for line in lines:
            sink.write(line)
            count += 1
    return count


def measure(label: str, run: Callable[[], int], rows: int) -> None:
    rss_before = maxrss_mb()
    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    rss_after = maxrss_mb()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<34} {wall:7.2f} s {rows / wall:>10,.0f} rows/s   tracemalloc peak {peak / 2**20:8.1f} MB   "
        f"ru_maxrss {rss_before:7.1f} -> {rss_after:7.1f} MB",
        flush=True,
    )


VARIANTS = (
    "streamed csv",
    "streamed jsonl",
    "naive list(rows) then csv",
    "naive list(rows) then jsonl",
    "naive list(instances), load only",
)


def run_variant(name: str) -> None:
    from claims.models import FactCheck
    from claims.publishing import exports

    def instances() -> int:
        related = ("verdict__rating", "claim__speaker", "claim__article")
        return len(list(FactCheck.objects.published().select_related(*related)))

    def naive(fmt: exports.Format) -> int:
        loaded = list(exports.factchecks_rows())
        return drain(exports.csv_lines(loaded) if fmt == "csv" else exports.jsonl_lines(loaded))

    runs: dict[str, Callable[[], int]] = {
        VARIANTS[0]: lambda: drain(exports.factchecks_export(fmt="csv")),
        VARIANTS[1]: lambda: drain(exports.factchecks_export(fmt="jsonl")),
        VARIANTS[2]: lambda: naive("csv"),
        VARIANTS[3]: lambda: naive("jsonl"),
        VARIANTS[4]: instances,
    }
    measure(name, runs[name], exports.factchecks_count())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fact-checks", type=int, default=100_000)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # one measurement, in a child
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of its own, e.g. .../factcheck_bench_export")
    if args.variant:
        django_setup()
        run_variant(args.variant)
        return
    seed(args.fact_checks)
    from claims.publishing import exports

    print(f"\nexporting {exports.factchecks_count():,} fact-checks to {os.devnull}, each way in a fresh process\n")
    for name in VARIANTS:
        subprocess.run([sys.executable, __file__, "--variant", name], check=True)


if __name__ == "__main__":
    main()
