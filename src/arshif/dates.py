"""Dates as Arabic news pages write them -> `date` / `datetime`, and back to ISO.

Reads every regional month-naming system (MSA/Egyptian, Levantine/Iraqi,
Maghrebi, Moroccan, English), Eastern Arabic and Persian digits, numeric
forms, weekday names, 12-hour markers (ص/م, صباحا/مساء), GMT stamps whose
parts a bidi renderer shuffled, Hijri dates (converted with `hijridate`) and
relative dates ("منذ ساعتين", "أمس") against a reference time.

Pure functions, no I/O. A value is only returned when the text states a whole
day: a year or a month alone is never a date, and unknown stays None.

Return values: a `date` when only the day is known; a `datetime` when a time
is shown too — timezone-aware when the text states a zone (GMT, +03:00, an
ISO offset), naive (the page's local clock) when it does not, because
inventing a zone would be a guess.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime

# --- normalisation -----------------------------------------------------------

# One character in, one character out, so match offsets map back to the input.
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ی": "ي", "ئ": "ي", "ة": "ه", "ک": "ك", "ؤ": "و",
        "،": ",", "٫": ".", "٬": ",", "؛": ";", "–": "-", "—": "-", "／": "/",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
# Dropped entirely: diacritics, tatweel, zero-width and bidi controls.
_DROP = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\u00ad]"
)


_DIGIT = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Folded lower-case text plus, for each of its characters, the index in `text`."""
    if not _DROP.search(text):
        fast = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
        if len(fast) == len(text):  # the usual case: one character for one
            return fast, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if _DROP.match(ch):
            continue
        folded = unicodedata.normalize("NFKC", ch).translate(_FOLD).lower()
        for c in folded:
            out.append(c)
            where.append(i)
    return "".join(out), where


def fold(text: str) -> str:
    """The comparison form used by this module (and by metadata label matching)."""
    return _normalise(text)[0]


# --- vocabulary (folded spellings) ------------------------------------------

_GREGORIAN_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "كانون 2", "جانفي", "جانفييه", "ژانويه",
        "january", "jan"),
    2: ("فبراير", "فبرير", "شباط", "فيفري", "فوريه", "february", "feb"),
    3: ("مارس", "اذار", "march", "mar"),
    4: ("ابريل", "افريل", "نيسان", "اپريل", "اوريل", "april", "apr"),
    5: ("مايو", "ماي", "ايار", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "ژوين", "june", "jun"),
    7: ("يوليو", "يوليه", "تموز", "جويليه", "يوليوز", "ژوييه", "july", "jul"),
    8: ("اغسطس", "اغسطوس", "اب", "اوت", "غشت", "اگوست", "august", "aug"),
    9: ("سبتمبر", "ايلول", "شتنبر", "سپتامبر", "september", "sept", "sep"),
    10: ("اكتوبر", "تشرين الاول", "تشرين اول", "تشرين 1", "اكتبر", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "تشرين 2", "نونبر", "نوامبر",
         "november", "nov"),
    12: ("ديسمبر", "كانون الاول", "كانون اول", "كانون 1", "دجنبر", "دسامبر",
         "december", "dec"),
}
_HIJRI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الاول", "ربيع اول"),
    4: ("ربيع الثاني", "ربيع الاخر", "ربيع ثاني", "ربيع اخر"),
    5: ("جمادي الاولي", "جمادي الاول", "جمادي اولي"),
    6: ("جمادي الاخره", "جمادي الثانيه", "جمادي الاخر", "جمادي الثاني", "جمادي اخره"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعده", "ذي القعده", "ذوالقعده"),
    12: ("ذو الحجه", "ذي الحجه", "ذوالحجه"),
}
WEEKDAYS = (
    "الاثنين", "الاتنين", "الثلاثاء", "الثلاثا", "الاربعاء", "الاربعا", "الخميس", "الجمعه",
    "السبت", "الاحد", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "دوشنبه", "سه شنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "يكشنبه",
)

