"""Tickers and Arabic boilerplate go, article text stays: each kind on its own.

Widgets are put inside the article's own container as well as around it, with
no class names to help, so the structural and textual rules are what is tested.
"""

from __future__ import annotations

import pytest

from arshif.article import validate
from arshif.extract import extract
from arshif.extract import ticker
from arshif.text import match_key
from extract_helpers import PARAGRAPHS, TITLE, page

NBSP4 = "\u00a0" * 4
HEADLINES = [
    "ارتفاع أسعار الأسماك في أسواق الساحل",
    "افتتاح جسر جديد فوق النهر الكبير",
    "فوز فريق الحي بكأس البطولة المدرسية",
    "تمديد فترة التسجيل في الجامعات الحكومية",
    "أمطار غزيرة متوقعة على المناطق الشمالية",
    "مهرجان للمسرح يستقبل فرقا من عشر دول",
]
links = "".join(f'<li><a href="/n/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES))
spans = NBSP4.join(f"<span>{h}</span>" for h in HEADLINES) + NBSP4

WIDGETS = {
    "marquee": f"<marquee>{' * '.join(HEADLINES)}</marquee>",
    "breaking-bar": f"<div><b>عاجل</b></div><div>{HEADLINES[0]}</div>",
    "ticker-label-links": f"<div><div>شريط الأخبار</div><ul>{links}</ul></div>",
    "latest-news-label": f"<div><span>أخر الأخبار</span><ul>{links}</ul></div>",
    "run-of-short-links": f"<ul>{links}</ul>",
    "plain-span-ticker": f"<div>{spans}</div>",
    "plain-block-ticker": "<div>" + "".join(f"<div>{h}</div>" for h in HEADLINES) + "</div>",
    "report-modal": "<div><p>شكرا على الإبلاغ!</p><p>سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.</p></div>",
    "source-link": '<p><a href="http://example.org/x">انقر هنا لقراءة الخبر من مصدره.</a></p>',
    "read-also": '<p>اقرأ أيضا: <a href="/n/9">لجنة لمراجعة أسعار تذاكر الحافلات</a></p>',
    "watch-also": '<p><a href="/n/8">شاهد أيضا: جولة مصورة داخل السوق القديم</a></p>',
    "read-also-hamza": '<p><strong>إقرأ أيضاً</strong> <a href="/n/7">توسيع الميناء يبدأ الشهر المقبل</a></p>',
    "see-also": '<p>انظر أيضا: <a href="/n/6">بلدية تطلق تطبيقا للإبلاغ عن الأعطال</a></p>',
    "related-card": '<div class="related-card"><a href="/n/5"><img src="/i.jpg" alt=""><span>مكتبة متنقلة تجوب القرى النائية كل خميس</span></a></div>',
    "related-box": f"<div><h3>أخبار ذات صلة</h3><ul>{links}</ul></div>",
    "most-read": f"<div><h3>الأكثر قراءة</h3><ol>{links}</ol></div>",
    "share-text": '<div>شارك على: <a href="#">فيسبوك</a> <a href="#">تويتر</a></div>',
    "follow-text": "<p>تابعوا آخر الأخبار عبر تطبيق تيليجرام الخاص بنا</p>",
    "comment-form": "<div><p>الإسم *</p><p>البريد الألكتروني *</p><p>عنوان التعليق *</p><p>تعليق *</p>"
    "<p>شروط النشر: عدم الإساءة للكاتب أو للأشخاص أو للمقدسات أو مهاجمة الأديان.</p>"
    "<p>اُوافق على شروط الأستخدام</p></div>",
    "newsletter": "<div><p>اشترك في النشرة البريدية لتصلك آخر الأخبار كل صباح</p></div>",
    "figcaption": '<figure><img src="/a.jpg" alt=""><figcaption>منظر عام للوادي من أعلى التل</figcaption></figure>',
    "image-credit": "<p>© تصوير وكالة الأنباء المحلية</p>",
    "breadcrumb": '<div class="breadcrumb"><a href="/">الرئيسية</a> &gt; <a href="/local">محليات</a> &gt; <span>بيئة</span></div>',
    "update-stamp": "<div>آخر تحديث GMT 06:25:28</div>",
    "dated-related": '<div><div>GMT 14:23 2017 الثلاثاء ,26 كانون الأول / ديسمبر</div><div><a href="/n/4">حملة لتنظيف الشواطئ يشارك فيها مئات المتطوعين</a></div>'
    '<div>GMT 19:03 2019 الجمعة ,22 آذار/ مارس</div><div><a href="/n/3">عرض مسرحي للأطفال في دار الثقافة</a></div></div>',
    "copyright": "<div>جميع الحقوق محفوظة لمجموعة الأفق الإعلامية 2023 ©</div>",
    "tags-label": '<div><span>الكلمات الدالة:</span> <a href="/t/1">حدائق</a> <a href="/t/2">سياحة</a></div>',
    "reading-time": "<div>مدة القراءة: 3 دقائق</div>",
}

# Text that belongs to the widget and must never reach the body.
LEAKS = {
    "marquee": HEADLINES[1], "breaking-bar": HEADLINES[0], "ticker-label-links": HEADLINES[2],
    "latest-news-label": HEADLINES[3], "run-of-short-links": HEADLINES[4],
    "plain-span-ticker": HEADLINES[5], "plain-block-ticker": HEADLINES[3], "report-modal": "سيتم حجب هذه الصورة",
    "source-link": "انقر هنا لقراءة الخبر", "read-also": "لجنة لمراجعة أسعار تذاكر الحافلات",
    "watch-also": "جولة مصورة داخل السوق القديم", "read-also-hamza": "توسيع الميناء يبدأ الشهر المقبل",
    "see-also": "بلدية تطلق تطبيقا للإبلاغ", "related-card": "مكتبة متنقلة تجوب القرى",
    "related-box": "أخبار ذات صلة", "most-read": HEADLINES[0], "share-text": "شارك على",
    "follow-text": "تابعوا آخر الأخبار", "comment-form": "البريد الألكتروني",
    "newsletter": "اشترك في النشرة البريدية", "figcaption": "منظر عام للوادي",
    "image-credit": "تصوير وكالة الأنباء", "breadcrumb": "الرئيسية", "update-stamp": "آخر تحديث",
    "dated-related": "حملة لتنظيف الشواطئ", "copyright": "جميع الحقوق محفوظة",
    "tags-label": "الكلمات الدالة", "reading-time": "مدة القراءة",
}


def _check(html: str, leak: str) -> None:
    record = extract(html, "https://news.example/a/1").to_dict()
    validate(record)
    body = record["body"]
    assert body.split("\n") == PARAGRAPHS, body
    assert match_key(leak) not in match_key(body)
    assert record["title"] == TITLE


@pytest.mark.parametrize("kind", sorted(WIDGETS))
@pytest.mark.parametrize("where", ["inside_before", "inside_after"])
def test_widget_inside_the_article_container_is_dropped(kind, where):
    _check(page(**{where: WIDGETS[kind]}), LEAKS[kind])


@pytest.mark.parametrize("kind", sorted(WIDGETS))
@pytest.mark.parametrize("where", ["before", "after"])
def test_widget_around_the_article_is_dropped(kind, where):
    _check(page(**{where: WIDGETS[kind]}), LEAKS[kind])


def test_all_widgets_at_once():
    html = page(
        before="".join(WIDGETS.values()),
        inside_before=WIDGETS["plain-span-ticker"] + WIDGETS["breaking-bar"],
        inside_after=WIDGETS["read-also"] + WIDGETS["comment-form"] + WIDGETS["dated-related"],
        after=WIDGETS["ticker-label-links"] + WIDGETS["copyright"],
    )
    body = extract(html).body
    assert body.split("\n") == PARAGRAPHS
    for leak in LEAKS.values():
        assert match_key(leak) not in match_key(body)


def test_ticker_text_shape():
    assert ticker.is_ticker_text(NBSP4.join(HEADLINES))
    # A sentence with a doubled space somewhere is still prose.
    assert not ticker.is_ticker_text(PARAGRAPHS[0].replace(" ", "  ", 1))
    assert not ticker.is_ticker_text(PARAGRAPHS[1])
    assert ticker.is_ticker_label("عاجل") and ticker.is_ticker_label("آخر الأخبار")
    assert not ticker.is_ticker_label(PARAGRAPHS[0])


def test_kept_structure_subheadings_quotes_lists_dateline_credit():
    inner = (
        f"<p>عمّان - {PARAGRAPHS[0]}</p><h2>إجراءات السلامة</h2><p>{PARAGRAPHS[1]}</p>"
        f"<blockquote>لن نفتح أي مسار قبل التأكد من متانة كل جسر فيه.</blockquote>"
        f"<ul><li>المسار الشمالي</li><li>مسار الشلالات</li></ul>"
        f"<p>{PARAGRAPHS[2]}<br>{PARAGRAPHS[3]}</p><p>--(بترا)</p>"
    )
    html = page().replace("\n".join(f"<p>{p}</p>" for p in PARAGRAPHS), inner)
    assert extract(html).body.split("\n") == [
        f"عمّان - {PARAGRAPHS[0]}", "إجراءات السلامة", PARAGRAPHS[1],
        "لن نفتح أي مسار قبل التأكد من متانة كل جسر فيه.", "المسار الشمالي", "مسار الشلالات",
        PARAGRAPHS[2], PARAGRAPHS[3], "--(بترا)",
    ]


def test_byline_and_headline_repeated_in_body_are_dropped():
    html = page(inside_before=f"<p>كتب: نادر سليم</p><p>{TITLE}</p><p>12 مارس 2021</p>")
    assert extract(html).body.split("\n") == PARAGRAPHS


def test_empty_and_markup_only_pages_give_empty_bodies():
    for html in ("", "   ", "<html><body></body></html>", "<p>", "<<<>>>"):
        record = extract(html).to_dict()
        validate(record)
        assert record["body"] == ""


def test_old_table_layout_with_br_separated_text():
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<table><tr><td class="menu"><a href="/">الرئيسية</a> | <a href="/a">أخبار</a></td></tr>
<tr><td width="600"><h1>{TITLE}</h1>{'<br><br>'.join(PARAGRAPHS)}</td>
<td width="200"><b>أخبار ذات صلة</b><br><a href="/1">{HEADLINES[0]}</a><br><a href="/2">{HEADLINES[1]}</a>
<br>زوار الموقع اليوم: 1520</td></tr></table></body></html>"""
    assert extract(html).body.split("\n") == PARAGRAPHS


def test_framework_utility_classes_do_not_hide_article_text():
    half = len(PARAGRAPHS) // 2
    inner = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:half]) + (
        '<div class="overflow-hidden d-none d-md-block">'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[half:]) + "</div>"
    )
    html = page().replace("\n".join(f"<p>{p}</p>" for p in PARAGRAPHS), inner)
    assert extract(html).body.split("\n") == PARAGRAPHS


def test_hidden_elements_are_not_text():
    hidden = f'<p class="d-none">{HEADLINES[0]}</p><p style="display:none">{HEADLINES[1]}</p><p hidden>{HEADLINES[2]}</p>'
    body = extract(page(inside_before=hidden)).body
    assert body.split("\n") == PARAGRAPHS


def test_div_per_paragraph_layout():
    html = page().replace("<p>", "<div>").replace("</p>", "</div>")
    assert extract(html).body.split("\n") == PARAGRAPHS


def test_long_comment_thread_is_not_taken_for_the_article():
    comments = "".join(f'<div class="comment-body"><p>{p} {p}</p></div>' for p in PARAGRAPHS * 2)
    html = page(after=f'<section id="comments">{comments}</section>')
    assert extract(html).body.split("\n") == PARAGRAPHS


def test_article_split_by_an_ad_block_is_joined():
    first = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    rest = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    split = f'{first}</div><div class="ad-slot">إعلان</div><div class="story">{rest}'
    html = page().replace("\n".join(f"<p>{p}</p>" for p in PARAGRAPHS), split)
    assert extract(html).body.split("\n") == PARAGRAPHS


def test_page_without_long_paragraphs_falls_back_to_trafilatura():
    html = ("<html><body><h1>عنوان قصير</h1><div class='c'><p>جملة قصيرة هنا.</p>"
            "<p>وجملة أخرى قصيرة.</p><p>وثالثة أيضا هنا.</p></div></body></html>")
    record = extract(html).to_dict()
    validate(record)
    assert record["body"].split("\n") == ["جملة قصيرة هنا.", "وجملة أخرى قصيرة.", "وثالثة أيضا هنا."]
    assert any("trafilatura" in n for n in record["extraction"]["notes"])


def test_prose_that_merely_starts_like_boilerplate_is_kept():
    prose = [
        "شاهد آلاف المشجعين المباراة النهائية على شاشات عملاقة نصبت في الساحات العامة للمدينة.",
        "يمكنك أن تتخيل حجم الازدحام الذي عرفته الطرق المؤدية إلى الملعب قبل ساعات من البداية.",
        "وقال محام إن عبارة جميع الحقوق محفوظة لا تكفي وحدها لحماية المصنفات إذا لم تسجل لدى المكتب المختص، وإن كثيرا من المؤلفين يجهلون ذلك ويخسرون قضاياهم أمام المحاكم.",
    ]
    inner = "".join(f"<p>{p}</p>" for p in PARAGRAPHS + prose)
    html = page().replace("\n".join(f"<p>{p}</p>" for p in PARAGRAPHS), inner)
    assert extract(html).body.split("\n") == PARAGRAPHS + prose


def test_malformed_canonical_link_never_loses_the_body():
    html = page().replace("<head>", '<head><link rel="canonical" href="http://[broken/a">')
    record = extract(html, "https://news.example/a/1").to_dict()
    validate(record)
    assert record["body"].split("\n") == PARAGRAPHS


def test_xhtml_with_xml_declaration_is_parsed():
    html = '<?xml version="1.0" encoding="windows-1256"?>\n' + page()
    assert extract(html).body.split("\n") == PARAGRAPHS
