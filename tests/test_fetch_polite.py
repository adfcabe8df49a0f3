"""Politeness and safety: robots.txt, Crawl-delay, per-host delay, 304, private addresses."""

from __future__ import annotations

import ipaddress
import threading

import pytest
from fetchkit import ARTICLE, fast
from httpserver import send, serve

from arshif.fetch import Fetcher
from arshif.fetch.address import is_public, private_reason
from arshif.fetch.hosts import HostGate


def page(h):
    send(h, 200, ARTICLE.read_bytes())


def robots(text: str, status: int = 200):
    return lambda h: send(h, status, text.encode(), content_type="text/plain")


def test_robots_disallow_is_honoured_and_fetched_once_per_host():
    rules = "User-agent: *\nDisallow: /private/\n\nUser-agent: arshif\nDisallow: /no-arshif/\n"
    routes = {"/robots.txt": robots(rules), "/*": page}
    with serve(None, routes) as srv, Fetcher(fast()) as f:
        blocked = f.fetch(srv.url + "/no-arshif/a.html")
        allowed = f.fetch(srv.url + "/news/a.html")
        allowed2 = f.fetch(srv.url + "/news/b.html")
        paths = srv.paths()
    assert blocked.error_kind == "robots" and "robots.txt" in blocked.error
    assert allowed.ok and allowed2.ok
    assert paths.count("/robots.txt") == 1
    assert "/no-arshif/a.html" not in paths  # never requested


def test_respect_robots_false_skips_robots_txt():
    routes = {"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/*": page}
    with serve(None, routes) as srv, Fetcher(fast(respect_robots=False)) as f:
        res = f.fetch(srv.url + "/a.html")
        paths = srv.paths()
    assert res.ok and "/robots.txt" not in paths


@pytest.mark.parametrize("status, allowed", [(404, True), (403, True), (500, False), (503, False), (429, False)])
def test_unreachable_robots_txt_blocks_but_missing_allows(status, allowed):
    routes = {"/robots.txt": robots("", status), "/*": page}
    with serve(None, routes) as srv, Fetcher(fast()) as f:
        res = f.fetch(srv.url + "/a.html")
        again = f.fetch(srv.url + "/b.html")
        robots_hits = srv.hits("/robots.txt")
    assert res.ok is allowed and again.ok is allowed
    if not allowed:
        assert res.error_kind == "robots" and f"HTTP {status}" in res.error
    assert robots_hits == 1  # the failure is cached too


def test_robots_txt_redirects_are_followed_but_checked():
    moved = {
        "/robots.txt": lambda h: send(h, 301, b"", headers={"Location": "/rules.txt"}),
        "/rules.txt": robots("User-agent: *\nDisallow: /private/\n"),
        "/*": page,
    }
    with serve(None, moved) as srv, Fetcher(fast()) as f:
        assert f.fetch(srv.url + "/private/a.html").error_kind == "robots"
    elsewhere = {"/robots.txt": lambda h: send(h, 301, b"", headers={"Location": "file:///etc/rules"}), "/*": page}
    with serve(None, elsewhere) as srv, Fetcher(fast()) as f:
        # A redirect we do not follow leaves robots.txt unavailable, which RFC 9309 reads as allow.
        assert f.fetch(srv.url + "/private/a.html").ok


def test_oversized_robots_txt_is_read_only_up_to_the_cap():
    # The disallow rule sits past the cap, so it is not seen (RFC 9309 allows stopping there).
    text = "User-agent: *\n" + "# padding\n" * 2000 + "Disallow: /late/\n"
    routes = {"/robots.txt": robots(text), "/*": page}
    with serve(None, routes) as srv, Fetcher(fast(robots_max_bytes=1024)) as f:
        res = f.fetch(srv.url + "/late/a.html")
    assert res.ok


def test_crawl_delay_spaces_requests_to_the_host():
    routes = {"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.3\n"), "/*": page}
    with serve(None, routes) as srv, Fetcher(fast(delay=0.0)) as f:
        for n in range(3):
            assert f.fetch(srv.url + f"/{n}.html").ok
        times = [r.time for r in srv.requests if r.path != "/robots.txt"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.28


def test_per_host_delay_holds_across_threads():
    with serve(None, {"/*": page}) as srv, Fetcher(fast(delay=0.15)) as f:
        threads = [threading.Thread(target=f.fetch, args=(srv.url + f"/{n}.html",)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times = sorted(r.time for r in srv.requests if r.path != "/robots.txt")
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 4 and min(gaps) >= 0.13


def test_host_delays_override_the_default_delay():
    with serve(None, {"/*": page}) as srv:
        with Fetcher(fast(delay=5.0, host_delays={"127.0.0.1": 0.0})) as f:
            results = [f.fetch(srv.url + f"/{n}.html") for n in range(3)]
    assert all(r.ok for r in results) and sum(r.elapsed for r in results) < 1.5


def test_host_gate_does_not_make_other_hosts_wait():
    gate = HostGate()
    gate.wait("a", 0)
    gate.hold("a", 5)
    assert gate.wait("b", 0) == 0


def test_conditional_get_304_is_unchanged():
    def conditional(h):
        if h.headers.get("If-None-Match") == '"v1"':
            send(h, 304, b"", content_type=None, headers={"ETag": '"v1"'})
        else:
            send(h, 200, ARTICLE.read_bytes(), headers={"ETag": '"v1"', "Last-Modified": "Fri, 14 Mar 2025 06:30:00 GMT"})

    with serve(None, {"/a": conditional}) as srv, Fetcher(fast()) as f:
        first = f.fetch(srv.url + "/a")
        second = f.fetch(srv.url + "/a", etag=first.etag, last_modified=first.last_modified)
        sent = srv.requests[-1].headers
    assert first.ok and first.etag == '"v1"' and first.last_modified.startswith("Fri, 14 Mar 2025")
    assert second.status == "unchanged" and second.http_status == 304 and not second.ok
    assert second.content == b"" and second.error_kind is None
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == first.last_modified


def test_private_addresses_are_refused_before_any_request():
    with serve(None, {"/*": page}) as srv, Fetcher(fast(allow_private=False)) as f:
        by_ip = f.fetch(srv.url + "/a.html")
        by_name = f.fetch(f"http://localhost:{srv.port}/a.html")
        paths = srv.paths()
    assert by_ip.error_kind == "private_address" and "127.0.0.1" in by_ip.error
    assert by_name.error_kind == "private_address"
    assert paths == []  # not even robots.txt


@pytest.mark.parametrize(
    "ip",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"],
)
def test_non_public_addresses(ip):
    assert not is_public(ipaddress.ip_address(ip))


@pytest.mark.parametrize("ip", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses(ip):
    assert is_public(ipaddress.ip_address(ip))


def test_private_reason_names_the_address_for_literal_ips():
    # Literal addresses and localhost resolve without any DNS query.
    assert "169.254.169.254" in private_reason("169.254.169.254", 80)
    assert private_reason("8.8.8.8", 80) is None
    assert private_reason("[::1]", 80)
