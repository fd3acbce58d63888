"""Fetching articles: the project's only network I/O.

Each hop of a redirect chain is checked before anything is sent: http(s) only, and the
host's addresses must all be public unless their network is allowed in settings. The
connection then goes to the address that was checked (not to a second DNS answer), so a
name that resolves to a private address cannot be used to reach internal services (SSRF).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings


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


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.FETCH_ALLOWED_NETWORKS]


def resolve_public(host: str, port: int) -> str:
    """The address to connect to for `host`, refusing private, loopback, link-local and
    reserved addresses unless their network is allowed in settings."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host {host!r} does not exist (DNS lookup failed).") from None
    allowed = _allowed_networks()
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global and not any(address in net for net in allowed):
            raise FetchError(
                f"Refused to fetch {host}: it points to a private or local network address "
                f"({address}), which the workbench does not reach."
            )
        addresses.append(str(address))
    if not addresses:
        raise FetchError(f"The host {host!r} has no address.")
    return addresses[0]


HTML = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"


def _request(
    url: str, timeout: float, accept: str = HTML, extra: dict[str, str] | None = None
) -> urllib3.BaseHTTPResponse:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"Only http and https addresses can be fetched, not {parts.scheme or 'this'}:.")
    if not parts.hostname:
        raise FetchError("The address has no host name.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = resolve_public(parts.hostname, port)
    pool_kwargs = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1}
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            ip,
            port,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            ssl_context=ssl.create_default_context(),
            **pool_kwargs,
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, **pool_kwargs)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = parts.netloc.rsplit("@", 1)[-1]
    try:
        return pool.urlopen(
            "GET",
            path,
            redirect=False,
            preload_content=False,
            headers={
                "Host": host_header,
                "User-Agent": settings.FETCH_USER_AGENT,
                "Accept": accept,
                **(extra or {}),
            },
        )
    except urllib3.exceptions.TimeoutError:
        raise TransientFetchError(f"{parts.hostname} did not answer within {timeout:g} seconds.") from None
    except urllib3.exceptions.SSLError as exc:
        raise FetchError(f"The secure connection to {parts.hostname} failed: {exc}.") from None
    except urllib3.exceptions.HTTPError as exc:
        raise TransientFetchError(f"Could not connect to {parts.hostname}: {exc}.") from None


def fetch(url: str, *, accept: str = HTML, max_bytes: int | None = None, headers: dict[str, str] | None = None) -> Page:
    """GET `url`, following redirects, within the size and time limits of settings (an
    article's size unless `max_bytes` says otherwise); `accept` is the Accept header and
    `headers` any others to send."""
    timeout = settings.FETCH_TIMEOUT_SECONDS
    max_bytes = max_bytes or settings.ARTICLE_MAX_BYTES
    for _ in range(settings.FETCH_MAX_REDIRECTS + 1):
        response = _request(url, timeout, accept, headers)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"The page redirected without saying where to (HTTP {response.status}).")
                url = urljoin(url, location)
                continue
            if response.status >= 500:
                raise TransientFetchError(f"The site answered with a server error (HTTP {response.status}).")
            if response.status >= 400:
                raise FetchError(f"The site refused the page (HTTP {response.status}).")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(_too_big(int(length), max_bytes))
            content = bytearray()
            try:
                for chunk in response.stream(64 * 1024):
                    content += chunk
                    if len(content) > max_bytes:
                        raise FetchError(_too_big(len(content), max_bytes, at_least=True))
            except urllib3.exceptions.TimeoutError:
                raise TransientFetchError(f"The page did not finish loading within {timeout:g} seconds.") from None
            except urllib3.exceptions.HTTPError as exc:
                raise TransientFetchError(f"The connection broke while loading the page: {exc}.") from None
            content_type = response.headers.get("Content-Type", "")
            charset = None
            for param in content_type.split(";")[1:]:
                key, _, value = param.strip().partition("=")
                if key.lower() == "charset" and value:
                    charset = value.strip("\"'")
            kind = content_type.split(";")[0].strip().lower()
            etag, modified = response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
            return Page(url, response.status, kind, bytes(content), charset, etag, modified)
        finally:
            response.release_conn()
    raise FetchError(f"The page redirected more than {settings.FETCH_MAX_REDIRECTS} times.")


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


def _too_big(size: int, limit: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"The page is {more}{size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
