"""Fetch settings: one dataclass, built by `Config.fetch_settings()` or by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from arshif import __version__


@dataclass
class FetchSettings:
    contact: str = "https://github.com/arshif/arshif"  # goes into the User-Agent
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # per socket read, and the total deadline for a body
    max_bytes: int = 10 * 1024 * 1024  # raw and decompressed body cap
    max_redirects: int = 5
    delay: float = 1.0  # minimum seconds between requests to one host
    retries: int = 2  # extra attempts on connection errors, 5xx and 429
    backoff: float = 0.5  # first backoff; doubles per attempt, with jitter
    max_retry_after: float = 60.0  # a longer Retry-After gives up ("rate_limited")
    respect_robots: bool = True
    allow_private: bool = False  # refuse private/loopback/link-local/metadata addresses
    host_delays: dict[str, float] = field(default_factory=dict)  # per-host override of delay
    robots_max_bytes: int = 500 * 1024  # RFC 9309 lets crawlers stop parsing past 500 KiB
    robots_ttl: float = 24 * 3600.0  # how long a fetched robots.txt is trusted
    robots_error_ttl: float = 600.0  # how long an unreachable robots.txt blocks the host
    max_crawl_delay: float = 60.0  # a larger robots Crawl-delay is capped (and logged)

    @property
    def user_agent(self) -> str:
        return f"arshif/{__version__} (+{self.contact})"

    def delay_for(self, host: str) -> float:
        return self.host_delays.get(host, self.delay)
