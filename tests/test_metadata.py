"""Metadata on small pages written for these tests (invented text, no real pages)."""

from __future__ import annotations

import json

import lxml.html
import pytest

from arshif.article import validate
from arshif.extract import extract
from arshif.extract.authors import clean_authors
from arshif.extract.language import detect_language
from arshif.extract.metadata import extract_metadata, parse_aggregator_line
from arshif.extract.profiles import profile_from_dict

URL = "https://www.akhbar-example.com/news/2021/04/02/story-77"
BODY = "".join(
    f"<p>{line}</p>"
    for line in (
        "قال مسؤولون في البلدية إن مشروع تجديد السوق القديم سيبدأ بعد شهرين من الآن.",
        "وأضاف المتحدث أن الخطة تشمل ترميم الواجهات الحجرية وإضافة ممرات للمشاة.",
        "ومن المتوقع أن تستمر الأعمال عاما كاملا بتمويل من صندوق التنمية المحلي.",
    )
)


def page(head: str = "", top: str = "", body: str = BODY, lang: str = "ar", foot: str = "") -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        "<title>تجديد السوق القديم يبدأ قريبا | أخبار المثال</title>"
        '<meta property="og:site_name" content="أخبار المثال">'
        f"{head}</head><body><header><a href='/'>أخبار المثال</a></header>"
        f"<article><h1>تجديد السوق القديم يبدأ قريبا</h1>{top}{body}</article>"
        f"<footer>جميع الحقوق محفوظة © 2023 أخبار المثال {foot}</footer></body></html>"
    )


def meta_of(html: str, url: str | None = URL, profile=None) -> dict:
    return extract_metadata(lxml.html.document_fromstring(html), url, profile=profile)


LD = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-04-02T09:15:00+03:00"}</script>'
META = '<meta property="article:published_time" content="2021-04-03T10:20:00+03:00">'
TIME = '<time datetime="2021-04-04T11:25:00+03:00">4 أبريل 2021</time>'
STAMP = '<div class="date">نشر في 5 نيسان 2021 - 12:30</div>'


@pytest.mark.parametrize(
    ("head", "top", "url", "expected", "source"),
    [
        (LD + META, TIME + STAMP, URL, "2021-04-02T09:15+03:00", "json-ld"),
        (META, TIME + STAMP, URL, "2021-04-03T10:20+03:00", "meta"),
        ("", TIME + STAMP, URL, "2021-04-04T11:25+03:00", "time"),
        ("", STAMP, URL, "2021-04-05T12:30", "byline"),
        ("", "", URL, "2021-04-02", "url"),
        ("", "", "https://www.akhbar-example.com/news/story-77", None, None),
    ],
)
def test_published_order_of_trust(head, top, url, expected, source):
    meta = meta_of(page(head, top), url)
    assert meta["published"] == expected
    assert meta["extraction"]["published_from"] == source


def test_extraction_keeps_the_raw_text_of_the_date():
    meta = meta_of(page(top=STAMP))
    assert meta["extraction"]["published_text"] == "نشر في 5 نيسان 2021 - 12:30"


def test_footer_year_and_copyright_never_become_a_date():
    html = page(foot="<p>2010 - 2024</p><span>2022</span>")
    meta = meta_of(html, "https://www.akhbar-example.com/story")
    assert meta["published"] is None and meta["modified"] is None
    record = extract(html, "https://www.akhbar-example.com/story").to_dict()
    validate(record)
    assert record["published"] is None


def test_related_links_dates_are_not_the_articles_date():
    related = '<aside><ul><li><a href="/x">خبر آخر 1 يناير 2020</a></li></ul></aside>'
    assert meta_of(page(top=related), "https://www.akhbar-example.com/story")["published"] is None


