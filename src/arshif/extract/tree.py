"""One walk over the lxml tree -> lines of visible text with their context.

The walk never copies or mutates the tree: boilerplate is marked on the lines
(which element made them noise), so metadata and body read the same parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from arshif.extract.boilerplate import (
    BLOCK_TAGS,
    CONTENT_TOKENS,
    NOISE_TAGS,
    NOISE_TOKEN_PAIRS,
    NOISE_TOKENS,
    SOFT_NOISE_TAGS,
    SKIP_TAGS,
)

_TOKEN_SPLIT = re.compile(r"[\s\-_]+")
# CSS-framework utility classes say nothing about content ("overflow-hidden", "col-md-8").
_UTILITY = re.compile(
    r"^(?:overflow|text|col|row|align|justify|flex|grid|order|float|position|[mp][trblxyse]?|w|h"
    r"|u|d-(?:sm|md|lg|xl|xxl)|hidden-(?:xs|sm|md|lg|xl)|visible-\w+|print)-"
)
_SHOWN = re.compile(r"^d-(?:sm|md|lg|xl|xxl)-(?:block|flex|inline|inline-block|grid|table)$")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(slots=True)
class Line:
    raw: str  # text as in the page, before whitespace cleaning (tickers show in its spacing)
    link_chars: int
    block: etree._Element  # innermost block element the text belongs to
    tag: str  # that block's tag
    noise: etree._Element | None  # outermost ancestor marked as boilerplate, if any
    hard_noise: bool  # noise from a tag or an explicit rule, not only from a class name


def profile_xpath(tree: etree._Element, expr: str | None) -> list:
    """Results of a profile's XPath; a user-written expression that is invalid yields
    nothing (the generic path takes over) instead of failing the page."""
    if not expr:
        return []
    try:
        found = tree.xpath(expr)
    except etree.XPathError:
        return []
    return found if isinstance(found, list) else [found]


def tokens(el: etree._Element) -> list[str]:
    attrs = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('aria-labelledby') or ''}".lower()
    names = attrs.split()
    # "d-none d-md-block" and "hidden-xs" are visible on a desktop: not hidden.
    if any(_SHOWN.match(n) for n in names):
        names = [n for n in names if n != "d-none"]
    return [t for n in names if not _UTILITY.match(n) for t in _TOKEN_SPLIT.split(n) if t]


def noise_reason(el: etree._Element, tag: str) -> str | None:
    """'hard' (tag, role, hidden) or 'soft' (class/id token) or None."""
    if tag in NOISE_TAGS:
        # Whole ASP.NET pages sit in one <form>: judge forms by what they hold.
        return "soft" if tag in SOFT_NOISE_TAGS else "hard"
    role = el.get("role")
    if role in ("navigation", "contentinfo", "banner", "complementary", "dialog", "alert"):
        return "hard"
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return "hard"
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return "hard"
    toks = tokens(el)
    if not toks:
        return None
    joined = " ".join(toks)
    if any(c in joined for c in CONTENT_TOKENS):
        return None
    if any(t in NOISE_TOKENS for t in toks):
        return "soft"
    if any(pair in NOISE_TOKEN_PAIRS for pair in zip(toks, toks[1:])):
        return "soft"
    return None


def walk(root: etree._Element, strip: frozenset = frozenset()) -> list[Line]:
    """Visible text of `root` as lines; `strip` elements count as hard noise."""
    lines: list[Line] = []
    parts: list[str] = []
    link_chars = 0
    blocks: list[etree._Element] = [root]
    noise: list[tuple[etree._Element, bool]] = []

    def flush() -> None:
        nonlocal link_chars
        raw = "".join(parts)
        if raw.strip():
            block = blocks[-1]
            top = noise[0] if noise else None
            lines.append(
                Line(
                    raw,
                    link_chars,
                    block,
                    block.tag if isinstance(block.tag, str) else "",
                    top[0] if top else None,
                    any(hard for _, hard in noise),
                )
            )
        parts.clear()
        link_chars = 0

    def add(text: str | None, in_link: bool) -> None:
        nonlocal link_chars
        if text:
            parts.append(text)
            if in_link:
                link_chars += len(text.strip())

    def visit(el: etree._Element, in_link: bool) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS:
            return
        if tag == "br":
            flush()
            return
        reason = "hard" if el in strip else noise_reason(el, tag)
        if reason:
            noise.append((el, reason == "hard"))
        # A noise element ends the line even when inline, so its text stays marked.
        block = tag in BLOCK_TAGS or reason is not None
        if block:
            flush()
            blocks.append(el)
        link = in_link or tag == "a"
        add(el.text, link)
        for child in el:
            visit(child, link)
            add(child.tail, link)
        if block:
            flush()
            blocks.pop()
        if reason:
            noise.pop()

    visit(root, False)
    flush()
    return lines
