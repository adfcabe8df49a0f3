"""robots.txt per host, cached, read by RFC 9309 rules.

- 2xx: parsed with protego (only the first 500 KiB).
- 4xx (missing, forbidden): everything is allowed.
- 5xx, 429 or unreachable: everything is disallowed for `robots_error_ttl`,
  then asked again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego

from arshif.fetch.errors import NETWORK_ERRORS, classify
from arshif.fetch.result import FetchFailure
from arshif.fetch.settings import FetchSettings
from arshif.fetch.watchdog import Deadline

log = logging.getLogger(__name__)
AGENT = "arshif"


@dataclass
class Robots:
    parser: Protego | None  # None: no rules (allow all) or unreachable (see `blocked`)
    blocked: str | None  # reason everything is disallowed, when robots.txt was unreachable
    expires: float
    crawl_delay: float | None = None
    blocked_kind: str = "robots"  # or the network error ("refused", "dns", ...) that made it unreachable

    def allowed(self, url: str) -> bool:
        if self.blocked:
            return False
        return self.parser is None or self.parser.can_fetch(url, AGENT)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class RobotsCache:
    """One robots.txt per scheme+host+port, fetched at most once per TTL even across threads."""

    def __init__(
        self,
        session: requests.Session,
        settings: FetchSettings,
        check_url: Callable[[str], None] | None = None,
    ):
        self.session = session
        self.settings = settings
        self.check_url = check_url  # raises FetchFailure for a redirect target we must not visit
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._cache: dict[str, Robots] = {}

    def get(self, url: str) -> Robots:
        key = robots_url(url)
        with self._lock:
            host_lock = self._host_locks.setdefault(key, threading.Lock())
        with host_lock:
            entry = self._cache.get(key)
            if entry is None or entry.expires < time.monotonic():
                entry = self._fetch(key)
                self._cache[key] = entry
            return entry

    def _fetch(self, url: str) -> Robots:
        s = self.settings
        for attempt in range(s.retries + 1):
            if attempt:
                time.sleep(s.backoff * 2 ** (attempt - 1))
            entry = self._fetch_once(url)
            # Only network failures are tried again; an HTTP answer, even 503, stands.
            if entry.blocked is None or entry.blocked_kind == "robots":
                break
        if entry.blocked:
            log.warning("%s: %s; treating the host as disallowed", url, entry.blocked)
        return entry

    def _fetch_once(self, url: str) -> Robots:
        s = self.settings
        now = time.monotonic()
        deadline = Deadline(s.connect_timeout + s.read_timeout)  # head and body together
        try:
            with deadline, self.session.get(
                url,
                timeout=(s.connect_timeout, s.read_timeout),
                stream=True,
                allow_redirects=True,  # RFC 9309: follow at least five hops (session caps them)
                hooks={"response": self._guard_redirect},
            ) as resp:
                status = resp.status_code
                body = _read_capped(resp, s.robots_max_bytes, now + s.read_timeout) if status < 300 else b""
            if deadline.fired:
                raise requests.Timeout("robots.txt deadline")
        except FetchFailure as fail:
            # Redirected somewhere we do not go: robots.txt is unavailable, which allows all.
            log.info("%s: not followed (%s); no robots rules", url, fail)
            return Robots(None, None, now + s.robots_ttl)
        except NETWORK_ERRORS as exc:
            # The host itself is unreachable: report that, not "robots".
            fail = classify(exc, s)
            return Robots(None, f"robots.txt: {fail}", now + s.robots_error_ttl, blocked_kind=fail.kind)
        if status >= 500 or status == 429:
            return Robots(None, f"robots.txt answered HTTP {status}", now + s.robots_error_ttl)
        if status >= 400:
            return Robots(None, None, now + s.robots_ttl)
        parser = Protego.parse(body.decode("utf-8", "replace"))
        delay = parser.crawl_delay(AGENT)
        if delay is not None and delay > s.max_crawl_delay:
            log.warning("%s: Crawl-delay %g s capped at %g s", url, delay, s.max_crawl_delay)
            delay = s.max_crawl_delay
        return Robots(parser, None, now + s.robots_ttl, float(delay) if delay is not None else None)


    def _guard_redirect(self, resp: requests.Response, *args, **kwargs) -> None:
        if resp.is_redirect and self.check_url is not None:
            self.check_url(urljoin(resp.url, resp.headers["Location"]))


def _read_capped(resp: requests.Response, limit: int, deadline: float) -> bytes:
    """Up to `limit` bytes of robots.txt; the rest is ignored, as RFC 9309 allows."""
    data = bytearray()
    for chunk in resp.iter_content(16 * 1024):
        data += chunk
        if len(data) >= limit or time.monotonic() > deadline:
            break
    return bytes(data[:limit])
