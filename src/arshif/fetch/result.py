"""The typed outcome of one fetch: ok, unchanged (304) or an error with a kind."""

from __future__ import annotations

from dataclasses import dataclass, field

# Every error_kind the fetcher reports; the archive job counts failures by these.
ERROR_KINDS = (
    "bad_url",
    "dns",
    "refused",
    "timeout",
    "reset",
    "http_4xx",
    "http_5xx",
    "rate_limited",
    "robots",
    "too_large",
    "not_html",
    "redirects",
    "private_address",
    "empty",
)


@dataclass
class FetchResult:
    url: str  # as requested
    status: str  # "ok" | "unchanged" | "error"
    final_url: str | None = None
    http_status: int | None = None
    error_kind: str | None = None
    error: str | None = None  # one-line human reason
    content: bytes = b""  # body after content-decoding (gzip removed)
    text: str | None = None  # decoded text (HTML / XML)
    encoding: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    response_headers: list[tuple[str, str]] = field(default_factory=list)  # as received
    fetched_at: str = ""  # ISO 8601 UTC
    elapsed: float = 0.0
    redirects: list[str] = field(default_factory=list)  # intermediate URLs
    attempts: int = 1
    http_charset: str | None = None  # charset= from Content-Type, if any
    charset_source: str | None = None  # "bom", "header", "meta", "detected", "fallback"
    retry_after: float | None = None  # seconds the server asked us to wait, if it did

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class FetchFailure(Exception):
    """Internal: aborts a fetch; turned into an error FetchResult, never escapes."""

    def __init__(self, kind: str, message: str, http_status: int | None = None):
        assert kind in ERROR_KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.http_status = http_status
