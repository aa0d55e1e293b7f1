"""Fetch a policy the user named by URL: bounded in time, size and redirects.

Only ever called with a URL the user typed (or the one SDK-list link a fetched policy page
points to on the same site). Every failure is a ``PolicyUrlError`` with one line that says what
went wrong: the CLI turns it into exit code 23.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from sdkreg import __version__
from sdkreg.errors import PolicyUrlError, first_line
from sdkreg.policy.read import MAX_POLICY_BYTES

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class FetchLimits:
    # Policy pages answer in well under a second; 10 s to connect and 30 s between two reads
    # leave room for a slow mainland server reached from abroad without hanging a CI job.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # A server that drips a byte just inside the read timeout would never trip it: the whole
    # download also has a deadline (checked between chunks).
    total_timeout: float = 120.0
    # Policy links go through one or two hops (http → https, a short link → the page); browsers
    # stop at 20, five is plenty for a document and ends a loop quickly.
    max_redirects: int = 5
    max_bytes: int = MAX_POLICY_BYTES


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects, without user:password
    data: bytes
    media_type: str | None  # "text/html", "application/pdf", … from Content-Type
    charset: str | None  # the Content-Type header's charset parameter, as sent


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def display_url(url: str) -> str:
    """The URL without user:password, for messages and reports (CI logs are often public)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def fetch(url: str, limits: FetchLimits | None = None) -> FetchedPage:
    """GET ``url`` and return its body; raises ``PolicyUrlError`` on any failure."""
    import httpx  # only a policy given as a URL pays for the HTTP stack

    limits = limits or FetchLimits()
    shown = display_url(url)
    timeout = httpx.Timeout(
        connect=limits.connect_timeout, read=limits.read_timeout, write=limits.read_timeout,
        pool=limits.connect_timeout,
    )
    headers = {
        "User-Agent": f"sdkreg/{__version__} (privacy-policy SDK list checker)",
        "Accept": "text/html,application/xhtml+xml,text/plain,application/pdf,"
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.5",
        "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
    }
    try:
        # trust_env: honour HTTP(S)_PROXY / NO_PROXY and SSL_CERT_FILE, as corporate CI needs.
        with httpx.Client(
            timeout=timeout, follow_redirects=True, max_redirects=limits.max_redirects,
            headers=headers, trust_env=True,
        ) as client, client.stream("GET", url) as response:
            if not response.is_success:
                reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                final = display_url(str(response.url))
                where = f" (redirected to {final})" if final != shown else ""
                raise PolicyUrlError(f"{shown}: HTTP {response.status_code}{reason}{where}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise PolicyUrlError(_too_large(shown, int(declared), limits))
            data = _read_capped(response, shown, limits)
            media_type, charset = _content_type(response.headers.get("content-type"))
            return FetchedPage(display_url(str(response.url)), data, media_type, charset)
    except httpx.TooManyRedirects as exc:
        raise PolicyUrlError(f"{shown}: more than {limits.max_redirects} redirects") from exc
    except httpx.ConnectTimeout as exc:
        raise PolicyUrlError(f"{shown}: no connection within {limits.connect_timeout:g} s") from exc
    except httpx.ReadTimeout as exc:
        raise PolicyUrlError(f"{shown}: the server sent nothing for {limits.read_timeout:g} s") from exc
    except httpx.TimeoutException as exc:
        raise PolicyUrlError(f"{shown}: timed out ({type(exc).__name__})") from exc
    except httpx.UnsupportedProtocol as exc:
        raise PolicyUrlError(f"{shown}: not an http(s) URL, or redirected to one that is not") from exc
    except httpx.ConnectError as exc:
        raise PolicyUrlError(f"{shown}: cannot connect: {first_line(exc)}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise PolicyUrlError(f"{shown}: {type(exc).__name__}: {first_line(exc)}") from exc


def _read_capped(response: httpx.Response, shown: str, limits: FetchLimits) -> bytes:
    """The body, decompressed, stopping as soon as it passes the cap or the deadline: a server
    may lie in Content-Length, send none, or gzip a bomb."""
    deadline = time.monotonic() + limits.total_timeout
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise PolicyUrlError(_too_large(shown, None, limits))
        if time.monotonic() > deadline:
            raise PolicyUrlError(f"{shown}: download took longer than {limits.total_timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(shown: str, size: int | None, limits: FetchLimits) -> str:
    got = f"{size / 1_048_576:.1f} MB" if size is not None else "more"
    return (f"{shown}: {got} is far larger than any privacy policy "
            f"(limit {limits.max_bytes / 1_048_576:g} MB)")


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower() or None, charset