_MONTH_NUMBER: dict[str, tuple[str, int]] = {}
for _cal, _table in (("gregorian", _GREGORIAN_MONTHS), ("hijri", _HIJRI_MONTHS)):
    for _n, _names in _table.items():
        _table[_n] = _names = tuple(map(fold, _names))  # tolerate spellings typed unfolded
        for _name in _names:
            _MONTH_NUMBER[_name.replace(" ", "")] = (_cal, _n)


def _alternation(names) -> str:
    # Longest first so "كانون الثاني" wins over "كانون 2" wins over a shorter name.
    return "|".join(re.escape(n).replace(r"\ ", r"\s*") for n in sorted(names, key=len, reverse=True))


_ALL_MONTHS = [n for t in (_GREGORIAN_MONTHS, _HIJRI_MONTHS) for names in t.values() for n in names]
_M = rf"(?<![^\W\d_])(?:{_alternation(_ALL_MONTHS)})(?![^\W\d_])"
# A month, optionally doubled with its other name: "كانون الأول / ديسمبر", "مارس/ آذار".
_MONTH = rf"(?P<m>{_M})(?:\s*[/|\-(]\s*(?P<m2>{_M})\)?)?"
_WD = rf"(?:(?:{_alternation(map(fold, WEEKDAYS))})\s*[,.]?\s*)"
_SUFFIX = r"(?:st|nd|rd|th|er)?"
# "هـ" (folded to "ه"), "هجري", "AH" — but not "ه.ش", the Persian solar calendar.
_HIJRI_MARK = r"\s*(?:ه|هجري|هجريه|ah)(?![^\W\d_])(?!\s*\.?\s*ش)"

_NAMED_PATTERNS = (
    # 26 كانون الأول / ديسمبر 2017 ; 3 مارس/ آذار 2024 ; 17 رمضان 1445 هـ
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}}){_SUFFIX}\s*(?:من\s*)?(?:شهر\s*)?{_MONTH}\s*(?:سنه|عام)?\s*[,.\-]?\s*(?P<y>\d{{4}})(?!\d)"
    ),
    # December 26, 2017 ; ديسمبر 26، 2017
    re.compile(rf"{_MONTH}\s+(?P<d>\d{{1,2}}){_SUFFIX}\s*[,.]?\s*(?P<y>\d{{4}})(?!\d)"),
    # 2017 الثلاثاء ,26 كانون الأول: the year before the day when bidi reordered a stamp
    re.compile(rf"(?<![\d:])(?P<y>\d{{4}})\s*[,.]?\s*{_WD}?[,.]?\s*(?P<d>\d{{1,2}})\s*{_MONTH}"),
    # 26 ديسمبر (no year next to it; the year is looked for nearby)
    re.compile(rf"(?<![\d:.])(?P<d>\d{{1,2}}){_SUFFIX}\s*(?:من\s*)?{_MONTH}"),
)
_SEP = r"\s*[-/.]\s*"
_NUMERIC_PATTERNS = (
    re.compile(rf"(?<![\d.+/:\-])(?P<y>\d{{4}}){_SEP}(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}})(?![\d/]|\.\d|-\d)"),
    re.compile(rf"(?<![\d.+/:\-])(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}}){_SEP}(?P<y>\d{{4}})(?![\d/]|\.\d|-\d)"),
)
_TIME = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})\s*:\s*(?P<mi>\d{2})(?:\s*:\s*(?P<s>\d{2}))?(?![\d])"
    r"(?:\s*(?P<ap>am|pm|a\.m\.|p\.m\.|صباحا|صباح|مساء|مساءا|ظهرا|عصرا|ليلا|فجرا|ص|م)(?![^\W\d_]))?"
)
# "الساعة 5 مساء": an hour with no minutes, only trusted with a period word.
_HOUR_ONLY = re.compile(
    r"الساعه\s*(?P<h>\d{1,2})\s*(?P<ap>صباحا|صباح|مساء|مساءا|ظهرا|عصرا|ليلا|فجرا|ص|م)(?![^\W\d_])"
)
_ZONE = re.compile(
    r"(?:(?P<name>gmt|utc|غرينتش|جرينتش|غرينيتش|z(?![a-z]))\s*(?:(?P<sign>[+-])\s*(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?)?"
    r"|(?<![\d])(?P<sign2>[+-])(?P<zh2>\d{2}):?(?P<zm2>\d{2})(?!\d))"
)
_PM = {"pm", "p.m.", "م", "مساء", "مساءا", "ظهرا", "عصرا", "ليلا"}
_AM = {"am", "a.m.", "ص", "صباحا", "صباح", "فجرا"}

