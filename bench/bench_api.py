"""Partner API throughput: a page of 100 fact-checks served by the real API under gunicorn,
against a floor that returns the same page written directly with psycopg and json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_api \\
        python bench/bench_api.py --fact-checks 100000 --seconds 10

Seeds the database once (re-runs reuse it), starts gunicorn twice on 127.0.0.1 (the API,
then the floor, same worker count), loads each with wrk (or, without wrk, a small
threaded Python client) and prints requests per second, p50 and p99 latency, and the
ratio of the API's throughput to the floor's. The floor skips authentication, throttling
and conditional GET, so the ratio is a strict one.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 100
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "https://factcheck.example.org/")

# The floor: a WSGI app with one psycopg connection per worker and no Django. ----------------

FLOOR_PAGE_SQL = """
SELECT f.claim_id, f.first_published_at, f.changed_at,
       v.revision, v.headline, v.analysis, v.evidence_snapshot,
       r.label, r.slug, r.value,
       c.text, c.slug, c.created_at,
       s.id, s.name, s.slug, s.kind, s.role, s.wikidata_id,
       a.id, a.url, a.title, a.outlet, a.published_at
FROM claims_factcheck f
JOIN claims_verdict v ON v.id = f.verdict_id
LEFT JOIN claims_rating r ON r.id = v.rating_id
JOIN claims_claim c ON c.id = f.claim_id
LEFT JOIN claims_speaker s ON s.id = c.speaker_id
LEFT JOIN claims_article a ON a.id = c.article_id
WHERE f.status = 'published'
ORDER BY f.changed_at DESC, f.claim_id DESC
LIMIT %s
"""
FLOOR_CORRECTIONS_SQL = """
SELECT v.claim_id, v.revision, v.published_at, r.label, v.headline
FROM claims_verdict v LEFT JOIN claims_rating r ON r.id = v.rating_id
WHERE v.claim_id = ANY(%s) AND v.state = 'superseded'
ORDER BY v.revision DESC
"""
_floor_connection = None


def _iso(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _floor_item(row: tuple, corrections: list[dict]) -> dict:
    (claim_id, first_published, changed, revision, headline, analysis, snapshot, r_label, r_slug, r_value,
     text, slug, claim_created, s_id, s_name, s_slug, s_kind, s_role, s_wikidata,
     a_id, a_url, a_title, a_outlet, a_published) = row  # fmt: skip
    url = f"{PUBLIC_BASE_URL}fact-checks/{slug}/"
    item_reviewed: dict = {"@type": "Claim"}
    if s_id is not None:
        author = {"@type": "Organization" if s_kind == "organisation" else "Person", "name": s_name}
        if s_role:
            author["jobTitle"] = s_role
        if s_wikidata:
            author["sameAs"] = f"https://www.wikidata.org/wiki/{s_wikidata}"
        item_reviewed["author"] = author
    item_reviewed["datePublished"] = _iso(a_published or claim_created)
    if a_id is not None and a_url:
        appearance: dict = {"@type": "CreativeWork", "url": a_url}
        if a_title:
            appearance["headline"] = a_title
        if a_outlet:
            appearance["publisher"] = {"@type": "Organization", "name": a_outlet}
        item_reviewed["appearance"] = [appearance]
    if r_label is None:
        rating = {"@type": "Rating", "alternateName": "Unrated"}
    elif r_value is None:
        rating = {"@type": "Rating", "alternateName": r_label}
    else:
        rating = {"@type": "Rating", "ratingValue": r_value, "bestRating": 5, "worstRating": 1}
        rating["alternateName"] = r_label
    keep = ("url", "title", "publisher", "excerpt", "stance", "source_kind", "archived_url")
    return {
        "id": claim_id,
        "status": "published",
        "date_modified": _iso(changed),
        "retracted_at": None,
        "url": url,
        "version": revision,
        "date_published": _iso(first_published),
        "claim": {
            "text": text,
            "speaker": None if s_id is None else {"id": s_id, "name": s_name, "slug": s_slug},
            "article": None
            if a_id is None
            else {"url": a_url or None, "title": a_title, "outlet": a_outlet, "published_at": _iso(a_published)},
        },
        "rating": None if r_label is None else {"label": r_label, "slug": r_slug, "value": r_value},
        "headline": headline,
        "analysis": analysis,
        "evidence": [{k: e.get(k) or "" for k in keep} for e in snapshot or []],
        "corrections": corrections,
        "claim_review": {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": url,
            "claimReviewed": text,
            "itemReviewed": item_reviewed,
            "author": {
                "@type": "Organization",
                "name": os.environ.get("PUBLISHER_NAME", "Example Fact Check"),
                "url": os.environ.get("PUBLISHER_URL", "https://factcheck.example.org/"),
            },
            "reviewRating": rating,
            "headline": headline,
            "datePublished": _iso(first_published),
            "dateModified": _iso(changed),
        },
    }


def floor_app(environ, start_response):
    """GET /: the newest 100 published fact-checks, the same JSON as the API's page."""
    global _floor_connection
    import psycopg

    if _floor_connection is None:
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1).split("?")[0]
        _floor_connection = psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC")
    with _floor_connection.cursor() as cursor:
        rows = cursor.execute(FLOOR_PAGE_SQL, (PAGE_SIZE + 1,)).fetchall()
        page = rows[:PAGE_SIZE]
        corrections: dict[int, list[dict]] = {row[0]: [] for row in page}
        corrected = [row[0] for row in page if row[3] > 1]  # as lean as the API: only when needed
        if corrected:
            for claim_id, revision, published, label, headline in cursor.execute(FLOOR_CORRECTIONS_SQL, (corrected,)):
                corrections[claim_id].append(
                    {"version": revision, "date_published": _iso(published), "rating": label, "headline": headline}
                )
    results = [_floor_item(row, corrections[row[0]]) for row in page]
    next_url = f"/?before={_iso(page[-1][2])}" if len(rows) > PAGE_SIZE else None
    body = json.dumps(
        {"next": next_url, "previous": None, "results": results}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


# Seeding ------------------------------------------------------------------------------------


def seed(count: int) -> str:
    """Ensure `count` published fact-checks exist; returns a partner API key."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from claims.models import Article, Claim, FactCheck, Partner, PartnerAPIKey, Rating, Speaker, Verdict

    call_command("migrate", verbosity=0)
    have = FactCheck.objects.count()
    if have < count:
        print(f"seeding {count - have} published fact-checks…", flush=True)
        User = get_user_model()
        author, _ = User.objects.get_or_create(username="bench-author")
        approver, _ = User.objects.get_or_create(username="bench-approver")
        ratings = list(Rating.objects.all())
        speakers = Speaker.objects.bulk_create(
            Speaker(name=f"Bench Speaker {n}", slug=f"bench-speaker-{have}-{n}", role="Minister") for n in range(500)
        )
        start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        batch = 5000
        for offset in range(have, count, batch):
            size = min(batch, count - offset)
            with transaction.atomic():
                articles = Article.objects.bulk_create(
                    Article(
                        url=f"https://news.example.com/bench/{n}",
                        title=f"Bench article {n}",
                        outlet="The Bench Times",
                        published_at=start + datetime.timedelta(minutes=n),
                        status=Article.Status.READY,
                    )
                    for n in range(offset, offset + size)
                )
                claims = Claim.objects.bulk_create(
                    Claim(
                        text=f"Unemployment fell to {n % 10}.{n % 7}% in month {n} (bench claim).",
                        speaker=speakers[n % len(speakers)],
                        article=articles[n - offset],
                        status=Claim.Status.PUBLISHED,
                        slug=f"bench-claim-{n}",
                        kind=Claim.Kind.STATISTIC,
                    )
                    for n in range(offset, offset + size)
                )
                published = [start + datetime.timedelta(minutes=n, seconds=30) for n in range(offset, offset + size)]
                verdicts = Verdict.objects.bulk_create(
                    Verdict(
                        claim=claim,
                        rating=ratings[i % len(ratings)],
                        headline=f"Bench verdict {offset + i}: the figure was lower",
                        analysis="Official statistics show a smaller change than claimed. " * 6,
                        author=author,
                        approver=approver,
                        state=Verdict.State.PUBLISHED,
                        published_at=published[i],
                        evidence_snapshot=[
                            {"url": "https://stats.example.org/labour", "title": "Labour survey", "stance": "refutes"}
                        ],
                    )
                    for i, claim in enumerate(claims)
                )
                FactCheck.objects.bulk_create(
                    FactCheck(claim=v.claim, verdict=v, first_published_at=v.published_at, changed_at=v.published_at)
                    for v in verdicts
                )
            print(f"  {offset + size}", flush=True)
    partner, _ = Partner.objects.get_or_create(name="Bench partner", defaults={"throttle_rate": "100000000/hour"})
    _, key = PartnerAPIKey.objects.create_key(name="bench", partner=partner)
    print(f"{FactCheck.objects.filter(status='published').count()} published fact-checks in the database")
    return key


# Serving and loading ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: str, port: int, workers: int, env: dict[str, str], chdir: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        app,
        "--chdir", str(chdir),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn did not start {app}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def fetch(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def load_wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{non2xx.group(1)} failed responses from {url}:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
    }


def load_python(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, float]:
    """Without wrk: threads on keep-alive connections (the client's own cost shows)."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        connection = HTTPConnection(host, int(port), timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{response.status} from {url}")
            mine.append((time.perf_counter() - began) * 1000)
        latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


def cpu_per_request(key: str, requests: int, rounds: int) -> None:
    """Process CPU time per request, both servers' code called in this process (no HTTP,
    no gunicorn): steadier than throughput when other work shares the machine, though it
    leaves out the database server's own time. The two alternate in `rounds` rounds, so
    that other work on the machine weighs on both alike; the figures are medians over the
    rounds."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_HOST="127.0.0.1")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/"}
    calls = {
        "API (DRF)": lambda: client.get(f"/api/v1/fact-checks/?page_size={PAGE_SIZE}"),
        "floor (psycopg + json)": lambda: floor_app(environ, lambda *args: None),
    }
    for call in calls.values():
        for _ in range(5):
            call()
    per_round = max(1, requests // rounds)
    spent: dict[str, list[float]] = {name: [] for name in calls}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for _ in range(rounds):
        for name, call in calls.items():
            began = time.process_time()
            for _ in range(per_round):
                call()
            spent[name].append((time.process_time() - began) / per_round * 1000)
    for name, figures in spent.items():
        print(
            f"{name:24} {statistics.median(figures):6.2f} ms CPU per request (median of {rounds} rounds "
            f"of {per_round} requests, in process; lowest round {min(figures):.2f})"
        )
    api, floor = (statistics.median(figures) for figures in spent.values())
    paired = [f / a for a, f in zip(*spent.values(), strict=True)]
    print(f"CPU ratio floor/API (the throughput ratio if CPU were all that mattered): {floor / api:.2f}")
    print(f"median of the rounds' ratios: {statistics.median(paired):.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fact-checks", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5, help="Load time per server and round (bounded).")
    parser.add_argument("--rounds", type=int, help="Rounds per server (default 3; with --cpu 10).")
    parser.add_argument("--server-side-binding", action="store_true", help="Also load the API with that option.")
    parser.add_argument("--cpu", type=int, metavar="N", help="Instead: CPU time per request over N requests.")
    parser.add_argument("--connections", type=int, default=16)
    # gunicorn's own advice for sync workers: two per core, plus one.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of its own, e.g. .../factcheck_bench_api")
    seconds = max(1, min(args.seconds, 60))
    args.rounds = max(1, min(args.rounds or (10 if args.cpu else 3), 100))

    # Production settings for the servers and for this process (no query log in DEBUG).
    production = {"DEBUG": "0", "HTTPS": "0", "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}
    os.environ.update(production)
    key = seed(args.fact_checks)
    if args.cpu:
        os.environ.setdefault("PUBLISHER_NAME", "Example Fact Check")
        cpu_per_request(key, max(1, min(args.cpu, 10_000)), args.rounds)
        return
    env = {**os.environ, **production, "LOG_LEVEL": "WARNING"}
    load = load_wrk if shutil.which("wrk") else load_python
    runs = {
        "API (DRF, gunicorn)": (
            "factcheck.wsgi:application", ROOT, f"/api/v1/fact-checks/?page_size={PAGE_SIZE}",
            {"Authorization": f"Api-Key {key}"},
        ),
        "floor (psycopg + json)": ("bench_api:floor_app", ROOT / "bench", "/", {}),
    }  # fmt: skip
    envs = {name: env for name in runs}
    if args.server_side_binding:
        # The same API, its database connections binding parameters on the server, which
        # lets psycopg prepare the repeated page query (a DATABASE_URL option, no code).
        name = "API, server-side binding"
        runs[name] = runs["API (DRF, gunicorn)"]
        separator = "&" if "?" in env["DATABASE_URL"] else "?"
        envs[name] = {**env, "DATABASE_URL": env["DATABASE_URL"] + separator + "server_side_binding=true"}
    print(
        f"load: {load.__name__.removeprefix('load_')}, {args.connections} connections, {args.rounds} rounds of "
        f"{seconds} s per server, {args.workers} gunicorn workers each, page of {PAGE_SIZE}"
    )
    servers, bodies, samples = {}, {}, {name: [] for name in runs}
    try:
        for name, (app, chdir, path, headers) in runs.items():
            port = free_port()
            servers[name] = serve(app, port, args.workers, envs[name], chdir)
            url = f"http://127.0.0.1:{port}{path}"
            runs[name] = (app, chdir, url, headers)
            status, body = fetch(url, headers)
            assert status == 200, (name, status)
            bodies[name] = json.loads(body)["results"]
            load(url, headers, 2, args.connections)  # warm every worker up
        # Alternate the two so that other work on the machine weighs on both alike.
        for _ in range(args.rounds):
            for name, (_, _, url, headers) in runs.items():
                samples[name].append(load(url, headers, seconds, args.connections))
    finally:
        for process in servers.values():
            stop(process)
    results = {}
    for name, runs_of_name in samples.items():
        r = {figure: statistics.median(s[figure] for s in runs_of_name) for figure in ("rps", "p50", "p99")}
        results[name] = r
        each = ", ".join(f"{s['rps']:.1f}" for s in runs_of_name)
        print(f"{name:24} {r['rps']:8.1f} req/s   p50 {r['p50']:7.2f} ms   p99 {r['p99']:7.2f} ms   (rounds: {each})")
    api, floor = results["API (DRF, gunicorn)"], results["floor (psycopg + json)"]
    first, second = bodies["API (DRF, gunicorn)"], bodies["floor (psycopg + json)"]
    print(f"same page from both: {'yes' if first == second else 'NO'} ({len(first)} items)")
    api_runs, floor_runs = samples["API (DRF, gunicorn)"], samples["floor (psycopg + json)"]
    paired = sorted(a["rps"] / f["rps"] for a, f in zip(api_runs, floor_runs, strict=True))
    print(f"ratio API/floor throughput (medians): {api['rps'] / floor['rps']:.2f} (target >= 0.50)")
    print(f"ratio per round (API round / the floor round after it): {', '.join(f'{r:.2f}' for r in paired)}")
    print(f"median ratio per round: {statistics.median(paired):.2f}")
    if "API, server-side binding" in results:
        ssb = results["API, server-side binding"]
        print(f"ratio API with server-side binding/floor (medians): {ssb['rps'] / floor['rps']:.2f}")


if __name__ == "__main__":
    main()
