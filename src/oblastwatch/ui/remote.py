"""Download a file for import from an http(s) URL: scheme checked, timeout, size cap.

Used by the Data page's "import from URL". Only ``http`` and ``https`` are accepted (never
``file://`` or other schemes that would read the server's own files), redirects are followed
only to http(s), the body is streamed to disk and cut off at ``max_bytes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

DEFAULT_TIMEOUT_S = 20.0
CHUNK_BYTES = 256 * 1024
ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5


class DownloadError(Exception):
    """A URL that could not be fetched; ``str()`` is one line a user can act on."""


def check_url(url: str) -> str:
    """Return ``url`` stripped if it is an absolute http(s) URL with a host, else raise.

    >>> check_url(" https://example.org/a.csv ")
    'https://example.org/a.csv'
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        shown = parts.scheme or "none"
        raise DownloadError(f"Only http:// and https:// URLs can be imported (scheme: {shown}).")
    if not parts.hostname:
        raise DownloadError("The URL has no host name.")
    return text


def file_name_from_url(url: str, default: str = "download.csv") -> str:
    """The last path segment of ``url``, reduced to safe characters.

    >>> file_name_from_url("https://x.org/data/../attacks%20daily.csv?dl=1")
    'attacks_daily.csv'
    """
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", segment).strip("._")
    return cleaned[:100] or default


def download(
    url: str,
    destination: Path,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Stream ``url`` into ``destination``; ``progress(bytes_so_far, total_or_None)``.

    Raises :class:`DownloadError` for a bad scheme, an HTTP error, a timeout or a body over
    ``max_bytes`` (the partial file is removed).
    """
    current = check_url(url)
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = session.get(current, stream=True, timeout=timeout, allow_redirects=False)
            if response.is_redirect:
                location = response.headers.get("location", "")
                current = check_url(requests.compat.urljoin(current, location))
                response.close()
                continue
            break
        else:
            raise DownloadError(f"Too many redirects (more than {MAX_REDIRECTS}).")
        with response:
            if response.status_code >= 400:
                raise DownloadError(f"The server answered HTTP {response.status_code}.")
            declared = response.headers.get("content-length")
            total = int(declared) if declared and declared.isdigit() else None
            if total is not None and total > max_bytes:
                raise DownloadError(
                    f"The file is {total / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB."
                )
            received = 0
            with destination.open("wb") as out:
                for chunk in response.iter_content(CHUNK_BYTES):
                    received += len(chunk)
                    if received > max_bytes:
                        raise DownloadError(
                            f"The file is larger than the limit of {max_bytes / 1e6:.0f} MB."
                        )
                    out.write(chunk)
                    if progress is not None:
                        progress(received, total)
    except DownloadError:
        destination.unlink(missing_ok=True)
        raise
    except requests.Timeout:
        destination.unlink(missing_ok=True)
        raise DownloadError(f"No answer within {timeout:.0f} seconds.") from None
    except requests.RequestException as error:
        destination.unlink(missing_ok=True)
        reason = type(error).__name__
        raise DownloadError(f"The download failed ({reason}).") from None
    finally:
        session.close()
    return destination
