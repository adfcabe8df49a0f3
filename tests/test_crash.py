"""Crash safety of `arshif archive` as a real process: SIGKILL at seeded random
moments, a file-size limit mid-run; the store must stay valid, and reruns must
neither duplicate nor lose an article.

The runs are forked from the test process (arshif already imported), so a kill
lands inside the run rather than in a second of interpreter start-up, and ten
kills cost seconds. The child is a separate process running the real CLI.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import signal
import sys
import time
from collections import Counter
from pathlib import Path


from arshif.article import validate
from arshif.store import Store
from faultserver import FaultServer


ARTICLES = 100
LATENCY = 0.06  # per article: a full run takes ~6 s, ten kills do not finish it
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


def _child(config: Path, out: Path, err: Path, fsize: int | None) -> None:
    """Runs in the forked process: the CLI exactly as a user runs it."""
    code = 70
    try:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        sys.stdout = open(out, "w", encoding="utf-8")
        sys.stderr = open(err, "w", encoding="utf-8")
        from arshif.cli import main

        code = main(["-q", "archive", "--config", str(config)])
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


class Run:
    """`arshif archive` in a child process, with its stdout and stderr in files."""

    def __init__(self, config: Path, *, fsize: int | None = None):
        n = len(list(config.parent.glob("out-*")))
        self.out, self.err = config.parent / f"out-{n}", config.parent / f"err-{n}"
        self.proc = multiprocessing.get_context("fork").Process(
            target=_child, args=(config, self.out, self.err, fsize)
        )
        self.proc.start()

    def kill(self) -> bool:
        if not self.proc.is_alive():
            return False
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join(30)
        return self.proc.exitcode == -signal.SIGKILL

    def wait(self) -> tuple[int, str, str]:
        self.proc.join(60)
        return self.proc.exitcode, self.out.read_text("utf-8"), self.err.read_text("utf-8")


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
            run = Run(config)
            time.sleep(rng.uniform(0.1, 0.9))  # store opening, discovery, fetches, writes
            killed += run.kill()
            # Right after each kill: no torn or invalid line, nothing stored twice.
            invalid, duplicated, _ = _audit(tmp_path / "data", srv.good_urls(), figures)
            assert (invalid, duplicated) == (0, 0), f"after kill {killed}"
        assert killed == KILLS, "a run finished before its kill: slow the site down"
        lines = sum(len(p.read_bytes().splitlines()) for p in (tmp_path / "data").rglob("*.jsonl"))
        assert 0 < lines < ARTICLES, "the kills should land while articles are being stored"
        code, out, err = Run(config).wait()
        assert code == 0, err[-500:]
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


def test_write_failure_mid_run_is_clean(tmp_path, figures):
    with FaultServer(good=30, faults=(), first=500) as srv:
        config = _config(tmp_path, srv)
        # 200 KB per file: the store opens, some articles are stored, then a
        # write (index, WARC or JSONL, whichever grows past it first) fails.
        code, out, text = Run(config, fsize=200_000).wait()
        lines = text.strip().splitlines()
        assert code not in (0, -signal.SIGXFSZ), "the run should fail, not crash"
        assert "Traceback" not in text
        assert lines and lines[-1].startswith("arshif: error:"), lines[-3:]

        invalid, duplicated, lost = _audit(tmp_path / "data", srv.good_urls(), figures)
        assert (invalid, duplicated) == (0, 0)
        assert 0 < len(srv.good_urls()) - lost < 30, "the failure should come mid-run"
        with Store(tmp_path / "data") as store:  # opens (and recovers) without complaint
            assert all(store.lookup(r["url"]) for r in store.iter_records())

        # Without the limit the next run completes the archive, nothing twice.
        code, out, err = Run(config).wait()
        assert code == 0, err[-500:]
        invalid, duplicated, lost = _audit(tmp_path / "data", srv.good_urls(), figures)
        assert (invalid, duplicated, lost) == (0, 0, 0)
        figures.add("archive runs completed")
