"""Partner API keys: `Authorization: Api-Key <key>`.

Keys are stored hashed (djangorestframework-api-key). A request authenticated by a key has
no Django user (`request.user` is anonymous) and a `PartnerCredentials` as `request.auth`,
which the permissions and the per-key throttle read.

What a key's prefix stands for (its hash, whether it is revoked, its partner's rate) is
kept in the cache for KEY_CACHE_SECONDS, so a busy partner's requests do not each query
the database before their real work; saving a key or a partner (revoking it, in the admin
or anywhere) drops the entry at once (receivers in `claims.signals`). With Redis as the cache that holds for every
worker; with the in-process fallback, other processes may honour a revoked key for up to
KEY_CACHE_SECONDS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import PartnerAPIKey

KEYWORD = "Api-Key"
KEY_CACHE_SECONDS = 30
# Recording every use would add a write to every request; once a minute is enough to
# tell a key in use from a forgotten one.
LAST_USED_RESOLUTION_SECONDS = 60


@dataclass(frozen=True)
class PartnerCredentials:
    """Who is calling, when a partner key authenticated the request."""

    key_id: str
    partner_id: int
    throttle_rate: str
    hashed_key: str
    revoked: bool
    expires_at: datetime.datetime | None
    partner_active: bool


def _cache_key(prefix: str) -> str:
    return f"api-key:{prefix}"


def _credentials(prefix: str) -> PartnerCredentials | None:
    cached = cache.get(_cache_key(prefix))
    if cached is not None:
        return cached or None  # False: no such key (remembered too, against guessing)
    api_key = PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first()
    found = (
        PartnerCredentials(
            key_id=api_key.pk,
            partner_id=api_key.partner_id,
            throttle_rate=api_key.partner.throttle_rate,
            hashed_key=api_key.hashed_key,
            revoked=api_key.revoked,
            expires_at=api_key.expiry_date,
            partner_active=api_key.partner.active,
        )
        if api_key is not None
        else None
    )
    cache.set(_cache_key(prefix), found or False, KEY_CACHE_SECONDS)
    return found


def forget_keys(*prefixes: str) -> None:
    """Drop cached key details, so a revocation takes effect on the next request."""
    cache.delete_many([_cache_key(prefix) for prefix in prefixes])


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        if not key or " " in key:
            raise exceptions.AuthenticationFailed(f"Send the key as 'Authorization: {KEYWORD} <key>'.")
        credentials = _credentials(key.partition(".")[0])
        if credentials is None or not PartnerAPIKey.objects.key_generator.verify(key, credentials.hashed_key):
            raise exceptions.AuthenticationFailed("This API key is not valid.")
        if credentials.revoked:
            raise exceptions.AuthenticationFailed("This API key has been revoked; ask us for a new one.")
        if credentials.expires_at is not None and credentials.expires_at < timezone.now():
            raise exceptions.AuthenticationFailed("This API key has expired; ask us for a new one.")
        if not credentials.partner_active:
            raise exceptions.AuthenticationFailed("This partner's access is suspended.")
        if cache.add(f"api-key-used:{credentials.key_id}", 1, LAST_USED_RESOLUTION_SECONDS):
            PartnerAPIKey.objects.filter(pk=credentials.key_id).update(last_used_at=timezone.now())
        return AnonymousUser(), credentials

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """Describes the key header in the OpenAPI schema."""

    target_class = PartnerKeyAuthentication
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"'{KEYWORD} <key>', the key `manage.py create_partner` printed.",
        }
