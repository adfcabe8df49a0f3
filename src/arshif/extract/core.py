"""Extraction pipeline: parse once, strip boilerplate, take the body, add metadata."""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from arshif.article import Article
from arshif.charset import decode_html
from arshif.extract.metadata import extract_metadata
from arshif.text import clean_line, clean_text

# Containers that never hold the article body on a news page.
_BOILERPLATE_XPATH = (
    "//script|//style|//noscript|//nav|//footer|//aside|//form|//iframe"
    "|//marquee|//*[@role='navigation']|//*[@role='contentinfo']"
)


def parse(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _strip(tree: etree._Element) -> None:
    for node in tree.xpath(_BOILERPLATE_XPATH):
        parent = node.getparent()
        if parent is not None:
            node.drop_tree() if hasattr(node, "drop_tree") else parent.remove(node)


def _body(tree: etree._Element) -> str:
    text = trafilatura.extract(
        tree, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    return clean_text(text or "")


def extract(html: str, url: str | None = None, *, fetched_at: str | None = None) -> Article:
    """Extract one article from decoded HTML. Never raises on malformed markup."""
    article = Article(url=url, fetched_at=fetched_at)
    tree = parse(html)
    if tree is None:
        return article
    meta = extract_metadata(tree, url)
    _strip(tree)
    article.body = _body(tree)
    for key, value in meta.items():
        setattr(article, key, value)
    if not article.site and (article.canonical_url or url):
        article.site = urlsplit(article.canonical_url or url).hostname
    article.title = clean_line(article.title)
    return article


def extract_bytes(
    data: bytes, url: str | None = None, *, http_charset: str | None = None, fetched_at: str | None = None
) -> Article:
    return extract(decode_html(data, http_charset).text, url, fetched_at=fetched_at)
