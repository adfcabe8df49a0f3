"""When the article was published (and modified), and where the page says so.

Order of trust: JSON-LD, meta tags, <time datetime> and microdata, the
visible date stamp near the headline, the URL. Records keep the date *as the
page displays it* in the site's local time: when the stamp shows the same
instant as the metadata in another zone, the metadata instant is written with
the stamp's offset; when the stamp shows only a day, the metadata time is kept.
Never a guess: a year, a copyright footer or a related link's date is no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from arshif.dates import WEEKDAYS, DateMatch, find_dates, fold, parse_arabic_date, to_iso
from arshif.extract.pageindex import TextIndex, article_container
from arshif.text import clean_line

Value = date | datetime

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "publication_date", "article.published",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created",
    "datecreated", "date", "sailthru.date", "parsely-pub-date", "original-publish-date", "article_date_original",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dc.date.modified", "dcterms.modified", "article.updated",
)
_DATE_CLASS = re.compile(r"date|time|publish|posted|created|stamp|byline|meta|info|tarikh|article-details", re.I)
# Words that may stand next to a date in a stamp; more than a few other words means prose.
_STAMP_WORDS = {fold(w) for w in (
    "نشر", "نشرت", "نشره", "تم", "النشر", "في", "يوم", "بتاريخ", "التاريخ", "تاريخ", "آخر", "اخر",
    "تحديث", "التحديث", "محدثة", "محدث", "الموافق", "الساعة", "على", "م", "هـ", "ه", "gmt", "utc",
    "published", "updated", "posted", "on", "at", "last", "update", "date", "بتوقيت", "غرينتش",
    "جرينتش", "مكة", "المكرمة", "منذ", "الأحد", *WEEKDAYS,
)}
_DIGITS = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/\-_.]|$)")


@dataclass(frozen=True, slots=True)
class Found:
    value: Value | None = None
    source: str | None = None  # "json-ld", "meta", "time", "byline", "url"
    text: str | None = None

    @property
    def iso(self) -> str | None:
        return to_iso(self.value)


def _date_only(value: Value) -> Value:
    # Midnight exactly is how CMSs store "no time": do not show a time nobody set.
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date()
    return value


def _parse(text: str | None) -> Value | None:
    if not text:
        return None
    value = parse_arabic_date(text)
    # Before the web had Arabic news sites: a CMS default (1970-01-01), not a date.
    if value is None or _day(value) < date(1995, 1, 1):
        return None
    return _date_only(value)


def _structured(tree, ld, index: TextIndex, title_el, published: bool) -> list[Found]:
    keys = ("datePublished", "dateCreated") if published else ("dateModified",)
    found: list[Found] = []
    for obj in ld:
        for key in keys:
            raw = obj.get(key)
            raw = raw[0] if isinstance(raw, list) and raw else raw
            if isinstance(raw, str) and (value := _parse(raw)) is not None:
                found.append(Found(value, "json-ld", raw))
    names = _PUBLISHED_META if published else _MODIFIED_META
    metas: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        if key in names and m.get("content"):
            metas.setdefault(key, []).append(m.get("content"))
    for name in names:
        for raw in metas.get(name, []):
            if (value := _parse(raw)) is not None:
                found.append(Found(value, "meta", clean_line(raw)))
    props = ("datepublished", "datecreated", "dc:date", "dc:created", "dcterms:created", "dcterms:issued") \
        if published else ("datemodified", "dcterms:modified", "dc:modified")
    for el in tree.xpath("//*[@itemprop or @property][@content or @datetime]"):
        if el.tag == "meta":
            continue
        tags = {t.lower() for t in ((el.get("itemprop") or "") + " " + (el.get("property") or "")).split()}
        if tags & set(props):
            raw = el.get("datetime") or el.get("content")
            if (value := _parse(raw)) is not None:
                found.append(Found(value, "time", raw))
    if published:
        # Only a <time> in the story's head (before its first paragraph, give or take
        # a byline box) is the story's; the ones further down date related items.
        limit = _head_end(index, title_el)
        times = [
            t for t in tree.iter("time")
            if t.get("datetime") and not t.xpath("ancestor::a|ancestor::aside|ancestor::nav")
            and _distance(index, t, title_el) <= limit
        ]
        times.sort(key=lambda t: (t.get("pubdate") is None and "publish" not in (t.get("class") or ""),
                                  _distance(index, t, title_el)))
        for t in times[:1]:
            if (value := _parse(t.get("datetime"))) is not None:
                found.append(Found(value, "time", t.get("datetime")))
    return found


def _head_end(index: TextIndex, title_el) -> int:
    """How far after the headline its head (byline, stamp) may reach: to the first paragraph."""
    if title_el is None:
        return 600
    start = index.position(title_el)
    for p in title_el.getroottree().iter("p"):
        pos = index.position(p)
        if pos > start and len(p.text_content().strip()) > 40:
            return pos - start
    return 600


def _distance(index: TextIndex, el, anchor) -> float:
    if anchor is None:
        return index.position(el)
    d = index.position(el) - index.position(anchor)
    return d if d >= 0 else -d * 3  # a stamp under the headline beats one in the page header


def _leftover_words(text: str, matches: list[DateMatch]) -> int:
    for m in sorted(matches, key=lambda m: -m.start):
        text = text[: m.start] + " " + text[m.end:]
    text = re.sub(r"\d{1,2}\s*:\s*\d{2}(?::\d{2})?|[+-]?\d+", " ", fold(text))
    words = re.findall(r"[^\W\d_]+", text)
    return sum(w not in _STAMP_WORDS for w in words)


def _in_story_reach(index: TextIndex, el, title_el, container, head: int) -> bool:
    """Inside the story's container, or just above/below its headline: not a distant list."""
    if title_el is None:
        return True
    if container is not None and any(a is container for a in el.iterancestors()):
        return True
    d = index.position(el) - index.position(title_el)
    return -150 <= d <= head


