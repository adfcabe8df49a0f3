"""`arshif archive` end to end against three fake sites on 127.0.0.1:
a feed site, a sitemap-index + news-sitemap site, a sections-only site."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone

from archive_helpers import ARTICLES, N_ARTICLES, archive, article_hits, copy_sites, lines, report_of
from arshif.demo import serve_sites
from arshif.lock import archive_lock


def _edit_body(path, old_word: str, new_word: str) -> None:
    text = path.read_text("utf-8")
    assert old_word in text
    path.write_text(text.replace(old_word, new_word, 1), "utf-8")


def test_three_runs_archive_once_skip_known_then_store_one_version(tmp_path):
    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    with serve_sites(root) as sites:
        config = tmp_path / "config.toml"
        config.write_text(sites.config_toml(data_dir), "utf-8")

        # Run 1: every article exactly once, every line valid.
        proc = archive(config)
        assert proc.returncode == 0, proc.stderr
        rep = report_of(proc)
        assert rep["totals"]["new"] == N_ARTICLES and rep["totals"]["failed"] == 0
        by_site = {s["site"]: s for s in rep["sites"]}
        for name, paths in ARTICLES.items():
            assert by_site[name]["discovered"] == len(paths) and by_site[name]["new"] == len(paths)
        recs = lines(data_dir)
        assert len(recs) == N_ARTICLES
        assert len({r["id"] for r in recs}) == N_ARTICLES
        assert sorted(article_hits(sites)) == sorted(p for ps in ARTICLES.values() for p in ps)
        assert "new" in proc.stderr and "wadi-news" in proc.stderr  # the table on stderr
        assert "\r" not in proc.stderr  # no progress line when stderr is not a terminal (cron)
        assert (data_dir / "runs" / f"{rep['run_id']}.json").exists()

        # Run 2: nothing is fetched again, nothing added.
        before = len(sites.hits())
        proc = archive(config)
        assert proc.returncode == 0, proc.stderr
        rep = report_of(proc)
        assert rep["totals"]["fetched"] == 0 and rep["totals"]["new"] == 0
        # Feed and sitemaps answer 304 to their stored validators; the section
        # pages are read again and their links are all known.
        assert rep["totals"]["known"] == len(ARTICLES["nakhil-daily"])
        sources = {(h.site, h.path): h.status for h in sites.hits()[before:]}
        assert sources[("wadi-news", "/feed.xml")] == 304
        assert sources[("sahil-times", "/sitemap.xml")] == 304
        assert [h for h in sites.hits()[before:] if h.path.split("?")[0] in
                {p for ps in ARTICLES.values() for p in ps}] == []
        assert len(lines(data_dir)) == N_ARTICLES

        # Run 3: one article changes and the news sitemap says so (publication_date
        # after the last visit): exactly that page is fetched again, one new version.
        changed = "/news/economy/55502"
        _edit_body(root / "sahil-times/news/economy/55502/index.html", "ملحوظا", "كبيرا وغير مسبوق")
        soon = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat(timespec="seconds")
        news = root / "sahil-times/sitemap-news.xml"
        news.write_text(re.sub(r"(55502</loc>.*?<news:publication_date>)[^<]+", rf"\g<1>{soon}",
                               news.read_text("utf-8"), flags=re.S), "utf-8")
        index = root / "sahil-times/sitemap.xml"
        index.write_text(re.sub(r"(sitemap-news.xml</loc><lastmod>)[^<]+", rf"\g<1>{soon}",
                                index.read_text("utf-8")), "utf-8")
        before = len(sites.hits())
        proc = archive(config)
        assert proc.returncode == 0, proc.stderr
        rep = report_of(proc)
        assert rep["totals"]["version"] == 1 and rep["totals"]["new"] == 0
        assert rep["totals"]["fetched"] == 1
        hits = [h for h in sites.hits()[before:] if h.path.split("?")[0] in
                {p for ps in ARTICLES.values() for p in ps}]
        assert [h.path for h in hits] == [changed]
        # The old monthly sitemap's lastmod is before the last run: not even fetched.
        assert "/sitemap-2026-10.xml" not in sites.paths("sahil-times")[-6:]
        assert ("sahil-times", "/sitemap-news.xml") in {(h.site, h.path) for h in sites.hits()[before:]}
        recs = lines(data_dir)
        assert len(recs) == N_ARTICLES + 1
        counts = Counter(r["id"] for r in recs)
        assert sorted(counts.values()) == [1] * (N_ARTICLES - 1) + [2]
        versions = [r for r in recs if counts[r["id"]] == 2]
        assert versions[0]["content_hash"] != versions[1]["content_hash"]
        assert "كبيرا وغير مسبوق" in versions[1]["body"]

        # Run 4 (--refresh): every known page is revisited with a conditional GET;
        # unchanged pages cost a 304, the one edited silently becomes a version.
        _edit_body(root / "wadi-news/2026/11/21/1003.html", "منتصف الليل", "الثانية صباحا")
        before = len(sites.hits())
        proc = archive(config, "--refresh")
        assert proc.returncode == 0, proc.stderr
        rep = report_of(proc)
        assert rep["totals"]["fetched"] == N_ARTICLES
        assert rep["totals"]["unchanged"] == N_ARTICLES - 1 and rep["totals"]["version"] == 1
        statuses = Counter(h.status for h in sites.hits()[before:] if h.path.split("?")[0] in
                           {p for ps in ARTICLES.values() for p in ps})
        assert statuses == Counter({304: N_ARTICLES - 1, 200: 1})
        assert len(lines(data_dir)) == N_ARTICLES + 2


def test_unreachable_site_does_not_stop_the_others(tmp_path):
    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    with serve_sites(root, names=["wadi-news"]) as sites:
        config = tmp_path / "config.toml"
        text = sites.config_toml(data_dir, timeout=5)
        # port 9 on loopback: nothing listens, so the connection is refused
        text += '\n[[sites]]\nname = "gone"\nurl = "http://127.0.0.1:9/"\nfeeds = ["http://127.0.0.1:9/rss"]\n'
        config.write_text(text, "utf-8")
        proc = archive(config)
    assert proc.returncode == 1, proc.stderr  # EXIT_PARTIAL: not every site was reached
    rep = report_of(proc)
    by_site = {s["site"]: s for s in rep["sites"]}
    assert by_site["gone"]["reached"] is False and by_site["gone"]["sources_failed"]
    assert by_site["wadi-news"]["new"] == len(ARTICLES["wadi-news"])
    assert len(lines(data_dir)) == len(ARTICLES["wadi-news"])
    assert "NO" in proc.stderr  # the table marks the unreached site


def test_second_run_exits_at_once_while_locked(tmp_path):
    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    with serve_sites(root) as sites:
        config = tmp_path / "config.toml"
        config.write_text(sites.config_toml(data_dir), "utf-8")
        with archive_lock(data_dir):
            proc = archive(config, timeout=30)
        assert sites.hits() == []  # it did not even start discovering
    assert proc.returncode == 5
    assert "another archive run" in proc.stderr and proc.stderr.count("\n") == 1
    assert not (data_dir / "records").exists()


def test_private_addresses_refused_by_default(tmp_path):
    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    with serve_sites(root, names=["wadi-news"]) as sites:
        config = tmp_path / "config.toml"
        text = sites.config_toml(data_dir).replace("allow_private = true\n", "")
        config.write_text(text, "utf-8")
        proc = archive(config)
        assert sites.hits() == []  # the fetcher refused before connecting
    assert proc.returncode == 1
    rep = report_of(proc)
    assert rep["sites"][0]["sources_failed"] == {"private_address": 1}
    assert lines(data_dir) == []


def test_demo_archives_the_bundled_sites(tmp_path):
    import json
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "arshif", "demo", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "records are in" in proc.stderr
    assert len(out["record_files"]) == len(ARTICLES)
    recs = lines(tmp_path / "archive")
    assert len(recs) == N_ARTICLES
    assert out["sample"] in recs


def test_article_cap_defers_the_rest_to_the_next_run(tmp_path, capsys):
    from arshif.archive import run_archive
    from arshif.config import load_config

    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    with serve_sites(root, names=["wadi-news"]) as sites:
        config = tmp_path / "config.toml"
        config.write_text(sites.config_toml(data_dir, max_articles_per_site=3), "utf-8")
        first = run_archive(load_config(config), progress=True).sites[0]
        assert (first.new, first.deferred) == (3, 1)
        assert "\rarshif: sites 1/1  fetched 3  new 3" in capsys.readouterr().err
        # The feed must be read in full again (no 304), or the deferred one is lost.
        second = run_archive(load_config(config)).sites[0]
        assert (second.new, second.known, second.deferred) == (1, 3, 0)
        feed = [h.status for h in sites.hits() if h.path == "/feed.xml"]
        assert feed == [200, 200]
        third = run_archive(load_config(config)).sites[0]
        assert (third.discovered, third.fetched) == (0, 0)
        assert [h.status for h in sites.hits() if h.path == "/feed.xml"][-1] == 304
    assert len(lines(data_dir)) == len(ARTICLES["wadi-news"])


def test_site_profile_from_config_is_used(tmp_path):
    from arshif.archive import run_archive
    from arshif.config import load_config

    root = copy_sites(tmp_path)
    data_dir = tmp_path / "store"
    with serve_sites(root, names=["wadi-news"]) as sites:
        config = tmp_path / "config.toml"
        text = sites.config_toml(data_dir).replace('name = "wadi-news"', 'name = "wadi-news"\nprofile = "wadi"')
        text += '\n[[profiles]]\nname = "wadi"\nbody_xpath = "//div[@class=\'article-body\']"\n'
        config.write_text(text, "utf-8")
        assert run_archive(load_config(config)).sites[0].new == len(ARTICLES["wadi-news"])
    recs = lines(data_dir)
    assert {(r["extraction"]["profile"], r["extraction"]["method"]) for r in recs} == {("wadi", "profile")}


def test_hosts_in_parallel_each_paced_by_its_delay(tmp_path):
    from arshif.archive import run_archive
    from arshif.config import load_config

    root = copy_sites(tmp_path)
    delay = 0.15
    with serve_sites(root, addresses=["127.0.0.2", "127.0.0.3", "127.0.0.4"]) as sites:
        config = tmp_path / "config.toml"
        config.write_text(sites.config_toml(tmp_path / "store", delay=delay), "utf-8")
        report = run_archive(load_config(config))
        assert report.totals()["new"] == N_ARTICLES
        spans = []
        for name in ARTICLES:
            times = sorted(h.time for h in sites.hits(name))
            gaps = [b - a for a, b in zip(times, times[1:])]
            # robots.txt is fetched by its own client; every other request keeps the delay
            assert sum(g < delay * 0.7 for g in gaps) <= 1, (name, gaps)  # 0.7: arrival jitter
            spans.append((times[0], times[-1]))
    # Every host started before any host finished: they ran side by side.
    assert max(s for s, _ in spans) < min(e for _, e in spans)
