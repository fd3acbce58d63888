"""Where one warmed-up worker process's CPU goes per article, by job and stage, without
Celery: the benchmark's articles submitted and run through the same services the jobs
call, in one transaction rolled back at the end (the database is left as it was).

    DATABASE_URL=postgres://.../<db> python bench/profile_article.py --articles 8
    DATABASE_URL=... python bench/profile_article.py --articles 8 --profile 25   # cProfile too

Run it on a database the pipeline benchmark has filled, so the matching job searches a
realistic archive. Prints CPU per article (time.process_time) for each stage, its wall
clock time, and the CPU of the session's PostgreSQL server process (on this machine).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.update({"DEBUG": "0", "HTTPS": "0", "SECRET_KEY": "bench-" + "x" * 50, "LOG_LEVEL": "WARNING"})

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from claims import external, extraction, matching, retrieval, services  # noqa: E402
from claims.models import Claim  # noqa: E402

spent: defaultdict[str, float] = defaultdict(float)
waited: defaultdict[str, float] = defaultdict(float)
served: defaultdict[str, float] = defaultdict(float)
_server_pid: list[int] = []


def server_cpu() -> float:
    """CPU seconds used so far by this session's PostgreSQL server process (it runs on this
    machine), 0 on SQLite or when its /proc entry cannot be read."""
    if connection.vendor != "postgresql":
        return 0.0
    if not _server_pid:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _server_pid.append(cursor.fetchone()[0])
    try:
        fields = Path(f"/proc/{_server_pid[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stage:
    """CPU (time.process_time) and wall-clock time spent in a stage; the difference is
    mostly waiting for the database's answers."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.cpu, self.wall, self.server = time.process_time(), time.perf_counter(), server_cpu()

    def __exit__(self, *exc) -> None:
        spent[self.name] += time.process_time() - self.cpu
        waited[self.name] += time.perf_counter() - self.wall
        served[self.name] += server_cpu() - self.server


def timed(name: str, function):
    def wrapper(*args, **kwargs):
        with Stage(name):
            return function(*args, **kwargs)

    return wrapper


STAGES = (
    "ingest job (a text's extraction runs in it)",
    "  extraction and storing (article_extract)",
    "  the extractor itself (extract)",
    "matching job",
    "  candidate lookups with re-ranking",
    "  the re-ranker (retrieval.rerank)",
)


class Rollback(Exception):
    pass


def article_run(text: str) -> tuple[int, int]:
    """The three jobs of one submitted article, as the workers run them; its claims, and
    those the matching job matched (the others wait until someone looks at them)."""
    article = services.article_submit(text=text).article
    with Stage("ingest job (a text's extraction runs in it)"):
        services.article_ingest(article_id=article.pk)
    claims = Claim.objects.filter(article=article)
    ids = list(claims.filter(matches_pending=False).values_list("pk", flat=True))
    with Stage("matching job"):
        external.external_match_claims(claim_ids=ids)
        matching.claims_match(claim_ids=ids)
    return claims.count(), len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--warm", type=int, default=2, help="articles run first, not counted")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's N costliest functions")
    args = parser.parse_args()
    from bench_pipeline import article_text

    rng = random.Random(args.seed)
    texts = [article_text(rng, time.time_ns() + i) for i in range(args.warm + args.articles)]
    # Stages inside the jobs.
    ingestion = services.ingestion
    ingestion.extract = timed("  the extractor itself (extract)", extraction.extract)
    ingestion.article_extract = timed("  extraction and storing (article_extract)", ingestion.article_extract)
    retrieval.rerank = timed("  the re-ranker (retrieval.rerank)", retrieval.rerank)  # type: ignore[assignment]
    matching.candidates_find_many = timed("  candidate lookups with re-ranking", matching.candidates_find_many)  # type: ignore[assignment]
    profiler = cProfile.Profile()
    claims = matched = 0
    try:
        with transaction.atomic():
            for text in texts[: args.warm]:
                article_run(text)
            spent.clear()
            waited.clear()
            served.clear()
            if args.profile:
                profiler.enable()
            for text in texts[args.warm :]:
                found, queued = article_run(text)
                claims, matched = claims + found, matched + queued
            profiler.disable()
            raise Rollback
    except Rollback:
        pass
    n = args.articles
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"{n} articles, {claims / n:.1f} claims each ({matched / n:.1f} matched by the job), {connection.vendor}; "
        f"load average {load}"
    )
    print(f"{'per article':44} {'CPU':>9} {'wall clock':>11} {'server CPU':>11}")
    for name in STAGES:
        print(
            f"{name:44} {1000 * spent[name] / n:6.1f} ms {1000 * waited[name] / n:8.1f} ms "
            f"{1000 * served[name] / n:8.1f} ms"
        )
    if args.profile:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
