"""The fixture pages (self-written, modelled on real Arabic templates) against
their expected records, and profiles as data."""

from __future__ import annotations

import pytest

from arshif.article import validate
from arshif.extract import extract, extract_bytes
from arshif.extract.profiles import load_profiles, profile_for, profile_from_dict
from arshif.text import match_key
from extract_helpers import FIXTURES, expected, fixture_pages

PAGES = fixture_pages()


def test_there_are_enough_fixture_pages():
    assert len(PAGES) >= 6
    assert all(p.with_name(p.stem + ".expected.json").exists() for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_fixture_page_gives_its_expected_record(page):
    want = expected(page)
    record = extract_bytes(page.read_bytes()).to_dict()
    validate(record)
    for key, value in want.items():
        if key.startswith("_"):
            continue
        if key == "body":
            assert record["body"].split("\n") == value
        elif isinstance(value, dict):
            assert {k: record[key][k] for k in value} == value
        else:
            assert record[key] == value, key


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_generic_path_alone_finds_the_same_body(page):
    """Profiles only add certainty: without any, unseen sites get the same body."""
    record = extract_bytes(page.read_bytes(), profiles=[]).to_dict()
    assert record["body"].split("\n") == expected(page)["body"]
    assert record["extraction"]["method"] == "generic"


def test_windows_1256_page_decodes_to_arabic():
    raw = (FIXTURES / "windows-1256.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "النخيل" in extract_bytes(raw).title


def test_shipped_profiles_cover_the_seed_families():
    profiles = load_profiles()
    assert profile_for("www.djazairess.com", profiles).name == "maghress-platform"
    assert profile_for("sauress.com", profiles).name == "maghress-platform"
    assert profile_for("m.casablancatoday.com", profiles).name == "arabstoday-group"
    assert profile_for("unknown-news.example", profiles) is None


def test_user_profile_from_config_is_used_and_can_override():
    page = (FIXTURES / "ticker-after.html").read_bytes()
    mine = {"name": "alofoq", "domains": ["alofoq.example"], "body_xpath": "//div[@class='content']",
            "strip_xpath": ["//div[@class='content']/p[last()]"], "date_xpath": "//time"}
    profiles = load_profiles([mine])
    assert profiles[0].name == "alofoq" and profiles[0].get("date_xpath") == "//time"
    record = extract_bytes(page, profiles=profiles).to_dict()
    assert record["extraction"]["method"] == "profile"
    assert record["extraction"]["profile"] == "alofoq"
    lines = record["body"].split("\n")
    assert lines == expected(FIXTURES / "ticker-after.html")["body"][:-1]
    # overriding a shipped profile by name replaces it
    override = load_profiles([{"name": "maghress-platform", "domains": ["example.org"]}])
    assert [p.domains for p in override if p.name == "maghress-platform"] == [("example.org",)]


def test_profile_whose_selector_stopped_matching_falls_back_and_says_so():
    html = (FIXTURES / "casablancatoday-family.html").read_text(encoding="utf-8")
    redesigned = html.replace('class="article-text"', 'class="story-content"')
    record = extract(redesigned).to_dict()
    validate(record)
    info = record["extraction"]
    assert info["method"] == "generic" and info["profile"] == "arabstoday-group"
    assert any("fell back" in n or "generic" in n for n in info["notes"])
    assert record["body"].split("\n") == expected(FIXTURES / "casablancatoday-family.html")["body"]


def test_bad_profile_is_rejected_clearly():
    with pytest.raises(ValueError, match="name"):
        profile_from_dict({"domains": ["x.example"]})


def test_body_never_holds_headline_subtitle_or_aggregator_line():
    page = FIXTURES / "maghress-aggregator.html"
    record = extract_bytes(page.read_bytes()).to_dict()
    body = match_key(record["body"])
    for text in (record["title"], record["subtitle"], "نشر في المساء يوم"):
        assert match_key(text) not in body
