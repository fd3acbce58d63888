"""Rate limits: per partner key (its partner's rate, or the default), per staff user."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from .permissions import partner_key


class PartnerKeyThrottle(SimpleRateThrottle):
    scope = "partner"

    def allow_request(self, request, view) -> bool:
        key = partner_key(request)
        if key is None:
            return True
        if key.partner.throttle_rate:
            self.rate = key.partner.throttle_rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        key = partner_key(request)
        return None if key is None else self.cache_format % {"scope": self.scope, "ident": key.pk}


class StaffThrottle(SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if partner_key(request) is not None:
            return None
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