def test_displayed_clock_wins_with_the_metadata_instant():
    # JSON-LD in UTC, the page shows the local clock: keep the instant, in the page's zone.
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-01-08T09:42:10Z"}</script>'
    stamp = '<span class="article-date">2022-01-08 | 11:42</span>'
    assert meta_of(page(ld, stamp))["published"] == "2022-01-08T11:42:10+02:00"


def test_metadata_time_fills_in_a_page_that_shows_only_the_day():
    head = '<meta property="article:published_time" content="2020-06-03T03:01+0400">'
    top = '<time class="date">03 يونيو 2020</time>'
    assert meta_of(page(head, top))["published"] == "2020-06-03T03:01+04:00"


def test_midnight_metadata_means_only_the_day():
    top = '<span property="dc:date" content="2019-02-08T00:00:00+01:00">الجمعة 8 فيفري 2019</span>'
    assert meta_of(page(top=top))["published"] == "2019-02-08"


def test_modified_before_published_is_dropped():
    head = META + '<meta property="article:modified_time" content="2020-01-01T10:00:00+03:00">'
    meta = meta_of(page(head))
    assert meta["modified"] is None
    later = META + '<meta property="article:modified_time" content="2021-04-03T12:00:00+03:00">'
    meta = meta_of(page(later))
    assert meta["modified"] == "2021-04-03T12:00+03:00"
    assert meta["extraction"]["modified_from"] == "meta"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("بقلم: سامر الحلبي", ["سامر الحلبي"]),
        ("كتب - القاهرة: منى عادل", ["منى عادل"]),
        ("حوار: ليلى الصافي", ["ليلى الصافي"]),
        ("إعداد: نادر يوسف - بيروت", ["نادر يوسف"]),
        ("تحرير هالة مراد", ["هالة مراد"]),
        ("بيروت - رامي خوري", ["رامي خوري"]),
        ("كتبت سلمى عيسى من عمان", ["سلمى عيسى"]),
        ("سامر الحلبي، منى عادل", ["سامر الحلبي", "منى عادل"]),
    ],
)
def test_byline_words_and_cities_are_stripped(byline, expected):
    top = f'<div class="author">{byline}</div>'
    assert meta_of(page(top=top))["authors"] == expected


@pytest.mark.parametrize(
    "byline",
    ["(الرباط - أخبار المثال)", "أخبار المثال", "وكالات", "الدوحة - رويترز", "القاهرة", "أ ف ب"],
)
def test_an_outlet_or_place_is_not_an_author(byline):
    top = f'<span class="byline">{byline}</span>'
    assert meta_of(page(top=top))["authors"] == []


def test_site_name_in_meta_author_and_organization_in_json_ld_are_not_authors():
    head = (
        '<meta name="author" content="أخبار المثال">'
        '<script type="application/ld+json">{"@type":"NewsArticle",'
        '"author":{"@type":"Organization","name":"Akhbar Example"}}</script>'
    )
    assert meta_of(page(head))["authors"] == []


def test_json_ld_person_is_an_author():
    head = '<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"وداد الكيلاني"}]}</script>'
    assert meta_of(page(head))["authors"] == ["وداد الكيلاني"]


def test_byline_written_as_the_first_line_of_the_story():
    body = "<p><strong>حوار: كريم الزين</strong></p>" + BODY
    assert meta_of(page(body=body))["authors"] == ["كريم الزين"]


def test_clean_authors_drops_the_sites_own_name():
    assert clean_authors(["Akhbar", "نور الهدى"], outlets=["akhbar"]) == ["نور الهدى"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("نشر في الرياض يوم 06 - 02 - 2015", ("الرياض", "2015-02-06")),
        ("نشر في المساء يوم ١٢ - ٠٣ - ٢٠١٦", ("المساء", "2016-03-12")),
        ("نشر في هسبريس يوم 3 مارس 2019", ("هسبريس", "2019-03-03")),
        ("نشر في الرياض", None),
        ("نشر الخبر في الصباح", None),
    ],
)
def test_parse_aggregator_line(line, expected):
    assert parse_aggregator_line(line) == expected


