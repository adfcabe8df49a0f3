"""Section (listing) pages -> links that look like articles on the same site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from arshif.discover.types import Candidate
from arshif.discover.urls import normalize, same_site

# Paths that list or navigate rather than tell a story.
_NOT_ARTICLE = re.compile(
    r"/(tags?|category|categories|section|sections|author|authors|writers?|page|search|"
    r"login|register|subscribe|contact|about|privacy|terms|rss|feed|video-?list|"
    r"newsletter|archive)(/|$)|\.(jpe?g|png|gif|webp|svg|pdf|mp[34]|zip|css|js|xml|rss)$",
    re.IGNORECASE,
)
_ID = re.compile(r"\d{3,}")


def looks_like_article(url: str) -> bool:
    """Heuristic for sites without an article_pattern: a deep path or a numeric id
    or a long slug, and nothing that names a listing."""
    path = urlsplit(url).path
    if _NOT_ARTICLE.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = segments[-1]
    return bool(_ID.search(path)) or len(segments) >= 3 or last.count("-") >= 3


def parse_section(
    html: bytes | str, page_url: str, site_url: str, pattern: str | None = None
) -> list[Candidate]:
    """Article links on a listing page, normalised, same site, in page order."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = tree.xpath("string(//base/@href)") or page_url
    regex = re.compile(pattern) if pattern else None
    found: dict[str, Candidate] = {}
    for href in tree.xpath("//a/@href"):
        url = normalize(href, base)
        if not url or url in found or not same_site(url, site_url):
            continue
        if url.rstrip("/") == normalize(page_url, None).rstrip("/"):
            continue
        if regex.search(url) if regex else looks_like_article(url):
            found[url] = Candidate(url, None, "section")
    return list(found.values())
