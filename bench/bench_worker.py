"""The Celery worker bench_pipeline.py starts: the project's own worker, which also counts
the SQL statements its jobs send (each one a round trip to the database) and adds them up
in Redis after every job, so the benchmark can print statements per article.

    python bench/bench_worker.py --concurrency=2 ...   (the arguments of `celery worker`)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

STATEMENTS_KEY = "bench:statements"
_sent = 0


def _count(execute, sql, params, many, context):
    global _sent
    _sent += 1
    return execute(sql, params, many, context)


def main() -> None:
    from celery.__main__ import main as celery_main
    from celery.signals import task_postrun
    from django.db.backends.signals import connection_created

    def wrap(sender, connection, **kwargs) -> None:
        # Sent again for each new session of the same connection object: count once.
        if _count not in connection.execute_wrappers:
            connection.execute_wrappers.append(_count)

    clients: list = []  # one per worker process, made at its first report

    def report(**kwargs) -> None:
        global _sent
        if _sent:
            if not clients:  # a new client and connection per job: 2.3 ms of CPU each
                import redis
                from django.conf import settings

                clients.append(redis.Redis.from_url(settings.REDIS_URL))
            clients[0].incrby(STATEMENTS_KEY, _sent)
            _sent = 0

    connection_created.connect(wrap, weak=False)
    task_postrun.connect(report, weak=False)
    sys.argv = ["celery", "-A", "factcheck", "worker", *sys.argv[1:]]
    celery_main()


if __name__ == "__main__":
    main()
