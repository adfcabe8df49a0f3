"""Scoring shared by the benchmarks: bag-of-words P/R/F1 and snippet checks.

Words are compared in `arshif.text.match_key` form (NFKC, no diacritics or
tatweel, unified alef/ya/ta marbuta, Western digits, no punctuation), the
convention of ../shared/arabic-news-pages/README.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from arshif.text import match_key


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


def bag_f1(predicted: str, gold: str) -> Score:
    got, want = Counter(match_key(predicted).split()), Counter(match_key(gold).split())
    common = sum((got & want).values())
    if not got and not want:
        return Score(1.0, 1.0, 1.0)
    p = common / sum(got.values()) if got else 0.0
    r = common / sum(want.values()) if want else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def contains(text: str, snippet: str) -> bool:
    """Snippet present, spelling- and punctuation-insensitively."""
    key = match_key(snippet)
    return bool(key) and f" {key} " in f" {match_key(text)} "


def snippets(text: str, with_: list[str], without: list[str], gold: str = "") -> tuple[int, int]:
    """(with-snippets found, without-snippets leaked).

    A "without" snippet that the gold body itself contains (a caption naming a
    person the article also names) is not counted as a leak.
    """
    leaked = sum(contains(text, s) and not contains(gold, s) for s in without)
    return sum(contains(text, s) for s in with_), leaked
