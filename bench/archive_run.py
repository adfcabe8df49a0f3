"""Archive-run benchmark: 20 fake sites x 50 articles on 127.0.0.x, with latency.

    python bench/archive_run.py [--sites 20] [--articles 50] [--latency 0.02] [--delays 0.05,0.2]

Each site gets its own loopback address (127.0.0.2, 127.0.0.3, ...) so the
fetcher paces each as a different host; a third of the sites offer a feed, a
third a sitemap index + news sitemap, a third only a section page. For each
politeness delay it runs `arshif archive` in a child process and reports:

  wall / bound   the run's wall time against the politeness bound
                 (max over hosts of requests to that host x delay); goal <= 1.15
  req/article    HTTP requests per archived article (robots, feeds, sitemaps included)
  peak RSS       maximum resident memory of the archive process (goal <= 150 MB)

Everything stays on 127.0.0.1/8; no network. Does not need ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from arshif.demo import serve_sites

# Invented words for invented articles: every body differs, so none is a duplicate.
WORDS = (
    "أعلنت البلدية اليوم عن خطة جديدة لتطوير الحدائق العامة والطرق الفرعية في الأحياء القديمة "
    "وقال المسؤول إن المشروع يشمل إنشاء مدارس ومراكز صحية وملاعب للشباب خلال العامين المقبلين "
    "ويتوقع الخبراء أن تسهم الخطة في خفض الازدحام وتحسين جودة الهواء وتوفير فرص عمل للسكان "
    "وأضاف أن التمويل يأتي من الميزانية المحلية ومن قروض ميسرة تقدمها مصارف التنمية الإقليمية "
    "بينما طالب نواب المجلس بمزيد من الشفافية في العقود ونشر تقارير دورية عن سير الأعمال"
).split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def _article(rng: random.Random, site: int, n: int) -> str:
    paras = "\n".join(f"<p>{_text(rng, rng.randint(25, 45))}</p>" for _ in range(5))
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>خبر {n} - موقع {site}</title>
<meta property="article:published_time" content="2026-11-2{n % 3}T0{n % 10}:00:00+03:00"></head>
<body><nav><a href="/">الرئيسية</a></nav><article><h1>{_text(rng, 8)}</h1>
<div class="body">{paras}</div></article><footer>جميع الحقوق محفوظة</footer></body></html>
"""


def build_sites(root: Path, n_sites: int, n_articles: int) -> None:
    rng = random.Random(2026)
    for s in range(n_sites):
        d = root / f"site{s:02d}"
        kind = ("feed", "sitemap", "section")[s % 3]
        paths = [f"/news/{s}/{1000 + n}" for n in range(n_articles)]
        for n, path in enumerate(paths):
            f = d / path.lstrip("/") / "index.html"
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(_article(rng, s, n), "utf-8")
        if kind == "feed":
            items = "".join(f"<item><title>{n}</title><link>{{{{base}}}}{p}</link></item>" for n, p in enumerate(paths))
            (d / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>s</title>{items}</channel></rss>')
            spec = 'feeds = ["/feed.xml"]\n'
        elif kind == "sitemap":
            urls = "".join(f"<url><loc>{{{{base}}}}{p}</loc><lastmod>2026-11-22</lastmod></url>" for p in paths)
            (d / "news.xml").write_text(f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
            (d / "sitemap.xml").write_text('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                           "<sitemap><loc>{{base}}/news.xml</loc></sitemap></sitemapindex>")
            spec = 'sitemaps = ["/sitemap.xml"]\n'
        else:
            links = "".join(f'<li><a href="{p}">{n}</a></li>' for n, p in enumerate(paths))
            (d / "latest").mkdir(parents=True, exist_ok=True)
            (d / "latest/index.html").write_text(f'<html><body><ul>{links}</ul><a href="/about">about</a></body></html>')
            spec = 'sections = ["/latest/"]\n'
        (d / "_site.toml").write_text(spec + 'article_pattern = "/news/\\\\d+/\\\\d+"\n')


def run_once(sites, work: Path, delay: float) -> dict:
    data_dir = work / f"store-{delay}"
    config = work / f"config-{delay}.toml"
    config.write_text(sites.config_toml(data_dir, delay=delay, max_articles_per_site=1000, timeout=10), "utf-8")
    before = len(sites.hits())
    t0 = time.monotonic()
    out_path, err_path = work / f"out-{delay}.json", work / f"err-{delay}.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "arshif", "-q", "archive", "--config", str(config)],
                                stdout=out, stderr=err)
        # wait4: the rusage of exactly this child; ru_maxrss is in KiB on Linux.
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode not in (0, 1):
        raise SystemExit(f"archive failed ({proc.returncode}): {err_path.read_text()[-500:]}")
    report = json.loads(out_path.read_text("utf-8"))
    hits = sites.hits()[before:]
    per_host = Counter(h.site for h in hits)
    bound = max(per_host.values()) * delay
    stored = report["totals"]["new"]
    return {
        "delay": delay, "wall": wall, "bound": bound, "ratio": wall / bound if bound else float("inf"),
        "requests": len(hits), "articles": stored, "req_per_article": len(hits) / max(stored, 1),
        "peak_mb": peak_mb, "cpu": cpu, "failed": report["totals"]["failed"], "exit": proc.returncode,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.02, help="seconds each response waits")
    ap.add_argument("--delays", default="0.05,0.2,0.5", help="politeness delays to compare")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="arshif-bench-") as tmp:
        work = Path(tmp)
        build_sites(work / "sites", args.sites, args.articles)
        addresses = [f"127.0.0.{i + 2}" for i in range(args.sites)]
        with serve_sites(work / "sites", latency=args.latency, addresses=addresses) as sites:
            for delay in (float(d) for d in args.delays.split(",")):
                rows.append(run_once(sites, work, delay))
    print(f"archive run: {args.sites} sites x {args.articles} articles, latency {args.latency} s per request, "
          f"each site its own 127.0.0.x host; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    head = f"{'delay s':>8} {'articles':>8} {'failed':>6} {'requests':>8} {'req/art':>7} {'wall s':>7} " \
           f"{'bound s':>7} {'wall/bound':>10} {'CPU s':>6} {'peak RSS MB':>11}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['delay']:>8.2f} {r['articles']:>8} {r['failed']:>6} {r['requests']:>8} {r['req_per_article']:>7.3f} "
              f"{r['wall']:>7.2f} {r['bound']:>7.2f} {r['ratio']:>10.2f} {r['cpu']:>6.1f} {r['peak_mb']:>11.1f}")
    print("goals: wall/bound <= 1.15, peak RSS <= 150 MB. CPU s is the archive process's user+system time:\n"
          "when it exceeds the bound, the run is CPU-bound (extraction and hashing hold the GIL), not paced.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
