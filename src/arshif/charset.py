"""Bytes -> text for HTML and XML pages, tuned for Arabic sites.

Order of evidence: the HTTP header, then a BOM, then <meta charset> /
http-equiv / the XML declaration, then detection. A BOM cannot lie, so it
overrides a header that disagrees (as in the WHATWG encoding standard).

Whatever was declared is verified: Arabic sites often declare UTF-8 or
ISO-8859-1 and send windows-1256 (or declare windows-1256 and send UTF-8), so
a declaration whose decoding yields replacement characters or Latin/Arabic
mojibake is rejected and the bytes are decoded by detection instead.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Latin-1 letters that windows-1256 bytes turn into when misread as latin-1/cp1252.
_MOJIBAKE = re.compile("[\u00c0-\u00ff]")
_ARABIC = re.compile("[\u0600-\u06ff]")
# Letters Arabic UTF-8 turns into when misread as windows-1256: "ط§ظ„" for "ال".
_UTF8_AS_1256 = re.compile(
    "[\u0637\u0638][%s]"
    % re.escape("".join(set(bytes(range(0x80, 0xC0)).decode("cp1256")) - set("\u060c\u061b\u061f\xa0")))
)
_ARABIC_SINGLE_BYTE = ("cp1256", "iso8859-6")
_UTF8 = "utf-8"


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None  # what the header/meta said, if anything
    source: str  # "bom", "header", "meta", "detected", "fallback" (declared but wrong)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"").lower()).name
    except LookupError:
        return None


def declared_in_meta(data: bytes) -> str | None:
    """The charset named by <meta> or an XML declaration in the first 4 KB."""
    head = data[:4096]
    m = _XML_DECL.match(head) or _META.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _badness(text: str) -> float:
    """Share of suspicious characters among letters: replacement chars and Latin mojibake."""
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


def _is_utf8_with_multibyte(data: bytes) -> bool:
    return not data.isascii() and _try(data, _UTF8) is not None


def _utf8_misread(text: str) -> bool:
    sample = text[:20000]
    hits = len(_UTF8_AS_1256.findall(sample))
    return hits >= 3 and hits > len(_ARABIC.findall(sample)) / 20


def _arabic_score(text: str) -> float:
    """Arabic letters minus penalties for characters that signal a wrong codec."""
    sample = text[:20000]
    junk = sample.count("\ufffd") + len(_MOJIBAKE.findall(sample)) + sum("\x80" <= c <= "\x9f" for c in sample)
    return len(_ARABIC.findall(sample)) - 5 * junk - 3 * len(_UTF8_AS_1256.findall(sample))


def _verify(data: bytes, codec: str) -> str | None:
    """The text if `codec` plausibly is the page's encoding, else None."""
    if codec != _UTF8 and _is_utf8_with_multibyte(data):
        # Valid multi-byte UTF-8 is almost never an accident of a single-byte codec.
        return None
    text = _try(data, codec)
    if text is None:
        if codec != _UTF8:
            return None
        # A UTF-8 page with a few stray bytes (a truncated ad snippet) is still UTF-8.
        text = data.decode(codec, "replace")
        if text[:20000].count("\ufffd") > max(2, len(text[:20000]) // 1000):
            return None
    if _badness(text) >= 0.02:
        return None
    if codec in _ARABIC_SINGLE_BYTE and _utf8_misread(text):
        return None
    return text


def _detect(data: bytes) -> tuple[str, str] | None:
    text = _verify(data, _UTF8)
    if text is not None:
        return text, _UTF8
    # Non-UTF-8 with Arabic letters: pick the Arabic single-byte codec that reads best.
    best: tuple[float, str, str] | None = None
    for codec in _ARABIC_SINGLE_BYTE:
        text = _try(data, codec)
        if text is not None and _ARABIC.search(text):
            score = _arabic_score(text)
            if best is None or score > best[0]:
                best = (score, text, codec)
    if best is not None and best[0] > 0:
        return best[1], best[2]
    try:
        from charset_normalizer import from_bytes

        found = from_bytes(data[:200000]).best()
        if found is not None:
            return data.decode(found.encoding, "replace"), _codec(found.encoding) or found.encoding
    except Exception:  # detection is best effort; fall through to a lossy decode
        pass
    return None


def decode_html(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode an HTML or XML document; never raises on bad bytes."""
    header = _codec(http_charset)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            source = "header" if header == _codec(codec) else "bom"
            return Decoded(data[len(bom):].decode(codec, "replace"), codec, http_charset or codec, source)

    meta = _codec(declared_in_meta(data))
    if meta and meta.startswith("utf-16"):
        meta = _UTF8  # a <meta> readable as ASCII cannot be UTF-16 (WHATWG)
    declared_name = http_charset if header else (meta and declared_in_meta(data))
    for codec, source in ((header, "header"), (meta, "meta")):
        if codec:
            text = _verify(data, codec)
            if text is not None:
                return Decoded(text, codec, declared_name, source)

    found = _detect(data)
    source = "fallback" if (header or meta) else "detected"
    if found is not None:
        return Decoded(found[0], found[1], declared_name, source)
    codec = header or meta or _UTF8
    return Decoded(data.decode(codec, "replace"), codec, declared_name, "fallback")


def looks_binary(data: bytes) -> bool:
    """True for content that is plainly not text (NULs or many control bytes)."""
    head = data[:8192]
    if not head:
        return False
    for bom, codec in _BOMS[1:]:
        if head.startswith(bom):
            # UTF-16 text is full of NULs and low bytes; judge the characters instead.
            chars = head[len(bom):].decode(codec, "replace")
            return sum(c < "\t" or "\r" < c < " " for c in chars) > len(chars) / 10
    if b"\x00" in head:
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return controls / len(head) > 0.1
