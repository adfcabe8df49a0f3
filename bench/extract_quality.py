"""Extraction quality and speed: arshif against trafilatura, readability-lxml, jusText.

Reads the repo's own fixtures/pages (always present), ../shared/arabic-news-pages
(raw pages + gold records) and ../shared/seeds (already-extracted text + gold,
through `arshif clean`). Prints per-page rows and a mean row per tool; scoring is
in bench/scoring.py.

    python bench/extract_quality.py [--shared DIR] [--repeat N]

When the shared data is absent it says so, scores the fixtures only, and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import bag_f1, snippets  # noqa: E402

from arshif.charset import decode_html  # noqa: E402
from arshif.extract import extract  # noqa: E402
from arshif.extract.textclean import clean_article  # noqa: E402

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

# Each tool: decoded HTML -> (body, title, date or "").
Tool = Callable[[str, str], tuple[str, str, str]]


def _arshif(html: str, url: str) -> tuple[str, str, str]:
    a = extract(html, url)
    return a.body, a.title, a.published or ""


def _trafilatura(precision: bool) -> Tool:
    import trafilatura

    def run(html: str, url: str) -> tuple[str, str, str]:
        out = trafilatura.extract(
            html, url=url, output_format="json", with_metadata=True, favor_precision=precision
        )
        data = json.loads(out) if out else {}
        return data.get("text") or "", data.get("title") or "", data.get("date") or ""

    return run


def _readability(html: str, url: str) -> tuple[str, str, str]:
    import lxml.html
    from readability import Document

    doc = Document(html, url=url)
    summary = lxml.html.fromstring(doc.summary(html_partial=True))
    paras = [p.text_content().strip() for p in summary.iter("p", "h2", "h3", "h4", "li", "blockquote")]
    body = "\n".join(p for p in paras if p) or summary.text_content()
    return body, doc.short_title(), ""


def _justext(html: str, url: str) -> tuple[str, str, str]:
    import justext

    paras = justext.justext(html, justext.get_stoplist("Arabic"))
    return "\n".join(p.text for p in paras if not p.is_boilerplate), "", ""


TOOLS: dict[str, Tool] = {
    "arshif": _arshif,
    "trafilatura": _trafilatura(False),
    "trafilatura-precision": _trafilatura(True),
    "readability-lxml": _readability,
    "jusText": _justext,
}


def _date_ok(got: str, gold: str) -> bool | None:
    if not gold:
        return None
    return bool(got) and got[:10] == gold[:10]


def pages(shared: Path, repeat: int) -> list[dict]:
    root = shared / "arabic-news-pages"
    items = []
    for raw in sorted((root / "raw").glob("*.html")):
        gold_path = root / "gold" / f"{raw.stem}.gold.json"
        if gold_path.exists():
            items.append((raw.stem, decode_html(raw.read_bytes()).text, json.loads(gold_path.read_text())))
    rows = []
    for tool, fn in TOOLS.items():
        elapsed = 0.0
        for name, html, gold in items:
            for _ in range(repeat):
                t0 = time.perf_counter()
                body, title, date = fn(html, gold.get("url", ""))
                elapsed += time.perf_counter() - t0
            s = bag_f1(body, gold["body"])
            found, leaked = snippets(body, gold["with"], gold["without"], gold["body"])
            rows.append({
                "tool": tool, "page": name, "p": s.precision, "r": s.recall, "f1": s.f1,
                "with": f"{found}/{len(gold['with'])}", "leaked": leaked,
                "title": title == gold["title"] if title else False,
                "date": _date_ok(date, gold.get("published", "")),
            })
        rows.append({"tool": tool, "page": "MEAN", "speed": len(items) * repeat / elapsed if elapsed else 0})
    return rows


def _joined(body: str | list[str]) -> str:
    return body if isinstance(body, str) else "\n".join(body)


def fixtures() -> list[dict]:
    """Body F1 and exact title on the self-written fixture pages, every tool."""
    rows = []
    for page in sorted(FIXTURES.glob("*.html")):
        want = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
        html = decode_html(page.read_bytes()).text
        for tool, fn in TOOLS.items():
            body, title, _ = fn(html, "")
            rows.append({"tool": tool, "page": page.stem, "f1": bag_f1(body, _joined(want["body"])).f1,
                         "title": title == want.get("title")})
    return rows


def print_fixtures(rows: list[dict]) -> None:
    print("## Own fixtures (fixtures/pages): body F1 per page\n")
    names = sorted({r["page"] for r in rows})
    print("| tool | " + " | ".join(names) + " | mean F1 | title exact |")
    print("| --- |" + " ---: |" * (len(names) + 2))
    for tool in TOOLS:
        mine = {r["page"]: r for r in rows if r["tool"] == tool}
        cells = " | ".join(f"{mine[n]['f1']:.3f}" for n in names)
        mean = sum(r["f1"] for r in mine.values()) / len(mine)
        titles = sum(r["title"] for r in mine.values())
        print(f"| {tool} | {cells} | {mean:.3f} | {titles}/{len(mine)} |")
    print()


def seeds(shared: Path) -> list[dict]:
    rows = []
    for txt in sorted((shared / "seeds").glob("*.txt")):
        gold_path = txt.with_name(txt.stem + ".gold.json")
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text())
        a = clean_article(txt.read_text(encoding="utf-8"))
        s = bag_f1(a.body, gold["body"])
        found, leaked = snippets(a.body, gold["with"], gold["without"], gold["body"])
        rows.append({
            "seed": txt.stem, "f1": s.f1, "with": f"{found}/{len(gold['with'])}", "leaked": leaked,
            "title": a.title == gold["title"], "subtitle": a.subtitle == gold.get("subtitle", ""),
            "source": a.source or "", "source_ok": (a.source or "") == gold.get("source", ""),
            "published": a.published or "", "date_ok": (a.published or "") == gold.get("published", ""),
        })
    return rows


def _yn(v: bool | None) -> str:
    return "–" if v is None else "yes" if v else "no"


def print_pages(rows: list[dict]) -> None:
    print("## Real pages (../shared/arabic-news-pages)\n")
    print("| tool | page | P | R | F1 | with found | without leaked | title | date |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    summary = []
    for tool in TOOLS:
        mine = [r for r in rows if r["tool"] == tool and r["page"] != "MEAN"]
        for r in mine:
            print(f"| {tool} | {r['page'][:40]} | {r['p']:.3f} | {r['r']:.3f} | {r['f1']:.3f} | "
                  f"{r['with']} | {r['leaked']} | {_yn(r['title'])} | {_yn(r['date'])} |")
        n = len(mine) or 1
        speed = next(r["speed"] for r in rows if r["tool"] == tool and r["page"] == "MEAN")
        dates = [r["date"] for r in mine if r["date"] is not None]
        summary.append((tool, sum(r["p"] for r in mine) / n, sum(r["r"] for r in mine) / n,
                        sum(r["f1"] for r in mine) / n,
                        sum(int(r["with"].split("/")[0]) for r in mine),
                        sum(int(r["with"].split("/")[1]) for r in mine),
                        sum(r["leaked"] for r in mine), sum(1 for r in mine if r["leaked"]),
                        sum(r["title"] for r in mine), sum(dates), len(dates), len(mine), speed))
    print("\n## Mean over the real pages\n")
    print("| tool | P | R | F1 | with found | without leaked (pages) | title ok | date ok | pages/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t, p, r, f, wf, wt, lk, lp, ti, da, dn, n, sp in summary:
        print(f"| {t} | {p:.3f} | {r:.3f} | {f:.3f} | {wf}/{wt} | {lk} ({lp}) | {ti}/{n} | {da}/{dn} | {sp:.1f} |")


def print_seeds(rows: list[dict]) -> None:
    print("\n## Seeds through `arshif clean` (../shared/seeds)\n")
    print("| seed | F1 | with found | without leaked | title exact | subtitle | source | published |")
    print("| --- | ---: | ---: | ---: | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['seed']} | {r['f1']:.4f} | {r['with']} | {r['leaked']} | {_yn(r['title'])} | "
              f"{_yn(r['subtitle'])} | {r['source'] or '–'} ({_yn(r['source_ok'])}) | "
              f"{r['published'] or '–'} ({_yn(r['date_ok'])}) |")
    if rows:
        print(f"| MEAN | {sum(r['f1'] for r in rows) / len(rows):.4f} | | "
              f"{sum(r['leaked'] for r in rows)} | {sum(r['title'] for r in rows)}/{len(rows)} | | | |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page for the speed figure")
    args = ap.parse_args()
    print_fixtures(fixtures())
    if not (args.shared / "arabic-news-pages" / "raw").is_dir():
        print(f"../shared is absent ({args.shared}): no real pages or seeds to benchmark; skipping.")
        return 0
    print_pages(pages(args.shared, args.repeat))
    if (args.shared / "seeds").is_dir():
        print_seeds(seeds(args.shared))
    else:
        print(f"\n(no seeds folder under {args.shared})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
