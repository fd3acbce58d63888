"""Server time of the workbench's pages with a large database: the queue and the claim page
must render in under 100 ms with 100,000 claims. Prints, per page, the median and 95th
percentile time over repeated requests and the number of SQL queries.

    createdb -h 127.0.0.1 -U postgres factcheck_bench_ui
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_ui \\
        python bench/bench_pages.py --claims 100000 --runs 30

Requests go through Django's test client in this process (no network), signed in as a
reviewer or an editor, so the figures are the server's time: URL routing, middleware,
queries and template rendering. The data is created once and reused by later runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
# Measure the production configuration: DEBUG off (no query log, no template debug data),
# plain http since the test client speaks no TLS.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from claims import workflow  # noqa: E402
from claims.models import (  # noqa: E402
    EDITOR_GROUP,
    REVIEWER_GROUP,
    Article,
    Claim,
    ClaimMatch,
    Comment,
    Evidence,
    Quote,
    Rating,
    Speaker,
)

WORDS = (
    "budget spending rose fell percent million billion unemployment inflation minister said year "
    "growth defence health schools tax rate record highest lowest since crime police housing "
    "prices energy exports imports deficit debt wages jobs hospital waiting list"
).split()
BUDGET_MS = 100


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return f"{' '.join(words).capitalize()} by {rng.randint(2, 98)}% in {rng.randint(1990, 2025)}."


def seed(total: int, rng: random.Random) -> None:
    """Create `total` claims (only the missing ones), spread over articles and speakers, with
    a reviewer who has 2,000 of them in her queue."""
    have = Claim.objects.count()
    User = get_user_model()
    reviewer, _ = User.objects.get_or_create(username="bench-rita", defaults={"first_name": "Rita"})
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    editor, _ = User.objects.get_or_create(username="bench-eve", defaults={"first_name": "Eve", "is_staff": True})
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    if have >= total:
        return
    print(f"seeding {total - have} claims…", flush=True)
    speakers = list(Speaker.objects.all()[:1000])
    if len(speakers) < 1000:
        Speaker.objects.bulk_create(
            Speaker(name=f"Bench Speaker {i}", slug=f"bench-speaker-{i}-{rng.random():.8f}"[:200])
            for i in range(1000 - len(speakers))
        )
        speakers = list(Speaker.objects.all()[:1000])
    statuses = [Claim.Status.CANDIDATE] * 6 + [Claim.Status.ACCEPTED, Claim.Status.DISMISSED, Claim.Status.PUBLISHED]
    made = have
    while made < total:
        batch = min(5000, total - made)
        articles = Article.objects.bulk_create(
            Article(title=f"Bench article {made + i}", body=" ".join(sentence(rng) for _ in range(12)))
            for i in range(batch // 20 + 1)
        )
        claims = []
        for i in range(batch):
            article = articles[i // 20]
            text = sentence(rng)
            start = rng.randint(0, max(0, len(article.body) - len(text) - 1))
            claims.append(
                Claim(
                    text=text,
                    article=article,
                    start=start,
                    end=start + 20,
                    speaker=rng.choice(speakers),
                    kind=rng.choice(Claim.Kind.values),
                    score=round(rng.random(), 3),
                    status=rng.choice(statuses),
                    origin="machine",
                )
            )
        bulk_create_with_history(claims, Claim, batch_size=1000, default_change_reason="bench")
        made += batch
        print(f"  {made} claims", flush=True)


def queue_fill(rng: random.Random, size: int = 2000) -> None:
    """The reviewer's queue: `size` open claims with due dates and priorities. Run on every
    start, as the database may come from generate_corpus.py with nobody's queue filled."""
    reviewer = get_user_model().objects.get(username="bench-rita")
    missing = size - Claim.objects.filter(assignee=reviewer).count()
    if missing <= 0:
        return
    unassigned = Claim.objects.filter(assignee__isnull=True)
    open_ids = list(unassigned.filter(status=Claim.Status.ACCEPTED).values_list("pk", flat=True)[:missing])
    if len(open_ids) < missing:  # a corpus without accepted claims: take candidates
        more = unassigned.filter(status=Claim.Status.CANDIDATE).exclude(pk__in=open_ids)
        open_ids += list(more.values_list("pk", flat=True)[: missing - len(open_ids)])
    today = timezone.localdate()
    kinds = [(status, priority) for status in Claim.OPEN_STATUSES for priority in range(4)]
    for i, (status, priority) in enumerate(kinds):  # a few updates, not one per claim
        Claim.objects.filter(pk__in=open_ids[i :: len(kinds)]).update(
            assignee=reviewer,
            status=status,
            priority=priority,
            due_date=today + datetime.timedelta(days=rng.randint(-5, 60)),
        )


