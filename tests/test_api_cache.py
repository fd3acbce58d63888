"""The API with its cache failing: keys from the database, throttles let requests through
(and say so in the log), revocations still honoured; and key lookups kept in-process."""

from __future__ import annotations

import logging
import os
import socket

import pytest

from claims.api import auth, cachesafe
from claims.api.throttles import count_request
from claims.models import PartnerAPIKey

from .builders import api_key_client, partner_key, token_client

pytestmark = pytest.mark.django_db
LIST = "/api/v1/fact-checks/"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.fixture
def cache_down(settings):
    """The cache is a Redis that does not answer (connection refused)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    cachesafe.reset()
    yield
    cachesafe.reset()


@pytest.fixture
def throttled_key() -> tuple[PartnerAPIKey, str]:
    """A partner allowed two requests a minute, and its key."""
    return partner_key("Platform", key_name="k", throttle_rate="2/minute")


def test_partners_and_staff_are_served_with_the_cache_down(cache_down, throttled_key, editor, caplog):
    caplog.set_level(logging.WARNING, logger="claims.api.cache")
    cachesafe.reset()  # creating the key already met the dead cache; start the log afresh
    stored, key = throttled_key
    partner = api_key_client(key)
    # Throttling is off while the cache is down (2/minute would refuse the third).
    assert [partner.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 200]
    staff = token_client(editor)
    assert staff.get("/api/v1/claims/").status_code == 200
    assert any("cache is unavailable" in record.getMessage() for record in caplog.records)
    # A key revoked meanwhile is refused at once.
    stored.revoked = True
    stored.save()
    assert partner.get(LIST).status_code == 401
    assert api_key_client("nonsense.key").get(LIST).status_code == 401


def test_a_revocation_reaches_other_processes_within_seconds(throttled_key, monkeypatch):
    from django.core.cache import cache

    stored, key = throttled_key
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    client = api_key_client(key)
    assert client.get(LIST).status_code == 200
    # Revoked by another process: the database and the shared cache changed, not our memory.
    PartnerAPIKey.objects.filter(pk=stored.pk).update(revoked=True)
    cache.delete(auth._cache_key(stored.prefix))
    clock[0] += 1
    assert client.get(LIST).status_code == 200  # still remembered here, for a moment
    clock[0] += auth.LOCAL_KEY_SECONDS
    assert client.get(LIST).status_code == 401


def test_a_known_key_is_checked_without_a_query(throttled_key, django_assert_num_queries):
    _, key = throttled_key
    client = api_key_client(key)
    client.get(LIST)  # looks the key up, records its use
    from rest_framework.test import APIRequestFactory

    from claims.api.auth import PartnerKeyAuthentication

    request = APIRequestFactory().get(LIST, HTTP_AUTHORIZATION=f"Api-Key {key}")
    with django_assert_num_queries(0):
        PartnerKeyAuthentication().authenticate(request)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_on_redis_a_window_is_counted_in_one_pipeline(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL}
    }
    from django.core.cache import cache

    key = f"throttle:test:{os.getpid()}"
    cache.delete(key)
    assert [count_request(key, 60) for _ in range(3)] == [1, 2, 3]
    client = cache._cache.get_client(cache.make_and_validate_key(key))
    assert 0 < client.ttl(cache.make_and_validate_key(key)) <= 60
    cache.delete(key)
