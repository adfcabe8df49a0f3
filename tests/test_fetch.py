"""The fetcher against a real HTTP server on 127.0.0.1: content, charset, caps, redirects."""

from __future__ import annotations

import gzip
import threading
import time
import zlib

import pytest
from fetchkit import ARTICLE, HEADLINE, article_1256, fast
from httpserver import reset, send, serve

from arshif import __version__
from arshif.fetch import ERROR_KINDS, Fetcher, FetchResult


def fetch(srv_url: str, path: str, accept: str = "html", **settings) -> FetchResult:
    with Fetcher(fast(**settings)) as f:
        return f.fetch(srv_url + path, accept=accept)


def test_ok_page_keeps_raw_bytes_and_names_arshif_in_the_user_agent():
    with serve(ARTICLE.parent) as srv:
        res = fetch(srv.url, "/article.html")
        ua = srv.requests[-1].headers["user-agent"]
    assert res.ok and res.status == "ok" and res.error_kind is None
    assert res.content == ARTICLE.read_bytes()
    assert HEADLINE in res.text
    assert res.final_url == srv.url + "/article.html" and res.http_status == 200
    assert ua == f"arshif/{__version__} (+https://tests.invalid/arshif)"
    assert res.fetched_at.endswith("Z") and res.attempts == 1
    assert ("User-Agent", ua) in res.request_headers
    assert any(k.lower() == "content-type" for k, _ in res.response_headers)


@pytest.mark.parametrize(
    "body, content_type",
    [
        (article_1256("windows-1256"), "text/html"),  # declared in <meta>
        (article_1256(None), "text/html"),  # no declaration anywhere
        (article_1256(None), "text/html; charset=utf-8"),  # header lies: says UTF-8
        (article_1256(None), "text/html; charset=iso-8859-1"),  # header lies: says Latin-1
        (article_1256("utf-8"), "text/html; charset=windows-1256"),  # header right, meta lies
    ],
    ids=["meta", "undeclared", "lying-utf8", "lying-latin1", "lying-meta"],
)
def test_windows_1256_pages_decode_to_the_arabic_text(body, content_type):
    with serve(None, {"/a": lambda h: send(h, 200, body, content_type=content_type)}) as srv:
        res = fetch(srv.url, "/a")
    assert res.ok
    assert res.content == body  # raw bytes kept for the store
    assert res.encoding == "cp1256"
    assert HEADLINE in res.text and "\ufffd" not in res.text
    assert "افتتحت البلدية صباح الجمعة" in res.text


def test_gzip_body_is_inflated_and_gzip_advertised():
    body = ARTICLE.read_bytes()
    packed = gzip.compress(body)
    route = lambda h: send(h, 200, packed, headers={"Content-Encoding": "gzip"})  # noqa: E731
    with serve(None, {"/a": route}) as srv:
        res = fetch(srv.url, "/a")
        asked = srv.requests[-1].headers["accept-encoding"]
    assert "gzip" in asked and "br" not in asked
    assert res.ok and res.content == body


def test_raw_deflate_body_is_inflated():
    body = ARTICLE.read_bytes()
    z = zlib.compressobj(wbits=-15)
    packed = z.compress(body) + z.flush()
    with serve(None, {"/a": lambda h: send(h, 200, packed, headers={"Content-Encoding": "deflate"})}) as srv:
        res = fetch(srv.url, "/a")
    assert res.ok and res.content == body


