"""Rate limits: per partner key (its partner's rate, or the default), per staff user.

Counted in fixed windows with one cache counter each (`incr`), rather than DRF's
SimpleRateThrottle, which stores and rewrites the timestamp of every request in the
window: at a partner's rate of thousands an hour that is a list of thousands of floats
read and written on every request. On Redis the count is one round trip (INCR and EXPIRE
NX in one pipeline). With the cache down, requests are let through and the outage logged
(`cachesafe`): the throttle protects the service, it is not worth failing it.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .cachesafe import cache_call
from .permissions import partner_key

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "1000/hour" → (1000, 3600)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


# Connection pool's id → (the pool, a client on it).
_clients: dict[int, tuple[Any, Any]] = {}


def _redis_client(backend: RedisCache):
    """A Redis client on the cache's connection pool, kept: Django's RedisCache builds a
    new one (copying some 200 response callbacks) for every call, which cost more CPU
    than the round trip itself."""
    # RedisCache._cache (Django's client wrapper) is private, and absent from the stubs.
    pool = backend._cache._get_connection_pool(True)  # type: ignore[attr-defined]
    kept = _clients.get(id(pool))
    if kept is None or kept[0] is not pool:
        if len(_clients) >= 16:  # settings changed many times over (tests)
            _clients.clear()
        kept = _clients[id(pool)] = (pool, backend._cache.get_client(write=True))  # type: ignore[attr-defined]
    return kept[1]


def count_request(key: str, ttl: int) -> int:
    """Add one to the window's counter and return it."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        # Django's RedisCache.incr checks the key exists first; one pipeline instead.
        client = _redis_client(backend)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(full_key)
        pipeline.expire(full_key, ttl, nx=True)
        count, _ = pipeline.execute()
        return int(count)
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, ttl)
        return 1


class WindowThrottle(BaseThrottle):
    scope = ""

    def identity(self, request) -> str | None:
        """Whom the window counts, or None when this throttle does not apply to the request.
        (Not DRF's get_ident, which always names someone.)"""
        raise NotImplementedError

    def get_rate(self, request) -> str:
        # Rates are strings ("1000/hour"); the stubs declare them numbers.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]  # type: ignore[return-value]

    def allow_request(self, request, view) -> bool:
        ident = self.identity(request)
        if ident is None:
            return True
        limit, period = parse_rate(self.get_rate(request))
        now = time.time()
        window = int(now // period)
        key = f"throttle:{self.scope}:{ident}:{period}:{window}"
        count = cache_call("Throttling", lambda: count_request(key, period + 1), 0)
        self.wait_seconds = math.ceil((window + 1) * period - now)
        return count <= limit

    def wait(self) -> float:
        return self.wait_seconds


class PartnerKeyThrottle(WindowThrottle):
    scope = "partner"

    def identity(self, request) -> str | None:
        key = partner_key(request)
        return None if key is None else key.key_id

    def get_rate(self, request) -> str:
        key = partner_key(request)  # there is one: identity() found it
        return (key.throttle_rate if key else None) or super().get_rate(request)


class StaffThrottle(WindowThrottle):
    scope = "user"

    def identity(self, request) -> str | None:
        if partner_key(request) is not None:
            return None
        user = request.user
        if user and user.is_authenticated:
            return f"user-{user.pk}"
        return "ip-" + (request.META.get("REMOTE_ADDR") or "unknown")
