"""Discovery: which article URLs does a site offer today?

Sources are the site's feeds, sitemaps (indexes followed, filtered to what
changed since the last run) and section pages. The parse functions are pure;
`discover_site` wires them to a fetcher and returns normalised, de-duplicated
candidates before any article is fetched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from arshif.discover.feeds import parse_feed
from arshif.discover.sections import looks_like_article, parse_section
from arshif.discover.sitemaps import parse_sitemap
from arshif.discover.types import Candidate
from arshif.discover.urls import dedup, normalize, same_site

__all__ = [
    "Candidate", "Discovery", "discover_site", "looks_like_article", "normalize",
    "parse_feed", "parse_section", "parse_sitemap",
]

log = logging.getLogger(__name__)

MAX_SITEMAPS = 50  # sitemaps fetched per site and run (a news archive, not a full crawl)
MAX_DEPTH = 2  # index -> index -> urlset at most


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    sources_ok: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source URL, reason)
    # Validators of sources fetched this run, to send back next run (conditional GET).
    validators: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @property
    def reached(self) -> bool:
        return self.sources_ok > 0


def _fetch(fetcher, url: str, accept: str, disc: Discovery, validators: dict) -> bytes | None:
    old = validators.get(url) or {}
    res = fetcher.fetch(url, etag=old.get("etag"), last_modified=old.get("last_modified"), accept=accept)
    if res.status == "unchanged":
        disc.sources_ok += 1
        disc.validators[url] = old
        return None
    if not res.ok:
        disc.failures.append((url, res.error_kind or "error"))
        log.warning("%s: %s", url, res.error or res.error_kind)
        return None
    disc.sources_ok += 1
    disc.validators[url] = {"etag": res.etag, "last_modified": res.last_modified}
    return res.content


def _sitemap(fetcher, url, site, since, disc, validators, depth, budget) -> None:
    if budget[0] <= 0:
        return
    budget[0] -= 1
    data = _fetch(fetcher, url, "xml", disc, validators)
    if data is None:
        return
    try:
        sm = parse_sitemap(data, url)
    except ValueError as exc:
        disc.failures.append((url, "bad_sitemap"))
        log.warning("%s: %s", url, exc)
        return
    for cand in sm.urls:
        if since is None or cand.lastmod is None or cand.lastmod >= since:
            disc.candidates.append(cand)
    if depth >= MAX_DEPTH:
        return
    # Newest first: when the budget runs out, old archive months are what is left.
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    for child in sorted(sm.children, key=lambda c: c.lastmod or oldest, reverse=True):
        if not same_site(child.url, site.url):
            continue
        if since is not None and child.lastmod is not None and child.lastmod < since:
            continue  # nothing in it changed since the last run
        _sitemap(fetcher, child.url, site, since, disc, validators, depth + 1, budget)


def discover_site(
    site, fetcher, *, since: datetime | None = None, validators: dict | None = None
) -> Discovery:
    """Collect candidate article URLs of one site (SiteConfig) through `fetcher`.

    `since`: sitemap entries and child sitemaps last modified before it are
    skipped. `validators`: {source URL: {etag, last_modified}} from the last
    run; an unchanged source (304) contributes nothing new.
    """
    validators = validators or {}
    disc = Discovery()
    for url in site.feeds:
        data = _fetch(fetcher, url, "xml", disc, validators)
        if data is None:
            continue
        try:
            disc.candidates.extend(parse_feed(data, url))
        except ValueError as exc:
            disc.failures.append((url, "bad_feed"))
            log.warning("%s: %s", url, exc)
    budget = [MAX_SITEMAPS]
    for url in site.sitemaps:
        _sitemap(fetcher, url, site, since, disc, validators, 0, budget)
    sections = site.sections or ([] if site.feeds or site.sitemaps else [site.url])
    for url in sections:
        # Listing pages change all day: always fetched in full.
        res = fetcher.fetch(url, accept="html")
        if not res.ok:
            disc.failures.append((url, res.error_kind or "error"))
            log.warning("%s: %s", url, res.error or res.error_kind)
            continue
        disc.sources_ok += 1
        disc.candidates.extend(
            parse_section(res.text or res.content, res.final_url or url, site.url, site.article_pattern)
        )
    disc.candidates = _dedup(disc.candidates, site)
    return disc


def _dedup(cands: list[Candidate], site) -> list[Candidate]:
    pattern = re.compile(site.article_pattern) if site.article_pattern else None
    best: dict[str, Candidate] = {}
    for c in cands:
        if not same_site(c.url, site.url):
            continue
        if pattern and c.source != "section" and not pattern.search(c.url):
            continue
        prev = best.get(c.url)
        if prev is None or (c.lastmod and (prev.lastmod is None or c.lastmod > prev.lastmod)):
            best[c.url] = c
    return [best[u] for u in dedup(c.url for c in cands) if u in best]
