"""Crash safety of `arshif archive` as a real process: SIGKILL at seeded random
moments, a file-size limit mid-run; the store must stay valid, and reruns must
neither duplicate nor lose an article."""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from arshif.article import validate
from arshif.store import Store
from faultserver import FaultServer

ARTICLES = 60
LATENCY = 0.1  # per article: a full run takes ~6 s, so every kill lands mid-run
KILLS = 10


def _config(tmp: Path, srv: FaultServer) -> Path:
    path = tmp / "config.toml"
    path.write_text(
        f"""[archive]
data_dir = "{tmp / 'data'}"
delay = 0
timeout = 5
allow_private = true  # the test site is on 127.0.0.1

[[sites]]
name = "crashy"
url = "{srv.url('/news/')}"
sections = ["{srv.url('/news/')}"]
article_pattern = "/news/good-"
""",
        "utf-8",
    )
    return path


def _archive(config: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "arshif", "-q", "archive", "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw,
    )


def _audit(data_dir: Path, urls: list[str], figures) -> tuple[int, int, int]:
    """(invalid lines, duplicated articles, lost articles), from the files themselves."""
    invalid, seen = 0, Counter()
    for path in sorted((data_dir / "records").rglob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            figures.add("records checked")
            try:
                record = json.loads(line)
                validate(record)
            except Exception:
                invalid += 1
                continue
            seen[record["url"]] += 1
    duplicated = sum(n - 1 for n in seen.values() if n > 1)
    lost = sum(1 for u in urls if seen[u] == 0)
    figures.add("records invalid", invalid)
    return invalid, duplicated, lost


def test_sigkill_at_ten_points_then_rerun(tmp_path, figures):
    rng = random.Random(20240601)
    with FaultServer(good=ARTICLES, faults=(), latency=LATENCY) as srv:
        config = _config(tmp_path, srv)
        killed = 0
        for _ in range(KILLS):
            proc = _archive(config)
            time.sleep(rng.uniform(0.6, 1.4))  # mostly after start-up (~0.6 s), during the fetches
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.communicate(timeout=30)
        assert killed >= KILLS - 1, "the run finished before most kills: slow it down"
        final = _archive(config)
        out, err = final.communicate(timeout=60)
        assert final.returncode == 0, err.decode()[-500:]
        report = json.loads(out)

    invalid, duplicated, lost = _audit(tmp_path / "data", srv.good_urls(), figures)
    figures.add("kills", killed)
    figures.add("duplicates after kills", duplicated)
    figures.add("lost after kills", lost)
    figures.add("archive runs completed")
    figures.add("good articles expected", ARTICLES)
    figures.add("good articles archived", ARTICLES - lost)
    assert (invalid, duplicated, lost) == (0, 0, 0)
    # The index agrees with the files: every URL points at its record.
    with Store(tmp_path / "data") as store:
        ids = {r["id"] for r in store.iter_records()}
        assert len(ids) == ARTICLES
        assert all((s := store.lookup(u)) and s.record_id in ids for u in srv.good_urls())
    # Nothing was fetched twice once archived: the last run only finished the rest.
    assert report["totals"]["new"] + report["totals"]["known"] == ARTICLES


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_write_failure_mid_run_is_clean(tmp_path, figures):
    with FaultServer(good=60, faults=(), first=500) as srv:
        config = _config(tmp_path, srv)
        # 200 KB per file: the store opens, some articles are stored, then a
        # write (index, WARC or JSONL, whichever grows past it first) fails.
        proc = _archive(config, preexec_fn=_limit_file_size(200_000))
        out, err = proc.communicate(timeout=60)
        text = err.decode()
        lines = text.strip().splitlines()
        assert proc.returncode not in (0, -signal.SIGXFSZ), "the run should fail, not crash"
        assert "Traceback" not in text
        assert lines and lines[-1].startswith("arshif: error:"), lines[-3:]

        invalid, duplicated, lost = _audit(tmp_path / "data", srv.good_urls(), figures)
        assert (invalid, duplicated) == (0, 0)
        assert 0 < len(srv.good_urls()) - lost < 60, "the failure should come mid-run"
        with Store(tmp_path / "data") as store:  # opens (and recovers) without complaint
            assert all(store.lookup(r["url"]) for r in store.iter_records())

        # Without the limit the next run completes the archive, nothing twice.
        again = _archive(config)
        out, err = again.communicate(timeout=60)
        assert again.returncode == 0, err.decode()[-500:]
        invalid, duplicated, lost = _audit(tmp_path / "data", srv.good_urls(), figures)
        assert (invalid, duplicated, lost) == (0, 0, 0)
        figures.add("archive runs completed")
