"""`arshif clean`: already-extracted text (as copied from aggregator and
Arabs-Today-style pages) -> the same record type."""

from __future__ import annotations

import json
import subprocess
import sys

from arshif.article import validate
from arshif.extract.textclean import clean_article

NBSP4 = "\u00a0" * 4
TICKER = NBSP4.join([
    "افتتاح سوق أسبوعي جديد في ضواحي المدينة",
    "منتخب الشباب يفوز في مباراته الودية الأولى",
    "ارتفاع منسوب السدود بعد أمطار الأسبوع",
    "تكريم معلمين متقاعدين في حفل بالمركز الثقافي",
    "تعليق الدراسة يوم الخميس بسبب العاصفة",
]) + NBSP4

BODY = [
    "وافق المجلس البلدي في جلسته الأخيرة على تحويل مبنى السينما القديمة إلى مركز ثقافي يضم قاعة عروض ومكتبة وورشات للأطفال، بعد سنوات من الإهمال.",
    "وقال رئيس المجلس إن المشروع سيمول من ميزانية الجماعة ومن منحة قدمتها مؤسسة خاصة، على أن تنطلق الأشغال في بداية الخريف المقبل.",
    "- سيحافظ التصميم على الواجهة الأصلية للمبنى وعلى لوحته الضوئية الشهيرة.",
    "ويرى سكان الحي أن المركز سيعيد الحياة إلى شارع فقد الكثير من محلاته خلال العقد الأخير، ويطالبون بأن تكون أسعار أنشطته في متناول الأسر.",
]
TITLE = "المجلس البلدي يقرر تحويل السينما القديمة إلى مركز ثقافي"
SUBTITLE = "الأشغال تنطلق في الخريف وتحافظ على الواجهة الأصلية"

AGGREGATOR_TEXT = "\n".join([
    TICKER, "", "", "", "شكرا على الإبلاغ!",
    "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.", "", "",
    TITLE, SUBTITLE, "نشر في الصباح يوم 09 - 11 - 2016", "", *BODY, "", "",
    "انقر هنا لقراءة الخبر من مصدره.",
])

ARABSTODAY_TEXT = "\n".join([
    "آخر تحديث GMT 11:02:45", "الرباط اليوم  -", "", TITLE, "", "الرباط اليوم  -", "",
    "الرباط اليوم  - المجلس البلدي يقرر", "", "مبنى السينما القديمة", "الرباط – المغرب اليوم", "",
    *[p for b in BODY for p in (b, "")],
    "rabattoday", "rabattoday", "", "الإسم *", "", "البريد الألكتروني *", "", "عنوان التعليق *", "",
    "تعليق *", "", ": Characters Left", "", "إلزامي *", "", "شروط الاستخدام", "",
    "شروط النشر: عدم الإساءة للكاتب أو للأشخاص أو للمقدسات أو مهاجمة الأديان أو الذات الالهية.", "",
    "اُوافق على شروط الأستخدام", "", "Security Code*", "",
    f"{TITLE} {TITLE}", "", "GMT 14:23 2017 الثلاثاء ,26 كانون الأول / ديسمبر", "",
    "مهرجان للموسيقى الأندلسية في فاس", "", "GMT 09:41 2018 الأربعاء ,18 كانون الثاني / يناير", "",
    "افتتاح خط بحري بين طنجة والجزيرة الخضراء", "",
    "Maintained and developed by Arabs Today Group SAL",
    "جميع الحقوق محفوظة لمجموعة العرب اليوم الاعلامية 2023 ©",
])


def test_aggregator_text_gives_title_subtitle_source_date_and_clean_body():
    a = clean_article(AGGREGATOR_TEXT)
    record = a.to_dict()
    validate(record)
    assert a.title == TITLE
    assert a.subtitle == SUBTITLE
    assert (a.source, a.published) == ("الصباح", "2016-11-09")
    assert a.body.split("\n") == BODY
    assert record["extraction"]["method"] == "clean"


def test_arabstoday_text_drops_labels_caption_form_related_and_footer():
    a = clean_article(ARABSTODAY_TEXT)
    validate(a.to_dict())
    assert a.title == TITLE
    assert a.subtitle == ""
    assert a.body.split("\n") == BODY


def test_text_without_noise_is_kept_whole():
    a = clean_article("\n".join(BODY))
    assert a.body.split("\n") == BODY


def test_empty_text_gives_an_empty_record():
    record = clean_article("").to_dict()
    validate(record)
    assert record["body"] == "" and record["title"] == ""


def _clean(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arshif", "clean", *args],
                          input=stdin, capture_output=True, timeout=120)


def test_cli_stdin_files_jsonl_and_errors(tmp_path):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(AGGREGATOR_TEXT, encoding="utf-8")
    two.write_bytes(ARABSTODAY_TEXT.encode("utf-8"))
    run = _clean(stdin=AGGREGATOR_TEXT.encode())
    assert run.returncode == 0
    record = json.loads(run.stdout)
    validate(record)
    assert record["source"] == "الصباح"

    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    run = _clean(str(one), str(tmp_path / "nope.txt"), str(binary), str(two))
    assert run.returncode == 1
    lines = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert [("error" in line) for line in lines] == [False, True, True, False]
    assert lines[3]["title"] == TITLE
    assert "Traceback" not in run.stderr.decode()


def test_ticker_pasted_one_headline_per_line_is_not_the_title():
    headlines = TICKER.replace(NBSP4, "\n").strip().split("\n")
    text = "\n".join([*headlines, "", TITLE, "", *BODY])
    a = clean_article(text)
    assert a.title == TITLE
    assert a.body.split("\n") == BODY


def test_prose_after_a_long_run_of_footer_lines_is_not_body():
    reader_comment = ("تعليق من قارئ: أتمنى أن ينجح هذا المشروع وأن تفتح مراكز مماثلة في الأحياء "
                      "الأخرى التي تفتقر إلى أي فضاء ثقافي أو رياضي للشباب والأطفال.")
    text = ARABSTODAY_TEXT + "\n\n" + reader_comment
    a = clean_article(text)
    assert a.body.split("\n") == BODY
