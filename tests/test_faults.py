"""Every fault of tests/faultserver.py through the real Fetcher: the expected
outcome, in bounded time, and nothing sent where it must not go."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from arshif.extract import extract
from arshif.fetch import ERROR_KINDS, Fetcher, FetchSettings
from faultserver import FAULTS, GUARD, FaultServer

# Short timeouts keep the suite fast; the faults are scaled to them (the drip
# sends a byte every 0.3 s: each read is on time, the whole body is not).
FAST = dict(connect_timeout=1.0, read_timeout=1.0, delay=0.0, retries=2, backoff=0.05,
            max_retry_after=5.0, allow_private=True)
BOUND = 8.0  # seconds: (retries + 1) x read_timeout plus backoff, with room to spare


@pytest.fixture(scope="module")
def server():
    with FaultServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def fetcher():
    with Fetcher(FetchSettings(**FAST)) as f:
        yield f


# Private targets need allow_private=False: see test_private_targets_refused_before_connect.
PRIVATE = {"redirect-metadata", "redirect-private"}


@pytest.mark.parametrize("name", sorted(set(FAULTS) - PRIVATE))
def test_fault(name, server, fetcher, figures):
    fault = FAULTS[name]
    res = fetcher.fetch(server.url(fault.path))
    figures.kind(name)
    outcome = "ok" if res.ok else res.error_kind
    assert outcome in fault.kinds, f"{name}: got {outcome} ({res.error}), want {sorted(fault.kinds)}"
    assert res.elapsed < BOUND, f"{name} took {res.elapsed} s"
    if res.ok:
        article = extract(res.text, res.final_url)
        assert "حديقة" in article.body, f"{name}: the article text did not survive"
    else:
        assert res.error and "\n" not in res.error  # one readable line
        assert res.error_kind in ERROR_KINDS
        assert res.content == b"" and res.text is None  # nothing half-read is passed on


def test_lying_charset_decoded_as_arabic(server, fetcher):
    res = fetcher.fetch(server.url(FAULTS["lying-charset"].path))
    assert res.ok and res.encoding in ("cp1256", "windows-1256")
    assert "افتتاح حديقة عامة جديدة رقم 903" in res.text


def test_retry_after_is_honoured_and_bounded(server, fetcher):
    res = fetcher.fetch(server.url(FAULTS["429-then-ok"].path + "?fresh"))
    assert res.ok and res.attempts == 2
    assert res.elapsed >= 0.9  # waited the 1 s asked for
    path = FAULTS["429-huge-retry-after"].path
    before = server.count(path)
    huge = fetcher.fetch(server.url(path))
    assert huge.error_kind == "rate_limited" and huge.elapsed < 1.0  # did not sleep for a day
    assert server.count(path) == before + 1  # and did not retry against the server's wish


def test_redirect_chain_stops_at_the_cap(server, fetcher):
    before = sum(server.count(f"/news/chain/{n}.html") for n in range(21))
    res = fetcher.fetch(server.url("/news/chain/0.html"))
    hops = sum(server.count(f"/news/chain/{n}.html") for n in range(21)) - before
    assert res.error_kind == "redirects"
    assert hops == FetchSettings().max_redirects + 1  # stopped, did not walk all 20


def test_gzip_bomb_memory_is_bounded(server, fetcher):
    tracemalloc.start()
    try:
        res = fetcher.fetch(server.url(FAULTS["gzip-bomb"].path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert res.error_kind == "too_large"
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while inflating a 1 GiB bomb"


@pytest.mark.parametrize("name", ["redirect-metadata", "redirect-private"])
def test_private_targets_refused_before_connect(name, server, figures):
    """allow_private=False (the default) refuses private, loopback, link-local and
    metadata hosts before any connect; the same check runs on every redirect hop.

    The fault server is itself on loopback, so with allow_private=False even its
    first URL is refused, and the redirect targets are tried directly.
    """
    target = {"redirect-metadata": "169.254.169.254", "redirect-private": "10.0.0.1"}[name]
    assert FetchSettings().allow_private is False
    with Fetcher(FetchSettings(**{**FAST, "allow_private": False})) as strict:
        first = strict.fetch(server.url(FAULTS[name].path))
        hop = strict.fetch(f"http://{target}/latest/meta-data/")
        mapped = strict.fetch(f"http://[::ffff:{target}]/")
    figures.kind(name)
    assert first.error_kind == "private_address"  # 127.0.0.1 is loopback
    for res in (hop, mapped):
        assert res.error_kind == "private_address" and res.elapsed < 1.0, res.error
    assert target in hop.error
    assert not GUARD.tried(target), f"a connection to {target} was attempted"


def test_robots_that_hang_or_are_huge_are_bounded(figures):
    for mode, name in (("hang", "robots-hang"), ("huge", "robots-10mb")):
        with FaultServer(robots=mode) as srv, Fetcher(FetchSettings(**FAST)) as f:
            start = time.monotonic()
            res = f.fetch(srv.url("/news/good-1.html"))
            took = time.monotonic() - start
            figures.kind(name)
            assert took < BOUND, f"{name}: {took:.1f} s"
            if mode == "hang":  # RFC 9309: unreachable robots.txt means disallowed for a while
                assert res.error_kind == "robots"
                assert srv.count("/news/good-1.html") == 0
                again = f.fetch(srv.url("/news/good-2.html"))
                assert again.error_kind == "robots" and again.elapsed < 0.5  # cached, no new wait
            else:  # parsed up to the cap; /news/ is allowed
                assert res.ok, res.error
