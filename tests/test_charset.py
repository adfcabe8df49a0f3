"""decode_html: header -> BOM -> meta -> detection, with every declaration verified."""

from __future__ import annotations

import codecs

import pytest
from fetchkit import HEADLINE, article_1256, article_text
from hypothesis import given, settings
from hypothesis import strategies as st

from arshif.charset import decode_html, declared_in_meta, looks_binary

TEXT = article_text()


@pytest.mark.parametrize(
    "data, header, encoding, source",
    [
        (article_1256("windows-1256"), None, "cp1256", "meta"),
        (article_1256(None), None, "cp1256", "detected"),
        (article_1256(None), "windows-1256", "cp1256", "header"),
        (article_1256(None), "utf-8", "cp1256", "fallback"),  # header lies
        (article_1256(None), "iso-8859-1", "cp1256", "fallback"),  # header lies, Latin-1 "works"
        (article_1256("utf-8"), None, "cp1256", "fallback"),  # meta lies
        (TEXT.encode(), "windows-1256", "utf-8", "meta"),  # header lies the other way
        (TEXT.replace('charset="utf-8"', 'charset="windows-1256"').encode(), None, "utf-8", "fallback"),
        (TEXT.encode(), None, "utf-8", "meta"),
        (TEXT.replace('<meta charset="utf-8">', "").encode(), None, "utf-8", "detected"),
        (codecs.BOM_UTF8 + TEXT.encode(), "windows-1256", "utf-8", "bom"),  # a BOM cannot lie
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None, "utf-16-le", "bom"),
    ],
    ids=[
        "1256-meta", "1256-none", "1256-header", "1256-says-utf8", "1256-says-latin1", "1256-meta-says-utf8",
        "utf8-header-says-1256", "utf8-meta-says-1256", "utf8-meta", "utf8-none", "bom-over-header", "utf16-bom",
    ],
)
def test_decodes_to_the_arabic_text(data, header, encoding, source):
    d = decode_html(data, header)
    assert (d.encoding, d.source) == (encoding, source)
    assert HEADLINE in d.text and "\ufffd" not in d.text


def test_iso_8859_6_is_told_apart_from_windows_1256():
    # ISO-8859-6 puts letters where windows-1256 has Latin ones; the decoder must not mix them up.
    plain = "<p>" + HEADLINE + " " + "وقال المدير إن الكتب متاحة للجميع" + "</p>"
    d = decode_html(plain.encode("iso8859-6"))
    assert d.encoding == "iso8859-6" and HEADLINE in d.text


def test_utf8_page_with_a_stray_byte_stays_utf8():
    data = TEXT.encode()
    broken = data[:900] + b"\xff" + data[900:]
    d = decode_html(broken, "utf-8")
    assert d.encoding == "utf-8" and HEADLINE in d.text and d.text.count("\ufffd") == 1


def test_unknown_declared_charset_falls_back_to_detection():
    d = decode_html(article_1256("x-no-such-charset"))
    assert d.encoding == "cp1256" and HEADLINE in d.text


def test_xml_declaration_names_the_encoding():
    xml = '<?xml version="1.0" encoding="windows-1256"?><rss><title>' + HEADLINE + "</title></rss>"
    assert declared_in_meta(xml.encode("cp1256")) == "windows-1256"
    assert HEADLINE in decode_html(xml.encode("cp1256")).text


def test_meta_http_equiv_is_read():
    page = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    assert declared_in_meta(page) == "windows-1256"


def test_plain_ascii_and_empty_input():
    assert decode_html(b"<p>hello</p>").text == "<p>hello</p>"
    assert decode_html(b"").text == ""


def test_looks_binary():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    assert not looks_binary(TEXT.encode())
    assert not looks_binary(article_1256())
    assert not looks_binary(codecs.BOM_UTF16_LE + "<p>نص</p>".encode("utf-16-le"))


ARABIC_WORDS = st.lists(
    st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى", min_size=2, max_size=8),
    min_size=12,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(ARABIC_WORDS, st.sampled_from([None, "utf-8", "iso-8859-1", "windows-1256"]))
def test_windows_1256_round_trips_whatever_the_header_says(words, header):
    text = "<p>" + " ".join(words) + "</p>"
    d = decode_html(text.encode("cp1256"), header)
    assert d.text == text


@settings(max_examples=60, deadline=None)
@given(ARABIC_WORDS, st.sampled_from([None, "utf-8", "iso-8859-1", "windows-1256", "iso-8859-6"]))
def test_utf8_round_trips_whatever_the_header_says(words, header):
    text = "<p>" + " ".join(words) + "</p>"
    assert decode_html(text.encode(), header).text == text