def test_aggregator_page_gives_the_original_outlet_as_source():
    top = '<div class="credit">نشر في الرياض يوم 06 - 02 - 2015</div>'
    html = page(top=top)
    meta = meta_of(html, "https://aggregator-example.com/news/1")
    assert meta["source"] == "الرياض"
    assert meta["published"] == "2015-02-06"
    record = extract(html, "https://aggregator-example.com/news/1").to_dict()
    validate(record)
    assert record["source"] == "الرياض" and record["published"] == "2015-02-06"


def test_not_an_aggregator_has_no_source():
    assert meta_of(page())["source"] is None


def test_images_with_captions():
    top = (
        '<figure><img src="/img/souq-1200.jpg" width="800">'
        "<figcaption>التعليق على الصورة، واجهة السوق القديم قبل الترميم</figcaption></figure>"
        '<div><img src="/img/plan.jpg"><span class="caption">مخطط الممرات الجديدة</span></div>'
        '<a href="/news/other-story"><img src="/img/other-thumb.jpg"></a>'
        '<img src="/img/icon-share.png" width="16">'
    )
    head = '<meta property="og:image" content="https://www.akhbar-example.com/img/souq-1200.jpg">'
    images = meta_of(page(head, top))["images"]
    assert [(i.url, i.caption) for i in images] == [
        ("https://www.akhbar-example.com/img/souq-1200.jpg", "واجهة السوق القديم قبل الترميم"),
        ("https://www.akhbar-example.com/img/plan.jpg", "مخطط الممرات الجديدة"),
    ]


def test_title_is_the_headline_not_the_title_tag():
    meta = meta_of(page())
    assert meta["title"] == "تجديد السوق القديم يبدأ قريبا"


def test_logo_h1_is_skipped_and_og_title_is_trimmed():
    html = (
        "<html><head><title>مهرجان الربيع يعود - أخبار المثال</title>"
        '<meta property="og:title" content="مهرجان الربيع يعود بعد غياب طويل | أخبار المثال">'
        '<meta property="og:site_name" content="أخبار المثال"></head>'
        "<body><h1>أخبار المثال</h1>" + BODY + "</body></html>"
    )
    assert meta_of(html)["title"] == "مهرجان الربيع يعود بعد غياب طويل"


def test_section_tags_canonical_site():
    head = (
        '<link rel="canonical" href="/news/story-77">'
        '<meta property="article:section" content="اقتصاد">'
        '<meta property="article:tag" content="أسواق">'
        '<meta property="article:tag" content="بلدية">'
    )
    meta = meta_of(page(head))
    assert meta["canonical_url"] == "https://www.akhbar-example.com/news/story-77"
    assert meta["site"] == "akhbar-example.com"
    assert meta["section"] == "اقتصاد"
    assert meta["tags"] == ["أسواق", "بلدية"]


def test_subtitle_is_a_standfirst_near_the_headline():
    top = '<h2 class="sub-title">البلدية تعلن جدولا زمنيا للأعمال يمتد عاما كاملا</h2>'
    assert meta_of(page(top=top))["subtitle"] == "البلدية تعلن جدولا زمنيا للأعمال يمتد عاما كاملا"
    assert meta_of(page())["subtitle"] == ""


ARABIC = "قالت الوزارة إن الحكومة ستعلن خطة جديدة لدعم المزارعين خلال الأسبوع المقبل في العاصمة. " * 3
PERSIAN = "وزارت کشاورزی اعلام کرد که برنامه تازه‌ای برای کمک به کشاورزان در هفته آینده اجرا می‌شود. " * 3
URDU = "حکومت نے کسانوں کی مدد کے لیے ایک نیا منصوبہ پیش کیا ہے جو اگلے ہفتے شروع ہوگا۔ " * 3


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (ARABIC, "ar", "ar"),
        (ARABIC, "en", "ar"),  # a template's generic lang="en" on an Arabic page
        (PERSIAN, "", "fa"),
        (PERSIAN, "ar", "fa"),  # a Persian site on an Arabic template
        (URDU, "", "ur"),
        ("A short English story about markets and prices in the city. " * 3, "en", "en"),
    ],
)
def test_language_from_the_text(text, lang, expected):
    html = page(body=f"<p>{text}</p>", lang=lang) if lang else page(body=f"<p>{text}</p>").replace(' lang="ar"', "")
    assert meta_of(html)["language"] == expected


