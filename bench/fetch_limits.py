"""Fetch limits side by side: arshif's Fetcher against plain requests on hostile responses.

A local server on 127.0.0.1 serves a gzip bomb, a slow-drip body, a slow-drip
head and ordinary pages; each client runs in its own process so its peak memory (ru_maxrss) is
its own. Prints one table.

    python bench/fetch_limits.py [--bomb-mb 512] [--pages 200]

Nothing leaves 127.0.0.1; ../shared is not needed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from httpserver import send, serve  # noqa: E402

PAGE = (ROOT / "fixtures" / "http" / "article.html").read_bytes()


def bomb(mb: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join(z.compress(block) for _ in range(mb)) + z.flush()


def drip(h) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "200")
    h.end_headers()
    for _ in range(200):  # 10 s for the whole body, never silent for 1 s
        try:
            h.wfile.write(b"<")
            h.wfile.flush()
        except OSError:
            return
        time.sleep(0.05)


def slow_head(h) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(200):  # one header line every 50 ms, the head never ends
        try:
            h.wfile.write(b"X-Pad: 1\r\n")
            h.wfile.flush()
        except OSError:
            return
        time.sleep(0.05)
    h.close_connection = True


# -- clients (run in a child process) ---------------------------------------


def client(kind: str, what: str, url: str, pages: int) -> dict:
    t0 = time.perf_counter()
    outcome = ""
    if kind == "requests":
        import requests

        with requests.Session() as s:
            try:
                if what == "pages":
                    for n in range(pages):
                        s.get(f"{url}/p/{n}.html", timeout=(1, 1)).content
                    outcome = f"{pages} ok"
                else:
                    r = s.get(url, timeout=(1, 1))
                    outcome = f"ok, {len(r.content):,} bytes"
            except Exception as exc:  # a benchmark reports whatever happened
                outcome = type(exc).__name__
    else:
        from arshif.fetch import Fetcher, FetchSettings

        settings = FetchSettings(connect_timeout=1, read_timeout=1, delay=0, allow_private=True, retries=0)
        with Fetcher(settings) as f:
            if what == "pages":
                results = [f.fetch(f"{url}/p/{n}.html") for n in range(pages)]
                outcome = f"{sum(r.ok for r in results)} ok"
            else:
                r = f.fetch(url)
                outcome = r.error_kind or f"ok, {len(r.content):,} bytes"
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}


def run_child(kind: str, what: str, url: str, pages: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, what, url, str(pages)],
        capture_output=True, text=True, timeout=300,
    )
    if out.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bomb-mb", type=int, default=512, help="decompressed size of the gzip bomb")
    ap.add_argument("--pages", type=int, default=200, help="ordinary pages fetched one after another")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, what, url, pages = args.child
        print(json.dumps(client(kind, what, url, int(pages))))
        return 0

    packed = bomb(args.bomb_mb)
    routes = {
        "/bomb.html": lambda h: send(h, 200, packed, headers={"Content-Encoding": "gzip"}),
        "/drip.html": drip,
        "/head.html": slow_head,
        "/p/*": lambda h: send(h, 200, PAGE),
        "/robots.txt": lambda h: send(h, 200, b"User-agent: *\nAllow: /\n", content_type="text/plain"),
    }
    cases = [
        (f"gzip bomb ({len(packed) // 1024} KB -> {args.bomb_mb} MB)", "bomb", "/bomb.html"),
        ("slow drip (1 byte / 50 ms, read timeout 1 s)", "drip", "/drip.html"),
        ("slow headers (1 line / 50 ms for 10 s)", "head", "/head.html"),
        (f"{args.pages} ordinary pages, one by one", "pages", ""),
    ]
    print("| case | client | outcome | seconds | peak RSS MB |")
    print("| --- | --- | --- | ---: | ---: |")
    with serve(None, routes) as srv:
        for label, what, path in cases:
            for kind in ("requests", "arshif"):
                r = run_child(kind, what, srv.url + path, args.pages)
                name = "requests.get" if kind == "requests" else "arshif Fetcher"
                print(f"| {label} | {name} | {r['outcome']} | {r['seconds']:.2f} | {r['peak_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
