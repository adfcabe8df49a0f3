"""XML sitemaps, sitemap indexes and Google News sitemaps -> candidate URLs.

Parsed with lxml configured so XML cannot reach out or blow up: no entity
resolution, no DTD loading, no network, no huge trees. Documents declaring
entities are refused outright.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lxml import etree

from arshif.dates import parse_timestamp
from arshif.discover.types import Candidate, unsafe_xml
from arshif.discover.urls import normalize

MAX_UNZIPPED = 50 * 1024 * 1024  # the sitemap protocol's own limit


@dataclass(slots=True)
class Sitemap:
    kind: str  # "index" or "urlset"
    urls: list[Candidate] = field(default_factory=list)  # articles (urlset)
    children: list[Candidate] = field(default_factory=list)  # sub-sitemaps (index)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=True
    )


def parse_date(text: str | None) -> datetime | None:
    """W3C datetime (as sitemaps use it) -> aware UTC datetime; None if unreadable."""
    value = parse_timestamp(text)
    return value.astimezone(timezone.utc) if value else None


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        out = fh.read(MAX_UNZIPPED + 1)
    if len(out) > MAX_UNZIPPED:
        raise ValueError("gzipped sitemap larger than 50 MB unpacked")
    return out


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node, name: str) -> str | None:
    for child in node.iter():
        if _local(child.tag) == name and child.text:
            return child.text
    return None


def parse_sitemap(data: bytes, base_url: str) -> Sitemap:
    """Parse a sitemap or sitemap index. Raises ValueError when it is neither."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if unsafe_xml(data):
        raise ValueError("sitemap declares XML entities (refused: possible entity bomb or XXE)")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root is None:
        raise ValueError("empty sitemap")
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    result = Sitemap("index" if kind == "sitemapindex" else "urlset")
    entry = "sitemap" if kind == "sitemapindex" else "url"
    for node in root:
        if _local(node.tag) != entry:
            continue
        url = normalize(_child_text(node, "loc") or "", base_url)
        if not url:
            continue
        # A news sitemap's publication_date is the better signal when present.
        when = parse_date(_child_text(node, "publication_date")) or parse_date(
            _child_text(node, "lastmod")
        )
        target = result.children if entry == "sitemap" else result.urls
        target.append(Candidate(url, when, "sitemap"))
    return result
