"""Fetching articles and feeds, through the SSRF-safe client in `claims.netsafe`.

Each hop of a redirect chain is checked before anything is sent: http(s) only, and the
host's addresses must all be public unless their network is allowed in settings
(FETCH_ALLOWED_NETWORKS). A fetch has a time limit per read and an overall deadline
(FETCH_DEADLINE_SECONDS) for connecting, the answer and the whole body together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import netsafe


class FetchError(Exception):
    """The page could not be fetched; the message is for the person who submitted it."""

    transient = False


class TransientFetchError(FetchError):
    """Worth trying again later: a timeout, a refused connection, a 5xx answer."""

    transient = True


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    status: int
    content_type: str
    content: bytes
    charset: str | None
    # Validators for the next conditional request (see fetch_if_changed).
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


HTML = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"


def resolve_public(host: str, port: int) -> str:
    """The address to connect to for `host`, refusing private, loopback, link-local,
    multicast and reserved addresses unless their network is allowed in settings."""
    try:
        return netsafe.resolve_public(host, port, allowed=netsafe.networks(settings.FETCH_ALLOWED_NETWORKS))
    except netsafe.NetworkError as exc:
        raise _fetch_error(exc) from None


def _fetch_error(exc: netsafe.NetworkError) -> FetchError:
    message = str(exc)
    if isinstance(exc, netsafe.AddressRefused):
        message = f"Refused to fetch: {message}"
    return (TransientFetchError if exc.transient else FetchError)(message)


def fetch(url: str, *, accept: str = HTML, max_bytes: int | None = None, headers: dict[str, str] | None = None) -> Page:
    """GET `url`, following redirects, within the size and time limits of settings (an
    article's size unless `max_bytes` says otherwise); `accept` is the Accept header and
    `headers` any others to send."""
    try:
        response = netsafe.request(
            "GET",
            url,
            headers={"User-Agent": settings.FETCH_USER_AGENT, "Accept": accept, **(headers or {})},
            allowed=netsafe.networks(settings.FETCH_ALLOWED_NETWORKS),
            timeout=settings.FETCH_TIMEOUT_SECONDS,
            deadline=settings.FETCH_DEADLINE_SECONDS,
            max_bytes=max_bytes or settings.ARTICLE_MAX_BYTES,
            max_redirects=settings.FETCH_MAX_REDIRECTS,
        )
    except netsafe.NetworkError as exc:
        raise _fetch_error(exc) from None
    if response.status in netsafe.REDIRECTS:
        raise FetchError(f"The page redirected more than {settings.FETCH_MAX_REDIRECTS} times.")
    if response.status >= 500:
        raise TransientFetchError(f"The site answered with a server error (HTTP {response.status}).")
    if response.status >= 400:
        raise FetchError(f"The site refused the page (HTTP {response.status}).")
    return Page(
        response.url,
        response.status,
        response.content_type,
        response.content,
        response.charset,
        response.headers.get("etag", ""),
        response.headers.get("last-modified", ""),
    )


# Conditional requests (monitored sources) -------------------------------------------------


def fetch_if_changed(
    url: str, *, etag: str = "", last_modified: str = "", accept: str = HTML, max_bytes: int | None = None
) -> Page:
    """`fetch`, sending the validators of the previous answer (If-None-Match,
    If-Modified-Since): a page that has not changed comes back with status 304, no content,
    and `not_modified` true."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return fetch(url, accept=accept, max_bytes=max_bytes, headers=headers)
