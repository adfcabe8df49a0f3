"""The article body: score blocks on one walk of the tree, keep the best
container's paragraphs, drop the lines that are boilerplate or tickers.

Scoring follows readability's idea (a paragraph credits its parent and, half,
its grandparent) but on lines from `tree.walk`, so it needs no tree copies.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from lxml import etree

from arshif.extract import ticker
from arshif.extract.boilerplate import BYLINE, is_boilerplate_line
from arshif.extract.tree import Line, walk
from arshif.text import clean_line, match_key

MIN_PARAGRAPH = 25  # characters for a line to count as evidence of article text
MAX_LINK_SHARE = 0.3
SIBLING_SHARE = 0.2  # a sibling of the best block joins when it scores this much of it
LEAD_CHARS = 80  # text a neighbour of the best block needs to join as a lead
_COMMAS = re.compile("[،,؛]")
LIST_TAGS = frozenset("li dd dt h2 h3 h4 h5 h6".split())  # short lines that belong to articles
PARAGRAPH_TAGS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote pre dd dt".split())
# Agency credits closing an article: "--(بترا)", "(رويترز)", "- أ ف ب".
AGENCY_CREDIT = re.compile(r"^[\-–—ـ\s]*\(?[^\s()]{2,12}(?:\s[^\s()]{1,12})?\)?\s*$")


def _text(line: Line) -> str:
    return clean_line(line.raw)


def _evidence(line: Line, text: str) -> bool:
    return (
        len(text) >= MIN_PARAGRAPH
        and line.link_chars <= MAX_LINK_SHARE * len(text)
        and not ticker.is_ticker_text(line.raw)
        and not is_boilerplate_line(text)
    )


def _forgive_soft_noise(lines: list[Line], texts: list[str], good: list[bool]) -> None:
    """A class name like "sidebar" on the element holding most of the text is a
    layout wrapper, not boilerplate: un-mark it."""
    total = 0
    per_el: dict[etree._Element, int] = defaultdict(int)
    for line, text, ok in zip(lines, texts, good):
        if ok and not line.hard_noise:
            total += len(text)
            if line.noise is not None:
                per_el[line.noise] += len(text)
    # Comment threads can be long too; a wrapper also holds the headline.
    headline = lines[0].block.getroottree().getroot().find(".//h1") if lines else None
    wrappers = {
        el for el, n in per_el.items()
        if n > 0.8 * total or (n > 0.4 * total and headline is not None and _holds(el, headline))
    }
    for line in lines:
        if line.noise in wrappers and not line.hard_noise:
            line.noise = None


def _holds(ancestor: etree._Element, el: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _scores(lines: list[Line], texts: list[str], good: list[bool]) -> dict[etree._Element, float]:
    scores: dict[etree._Element, float] = defaultdict(float)
    for line, text, ok in zip(lines, texts, good):
        if line.noise is not None or not ok:
            continue
        weight = 1 + len(_COMMAS.findall(text)) + min(len(text) / 100, 3)
        # Text straight inside a div/td (old sites: paragraphs split by <br>) makes
        # that element the paragraph container itself.
        node = line.block if line.tag not in PARAGRAPH_TAGS else line.block.getparent()
        share = 1.0
        while node is not None and share >= 0.5:
            scores[node] += weight * share
            node, share = node.getparent(), share / 2
    return scores


def _chosen(
    scores: dict[etree._Element, float], evidence: dict[etree._Element, int]
) -> set[etree._Element]:
    if not scores:
        return set()
    best = max(scores, key=scores.__getitem__)
    chosen = [best]
    parent = best.getparent()
    if parent is not None:
        floor = max(2.0, SIBLING_SHARE * scores[best])
        chosen += [s for s in parent if s is not best and scores.get(s, 0) >= floor]
        # A lead paragraph often sits in its own wrapper right before the body.
        for near in (best.getprevious(), best.getnext()):
            if near is not None and sum(evidence.get(e, 0) for e in near.iter()) >= LEAD_CHARS:
                chosen.append(near)
    return {el for top in chosen for el in top.iter()}


def _evidence_chars(lines: list[Line], texts: list[str], good: list[bool]) -> dict[etree._Element, int]:
    chars: dict[etree._Element, int] = defaultdict(int)
    for line, text, ok in zip(lines, texts, good):
        if line.noise is None and ok:
            chars[line.block] += len(text)
    return chars


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and match_key(a) == match_key(b)


def body_lines(
    root: etree._Element,
    *,
    title: str = "",
    subtitle: str = "",
    container: etree._Element | None = None,
    strip: Iterable[etree._Element] = (),
) -> list[str]:
    """Article paragraphs under `root` (or inside `container` when a profile gave one)."""
    lines = walk(container if container is not None else root, frozenset(strip))
    texts = [_text(line) for line in lines]
    good = [_evidence(line, text) for line, text in zip(lines, texts)]
    _forgive_soft_noise(lines, texts, good)
    if container is None:
        inside = _chosen(_scores(lines, texts, good), _evidence_chars(lines, texts, good))
        keep = [i for i, line in enumerate(lines) if line.block in inside]
    else:
        keep = list(range(len(lines)))
    lines = [lines[i] for i in keep]
    texts = [texts[i] for i in keep]

    runs = ticker.link_runs([ticker.headline_link(t, l.link_chars) for l, t in zip(lines, texts)])
    runs |= ticker.link_runs(
        [l.tag not in LIST_TAGS and ticker.headline_text(t) for l, t in zip(lines, texts)],
        ticker.RUN_PLAIN,
    )
    out: list[str] = []
    skipping_ticker = False
    for i, (line, text) in enumerate(zip(lines, texts)):
        if ticker.is_ticker_label(text):
            skipping_ticker = True  # the label's short items follow it
            continue
        if skipping_ticker and (len(text) < MIN_PARAGRAPH * 3 or line.link_chars):
            continue
        skipping_ticker = False
        if (
            line.noise is not None
            or i in runs
            or ticker.is_ticker_text(line.raw)
            or is_boilerplate_line(text)
            or line.link_chars > 0.5 * len(text)
            or _same(text, title)
            or _same(text, subtitle)
            or (BYLINE.match(text) and len(text) < 60)
        ):
            continue
        out.append(text)
    return _trim(out)


def _trim(out: list[str]) -> list[str]:
    """Drop stray labels (dates, section names) at the edges of the container."""
    def stray(text: str) -> bool:
        return len(text.split()) < 4 and not AGENCY_CREDIT.match(text)

    while out and len(out[0].split()) < 4:
        out.pop(0)
    while out and stray(out[-1]):
        out.pop()
    return out
