"""Fault drills against the real server under gunicorn, in bounded time; each prints what
happened and exits non-zero if the app did not hold.

    python bench/faults.py postgres-restart   # a PostgreSQL of its own, restarted under load
    DATABASE_URL=postgres://... python bench/faults.py api-clients --clients 50 --seconds 30
    python bench/faults.py redis-down         # a Redis of its own stopped under the running API
    python bench/faults.py slow-webhook       # a receiver that trickles, next to ingestion

Without DATABASE_URL the last two use a SQLite file of their own.

(The other faults are automated tests: a worker killed mid-job and a Redis outage in
tests/test_worker.py, two reviewers saving at once in tests/test_concurrency.py.)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import free_port, seed, serve, stop  # noqa: E402


def get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0  # no answer at all
    finally:
        connection.close()


def postgres_restart(args: argparse.Namespace) -> int:
    """Start a private PostgreSQL, serve the app from it, restart the database, and check
    that the next requests succeed without restarting the app."""
    bindir = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
    base = Path(tempfile.mkdtemp(prefix="pgfault-"))
    base.chmod(0o777)
    data, port = base / "data", free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def pg_ctl(*command: str) -> None:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", *command],
            check=True,
            capture_output=True,
        )

    subprocess.run(
        [*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
    pg_ctl("-o", options, "start")
    server = None
    try:
        subprocess.run(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "factcheck"], check=True
        )
        database_url = f"postgres://postgres@127.0.0.1:{port}/factcheck"
        os.environ["DATABASE_URL"] = database_url
        key = seed(200)
        app_port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "fault-drill-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        server = serve("factcheck.wsgi:application", app_port, 2, env, ROOT)
        paths = ["/healthz", "/api/v1/fact-checks/", "/fact-checks/"]
        headers = {"Authorization": f"Api-Key {key}"}
        before = [get(app_port, p, headers) for p in paths for _ in range(5)]
        print(f"before the restart: {summary(before)}")
        t0 = time.perf_counter()
        pg_ctl("-m", "fast", "restart", "-o", options)
        print(f"PostgreSQL restarted in {time.perf_counter() - t0:.1f} s (all server connections dropped)")
        after = [get(app_port, p, headers) for _ in range(10) for p in paths]
        print(f"the next {len(after)} requests, app not restarted: {summary(after)}")
        return 0 if set(before) == {200} and set(after) == {200} else 1
    finally:
        if server:
            stop(server)
        pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def summary(statuses: list[int]) -> str:
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    return ", ".join(f"{n} x {s or 'no answer'}" for s, n in counts.items())


def api_clients(args: argparse.Namespace) -> int:
    """N concurrent partner clients paging the fact-check API for a while: no error answers."""
    key = seed(args.fact_checks)
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "fault-drill-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = serve("factcheck.wsgi:application", port, args.workers, env, ROOT)
    headers = {"Authorization": f"Api-Key {key}"}
    latencies: list[float] = []
    statuses: list[int] = []
    stop_at = time.monotonic() + args.seconds

    def client() -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        mine, codes = [], []
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                connection.request("GET", "/api/v1/fact-checks/?page_size=20", headers=headers)
                response = connection.getresponse()
                response.read()
                codes.append(response.status)
            except OSError:
                codes.append(0)
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - began) * 1000)
        latencies.extend(mine)
        statuses.extend(codes)

    try:
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop(server)
    latencies.sort()
    errors = sum(1 for s in statuses if s != 200)
    print(
        f"{args.clients} clients for {args.seconds} s, {args.workers} gunicorn workers: {len(statuses)} requests "
        f"({len(statuses) / args.seconds:.0f}/s), {errors} errors [{summary(statuses)}]; "
        f"p50 {statistics.median(latencies):.0f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1]:.0f} ms"
    )
    return 1 if errors else 0


@contextlib.contextmanager
def own_database_and_redis():
    """DATABASE_URL as given (else a SQLite file of the drill's own) and a redis-server of the
    drill's own on a free port, both in os.environ for this process and its children."""
    base = Path(tempfile.mkdtemp(prefix="fault-"))
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    saved = {name: os.environ.get(name) for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH")}
    try:
        if not os.environ.get("DATABASE_URL"):
            os.environ["SQLITE_PATH"] = str(base / "drill.sqlite3")
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        yield redis, port
    finally:
        if redis.poll() is None:
            redis.terminate()
            redis.wait(timeout=10)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(base, ignore_errors=True)


def app_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "fault-drill-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        **extra,
    }


def warm_up(port: int, seconds: float = 60) -> None:
    """Wait until the app answers (its workers load Django on their first request)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until and get(port, "/healthz") != 200:
        time.sleep(0.5)


def staff_token() -> str:
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    user, _ = User.objects.get_or_create(username="drill-editor", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editor"))
    return Token.objects.get_or_create(user=user)[0].key


def redis_down(args: argparse.Namespace) -> int:
    """Serve the API with a Redis of its own as cache and broker, stop that Redis, and check
    that partners and staff are still answered (keys from the database, throttles lifted),
    then that all is well once Redis is back."""
    with own_database_and_redis() as (redis, port):
        key = seed(200)
        token = staff_token()
        server = serve("factcheck.wsgi:application", (app_port := free_port()), 2, app_env(), ROOT)
        partner = {"Authorization": f"Api-Key {key}"}
        staff = {"Authorization": f"Token {token}"}
        calls = [("/api/v1/fact-checks/", partner), ("/api/v1/speakers/", partner), ("/api/v1/claims/", staff)]

        def round_of(n: int) -> tuple[list[int], float]:
            t0 = time.perf_counter()
            statuses = [get(app_port, path, headers) for _ in range(n) for path, headers in calls]
            return statuses, (time.perf_counter() - t0) * 1000 / len(statuses)

        try:
            warm_up(app_port)
            before, ms_before = round_of(5)
            print(f"Redis up: {summary(before)}; {ms_before:.0f} ms a request")
            redis.terminate()
            redis.wait(timeout=10)
            down, ms_down = round_of(10)
            print(f"Redis stopped, app not restarted: {summary(down)}; {ms_down:.0f} ms a request")
            again = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                time.sleep(6)  # longer than the API's pause after a cache failure
                back, ms_back = round_of(5)
                print(f"Redis back: {summary(back)}; {ms_back:.0f} ms a request")
            finally:
                again.terminate()
                again.wait(timeout=10)
        finally:
            stop(server)
    return 0 if {*before, *down, *back} == {200} else 1


class TrickleReceiver:
    """A webhook receiver that reads the POST, then sends its answer a byte every second."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.connections = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError), connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                connection.sendall(bytes([byte]))
                time.sleep(1)


def slow_webhook(args: argparse.Namespace) -> int:
    """Real Celery workers (one on the webhooks queue, one on the others) while a receiver
    trickles its answers: each delivery is cut off at its deadline and left retrying, and
    articles submitted meanwhile are ingested without waiting for the webhooks."""
    deadline = args.deadline
    with own_database_and_redis():
        seed(args.deliveries)
        import django.db
        from django.db import transaction

        from claims import services
        from claims.models import Article, FactCheck, Partner, WebhookDelivery, WebhookEndpoint
        from claims.publishing.webhooks import webhook_events_record

        receiver = TrickleReceiver()
        env = app_env(
            WEBHOOK_DEADLINE_SECONDS=str(deadline),
            WEBHOOK_TIMEOUT_SECONDS=str(deadline * 5),
            WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        )
        django.db.connections.close_all()
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "factcheck",
                    "worker",
                    "-Q",
                    queues,
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=warning",
                    "-n",
                    f"{name}@%h",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for name, queues in (("drill-webhooks", "webhooks"), ("drill-ingest", "factcheck,matching"))
        ]
        try:
            from factcheck.celery import app

            until = time.monotonic() + 90
            while time.monotonic() < until and len(app.control.ping(timeout=1)) < len(workers):
                time.sleep(0.5)
            Partner.objects.filter(name__startswith="Drill partner").delete()  # an earlier run's
            partner = Partner.objects.create(name=f"Drill partner {time.time_ns()}")
            WebhookEndpoint.objects.create(partner=partner, url=receiver.url)
            ids = list(FactCheck.objects.values_list("claim_id", flat=True)[: args.deliveries])
            t0 = time.monotonic()
            with transaction.atomic():
                deliveries = [pk for fc in ids for pk in webhook_events_record(fact_check_id=fc, event="published")]
            sentence = "The minister said unemployment fell by {}% last year, the lowest rate since {}."
            articles = [
                services.article_submit(
                    text=" ".join(sentence.format(n, 1990 + n) for _ in range(3)) + f" ({t0} {n})"
                ).article.pk
                for n in range(args.articles)
            ]
            ready_at = all_cut_at = None
            limit = t0 + args.deliveries * (deadline + 2) + 30
            while time.monotonic() < limit:
                if ready_at is None and Article.objects.filter(pk__in=articles, status="ready").count() == len(
                    articles
                ):
                    ready_at = time.monotonic() - t0
                attempted = WebhookDelivery.objects.filter(pk__in=deliveries, attempts__gte=1).exclude(
                    error__startswith="The attempt was interrupted"
                )
                if all_cut_at is None and attempted.count() == len(deliveries):
                    all_cut_at = time.monotonic() - t0
                if ready_at is not None and all_cut_at is not None:
                    break
                time.sleep(0.5)
            rows = list(WebhookDelivery.objects.filter(pk__in=deliveries).values("status", "attempts", "error"))
            took = time.monotonic() - t0
            partner.delete()
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
            receiver.listener.close()
    cut_off = [r for r in rows if r["status"] == "retrying" and f"longer than {deadline} seconds" in r["error"]]
    never_tried = [r for r in rows if r["attempts"] == 0]
    print(
        f"{len(rows)} deliveries to a receiver trickling 1 byte/s (deadline {deadline} s): {len(cut_off)} cut off "
        f"at the deadline and retrying, {len(never_tried)} never tried; first attempts all over after "
        f"{all_cut_at or took:.1f} s "
        f"({receiver.connections} connections)"
    )
    print(
        f"{len(articles)} articles submitted meanwhile: "
        + (f"all ready {ready_at:.1f} s after submission" if ready_at is not None else "NOT all ready")
    )
    ok = ready_at is not None and len(cut_off) == len(rows) and not never_tried
    # Ingestion did not queue behind the webhooks: done before their first attempts all were.
    ok = ok and all_cut_at is not None and ready_at < all_cut_at
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="drill", required=True)
    sub.add_parser("postgres-restart")
    load = sub.add_parser("api-clients")
    load.add_argument("--clients", type=int, default=50)
    load.add_argument("--seconds", type=int, default=30)
    load.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    load.add_argument("--fact-checks", type=int, default=1000)
    sub.add_parser("redis-down")
    slow = sub.add_parser("slow-webhook")
    slow.add_argument("--deliveries", type=int, default=4)
    slow.add_argument("--articles", type=int, default=5)
    slow.add_argument("--deadline", type=int, default=3)
    args = parser.parse_args()
    drills = {
        "postgres-restart": postgres_restart,
        "api-clients": api_clients,
        "redis-down": redis_down,
        "slow-webhook": slow_webhook,
    }
    sys.exit(drills[args.drill](args))


if __name__ == "__main__":
    main()
