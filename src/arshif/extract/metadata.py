"""Article metadata from the parsed page: title, dates, authors, source, section, tags, images.

Runs on the lxml tree before boilerplate is stripped (bylines, dates and
captions often sit in the parts the body extractor throws away). Pure: no
network, no files. Site knowledge comes only from an optional profile
(`title_xpath`, `date_xpath`, `author_xpath`, `aggregator_pattern`).
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from arshif.article import Image
from arshif.dates import parse_arabic_date, to_iso
from arshif.extract.authors import byline_line, clean_authors
from arshif.extract.language import page_language
from arshif.extract.published import find_published
from arshif.extract.pageindex import TextIndex, article_container
from arshif.extract.tree import profile_xpath
from arshif.text import clean_line, match_key

# "نشر في الرياض يوم 06 - 02 - 2015": aggregators credit the original outlet and date.
_AGGREGATOR = re.compile(
    r"^\s*(?:تم\s+)?(?:نشر|نشرت|منشور|نُشر|published)\s+(?:في|فى|بـ?|على|in|on)\s*(?P<outlet>.+?)"
    r"\s+(?:يوم|بتاريخ|في|فى|on)\s*:?\s*(?P<date>.+?)\s*$",
    re.IGNORECASE,
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:«»·•]\s+|\s+::\s+|\s*\|\s*")
_ARTICLE_TYPES = re.compile(r"article|posting|report", re.IGNORECASE)
_SUBTITLE_CLASS = re.compile(
    r"sub-?title|sub_title|subhead|standfirst|strapline|dek\b|secondary-title|article-summary|excerpt"
    r"|\b(?:lead|intro)(?![-_]?(?:image|img|photo|media|pic|story|video))\b",
    re.IGNORECASE,
)
_AUTHOR_CLASS = re.compile(r"author|byline|writer|kateb|katib|reporter|journalist", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|credit|legend|wp-caption-text|img-desc", re.IGNORECASE)
_SKIP_ANCESTORS = {"nav", "header", "footer", "aside"}


def parse_aggregator_line(line: str) -> tuple[str, str] | None:
    """(outlet, ISO date) from an aggregator's credit line, else None."""
    m = _AGGREGATOR.match(clean_line(line or ""))
    if not m or len(m.group("outlet").split()) > 6:
        return None
    when = parse_arabic_date(m.group("date"))
    if when is None:
        return None
    return clean_line(m.group("outlet")), to_iso(when)


# --- structured data ---------------------------------------------------------


def json_ld(tree: etree._Element) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page, flattened out of @graph and lists."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw).strip()
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return found


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type") or []
    return [str(x) for x in (t if isinstance(t, list) else [t])]


def _ld_text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or ""
    return clean_line(html.unescape(str(value))) if value else ""


def _meta(tree: etree._Element, *names: str) -> list[str]:
    """Values of <meta> tags named (name/property/itemprop, case-insensitive) in order of `names`."""
    by_name: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and content.strip():
            by_name.setdefault(key, []).append(clean_line(html.unescape(content)))
    return [v for n in names for v in by_name.get(n.lower(), [])]


def _xpath_text(tree: etree._Element, expr: str | None) -> list[str]:
    out = []
    for item in profile_xpath(tree, expr):
        text = clean_line(item if isinstance(item, str) else item.text_content())
        if text:
            out.append(text)
    return out


def _profile_get(profile: Any, key: str) -> Any:
    if profile is None:
        return None
    if isinstance(profile, dict) or hasattr(profile, "get"):
        return profile.get(key)
    return getattr(profile, key, None)


# --- title -------------------------------------------------------------------


