"""Fault drills against the real server under gunicorn, in bounded time; each prints what
happened and exits non-zero if the app did not hold.

    python bench/faults.py postgres-restart   # a PostgreSQL of its own, restarted under load
    DATABASE_URL=postgres://... python bench/faults.py api-clients --clients 50 --seconds 30

(The other faults are automated tests: a worker killed mid-job and a Redis outage in
tests/test_worker.py, two reviewers saving at once in tests/test_concurrency.py.)
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="drill", required=True)
    sub.add_parser("postgres-restart")
    load = sub.add_parser("api-clients")
    load.add_argument("--clients", type=int, default=50)
    load.add_argument("--seconds", type=int, default=30)
    load.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    load.add_argument("--fact-checks", type=int, default=1000)
    args = parser.parse_args()
    sys.exit({"postgres-restart": postgres_restart, "api-clients": api_clients}[args.drill](args))


if __name__ == "__main__":
    main()
