"""The store on a real data dir: JSONL records, SQLite index, WARC captures, paths, threads."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest
from store_helpers import article, jsonl_lines
from warcio.archiveiterator import ArchiveIterator

from arshif.cli import main
from arshif.extract import extract_bytes
from arshif.fetch import FetchResult
from arshif.store import PathError, Store
from arshif.store.paths import inside, site_slug
from arshif.store.reextract import reextract

PAGE = """<html lang="ar"><head><meta charset="utf-8"><title>موقع - عنوان</title>
<link rel="canonical" href="https://news.test/news/77"></head><body>
<nav><a href="/">الرئيسية</a></nav>
<h1>افتتاح مكتبة عامة جديدة في وسط المدينة</h1>
<article><p>افتتحت البلدية صباح اليوم مكتبة عامة جديدة تضم آلاف الكتب والمراجع للطلاب والباحثين من سكان المدينة.</p>
<p>وقال مدير المكتبة إن القاعات ستفتح أبوابها طوال أيام الأسبوع وإن الدخول مجاني للجميع دون استثناء.</p>
<p>وأضاف أن المرحلة المقبلة ستشهد تنظيم ورش للقراءة والكتابة للأطفال في العطلة الصيفية.</p></article>
<footer>جميع الحقوق محفوظة</footer></body></html>"""


def fetch_result(html: str = PAGE, url: str = "https://news.test/news/77?utm_source=feed") -> FetchResult:
    body = html.encode()
    return FetchResult(
        url=url,
        status="ok",
        final_url="https://news.test/news/77",
        http_status=200,
        content=body,
        text=html,
        encoding="utf-8",
        content_type="text/html",
        etag='"v1"',
        request_headers=[("User-Agent", "arshif/0.1.0 (+https://example.org)"), ("Accept-Encoding", "gzip")],
        # The body came gzipped; `content` is decompressed, so these two must not survive as-is.
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                          ("Content-Length", "123"), ("ETag", '"v1"')],
        fetched_at="2026-03-05T08:00:00+00:00",
        redirects=["https://news.test/n/77"],
    )


def test_new_unchanged_version_duplicate(tmp_path):
    with Store(tmp_path) as store:
        a = article(1)
        assert store.save(a, url=a.url, etag='"e1"') == "new"
        assert store.save(a, url=a.url) == "unchanged"
        # A cosmetic edit keeps the content hash: still unchanged.
        a.body = a.body.replace("نفسه.", "نفسه")
        assert store.save(a, url=a.url) == "unchanged"
        a.body += "\nتحديث: أضيفت فقرة جديدة بعد الظهر."
        assert store.save(a, url=a.url) == "version"
        # Same content under another URL: stored once, alias recorded.
        copy = article(2, site="mirror.test", body=article(1).body.split("\n")[0])
        assert store.save(copy, url=copy.url) == "duplicate"
        assert store.save(copy, url=copy.url) == "unchanged"  # the alias is known already
        state = store.lookup(copy.url)
        assert state.record_id == a.id and state.status == "unchanged"
        stats = store.stats()
    lines = jsonl_lines(tmp_path)
    assert [r["id"] for r in lines] == [a.id, a.id]  # v1 and v2, nothing for the duplicate
    assert lines[1]["body"].endswith("بعد الظهر.")
    assert stats["sites"]["news.test"] == {"records": 1, "versions": 1, "aliases": 0, "failures": 0,
                                           "failures_by_reason": {}}
    assert stats["sites"]["mirror.test"]["aliases"] == 1


def test_lookup_by_normalised_and_canonical_url(tmp_path):
    with Store(tmp_path) as store:
        a = article(3)
        a.url = "https://NEWS.test:443/news/3-slug?utm_source=twitter#top"
        a.canonical_url = "https://news.test/news/3"
        store.save(a, url=a.url, etag='"abc"', last_modified="Thu, 05 Mar 2026 08:00:00 GMT")
        by_fetch = store.lookup("https://news.test/news/3-slug")
        by_canonical = store.lookup("https://news.test/news/3#comments")
        assert by_fetch.record_id == by_canonical.record_id == a.id
        assert by_fetch.etag == '"abc"' and by_fetch.version == 1
        assert by_canonical.etag is None  # validators belong to the URL that was fetched
        assert store.lookup("https://news.test/news/4") is None
        store.mark("https://news.test/news/4", "failed:timeout", error="read timed out")
        assert store.lookup("https://news.test/news/4").status == "failed:timeout"
        assert store.stats()["sites"]["news.test"]["failures_by_reason"] == {"timeout": 1}
        # A 304 keeps the record and its validators.
        store.mark("https://news.test/news/3-slug", "unchanged")
        state = store.lookup("https://news.test/news/3-slug")
        assert (state.status, state.record_id, state.etag) == ("unchanged", a.id, '"abc"')


def test_callers_site_name_is_kept(tmp_path):
    with Store(tmp_path) as store:
        a = article(8)
        store.save(a, url=a.url, site="daily-news")
        store.mark(a.url, "unchanged")  # a 304: no site given, the name stays
        store.mark("https://news.test/news/99", "failed:dns", site="daily-news")
        assert store.lookup(a.url).site == "daily-news"
        assert list(store.stats()["sites"]) == ["daily-news"]
    assert [p.parent.name for p in tmp_path.glob("records/*/*.jsonl")] == ["daily-news"]


def test_records_partitioned_by_site_and_fetch_day(tmp_path):
    with Store(tmp_path) as store:
        a, b = article(1), article(2, site="other.test")
        b.fetched_at = "2026-03-05T23:30:00-02:00"  # already the 6th in UTC
        store.save(a, url=a.url)
        store.save(b, url=b.url)
        assert [r["id"] for r in store.iter_records("other.test")] == [b.id]
        assert store.get(a.id)["title"] == a.title
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("records/*/*.jsonl"))
    assert files == ["records/news.test/2026-03-05.jsonl", "records/other.test/2026-03-06.jsonl"]
    db = sqlite3.connect(tmp_path / "index.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_warc_round_trip_and_reextract_gives_same_record(tmp_path):
    res = fetch_result()
    with Store(tmp_path) as store:
        run = store.start_run()
        store.capture(run, res)
        stored = extract_bytes(res.content, res.final_url, fetched_at=res.fetched_at)
        assert stored.body and store.save(stored, url=res.url, run_id=run) == "new"
        store.finish_run(run, {"sites": {"news.test": {"new": 1}}})
        assert reextract(store)["unchanged"] == 1
        assert store.get(stored.id) == stored.to_dict()
    warc_file = tmp_path / "warc" / f"{run}.warc.gz"
    records = {}
    with open(warc_file, "rb") as fh:
        for rec in ArchiveIterator(fh):
            records[rec.rec_type] = (rec, rec.content_stream().read())
    assert set(records) == {"warcinfo", "request", "response", "metadata"}
    response, payload = records["response"]
    assert payload == res.content
    assert response.rec_headers.get_header("WARC-Target-URI") == "https://news.test/news/77"
    headers = response.http_headers
    assert headers.get_statuscode() == "200"
    assert headers.get_header("Content-Encoding") is None
    assert headers.get_header("Content-Length") == str(len(res.content))
    assert headers.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    request, _ = records["request"]
    assert request.http_headers.get_header("User-Agent").startswith("arshif/")
    meta = json.loads(records["metadata"][1])
    assert meta["url"] == res.url and meta["redirects"] == res.redirects
    assert json.loads((tmp_path / "runs" / f"{run}.json").read_text())["sites"]["news.test"]["new"] == 1


def test_stats_cli(tmp_path, capsys):
    with Store(tmp_path) as store:
        run = store.start_run()
        a = article(5)
        store.save(a, url=a.url, run_id=run)
        store.mark("https://news.test/news/6", "failed:http_5xx", run_id=run, error="HTTP 503")
        store.finish_run(run, {"exit_status": 3})
    assert main(["stats", "--data-dir", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sites"]["news.test"]["records"] == 1
    assert out["last_run"]["report"]["exit_status"] == 3
    assert out["last_run"]["failures"] == [
        {"url": "https://news.test/news/6", "site": "news.test", "reason": "http_5xx", "error": "HTTP 503"}
    ]
    assert main(["stats", "--data-dir", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no store at" in err


@pytest.mark.parametrize(
    "name", ["../../etc", "/etc/passwd", "..", ".", "a/../../b", "a\x00b", "..\\..\\win", "C:\\x", " .hidden"]
)
def test_site_names_cannot_leave_data_dir(tmp_path, name):
    try:
        slug = site_slug(name)
    except PathError:
        return
    assert "/" not in slug and "\\" not in slug and "\x00" not in slug and not slug.startswith(".")
    assert inside(tmp_path, "records", slug).parent == (tmp_path / "records").resolve()


def test_hostile_article_site_and_paths_stay_inside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "data"
    with Store(root) as store:
        a = article(9)
        a.site = "../../outside"
        store.save(a, url=a.url)
        b = article(10, site="news.test")
        b.site = "..\x00"
        b.canonical_url = b.url = "http://../x"
        store.save(b, url=b.url)
        with pytest.raises(PathError):
            list(store.iter_records(".."))
    for part in ("..", "a/b", "", "x\x00"):
        with pytest.raises(PathError):
            inside(root, "records", part)
    (root / "records" / "link").symlink_to(outside)
    with pytest.raises(PathError):
        inside(root, "records", "link", "2026-01-01.jsonl")
    assert list(outside.iterdir()) == []
    # A planted link to a directory outside is neither read nor indexed on open.
    (outside / "2026-01-01.jsonl").write_text(article(11).to_json() + "\n")
    with Store(root) as store:
        assert store.stats()["totals"]["records"] == 2
        assert len(list(store.iter_records())) == 2
    (root / "records" / "link").unlink()
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*"))
    assert len(jsonl_lines(root)) == 2


def test_threads_save_concurrently(tmp_path):
    with Store(tmp_path, fsync=False) as store:
        outcomes = []

        def work(t):
            for i in range(25):
                a = article(t * 100 + i, site=f"site{t}.test")
                outcomes.append(store.save(a, url=a.url))
                store.mark(f"https://site{t}.test/missing/{i}", "failed:http_4xx")

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes.count("new") == 200
        assert store.stats()["totals"]["records"] == 200
    assert len({r["id"] for r in jsonl_lines(tmp_path)}) == 200


def test_second_process_is_refused_while_a_store_is_open(tmp_path):
    with Store(tmp_path):
        proc = subprocess.run(
            [sys.executable, "-m", "arshif", "reextract", "--data-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=60,
        )
    assert proc.returncode == 5
    assert "in use by another arshif process" in proc.stderr and "Traceback" not in proc.stderr
    with Store(tmp_path) as again, Store(tmp_path) as same_process:  # same process: shared, not refused
        assert again.stats() == same_process.stats()


def test_capture_skips_results_without_response(tmp_path):
    with Store(tmp_path) as store:
        store.capture(1, FetchResult(url="https://news.test/x", status="error", error_kind="dns"))
        assert store.stats()["totals"]["captures"] == 0
    assert list((tmp_path / "warc").iterdir()) == []


def test_two_stores_in_one_process_share_a_runs_warc(tmp_path):
    def page(n):
        res = fetch_result(url=f"https://news.test/news/{n}")
        res.final_url = res.url
        return res

    with Store(tmp_path) as first, Store(tmp_path) as second:
        first.capture(3, page(1))
        second.capture(3, page(2))
        first.capture(3, page(3))
        rows = first.captures()
        assert [first.read_capture(r).url for r in rows] == [f"https://news.test/news/{n}" for n in (1, 2, 3)]
    with Store(tmp_path) as store:  # nothing torn to cut on reopen
        assert store.recover_report["warc_cut"] == 0
