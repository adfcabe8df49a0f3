"""Metadata quality: published date, title and authors against the gold records.

arshif (the full `extract_bytes` pipeline) side by side with htmldate
(extensive search, with and without original_date) and trafilatura's
`extract_metadata`, on ../shared/arabic-news-pages (raw pages + gold).

    python bench/metadata_quality.py [--shared DIR]

Published dates are compared at the gold's granularity: a gold "YYYY-MM-DD"
needs the same day, a gold "YYYY-MM-DDTHH:MM" the same day, hour and minute
(as displayed on the page). The "same day" column compares the day only.
"arshif-visible-only" runs the metadata step on the same pages stripped of
JSON-LD, <meta>, datetime= and content=: what is left is what a reader sees.
When the shared data is absent it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from arshif.charset import decode_html
import lxml.html

from arshif.extract import extract_bytes
from arshif.extract.metadata import extract_metadata
from arshif.text import clean_line, match_key

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"


def agrees(value: str | None, gold: str) -> bool:
    """Same value at the gold's granularity (day, or day + HH:MM)."""
    if not value:
        return not gold
    return bool(gold) and value[: len(gold)] == gold


def same_day(value: str | None, gold: str) -> bool:
    return bool(value) and bool(gold) and value[:10] == gold[:10]


def people(value) -> set[str]:
    if not value:
        return set()
    items = value if isinstance(value, list) else re.split(r"\s*[;،,]\s*", str(value))
    return {match_key(i) for i in items if match_key(i)}


def run_tools(data: bytes, url: str) -> dict[str, dict]:
    import htmldate
    import trafilatura

    html = decode_html(data).text
    out: dict[str, dict] = {}
    t = time.perf_counter()
    a = extract_bytes(data, url)
    out["arshif"] = {"published": a.published, "title": a.title, "authors": a.authors,
                     "seconds": time.perf_counter() - t}
    # Ablation: the same pages with JSON-LD, <meta>, datetime= and content= removed,
    # so only what a reader sees is left (how arshif does on sites without metadata).
    t = time.perf_counter()
    tree = lxml.html.document_fromstring(html)
    for el in tree.xpath("//meta|//script[@type='application/ld+json']"):
        el.drop_tree()
    for el in tree.xpath("//*[@datetime or @content]"):
        el.attrib.pop("datetime", None)
        el.attrib.pop("content", None)
    seen = extract_metadata(tree, url)
    out["arshif-visible-only"] = {"published": seen["published"], "title": seen["title"],
                                  "authors": seen["authors"], "seconds": time.perf_counter() - t}
    for name, original in (("htmldate", False), ("htmldate-original", True)):
        t = time.perf_counter()
        found = htmldate.find_date(html, url=url, outputformat="%Y-%m-%dT%H:%M",
                                   extensive_search=True, original_date=original)
        out[name] = {"published": found, "title": None, "authors": None, "seconds": time.perf_counter() - t}
    t = time.perf_counter()
    doc = trafilatura.extract_metadata(html, default_url=url)
    out["trafilatura"] = {
        "published": getattr(doc, "date", None),
        "title": getattr(doc, "title", None) or "",
        "authors": getattr(doc, "author", None) or "",
        "seconds": time.perf_counter() - t,
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    args = ap.parse_args(argv)
    pages = args.shared / "arabic-news-pages"
    if not (pages / "raw").is_dir():
        print(f"shared data absent: {pages} not found; nothing to measure", file=sys.stderr)
        return 0
    tools = ("arshif", "arshif-visible-only", "htmldate", "htmldate-original", "trafilatura")
    totals = {t: {"date": 0, "day": 0, "title": 0, "authors": 0, "seconds": 0.0} for t in tools}
    rows = []
    files = sorted((pages / "raw").glob("*.html"))
    if files:  # warm-up: imports and caches are not what the ms/page column measures
        run_tools(files[0].read_bytes(), "https://example.com/")
    for raw in files:
        gold_path = pages / "gold" / (raw.stem + ".gold.json")
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        results = run_tools(raw.read_bytes(), gold["url"])
        for tool, r in results.items():
            ok_date = agrees(r["published"], gold["published"])
            ok_day = same_day(r["published"], gold["published"])
            ok_title = r["title"] is not None and clean_line(r["title"]) == clean_line(gold["title"])
            ok_auth = r["authors"] is not None and people(r["authors"]) == people(gold["author"])
            s = totals[tool]
            s["date"] += ok_date
            s["day"] += ok_day
            s["title"] += ok_title
            s["authors"] += ok_auth
            s["seconds"] += r["seconds"]
            rows.append((raw.stem[:34], tool, gold["published"], r["published"] or "-",
                         "yes" if ok_date else "NO", "yes" if ok_title else ("-" if r["title"] is None else "NO"),
                         "yes" if ok_auth else ("-" if r["authors"] is None else "NO")))
    n = len(rows) // len(tools)
    print(f"{'page':34} {'tool':18} {'gold published':17} {'found':26} {'date':4} {'title':5} {'authors':7}")
    for row in rows:
        print(f"{row[0]:34} {row[1]:18} {row[2]:17} {str(row[3])[:26]:26} {row[4]:4} {row[5]:5} {row[6]:7}")
    print()
    print(f"pages: {n}")
    print(f"| tool | published = gold | same day | title exact | authors = gold | ms/page |")
    print("| --- | --- | --- | --- | --- | --- |")
    for tool in tools:
        s = totals[tool]
        has = not tool.startswith("htmldate")
        title = f"{s['title']}/{n}" if has else "n/a"
        auth = f"{s['authors']}/{n}" if has else "n/a"
        print(f"| {tool} | {s['date']}/{n} | {s['day']}/{n} | {title} | {auth} | {1000 * s['seconds'] / max(n, 1):.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