def site_names(tree: etree._Element, ld: list[dict[str, Any]], url: str | None) -> list[str]:
    """Every way the page names its own outlet (for trimming titles and rejecting authors)."""
    names = _meta(tree, "og:site_name", "application-name", "apple-mobile-web-app-title",
                  "twitter:site", "publisher", "copyright")
    for obj in ld:
        for key in ("publisher", "sourceOrganization"):
            if isinstance(obj.get(key), dict):
                names.append(_ld_text(obj[key]))
        if any(t in ("Organization", "NewsMediaOrganization", "WebSite") for t in _types(obj)):
            names.append(_ld_text(obj.get("name")))
    title = clean_line(tree.findtext(".//title") or "")
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        names.append(_site_part(tree, parts[0], parts[-1]))
    host = urlsplit(url or "").hostname or ""
    if host:
        names.append(host.removeprefix("www.").split(".")[0])
    return [n.lstrip("@") for n in names if n and len(n) <= 60]


def _shown_lines(tree: etree._Element) -> list[str]:
    """Short visible text runs of the body, as match keys (headline candidates)."""
    out = []
    for text in tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]"):
        key = match_key(text)
        if 2 < len(key) < 300:
            out.append(key)
    return out


def _headline_shown(lines: list[str], part: str) -> bool:
    key = match_key(part)
    return bool(key) and any(line.startswith(key) for line in lines)


def _site_part(tree: etree._Element, first: str, last: str) -> str:
    """Which end of "<title>" names the site: "Headline - Site" and "Site - Headline" both
    occur on Arabic sites. The part the page also shows as a text run is the headline;
    when that does not decide, the shorter part is the site name."""
    a, b = len(first.split()), len(last.split())
    if max(a, b) < 2 * min(a, b):  # lengths alike: look at the page (one pass over its text)
        lines = _shown_lines(tree)
        first_shown, last_shown = _headline_shown(lines, first), _headline_shown(lines, last)
        if first_shown != last_shown:
            return last if first_shown else first
    return first if a < b else last


def _shown_in_full(tree: etree._Element, title: str) -> str:
    """A <title>-derived headline may be shortened; the page's own text run that starts
    with it is the headline as shown."""
    key = match_key(title)
    best = title
    for text in tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]"):
        line = clean_line(text)
        if len(best) < len(line) < 300 and match_key(line).startswith(key):
            best = line
    return best


def _trim_site_name(title: str, names: list[str]) -> str:
    """"Headline | Site" -> "Headline": drop end parts naming the site; the rest stays verbatim."""
    keys = [match_key(n) for n in names if match_key(n)]
    cuts = [(m.start(), m.end()) for m in _TITLE_SEPARATORS.finditer(title)]
    bounds = [0] + [e for _, e in cuts]
    ends = [s for s, _ in cuts] + [len(title)]
    parts = list(zip(bounds, ends))  # (start, end) of each part in `title`

    def is_site(part: tuple[int, int]) -> bool:
        key = match_key(title[part[0]:part[1]])
        return any(k == key or (len(key) >= 3 and (key in k or k in key)) for k in keys)

    while len(parts) > 1 and (is_site(parts[-1]) or is_site(parts[0])):
        parts = parts[:-1] if is_site(parts[-1]) else parts[1:]
    return clean_line(title[parts[0][0]:parts[-1][1]])


