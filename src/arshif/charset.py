"""Bytes -> text for HTML pages, tuned for Arabic sites.

Order of evidence: BOM, then the HTTP header (when given), then <meta charset>
or http-equiv, then detection. Whatever was declared is verified: Arabic
sites often declare UTF-8 or ISO-8859-1 and send windows-1256, so a decoding
that yields replacement characters or Latin mojibake is retried with the
Arabic codecs.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FALLBACKS = ("utf-8", "windows-1256", "iso-8859-6")
# Latin-1 letters that windows-1256 bytes turn into when misread as latin-1/cp1252.
_MOJIBAKE = re.compile("[\u00c0-\u00ff]")
_ARABIC = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None  # what the header/meta said, if anything
    source: str  # "bom", "header", "meta", "detected", "fallback"


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"").lower()).name
    except LookupError:
        return None


def declared_in_meta(data: bytes) -> str | None:
    m = _META.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _badness(text: str) -> float:
    """Share of suspicious characters: replacement chars and Latin mojibake."""
    if not text:
        return 0.0
    sample = text[:20000]
    bad = sample.count("\ufffd") + len(_MOJIBAKE.findall(sample))
    letters = sum(ch.isalpha() for ch in sample) or 1
    return bad / letters


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode an HTML document; never raises on bad bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(codec, "replace"), codec, codec, "bom")

    header = _codec(http_charset)
    meta = _codec(declared_in_meta(data))
    declared = header or meta
    if declared:
        # latin-1 and cp1252 are the classic lies told about windows-1256 pages.
        text = _try(data, declared)
        if text is not None and _badness(text) < 0.02 and (
            declared not in ("latin-1", "cp1252", "iso8859-1") or not _MOJIBAKE.search(text)
        ):
            return Decoded(text, declared, http_charset or meta, "header" if header else "meta")

    for codec in _FALLBACKS:
        text = _try(data, codec)
        if text is not None and _ARABIC.search(text):
            return Decoded(text, codec, declared, "fallback" if declared else "detected")

    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
        if best is not None:
            return Decoded(data.decode(best.encoding, "replace"), best.encoding, declared, "detected")
    except Exception:  # detection is best effort; fall through to a lossy decode
        pass
    return Decoded(data.decode(declared or "utf-8", "replace"), declared or "utf-8", declared, "fallback")


def looks_binary(data: bytes) -> bool:
    """True for content that is plainly not text (NULs or many control bytes)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return controls / len(head) > 0.1