def _in_page_footer(el, container) -> bool:
    """In a site-wide footer (copyright, "last updated"), not a story's own <footer>."""
    footers = el.xpath("ancestor-or-self::footer")
    if not footers:
        return False
    return container is None or not any(a is container for a in footers[-1].iterancestors())


_UPDATE_LABEL = re.compile(r"(?:تحديث|محدث|محدثه|عدل|updated|modified)[^\d]{0,12}$", re.I)


def _after_update_label(text: str, m: DateMatch) -> bool:
    """"آخر تحديث 14:00 ..." when the stamp also shows the first publication."""
    return bool(_UPDATE_LABEL.search(fold(text[max(0, m.start - 25):m.start])))


def _visible(index: TextIndex, title_el, reference: datetime | None = None) -> list[Found]:
    """Date stamps shown on the page (not prose, not links), nearest the headline first.

    With a `reference` (the fetch time) relative stamps ("منذ ساعتين") count too.
    """
    stamps: list[tuple[float, etree._Element, Found]] = []
    container = article_container(title_el)
    head = _head_end(index, title_el)
    for el, text in index.short:
        if _in_page_footer(el, container):
            continue
        if not _DIGITS.search(text):
            if reference is not None and len(text) <= 40 and _in_story_reach(index, el, title_el, container, head) \
                    and not el.xpath("ancestor-or-self::a|ancestor::nav|ancestor::aside"):
                value = parse_arabic_date(text, reference=reference)
                if value is not None:
                    stamps.append((_distance(index, el, title_el), el, Found(value, "byline", clean_line(text))))
            continue
        if not _in_story_reach(index, el, title_el, container, head):
            continue
        if el.tag in ("a", "option", "title", "aside") or el.xpath(
            "ancestor::a|ancestor::nav|ancestor::select|ancestor::head|ancestor::aside"
        ):
            continue
        matches = find_dates(text)
        if not matches:
            continue
        # A date inside a link belongs to the story linked to.
        if any(find_dates(a.text_content()) for a in el.iter("a")):
            continue
        attrs = " ".join(filter(None, (el.tag, el.get("class"), el.get("id"), el.get("itemprop"))))
        allowed = 8 if _DATE_CLASS.search(attrs) else 4
        if _leftover_words(text, matches) > allowed:
            continue
        best = sorted(matches, key=lambda m: (m.calendar == "hijri", _after_update_label(text, m)))[0]
        stamps.append((_distance(index, el, title_el), el, Found(_date_only(best.value), "byline", clean_line(text))))
    # Keep the outermost stamp: it holds the time and zone split into sibling spans.
    chosen = {id(el) for _, el, _ in stamps}
    outer = [s for s in stamps if not any(id(a) in chosen for a in s[1].iterancestors())]
    outer.sort(key=lambda s: s[0])
    return [f for _, _, f in outer]


