"""Author names from bylines: strip the byline words, the city and the outlet.

An Arabic byline mixes a lead word ("بقلم", "كتب", "حوار:"), the person, the
city ("القاهرة -") and often the outlet or an agency ("(أبوظبي - البيان)").
Only the people are authors; a byline naming only an outlet or place gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from arshif.dates import fold
from arshif.text import clean_line, match_key

# Words that open a byline; the name follows.
BYLINE_WORDS = (
    "بقلم", "كتب", "كتبت", "كتبه", "كتبها", "اعداد", "إعداد", "تحرير", "حوار", "حاوره", "حاورته",
    "حاورها", "أجرى الحوار", "اجرى الحوار", "متابعة", "تقرير", "ترجمة", "تصوير", "إشراف",
    "اشراف", "المحرر", "by", "author", "written by", "reporter", "نوشته", "از", "تحریر",
)
_LEAD = re.compile(
    r"^\s*(?:" + "|".join(sorted(map(re.escape, BYLINE_WORDS), key=len, reverse=True)) + r")"
    r"(?![^\W\d_])\s*[:：,،\-–—]?\s*",
    re.IGNORECASE,
)
# Places that open or close a byline. Capitals and large cities of the Arab
# world and the usual foreign datelines; a byline part equal to one is a dateline.
CITIES = frozenset(match_key(c) for c in (
    "القاهرة", "الإسكندرية", "الجيزة", "الرياض", "جدة", "مكة", "مكة المكرمة", "المدينة المنورة",
    "الدمام", "أبوظبي", "أبو ظبي", "دبي", "الشارقة", "الدوحة", "الكويت", "المنامة", "مسقط",
    "بيروت", "دمشق", "حلب", "عمان", "عمّان", "القدس", "رام الله", "غزة", "بغداد", "البصرة",
    "أربيل", "الموصل", "صنعاء", "عدن", "الخرطوم", "طرابلس", "بنغازي", "تونس", "صفاقس",
    "الجزائر", "وهران", "قسنطينة", "الرباط", "الدار البيضاء", "فاس", "مراكش", "طنجة",
    "نواكشوط", "جيبوتي", "مقديشو", "الخليل", "نابلس", "جنين", "اللاذقية", "حمص", "طهران",
    "إسطنبول", "اسطنبول", "أنقرة", "واشنطن", "نيويورك", "لندن", "باريس", "موسكو", "برلين",
    "بروكسل", "جنيف", "روما", "مدريد", "بكين", "طوكيو", "نيودلهي", "إسلام آباد", "كابول",
    "الأقصر", "أسوان", "بورسعيد", "المنصورة", "طنطا", "الزقازيق", "الإسماعيلية", "السويس",
    "العقبة", "إربد", "الزرقاء", "صيدا", "صور", "طرابلس الغرب", "المكلا", "تعز", "الحديدة",
))
# Agencies and generic staff credits: never a person.
AGENCIES = frozenset(match_key(a) for a in (
    "وكالات", "الوكالات", "وكالة", "رويترز", "أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس",
    "فرانس بريس", "وكالة فرانس برس", "أسوشيتد برس", "اسوشيتد برس", "أ ب", "د ب أ", "د.ب.أ",
    "الأناضول", "الاناضول", "بترا", "وام", "واس", "سانا", "قنا", "كونا", "بنا", "العمانية",
    "أ ش أ", "أ.ش.أ", "وكالة أنباء الشرق الأوسط", "سبوتنيك", "شينخوا", "إرنا", "ارنا", "تسنيم",
    "فارس", "مهر", "إيسنا", "ايرنا", "reuters", "afp", "ap", "dpa", "xinhua", "anadolu",
    "المحرر", "محرر الموقع", "فريق التحرير", "هيئة التحرير", "التحرير", "مراسلنا", "مراسلو",
    "خاص", "متابعات", "متابعة", "القسم", "قسم الأخبار", "admin", "editor", "staff",
    "bbc", "cnn", "بي بي سي", "بي بي سي نيوز", "سي إن إن", "الجزيرة", "الجزيرة نت", "العربية",
))
# Interface words that byline boxes carry around the names ("Article information", "المزيد").
_UI_WORDS = frozenset(match_key(w) for w in (
    "article", "information", "share", "follow", "comments", "more", "read", "author", "authors",
    "contact", "profile", "posts", "articles", "الكاتب", "الكتاب", "المزيد", "شارك", "تابع", "جميع",
    "مقالات", "اقرأ", "تعليقات", "مشاركة", "الأكثر",
))
_SPLIT = re.compile(r"\s*(?:[,،؛;&|/]|\band\b|\s-\s|\s–\s)\s*", re.IGNORECASE)
_PHOTO = re.compile(r"^\s*(?:تصوير|عدسة|photos?|photography)(?![^\W\d_])", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?:|www\.|@|\d|[<>{}=]")


def strip_byline(text: str) -> str:
    """"بقلم: فلان" -> "فلان" (repeatedly, for "كتب - بقلم ...")."""
    text = clean_line(text)
    for _ in range(3):
        new = _LEAD.sub("", text, count=1)
        if new == text:
            break
        text = new
    return text.strip(" :-–—,،")


def _is_place_or_outlet(part: str, outlets: set[str]) -> bool:
    key = match_key(part)
    if not key:
        return True
    if key in CITIES or key in AGENCIES or key in outlets:
        return True
    # "وكالة الأنباء الأردنية", "مراسل البيان": credits, not people.
    head = key.split()[0]
    if head in {"وكاله", "مراسل", "مراسله", "موقع", "صحيفه", "جريده", "قناه", "مجله", "شبكه"}:
        return True
    compact = key.replace(" ", "")
    return any(len(o) >= 3 and (compact == o.replace(" ", "") or (len(compact) >= 3 and compact in o.replace(" ", ""))) for o in outlets if o.isascii() == compact.isascii())


def clean_authors(raw: Iterable[str], outlets: Iterable[str] = ()) -> list[str]:
    """People named in byline strings; cities, agencies and the site's own name dropped."""
    outlet_keys = {match_key(o) for o in outlets if o}
    outlet_keys.discard("")
    found: list[str] = []
    for text in raw:
        text = strip_byline(text or "")
        # A parenthesised credit is a dateline or an outlet: "(أبوظبي - البيان)".
        text = re.sub(r"\([^)]*\)", " ", text)
        # "فلان - القاهرة", "القاهرة: فلان": drop the parts that are places or outlets.
        parts = [p for p in _SPLIT.split(text) if p]
        for part in parts:
            if _PHOTO.match(part):
                continue  # the photographer is credited, not an author
            for piece in re.split(r"\s*:\s*", part):
                name = strip_byline(piece).strip(" .()[]\"'«»")
                if not name or _NOT_A_NAME.search(name) or len(name.split()) > 6:
                    continue
                if _is_place_or_outlet(name, outlet_keys) or set(match_key(name).split()) & _UI_WORDS:
                    continue
                name = _drop_trailing_city(name)
                if name and name not in found:
                    found.append(name)
    return found


def _drop_trailing_city(name: str) -> str:
    """"فلان الفلاني من القاهرة" -> "فلان الفلاني"."""
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n and match_key(" ".join(words[-n:])) in CITIES:
            rest = words[:-n]
            if rest and fold(rest[-1]) in ("من", "في"):
                rest = rest[:-1]
            return " ".join(rest)
    return name


def byline_line(text: str) -> str | None:
    """A text line that is a byline ("حوار: فلان"): the raw names, else None."""
    line = clean_line(text)
    if not line or len(line) > 80 or not _LEAD.match(line):
        return None
    rest = strip_byline(line)
    return rest if rest and len(rest.split()) <= 8 else None
