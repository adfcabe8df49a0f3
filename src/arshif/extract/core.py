"""Extraction pipeline: parse once, read metadata, then take the body from the same tree."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from arshif.article import Article, ExtractionInfo
from arshif.charset import decode_html
from arshif.dates import parse_timestamp
from arshif.extract.body import body_lines
from arshif.extract.metadata import extract_metadata, parse_aggregator_line
from arshif.extract.profiles import Profile, load_profiles, profile_for
from arshif.extract.tree import profile_xpath
from arshif.text import clean_line

log = logging.getLogger(__name__)


# lxml refuses str input that still declares a byte encoding (old XHTML pages).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse(html: str) -> etree._Element | None:
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _profile(tree: etree._Element, url: str | None, profiles: list[Profile]) -> Profile | None:
    """The profile for the fetched URL's host, else for the page's canonical host."""
    canonical = tree.xpath("string(//link[@rel='canonical']/@href)")
    for candidate in (url, canonical):
        if candidate:
            try:
                found = profile_for(urlsplit(candidate).hostname, profiles)
            except ValueError:  # a malformed URL names no host
                continue
            if found is not None:
                return found
    return None


def _xpath(tree: etree._Element, expr: str | None) -> list[etree._Element]:
    return [el for el in profile_xpath(tree, expr) if isinstance(el, etree._Element)]


def _apply(article: Article, meta: dict[str, Any]) -> None:
    for key, value in meta.items():
        if key == "extraction" and isinstance(value, dict):
            for k, v in value.items():
                setattr(article.extraction, k, v)
        elif key == "extraction" and isinstance(value, ExtractionInfo):
            article.extraction = value
        elif hasattr(article, key) and key not in ("body",):
            setattr(article, key, value)


def _fallback(tree: etree._Element, article: Article) -> list[str]:
    """Pages the block scorer cannot read (no paragraph long enough) go to trafilatura."""
    import trafilatura

    text = trafilatura.extract(tree, favor_precision=True, include_comments=False, include_tables=False)
    lines = [clean_line(t) for t in (text or "").split("\n")]
    lines = [t for t in lines if any(c.isalpha() for c in t) and t != article.title]
    if lines:
        article.extraction.notes.append("no paragraph block found; body from trafilatura")
    return lines


def _aggregator_credit(root: etree._Element, article: Article) -> None:
    """Aggregators credit the outlet in a line like "نشر في الرياض يوم 06 - 02 - 2015"."""
    for text in root.xpath("//text()[contains(., 'نشر') or contains(., 'نُشر')]"):
        found = parse_aggregator_line(str(text))
        if found:
            article.source = found[0]
            if not article.published:
                article.published = found[1]
                article.extraction.published_from = "text"
                article.extraction.published_text = clean_line(str(text))
            return


def extract(
    html: str,
    url: str | None = None,
    *,
    fetched_at: str | None = None,
    profiles: list[Profile] | None = None,
) -> Article:
    """Extract one article from decoded HTML. Never raises on malformed markup."""
    article = Article(url=url, fetched_at=fetched_at)
    tree = parse(html)
    if tree is None:
        return article
    profile = _profile(tree, url, profiles if profiles is not None else load_profiles())
    try:
        meta = extract_metadata(tree, url, profile=profile, reference=parse_timestamp(fetched_at))
    except ValueError as exc:  # e.g. a malformed canonical URL: keep the body anyway
        log.debug("metadata failed: %s", exc)
        meta = {}
        article.extraction.notes.append(f"metadata failed: {exc}")
    _apply(article, meta)
    article.title = clean_line(article.title or "")

    root = tree.find("body")
    if root is None:
        root = tree
    container = None
    strip: list[etree._Element] = []
    info = article.extraction
    if profile is not None:
        info.profile = profile.name
        found = _xpath(tree, profile.body_xpath)
        if found:
            container = found[0]
            info.method = "profile"
        elif profile.body_xpath:
            info.method = "generic"
            info.notes.append(f"profile {profile.name}: body_xpath matched nothing; generic extraction")
        for expr in profile.strip_xpath:
            strip += _xpath(tree, expr)
    lines = body_lines(root, title=article.title, subtitle=article.subtitle,
                       container=container, strip=strip)
    if container is not None and not lines:
        info.method = "generic"
        info.notes.append(f"profile {profile.name}: body_xpath held no text; generic extraction")
        lines = body_lines(root, title=article.title, subtitle=article.subtitle, strip=strip)
    if not lines:
        lines = _fallback(tree, article)
    article.body = "\n".join(lines)
    if not article.source:
        _aggregator_credit(root, article)
    if not article.site and (article.canonical_url or url):
        try:
            article.site = urlsplit(article.canonical_url or url).hostname
        except ValueError:  # a malformed canonical link names no site
            pass
    return article


def extract_bytes(
    data: bytes,
    url: str | None = None,
    *,
    http_charset: str | None = None,
    fetched_at: str | None = None,
    profiles: list[Profile] | None = None,
) -> Article:
    return extract(decode_html(data, http_charset).text, url, fetched_at=fetched_at, profiles=profiles)