def _from_url(url: str | None) -> Found | None:
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return Found(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "url", m.group(0).strip("/"))
    except ValueError:
        return None


def _day(value: Value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _reconcile(meta: Found, shown: Found) -> Found:
    """Metadata and the visible stamp: keep the page's clock, the metadata's precision."""
    m, v = meta.value, shown.value
    if abs((_day(m) - _day(v)).days) > 1:
        return meta  # the stamp is about something else (an update, a related story)
    if not isinstance(v, datetime):
        # The page shows only the day: keep the metadata (and its time) when they agree.
        # A UTC instant on the neighbouring day is the site's evening or morning: the
        # day shown is the record's day, and the clock is unknown.
        utc = isinstance(m, datetime) and m.utcoffset() == timedelta(0)
        return meta if _day(m) == v or (isinstance(m, datetime) and m.tzinfo and not utc) else shown
    if not isinstance(m, datetime) or m.tzinfo is None:
        return shown if _day(m) == _day(v) or not isinstance(m, datetime) else meta
    if v.tzinfo is not None:
        return shown if abs(v - m) <= timedelta(minutes=1) else meta
    # The stamp is the site's clock without a zone: derive the zone from the instant.
    offset = v.replace(tzinfo=timezone.utc) - m.astimezone(timezone.utc).replace(second=0, microsecond=0)
    quarters = round(offset / timedelta(minutes=15))
    if abs(offset - quarters * timedelta(minutes=15)) <= timedelta(minutes=1) and -48 <= quarters <= 56:
        return Found(m.astimezone(timezone(quarters * timedelta(minutes=15))), meta.source, meta.text)
    return meta


def _local_form(chosen: Found, others: list[Found]) -> Found:
    """The most precise and most local form of the trusted value that other tags agree with.

    A day-only JSON-LD date takes the time of a tag showing the same day; a UTC instant
    takes the offset of a tag writing the same instant in the site's zone.
    """
    m = chosen.value
    if not isinstance(m, datetime):
        for other in others:
            if isinstance(other.value, datetime) and other.value.date() == m:
                chosen, m = other, other.value
                break
    if not isinstance(m, datetime) or m.utcoffset() != timedelta(0):
        return chosen
    for other in others:
        o = other.value
        if isinstance(o, datetime) and o.tzinfo and o.utcoffset() and abs(o - m) <= timedelta(minutes=1):
            return Found(m.astimezone(o.tzinfo), chosen.source, chosen.text)
    return chosen


def find_published(
    tree: etree._Element,
    ld: list[dict],
    index: TextIndex,
    title_el,
    url: str | None,
    date_xpath: str | None = None,
    credit: tuple[str, str] | None = None,
    reference: datetime | None = None,
) -> tuple[Found, Found]:
    """(published, modified) with where each came from and the raw text."""
    structured = _structured(tree, ld, index, title_el, True)
    shown: list[Found] = []
    if date_xpath:
        try:
            nodes = tree.xpath(date_xpath)
        except etree.XPathError:
            nodes = []
        for node in nodes if isinstance(nodes, list) else [nodes]:
            raw = clean_line(node if isinstance(node, str) else node.text_content())
            if (value := _parse(raw)) is not None:
                shown.append(Found(value, "byline", raw))
                break
    if credit:
        raw, _iso = credit
        if (value := _parse(raw)) is not None:
            shown.append(Found(value, "byline", raw))
    shown += _visible(index, title_el, reference)

    published = Found()
    if structured:
        published = _local_form(structured[0], structured)
        if shown:
            published = _reconcile(published, shown[0])
    elif shown:
        published = shown[0]
    else:
        published = _from_url(url) or Found()

    modified = Found()
    for cand in _structured(tree, ld, index, title_el, False):
        if published.value is None or _not_before(cand.value, published.value):
            modified = cand
            break
    return published, modified


def _not_before(a: Value, b: Value) -> bool:
    """a >= b, comparing instants when both are aware and days otherwise."""
    if isinstance(a, datetime) and isinstance(b, datetime) and a.tzinfo and b.tzinfo:
        return a >= b - timedelta(minutes=1)
    return _day(a) >= _day(b)
