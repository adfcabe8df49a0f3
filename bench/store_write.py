"""Store costs side by side: save and capture with and without fsync, reopen, rebuild, reextract.

Builds its own records (invented text) in temporary data dirs; prints one table.

    python bench/store_write.py [--records 1000]

No network, no ../shared.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from store_helpers import article  # noqa: E402
from test_store import PAGE, fetch_result  # noqa: E402

from arshif.extract import extract_bytes  # noqa: E402
from arshif.store import Store  # noqa: E402
from arshif.store.reextract import reextract  # noqa: E402


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def fill(root: Path, n: int, fsync: bool) -> tuple[float, float]:
    """Seconds to save n articles, and to capture+save n pages (archive-job order)."""
    arts = [article(i, site=f"site{i % 20}.test") for i in range(n)]
    results = []
    for i in range(n):
        url = f"https://site{i % 20}.test/news/{i}"
        html = PAGE.replace("https://news.test/news/77", url).replace("تضم آلاف", f"رقم {i} تضم آلاف")
        res = fetch_result(html, url=url)
        res.final_url = url
        results.append(res)
    pages = [extract_bytes(r.content, r.final_url, fetched_at=r.fetched_at) for r in results]
    with Store(root / "a", fsync=fsync) as store:
        save = timed(lambda: [store.save(a, url=a.url) for a in arts])
    with Store(root / "b", fsync=fsync) as store:
        run = store.start_run()

        def archive():
            for res, page in zip(results, pages):
                store.capture(run, res)
                store.save(page, url=res.url, run_id=run)

        both = timed(archive)
    return save, both


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1000)
    n = ap.parse_args().records
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="arshif-store-bench-", dir=ROOT))
    try:
        for fsync in (True, False):
            save, both = fill(tmp / str(fsync), n, fsync)
            rows.append((f"save (fsync={'on' if fsync else 'off'})", save))
            rows.append((f"capture + save (fsync={'on' if fsync else 'off'})", both))
        root = tmp / "True" / "b"
        rows.append(("open after a clean close", timed(lambda: Store(root).close())))
        for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
            (root / name).unlink(missing_ok=True)
        rows.append(("open after losing index.sqlite (rebuild)", timed(lambda: Store(root).close())))
        with Store(root) as store:
            rows.append(("reextract every capture", timed(lambda: reextract(store))))
    finally:
        shutil.rmtree(tmp)
    print(f"store costs for {n} records (20 sites), 2 CPUs, local disk")
    print(f"{'operation':<44}{'total s':>9}{'ms/record':>11}")
    print("-" * 64)
    for name, secs in rows:
        print(f"{name:<44}{secs:>9.2f}{secs / n * 1000:>11.2f}")


if __name__ == "__main__":
    main()
