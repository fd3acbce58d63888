"""CPU used by the whole PostgreSQL server on this machine, as the operating system counts
it: the postmaster, every process it runs now (sessions, parallel workers, background
processes) and every one it has run and reaped (their CPU is added to the postmaster's
children's time when it waits for them). Sampling the sessions alone misses a parallel
worker, which lives for one statement.

Other databases on the same server count too: measure with nothing else running on it."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def postmaster(cursor) -> int | None:
    """The postmaster's pid: the parent of this session's server process (None when the
    server does not run on this machine)."""
    cursor.execute("SELECT pg_backend_pid()")
    fields = _stat(cursor.fetchone()[0])
    return int(fields[1]) if fields else None  # field 4 of stat: the parent's pid


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) the server under postmaster `pid` has used so far."""
    if pid is None:
        return 0.0
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # utime, stime, and the reaped children's cutime, cstime (fields 14 to 17 of stat).
    total = sum(int(f) for f in fields[11:15])
    for stat in Path("/proc").glob("[0-9]*/stat"):
        child = _stat(int(stat.parent.name))
        if child and int(child[1]) == pid:
            total += int(child[11]) + int(child[12])
    return total / os.sysconf("SC_CLK_TCK")
