"""Download a file for import from an http(s) URL: scheme and address checked, deadline, size cap.

Used by the Data page's "import from URL". What is refused, at the first URL and at every
redirect hop:

* any scheme but ``http`` and ``https`` (never ``file://`` or others that would read the
  server's own files);
* hosts on a loopback, private, link-local, multicast, reserved or otherwise non-public
  address (``127.0.0.1``, ``10.x``, ``169.254.169.254``...), so that a visitor of a shared
  instance cannot make the server fetch from its own network. The name is resolved and every
  address it resolves to is checked before connecting, and the address actually connected to
  is checked again (a DNS answer that changes between the two is caught).
  ``OBLASTWATCH_ALLOW_PRIVATE_URLS=1`` turns this check off (tests, or a trusted intranet);
  with the check on, proxy settings from the environment are not used (the proxy would
  connect on our behalf, unchecked).

The timeout is a total deadline for the whole download, not a limit per read: the body is read
in small pieces with the deadline checked between them, and a watchdog closes the connection
when it passes, so a server that trickles a byte at a time is cut off on time. The body is
streamed to disk and cut off at ``max_bytes`` (counted after any gzip/deflate decoding); a
partial file is removed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from oblastwatch.i18n import Message

DEFAULT_TIMEOUT_S = 20.0
READ_BYTES = 64 * 1024  # one read; the deadline is checked between reads
ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
ALLOW_PRIVATE_ENV = "OBLASTWATCH_ALLOW_PRIVATE_URLS"
LOOPBACK_NAMES = ("localhost",)


class DownloadError(Exception):
    """A URL that could not be fetched; ``str()`` is one line a user can act on.

    ``message`` is that line as a :class:`Message`, for a page to show in its language.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


def check_url(url: str) -> str:
    """Return ``url`` stripped if it is an absolute http(s) URL with a host, else raise.

    >>> check_url(" https://example.org/a.csv ")
    'https://example.org/a.csv'
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        shown = parts.scheme or "none"
        raise DownloadError(
            Message(
                "Only http:// and https:// URLs can be imported (scheme: {scheme}).",
                {"scheme": shown},
            )
        )
    if not parts.hostname:
        raise DownloadError(Message("The URL has no host name."))
    try:
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError:
        raise DownloadError(Message("The URL's port is not a number from 0 to 65535.")) from None
    return text


def file_name_from_url(url: str, default: str = "download.csv") -> str:
    """The last path segment of ``url``, reduced to safe characters.

    >>> file_name_from_url("https://x.org/data/../attacks%20daily.csv?dl=1")
    'attacks_daily.csv'
    """
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", segment).strip("._")
    return cleaned[:100] or default


# --- addresses ------------------------------------------------------------------------------


def private_urls_allowed() -> bool:
    """``True`` when ``OBLASTWATCH_ALLOW_PRIVATE_URLS=1``: non-public hosts may be fetched."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip() == "1"


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip


def non_public_kind(address: str) -> str | None:
    """Why ``address`` (an IP literal) must not be fetched from, or ``None`` if it is public.

    >>> non_public_kind("169.254.169.254"), non_public_kind("::ffff:10.0.0.1")
    ('link-local', 'private')
    >>> non_public_kind("93.184.216.34") is None
    True
    """
    ip = _ip(address)
    if ip is None:
        return "unparseable"
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # shared address space (100.64/10), documentation ranges...
        return "non-public"
    return None


def is_loopback_address(address: str | None) -> bool:
    """``True`` for an address that only this machine can reach (``127.x``, ``::1``, localhost).

    >>> [is_loopback_address(a) for a in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "", None)]
    [True, True, True, False, False, False]
    """
    text = (address or "").strip().strip("[]").lower()
    if text in LOOPBACK_NAMES:
        return True
    ip = _ip(text)
    return ip is not None and ip.is_loopback


def check_public_host(host: str, port: int) -> None:
    """Raise :class:`DownloadError` unless every address ``host`` resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise DownloadError(
            Message("The host name {host} could not be resolved.", {"host": repr(host)})
        ) from None
    for *_, sockaddr in infos:
        kind = non_public_kind(str(sockaddr[0]))
        if kind is not None:
            raise DownloadError(_refusal(host, kind))


def _too_slow(timeout: float) -> Message:
    return Message("The download did not finish within {seconds:g} seconds.", {"seconds": timeout})


def _refusal(host: str, kind: str) -> Message:
    # The resolved address is not quoted: it would map the server's network for a visitor.
    return Message(
        "The host {host} is on a {kind} address; URL import only fetches from public hosts "
        "(set {variable}=1 on the server to allow it).",
        {"host": repr(host), "kind": kind, "variable": ALLOW_PRIVATE_ENV},
    )


class _TrackedSocketMixin:
    """Keeps the connection's socket as ``opened_socket``.

    ``http.client`` drops its own reference (``sock = None``) when the response ends the
    connection (HTTP/1.0, ``Connection: close``), and the download's watchdog must still reach
    it.
    """

    opened_socket: socket.socket | None = None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        self.opened_socket = sock
        return sock


class _PublicPeerMixin(_TrackedSocketMixin):
    """Checks the address actually connected to (after DNS, per connection)."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        try:
            kind = non_public_kind(str(sock.getpeername()[0]))
        except OSError:
            kind = "unknown"
        if kind is not None:
            sock.close()
            raise DownloadError(_refusal(str(self.host), kind))  # type: ignore[attr-defined]
        return sock


