"""Helpers for the archive tests: a private copy of the fixture sites, the CLI
as a subprocess, and the records as they lie on disk."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from arshif.article import validate
from arshif.demo import FIXTURE_SITES

ARTICLES = {  # fixture site -> article paths it serves (what run 1 must archive)
    "wadi-news": ["/2026/11/20/1001.html", "/2026/11/20/1002.html", "/2026/11/21/1003.html", "/2026/11/21/1004.html"],
    "sahil-times": ["/news/politics/55501", "/news/economy/55502", "/news/culture/55503",
                    "/news/local/55504", "/news/local/54001"],
    "nakhil-daily": ["/article/88101/tahalof-mazarie-alqamh/", "/article/88102/jamiea-tatlaq-barnamij/",
                     "/article/88103/mustashfa-alatfal/"],
}
N_ARTICLES = sum(map(len, ARTICLES.values()))


def copy_sites(tmp_path: Path) -> Path:
    root = tmp_path / "sites"
    shutil.copytree(FIXTURE_SITES, root)
    return root


def archive(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arshif", "archive", "--config", str(config), *args],
        capture_output=True, text=True, timeout=timeout,
    )


def report_of(proc: subprocess.CompletedProcess) -> dict:
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def lines(data_dir: Path) -> list[dict]:
    """Every JSONL record line under data_dir/records, each parsed and validated."""
    out = []
    for path in sorted((data_dir / "records").rglob("*.jsonl")):
        raw = path.read_bytes()
        assert raw == b"" or raw.endswith(b"\n"), f"torn last line in {path}"
        for line in raw.decode("utf-8").splitlines():
            record = json.loads(line)
            validate(record)
            out.append(record)
    return out


def article_hits(sites, site: str | None = None) -> list[str]:
    """Requests the servers saw for article pages (not feeds, sitemaps, robots)."""
    wanted = {p for name, paths in ARTICLES.items() if site in (None, name) for p in paths}
    return [h.path.split("?")[0] for h in sites.hits(site) if h.path.split("?")[0] in wanted]