def test_detect_language_is_unsure_on_tiny_text():
    assert detect_language("نص") is None
    assert detect_language("") is None


def test_profile_selectors_are_honoured():
    top = (
        '<div id="hd">العنوان كما يريده الموقع</div><div id="when">7 تموز 2021</div>'
        '<div id="who">بقلم: جاد الحسيني</div>'
    )
    spec = {"name": "example", "title_xpath": "//div[@id='hd']", "date_xpath": "//div[@id='when']",
            "author_xpath": "//div[@id='who']"}
    for profile in (spec, profile_from_dict(spec)):
        meta = meta_of(page(top=top), profile=profile)
        assert meta["title"] == "العنوان كما يريده الموقع"
        assert meta["published"] == "2021-07-07"
        assert meta["authors"] == ["جاد الحسيني"]


def test_profile_aggregator_pattern():
    top = '<p class="src">المصدر الأصلي: جريدة الأفق بتاريخ 2016/05/04</p>'
    profile = {"name": "agg", "aggregator_pattern": r"المصدر الأصلي: (?P<source>.+?) بتاريخ (?P<date>\S+)"}
    meta = meta_of(page(top=top), profile=profile)
    assert meta["source"] == "جريدة الأفق"
    assert meta["published"] == "2016-05-04"


def test_broken_json_ld_and_odd_markup_do_not_raise():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script>'
    html = page(head, top="<time datetime='not a date'>غدا</time>")
    meta = meta_of(html)
    assert meta["published"] == "2021-04-02"  # fell through to the URL
    record = extract(html, URL).to_dict()
    validate(record)


def test_full_record_is_valid_and_carries_the_metadata():
    head = LD.replace("}</script>", ',"author":{"@type":"Person","name":"ريم حداد"}}</script>')
    record = extract(page(head, STAMP), URL).to_dict()
    validate(record)
    assert record["title"] == "تجديد السوق القديم يبدأ قريبا"
    assert record["authors"] == ["ريم حداد"]
    assert record["published"] == "2021-04-02T09:15+03:00"
    assert record["extraction"]["published_from"] == "json-ld"
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record


def test_site_footer_stamp_is_not_the_articles_date():
    foot = '<div class="updated">آخر تحديث للموقع 12 مارس 2023</div>'
    assert meta_of(page(foot=foot), "https://www.akhbar-example.com/story")["published"] is None


def test_a_storys_own_footer_stamp_counts():
    top = '<footer class="submitted"><span class="date">الجمعة 8 فيفري 2019</span></footer>'
    assert meta_of(page(top=top), "https://www.akhbar-example.com/story")["published"] == "2019-02-08"


def test_published_not_the_update_when_a_stamp_shows_both():
    top = '<div class="meta">آخر تحديث 6 مايو 2022 12:00 | نشر في 5 مايو 2022 10:00</div>'
    meta = meta_of(page(top=top), "https://www.akhbar-example.com/story")
    assert meta["published"] == "2022-05-05T10:00"


def test_headline_in_h2_still_anchors_the_stamp():
    html = (
        '<html lang="ar"><head><meta property="og:title" content="افتتاح جسر المشاة الجديد - أخبار المثال">'
        '<meta property="og:site_name" content="أخبار المثال"></head><body>'
        '<div class="top">السبت 1 يناير 2000</div>'
        '<h2 class="post-title">افتتاح جسر المشاة الجديد</h2><span class="date">3 فبراير 2022</span>'
        + BODY + "</body></html>"
    )
    meta = meta_of(html, "https://www.akhbar-example.com/story")
    assert meta["title"] == "افتتاح جسر المشاة الجديد"
    assert meta["published"] == "2022-02-03"


