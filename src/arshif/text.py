"""Text normalisation shared by every stage.

Two levels on purpose: `clean_text` keeps the letters and digits exactly as
published (what records store); `match_key` folds spelling variants (what
hashing, deduplication and scoring compare).
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi controls: invisible, but they break search and hashing.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c",
    ),
    None,
)
_SPACES = re.compile(r"[^\S\n]+")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ی": "ي", "ئ": "ي",
        "ة": "ه", "ؤ": "و", "ک": "ك",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)


def clean_line(text: str) -> str:
    """NFC, invisible controls removed, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def clean_text(text: str) -> str:
    """Like `clean_line` per line; keeps line breaks, drops empty lines."""
    lines = (clean_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def match_key(text: str) -> str:
    """Spelling-insensitive form for comparing texts (not for storing them)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _DIACRITICS.sub("", text).translate(_FOLD).lower()
    return " ".join(_PUNCT.sub(" ", text).split())


def words(text: str) -> list[str]:
    return match_key(text).split()
