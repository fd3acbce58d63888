"""Rate limits: per partner key (its partner's rate, or the default), per staff user.

Counted in fixed windows with one cache counter each (`incr`), rather than DRF's
SimpleRateThrottle, which stores and rewrites the timestamp of every request in the
window: at a partner's rate of thousands an hour that is a list of thousands of floats
read and written on every request.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .permissions import partner_key

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "1000/hour" → (1000, 3600)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class WindowThrottle(BaseThrottle):
    scope = ""

    def get_ident(self, request) -> str | None:  # type: ignore[override]
        raise NotImplementedError

    def get_rate(self, request) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        ident = self.get_ident(request)
        if ident is None:
            return True
        limit, period = parse_rate(self.get_rate(request))
        now = time.time()
        window = int(now // period)
        key = f"throttle:{self.scope}:{ident}:{period}:{window}"
        cache.add(key, 0, period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(key, 1, period + 1)
            count = 1
        self.wait_seconds = math.ceil((window + 1) * period - now)
        return count <= limit

    def wait(self) -> float:
        return self.wait_seconds


class PartnerKeyThrottle(WindowThrottle):
    scope = "partner"

    def get_ident(self, request) -> str | None:
        key = partner_key(request)
        return None if key is None else key.key_id

    def get_rate(self, request) -> str:
        return partner_key(request).throttle_rate or super().get_rate(request)


class StaffThrottle(WindowThrottle):
    scope = "user"

    def get_ident(self, request) -> str | None:
        if partner_key(request) is not None:
            return None
        user = request.user
        if user and user.is_authenticated:
            return f"user-{user.pk}"
        return "ip-" + (request.META.get("REMOTE_ADDR") or "unknown")
