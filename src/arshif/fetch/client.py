"""The Fetcher: one requests.Session, polite and bounded, every outcome a FetchResult.

fetch(url) = check URL -> robots -> wait for the host -> GET (retried) ->
follow redirects by hand (each hop checked again) -> check type and size ->
read the body under caps -> decode the text.
"""

from __future__ import annotations

import email.utils
import logging
import random
import socket
import time
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import requests

from arshif.charset import decode_html, looks_binary
from arshif.fetch.address import metadata_reason, private_reason
from arshif.fetch.errors import NETWORK_ERRORS, classify
from arshif.fetch.body import GZIP_MAGIC, gunzip_capped, read_body
from arshif.fetch.hosts import HostGate
from arshif.fetch.result import FetchFailure, FetchResult
from arshif.fetch.robots import RobotsCache
from arshif.fetch.settings import FetchSettings
from arshif.fetch.watchdog import Deadline, WatchedAdapter

log = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)
HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT_HEADERS = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "xml": "application/xml,text/xml,application/rss+xml,application/atom+xml,text/plain;q=0.8,*/*;q=0.1",
    "any": "*/*",
}


class Fetcher:
    """Thread-safe: the archive job shares one Fetcher between its per-host threads."""

    def __init__(self, settings: FetchSettings | None = None):
        self.settings = settings or FetchSettings()
        self.session = requests.Session()
        # Retries and redirects are ours, so urllib3 must not do its own.
        adapter = WatchedAdapter(pool_connections=32, pool_maxsize=32, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update(
            {
                "User-Agent": self.settings.user_agent,
                # Only what we can inflate under a cap ourselves (see body.py).
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "ar,en;q=0.5",
            }
        )
        self.session.max_redirects = 5  # only robots.txt lets requests follow redirects
        self.gate = HostGate()
        self.robots = RobotsCache(self.session, self.settings, check_url=self._check_url)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "html",
    ) -> FetchResult:
        """GET url; never raises for network, HTTP or content problems."""
        if accept not in ACCEPT_HEADERS:
            raise ValueError(f"accept must be one of {sorted(ACCEPT_HEADERS)}")
        started = time.monotonic()
        result = FetchResult(url=url, status="error", fetched_at=_now())
        try:
            self._fetch(result, etag, last_modified, accept)
        except FetchFailure as fail:
            result.status = "error"
            result.error_kind = fail.kind
            result.error = str(fail)
            result.http_status = fail.http_status or result.http_status
            result.content, result.text = b"", None
        result.elapsed = round(time.monotonic() - started, 3)
        if result.status == "error":
            log.debug("fetch %s: %s (%s)", url, result.error_kind, result.error)
        return result

    # -- steps ----------------------------------------------------------------

    def _fetch(self, result: FetchResult, etag: str | None, last_modified: str | None, accept: str) -> None:
        s = self.settings
        headers = {"Accept": ACCEPT_HEADERS[accept]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = result.url
        seen: set[str] = set()
        while True:
            self._check_url(current)
            seen.add(current)
            if s.respect_robots:
                self._check_robots(current)
            resp = self._request(current, headers, result)
            result.final_url = current
            result.http_status = resp.status_code
            # requests' helper also repairs raw UTF-8 (Arabic) paths sent in Location.
            location = self.session.get_redirect_target(resp) if resp.status_code in REDIRECTS else None
            if location:
                resp.close()
                try:
                    target = urljoin(current, location.strip())
                except ValueError:
                    raise FetchFailure("bad_url", f"malformed redirect Location {location!r}", resp.status_code) from None
                if target in seen:
                    raise FetchFailure("redirects", f"redirect loop: {current} -> {target}", resp.status_code)
                if len(result.redirects) >= s.max_redirects:
                    raise FetchFailure("redirects", f"more than {s.max_redirects} redirects", resp.status_code)
                result.redirects.append(current)
                current = target
                continue
            break
        with resp:
            self._record_response(result, resp)
            self._finish(result, resp, accept)

    def _check_url(self, url: str) -> None:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchFailure("bad_url", f"malformed URL: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise FetchFailure("bad_url", f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
        if not parts.hostname:
            raise FetchFailure("bad_url", "URL has no host")
        check = metadata_reason if self.settings.allow_private else private_reason
        try:
            reason = check(parts.hostname, port or (443 if parts.scheme == "https" else 80))
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchFailure("dns", f"cannot resolve {parts.hostname}: {_strerror(exc)}") from None
        if reason:
            raise FetchFailure("private_address", f"refused: {reason} (private addresses are not fetched)")

    def _check_robots(self, url: str) -> None:
        robots = self.robots.get(url)
        if robots.blocked:
            raise FetchFailure(robots.blocked_kind, f"{robots.blocked}; the host is treated as disallowed")
        if not robots.allowed(url):
            raise FetchFailure("robots", "disallowed by robots.txt")

    def _gap(self, host: str, url: str) -> float:
        gap = self.settings.delay_for(host)
        if self.settings.respect_robots:
            crawl_delay = self.robots.get(url).crawl_delay
            if crawl_delay is not None:
                gap = max(gap, crawl_delay)
        return gap

    def _request(self, url: str, headers: dict[str, str], result: FetchResult) -> requests.Response:
        """One GET with retries: connection errors, 5xx and 429 are tried again, bounded."""
        s = self.settings
        host = (urlsplit(url).hostname or "").lower()
        gap = self._gap(host, url)
        attempt = 0
        while True:
            attempt += 1
            result.attempts = max(result.attempts, attempt)
            self.gate.wait(host, gap)
            # Until the response head is in: connect, then read_timeout for status and headers.
            deadline = Deadline(s.connect_timeout + s.read_timeout)
            resp = None
            try:
                with deadline:
                    resp = self.session.get(
                        url,
                        headers=headers,
                        stream=True,
                        allow_redirects=False,
                        timeout=(s.connect_timeout, s.read_timeout),
                    )
                fail = None
            except NETWORK_ERRORS as exc:
                fail = classify(exc, s)
            if deadline.fired:  # a cut-off head may even parse; it is still a timeout
                if resp is not None:
                    resp.close()
                fail = FetchFailure("timeout", f"no complete response head within {deadline.seconds:g} s")
            if fail is not None:
                if attempt > s.retries or fail.kind in ("dns", "bad_url"):
                    raise fail
                log.debug("%s: %s, retrying", url, fail)
                self.gate.hold(host, self._backoff(attempt))
                continue
            result.request_headers = list(resp.request.headers.items())
            status = resp.status_code
            if status != 429 and status < 500:
                return resp
            wait = _retry_after(resp.headers.get("Retry-After"))
            if wait is not None:
                result.retry_after = wait
            self._record_response(result, resp)
            resp.close()
            if wait is not None and wait > s.max_retry_after:
                raise FetchFailure(
                    "rate_limited",
                    f"HTTP {status} asks to wait {wait:g} s (more than the {s.max_retry_after:g} s allowed)",
                    status,
                )
            if attempt > s.retries:
                kind = "rate_limited" if status == 429 else "http_5xx"
                raise FetchFailure(kind, f"HTTP {status} {resp.reason or ''}".strip() + f" after {attempt} attempts", status)
            pause = wait if wait is not None else self._backoff(attempt)
            log.debug("%s: HTTP %s, retrying in %.2f s", url, status, pause)
            self.gate.hold(host, pause)

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff * (2 ** (attempt - 1))
        return base * random.uniform(0.5, 1.5)  # jitter: spread retries of parallel workers

    def _record_response(self, result: FetchResult, resp: requests.Response) -> None:
        result.http_status = resp.status_code
        result.response_headers = list(resp.raw.headers.items()) if resp.raw is not None else list(resp.headers.items())
        result.content_type = resp.headers.get("Content-Type")
        result.http_charset = _charset_param(result.content_type)
        result.etag = resp.headers.get("ETag")
        result.last_modified = resp.headers.get("Last-Modified")

    def _finish(self, result: FetchResult, resp: requests.Response, accept: str) -> None:
        s = self.settings
        status = resp.status_code
        if status == 304:
            result.status = "unchanged"
            return
        if 400 <= status < 500:
            raise FetchFailure("http_4xx", f"HTTP {status} {resp.reason or ''}".strip(), status)
        if status >= 300 or status < 200:
            raise FetchFailure("http_4xx" if status < 500 else "http_5xx", f"unexpected HTTP {status}", status)
        mime = (result.content_type or "").split(";")[0].strip().lower()
        if accept == "html" and mime and mime not in HTML_TYPES:
            raise FetchFailure("not_html", f"content type {mime} is not HTML", status)
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > s.max_bytes:
            raise FetchFailure("too_large", f"Content-Length {int(length):,} exceeds the {s.max_bytes:,}-byte limit", status)
        try:
            content = read_body(
                resp,
                max_bytes=s.max_bytes,
                deadline=time.monotonic() + s.read_timeout,
                read_timeout=s.read_timeout,
            )
        except NETWORK_ERRORS as exc:
            raise classify(exc, s, reading=True) from None
        if accept == "xml" and content.startswith(GZIP_MAGIC):
            content = gunzip_capped(content, s.max_bytes)  # sitemap.xml.gz served as a file
        if not content.strip():
            raise FetchFailure("empty", "empty body", status)
        if accept == "html" and not mime and not _looks_markup(content):
            raise FetchFailure("not_html", "no content type and the body is not HTML", status)
        if accept == "html" and looks_binary(content):
            raise FetchFailure("not_html", f"binary content served as {mime}", status)
        if accept == "xml" and not _looks_markup(content) and not mime.startswith("text/"):
            raise FetchFailure("not_html", f"content type {mime or 'unknown'} is not XML", status)
        result.content = content
        if accept != "any" or not looks_binary(content):
            decoded = decode_html(content, result.http_charset)
            result.text, result.encoding, result.charset_source = decoded.text, decoded.encoding, decoded.source
        result.status = "ok"


# -- helpers ---------------------------------------------------------------


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _charset_param(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("'\"")
    return None


def _looks_markup(content: bytes) -> bool:
    head = content[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    return head.startswith(b"<") and not looks_binary(content)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _strerror(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
