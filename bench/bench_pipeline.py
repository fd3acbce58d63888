"""End-to-end pipeline throughput: submit N articles through the real path (submission,
ingest job, extraction job, matching job) with Celery workers on Redis, and print articles
per second.

    DATABASE_URL=postgres://.../factcheck_bench_pipe REDIS_URL=redis://127.0.0.1:6379/13 \
        python bench/bench_pipeline.py --articles 1000 10000 --workers 2

Each size runs on a fresh set of articles in the same database (earlier runs stay, so the
matching job searches a growing corpus, as in a newsroom).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
# Production settings for the workers and for this process: with DEBUG on, Django keeps
# every query in memory and each job pays for it.
PRODUCTION = {"DEBUG": "0", "HTTPS": "0", "SECRET_KEY": "bench-" + "x" * 50, "LOG_LEVEL": "WARNING"}
os.environ.update(PRODUCTION)

import django  # noqa: E402

django.setup()

import random  # noqa: E402

import redis  # noqa: E402
from bench_worker import STATEMENTS_KEY  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from server_cpu import postmaster, server_cpu  # noqa: E402

from claims import services  # noqa: E402
from claims.models import Article, Claim, ClaimMatch  # noqa: E402

FIRST = "Anna Ben Carla David Elena Farid Grace Hugo Ines Jonas Kemi Liam Maria Nils Olga Pedro".split()
LAST = "Adler Bauer Castro Dimitrov Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lopez Moreau".split()


def article_text(rng: random.Random, n: int) -> str:
    """A news-like article of 300 to 3,000 words with quotes, reported speech and figures."""
    from generate_corpus import ArticleBuilder

    speakers = [(0, f"{rng.choice(FIRST)} {rng.choice(LAST)}", "Minister") for _ in range(6)]
    return f"Report {n}\n\n" + ArticleBuilder(rng, speakers).build(rng.randint(300, 3000))


def worker_cpu(session: int) -> float:
    """CPU seconds (user + system) used so far by the worker's processes (its session):
    steadier than wall time when other work shares the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[3]) == session:  # field 6 of stat: the session id
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks
    return total


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of one process, None once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """CPU used by this database's PostgreSQL server processes (the workers' sessions and this
    one's), sampled while the run waits: other databases on the same server do not count. A
    session that ends between two samples loses at most its last interval. The sessions in
    `OWN` (this process's polling, the stand-in for autovacuum) are also summed apart."""

    OWN: set[int] = set()

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def sample(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            pids = [pid for (pid,) in cursor.fetchall()]
            cursor.execute("SELECT pg_backend_pid()")
            self.OWN.add(cursor.fetchone()[0])
        for pid in pids:
            cpu = process_cpu(pid)
            if cpu is not None:
                self.first.setdefault(pid, cpu)
                self.last[pid] = cpu

    def total(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)

    def jobs(self) -> float:
        """Of `total`, the workers' sessions only."""
        return sum(self.last[pid] - self.first[pid] for pid in self.last if pid not in self.OWN)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def sessions_started() -> int:
    """PostgreSQL sessions opened on this database so far (PostgreSQL 14 and later)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def pages_asked() -> tuple[int, int]:
    """(pages found in PostgreSQL's shared buffers, pages it had to read from the kernel) so
    far on this database: past shared_buffers, lookups read their rows from the kernel."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()


def claims_size() -> str:
    """The claims table with its indexes and TOAST, and the server's shared buffers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('claims_claim')), current_setting('shared_buffers')"
        )
        size, buffers = cursor.fetchone()
    return f"claims table {size} with its indexes, shared_buffers {buffers}"


def statements_sent(client: redis.Redis) -> int:
    """SQL statements the workers' jobs have sent so far (counted by bench_worker.py)."""
    return int(client.get(STATEMENTS_KEY) or 0)


def queue_empty(client: redis.Redis) -> bool:
    return not any(client.llen(queue) for queue in settings.CELERY_TASK_QUEUES) and not client.hlen("unacked")


def run(size: int, rng: random.Random, client: redis.Redis, session: int) -> None:
    texts = [article_text(rng, time.time_ns() + i) for i in range(size)]  # unique: no dedup
    chars = sum(map(len, texts))
    first_id = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    cpu0, sessions0, statements0 = worker_cpu(session), sessions_started(), statements_sent(client)
    pages0 = pages_asked()
    server = ServerCpu()
    server.sample()
    with connection.cursor() as cursor:
        pid = postmaster(cursor)
    whole = server_cpu(pid)
    t0 = time.perf_counter()
    for text in texts:
        services.article_submit(text=text)
    t_submit = time.perf_counter() - t0
    mine = Article.objects.filter(pk__gte=first_id)
    while mine.exclude(status__in=["ready", "failed"]).exists():
        server.sample()
        time.sleep(0.2)
    t_ready = time.perf_counter() - t0
    while not queue_empty(client):  # the matching jobs
        server.sample()
        time.sleep(0.2)
    server.sample()
    t_all = time.perf_counter() - t0
    cpu, sessions = worker_cpu(session) - cpu0, sessions_started() - sessions0
    hit, read = (now - before for now, before in zip(pages_asked(), pages0, strict=True))
    whole = server_cpu(pid) - whole
    statements = statements_sent(client) - statements0
    failed = mine.filter(status="failed").count()
    print(
        f"{size:>6} articles ({chars / size / 1000:.1f} kB avg): submitted in {t_submit:.1f} s "
        f"({size / t_submit:.0f}/s); all ready in {t_ready:.1f} s; matching done in {t_all:.1f} s -> "
        f"{size / t_all:.1f} articles/s end to end; failed {failed}; "
        f"claims {Claim.objects.filter(article__in=mine).count():,}; "
        f"matches {ClaimMatch.objects.filter(claim__article__in=mine).count():,}"
    )
    print(
        f"        worker CPU {cpu * 1000 / size:.1f} ms per article; PostgreSQL CPU "
        f"{server.total() * 1000 / size:.1f} ms per article (the jobs' sessions {server.jobs() * 1000 / size:.1f} ms, "
        f"the rest this benchmark's polling and vacuums; the whole server's, parallel workers and "
        f"background processes included, {whole * 1000 / size:.1f} ms); {statements / size:.1f} SQL statements "
        f"per article; {sessions:,} new PostgreSQL sessions; "
        f"load average at the end {load_average()}"
    )
    print(
        f"        pages read from the kernel {read / size:,.0f} per article, "
        f"{read / max(hit + read, 1):.1%} of those asked for; {claims_size()}"
    )
    # Flat or falling off within the run: articles made ready per second in each tenth.
    done = list(mine.filter(status="ready").order_by("status_changed_at").values_list("status_changed_at", flat=True))
    tenth = max(len(done) // 10, 1)
    slices = [done[i : i + tenth] for i in range(0, len(done) - tenth + 1, tenth)]
    rates = [len(part) / max((part[-1] - part[0]).total_seconds(), 1e-3) for part in slices]
    print("        ready per second, by tenth of the run: " + ", ".join(f"{r:.1f}" for r in rates))


def stand_in_for_autovacuum(every: float, stop: threading.Event) -> None:
    """VACUUM ANALYZE the growing tables now and then, as PostgreSQL's autovacuum (on by
    default, off on some development servers) would: fresh statistics and visibility maps."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
        ServerCpu.OWN.add(db.info.backend_pid)
        while not stop.wait(every):
            for table in ("claims_claim", "claims_quote", "claims_claimmatch", "claims_article"):
                db.execute(f"VACUUM (ANALYZE) {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vacuum-every", type=float, default=60, help="seconds, when autovacuum is off")
    parser.add_argument("--narrow", action="store_true", help="sentences about 30 places only (the old worst case)")
    args = parser.parse_args()
    import generate_corpus

    generate_corpus.NARROW = args.narrow
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the production shape.")
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*settings.CELERY_TASK_QUEUES)
    log = open(ROOT / "var" / "bench-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_worker.py"),
            "--loglevel=warning",
            f"--concurrency={args.workers}",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "bench@%h",
        ],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stop = threading.Event()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0] == "on"
    if not autovacuum:
        print(f"autovacuum is off on this server: the benchmark vacuums and analyses every {args.vacuum_every:.0f} s")
        threading.Thread(target=stand_in_for_autovacuum, args=(args.vacuum_every, stop), daemon=True).start()
    try:
        time.sleep(4)
        print(f"{args.workers} worker processes, {os.cpu_count()} cores; load average {load_average()}")
        rng = random.Random(args.seed)
        for size in args.articles:
            run(size, rng, client, worker.pid)
    finally:
        stop.set()
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
