"""Table-driven tests for arshif.dates: every regional form, and things that are not dates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from arshif.article import schema
from arshif.dates import find_dates, parse_arabic_date, to_iso

REF = datetime(2024, 3, 10, 12, 0, tzinfo=timezone.utc)

# (text, expected record string or None). The expected value is written out by
# hand for each case: date only, naive page clock, or with an offset.
CASES = [
    # MSA / Egyptian month names, with spelling variants
    ("15 يناير 2021", "2021-01-15"),
    ("3 فبراير 2020", "2020-02-03"),
    ("22 مارس 2019", "2019-03-22"),
    ("1 أبريل 2018", "2018-04-01"),
    ("1 إبريل 2018", "2018-04-01"),
    ("9 ابريل 2018", "2018-04-09"),
    ("5 مايو 2022", "2022-05-05"),
    ("30 يونيو 2013", "2013-06-30"),
    ("30 يونيه 2013", "2013-06-30"),
    ("23 يوليو 2015", "2015-07-23"),
    ("23 يوليه 2015", "2015-07-23"),
    ("14 أغسطس 2016", "2016-08-14"),
    ("14 اغسطس 2016", "2016-08-14"),
    ("11 سبتمبر 2001", "2001-09-11"),
    ("6 أكتوبر 1973", "1973-10-06"),
    ("4 نوفمبر 2008", "2008-11-04"),
    ("31 ديسمبر 1999", "1999-12-31"),
    # Levantine / Iraqi, including the numbered Kanun/Tishrin forms
    ("2 كانون الثاني 2020", "2020-01-02"),
    ("10 كانون 2 2018", "2018-01-10"),
    ("14 شباط 2005", "2005-02-14"),
    ("8 آذار 2011", "2011-03-08"),
    ("13 نيسان 1975", "1975-04-13"),
    ("6 أيار 2018", "2018-05-06"),
    ("21 حزيران 2017", "2017-06-21"),
    ("4 تموز 2019", "2019-07-04"),
    ("4 آب 2020", "2020-08-04"),
    ("1 أيلول 2023", "2023-09-01"),
    ("17 تشرين الأول 2019", "2019-10-17"),
    ("17 تشرين 1 2019", "2019-10-17"),
    ("22 تشرين الثاني 1943", "1943-11-22"),
    ("9 تشرين 2 1989", "1989-11-09"),
    ("25 كانون الأول 2021", "2021-12-25"),
    ("25 كانون 1 2021", "2021-12-25"),
    # Algerian / Tunisian
    ("5 جانفي 2019", "2019-01-05"),
    ("22 فيفري 2019", "2019-02-22"),
    ("7 أفريل 2021", "2021-04-07"),
    ("1 ماي 2020", "2020-05-01"),
    ("19 جوان 1965", "1965-06-19"),
    ("5 جويلية 1962", "1962-07-05"),
    ("20 أوت 1955", "1955-08-20"),
    # Moroccan
    ("30 يوليوز 2022", "2022-07-30"),
    ("3 غشت 2021", "2021-08-03"),
    ("12 شتنبر 2022", "2022-09-12"),
    ("6 نونبر 1975", "1975-11-06"),
    ("18 دجنبر 2020", "2020-12-18"),
    # Combined forms and English names
    ("26 كانون الأول / ديسمبر 2017", "2017-12-26"),
    ("22 آذار/ مارس 2019", "2019-03-22"),
    ("3 مارس/ آذار 2024", "2024-03-03"),
    ("الأربعاء، 28 آب/اغسطس 2013", "2013-08-28"),
    ("24 نيسان / أبريل 2020", "2020-04-24"),
    ("December 26, 2017", "2017-12-26"),
    ("26 December 2017", "2017-12-26"),
    ("Mar 5, 2024", "2024-03-05"),
    # Eastern Arabic and Persian digits
    ("١٥ يناير ٢٠٢١", "2021-01-15"),
    ("۱۲ يناير ۲۰۲۳", "2023-01-12"),
    ("٠٦ - ٠٢ - ٢٠١٥", "2015-02-06"),
    ("٢٠٢٠/٠٦/٠٣", "2020-06-03"),
    # Numeric forms (day first, as Arabic pages write them)
    ("06 - 02 - 2015", "2015-02-06"),
    ("2020/06/03", "2020-06-03"),
    ("17.03.2020", "2020-03-17"),
    ("03/06/2020", "2020-06-03"),
    ("2019-02-08", "2019-02-08"),
    ("نشر بتاريخ 12/11/2022", "2022-11-12"),
    # Weekday names, times, 12-hour markers
    ("الثلاثاء 26 ديسمبر 2017", "2017-12-26"),
    ("الإثنين، 5 مايو 2025 - 10:15 ص", "2025-05-05T10:15"),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07T12:09"),
    ("الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "2020-04-24T21:22"),
    ("14 جويلية 2020 على الساعة 10:30 صباحا", "2020-07-14T10:30"),
    ("12 شتنبر 2022 - 10:15 م", "2022-09-12T22:15"),
    ("12:05 ص 3 يناير 2021", "2021-01-03T00:05"),
    ("5 مايو 2021 الساعة 5 مساء", "2021-05-05T17:00"),
    ("2026-01-08 | 12:42", "2026-01-08T12:42"),
    ("December 26, 2017 2:23 PM", "2017-12-26T14:23"),
    # GMT stamps, including bidi-shuffled ones, and explicit offsets
    ("GMT 14:23 2017 الثلاثاء ,26 كانون الأول / ديسمبر", "2017-12-26T14:23+00:00"),
    ("GMT 17:27 17.03.2020", "2020-03-17T17:27+00:00"),
    ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "2013-08-28T14:00+04:00"),
    ("آخر تحديث 09:40 GMT+3 الأحد 4 فبراير 2024", "2024-02-04T09:40+03:00"),
    ("Tue, 26 Dec 2017 14:23:00 GMT", "2017-12-26T14:23+00:00"),
    # ISO forms from metadata
    ("2020-06-03T03:01+0400", "2020-06-03T03:01+04:00"),
    ("2020-06-03T03:01:00+04:00", "2020-06-03T03:01+04:00"),
    ("2024-03-03T13:52:13.299Z", "2024-03-03T13:52:13+00:00"),
    ("2020-10-07 12:09:30", "2020-10-07T12:09:30"),
    # Hijri dates: converted (Umm al-Qura), Gregorian preferred when both are shown
    ("12 رمضان 1445 هـ", "2024-03-22"),
    ("1 محرم 1446هـ", "2024-07-07"),
    ("10 ذو الحجة 1444 هـ", "2023-06-28"),
    ("15 ربيع الأول 1445", "2023-09-30"),
    ("1445/09/12 هـ", "2024-03-22"),
    ("الأحد 12 رمضان 1445 هـ الموافق 24 مارس 2024 م", "2024-03-24"),
    # Relative dates against the reference (2024-03-10 12:00 UTC)
    ("منذ ساعتين", "2024-03-10T10:00+00:00"),
    ("منذ ساعة", "2024-03-10T11:00+00:00"),
    ("منذ 5 دقائق", "2024-03-10T11:55+00:00"),
    ("آخر تحديث: منذ 5 دقائق", "2024-03-10T11:55+00:00"),
    ("منذ 3 أيام", "2024-03-07"),
    ("منذ ثلاثة أيام", "2024-03-07"),
    ("منذ يومين", "2024-03-08"),
    ("قبل أسبوع", "2024-03-03"),
    ("أمس", "2024-03-09"),
    ("أول أمس", "2024-03-08"),
    ("اليوم", "2024-03-10"),
    ("اليوم 10:30", "2024-03-10T10:30"),
    ("2 hours ago", "2024-03-10T10:00+00:00"),
    # Each clock time belongs to the date next to it
    ("نشر 5 مايو 2022 - تحديث 6 مايو 2022 10:30", "2022-05-05"),
    ("نشر 5 مايو 2022 09:00 - تحديث 6 مايو 2022 10:30", "2022-05-05T09:00"),
    ("GMT 10:05 03.04.2021 (محدثة GMT 11:40 03.04.2021)", "2021-04-03T10:05+00:00"),
    # A day and month without a year take the reference's year (latest such day)
    ("الثلاثاء 26 ديسمبر", "2023-12-26"),
    ("5 مارس", "2024-03-05"),
]

NOT_DATES = [
    "",
    "   ",
    "2024",
    "2023 ©",
    "© 2010 - 2024 جميع الحقوق محفوظة",
    "جميع الحقوق محفوظة 2023",
    "0123-456-789",
    "+966 11 234 5678",
    "هاتف: 02-2345-6789",
    "123456",
    "3.14",
    "14:23",
    "مارس 2024",
    "كانون الثاني",
    "اليوم العالمي للسكري",
    "قتلى منذ 3 أيام في غزة",
    "الخامس من الشهر",
    "رجب طيب أردوغان يزور القاهرة",
    "صفر إصابات جديدة في المدينة",
    "السعودية الأولى خليجياً في مؤشر الأداء",
    "فاز الفريق 3-2 في المباراة",
    "32 ديسمبر 2020",
    "29 فبراير 2023",
    "2020/13/45",
    "10 رمضان 1200 هـ",
    "۱۴۰۲/۱۲/۱۲",  # an unmarked year 1402 is the Persian solar calendar, not Hijri
    "1402/12/12 ه.ش",
]

ISO_PATTERN = re.compile(schema()["$defs"]["isodate"]["pattern"])


def test_the_table_is_large_and_covers_every_form():
    assert len(CASES) >= 80
    assert len(NOT_DATES) >= 20


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_arabic_date(text, expected):
    value = parse_arabic_date(text, reference=REF)
    iso = to_iso(value)
    assert iso == expected
    assert ISO_PATTERN.match(iso), "records must accept what the parser emits"


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text):
    assert parse_arabic_date(text, reference=REF) is None


def test_return_types_say_what_is_known():
    assert type(parse_arabic_date("5 مايو 2022")) is date
    naive = parse_arabic_date("5 مايو 2022 10:30")
    assert isinstance(naive, datetime) and naive.tzinfo is None
    aware = parse_arabic_date("GMT 10:30 5 مايو 2022")
    assert aware.utcoffset() == timedelta(0)


def test_relative_dates_follow_the_reference():
    later = REF + timedelta(days=40)
    assert parse_arabic_date("أمس", reference=later) == (later - timedelta(days=1)).date()
    assert parse_arabic_date("منذ ساعتين", reference=later) == later - timedelta(hours=2)


def test_month_first_locale_for_ambiguous_numbers():
    assert parse_arabic_date("03/06/2020", locale="mdy") == date(2020, 3, 6)
    # Unambiguous numbers are read the only way they can be, whatever the default.
    assert parse_arabic_date("03/26/2020") == date(2020, 3, 26)


def test_find_dates_keeps_the_original_text_and_calendar():
    text = "الأحد ١٢ رمضان ١٤٤٥ هـ الموافق ٢٤ مارس ٢٠٢٤"
    found = find_dates(text)
    assert [(m.calendar, m.value) for m in found] == [
        ("hijri", date(2024, 3, 22)),
        ("gregorian", date(2024, 3, 24)),
    ]
    assert found[0].text == "١٢ رمضان ١٤٤٥"
    assert text[found[1].start:found[1].end] == found[1].text == "٢٤ مارس ٢٠٢٤"


def test_find_dates_in_running_text():
    text = "وصل الوفد في 3 مارس 2024 وغادر يوم 2024/03/09 بعد اجتماعات."
    assert [m.value for m in find_dates(text)] == [date(2024, 3, 3), date(2024, 3, 9)]


def test_each_stamp_keeps_its_own_time():
    text = "نشر 5 مايو 2022 10:00 - تحديث 6 مايو 2022 11:30 - تصحيح 7 مايو 2022 12:45"
    assert [to_iso(m.value) for m in find_dates(text)] == [
        "2022-05-05T10:00", "2022-05-06T11:30", "2022-05-07T12:45"
    ]


def test_to_iso_forms():
    assert to_iso(None) is None
    assert to_iso(date(2020, 1, 2)) == "2020-01-02"
    assert to_iso(datetime(2020, 1, 2, 3, 4)) == "2020-01-02T03:04"
    assert to_iso(datetime(2020, 1, 2, 3, 4, 5)) == "2020-01-02T03:04:05"
    tz = timezone(timedelta(hours=-3, minutes=-30))
    assert to_iso(datetime(2020, 1, 2, 3, 4, tzinfo=tz)) == "2020-01-02T03:04-03:30"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["12", "٠٣", "۱۴۰۲", "2024", "/", "-", ".", ":", " ", "،", "كانون", "2", "الأول", "مارس", "آذار",
     "رمضان", "هـ", "GMT", "+03:00", "م", "ص", "منذ", "ساعتين", "أمس", "T", "Z", "الثلاثاء", "1445"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_never_raises_and_always_emits_schema_valid_iso(text):
    value = parse_arabic_date(text, reference=REF)
    if value is not None:
        assert ISO_PATTERN.match(to_iso(value))
