"""Safe defaults: hostile XML, private addresses, path escapes, bad config."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arshif.archive import run_archive
from arshif.article import Article
from arshif.config import ConfigError, load_config, parse_config
from arshif.discover import parse_feed, parse_sitemap
from arshif.store import Store
from arshif.store.errors import PathError
from arshif.store.paths import inside, site_slug
from faultserver import SECRET, FaultServer, bomb_feed, xxe_sitemap

PAD = b"<!-- " + b" " * 100_000 + b" -->\n"  # pushes the DOCTYPE past any quick sniffing window


def _after_prolog(doc: bytes) -> bytes:
    """The same document with a long comment before the DOCTYPE."""
    decl, rest = doc.split(b"\n", 1)
    return decl + b"\n" + PAD + rest


# --- XML: no entity expansion, no external entities, no network ---------------------


@pytest.mark.parametrize("padded", [False, True])
def test_entity_bomb_feed_is_not_expanded(padded):
    data = _after_prolog(bomb_feed()) if padded else bomb_feed()
    start = time.perf_counter()
    try:
        found = parse_feed(data, "http://127.0.0.1/feed.xml")
    except ValueError:
        found = []  # refused: fine
    assert time.perf_counter() - start < 2.0
    assert all("lollol" not in c.url for c in found)


@pytest.mark.parametrize("padded", [False, True])
def test_sitemap_external_entity_never_read(tmp_path, padded):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    data = xxe_sitemap("http://127.0.0.1:1", str(secret))
    data = _after_prolog(data) if padded else data
    try:
        sm = parse_sitemap(data, "http://127.0.0.1:1/sitemap.xml")
    except ValueError:
        return  # refused outright
    assert all(SECRET not in c.url for c in sm.urls + sm.children)


@pytest.mark.parametrize("padded", [False, True])
def test_feed_external_entity_never_read(tmp_path, padded):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><link>http://a.example/news/1?x=&xxe;</link></item>
</channel></rss>""".encode()
    data = _after_prolog(doc) if padded else doc
    try:
        found = parse_feed(data, "http://a.example/feed.xml")
    except ValueError:
        return  # refused outright
    assert all(SECRET not in c.url for c in found)


def test_sitemap_dtd_over_network_not_fetched():
    # A DTD or entity on the network (here a closed loopback port) must not be fetched.
    data = b"""<?xml version="1.0"?>
<!DOCTYPE urlset SYSTEM "http://127.0.0.1:9/evil.dtd">
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a.example/n/1</loc></url></urlset>"""
    from faultserver import GUARD

    before = len(GUARD.attempts)
    try:
        parse_sitemap(data, "http://a.example/sitemap.xml")
    except ValueError:
        pass
    assert len(GUARD.attempts) == before  # no socket was even opened


# --- private addresses --------------------------------------------------------------


def test_archive_does_not_follow_private_addresses_by_default(tmp_path):
    with FaultServer(good=3, faults=()) as srv:
        config = parse_config({
            "archive": {"data_dir": str(tmp_path / "data"), "delay": 0, "timeout": 2},
            "sites": [{"name": "loopback", "url": srv.url("/news/"), "sections": [srv.url("/news/")],
                       "feeds": [srv.url("/feed.xml")]}],
        }, tmp_path)
        assert config.allow_private is False  # the default
        report = run_archive(config)
        assert srv.hits == []  # not a single request reached the server
    site = report.sites[0]
    assert not site.reached and report.exit_status != 0
    assert set(site.sources_failed) == {"private_address"}


def test_archive_with_allow_private_reaches_loopback(tmp_path):
    with FaultServer(good=3, faults=()) as srv:
        config = parse_config({
            "archive": {"data_dir": str(tmp_path / "data"), "delay": 0, "timeout": 2, "allow_private": True},
            "sites": [{"name": "loopback", "url": srv.url("/news/"), "sections": [srv.url("/news/")],
                       "article_pattern": "/news/good-"}],
        }, tmp_path)
        report = run_archive(config)
    assert report.to_dict()["totals"]["new"] == 3


# --- paths stay inside data_dir ---------------------------------------------------------


