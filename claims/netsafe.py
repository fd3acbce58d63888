"""Outgoing HTTP that cannot be turned against us: the one client for article fetching,
webhooks and ClaimReview feed imports.

- Every hop of a redirect chain is checked before anything is sent: http(s) only, and all
  of the host's addresses must be public (`address_is_public`) unless their network is
  allowed. The connection then goes to the address that was checked, not to a second DNS
  answer, so a name that resolves to a private address cannot reach internal services.
- A request has an overall deadline (connect, headers, body and redirects together),
  enforced by closing the socket when it passes, so a server that trickles one byte every
  few seconds cannot hold a worker until the job's time limit.
- Bodies are read up to a size limit.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

REDIRECTS = (301, 302, 303, 307, 308)

# IPv6 ranges that carry an IPv4 address in their last 32 bits: the embedded address is
# what a packet really reaches (through NAT64, 6to4 relays or the host's own stack).
_EMBEDDING_V4 = [
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64, well-known prefix
    ipaddress.ip_network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated
    ipaddress.ip_network("::/96"),  # IPv4-compatible (deprecated)
]
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


class NetworkError(Exception):
    """The request failed; the message is in words for whoever asked for it."""

    transient = False


class TransientNetworkError(NetworkError):
    """Worth trying again later: a timeout, a refused connection, a broken transfer."""

    transient = True


class AddressRefused(NetworkError):
    """The address is private, local or otherwise not on the public internet."""


class UnknownHost(NetworkError):
    """The host name does not resolve."""


class DeadlineExceeded(TransientNetworkError):
    pass


class TooLarge(NetworkError):
    pass


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    for network in _EMBEDDING_V4:
        if address in network:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_public(address: Address, allowed: Iterable[Network] = ()) -> bool:
    """True when `address` is on the public internet, or in a network allowed by settings.

    Stricter than `is_global`: multicast, reserved and unspecified addresses are refused too,
    and an IPv6 address that embeds an IPv4 one (NAT64, 6to4, mapped, compatible) is judged
    by the IPv4 address it leads to. Teredo is refused outright.
    """
    allowed = list(allowed)
    if any(address.version == net.version and address in net for net in allowed):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        if address in _TEREDO or address in _LOCAL_NAT64:
            return False
        embedded = _embedded_v4(address)
        if embedded is not None:
            return address_is_public(embedded, allowed)
    return bool(
        address.is_global
        and not (
            address.is_multicast
            or address.is_reserved
            or address.is_unspecified
            or address.is_loopback
            or address.is_link_local
            or address.is_private
            or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        )
    )


def networks(cidrs: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]


def resolve_public(host: str, port: int, *, allowed: Iterable[Network] = ()) -> str:
    """The address to connect to for `host`, after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnknownHost(f"The host {host!r} does not exist (DNS lookup failed).") from None
    allowed = list(allowed)
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address_is_public(address, allowed):
            raise AddressRefused(
                f"{host} points to a private or local network address ({address}), which the workbench does not reach."
            )
        addresses.append(str(address))
    if not addresses:
        raise UnknownHost(f"The host {host!r} has no address.")
    return addresses[0]


