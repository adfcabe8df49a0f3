"""Fuzzing the pure stages: whatever HTML or bytes arrive, extraction returns a
valid record quickly and the text cleaner stays total and idempotent.

Each case is timed; the bound (5 s) is generous on purpose: the point is no
hang and no exception, not speed (speed lives in bench/).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arshif.article import Article, validate
from arshif.extract import extract, extract_bytes
from arshif.extract.textclean import clean_article
from arshif.text import clean_line, clean_text

BOUND = 5.0
FUZZ = settings(
    max_examples=50,
    deadline=None,  # timed by hand below, so a slow case is reported with its figure
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
    derandomize=True,  # the same cases on every machine: a CI failure reproduces locally
)

TAGS = ["div", "p", "span", "article", "section", "h1", "h2", "a", "b", "i", "table", "tr", "td",
        "ul", "li", "script", "style", "nav", "footer", "aside", "br", "img", "meta", "time",
        "html", "body", "head", "title", "form", "iframe", "svg", "math", "template", "noscript"]
WORDS = ["الخبر", "قال", "الوزير", "مدينة", "٢٠٢٤", "خبر عاجل", "بقلم", "news", "the", "خبرنگار",
         "ٱلْحَمْدُ", "\u200f", "\u200b", "\ufeff", "\u202e", "😀", "\x00", "\ud7ff", "&amp;", "&#1575;",
         "&#x627;", "&bogus;", "&#xD800;", "&#99999999;", "&", "<", ">", "<!--", "-->", "]]>",
         "<![CDATA[", "\r\n", "\t", "ـــ", "ﷲ", "ﻻ"]

text = st.one_of(st.sampled_from(WORDS), st.text(max_size=40))
attr_value = st.one_of(text, st.integers(10_000, 300_000).map(lambda n: "ع" * n))
attrs = st.dictionaries(st.sampled_from(["class", "id", "href", "src", "lang", "dir", "content",
                                         "property", "name", "rel", "type", "style", "datetime"]),
                        attr_value, max_size=3)


def _render(node) -> str:
    if isinstance(node, str):
        return node
    tag, attributes, children, close = node
    a = "".join(f' {k}="{v}"' for k, v in attributes.items())
    inner = "".join(_render(c) for c in children)
    return f"<{tag}{a}>{inner}" + (f"</{tag}>" if close else "")  # unclosed tags on purpose


nodes = st.recursive(
    text,
    lambda kids: st.tuples(st.sampled_from(TAGS), attrs, st.lists(kids, max_size=5), st.booleans()),
    max_leaves=40,
)
documents = st.lists(nodes, max_size=6).map(lambda ns: "".join(_render(n) for n in ns))


def _check(make, figures) -> Article:
    start = time.perf_counter()
    try:
        article = make()
    except Exception:
        figures.add("fuzz failures")
        raise
    finally:
        elapsed = time.perf_counter() - start
        figures.add("fuzz cases run")
        figures.peak("fuzz slowest case (s)", elapsed)
    assert isinstance(article, Article)
    validate(article.to_dict())  # a record, valid against the schema, whatever came in
    assert elapsed < BOUND, f"one page took {elapsed:.1f} s"
    return article


@FUZZ
@given(html=documents)
def test_random_html_gives_valid_record(html, figures):
    _check(lambda: extract(html, "https://news.example/a/1"), figures)


@settings(FUZZ, max_examples=40)
@given(html=documents, encoding=st.sampled_from(["utf-8", "windows-1256", "iso-8859-6", "utf-16",
                                                 "cp1252", "utf-8-sig"]),
       declared=st.sampled_from([None, "utf-8", "windows-1256", "latin-1", "x-nonsense", "utf-16"]),
       junk=st.binary(max_size=200))
def test_mixed_encodings_and_junk_bytes(html, encoding, declared, junk, figures):
    data = html.encode(encoding, "replace") + junk
    _check(lambda: extract_bytes(data, None, http_charset=declared), figures)


@settings(FUZZ, max_examples=15)
@given(depth=st.integers(500, 5000), tag=st.sampled_from(["div", "span", "b", "table", "li", "p"]),
       closed=st.booleans())
def test_deep_nesting(depth, tag, closed, figures):
    html = f"<html><body>{f'<{tag}>' * depth}<p>نص في العمق {depth}</p>"
    html += f"</{tag}>" * depth if closed else ""
    _check(lambda: extract(html, "https://news.example/deep"), figures)


@settings(FUZZ, max_examples=5)
@given(size=st.integers(1_000_000, 3_000_000), where=st.sampled_from(["attr", "text", "comment"]))
def test_huge_values(size, where, figures):
    blob = "ب" * size
    inner = {"attr": f'<div data-x="{blob}">نص</div>', "text": f"<p>{blob}</p>",
             "comment": f"<!-- {blob} --><p>نص</p>"}[where]
    _check(lambda: extract(f"<html><body>{inner}</body></html>", None), figures)


@FUZZ
@given(s=st.text(max_size=300) | st.lists(st.sampled_from(WORDS)).map(" ".join))
def test_clean_is_total_and_idempotent(s, figures):
    start = time.perf_counter()
    once = clean_text(s)
    figures.add("fuzz cases run")
    assert clean_text(once) == once
    assert clean_line(clean_line(s)) == clean_line(s)
    for ch in "\u200b\u200f\u202e\ufeff":
        assert ch not in once
    assert "\n\n" not in once and not once.startswith(("\n", " "))
    assert time.perf_counter() - start < BOUND


@FUZZ
@given(lines=st.lists(st.one_of(text, st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)),
                      max_size=30),
       sep=st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
def test_clean_article_gives_valid_record(lines, sep, figures):
    """`arshif clean` (already extracted text -> record) on arbitrary text."""
    _check(lambda: clean_article(sep.join(lines), url="https://news.example/a/2"), figures)


@pytest.mark.parametrize("html", ["", " ", "\x00", "<", "<html", "<!DOCTYPE", "&#0;", "<?xml?>",
                                  "<html><body></body></html>"])
def test_degenerate_pages(html, figures):
    article = _check(lambda: extract(html, None), figures)
    assert article.body == ""