def _pool_classes(mixin: type) -> dict[str, type]:
    """urllib3 pool classes whose connections have ``mixin``."""
    http = type(f"{mixin.__name__}HTTP", (mixin, HTTPConnection), {})
    https = type(f"{mixin.__name__}HTTPS", (mixin, HTTPSConnection), {})
    return {
        "http": type("Pool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("Pool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
    }


_TRACKED_POOLS = _pool_classes(_TrackedSocketMixin)
_PUBLIC_POOLS = _pool_classes(_PublicPeerMixin)


class _Adapter(HTTPAdapter):
    def __init__(self, pools: dict[str, type]) -> None:
        self._pools = pools
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools


def _session(public_only: bool) -> requests.Session:
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    if public_only:
        session.trust_env = False  # no proxy from the environment (it would fetch unchecked)
    adapter = _Adapter(_PUBLIC_POOLS if public_only else _TRACKED_POOLS)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# --- download -------------------------------------------------------------------------------


def _watchdog(response: requests.Response, seconds: float) -> threading.Timer:
    """Shut the response's socket down after ``seconds`` (unblocks a read in progress)."""

    def stop() -> None:
        connection = getattr(response.raw, "connection", None)
        sock = getattr(connection, "opened_socket", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(seconds, 0.0), stop)
    timer.daemon = True
    timer.start()
    return timer


def download(
    url: str,
    destination: Path,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: Callable[[int, int | None], None] | None = None,
    allow_private: bool | None = None,
) -> Path:
    """Stream ``url`` into ``destination``; ``progress(bytes_so_far, total_or_None)``.

    ``timeout`` is the deadline in seconds for everything (connecting, redirects, the whole
    body). ``allow_private`` (default: :func:`private_urls_allowed`) lets non-public hosts
    through. Raises :class:`DownloadError` for a bad scheme, a non-public host, an HTTP
    error, the deadline or a body over ``max_bytes`` (the partial file is removed).
    """
    public_only = not (private_urls_allowed() if allow_private is None else allow_private)
    deadline = time.monotonic() + timeout
    current = check_url(url)
    session = _session(public_only)
    timer: threading.Timer | None = None

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DownloadError(_too_slow(timeout))
        return left

    try:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if public_only:
                default_port = 443 if parts.scheme.lower() == "https" else 80
                check_public_host(str(parts.hostname), parts.port or default_port)
            response = session.get(current, stream=True, timeout=remaining(), allow_redirects=False)
            if response.is_redirect:
                location = response.headers.get("location", "")
                response.close()
                current = check_url(requests.compat.urljoin(current, location))
                continue
            break
        else:
            raise DownloadError(
                Message("Too many redirects (more than {limit}).", {"limit": MAX_REDIRECTS})
            )
        with response:
            if response.status_code >= 400:
                raise DownloadError(
                    Message("The server answered HTTP {status}.", {"status": response.status_code})
                )
            declared = response.headers.get("content-length")
            total = int(declared) if declared and declared.isdigit() else None
            if total is not None and total > max_bytes:
                raise DownloadError(
                    Message(
                        "The file is {size:.1f} MB; the limit is {limit:.0f} MB.",
                        {"size": total / 1e6, "limit": max_bytes / 1e6},
                    )
                )
            timer = _watchdog(response, remaining())
            received = 0
            with destination.open("wb") as out:
                while True:
                    remaining()
                    # read1: returns what one socket read brought (at most READ_BYTES once
                    # decoded), so the deadline is checked however slowly the bytes come.
                    chunk = response.raw.read1(READ_BYTES, decode_content=True)
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > max_bytes:
                        raise DownloadError(
                            Message(
                                "The file is larger than the limit of {limit:.0f} MB.",
                                {"limit": max_bytes / 1e6},
                            )
                        )
                    out.write(chunk)
                    if progress is not None:
                        progress(received, total)
            remaining()  # the watchdog may have ended the body early: that is no success
    except DownloadError:
        destination.unlink(missing_ok=True)
        raise
    except requests.Timeout:
        destination.unlink(missing_ok=True)
        raise DownloadError(
            Message("No answer within {seconds:g} seconds.", {"seconds": timeout})
        ) from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        destination.unlink(missing_ok=True)
        if time.monotonic() >= deadline:
            raise DownloadError(_too_slow(timeout)) from None
        reason = type(error).__name__
        raise DownloadError(
            Message("The download failed ({reason}).", {"reason": reason})
        ) from None
    finally:
        if timer is not None:
            timer.cancel()
        session.close()
    return destination