def claim_for_page(rng: random.Random) -> Claim:
    """One claim in the reviewer's queue with a full page: evidence, comments, matches, a
    verdict and a history of changes."""
    reviewer = get_user_model().objects.get(username="bench-rita")
    editor = get_user_model().objects.get(username="bench-eve")
    claim = Claim.objects.filter(assignee=reviewer).order_by("pk").first()
    if claim.evidence.count() >= 30:
        return claim
    claim.status = Claim.Status.IN_REVIEW
    claim.save()
    for i in range(30):
        Evidence.objects.create(
            claim=claim, url=f"https://data.example.org/{i}", title=f"Source {i}", added_by=reviewer
        )
        Comment.objects.create(claim=claim, author=editor if i % 2 else reviewer, body=sentence(rng))
    earlier = Claim.objects.filter(status=Claim.Status.PUBLISHED).exclude(pk=claim.pk)[:5]
    ClaimMatch.objects.bulk_create(ClaimMatch(claim=claim, earlier=e, score=0.6) for e in earlier)
    rating = Rating.objects.first()
    for n in range(10):
        workflow.verdict_save_draft(
            claim=Claim.objects.get(pk=claim.pk),
            by=reviewer,
            rating=rating,
            headline=f"Draft {n}",
            analysis=sentence(rng, 60),
            version=claim.verdicts.first().version if n else None,
        )
    return claim


def article_with_marks(claim: Claim) -> Article:
    article = claim.article
    if not article.quotes.exists():
        Quote.objects.bulk_create(
            Quote(article=article, speaker=claim.speaker, text="q", start=i * 30, end=i * 30 + 20, origin="machine")
            for i in range(20)
        )
    return article


def measure(client: Client, url: str, runs: int) -> dict[str, float]:
    """Wall-clock times of `runs` requests (median, 95th percentile, fastest), the CPU time
    this process spent on a median request, and the query count."""
    client.get(url)  # warm up
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "best": times[0],
        "cpu": statistics.median(cpu),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collectstatic here: serve static URLs unhashed, as in development.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    seed(args.claims, rng)
    queue_fill(rng)
    claim = claim_for_page(rng)
    article = article_with_marks(claim)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":  # FTS5 indexes: merge the segments, as a quiet server would
            for table in ("claims_claim_fts", "claims_quote_fts"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    User = get_user_model()
    reviewer, editor = Client(), Client()
    reviewer.force_login(User.objects.get(username="bench-rita"))
    editor.force_login(User.objects.get(username="bench-eve"))
    pages = [
        ("queue (reviewer, 2,000 assigned)", reviewer, "/", True),
        ("queue, searched and filtered", reviewer, "/?q=budget&kind=statistic&speaker=speaker+1", True),
        ("claim page (30 evidence, 30 comments)", reviewer, f"/claims/{claim.pk}/", True),
        ("triage (editor)", editor, "/triage/", False),
        ("article page", reviewer, f"/articles/{article.pk}/", False),
        ("search 'unemployment inflation'", reviewer, "/search/?q=unemployment+inflation", False),
        ("search claims only, page 2", reviewer, "/search/?q=unemployment+inflation&kind=claims&page=2", False),
        ("search quotes only", reviewer, "/search/?q=unemployment+inflation&kind=quotes", False),
        ("search a speaker's name", reviewer, "/search/?q=speaker+12", False),
    ]
    total = Claim.objects.count()
    print(
        f"\n{total:,} claims in {connection.vendor}, DEBUG={settings.DEBUG}; "
        f"{args.runs} requests per page after a warm-up\n"
    )
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (a busy machine inflates wall-clock times)\n")
    print(f"{'page':42} {'median':>7} {'p95':>7} {'best':>7} {'cpu':>7} {'queries':>8}  budget (ms)")
    failed = False
    for name, client, url, budgeted in pages:
        m = measure(client, url, args.runs)
        verdict = ("ok" if m["median"] < BUDGET_MS else "OVER") if budgeted else "-"
        failed |= budgeted and m["median"] >= BUDGET_MS
        print(
            f"{name:42} {m['median']:7.1f} {m['p95']:7.1f} {m['best']:7.1f} {m['cpu']:7.1f}"
            f" {m['queries']:8d}  {verdict}"
        )
    print(f"\nbudget: median under {BUDGET_MS} ms for the queue and the claim page; cpu = this process's time")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
