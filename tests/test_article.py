"""The Article record: one type, one serialisation, valid against its schema."""

import json

import jsonschema
import pytest

from arshif.article import Article, ExtractionInfo, Image, content_hash, record_id, validate
from arshif.text import clean_line, clean_text, match_key


def sample() -> Article:
    return Article(
        url="https://news.example/a/1?utm_source=x",
        canonical_url="https://news.example/a/1",
        site="news.example",
        title="عنوان الخبر",
        authors=["سارة يوسف"],
        published="2024-03-05T10:20:00+03:00",
        images=[Image("https://news.example/i.jpg", "تعليق")],
        body="الفقرة الأولى.\nالفقرة الثانية هنا.",
        extraction=ExtractionInfo(published_from="json-ld", published_text="2024-03-05T10:20:00+03:00"),
    )


def test_round_trip_and_schema():
    record = sample().to_dict()
    validate(record)
    again = Article.from_dict(json.loads(json.dumps(record))).to_dict()
    assert again == record


def test_derived_fields_follow_body():
    a = sample()
    assert a.to_dict()["word_count"] == 5
    assert a.id == record_id("https://news.example/a/1")
    assert len(a.id) == 20
    # id comes from the canonical URL, not the tracking-laden fetch URL
    assert a.id != record_id(a.url)


def test_content_hash_ignores_cosmetic_differences():
    a = "قال الوزير إن «الأمر» انتهى.\nفقرة ثانية"
    b = "قال  الوزيـــر إنّ \u200f«الأمر» انتهى\nفقرة ثانية."
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a + " إضافة")


def test_id_without_url_comes_from_content():
    a = Article(body="نص")
    validate(a.to_dict())
    assert a.id.startswith("c") and a.id == Article(body="نص").id


def test_schema_rejects_bad_dates_and_extra_keys():
    record = sample().to_dict()
    with pytest.raises(jsonschema.ValidationError):
        validate({**record, "published": "5 March 2024"})
    with pytest.raises(jsonschema.ValidationError):
        validate({**record, "surprise": 1})
    validate({**record, "published": "2024-03-05"})


def test_text_normalisation_keeps_letters_and_digits_as_published():
    raw = "\u202bعاجل:\u200c  ٢٠٢٤\u00a0\u00a0خبر\u202c"
    assert clean_line(raw) == "عاجل: ٢٠٢٤ خبر"
    assert clean_text("  أ \n\n ب  ") == "أ\nب"
    # match_key folds spelling variants and digits, for comparison only
    assert match_key("إلى مدرسةٍ ٢٠٢٤") == match_key("الي مدرسه 2024")
