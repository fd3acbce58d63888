"""The list as partners poll it, served without DRF's request cycle: the same answer, byte
for byte, as DRF gives; everything else still through DRF; and its pages' SQL compiled once."""

from __future__ import annotations

import datetime
import json
import types

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.api import throttles, views
from claims.api.rows import CompiledPages
from claims.models import FactCheck, Partner, PartnerAPIKey
from claims.workflow import verdict_retract

from . import builders
from .builders import bulk_published, correct

LIST = "/api/v1/fact-checks/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_key() -> tuple[PartnerAPIKey, str]:
    """The stored key and the key itself: these tests read the stored one's throttle."""
    return builders.partner_key()


@pytest.fixture
def key_client(partner_key) -> APIClient:
    return builders.api_key_client(partner_key[1])


@pytest.fixture
def lean_calls(monkeypatch) -> list[bool]:
    """Whether each list request was answered by the lean path (True) or left to DRF."""
    calls: list[bool] = []
    lean_list = views.LeanListMixin.lean_list

    def spy(self, request):
        response = lean_list(self, request)
        calls.append(response is not None)
        return response

    monkeypatch.setattr(views.LeanListMixin, "lean_list", spy)
    return calls


def answer(response) -> tuple[int, dict[str, str], bytes]:
    headers = {name: value for name, value in response.headers.items() if name != "Content-Security-Policy"}
    return response.status_code, headers, response.content


def test_the_lean_list_answers_as_drf_does_byte_for_byte(editor, second_editor, key_client, lean_calls, monkeypatch):
    facts = bulk_published(7, author=editor, approver=second_editor)
    correct(facts[1].claim, reviewer=editor, editor=editor, approver=second_editor, rating="true", headline="Re")
    FactCheck.objects.update(changed_at=datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC))  # ties: offsets
    # Cursors carry the second they were signed in: the same second for both answers.
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: 1_700_000_000.0))
    first = key_client.get(f"{LIST}?page_size=3").json()
    second = key_client.get(first["next"]).json()
    urls = [LIST, f"{LIST}?page_size=3", first["next"], second["next"], second["previous"], f"{LIST}?page_size=100"]
    for url in urls:
        lean = answer(key_client.get(url))
        with monkeypatch.context() as drf_only:
            drf_only.setattr(views.LeanListMixin, "lean_list", lambda self, request: None)
            assert answer(key_client.get(url)) == lean, url
        assert lean[0] == 200
    assert lean_calls == [True] * (2 + len(urls))
    every = json.loads(lean[2])["results"]  # the last url: all of them, a corrected one among them
    assert len(every) == 7 and any(item["corrections"] for item in every)
    etag = key_client.get(LIST)["ETag"]
    assert key_client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert lean_calls[-1] is True


def test_other_requests_are_left_to_drf(editor, second_editor, partner_key, key_client, lean_calls):
    bulk_published(3, author=editor, approver=second_editor)
    stored, _ = partner_key
    asks = [
        key_client.get(LIST, HTTP_ACCEPT="application/ld+json"),
        key_client.get(f"{LIST}?format=jsonld"),
        key_client.get(f"{LIST}?updated_since=2000-01-01T00:00:00Z"),
        key_client.get(f"{LIST}?page_size=0"),
        key_client.get(f"{LIST}?cursor=not-ours"),
        key_client.get(f"{LIST}?page_size=2&page_size=3"),
        key_client.get(f"{LIST}?unknown=1"),
        APIClient().get(LIST, HTTP_AUTHORIZATION="Api-Key nonsense.key"),
    ]
    assert [ask.status_code for ask in asks] == [200, 200, 200, 400, 400, 200, 400, 401]
    assert lean_calls == [False] * len(asks)
    stored.revoked = True
    stored.save()
    assert key_client.get(LIST).status_code == 401
    assert lean_calls[-1] is False
    staff = APIClient()
    staff.force_login(editor)
    assert staff.get(LIST).status_code == 200
    assert len(lean_calls) == len(asks) + 2  # a login is not a partner key: DRF's


def test_a_request_refused_by_the_throttle_is_counted_once(partner_key, key_client, lean_calls, monkeypatch):
    stored, _ = partner_key
    now = 1_700_000_010.0  # well inside one minute's window
    monkeypatch.setattr(throttles, "time", types.SimpleNamespace(time=lambda: now))
    Partner.objects.filter(pk=stored.partner_id).update(throttle_rate="2/minute")
    stored.save()  # drops the key's cached details (and its rate with them)
    cache.clear()
    assert [key_client.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
    refused = key_client.get(LIST)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]
    assert lean_calls == [True, True, False, False]
    assert cache.get(f"throttle:partner:{stored.pk}:60:{int(now // 60)}") == 4
    cache.clear()


@pytest.mark.postgres
def test_compiled_pages_read_what_the_queryset_reads_and_compile_each_shape_once(editor, second_editor, reviewer):
    facts = bulk_published(6, author=reviewer, approver=second_editor)
    verdict_retract(verdict=facts[2].verdict, by=editor, reason="Wrong claim")
    rows = FactCheck.objects.for_partners()
    pages = CompiledPages(rows)
    middle = str(FactCheck.objects.order_by("-changed_at")[2].changed_at)  # a cursor's position: a string
    shapes = [
        (("-changed_at", "-claim_id"), None, slice(0, 4)),
        (("-changed_at", "-claim_id"), None, slice(2, 5)),
        (("-changed_at", "-claim_id"), "changed_at__lt", slice(0, 3)),
        (("changed_at", "claim_id"), "changed_at__gt", slice(1, 3)),
    ]
    for ordering, lookup, window in shapes:
        expected = rows.order_by(*ordering)
        page = pages.order_by(*ordering)
        if lookup:
            expected, page = expected.filter(**{lookup: middle}), page.filter(**{lookup: middle})
        expected = list(expected[window])
        assert page[window] == expected and expected, (ordering, lookup, window)
        with CaptureQueriesContext(connection) as queries:
            assert page[window] == expected
        assert len(queries) == 1
    assert len(pages._shapes) == len(shapes)
    # Kept, not compiled again: a queryset that now matches nothing does not change them.
    pages.queryset = rows.filter(pk__in=[-1])
    assert len(pages.order_by(*shapes[0][0])[shapes[0][2]]) == 4
