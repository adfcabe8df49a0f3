"""Discovery sources parsed from bytes: feeds, sitemaps, sections, URL normalisation."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from arshif.discover import parse_feed, parse_section, parse_sitemap
from arshif.discover.sections import looks_like_article
from arshif.discover.urls import dedup, normalize, same_site

BASE = "https://news.example/"


def test_normalize_drops_tracking_fragment_default_port():
    assert normalize("HTTPS://News.Example:443/a/1?utm_source=x&fbclid=y#top") == "https://news.example/a/1"
    assert normalize("/a/2?b=2&a=1", BASE) == "https://news.example/a/2?a=1&b=2"
    assert normalize("https://news.example") == "https://news.example/"
    for bad in ("mailto:x@news.example", "javascript:void(0)", "", "ftp://news.example/a"):
        assert normalize(bad, BASE) is None
    urls = [normalize(u) for u in ("https://news.example/a#1", "https://news.example/a?utm_medium=rss", "https://news.example/b")]
    assert dedup(urls) == ["https://news.example/a", "https://news.example/b"]
    assert same_site("https://m.news.example/x", "https://www.news.example/")
    assert not same_site("https://evilnews.example/x", "https://news.example/")


RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
<item><title>خبر</title><link>https://news.example/a/1?utm_source=rss</link><pubDate>Sat, 21 Nov 2026 08:00:00 +0300</pubDate></item>
<item><title>خبر 2</title><link>/a/2</link></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>x</title><link rel="alternate" href="https://news.example/a/3"/><updated>2026-11-21T10:00:00Z</updated></entry>
</feed>"""


def test_rss_and_atom_entries():
    items = parse_feed(RSS, BASE + "rss.xml")
    assert [c.url for c in items] == ["https://news.example/a/1", "https://news.example/a/2"]
    assert items[0].lastmod == datetime(2026, 11, 21, 5, 0, tzinfo=timezone.utc)
    assert items[1].lastmod is None
    atom = parse_feed(ATOM, BASE + "atom.xml")
    assert [(c.url, c.lastmod.hour) for c in atom] == [("https://news.example/a/3", 10)]


BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<rss><channel><item><link>https://news.example/&lol2;</link></item></channel></rss>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/&xxe;</loc></url></urlset>"""


def test_entity_declarations_are_refused():
    with pytest.raises(ValueError, match="entities"):
        parse_feed(BOMB, BASE)
    with pytest.raises(ValueError, match="entities"):
        parse_sitemap(XXE, BASE)


INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/sm-news.xml</loc><lastmod>2026-11-22</lastmod></sitemap>
<sitemap><loc>https://news.example/sm-old.xml.gz</loc></sitemap>
</sitemapindex>"""
NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/a/9</loc><lastmod>2026-01-01</lastmod>
<news:news><news:publication_date>2026-11-22T09:00:00+02:00</news:publication_date></news:news></url>
<url><loc>https://news.example/a/8#c</loc></url>
</urlset>"""


def test_sitemap_index_and_news_sitemap():
    idx = parse_sitemap(INDEX, BASE)
    assert idx.kind == "index" and not idx.urls
    assert [c.url for c in idx.children] == ["https://news.example/sm-news.xml", "https://news.example/sm-old.xml.gz"]
    assert idx.children[0].lastmod == datetime(2026, 11, 22, tzinfo=timezone.utc)
    news = parse_sitemap(NEWS, BASE)
    assert news.kind == "urlset"
    # publication_date wins over lastmod; the fragment is dropped
    assert [(c.url, c.lastmod) for c in news.urls] == [
        ("https://news.example/a/9", datetime(2026, 11, 22, 7, 0, tzinfo=timezone.utc)),
        ("https://news.example/a/8", None),
    ]


def test_gzipped_sitemap_and_garbage():
    import gzip

    assert [c.url for c in parse_sitemap(gzip.compress(NEWS), BASE).urls][0] == "https://news.example/a/9"
    for junk in (b"", b"<html><body>no</body></html>", b"\x00\x01garbage"):
        with pytest.raises(ValueError):
            parse_sitemap(junk, BASE)


SECTION = """<html><head><base href="https://www.news.example/"></head><body>
<a href="/politics/2026/11/22/vote-on-port-law">1</a>
<a href="news/55501">2</a>
<a href="/news/55501#comments">dup</a>
<a href="/tag/ports/">tag</a><a href="/category/economy">cat</a><a href="/about">about</a>
<a href="/img/photo-2026.jpg">img</a>
<a href="https://other.example/news/12345">other site</a>
<a href="https://m.news.example/story/77123">mobile subdomain</a>
<a href="mailto:desk@news.example">mail</a>
</body></html>"""


def test_section_links_heuristics_and_pattern():
    found = [c.url for c in parse_section(SECTION, "https://www.news.example/politics", "https://www.news.example/")]
    assert found == [
        "https://www.news.example/politics/2026/11/22/vote-on-port-law",
        "https://www.news.example/news/55501",
        "https://m.news.example/story/77123",
    ]
    only = parse_section(SECTION, "https://www.news.example/", "https://www.news.example/", r"/news/\d+$")
    assert [c.url for c in only] == ["https://www.news.example/news/55501"]
    assert not looks_like_article("https://news.example/section/sport/")
    assert looks_like_article("https://news.example/sport/a-long-story-slug-here")


def test_discover_site_follows_newest_sitemaps_within_budget(tmp_path):
    from arshif.config import SiteConfig
    from arshif.demo import serve_sites
    from arshif.discover import MAX_SITEMAPS, discover_site
    from arshif.fetch import Fetcher, FetchSettings

    site_dir = tmp_path / "big"
    site_dir.mkdir()
    months = [f"2020-{m:02d}" for m in range(1, 13)] + [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]
    index = "".join(f"<sitemap><loc>{{{{base}}}}/sm-{m}.xml</loc><lastmod>{m}-28</lastmod></sitemap>" for m in months)
    (site_dir / "sitemap.xml").write_text(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>')
    for m in months:
        (site_dir / f"sm-{m}.xml").write_text(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{{{base}}}}/news/{m}/1</loc>'
            f"<lastmod>{m}-20</lastmod></url></urlset>")
    with serve_sites(tmp_path) as sites:
        base = sites.urls["big"]
        site = SiteConfig(name="big", url=base + "/", sitemaps=[base + "/sitemap.xml"])
        fetcher = Fetcher(FetchSettings(allow_private=True, delay=0))
        try:
            disc = discover_site(site, fetcher)
            fetched = [p for p in sites.paths("big") if p.startswith("/sm-")]
            # 72 monthly sitemaps: the index plus the 49 newest fit the budget of 50.
            assert len(fetched) == MAX_SITEMAPS - 1 and fetched[0] == "/sm-2025-12.xml"
            assert disc.reached and not disc.failures
            assert disc.candidates[0].url == base + "/news/2025-12/1"
            # With `since`, months before it are not even fetched.
            before = len(sites.hits())
            recent = discover_site(site, fetcher, since=datetime(2025, 10, 1, tzinfo=timezone.utc))
            assert [c.url for c in recent.candidates] == [base + f"/news/2025-{m}/1" for m in ("12", "11", "10")]
            assert len(sites.hits()) - before == 1 + 3
        finally:
            fetcher.close()
