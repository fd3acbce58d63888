"""The shared cache (Redis in production) as the API uses it: a help, never a dependency.

When the cache fails, the call's fallback is used and the failure is logged (once a minute
per process, not once per request), and the cache is left alone for a few seconds, so a
Redis outage costs requests neither their answer nor a connection timeout each.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger("claims.api.cache")

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0

_down_until = 0.0
_logged_at = -LOG_EVERY_SECONDS


def cache_call(what: str, call: Callable[[], T], fallback: T) -> T:
    """`call()`, or `fallback` when the cache is failing (or failed a moment ago)."""
    global _down_until, _logged_at
    now = time.monotonic()
    if now < _down_until:
        return fallback
    try:
        return call()
    except Exception as exc:  # any backend's connection error; the request goes on without it
        _down_until = now + RETRY_AFTER_SECONDS
        if now - _logged_at >= LOG_EVERY_SECONDS:
            _logged_at = now
            log.warning("The cache is unavailable (%s: %s); %s goes on without it.", type(exc).__name__, exc, what)
        return fallback


def reset() -> None:
    """Forget a past failure (tests)."""
    global _down_until, _logged_at
    _down_until, _logged_at = 0.0, -LOG_EVERY_SECONDS
