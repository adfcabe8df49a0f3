"""Helpers for the extraction tests: the fixture pages and a page builder."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

# Invented article paragraphs used by the page builder.
PARAGRAPHS = [
    "أعلنت إدارة الحديقة الوطنية أنها ستغلق المسارات الجبلية أمام الزوار طوال الأسبوع المقبل، بسبب أعمال صيانة الجسور الخشبية التي تضررت من السيول الأخيرة.",
    "وقال مدير الحديقة إن الفرق الفنية ستستبدل الألواح المتآكلة وتثبت حواجز جديدة على المنحدرات، مؤكدا أن سلامة الزوار تأتي قبل أي اعتبار آخر.",
    "ويقصد الحديقة في فصل الربيع آلاف العائلات والطلاب، لمشاهدة الأزهار البرية التي تغطي السفوح والاستمتاع بالينابيع المنتشرة على طول الوادي.",
    "وتنصح الإدارة الراغبين في الزيارة بالاكتفاء بالمنطقة السفلى المجهزة بالمقاعد والمظلات، إلى أن يعاد فتح المسارات بعد انتهاء الأشغال.",
]
TITLE = "إغلاق مؤقت للمسارات الجبلية في الحديقة الوطنية"


def fixture_pages() -> list[Path]:
    return sorted(FIXTURES.glob("*.html"))


def expected(page: Path) -> dict:
    return json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))


def page(before: str = "", after: str = "", *, inside_before: str = "", inside_after: str = "") -> str:
    """A plain news page; widgets go around the article or inside its container."""
    paras = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{TITLE} - موقع تجريبي</title></head><body>
<div class="top"><a href="/">الرئيسية</a> <a href="/local">محليات</a></div>
{before}
<div class="wrapper"><h1>{TITLE}</h1>
<div class="story">
{inside_before}
{paras}
{inside_after}
</div></div>
{after}
</body></html>"""
