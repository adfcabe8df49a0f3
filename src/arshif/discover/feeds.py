"""RSS/Atom feeds -> candidate article URLs (feedparser on bytes we fetched).

The fetcher does the HTTP (politeness, size cap, private-address refusal,
conditional GET with the feed's ETag/Last-Modified); feedparser only parses.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timezone

import feedparser

from arshif.discover.types import Candidate, unsafe_xml
from arshif.discover.urls import normalize


def _when(entry) -> datetime | None:
    for key in ("updated_parsed", "published_parsed"):
        value = dict.get(entry, key)  # plain lookup: no feedparser key aliasing
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), timezone.utc)
            except (OverflowError, ValueError):
                continue
    return None


def parse_feed(data: bytes, base_url: str) -> list[Candidate]:
    """Entry links of an RSS or Atom document. Raises ValueError if it is no feed."""
    if unsafe_xml(data):
        raise ValueError("feed declares XML entities (refused: possible entity bomb or XXE)")
    parsed = feedparser.parse(data, response_headers={"content-location": base_url})
    if not parsed.entries and parsed.bozo and not parsed.feed:
        raise ValueError(f"not a feed: {parsed.get('bozo_exception', 'unparseable')}")
    found = []
    for entry in parsed.entries:
        link = dict.get(entry, "link")
        if not link:
            link = next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        url = normalize(link or "", base_url)
        if url:
            found.append(Candidate(url, _when(entry), "feed"))
    return found
