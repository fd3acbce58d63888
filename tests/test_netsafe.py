"""The one outgoing HTTP client: addresses it refuses whatever `is_global` says, and an
overall deadline that a trickling server cannot stretch."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from claims import netsafe, services, tasks
from claims.fetch import FetchError, TransientFetchError, fetch
from claims.models import Article
from claims.services import ingestion  # where ingestion looks html_to_article up


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::ffff:0:7f00:1",  # IPv4-translated 127.0.0.1
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "64:ff9b:1::1",  # local-use NAT64
        "224.0.0.1",  # multicast
        "239.255.255.250",
        "ff02::1",
        "240.0.0.1",  # reserved
        "255.255.255.255",
        "0.0.0.0",  # unspecified
        "::",
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "169.254.169.254",
        "fe80::1",
        "fc00::1",
        "100.64.0.1",  # carrier-grade NAT
    ],
)
def test_non_public_addresses_are_refused_in_every_form(address):
    assert not netsafe.address_is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:4700:4700::1111", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1"]
)
def test_public_addresses_pass_also_through_nat64_and_6to4(address):
    assert netsafe.address_is_public(ipaddress.ip_address(address))


def test_an_allowed_network_covers_its_embedded_forms_too():
    allowed = netsafe.networks(["127.0.0.0/8"])
    assert netsafe.address_is_public(ipaddress.ip_address("::ffff:127.0.0.1"), allowed)
    assert not netsafe.address_is_public(ipaddress.ip_address("::ffff:10.0.0.1"), allowed)


@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[::7f00:1]/", "http://224.0.0.1/"]
)
def test_the_fetcher_refuses_embedded_and_multicast_addresses_before_connecting(url, settings, monkeypatch):
    settings.FETCH_ALLOWED_NETWORKS = []
    monkeypatch.setattr(netsafe, "HTTPConnection", None)  # any connection attempt would fail loudly
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url)


class Trickle:
    """A server that sends its answer one byte at a time, `gap` seconds apart."""

    def __init__(self, *, in_headers: bool, gap: float = 0.2) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.in_headers, self.gap = in_headers, gap
        self.stop = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        try:
            connection.recv(65536)
            if not self.in_headers:
                connection.sendall(head)
            for byte in head if self.in_headers else b"x" * 100000:
                if self.stop.is_set():
                    break
                connection.sendall(bytes([byte]))
                time.sleep(self.gap)
        except OSError:
            pass
        finally:
            connection.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture(params=[True, False], ids=["trickled-headers", "trickled-body"])
def trickle(request, settings) -> Iterator[Trickle]:
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    server = Trickle(in_headers=request.param)
    yield server
    server.close()


def test_a_trickling_site_stops_at_the_overall_deadline(trickle, settings):
    settings.FETCH_TIMEOUT_SECONDS = 5  # each byte comes well within the per-read limit
    settings.FETCH_DEADLINE_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(TransientFetchError, match="The site took longer than 1 seconds to"):
        fetch(trickle.url())
    assert time.monotonic() - started < 3


@pytest.mark.django_db
def test_an_article_on_a_trickling_site_says_so_in_words(trickle, settings, django_capture_on_commit_callbacks):
    settings.FETCH_TIMEOUT_SECONDS = 5
    settings.FETCH_DEADLINE_SECONDS = 1
    settings.FETCH_MAX_RETRIES = 0
    with django_capture_on_commit_callbacks(execute=False):
        submission = services.article_submit(url=trickle.url("/slow-article"))
    tasks.ingest_article.apply(args=[submission.article.pk])
    article = Article.objects.get(pk=submission.article.pk)
    assert article.status == Article.Status.FAILED
    assert "The site took longer than 1 seconds" in article.error
    assert "internal error" not in article.error


@pytest.mark.django_db
def test_an_article_past_the_jobs_time_limit_fails_in_words(monkeypatch, django_capture_on_commit_callbacks):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded()

    with django_capture_on_commit_callbacks(execute=False):
        submission = services.article_submit(html=b"<html><body><p>Some page text here.</p></body></html>")
    monkeypatch.setattr(ingestion, "html_to_article", lambda *a, **k: too_slow())
    tasks.ingest_article.apply(args=[submission.article.pk])
    article = Article.objects.get(pk=submission.article.pk)
    assert article.status == Article.Status.FAILED
    assert "took longer than" in article.error and "internal error" not in article.error