# Words that may surround a date on a page ("نشر في", "آخر تحديث") — anything
# else left over around a relative expression means it is prose, not a stamp.
_LABEL_WORDS = {
    "نشر", "نشرت", "منشور", "تم", "النشر", "في", "اخر", "تحديث", "التحديث", "محدث", "بتاريخ",
    "التاريخ", "تاريخ", "الساعه", "published", "updated", "posted", "on", "at", "last", "update",
    "-", "|", ":", ",", ".", "،",
}


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date found in a text: the value and the exact text it was read from."""

    value: date | datetime
    text: str  # the original characters, as shown on the page
    start: int
    end: int
    calendar: str = "gregorian"  # "gregorian", "hijri", "iso", "relative"

    @property
    def has_time(self) -> bool:
        return isinstance(self.value, datetime)


# --- building values ---------------------------------------------------------


def _gregorian(y: int, m: int, d: int) -> date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_hijri(y: int, m: int, d: int) -> date | None:
    from hijridate import Hijri

    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


def _zone_at(norm: str, pos: int) -> timezone | None:
    m = _ZONE.match(norm, pos)
    if not m:
        return None
    sign = m.group("sign") or m.group("sign2")
    hours = m.group("zh") or m.group("zh2")
    minutes = m.group("zm") or m.group("zm2") or "0"
    if not sign:
        return timezone.utc
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    if offset > timedelta(hours=14):
        return None
    return timezone(-offset if sign == "-" else offset)


def _zone_near(norm: str, start: int, end: int) -> timezone | None:
    """A zone written right after the time, or just before it ("GMT 14:23")."""
    after = re.compile(r"\s*(?:\(|بتوقيت\s*)?").match(norm, end).end()
    tz = _zone_at(norm, after)
    if tz is not None:
        return tz
    before = norm[max(0, start - 16):start]
    m = re.search(r"(gmt|utc|غرينتش|جرينتش)(\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$", before)
    if m:
        return _zone_at(norm, start - len(before) + m.start())
    return None


def _times(norm: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, time, timezone | None]]:
    """Every clock time in norm[lo:hi] with its zone if stated: (start, end, time, zone)."""
    hi = len(norm) if hi is None else hi
    out = []
    for m in list(_TIME.finditer(norm, lo, hi)) + list(_HOUR_ONLY.finditer(norm, lo, hi)):
        h, mi = int(m.group("h")), int(m.groupdict().get("mi") or 0)
        s = int(m.groupdict().get("s") or 0)
        ap = m.group("ap")
        if ap in _PM and h < 12:
            h += 12
        elif ap in _AM and h == 12:
            h = 0
        if h > 23 or mi > 59 or s > 59:
            continue
        out.append((m.start(), m.end(), time(h, mi, s), _zone_near(norm, m.start(), m.end())))
    return out


def _gap(a: int, b: int, c: int, d: int) -> int:
    """Characters between spans [a, b) and [c, d); 0 when they touch or overlap."""
    return max(0, c - b, a - d)


def _time_in(norm: str, lo: int, hi: int, anchor: int) -> tuple[time, timezone | None] | None:
    """The time closest to `anchor` between lo and hi, with its zone if stated."""
    found = _times(norm, lo, hi)
    if not found:
        return None
    _, _, t, tz = min(found, key=lambda f: _gap(f[0], f[1], anchor, anchor))
    return t, tz


def _with_time(day: date, norm: str, lo: int, hi: int, anchor: int) -> date | datetime:
    found = _time_in(norm, max(0, lo), min(len(norm), hi), anchor)
    if not found:
        return day
    t, tz = found
    return datetime.combine(day, t, tzinfo=tz)


def _nearby_year(norm: str, start: int, end: int, taken: list[tuple[int, int]]) -> int | None:
    """A 4-digit year near a day+month that had none next to it (bidi-shuffled stamps)."""
    lo, hi = max(0, start - 30), min(len(norm), end + 30)
    best = None
    for m in re.finditer(r"(?<![\d:.])\d{4}(?![\d:])", norm[lo:hi]):
        s = lo + m.start()
        if any(a <= s < b for a, b in taken):
            continue
        dist = min(abs(s - end), abs(start - (s + 4)))
        if best is None or dist < best[0]:
            best = (dist, int(m.group()))
    return best[1] if best else None


def _is_hijri_marked(norm: str, end: int) -> bool:
    return re.match(_HIJRI_MARK, norm[end:end + 12]) is not None


# --- public API --------------------------------------------------------------


def parse_iso(text: str) -> date | datetime | None:
    """Machine-readable forms from metadata: ISO 8601 (with Z, offsets, fractions), RFC 2822."""
    s = text.strip()
    if not s:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return _gregorian(*map(int, s.split("-"))) and date.fromisoformat(s)
        except ValueError:
            return None
    if re.fullmatch(r"\d{8}", s):
        return _gregorian(int(s[:4]), int(s[4:6]), int(s[6:]))
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?", s, re.I)
    if m:
        zone = (m.group(3) or "").upper()
        if zone and zone != "Z" and len(zone) == 3:
            zone += ":00"
        try:
            value = datetime.fromisoformat(f"{m.group(1)}T{m.group(2).replace(',', '.')}{zone}")
        except ValueError:
            return None
        return value if 1900 <= value.year <= 2100 else None
    if re.match(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", s):
        try:
            value = parsedate_to_datetime(s)
        except (TypeError, ValueError):
            return None
        return value if value and 1900 <= value.year <= 2100 else None
    return None


def find_dates(
    text: str, reference: datetime | date | None = None, locale: str | None = None
) -> list[DateMatch]:
    """Every whole date written in `text`, in reading order.

    `locale="mdy"` reads ambiguous numeric dates month-first (the default is
    day-first, as Arabic pages write them). `reference` supplies the year for
    "26 ديسمبر" with no year (the latest such day not after the reference).
    """
    if not _DIGIT.search(text):
        return []  # every form this module reads has a number in it
    norm, where = _normalise(text)
    found: list[tuple[int, int, date | datetime, str]] = []
    taken: list[tuple[int, int]] = []

    def overlaps(a: int, b: int) -> bool:
        # Spans never overlap each other, so sorted starts find the neighbours.
        i = bisect.bisect_left(taken, (a, -1))
        return any(a < y and x < b for x, y in taken[max(0, i - 1):i + 1])

    def add(a: int, b: int, day: date | None, cal: str) -> None:
        if day is not None:
            found.append((a, b, day, cal))
            bisect.insort(taken, (a, b))

    for pattern in _NAMED_PATTERNS:
        for m in pattern.finditer(norm):
            a, b = m.start(), m.end()
            if overlaps(a, b):
                continue
            cal, month = _MONTH_NUMBER[re.sub(r"\s+", "", m.group("m"))]
            d = int(m.group("d"))
            y = int(m["y"]) if "y" in m.groupdict() and m.group("y") else None
            if y is None:
                y = _nearby_year(norm, a, b, taken)
            if y is None and reference is not None and cal == "gregorian":
                ref = reference.date() if isinstance(reference, datetime) else reference
                y = ref.year if (month, d) <= (ref.month, ref.day) else ref.year - 1
            if y is None:
                continue
            if cal == "hijri" or (1300 <= y <= 1500 and _is_hijri_marked(norm, b)):
                add(a, b, _from_hijri(y, month, d) if cal == "hijri" else None, "hijri")
            else:
                add(a, b, _gregorian(y, month, d), "gregorian")

    for i, pattern in enumerate(_NUMERIC_PATTERNS):
        for m in pattern.finditer(norm):
            a, b = m.start(), m.end()
            if overlaps(a, b):
                continue
            y, p, q = int(m.group("y")), int(m.group("a")), int(m.group("b"))
            if i == 0:  # year first: Y-M-D
                month, d = p, q
            elif locale == "mdy" or (q > 12 >= p and locale != "dmy"):
                month, d = p, q
            else:
                d, month = p, q
            if 1300 <= y <= 1500:
                # Only when marked: unmarked years like 1402 are Persian solar dates.
                add(a, b, _from_hijri(y, month, d) if _is_hijri_marked(norm, b) else None, "hijri")
            else:
                add(a, b, _gregorian(y, month, d), "gregorian")

    found.sort()
    # Each clock time belongs to the nearest date (within 40 characters), so
    # "نشر 5 مايو - تحديث 6 مايو 10:30" gives the time to the update only.
    owner: dict[int, tuple[int, time, timezone | None]] = {}
    times = _times(norm)
    # Pages write a stamp's time either after its date or before it ("GMT 17:27
    # 17.03.2020"); the first time on the page tells which, and each date takes
    # the nearest time on that side.
    before = bool(times and found and times[0][0] < found[0][0])
    starts = [a for a, _, _, _ in found]
    ends = [b for _, b, _, _ in found]  # spans never overlap, so ends are sorted too
    for ts, te, t, tz in times:
        cands = []
        if before and (k := bisect.bisect_left(starts, te)) < len(found):
            cands = [(starts[k] - te, k)]
        elif not before and (k := bisect.bisect_right(ends, ts) - 1) >= 0:
            cands = [(ts - ends[k], k)]
        if not cands:
            k = bisect.bisect_left(starts, ts)
            cands = [(_gap(ts, te, starts[i], ends[i]), i) for i in range(max(0, k - 1), min(len(found), k + 1))]
        if cands:
            gap, i = min(cands)
            if gap <= 40 and (i not in owner or gap < owner[i][0]):
                owner[i] = (gap, t, tz)
    for i, (gap, t, tz) in owner.items():
        a, b, day, cal = found[i]
        found[i] = (a, b, datetime.combine(day, t, tzinfo=tz), cal)
    return [DateMatch(v, text[where[a]:where[b - 1] + 1], where[a], where[b - 1] + 1, c) for a, b, v, c in found]


_NUMBER_WORDS = {
    "واحد": 1, "واحده": 1, "اثنين": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
    "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمانيه": 8,
    "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
}
# unit -> (timedelta kwargs key, singular, dual, plural forms)
_UNITS = (
    ("seconds", ("ثانيه",), ("ثانيتين", "ثانيتان"), ("ثوان", "ثواني", "ثانيه")),
    ("minutes", ("دقيقة",), ("دقيقتين", "دقيقتان"), ("دقائق", "دقيقة")),
    ("hours", ("ساعه",), ("ساعتين", "ساعتان"), ("ساعات", "ساعه")),
    ("days", ("يوم",), ("يومين", "يومان"), ("ايام", "يوما", "يوم")),
    ("weeks", ("اسبوع",), ("اسبوعين", "اسبوعان"), ("اسابيع", "اسبوعا", "اسبوع")),
)
_UNITS = tuple((k, *(tuple(map(fold, forms)) for forms in rest)) for k, *rest in _UNITS)
_NUMBER_WORDS = {fold(k): v for k, v in _NUMBER_WORDS.items()}
_RELATIVE = re.compile(
    r"(?<![^\W\d_])(?:منذ|قبل)\s*(?P<n>\d{1,3}|" + _alternation(_NUMBER_WORDS) + r")?\s*(?P<unit>[^\W\d_]+)"
    r"|(?<![^\W\d_])(?P<word>اول\s*امس|امس|البارحه|اليوم)(?![^\W\d_])"
    r"|(?P<en>(?P<en_n>\d{1,3}|an?)\s+(?P<en_unit>second|minute|hour|day|week)s?\s+ago|yesterday|today)"
)
_EN_UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks"}


def _relative(norm: str, reference: datetime | date | None) -> date | datetime | None:
    """Relative stamps, only when the text is nothing but the stamp and its labels."""
    m = _RELATIVE.search(norm)
    if not m:
        return None
    rest = (norm[: m.start()] + " " + norm[m.end():])
    rest = _TIME.sub(" ", rest)
    if any(w not in _LABEL_WORDS for w in re.findall(r"[^\W\d_]+", rest)):
        return None
    if reference is None:
        reference = datetime.now(timezone.utc)
    ref_dt = reference if isinstance(reference, datetime) else datetime.combine(reference, time())
    ref_day = ref_dt.date()
    key, amount = None, 1
    if m.group("word"):
        back = {"اليوم": 0, "امس": 1, "البارحه": 1}.get(m.group("word"), 2)
        return _with_time(ref_day - timedelta(days=back), norm, 0, len(norm), m.end())
    if m.group("en"):
        word = m.group("en")
        if word in ("today", "yesterday"):
            return ref_day - timedelta(days=word == "yesterday")
        key = _EN_UNITS[m.group("en_unit")]
        n = m.group("en_n")
        amount = int(n) if n.isdigit() else 1
    else:
        unit = m.group("unit")
        n = m.group("n")
        for k, single, dual, plural in _UNITS:
            if n is None and unit in single:
                key, amount = k, 1
            elif n is None and unit in dual:
                key, amount = k, 2
            elif n is not None and unit in plural + single:
                key, amount = k, int(n) if n.isdigit() else _NUMBER_WORDS[n]
            if key:
                break
    if key is None:
        return None
    delta = timedelta(**{key: amount})
    if key in ("days", "weeks"):
        return ref_day - delta
    return (ref_dt - delta).replace(microsecond=0)


def parse_arabic_date(
    text: str | None, reference: datetime | date | None = None, locale: str | None = None
) -> date | datetime | None:
    """The date a short text states, or None.

    Gregorian is preferred over Hijri when a page gives both. See the module
    docstring for what the return type says about time and zone.
    """
    if not text or not text.strip() or len(text) > 2000:
        return None
    iso = parse_iso(text)
    if iso is not None:
        return iso
    matches = find_dates(text, reference, locale)
    if matches:
        matches.sort(key=lambda d: d.calendar == "hijri")  # stable: otherwise reading order
        return matches[0].value
    return _relative(fold(text), reference)


def to_iso(value: date | datetime | None) -> str | None:
    """The record form: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (page clock) or with ±HH:MM."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    fmt = "%Y-%m-%dT%H:%M:%S" if value.second else "%Y-%m-%dT%H:%M"
    out = value.strftime(fmt)
    offset = value.utcoffset()
    if offset is not None:
        total = int(offset.total_seconds()) // 60
        sign = "-" if total < 0 else "+"
        out += f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return out


def parse_timestamp(text: str | None) -> datetime | None:
    """A machine timestamp (ISO 8601 / W3C, as in records, sitemaps and the index) as an
    aware datetime, naive ones taken as UTC; None when empty or unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