def check_url(url: str, *, allowed: Iterable[Network] = (), resolve: bool = True) -> None:
    """Raise NetworkError when `url` is not one we would send a request to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise NetworkError(f"Only http and https addresses can be used, not {parts.scheme or 'this'}:.")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise NetworkError("The address has an invalid port.") from None
    if not host:
        raise NetworkError("The address has no host name.")
    if resolve:
        resolve_public(host, port or (443 if parts.scheme == "https" else 80), allowed=allowed)


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str] = field(repr=False)
    content: bytes = field(repr=False)
    truncated: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"'")
        return None


class _Watchdog:
    """Shuts the connection's socket down when the deadline passes, which wakes up any
    read blocked on it; the request then fails with DeadlineExceeded."""

    def __init__(self, connection: HTTPConnection, seconds: float) -> None:
        self.connection = connection
        self.fired = False
        self.timer = threading.Timer(max(seconds, 0.0), self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()


def _too_big(size: int, limit: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"The page is {more}{size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    allowed: Iterable[Network] = (),
    timeout: float,
    deadline: float,
    max_bytes: int,
    truncate: bool = False,
    max_redirects: int = 0,
) -> Response:
    """Send one request (following up to `max_redirects` redirects for a GET).

    `timeout` bounds each connect and each read; `deadline` bounds the whole exchange. A
    body longer than `max_bytes` is refused (TooLarge), or cut there with `truncate`.
    """
    allowed = list(allowed)
    ends_at = time.monotonic() + deadline
    for _ in range(max_redirects + 1):
        response = _one(method, url, headers, body, allowed, timeout, deadline, ends_at, max_bytes, truncate)
        if response.status in REDIRECTS and max_redirects:
            location = response.headers.get("location")
            if not location:
                raise NetworkError(f"The page redirected without saying where to (HTTP {response.status}).")
            url = urljoin(url, location)
            continue
        return response
    raise NetworkError(f"The page redirected more than {max_redirects} times.")


def _one(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    allowed: list[Network],
    timeout: float,
    deadline: float,
    ends_at: float,
    max_bytes: int,
    truncate: bool,
) -> Response:
    check_url(url, resolve=False)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = resolve_public(host, port, allowed=allowed)
    left = ends_at - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded(f"The site took longer than {deadline:g} seconds to answer.")
    per_op = min(timeout, left)
    connection: HTTPConnection
    if parts.scheme == "https":
        connection = HTTPSConnection(
            ip,
            port,
            timeout=per_op,
            server_hostname=host,
            assert_hostname=host,
            ssl_context=ssl.create_default_context(),
        )
    else:
        connection = HTTPConnection(ip, port, timeout=per_op)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent_headers = {"Host": parts.netloc.rsplit("@", 1)[-1], **headers}
    watchdog = _Watchdog(connection, left)
    stage = "answer"
    try:
        with watchdog:
            connection.request(method, path, body=body, headers=sent_headers, preload_content=False)
            raw = connection.getresponse()
            stage = "send the page"
            answer_headers = {name.lower(): value for name, value in raw.headers.items()}
            content = bytearray()
            cut = False
            if raw.status not in REDIRECTS:
                length = answer_headers.get("content-length", "")
                if length.isascii() and length.isdigit() and int(length) > max_bytes and not truncate:
                    raise TooLarge(_too_big(int(length), max_bytes))
                for chunk in raw.stream(64 * 1024, decode_content=True):
                    content += chunk
                    if len(content) > max_bytes:
                        if not truncate:
                            raise TooLarge(_too_big(len(content), max_bytes, at_least=True))
                        del content[max_bytes:]
                        cut = True
                        break
                    if time.monotonic() > ends_at:
                        watchdog.fired = True
                        break
            if watchdog.fired:
                raise DeadlineExceeded(f"The site took longer than {deadline:g} seconds to {stage}.")
            return Response(url, raw.status, answer_headers, bytes(content), cut)
    except NetworkError:
        raise
    except (OSError, http.client.HTTPException, urllib3.exceptions.HTTPError, ValueError) as exc:
        if watchdog.fired:
            raise DeadlineExceeded(f"The site took longer than {deadline:g} seconds to {stage}.") from None
        if isinstance(exc, urllib3.exceptions.SSLError | ssl.SSLError):
            raise NetworkError(f"The secure connection to {host} failed: {exc}.") from None
        if isinstance(exc, TimeoutError | socket.timeout | urllib3.exceptions.TimeoutError):
            if stage == "answer":
                raise TransientNetworkError(f"{host} did not answer within {per_op:g} seconds.") from None
            raise TransientNetworkError(f"The page did not finish loading within {per_op:g} seconds.") from None
        if isinstance(exc, http.client.HTTPException | urllib3.exceptions.ProtocolError) and stage != "answer":
            raise TransientNetworkError(f"The connection broke while loading the page: {exc}.") from None
        raise TransientNetworkError(f"Could not connect to {host}: {exc}.") from None
    finally:
        connection.close()