def test_utc_json_ld_is_written_in_the_sites_offset_from_another_tag():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-04T22:30:00Z"}</script>'
    head = ld + '<meta property="article:published_time" content="2022-05-05T01:30:00+03:00">'
    assert meta_of(page(head))["published"] == "2022-05-05T01:30+03:00"


def test_the_day_shown_wins_over_a_utc_instant_on_the_day_before():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-04T22:30:00Z"}</script>'
    top = '<span class="date">5 مايو 2022</span>'
    assert meta_of(page(ld, top))["published"] == "2022-05-05"


def test_line_break_inside_the_headline_is_a_space():
    html = page().replace("<h1>تجديد السوق القديم يبدأ قريبا</h1>", "<h1>تجديد السوق<br>القديم يبدأ قريبا</h1>")
    assert meta_of(html)["title"] == "تجديد السوق القديم يبدأ قريبا"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("كتبت: سارة محمود | تصوير: أحمد حسن", ["سارة محمود"]),
        ("محمد علي - مراسل الأفق", ["محمد علي"]),
        ("القاهرة - أ ش أ", []),
        ("إعداد: فريق التحرير", []),
        ("By Jane Doe", ["Jane Doe"]),
        ("كتب – خالد يوسف (دبي)", ["خالد يوسف"]),
    ],
)
def test_clean_authors_table(raw, expected):
    assert clean_authors([raw]) == expected


def test_time_of_a_related_item_below_the_story_is_not_trusted_as_metadata():
    related = "".join(f"<p>فقرة إضافية رقم {i} عن مشروع السوق وتفاصيل التمويل والجدول الزمني.</p>" for i in range(40))
    related += '<div class="more"><h3>قصة أخرى</h3><time datetime="2019-01-01">1 يناير 2019</time></div>'
    top = '<span class="date">5 نيسان 2021</span>'
    meta = meta_of(page(top=top, body=BODY + related), "https://www.akhbar-example.com/story")
    assert meta["published"] == "2021-04-05"
    assert meta["extraction"]["published_from"] == "byline"


def test_dates_in_a_list_outside_the_story_do_not_date_it():
    html = page().replace(
        "</article>",
        '</article><div class="more"><div><h3>قصة أخرى</h3><span>1 يناير 2019</span></div></div>',
    )
    assert meta_of(html, "https://www.akhbar-example.com/story")["published"] is None


def test_trimming_the_site_name_keeps_the_headline_verbatim():
    html = (
        '<html><head><meta property="og:site_name" content="أخبار المثال">'
        '<meta property="og:title" content="الوزير : الميزانية جاهزة - أخبار المثال"></head>'
        "<body>" + BODY + "</body></html>"
    )
    assert meta_of(html)["title"] == "الوزير : الميزانية جاهزة"


def test_day_only_json_ld_takes_the_time_of_a_tag_that_agrees():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-04-02"}</script>'
    head = ld + '<meta property="article:published_time" content="2021-04-02T09:15:00+03:00">'
    meta = meta_of(page(head))
    assert meta["published"] == "2021-04-02T09:15+03:00"
    assert meta["extraction"]["published_from"] == "meta"


def test_a_commenter_is_not_the_author():
    comments = (
        '<div id="comments"><ol><li class="comment"><span class="comment-author">زائر كريم</span>'
        "<p>تعليق طويل بما يكفي ليبدو كفقرة حقيقية من قارئ مهتم بالموضوع.</p></li></ol></div>"
    )
    assert meta_of(page(body=BODY + comments))["authors"] == []


