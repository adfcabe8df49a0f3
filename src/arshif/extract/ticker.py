"""Headline tickers and breaking-news bars, found by shape, not by content.

A ticker is many short headline-like segments: either one run of text joined
by wide separators (no-break spaces, bullets, pipes), or a run of consecutive
short lines that are mostly links, or a block headed by a label like "عاجل".
"""

from __future__ import annotations

import re

from arshif.extract.boilerplate import TICKER_LABELS

# Wide gaps between headlines: 2+ (no-break) spaces, or bullet/pipe separators.
_SEPARATOR = re.compile(r"(?:[\u00a0\u2007\u202f ]{2,}|\s[•|◄►▪■●]\s)")
MIN_SEGMENTS = 4  # fewer joined segments could be an ordinary spaced sentence
RUN_LINES = 4  # consecutive headline links that make a list of others' news
HEADLINE_WORDS = 18
RUN_PLAIN = 5  # consecutive plain (unlinked) headlines outside any list
_SENTENCE_END = tuple(".!?؟…:»\"”)")


def segments(raw: str) -> list[str]:
    return [s for s in (p.strip() for p in _SEPARATOR.split(raw)) if s]


def is_ticker_text(raw: str) -> bool:
    """One line holding several headlines joined by wide separators."""
    segs = segments(raw)
    if len(segs) < MIN_SEGMENTS:
        return False
    short = sum(1 for s in segs if len(s.split()) <= HEADLINE_WORDS)
    return short >= 0.8 * len(segs)


def is_ticker_label(text: str) -> bool:
    return bool(TICKER_LABELS.match(text.strip()))


def headline_link(text: str, link_chars: int) -> bool:
    """A short line that is (nearly) all link: a headline pointing elsewhere."""
    n = len(text)
    return 0 < n and len(text.split()) <= HEADLINE_WORDS and link_chars >= 0.6 * n


def headline_text(text: str) -> bool:
    """A short unpunctuated line: a headline, not a sentence."""
    return 2 <= len(text.split()) <= HEADLINE_WORDS and not text.rstrip().endswith(_SENTENCE_END)


def link_runs(flags: list[bool], min_run: int = RUN_LINES) -> set[int]:
    """Indices inside runs of at least `min_run` consecutive True flags."""
    out: set[int] = set()
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= min_run:
                out.update(range(start, i))
            start = None
    return out
