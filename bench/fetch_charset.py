"""Charset decoding under lying declarations: arshif against requests, charset-normalizer, bs4.

Each real page from ../shared/arabic-news-pages/raw is re-served in several
disguises (UTF-8 or windows-1256 bytes; honest, missing or lying HTTP header and
<meta>). The truth is the page's own text, so a decoder scores a hit only when
it returns exactly that text. Prints one row per disguise and a total per decoder.

    python bench/fetch_charset.py [--shared DIR]

Without the shared pages it says so and uses fixtures/http/article.html alone.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import UnicodeDammit
from charset_normalizer import from_bytes

from arshif.charset import decode_html

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
_META = re.compile(r"""<meta[^>]*charset\s*=\s*["']?[A-Za-z0-9_:.\-]+["']?[^>]*>""", re.IGNORECASE)

# name -> (codec of the bytes, HTTP header charset, <meta charset> or None)
DISGUISES = {
    "utf8 honest": ("utf-8", "utf-8", "utf-8"),
    "utf8 no declaration": ("utf-8", None, None),
    "utf8, header says windows-1256": ("utf-8", "windows-1256", None),
    "1256 honest": ("cp1256", "windows-1256", "windows-1256"),
    "1256 meta only": ("cp1256", None, "windows-1256"),
    "1256 no declaration": ("cp1256", None, None),
    "1256, header says utf-8": ("cp1256", "utf-8", None),
    "1256, header says iso-8859-1": ("cp1256", "iso-8859-1", None),
    "1256, meta says utf-8": ("cp1256", None, "utf-8"),
    "iso-8859-6 honest": ("iso8859-6", "iso-8859-6", "iso-8859-6"),
    "iso-8859-6 no declaration": ("iso8859-6", None, None),
}


def _requests_text(data: bytes, header: str | None) -> str:
    # What `requests.Response.text` gives: the header charset, else ISO-8859-1 for text/*.
    return data.decode(header or "iso-8859-1", "replace")


def _normalizer(data: bytes, header: str | None) -> str:
    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", "replace")


def _dammit(data: bytes, header: str | None) -> str:
    return UnicodeDammit(data, [header] if header else [], is_html=True).unicode_markup or ""


DECODERS: dict[str, Callable[[bytes, str | None], str]] = {
    "arshif decode_html": lambda d, h: decode_html(d, h).text,
    "requests .text": _requests_text,
    "charset-normalizer": _normalizer,
    "bs4 UnicodeDammit": _dammit,
}


def pages(shared: Path) -> list[str]:
    raw = shared / "arabic-news-pages" / "raw"
    if raw.is_dir():
        found = sorted(raw.glob("*.html"))
        if found:
            return [p.read_bytes().decode("utf-8") for p in found]
    print(f"NOTE: {raw} is absent; using fixtures/http/article.html only", file=sys.stderr)
    return [(ROOT / "fixtures" / "http" / "article.html").read_text(encoding="utf-8")]


def disguise(text: str, codec: str, meta: str | None) -> tuple[str, bytes]:
    """The page as `codec` bytes with only the given <meta charset>; also the text it must decode to."""
    text = _META.sub("", text)
    if meta:
        text = text.replace("<head>", f'<head><meta charset="{meta}">', 1) if "<head>" in text else f'<meta charset="{meta}">' + text
    # Characters windows-1256 lacks become references, so the truth stays exact.
    data = text.encode(codec, "xmlcharrefreplace")
    return data.decode(codec), data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    texts = pages(args.shared)
    hits = {name: 0 for name in DECODERS}
    seconds = {name: 0.0 for name in DECODERS}
    total = 0
    header = f"| disguise ({len(texts)} pages) | " + " | ".join(DECODERS) + " |"
    print(header)
    print("|" + " --- |" * (len(DECODERS) + 1))
    for label, (codec, http, meta) in DISGUISES.items():
        row = []
        for name, decode in DECODERS.items():
            ok = 0
            for text in texts:
                truth, data = disguise(text, codec, meta)
                t0 = time.perf_counter()
                got = decode(data, http)
                seconds[name] += time.perf_counter() - t0
                ok += got.lstrip("\ufeff") == truth
            hits[name] += ok
            row.append(f"{ok}/{len(texts)}")
        total += len(texts)
        print(f"| {label} | " + " | ".join(row) + " |")
    print("| **total exact** | " + " | ".join(f"**{hits[n]}/{total}**" for n in DECODERS) + " |")
    print("| ms per page | " + " | ".join(f"{1000 * seconds[n] / total:.1f}" for n in DECODERS) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
