"""SIGKILL the archive mid-run, run it again: every article once, every line valid."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

from archive_helpers import N_ARTICLES, archive, copy_sites, lines, report_of
from arshif.demo import serve_sites


def _records_on_disk(data_dir) -> int:
    n = 0
    for path in (data_dir / "records").rglob("*.jsonl") if (data_dir / "records").exists() else ():
        n += path.read_bytes().count(b"\n")
    return n


def test_killed_runs_lose_and_duplicate_nothing(tmp_path):
    rng = random.Random(6)
    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    kills = 0
    with serve_sites(root, latency=0.03) as sites:
        config = tmp_path / "config.toml"
        config.write_text(sites.config_toml(data_dir), "utf-8")
        # Kill at a random number of stored records each time, until all are stored.
        for _ in range(3):
            target = _records_on_disk(data_dir) + rng.randint(1, 3)
            proc = subprocess.Popen(
                [sys.executable, "-m", "arshif", "archive", "--config", str(config)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 60
            while proc.poll() is None and _records_on_disk(data_dir) < target and time.monotonic() < deadline:
                time.sleep(0.002)
            if proc.poll() is None:
                time.sleep(rng.uniform(0, 0.04))  # land anywhere: mid-fetch, mid-write
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait()
            lines(data_dir)  # every line valid and whole after each kill
        final = archive(config)
    assert kills >= 2
    assert final.returncode == 0, final.stderr
    report_of(final)
    recs = lines(data_dir)
    counts = Counter(r["id"] for r in recs)
    assert len(counts) == N_ARTICLES, "lost articles"
    assert set(counts.values()) == {1}, "duplicated articles"
