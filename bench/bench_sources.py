"""Polling cost: requests and seconds per source per poll, against feeds served on 127.0.0.1.

    python bench/bench_sources.py --sources 50 --items 30
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_bench python bench/bench_sources.py

Creates a throwaway test database, serves `--sources` RSS feeds of `--items` articles each
(with ETag and Last-Modified, answering 304 to a matching conditional request) and polls
every source through `claims.sources.source_poll`, the job's body, in four situations:

  first      every item new: each is submitted (the ingestion jobs are counted, not run:
             fetching and extracting an article is the ingestion job's cost, not the poll's)
  unchanged  the feed answers 304 to the conditional request
  changed    a new ETag, every item already known
  one new    a new ETag and one new item at the top

and prints, per situation, the requests per poll and the mean, median and 95th percentile
of seconds per poll. A worker polls one source at a time per process, so at a 15-minute
interval one worker process can watch about 900 s / (seconds per poll) sources; the script
prints that figure for each situation. Against real sites the network round trip adds to
each request; `--latency` adds a delay to every answer of the local server to show it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


class Feeds:
    def __init__(self, sources: int, items: int, latency: float) -> None:
        self.version = {n: 1 for n in range(sources)}
        self.items = {n: items for n in range(sources)}
        self.requests = 0
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                feeds.requests += 1
                if latency:
                    time.sleep(latency)
                n = int(self.path.split("/")[2])
                etag = f'"{feeds.version[n]}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body = feeds.rss(n)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Tue, 01 Oct 2024 07:00:00 GMT")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def rss(self, n: int) -> bytes:
        items = "".join(
            f"<item><title>Story {i} of feed {n}</title><link>{self.base}/story/{n}/{i}</link>"
            f"<description>Summary {i}</description><pubDate>Mon, 30 Sep 2024 06:00:00 GMT</pubDate></item>"
            for i in range(self.items[n] - 1, -1, -1)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>{items}</channel></rss>'.encode()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--items", type=int, default=30, help="items per feed")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the local server waits per answer")
    args = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from claims import sources, tasks
    from claims.models import Source

    setup_test_environment()
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    queued: list[int] = []
    tasks.enqueue = lambda task, *a: queued.append(a[0])  # count the ingestion jobs, do not run them
    feeds = Feeds(args.sources, args.items, args.latency)
    try:
        for n in range(args.sources):
            Source.objects.create(name=f"Feed {n}", url=f"{feeds.base}/feed/{n}")
        ids = list(Source.objects.order_by("pk").values_list("pk", flat=True))
        print(
            f"{args.sources} RSS sources x {args.items} items, database {connection.vendor}, "
            f"local server latency {args.latency * 1000:.0f} ms per answer"
        )
        header = ("situation", "req/poll", "mean s", "median s", "p95 s", "new/poll", "sources/worker @15 min")
        print("{:<10} {:>8} {:>8} {:>9} {:>8} {:>9} {:>24}".format(*header))

        def situation(label: str) -> None:
            before, jobs = feeds.requests, len(queued)
            times, new = [], 0
            for pk in ids:
                start = time.perf_counter()
                poll = sources.source_poll(source_id=pk)
                times.append(time.perf_counter() - start)
                new += poll.new
            requests = (feeds.requests - before) / len(ids)
            mean = statistics.fmean(times)
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
            assert len(queued) - jobs == new
            print(
                f"{label:<10} {requests:>8.2f} {mean:>8.4f} {statistics.median(times):>9.4f} {p95:>8.4f} "
                f"{new / len(ids):>9.1f} {900 / mean:>24,.0f}"
            )

        situation("first")
        situation("unchanged")
        for n in feeds.version:
            feeds.version[n] += 1
        situation("changed")
        for n in feeds.version:
            feeds.version[n] += 1
            feeds.items[n] += 1
        situation("one new")
    finally:
        feeds.server.shutdown()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
