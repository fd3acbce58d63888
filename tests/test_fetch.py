"""The fetcher against a local site: redirects, limits, errors, and no SSRF."""

from __future__ import annotations

import pytest

from claims.fetch import FetchError, TransientFetchError, fetch

from .support import Route


def test_fetches_a_page_with_its_charset(site):
    url = site.add(
        "/a", Route(body="Café".encode("latin-1"), headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    )
    page = fetch(url)
    assert (page.status, page.content_type, page.charset, page.content) == (200, "text/html", "ISO-8859-1", b"Caf\xe9")


def test_follows_redirects_to_the_final_address(site):
    final = site.add("/final", Route(body=b"<p>here</p>"))
    site.add("/moved", Route(status=301, headers={"Location": "/final"}))
    start = site.add("/old", Route(status=302, headers={"Location": site.url("/moved")}))
    page = fetch(start)
    assert page.url == final and page.content == b"<p>here</p>"


def test_a_redirect_loop_stops(site, settings):
    settings.FETCH_MAX_REDIRECTS = 3
    url = site.add("/loop", Route(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="redirected more than 3 times"):
        fetch(url)
    assert site.hits["/loop"] == 4


def test_404_is_a_permanent_error(site):
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch(site.url("/missing"))
    assert not caught.value.transient


def test_500_is_transient(site):
    url = site.add("/down", Route(status=503, body=b"busy"))
    with pytest.raises(TransientFetchError, match="HTTP 503"):
        fetch(url)


def test_a_slow_site_times_out(site, settings):
    settings.FETCH_TIMEOUT_SECONDS = 1
    url = site.add("/slow", Route(body=b"late", delay=2.5))
    with pytest.raises(TransientFetchError, match="did not answer within 1 seconds"):
        fetch(url)


def test_a_page_over_the_size_limit_is_refused(site, settings):
    settings.ARTICLE_MAX_BYTES = 1024 * 1024
    url = site.add("/huge", Route(body=b"x" * (2 * 1024 * 1024 + 10)))
    with pytest.raises(FetchError, match="the limit is 1 MB"):
        fetch(url)


def test_loopback_is_refused_unless_allowed(site, settings):
    url = site.add("/a", Route(body=b"secret"))
    settings.FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url)
    assert site.hits == {}  # refused before connecting


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.8/admin",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[::1]:8000/",
        "http://0.0.0.0/",
        "http://localhost/",
    ],
)
def test_private_network_addresses_are_refused(url, settings):
    settings.FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url)


def test_a_redirect_into_the_private_network_is_refused(site):
    url = site.add("/trap", Route(status=302, headers={"Location": "http://10.1.2.3/internal"}))
    with pytest.raises(FetchError, match="private or local network"):
        fetch(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://x/"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="Only http and https"):
        fetch(url)


def test_an_unknown_host_says_so():
    with pytest.raises(FetchError, match="does not exist"):
        fetch("http://no-such-host.invalid/")