def test_cms_default_epoch_is_not_a_date():
    head = '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
    meta = meta_of(page(head, top=STAMP))
    assert meta["published"] == "2021-04-05T12:30"
    assert meta["extraction"]["published_from"] == "byline"


def test_relative_stamp_needs_the_fetch_time():
    from datetime import datetime, timezone

    top = '<span class="time">منذ ساعتين</span>'
    url = "https://www.akhbar-example.com/story"
    assert meta_of(page(top=top), url)["published"] is None
    fetched = datetime(2024, 3, 10, 12, 0, tzinfo=timezone.utc)
    meta = extract_metadata(lxml.html.document_fromstring(page(top=top)), url, reference=fetched)
    assert meta["published"] == "2024-03-10T10:00+00:00"
    assert meta["extraction"]["published_text"] == "منذ ساعتين"


def test_relative_stamp_is_dated_from_the_fetch_time_only():
    """A page showing only "منذ ساعتين" gets a date when the fetch time is known, never otherwise."""
    from arshif.extract import extract

    page = (
        '<html lang="ar"><body><h1>عنوان تجريبي للخبر</h1><div class="date">منذ ساعتين</div>'
        "<article><p>قال مسؤول في البلدية إن أعمال الصيانة في الشارع الرئيسي ستنتهي خلال أسبوع واحد.</p>"
        "<p>وأضاف أن الحركة المرورية ستعود إلى طبيعتها بعد افتتاح الجسر الجديد.</p></article></body></html>"
    )
    fetched = extract(page, "https://x.test/a/1", fetched_at="2026-11-23T12:00:00+00:00")
    assert fetched.published == "2026-11-23T10:00+00:00"
    assert fetched.extraction.published_text == "منذ ساعتين"
    assert extract(page, "https://x.test/a/1").published is None


@pytest.mark.parametrize(
    "head",
    ["صحيفة النخيل - انطلاق موسم جني التمور", "انطلاق موسم جني التمور | صحيفة النخيل"],
)
def test_title_without_h1_is_the_headline_half_of_title_in_either_order(head):
    """No <h1>: the headline comes from <title> whichever side the site name stands on,
    and as the page shows it in full when <title> shortened it."""
    from arshif.extract import extract

    page = (
        f"<html><head><title>{head}</title></head><body><a href='/'>صحيفة النخيل</a>"
        "<font size=5><b>انطلاق موسم جني التمور في الواحات الجنوبية</b></font>"
        "<div>بدأ المزارعون في الواحات الجنوبية جني محصول التمور هذا الأسبوع وسط توقعات بموسم جيد.<br>"
        "وقال أحد المزارعين إن الإنتاج هذا العام أفضل من العام الماضي بفضل الأمطار.</div></body></html>"
    )
    record = extract(page, "http://nakhil.example/a?id=3")
    assert record.title == "انطلاق موسم جني التمور في الواحات الجنوبية"
    assert "صحيفة النخيل" not in record.title


def test_lead_paragraph_is_the_subtitle_not_a_lead_image():
    from arshif.extract import extract

    page = (
        "<html><body><article><h1>وفد برلماني يزور المنطقة الحدودية الشمالية</h1>"
        "<div class='lead-image'><img src='/a.jpg' alt=''><span>صورة أرشيفية للمعبر الحدودي الشمالي</span></div>"
        "<p class='lead'>الزيارة تأتي بعد أسابيع من التوتر على الحدود</p>"
        "<div class='text'><p>زار وفد من لجنة الشؤون الخارجية في البرلمان اليوم المنطقة الحدودية والتقى السكان.</p>"
        "<p>وقال رئيس الوفد إن البرلمان سيتابع تنفيذ المشاريع التنموية المعلنة في المنطقة.</p></div>"
        "</article></body></html>"
    )
    record = extract(page, "https://sharq.example/news/5")
    assert record.subtitle == "الزيارة تأتي بعد أسابيع من التوتر على الحدود"
    assert "الزيارة تأتي" not in record.body
