"""Partner API keys: `Authorization: Api-Key <key>`.

Keys are stored hashed (djangorestframework-api-key). A request authenticated by a key has
no Django user (`request.user` is anonymous) and a `PartnerCredentials` as `request.auth`,
which the permissions and the per-key throttle read.

What a key's prefix stands for (its hash, whether it is revoked, its partner's rate) is
kept in this process for LOCAL_KEY_SECONDS and in the shared cache for KEY_CACHE_SECONDS, so
a busy partner's requests neither query the database nor, mostly, the cache before their
real work. Saving a key or a partner (revoking it, in the admin or anywhere) drops both
entries at once (the receivers at the end of this module); other processes drop theirs within
LOCAL_KEY_SECONDS. With the cache down, keys are read from the database (`cachesafe`).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import Partner, PartnerAPIKey
from .cachesafe import cache_call

KEYWORD = "Api-Key"
KEY_CACHE_SECONDS = 30
LOCAL_KEY_SECONDS = 5
LOCAL_KEY_ENTRIES = 10_000
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


# prefix → (until, details or False); and key id → when its last use was last written.
_local: dict[str, tuple[float, PartnerCredentials | Literal[False]]] = {}
_last_used_written: dict[str, float] = {}


def _from_database(prefix: str) -> PartnerCredentials | None:
    api_key = PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first()
    if api_key is None:
        return None
    return PartnerCredentials(
        key_id=api_key.pk,
        partner_id=api_key.partner_id,
        throttle_rate=api_key.partner.throttle_rate,
        hashed_key=api_key.hashed_key,
        revoked=api_key.revoked,
        expires_at=api_key.expiry_date,
        partner_active=api_key.partner.active,
    )


def _credentials(prefix: str) -> PartnerCredentials | None:
    now = time.monotonic()
    local = _local.get(prefix)
    if local is not None and local[0] > now:
        return local[1] or None  # False: no such key (remembered too, against guessing)
    cached = cache_call("API key lookup", lambda: cache.get(_cache_key(prefix)), None)
    if cached is None:
        found = _from_database(prefix)
        cached = found or False
        cache_call("API key lookup", lambda: cache.set(_cache_key(prefix), cached, KEY_CACHE_SECONDS), None)
    if len(_local) >= LOCAL_KEY_ENTRIES:
        _local.clear()
    _local[prefix] = (now + LOCAL_KEY_SECONDS, cached)
    return cached or None


def forget_keys(*prefixes: str) -> None:
    """Drop cached key details, so a revocation takes effect on the next request."""
    for prefix in prefixes:
        _local.pop(prefix, None)
    cache_call("Forgetting API keys", lambda: cache.delete_many([_cache_key(prefix) for prefix in prefixes]), None)


def _record_use(key_id: str) -> None:
    """Write the key's last use at most once a minute (per process)."""
    now = time.monotonic()
    if now - _last_used_written.get(key_id, -LAST_USED_RESOLUTION_SECONDS) < LAST_USED_RESOLUTION_SECONDS:
        return
    if len(_last_used_written) >= LOCAL_KEY_ENTRIES:
        _last_used_written.clear()
    _last_used_written[key_id] = now
    PartnerAPIKey.objects.filter(pk=key_id).update(last_used_at=timezone.now())


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
        _record_use(credentials.key_id)
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


@receiver([post_save, post_delete], sender=PartnerAPIKey, dispatch_uid="forget_partner_key")
def partner_key_changed(sender, instance: PartnerAPIKey, **kwargs) -> None:
    forget_keys(instance.prefix)


@receiver([post_save, post_delete], sender=Partner, dispatch_uid="forget_partner_keys")
def partner_changed(sender, instance: Partner, **kwargs) -> None:
    forget_keys(*PartnerAPIKey.objects.filter(partner_id=instance.pk).values_list("prefix", flat=True))
