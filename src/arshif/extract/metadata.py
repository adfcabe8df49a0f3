"""Metadata from the page head and structured data: title, canonical URL, dates, authors."""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from arshif.dates import parse_arabic_date, to_iso
from arshif.text import clean_line

# "نشر في الرياض يوم 06 - 02 - 2015": aggregators credit the original outlet and date.
_AGGREGATOR = re.compile(
    r"^\s*(?:تم\s+)?(?:نشر|نشرت|منشور|نُشر|published)\s+(?:في|فى|بـ?|على|in|on)\s*(?P<outlet>.+?)"
    r"\s+(?:يوم|بتاريخ|في|فى|on)\s*:?\s*(?P<date>.+?)\s*$",
    re.IGNORECASE,
)


def parse_aggregator_line(line: str) -> tuple[str, str] | None:
    """(outlet, ISO date) from an aggregator's credit line, else None."""
    m = _AGGREGATOR.match(clean_line(line or ""))
    if not m or len(m.group("outlet").split()) > 6:
        return None
    when = parse_arabic_date(m.group("date"))
    if when is None:
        return None
    return clean_line(m.group("outlet")), to_iso(when)


def _first(tree: etree._Element, *xpaths: str) -> str:
    for xp in xpaths:
        for value in tree.xpath(xp):
            text = clean_line(value if isinstance(value, str) else value.text_content())
            if text:
                return text
    return ""


def json_ld(tree: etree._Element) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page, flattened out of @graph and lists."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return found


def extract_metadata(tree: etree._Element, url: str | None, profile: Any = None) -> dict[str, Any]:
    ld = [o for o in json_ld(tree) if "headline" in o]
    title = _first(tree, "//h1", "//meta[@property='og:title']/@content", "//title")
    if not title and ld:
        title = clean_line(str(ld[0]["headline"]))
    canonical = _first(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    lang = _first(tree, "/html/@lang")
    return {
        "title": title,
        "canonical_url": canonical or url,
        "language": (lang.split("-")[0].lower() or None) if lang else None,
    }
