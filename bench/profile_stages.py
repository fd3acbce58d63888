"""Where a pipeline worker's time goes per article, by stage, from py-spy samples.

    py-spy record --pid <worker main pid> --subprocesses --nonblocking -d 90 -r 100 -f raw -o worker.txt
    python bench/profile_stages.py worker.txt

Reads py-spy's raw output (one line per stack and its sample count), keeps the job
processes (not the worker's main process, which only receives and acknowledges jobs), and
prints each stage's share of their samples, and how much of it was spent waiting for
PostgreSQL (psycopg waiting on the server's answer) rather than running Python.
"""

from __future__ import annotations

import collections
import sys

STAGES = [
    ("extraction (pure Python)", ["extract (claims/extraction/__init__.py"]),
    ("matching job: query and links", ["claims_match (", "external_match_claims"]),
    ("audit history rows", ["bulk_history_create"]),
    ("quote and claim inserts", ["bulk_create"]),
    ("speakers (look-up, new ones)", ["speakers_resolve"]),
    ("earlier items (select, delete)", ["article_extract ("]),
    ("status writes", ["_set_status"]),
    ("reading the article", ["article_ingest ("]),
    ("connection checks between jobs", ["close_old_connections"]),
    ("Celery: waiting for and taking the next job", ["billiard/", "celery/", "kombu/"]),
]
WAITING = ("Connection.wait (psycopg", "wait_c (psycopg", "PGconn.")


def main() -> None:
    samples: collections.Counter[str] = collections.Counter()
    waiting: collections.Counter[str] = collections.Counter()
    processes: set[str] = set()
    for line in open(sys.argv[1], encoding="utf-8"):
        stack, _, count = line.rstrip().rpartition(" ")
        frames = stack.split(";")
        chain = [f.split(":")[0] for f in frames if f.startswith("process ")]
        if len(chain) < 2:  # the main process (a job process's stacks name its parent first)
            continue
        processes.add(chain[-1])
        stage = next((name for name, keys in STAGES if any(k in stack for k in keys)), "other")
        samples[stage] += int(count)
        if any(w in stack for w in WAITING):
            waiting[stage] += int(count)
    total = sum(samples.values())
    print(f"{'stage':34} {'share':>6} {'of which waiting for PostgreSQL':>32}")
    for stage, count in samples.most_common():
        print(f"{stage:34} {100 * count / total:5.1f}% {100 * waiting[stage] / total:31.1f}%")
    print(f"{total} samples in {len(processes)} job processes")


if __name__ == "__main__":
    main()