def _visible_text(el) -> str:
    """Text as shown: a <br> is a space (text_content() would glue the words together)."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.tag == "br":
            parts.append(" ")
        if isinstance(node.tag, str) and node.tag not in ("script", "style") and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return clean_line("".join(parts))


def _overlap(a: str, b: str) -> float:
    x, y = set(match_key(a).split()), set(match_key(b).split())
    return len(x & y) / max(1, min(len(x), len(y))) if x and y else 0.0


def pick_title(tree, ld, names, profile) -> tuple[str, etree._Element | None]:
    """The headline as shown (h1), checked against og:title/JSON-LD; the element it came from."""
    for text in _xpath_text(tree, _profile_get(profile, "title_xpath")):
        return text, _shown_as(tree, text)
    declared = _meta(tree, "og:title", "twitter:title") + [
        _ld_text(o.get("headline")) for o in ld if o.get("headline")
    ]
    declared = [_trim_site_name(d, names) for d in declared if d]
    head = clean_line(tree.findtext(".//title") or "")
    refs = declared + ([_trim_site_name(head, names)] if head else [])
    best, best_el, best_score = "", None, 0.0
    for h in tree.iter("h1"):
        text = _visible_text(h)
        if not text or len(text) > 300:
            continue
        score = max((_overlap(text, r) for r in refs), default=0.5)
        if score > best_score or (score == best_score and best and len(text) > len(best)):
            best, best_el, best_score = text, h, score
    if best and (best_score >= 0.5 or not refs):
        return best, best_el
    for text in refs:
        if text:
            text = _shown_in_full(tree, text)
            return text, _shown_as(tree, text)
    return best, best_el


def _shown_as(tree, title: str):
    """The element showing the headline when it is not an <h1>: the anchor for bylines and stamps."""
    key = match_key(title)
    for el in tree.xpath(
        "//body//*[self::h1 or self::h2 or self::h3 or contains(@class,'title') or contains(@class,'headline')"
        " or @itemprop='headline']"
    ):
        if el.tag not in ("a", "title") and match_key(el.text_content()) == key:
            return el
    return None


# --- subtitle, section, tags, canonical -------------------------------------


def _subtitle(tree, title_el, title: str, index: TextIndex) -> str:
    for el in tree.xpath("//*[@class or @id or @itemprop]"):
        if not _near(index, el, title_el, 30, 200) or index.inside(el, _SKIP_ANCESTORS - {"header"}):
            continue
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
        if attrs and _SUBTITLE_CLASS.search(attrs) and el.tag not in ("meta", "script", "body", "html"):
            text = clean_line(el.text_content())
            if 15 <= len(text) <= 400 and match_key(text) != match_key(title):
                return text
    if title_el is not None:
        nxt = title_el.getnext()
        if nxt is not None and nxt.tag in ("h2", "h3") and not nxt.xpath(".//a"):
            text = clean_line(nxt.text_content())
            if 15 <= len(text) <= 300:
                return text
    return ""


def _section(tree, ld) -> str | None:
    for value in _meta(tree, "article:section", "section", "parsely-section", "cxenseparse:articlesection"):
        return value
    for obj in ld:
        if obj.get("articleSection"):
            return _ld_text(obj["articleSection"]) or None
    for text in _xpath_text(tree, "//*[@itemprop='articleSection']"):
        return text
    crumbs = [
        clean_line(a.text_content())
        for a in tree.xpath("//*[contains(@class,'breadcrumb') or contains(@id,'breadcrumb')]//a")
    ]
    crumbs = [c for c in crumbs if c]
    return crumbs[-1] if len(crumbs) >= 2 else None


def _split_tags(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        for tag in re.split(r"\s*[,،;؛]\s*", value):
            tag = clean_line(tag)
            if tag and len(tag.split()) <= 6 and tag not in out:
                out.append(tag)
    return out


def _tags(tree, ld, title: str) -> list[str]:
    tags = _split_tags(_meta(tree, "article:tag"))
    for obj in ld:
        kw = obj.get("keywords")
        if kw:
            tags += [t for t in _split_tags(kw if isinstance(kw, list) else [str(kw)]) if t not in tags]
    if not tags:
        tags = _split_tags(_xpath_text(tree, "//a[@rel='tag']"))
    if not tags:
        tags = [t for t in _split_tags(_meta(tree, "news_keywords", "keywords"))
                if match_key(t) != match_key(title)]
    return tags[:50]


def _canonical(tree, url: str | None) -> str | None:
    host = urlsplit(url or "").hostname
    for value in _xpath_text(tree, "//link[@rel='canonical']/@href") + _meta(tree, "og:url"):
        absolute = urljoin(url or "", value)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        # A bare IP in og:url is a server leak, not the article's address.
        if re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", parts.hostname) and host != parts.hostname:
            continue
        return absolute
    return url


# --- authors -----------------------------------------------------------------


def _near(index: TextIndex, el, anchor, before: int, after: int) -> bool:
    if anchor is None:
        return True
    d = index.position(el) - index.position(anchor)
    return -before <= d <= after


def _authors(tree, ld, names, profile, index: TextIndex, title_el) -> list[str]:
    """People in the byline. Sources in order of trust; the first that names a person wins."""
    people = []
    for obj in ld:
        authors = obj.get("author") or obj.get("creator") or []
        for a in authors if isinstance(authors, list) else [authors]:
            # An Organization author is the outlet, never a person.
            if isinstance(a, dict) and "Organization" in " ".join(_types(a)):
                continue
            people.append(_ld_text(a))
    visible = []
    for el in tree.xpath("//*[@class or @id or @itemprop or @rel]"):
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"), el.get("rel"))))
        if not _AUTHOR_CLASS.search(attrs) or el.tag in ("meta", "link", "script", "body", "html"):
            continue
        if not _near(index, el, title_el, 80, 400) or index.inside(el, {"aside", "nav", "footer"}):
            continue
        if el.xpath("ancestor-or-self::*[contains(@class,'comment') or contains(@id,'comment')]"):
            continue  # a commenter is not the author
        named = el.xpath(".//*[@itemprop='name']")
        text = clean_line((named[0] if len(named) else el).text_content())
        if 2 <= len(text) <= 80:
            visible.append(_drop_labels(el, text))
    # A byline written as a line of its own under the headline ("حوار: فلان").
    lines = []
    if title_el is not None:
        for text in index.texts_after(title_el, 60):
            found = byline_line(text)
            if found:
                lines.append(found)
                break
    sources = [
        _xpath_text(tree, _profile_get(profile, "author_xpath")),
        people,
        visible,
        _meta(tree, "author", "article:author", "dc.creator", "parsely-author", "sailthru.author"),
        lines,
    ]
    for raw in sources:
        found = clean_authors(raw, names)
        if found:
            return found
    return []


def _drop_labels(el, text: str) -> str:
    """Visually-hidden labels ("Author,", "Role, …") live in their own child elements."""
    parts = [clean_line(t) for t in el.itertext()]
    parts = [p for p in parts if p]
    if len(parts) >= 2 and re.fullmatch(r"[A-Za-z ]+[,:]", parts[0]):
        return " ".join(parts[1:2])
    return text


# --- images ------------------------------------------------------------------


_CAPTION_LABEL = re.compile(
    r"^(?:التعليق على الصورة|صدر الصورة|مصدر الصورة|الصورة|صورة|تعليق الصورة|image caption|image source|photo)\s*[,،:]\s*",
    re.IGNORECASE,
)


def _images(tree, url: str | None, title_el, index: TextIndex) -> list[Image]:
    """The lead image (og:image) and the pictures in the story, with their captions."""
    images: list[Image] = []
    seen: set[str] = set()

    def add(src: str | None, caption: str, first: bool = False) -> None:
        if not src or src.startswith("data:"):
            return
        absolute = urljoin(url or "", src.strip())
        # The same picture is often served in several sizes: one file name, one image.
        key = urlsplit(absolute).path.rsplit("/", 1)[-1].lower() or absolute
        caption = _CAPTION_LABEL.sub("", clean_line(caption))
        if key in seen:
            for i, im in enumerate(images):
                if urlsplit(im.url).path.rsplit("/", 1)[-1].lower() == key and not im.caption and caption:
                    images[i] = Image(im.url, caption)
            return
        if re.search(r"\.svg(\?|$)|logo|icon|sprite|pixel|avatar|blank\.gif|/noscript", absolute, re.I):
            return
        parts = urlsplit(absolute)
        if "=" in parts.query and not re.search(r"\.(jpe?g|png|webp|gif|avif)$", parts.path, re.I):
            return  # a tracking beacon, not a picture
        seen.add(key)
        if first:
            images.insert(0, Image(absolute, caption))
        else:
            images.append(Image(absolute, caption))

    lead = _meta(tree, "og:image", "twitter:image", "twitter:image:src")
    lead_alt = [a for a in _meta(tree, "og:image:alt") if len(a.split()) <= 25]
    if lead:
        add(lead[0], "", first=True)
    container = article_container(title_el)
    if container is not None:
        for img in container.iter("img"):
            if _tiny(img) or index.inside(img, _SKIP_ANCESTORS | {"noscript"}):
                continue
            link = img.xpath("ancestor::a[1]/@href")
            if link and not re.search(r"\.(jpe?g|png|webp|gif)(\?|$)", link[0], re.I):
                continue  # a thumbnail linking to another story
            add(_img_src(img), _caption_for(img))
    if lead and lead_alt and images and not images[0].caption:
        images[0] = Image(images[0].url, lead_alt[0])
    return images[:30]


def _caption_for(img) -> str:
    fig = img.xpath("ancestor::figure[1]")
    if fig:
        cap = fig[0].xpath(".//figcaption")
        if cap:
            return cap[0].text_content()
    node = img
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            break
        for sib in node.itersiblings():
            if isinstance(sib.tag, str) and _CAPTION_CLASS.search(sib.get("class") or ""):
                return sib.text_content()
        node = parent
    return ""


def _img_src(img) -> str | None:
    for attr in ("src", "data-src", "data-lazy-src", "data-original"):
        value = img.get(attr)
        if value and not value.startswith("data:"):
            return value
    srcset = img.get("srcset") or img.get("data-srcset")
    return srcset.split(",")[-1].split()[0] if srcset else None


def _tiny(img) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 100:
            return True
    return False


# --- source (aggregators) ----------------------------------------------------


def _source(tree, profile, index: TextIndex, title_el) -> tuple[str | None, tuple[str, str] | None]:
    pattern = _profile_get(profile, "aggregator_pattern")
    texts = index.texts_after(title_el, 300) if title_el is not None else index.texts_after(None, 3000)
    for text in texts:
        if pattern:
            try:
                m = re.search(pattern, text)
            except re.error:
                m = None
            if m:
                groups = m.groupdict()
                outlet = clean_line(groups.get("source") or groups.get("outlet") or "")
                when = parse_arabic_date(groups.get("date") or "")
                if outlet:
                    return outlet, (text, to_iso(when)) if when else None
        found = parse_aggregator_line(text)
        if found:
            return found[0], (text, found[1])
    return None, None


# --- entry point -------------------------------------------------------------


def extract_metadata(
    tree: etree._Element, url: str | None, profile: Any = None, reference: datetime | None = None
) -> dict[str, Any]:
    """Article field values read from the page; see the module docstring.

    `reference` (the fetch time, aware) lets relative stamps such as "منذ ساعتين" date
    a page that has no other date; without it they are ignored.
    """
    ld = json_ld(tree)
    articles = [o for o in ld if _ARTICLE_TYPES.search(" ".join(_types(o)))] or [
        o for o in ld if o.get("headline") or o.get("datePublished")
    ]
    index = TextIndex(tree)
    canonical = _canonical(tree, url)
    names = site_names(tree, ld, canonical or url)
    title, title_el = pick_title(tree, articles, names, profile)
    source, credit = _source(tree, profile, index, title_el)
    published, modified = find_published(tree, articles, index, title_el, canonical or url,
                                         _profile_get(profile, "date_xpath"), credit, reference)
    declared = (
        [tree.get("lang") or "", tree.get("xml:lang") or ""]
        + [str(o.get("inLanguage") or "") for o in articles]
        + _meta(tree, "og:locale", "content-language", "language", "dc.language")
    )
    host = urlsplit(canonical or url or "").hostname
    section = _section(tree, articles)
    tags = [t for t in _tags(tree, articles, title) if match_key(t) not in {match_key(n) for n in names}]
    return {
        "title": title,
        "subtitle": _subtitle(tree, title_el, title, index),
        # A section or tag label sitting in a byline box is not a person either.
        "authors": _authors(tree, articles, names + ([section] if section else []) + tags,
                            profile, index, title_el),
        "published": published.iso,
        "modified": modified.iso,
        "source": source,
        "section": section,
        "tags": tags,
        "images": _images(tree, canonical or url, title_el, index),
        "canonical_url": canonical,
        "site": host.removeprefix("www.") if host else None,
        "language": page_language(declared, index.sample_text()),
        "extraction": {
            "published_from": published.source,
            "published_text": published.text,
            "modified_from": modified.source,
            "modified_text": modified.text,
        },
    }