def _bomb(size: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join(z.compress(block) for _ in range(size >> 20)) + z.flush()


BOMB = _bomb(64 << 20)  # 64 MB of zeros in about 64 KB


def test_gzip_bomb_stops_at_the_decompressed_cap():
    assert len(BOMB) < 200_000
    route = lambda h: send(h, 200, BOMB, headers={"Content-Encoding": "gzip"})  # noqa: E731
    with serve(None, {"/bomb": route}) as srv:
        res = fetch(srv.url, "/bomb", max_bytes=1 << 20)
    assert res.status == "error" and res.error_kind == "too_large"
    assert "decompressed" in res.error
    assert res.content == b""


def test_oversized_body_without_content_length_is_cut_off():
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"<p>" + b"x" * 65533
        for _ in range(64):  # 4 MB, streamed with no length announced
            h.wfile.write(chunk)
        h.close_connection = True

    with serve(None, {"/big": route}) as srv:
        res = fetch(srv.url, "/big", max_bytes=1 << 20)
    assert res.error_kind == "too_large" and "1,048,576" in res.error


def test_declared_content_length_over_the_cap_is_refused_before_reading():
    with serve(None, {"/big": lambda h: send(h, 200, b"<p>" * 400_000)}) as srv:
        res = fetch(srv.url, "/big", max_bytes=100_000)
    assert res.error_kind == "too_large" and "Content-Length" in res.error


def test_slow_drip_body_hits_the_total_deadline():
    stop = threading.Event()

    def drip(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(200):  # one byte every 50 ms: never idle for a whole read timeout
            if stop.is_set():
                return
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(0.05)

    with serve(None, {"/drip": drip}) as srv:
        t0 = time.monotonic()
        res = fetch(srv.url, "/drip", read_timeout=0.5, retries=0)
        took = time.monotonic() - t0
        stop.set()
    assert res.error_kind == "timeout"
    assert took < 1.5


def slow_head(h):
    """A status line, then one header byte every 50 ms: each read succeeds, the head never ends."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100):
        try:
            h.wfile.write(b"X-Pad: 1\r\n")
            h.wfile.flush()
        except OSError:
            return
        time.sleep(0.05)


@pytest.mark.parametrize("where", ["/page.html", "/robots.txt"])
def test_slow_drip_headers_hit_the_deadline(where):
    routes = {where: slow_head, "/*": lambda h: send(h, 200, ARTICLE.read_bytes())}
    with serve(None, routes) as srv:
        t0 = time.monotonic()
        res = fetch(srv.url, "/page.html", connect_timeout=0.3, read_timeout=0.5, retries=0)
        took = time.monotonic() - t0
    assert res.error_kind == "timeout" and took < 1.5


def test_connection_reset_is_retried_then_reported():
    with serve(None, {"/reset": reset}) as srv:
        res = fetch(srv.url, "/reset", retries=2)
        hits = srv.hits("/reset")
    assert res.error_kind == "reset" and res.attempts == 3 and hits == 3


@pytest.mark.parametrize("robots", [False, True])
def test_refused_connection_is_reported_as_refused(robots):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with Fetcher(fast(retries=1, respect_robots=robots)) as f:
        res = f.fetch(f"http://127.0.0.1:{port}/a.html")
    # An unreachable robots.txt blocks the host, but the reason given is the network's.
    assert res.error_kind == "refused"
    assert res.attempts == (1 if robots else 2)


def test_500_then_success_is_retried():
    calls = []

    def flaky(h):
        calls.append(1)
        if len(calls) == 1:
            send(h, 500, b"oops", content_type="text/plain")
        else:
            send(h, 200, ARTICLE.read_bytes())

    with serve(None, {"/a": flaky}) as srv:
        res = fetch(srv.url, "/a")
    assert res.ok and res.attempts == 2 and len(calls) == 2


def test_persistent_503_gives_up_after_the_retries():
    with serve(None, {"/a": lambda h: send(h, 503, b"busy")}) as srv:
        res = fetch(srv.url, "/a", retries=2)
        hits = srv.hits("/a")
    assert res.error_kind == "http_5xx" and res.http_status == 503 and hits == 3


def test_429_retry_after_is_waited():
    calls = []

    def limited(h):
        calls.append(time.monotonic())
        if len(calls) == 1:
            send(h, 429, b"slow down", headers={"Retry-After": "1"})
        else:
            send(h, 200, ARTICLE.read_bytes())

    with serve(None, {"/a": limited}) as srv:
        res = fetch(srv.url, "/a")
    assert res.ok and res.attempts == 2 and res.retry_after == 1.0
    assert calls[1] - calls[0] >= 0.95


def test_429_retry_after_beyond_the_bound_gives_up_at_once():
    with serve(None, {"/a": lambda h: send(h, 429, b"", headers={"Retry-After": "3600"})}) as srv:
        t0 = time.monotonic()
        res = fetch(srv.url, "/a", max_retry_after=2.0)
        took = time.monotonic() - t0
        hits = srv.hits("/a")
    assert res.error_kind == "rate_limited" and "3600" in res.error
    assert hits == 1 and took < 1.0


def test_redirects_are_followed_and_recorded():
    routes = {
        "/old": lambda h: send(h, 301, b"", headers={"Location": "/mid"}),
        "/mid": lambda h: send(h, 302, b"", headers={"Location": "/new.html"}),
        "/new.html": lambda h: send(h, 200, ARTICLE.read_bytes()),
    }
    with serve(None, routes) as srv:
        res = fetch(srv.url, "/old")
    assert res.ok and res.final_url == srv.url + "/new.html"
    assert res.redirects == [srv.url + "/old", srv.url + "/mid"]
    assert res.url == srv.url + "/old"


def test_redirect_to_a_raw_utf8_arabic_path_is_followed():
    def raw_moved(h):
        # Many Arabic sites send the path as raw UTF-8 bytes, not percent-encoded.
        h.wfile.write(b"HTTP/1.1 301 Moved\r\nContent-Length: 0\r\nLocation: /news/" + "مكتبة".encode() + b".html\r\n\r\n")

    routes = {"/old": raw_moved, "/news/*": lambda h: send(h, 200, ARTICLE.read_bytes())}
    with serve(None, routes) as srv:
        res = fetch(srv.url, "/old")
        paths = srv.paths()
    assert res.ok and "/news/%D9%85%D9%83%D8%AA%D8%A8%D8%A9.html" in paths
    assert res.final_url == srv.url + "/news/مكتبة.html"


def test_redirect_loop_is_detected():
    routes = {
        "/a": lambda h: send(h, 302, b"", headers={"Location": "/b"}),
        "/b": lambda h: send(h, 302, b"", headers={"Location": "/a"}),
    }
    with serve(None, routes) as srv:
        res = fetch(srv.url, "/a")
        hits = srv.hits("/a")
    assert res.error_kind == "redirects" and "loop" in res.error and hits == 1


def test_redirect_chain_longer_than_the_cap_is_refused():
    def hop(h):
        n = int(h.path.rsplit("/", 1)[1])
        send(h, 302, b"", headers={"Location": f"/r/{n + 1}"})

    with serve(None, {"/r/*": hop}) as srv:
        res = fetch(srv.url, "/r/0", max_redirects=3)
        hits = srv.hits
    assert res.error_kind == "redirects" and "more than 3" in res.error
    assert len(res.redirects) == 3 and hits("/r/4") == 0


def test_redirect_to_a_non_html_file_is_refused_with_its_type():
    routes = {
        "/go": lambda h: send(h, 302, b"", headers={"Location": "/report.pdf"}),
        "/report.pdf": lambda h: send(h, 200, b"%PDF-1.7 ...", content_type="application/pdf"),
    }
    with serve(None, routes) as srv:
        res = fetch(srv.url, "/go")
    assert res.error_kind == "not_html" and "application/pdf" in res.error
    assert res.final_url == srv.url + "/report.pdf"


def test_redirect_to_another_scheme_is_refused():
    with serve(None, {"/a": lambda h: send(h, 302, b"", headers={"Location": "file:///etc/passwd"})}) as srv:
        res = fetch(srv.url, "/a")
    assert res.error_kind == "bad_url" and "file" in res.error


def test_http_errors_and_empty_bodies_have_their_kinds():
    routes = {
        "/gone": lambda h: send(h, 410, b"gone"),
        "/empty": lambda h: send(h, 200, b"  \n"),
        "/png": lambda h: send(h, 200, b"\x89PNG\r\n\x1a\n\0\0", content_type="image/png"),
        "/png-as-html": lambda h: send(h, 200, b"\x89PNG\r\n\x1a\n\0\0" * 50),
    }
    with serve(None, routes) as srv:
        kinds = {p: fetch(srv.url, p).error_kind for p in routes}
    assert kinds == {"/gone": "http_4xx", "/empty": "empty", "/png": "not_html", "/png-as-html": "not_html"}
    assert set(kinds.values()) <= set(ERROR_KINDS)


def test_accept_xml_takes_feeds_and_gzipped_sitemaps():
    feed = '<?xml version="1.0" encoding="windows-1256"?><rss><channel><title>أخبار</title></channel></rss>'
    sitemap = b'<?xml version="1.0"?><urlset><url><loc>http://127.0.0.1/a</loc></url></urlset>'
    routes = {
        "/feed": lambda h: send(h, 200, feed.encode("cp1256"), content_type="application/rss+xml"),
        "/sitemap.xml.gz": lambda h: send(h, 200, gzip.compress(sitemap), content_type="application/x-gzip"),
    }
    with serve(None, routes) as srv:
        rss = fetch(srv.url, "/feed", accept="xml")
        sm = fetch(srv.url, "/sitemap.xml.gz", accept="xml")
        as_html = fetch(srv.url, "/feed")
    assert rss.ok and "أخبار" in rss.text
    assert sm.ok and sm.content == sitemap
    assert as_html.error_kind == "not_html"


def test_bad_urls_never_raise():
    with Fetcher(fast()) as f:
        kinds = [f.fetch(u).error_kind for u in ("ftp://example.com/x", "not a url", "http://", "http://[::1")]
    assert kinds == ["bad_url"] * 4
