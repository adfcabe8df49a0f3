"""Crash safety: torn lines, lines the index never saw, lost index, SIGKILL, a full disk."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from store_helpers import article, jsonl_lines, valid
from test_store import fetch_result
from warcio.archiveiterator import ArchiveIterator

from arshif.store import Store

TESTS = Path(__file__).parent


def check_consistent(root: Path) -> list[dict]:
    """Every line valid, every index row pointing at its own line, and nothing unindexed."""
    lines = jsonl_lines(root)
    db = sqlite3.connect(root / "index.sqlite")
    rows = db.execute("SELECT record_id, file, offset, length FROM records").fetchall()
    assert len(rows) == len(lines)
    for rid, file, offset, length in rows:
        with open(root / file, "rb") as fh:
            fh.seek(offset)
            assert json.loads(fh.read(length))["id"] == rid
    db.close()
    return lines


def test_torn_line_cut_and_unindexed_line_indexed_on_open(tmp_path):
    with Store(tmp_path) as store:
        for n in range(3):
            a = article(n)
            store.save(a, url=a.url)
    path = next(tmp_path.glob("records/*/*.jsonl"))
    # A line fully written but killed before the index commit, then a torn one.
    with open(path, "ab") as fh:
        fh.write(article(3).to_json().encode() + b"\n")
        fh.write(article(4).to_json().encode()[:150])
    with Store(tmp_path) as store:
        assert store.recover_report["lines_indexed"] == 1
        assert store.lookup(article(3).url).record_id == article(3).id
        assert store.lookup(article(4).url) is None
        again = [store.save(a, url=a.url) for a in (article(3), article(4))]
    assert again == ["unchanged", "new"]
    assert [r["id"] for r in check_consistent(tmp_path)] == [article(n).id for n in range(5)]


def test_lost_index_is_rebuilt_from_records_runs_and_warcs(tmp_path):
    res = fetch_result()
    with Store(tmp_path) as store:
        run = store.start_run()
        store.capture(run, res)
        a = article(1)
        store.save(a, url=a.url, run_id=run)
        a.body += "\nفقرة أضيفت لاحقا."
        store.save(a, url=a.url, run_id=run)
        store.save(article(2), url=article(2).url, run_id=run)
        store.finish_run(run, {"exit_status": 0})
        before = store.stats()
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with Store(tmp_path) as store:
        after = store.stats()
        assert store.lookup(a.url).version == 2
        assert store.runs()[0]["report"]["exit_status"] == 0
        assert len(store.captures()) == 1 and store.read_capture(store.captures()[0]).content == res.content
        assert store.rebuild_index()["lines_indexed"] == 3
    for key in ("records", "versions", "captures", "runs"):
        assert after["totals"][key] == before["totals"][key], key
    check_consistent(tmp_path)


def test_torn_warc_tail_is_cut(tmp_path):
    with Store(tmp_path) as store:
        store.capture(7, fetch_result())
        store.capture(7, fetch_result(url="https://news.test/news/78"))
    path = tmp_path / "warc" / "7.warc.gz"
    good = path.read_bytes()
    with open(path, "ab") as fh:  # a capture killed half-way through its write
        fh.write(good[len(good) // 2:][:700])
    with Store(tmp_path) as store:
        assert store.stats()["totals"]["captures"] == 2
    assert path.read_bytes() == good
    with open(path, "rb") as fh:
        kinds = [r.rec_type for r in ArchiveIterator(fh)]
    assert kinds == ["warcinfo"] + ["request", "response", "metadata"] * 2


CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from store_helpers import article
    from arshif.store import Store
    store = Store(sys.argv[1])
    for n in range({n}):
        a = article(n, site="site%d.test" % (n % 3))
        print(store.save(a, url=a.url), flush=True)
    store.close()
    """
)


def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path, figures):
    n, kills = 150, 6
    script = CHILD.format(tests=str(TESTS), n=n)
    rng = random.Random(6)
    lines_seen = []
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE)
        # Kill after a random number of saves: the child is already inside the next one.
        for _ in range(rng.randrange(1, n)):
            child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.stdout.close()
        child.wait()
        with Store(tmp_path, readonly=True) as reader:  # before any repair: no torn line visible
            assert all(valid(r) for r in reader.iter_records())
        Store(tmp_path).close()  # opening repairs what the kill left
        lines_seen.append(len(check_consistent(tmp_path)))
        figures.add("kills")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=120)
    lines = check_consistent(tmp_path)
    ids = [r["id"] for r in lines]
    duplicates, lost = len(ids) - len(set(ids)), n - len(set(ids))
    figures.add("duplicates after kills", duplicates)
    figures.add("lost after kills", lost)
    figures.add("records checked", len(lines))
    assert (duplicates, lost) == (0, 0)
    assert lines_seen == sorted(lines_seen) and lines_seen[0] < n  # killed while still saving


FSIZE_CHILD = textwrap.dedent(
    """
    import json, os, resource, sys
    sys.path.insert(0, {tests!r})
    from store_helpers import article
    from arshif.store import Store, StoreError
    store = Store(sys.argv[1])
    saved = []
    for n in range(3):
        store.save(article(n), url=article(n).url)
        saved.append(article(n).id)
    size = os.path.getsize(next(store.root.glob("records/*/*.jsonl")))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 600, size + 600))
    try:
        for n in range(3, 50):
            a = article(n, body="كلمة " * 300)
            store.save(a, url=a.url)
            saved.append(a.id)
    except StoreError as exc:
        print(json.dumps({{"saved": saved, "error": str(exc)}}))
        sys.exit(1)
    """
)


def test_file_size_limit_gives_clear_error_and_valid_store(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", FSIZE_CHILD.format(tests=str(TESTS)), str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1, proc.stderr  # not killed by SIGXFSZ, no traceback
    out = json.loads(proc.stdout)
    assert "\n" not in out["error"] and "File too large" in out["error"]
    lines = check_consistent(tmp_path)
    assert [r["id"] for r in lines] == out["saved"]
    with Store(tmp_path) as store:
        a = article(3, body="كلمة " * 300)
        assert store.save(a, url=a.url) == "new"
    assert len(check_consistent(tmp_path)) == len(out["saved"]) + 1
    assert os.path.getsize(next(tmp_path.glob("records/*/*.jsonl"))) > 0