@pytest.mark.parametrize("name", ["../evil", "..", ".", "a/b", "/etc", "a\\b", ".hidden", "a\x00b",
                                  "", "x" * 65, "ضيف", "C:evil", "a b"])
def test_bad_site_names_rejected_by_config(name, tmp_path):
    with pytest.raises(ConfigError, match="name"):
        parse_config({"sites": [{"name": name, "url": "https://a.example/"}]}, tmp_path)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(name=st.text(max_size=30) | st.sampled_from(["..", "../..", "．．", "..\u2215x", "/", "~root",
                                                   "\u202e..", "a/../..", "%2e%2e"]))
def test_any_site_name_stays_inside(tmp_path_factory, name):
    base = tmp_path_factory.getbasetemp() / "paths"
    base.mkdir(exist_ok=True)
    try:
        slug = site_slug(name)
    except PathError:
        return
    path = inside(base, slug, "2024-01-01.jsonl")
    assert path.resolve().is_relative_to(base.resolve())
    assert slug not in (".", "..") and "/" not in slug and "\\" not in slug


def test_hostile_page_site_cannot_escape(tmp_path):
    data = tmp_path / "data"
    with Store(data) as store:
        for i, site in enumerate(["../../escaped", "/tmp/escaped", "..", "．．/x"]):
            article = Article(url=f"https://a.example/n/{i}", canonical_url=f"https://a.example/n/{i}",
                              site=site, title="عنوان", body=f"نص الخبر رقم {i} هنا.")
            store.save(article, url=article.url)
    outside = [p for p in tmp_path.rglob("*") if not p.resolve().is_relative_to(data.resolve())]
    assert outside == []  # every file and directory written is under data_dir
    assert not (tmp_path / "escaped").exists() and not Path("/tmp/escaped").exists()


# --- config validated before anything runs ------------------------------------------------

BAD = [
    ("[archive]\ndelay = -1", "delay"),
    ("[archive]\ndelay = \"fast\"", "delay"),
    ("[archive]\ntimeout = 0", "timeout"),
    ("[archive]\ntimeout = 100000", "timeout"),
    ("[archive]\nmax_articles_per_site = 0", "max_articles_per_site"),
    ("[archive]\nmax_articles_per_site = 1.5", "max_articles_per_site"),
    ("[archive]\nmax_bytes = 10", "max_bytes"),
    ("[archive]\nallow_private = \"yes\"", "allow_private"),
    ("[archive]\ncontact = \"a\\nb\"", "contact"),
    ("[archive]\nbogus = 1", "bogus"),
    ("[[sites]]\nname = \"a\"\nurl = \"file:///etc/passwd\"", "url"),
    ("[[sites]]\nname = \"a\"\nurl = \"https://a.example/\"\narticle_pattern = \"(\"", "article_pattern"),
    ("[[sites]]\nname = \"a\"\nurl = \"https://a.example/\"\nfeeds = [\"ftp://a.example/f\"]", "feeds"),
    ("[[sites]]\nname = \"a\"\nurl = \"https://a.example/\"\ndelay = true", "delay"),
    ("[[sites]]\nurl = \"https://a.example/\"", "name"),
]


def _write(tmp_path: Path, toml: str) -> tuple[Path, Path]:
    data = tmp_path / "data"
    head = f'[archive]\ndata_dir = "{data}"'
    body = toml.replace("[archive]", head, 1) if toml.startswith("[archive]") else head + "\n" + toml
    path = tmp_path / "config.toml"
    path.write_text(body, "utf-8")
    return path, data


@pytest.mark.parametrize("toml,key", BAD, ids=[k for _, k in BAD])
def test_bad_config_value_named_in_one_line(tmp_path, toml, key):
    path, data = _write(tmp_path, toml)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert key in str(err.value) and "\n" not in str(err.value)
    assert not data.exists()


def test_bad_config_stops_the_cli_before_anything_runs(tmp_path):
    path, data = _write(tmp_path, "[archive]\ndelay = -1")
    proc = subprocess.run([sys.executable, "-m", "arshif", "archive", "--config", str(path)],
                          capture_output=True, text=True, timeout=60)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("arshif: error:") and "delay" in lines[0], lines
    assert proc.stdout == ""
    assert not data.exists()  # nothing created, nothing fetched
