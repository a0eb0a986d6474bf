"""A polite HTTP client: one request at a time, a pause between requests, retries, conditional GETs, temp files.

Councils run ModernGov on modest servers, so the harvester behaves like a patient reader rather than a crawler:
a fixed ``delay_s`` between any two requests, an honest User-Agent that says what it is, retries with
exponential back-off (honouring ``Retry-After``) on 429, 5xx, timeouts and dropped connections, and
``If-None-Match`` / ``If-Modified-Since`` so a re-run transfers only what changed (RFC 9110 sections 13.1.2
and 13.1.3). Downloads stream into a temporary file that the caller renames into place only once it has been
checked, so an interrupted run never leaves a half file where the indexer would read it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from indexer.harvest.errors import FetchError

logger = logging.getLogger(__name__)

USER_AGENT = (
    "committee-papers-harvester/0.1 (reads a council's published committee papers for local search; "
    "one request at a time)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Where a council's site sends a reader who may not see a page: ModernGov's own mgLogin.aspx, or an SSO front.
_LOGIN_URL = re.compile(r"login|logon|signin|sign-in|/sso\b|/auth\b|returnurl=", re.IGNORECASE)


@dataclass
class Fetched:
    """A response worth keeping: its final URL, status (200 or 304), validators and (for 200) body or file."""

    url: str
    status: int
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    body: bytes = b""
    temp_path: Path | None = None  # download(): the body, in a temporary file the caller renames or deletes
    sha256: str | None = None
    bytes_read: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class PoliteClient:
    """GET pages and documents from one site, politely; every failure becomes a one-line ``FetchError``."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        delay_s: float = 1.0,
        timeout_s: float = 30.0,
        retries: int = 3,
        backoff_s: float = 2.0,
        max_backoff_s: float = 60.0,
        max_document_bytes: int = 200_000_000,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.delay_s = delay_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_document_bytes = max_document_bytes
        self.requests = 0
        self.bytes_read = 0
        self._sleep = sleep
        self._last_request_at: float | None = None
        self._retry_after_s: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """A page (XML or HTML) in memory; 304 when the validators still match."""
        return self._with_retries(url, etag, last_modified, None)

    def download(
        self, url: str, temp_dir: Path, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """A document streamed into a temporary file in ``temp_dir`` (same file system as its destination)."""
        temp_dir.mkdir(parents=True, exist_ok=True)
        return self._with_retries(url, etag, last_modified, temp_dir)

    def _with_retries(
        self, url: str, etag: str | None, last_modified: str | None, temp_dir: Path | None
    ) -> Fetched:
        if not url.lower().startswith(("http://", "https://")):
            raise FetchError(url, "not an http(s) URL")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        reason = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self._backoff_s(attempt))
            try:
                return self._once(url, headers, temp_dir)
            except _Retryable as exc:
                reason = exc.reason
                self._retry_after_s = exc.retry_after_s
                logger.info("%s: %s (attempt %d of %d)", url, reason, attempt + 1, self.retries + 1)
        attempts = self.retries + 1
        raise FetchError(url, f"{reason} (after {attempts} attempt{'s' if attempts > 1 else ''})")

    def _backoff_s(self, attempt: int) -> float:
        """Exponential back-off, or the server's Retry-After when longer; never more than max_backoff_s."""
        wait_s = self.backoff_s * 2 ** (attempt - 1)
        if self._retry_after_s is not None:
            wait_s = max(wait_s, self._retry_after_s)
        return min(wait_s, self.max_backoff_s)

    def _pause(self) -> None:
        if self._last_request_at is not None:
            wait_s = self.delay_s - (time.monotonic() - self._last_request_at)
            if wait_s > 0:
                self._sleep(wait_s)

    def _once(self, url: str, headers: dict[str, str], temp_dir: Path | None) -> Fetched:
        self._pause()
        self.requests += 1
        temp_path: Path | None = None
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                self._check_status(url, response)
                fetched = Fetched(
                    url=str(response.url),
                    status=response.status_code,
                    content_type=response.headers.get("content-type", ""),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
                if fetched.not_modified:
                    return fetched
                digest = hashlib.sha256()
                body = bytearray()
                out = None
                if temp_dir is not None:
                    fd, name = tempfile.mkstemp(dir=temp_dir, prefix=".part-", suffix=".download")
                    temp_path = Path(name)
                    out = os.fdopen(fd, "wb")
                try:
                    for chunk in response.iter_bytes():
                        fetched.bytes_read += len(chunk)
                        self.bytes_read += len(chunk)
                        if fetched.bytes_read > self.max_document_bytes:
                            raise FetchError(url, f"larger than {self.max_document_bytes} bytes")
                        digest.update(chunk)
                        if out is not None:
                            out.write(chunk)
                        else:
                            body.extend(chunk)
                finally:
                    if out is not None:
                        out.close()
                fetched.body = bytes(body)
                fetched.temp_path = temp_path
                fetched.sha256 = digest.hexdigest()
                temp_path = None  # handed over to the caller
                return fetched
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})") from exc
        except httpx.RemoteProtocolError as exc:
            raise _Retryable("connection dropped mid-response") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__})") from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError(url, "too many redirects") from exc
        except (
            httpx.HTTPError
        ) as exc:  # anything else httpx raises is one line in the summary, not a traceback
            raise FetchError(url, f"request failed ({type(exc).__name__}: {exc})") from exc
        finally:
            self._last_request_at = time.monotonic()
            if temp_path is not None:
                temp_path.unlink(missing_ok=True)

    def _check_status(self, url: str, response: httpx.Response) -> None:
        status = response.status_code
        if response.history and _LOGIN_URL.search(str(response.url)):
            raise FetchError(url, f"redirected to a login page ({response.url})")
        if status in RETRY_STATUSES:
            raise _Retryable(f"HTTP {status}", _retry_after_s(response.headers.get("retry-after")))
        if status in (401, 403):
            raise FetchError(
                url, f"HTTP {status}: access refused (the site wants a login or blocks this client)"
            )
        if status == 304 or 200 <= status < 300:
            return
        raise FetchError(url, f"HTTP {status} {response.reason_phrase}".strip())


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


def _retry_after_s(value: str | None) -> float | None:
    """Retry-After in seconds (the delta-seconds form; an HTTP date is left to the back-off)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
