"""`arshif fetch URL` end to end against a real 127.0.0.1 server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fetchkit import ARTICLE, HEADLINE
from httpserver import send, serve

from arshif.article import validate
from arshif.cli import main
from arshif.cli.common import EXIT_FETCH, EXIT_ROBOTS
from arshif.store import Store

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "fixtures" / "pages").glob("*.html"))[:6] + [ARTICLE]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_fetch_prints_the_same_record_as_extract(capsys, page):
    with serve(page.parent) as srv:
        url = f"{srv.url}/{page.name}"
        code, out, err = run(capsys, "fetch", url)
    assert code == 0, err
    fetched = json.loads(out)
    code, out, _ = run(capsys, "extract", "--url", url, str(page))
    extracted = json.loads(out)
    assert code == 0
    validate(fetched)
    assert fetched["url"] == url
    assert fetched["fetched_at"] and extracted["fetched_at"] is None
    fetched.pop("fetched_at"), extracted.pop("fetched_at")
    assert fetched == extracted


def test_fetch_of_a_windows_1256_page_matches_extract(capsys, tmp_path):
    data = ARTICLE.read_text(encoding="utf-8").replace('<meta charset="utf-8">', "").encode("cp1256")
    (tmp_path / "a.html").write_bytes(data)
    with serve(None, {"/a.html": lambda h: send(h, 200, data, content_type="text/html; charset=utf-8")}) as srv:
        code, out, _ = run(capsys, "fetch", srv.url + "/a.html")
    fetched = json.loads(out)
    _, out, _ = run(capsys, "extract", "--url", srv.url + "/a.html", str(tmp_path / "a.html"))
    assert code == 0 and fetched["title"] == HEADLINE
    assert {**fetched, "fetched_at": None} == json.loads(out)


def one_error_line(err: str, url: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert url in lines[0] and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    "path, code, reason",
    [
        ("/missing.html", EXIT_FETCH, "HTTP 404"),
        ("/private/a.html", EXIT_ROBOTS, "robots"),
        ("/loop", EXIT_FETCH, "redirect loop"),
        ("/file.pdf", EXIT_FETCH, "not HTML"),
        ("/big", EXIT_FETCH, "too_large"),
        ("/error", EXIT_FETCH, "HTTP 500"),
    ],
)
def test_fetch_errors_print_one_line_and_exit_non_zero(capsys, path, code, reason):
    routes = {
        "/robots.txt": lambda h: send(h, 200, b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/loop": lambda h: send(h, 302, b"", headers={"Location": "/loop"}),
        "/file.pdf": lambda h: send(h, 200, b"%PDF-1.4", content_type="application/pdf"),
        "/big": lambda h: send(h, 200, b"<p>" * 5_000_000),
        "/error": lambda h: send(h, 500, b"boom"),
    }
    with serve(None, routes) as srv:
        url = srv.url + path
        got, out, err = run(capsys, "fetch", "--timeout", "2", url)
    assert got == code and out == ""
    assert reason in one_error_line(err, url)


def test_fetch_refused_connection_and_no_private(capsys):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{s.getsockname()[1]}/a.html"
    s.close()
    code, _, err = run(capsys, "fetch", "--timeout", "1", url)
    assert code == EXIT_FETCH and "refused" in one_error_line(err, url)
    with serve(ARTICLE.parent) as srv:
        url = srv.url + "/article.html"
        code, _, err = run(capsys, "fetch", "--no-private", url)
        assert srv.paths() == []
    assert code == EXIT_FETCH and "private_address" in one_error_line(err, url)


def test_fetch_reads_contact_and_limits_from_config(capsys, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[archive]\ncontact = "mailto:archive@example.org"\nmax_bytes = 2048\ntimeout = 2\n')
    with serve(ARTICLE.parent) as srv:
        code, _, err = run(capsys, "fetch", "--config", str(cfg), srv.url + "/article.html")
        ua = srv.requests[-1].headers["user-agent"]
    assert "(+mailto:archive@example.org)" in ua
    assert code == EXIT_FETCH and "too_large" in err  # the article is over 2 KB


def test_fetch_bad_config_is_a_usage_error(capsys, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[archive]\nbogus = 1\n")
    code, out, err = run(capsys, "fetch", "--config", str(cfg), "http://127.0.0.1:9/a")
    assert code == 2 and out == "" and "bogus" in err


def test_fetch_save_writes_the_record_to_the_store(capsys, tmp_path):
    with serve(ARTICLE.parent) as srv:
        url = srv.url + "/article.html"
        code, out, err = run(capsys, "fetch", "--save", "--data-dir", str(tmp_path / "data"), url)
        assert code == 0, err
        code2, _, err2 = run(capsys, "fetch", "--save", "--data-dir", str(tmp_path / "data"), url)
    record = json.loads(out)
    store = Store(tmp_path / "data")
    try:
        records = list(store.iter_records())
        state = store.lookup(url)
    finally:
        store.close()
    assert code2 == 0, err2
    assert [r["id"] for r in records] == [record["id"]]  # fetched twice, stored once
    assert records[0]["body"] == record["body"]
    assert state is not None and state.record_id == record["id"]
    assert list((tmp_path / "data" / "warc").iterdir())  # the raw capture is kept


def test_fetch_with_config_uses_the_sites_extraction_profile(capsys, tmp_path):
    with serve(ARTICLE.parent) as srv:
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            "[[sites]]\n"
            f'name = "local"\nurl = "{srv.url}/"\nprofile = "third-paragraph"\n\n'
            "[[profiles]]\n"
            'name = "third-paragraph"\nbody_xpath = "//article/p[4]"\n'
        )
        code, out, err = run(capsys, "fetch", "--config", str(cfg), srv.url + "/article.html")
    assert code == 0, err
    record = json.loads(out)
    assert record["extraction"]["profile"] == "third-paragraph"
    assert record["body"].startswith("وأضاف أن المكتبة ستنظم") and "\n" not in record["body"]
