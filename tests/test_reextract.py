"""`arshif reextract`: the current extractor over stored WARC captures, changes as versions."""

from __future__ import annotations

import json

from store_helpers import jsonl_lines
from test_store import PAGE, fetch_result

from arshif.cli import main
from arshif.extract import extract_bytes
from arshif.store import Store


def store_with_old_record(store: Store, url: str, site: str) -> None:
    """A capture plus the record an older extractor made of it (a wrong title)."""
    html = PAGE.replace("https://news.test/news/77", url).replace("تضم آلاف", f"في حي {site} تضم آلاف")
    res = fetch_result(html, url=url)
    res.final_url = url
    store.capture(1, res, site=site)
    old = extract_bytes(res.content, url, fetched_at=res.fetched_at)
    old.title = "عنوان قديم"
    store.save(old, url=url, site=site)


def test_reextract_stores_changed_results_as_versions(tmp_path, capsys):
    res = fetch_result()
    with Store(tmp_path) as store:
        store.capture(store.start_run(), res)
        # What an older extractor made of the page: same body, a wrong title.
        old = extract_bytes(res.content, res.final_url, fetched_at=res.fetched_at)
        old.title = "عنوان قديم"
        store.save(old, url=res.url)
        error = fetch_result(url="https://news.test/gone")
        error.http_status, error.status = 404, "error"
        store.capture(1, error)  # a 404 is kept in the WARC but never re-extracted
    assert main(["reextract", "--data-dir", str(tmp_path)]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["captures"], counts["version"]) == (1, 1)
    assert main(["reextract", "--data-dir", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 1
    lines = jsonl_lines(tmp_path)
    current = extract_bytes(res.content, res.final_url, fetched_at=res.fetched_at).to_dict()
    assert [r["title"] for r in lines] == ["عنوان قديم", current["title"]]
    assert lines[1] == current



def test_site_filter_and_missing_warc(tmp_path, capsys):
    with Store(tmp_path) as store:
        store_with_old_record(store, "https://alpha.test/news/1", "alpha")
        store_with_old_record(store, "https://beta.test/news/1", "beta")
    with Store(tmp_path, readonly=True) as store:
        before = store.lookup("https://beta.test/news/1")
    assert main(["reextract", "--data-dir", str(tmp_path), "--site", "beta"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["captures"], counts["version"]) == (1, 1)
    with Store(tmp_path, readonly=True) as store:
        assert store.stats()["sites"]["alpha"]["versions"] == 0
        assert store.stats()["sites"]["beta"]["versions"] == 1
        after = store.lookup("https://beta.test/news/1")
    # Re-extraction is not a visit: the URL points at version 2, its visit state is untouched.
    assert (after.version, after.last_seen, after.status, after.etag) == (2, before.last_seen, "new", before.etag)
    (tmp_path / "warc" / "1.warc.gz").unlink()
    assert main(["reextract", "--data-dir", str(tmp_path)]) == 1  # the capture is gone: counted, not fatal
    assert json.loads(capsys.readouterr().out)["failed"] == 2
    assert main(["reextract", "--data-dir", str(tmp_path / "missing")]) == 2
    assert "no store at" in capsys.readouterr().err
