"""URL normalisation and deduplication, so one article is fetched once.

courlan does the well-known work (lower-case host, default ports, sorted
query, tracking parameters); fragments are dropped here because they never
name a different article.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url


def normalize(url: str, base: str | None = None) -> str | None:
    """Canonical form of an http(s) URL, or None when it is not one."""
    url = (url or "").strip()
    if not url:
        return None
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        url = normalize_url(url)
        parts = urlsplit(url)
    except (ValueError, TypeError):
        return None
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, site_url: str) -> bool:
    """Same host as the site, or a subdomain of it (www. ignored)."""
    host, site = host_of(url), host_of(site_url)
    return bool(host) and (host == site or host.endswith("." + site))


def dedup(urls: Iterable[str]) -> list[str]:
    """Order-preserving de-duplication of already normalised URLs."""
    return list(dict.fromkeys(urls))
