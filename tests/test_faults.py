"""Every fault of tests/faultserver.py through the real Fetcher: the expected
outcome, in bounded time, and nothing sent where it must not go."""

from __future__ import annotations

import contextlib
import gzip
import json
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from arshif.archive import run_archive
from arshif.article import validate
from arshif.config import parse_config
from arshif.extract import extract
from arshif.fetch import ERROR_KINDS, Fetcher, FetchSettings
from arshif.store import Store
from faultserver import FAULTS, GUARD, SECRET, FaultServer, unanswered_port


# Short timeouts keep the suite fast; the faults are scaled to them (the drip
# sends a byte every 0.3 s: each read is on time, the whole body is not).
FAST = dict(connect_timeout=0.5, read_timeout=0.5, delay=0.0, retries=2, backoff=0.05,
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
# The metadata address is refused even with allow_private=True, so its redirect runs with the rest.
PRIVATE = {"redirect-private"}


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


def test_connect_timeout(fetcher, figures):
    """No SYN-ACK at all (full backlog): cut at connect_timeout on each attempt."""
    with unanswered_port() as port:
        res = fetcher.fetch(f"http://127.0.0.1:{port}/news/1.html")
    figures.kind("connect-timeout")
    assert res.error_kind == "timeout" and "connection" in res.error
    assert res.elapsed < (FAST["retries"] + 1) * (FAST["connect_timeout"] + FAST["read_timeout"]) + 1


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


def test_metadata_redirect_refused_even_when_private_allowed(server, fetcher):
    """allow_private=True (as tests and intranet archives use) still never reaches the
    cloud metadata endpoint, here as a real redirect hop from a loopback page."""
    res = fetcher.fetch(server.url(FAULTS["redirect-metadata"].path))
    assert res.error_kind == "private_address" and "metadata" in res.error
    assert res.redirects == [] or res.redirects[0].endswith(FAULTS["redirect-metadata"].path)
    assert not GUARD.tried("169.254.169.254")


def test_robots_that_hang_or_are_huge_are_bounded(figures):
    for mode, name in (("hang", "robots-hang"), ("huge", "robots-10mb")):
        with FaultServer(robots=mode) as srv, Fetcher(FetchSettings(**FAST)) as f:
            start = time.monotonic()
            res = f.fetch(srv.url("/news/good-1.html"))
            took = time.monotonic() - start
            figures.kind(name)
            assert took < BOUND, f"{name}: {took:.1f} s"
            if mode == "hang":  # RFC 9309: unreachable robots.txt means disallowed for a while
                assert res.error_kind in ("robots", "timeout")
                assert srv.count("/news/good-1.html") == 0
                again = f.fetch(srv.url("/news/good-2.html"))
                assert again.error_kind == res.error_kind and again.elapsed < 0.5  # cached, no new wait
                assert srv.count("/news/good-2.html") == 0
            else:  # parsed up to the cap; /news/ is allowed
                assert res.ok, res.error


# --- the archive job over sites mixing every fault with good articles ----------------

# Faults that end in a stored article (retried, repaired or decoded right).
RECOVERED = {name for name, f in FAULTS.items() if "ok" in f.kinds}


SLOW = {"connect-hang", "http-500", "http-502", "http-503", "http-504", "429-no-retry-after",
        "429-then-ok", "slow-drip"}  # retried with backoff, or waited for


def _spread(names: list[str], n: int) -> list[tuple[str, ...]]:
    """Round-robin over n hosts: slow faults (hangs, retried 5xx) do not queue on one."""
    return [tuple(names[i::n]) for i in range(n)]


def _all_lines(data_dir: Path):
    for path in sorted((data_dir / "records").rglob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            yield path, line


def _every_byte(data_dir: Path) -> bytes:
    """Everything the run wrote, with compressed WARCs inflated, for leak checks."""
    out = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    return b"\n".join(out)


def test_archive_run_over_every_fault(tmp_path, figures):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    names = sorted(set(FAULTS) - PRIVATE)  # private targets: tested with allow_private=False
    groups = _spread(sorted(names, key=lambda n: (n not in SLOW, n)), 6)
    servers = [FaultServer(host=f"127.0.0.{i + 2}", first=100 * (i + 1), good=4, faults=g,
                           secret_path=str(secret)) for i, g in enumerate(groups)]
    # robots.txt faults are per host: one host whose robots.txt never answers
    # (nothing of it may be fetched), one whose robots.txt is 10 MB (read to the cap).
    hang = FaultServer(host="127.0.0.8", robots="hang", first=800, good=2, faults=())
    servers.append(FaultServer(host="127.0.0.9", robots="huge", first=900, good=2, faults=()))
    with contextlib.ExitStack() as stack:
        for s in [*servers, hang]:
            stack.enter_context(s)
        xml_site = servers[0]
        config = parse_config({
            "archive": {"data_dir": str(tmp_path / "data"), "delay": 0, "timeout": 0.5,
                        "allow_private": True, "contact": "https://example.org/tests"},
            "sites": [
                {"name": f"faulty-{i}", "url": s.url("/news/"), "sections": [s.url("/news/")],
                 "article_pattern": r"/news/"}
                | ({"feeds": [s.url("/feed-bomb.xml")], "sitemaps": [s.url("/sitemap-xxe.xml")]}
                   if s is xml_site else {})
                for i, s in enumerate([*servers, hang])
            ],
        }, tmp_path)
        start = time.monotonic()
        report = run_archive(config)
        took = time.monotonic() - start
        figures.add("archive runs completed")

        store = Store(tmp_path / "data")
        try:
            # Every fault is reported under its own reason, URL by URL.
            wrong = []
            for srv in servers:
                for name in srv.listed_faults():
                    figures.kind(name)
                    state = store.lookup(srv.url(FAULTS[name].path))
                    assert state is not None, f"{name}: not in the index"
                    kinds = FAULTS[name].kinds
                    got = "ok" if state.record_id else str(state.status).removeprefix("failed:")
                    if got not in kinds:
                        wrong.append(f"{name}: stored as {state.status}, want {sorted(kinds)}")
            # Every good article, and every recovered fault, archived once.
            expected = [u for s in servers for u in s.good_urls()]
            expected += [s.url(FAULTS[n].path) for s in servers for n in s.listed_faults() if n in RECOVERED]
            archived = [u for u in expected if (st := store.lookup(u)) and st.record_id]
            stray = [u for s in servers for n in s.listed_faults() if n not in RECOVERED
                     and (st := store.lookup(u := s.url(FAULTS[n].path))) and st.record_id]
            figures.add("good articles expected", len(expected))
            figures.add("good articles archived", len(archived))
            assert sorted(archived) == sorted(expected)
            records = [json.loads(line) for _, line in _all_lines(tmp_path / "data")]
        finally:
            store.close()

    # Nothing invalid written: every line parses and validates, one per article.
    figures.add("records checked", len(records))
    for rec in records:
        try:
            validate(rec)
        except Exception:
            figures.add("records invalid")
            raise
    assert len(records) == len({r["id"] for r in records}) == len(expected) + len(stray)
    # The run report names the failures by reason and totals them.
    totals = report.to_dict()["totals"]
    assert totals["new"] == len(expected) + len(stray)
    failed = sum((Counter(s.failed) for s in report.sites), Counter())
    assert sum(failed.values()) == totals["failed"] == len(names) - len(RECOVERED & set(names)) - len(stray)
    xml_report = report.sites[0]
    figures.kind("feed-entity-bomb")
    figures.kind("sitemap-xxe")
    assert xml_report.sources_failed == Counter({"bad_feed": 1, "bad_sitemap": 1})
    assert SECRET.encode() not in _every_byte(tmp_path / "data")
    # The host with the silent robots.txt: reported, and none of its pages requested.
    figures.kind("robots-hang")
    figures.kind("robots-10mb")
    hang_report = report.sites[-1]
    assert not hang_report.reached and set(hang_report.sources_failed) <= {"robots", "timeout"}
    assert [h for h in hang.hits if h.path != "/robots.txt"] == []
    assert report.exit_status == 1  # documented: some site was not reached
    assert took < 30, f"run took {took:.1f} s"
    assert not wrong, "faults not reported under their own reason: " + "; ".join(wrong)
