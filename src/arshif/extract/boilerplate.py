"""Boilerplate rules as data: tags, class/id tokens and Arabic phrases.

Kept apart from the logic (body.py, ticker.py, textclean.py) so that a new
kind of widget is one more entry here, not a new branch in code.
"""

from __future__ import annotations

import re

# Never part of any visible text.
SKIP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed video audio "
    "select option button input textarea head title link meta map".split()
)

# Containers that never hold article paragraphs.
NOISE_TAGS = frozenset("nav footer aside form figcaption marquee menu dialog".split())
SOFT_NOISE_TAGS = frozenset({"form"})

# Tags that end a line of text.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table thead tbody tr td th "
    "section article main header footer aside nav figure figcaption address center form "
    "fieldset hr details summary".split()
)

HEADING_TAGS = frozenset("h2 h3 h4 h5 h6".split())

# class/id tokens (split on space, "-" and "_", lower-cased) marking boilerplate.
NOISE_TOKENS = frozenset(
    """
    share sharing social socials sharethis addthis follow
    related relatedposts relatedarticles relatedlinks
    comment comments disqus respond reply replies
    breadcrumb breadcrumbs crumbs
    newsletter subscribe subscription signup
    ticker newsticker marquee breaking breakingnews urgent
    tags tag keywords taglist
    caption credit credits copyright
    promo recommendations recommended podcast advert advertisement ads ad adv banner sponsor sponsored outbrain taboola
    sidebar widget popup modal overlay cookie cookies consent gdpr
    mostread popular trending footer nav navbar menu topbar
    prev next pagination pager rating poll weather prayer
    abuse hidden invisible sronly visuallyhidden
    """.split()
)

# Token pairs that only mean boilerplate together ("most-read", "read-more").
NOISE_TOKEN_PAIRS = frozenset(
    {("most", "read"), ("read", "more"), ("more", "news"), ("latest", "news"),
     ("d", "none"), ("sr", "only"), ("visually", "hidden"), ("also", "read")}
)

# Containers whose class/id marks them as the article (never discarded as noise).
CONTENT_TOKENS = frozenset(
    "articlebody article-body entry-content post-content story-body".split()
)

_WS = r"[\s\u00a0]*"
_ALSO = r"(?:أيضا|أيضاً|ايضا|ايضاً|أيضًا)"

# A whole line matching one of these is boilerplate, wherever it sits.
LINE_PATTERNS = [
    re.compile(p)
    for p in (
        # image-report modal of aggregator platforms
        r"^شكرا على الإبلاغ",
        r"^سيتم حجب هذه الصورة",
        r"^انقر هنا لقراءة الخبر",
        r"^(?:اضغط|إضغط|انقر) هنا (?:لقراءة|للمزيد|لمتابعة)",
        # inline "read also" links
        rf"^(?:اقرأ|إقرأ|اقرا|إقرا|شاهد|انظر|أنظر|طالع){_WS}(?:{_ALSO}|كذلك|المزيد)",
        r"^(?:اقرأ|إقرأ|اقرا|إقرا|شاهد|انظر|أنظر|طالع)\s*[:：]",
        rf"^يمكنك{_WS}(?:{_ALSO}{_WS})?(?:قراءة|متابعة|مشاهدة)",
        r"^(?:أخبار|مواضيع|مقالات|موضوعات)\s+(?:ذات صلة|ذات علاقة|متعلقة|مشابهة)",
        r"^(?:الأكثر|الاكثر)\s+(?:قراءة|تصفحا|تصفحاً|مشاهدة|تداولا)",
        r"^(?:اخترنا لكم|ترشيحاتنا|قصص مقترحة|المزيد حول هذه القصة|يستحق الانتباه)(?:\s+نهاية)?$",
        # share / follow
        r"^(?:شارك|شاركها|مشاركة|شارك الخبر|شارك المقال|طباعة|أرسل لصديق)\s*(?:على|عبر|:|$)",
        r"^(?:تابعوا|تابعونا|تابع|تابعنا)\s.{0,60}(?:غوغل|جوجل|google|فيسبوك|تويتر|تيليجرام|تلغرام|تلجرام|واتساب|إنستغرام|انستغرام|يوتيوب|قناتنا|صفحتنا|حسابنا|تطبيق)",
        r"^تابعونا على",
        # comment forms and their rules
        r"^(?:الإسم|الاسم|البريد الإلكتروني|البريد الالكتروني|البريد الألكتروني|عنوان التعليق|التعليق|تعليق|إلزامي|الموقع الإلكتروني)\s*\*",
        r"^شروط (?:النشر|الاستخدام|الأستخدام)",
        r"^(?:اُوافق|أوافق|اوافق) على شروط",
        r"^(?:أضف|اضف|إضافة|اضافة) (?:تعليق|تعليقك|تعليقا)",
        r"^(?:Security Code|: ?Characters Left|Characters Left)",
        r"^(?:الآراء|الاراء) الواردة",
        r"^ترحب .{0,40}بالنقاش",
        r"^(?=.{0,200}$).*(?:إرشادات|ارشادات|قواعد|سياسة|شروط) (?:المشاركة|التعليق|التعليقات)",
        # newsletter prompts
        r"^(?:اشترك|إشترك|سجل|سجّل)\s.*(?:النشرة|البريدية|بريدك|لتصلك|لمتابعة|لمشاهدة)",
        r"^(?:النشرة البريدية|اشترك الآن|إشترك الآن)$",
        # stamps and dated related-link lines
        r"^آخر تحديث\s*(?:GMT|:)",
        r"^(?:تم نشره|نشر بتاريخ|تاريخ النشر|تاريخ الإضافة|آخر تحديث|اخر تحديث|أخر تحديث)(?:\s+\S+){0,12}$",
        r"^(?:Author|Role|المؤلف|الكاتب|المصدر)\s*[,،:]\s*\S+(?:\s+\S+){0,6}$",
        r"^GMT\s*\d{1,2}:\d{2}",
        r"^\d{1,2}:\d{2}(?::\d{2})?\s*GMT",
        # copyright footers
        r"^(?=.{0,120}$).*(?:©|جميع الحقوق محفوظة|حقوق النشر محفوظة|All rights reserved|Maintained and developed by)",
        # image credits and screen-reader labels
        r"^(?:صدر الصورة|التعليق على الصورة|مصدر الصورة|الصورة)\s*[،:,]",
        r"^(?:إعلان|اعلان|Advertisement)$",
        # tag, comment-count, reading-time and font-size labels
        r"^(?:الكلمات الدالة|كلمات دالة|كلمات مفتاحية|الكلمات المفتاحية|الوسوم|وسوم|العلامات)\s*[:：]?",
        r"^(?:التعليقات|تعليقات|عدد التعليقات)\s*[:：(]?\s*[\d٠-٩]*\s*\)?$",
        r"^(?:مدة القراءة|وقت القراءة|زمن القراءة|قراءة)\s*[:：]?\s*[\d٠-٩]+\s*(?:دقيقة|دقائق|د)\b",
        r"^(?:حجم الخط|تكبير الخط|تصغير الخط)",
        # aggregator source line "نشر في الرياض يوم 06 - 02 - 2015"
        r"^نشر في .{1,60} يوم \d",
    )
]

# Labels that head a ticker or breaking-news bar.
TICKER_LABELS = re.compile(
    r"^(?:عاجل|عاجل جدا|شريط الأخبار|شريط الاخبار|آخر الأخبار|اخر الأخبار|أخر الأخبار|"
    r"اخر الاخبار|آخر الاخبار|أخبار عاجلة|اخبار عاجلة|الأخبار العاجلة|اخر اﻷخبار|"
    r"Breaking|Breaking News|Latest News)\s*[:：]?$",
    re.IGNORECASE,
)

# Bylines as separate lines: "كتب: فلان", "بقلم فلان", "حوار: فلان".
BYLINE = re.compile(r"^(?:كتب|كتبت|بقلم|حوار|إعداد|اعداد|تقرير|ترجمة)\s*[:：]?\s*\S+(?:\s+\S+){0,4}$")


# Day and month names (Gregorian, Levantine, Maghreb, Hijri) for date-only lines.
_DATE_WORDS = (
    "يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
    "كانون الثاني شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الأول الاول "
    "جانفي فيفري أفريل افريل ماي جوان جويلية أوت اوت شتنبر نونبر دجنبر يونيه يوليه "
    "محرم صفر ربيع جمادى الآخر الاخرة الآخرة رجب شعبان رمضان شوال القعدة الحجة ذو ذي "
    "السبت الأحد الاحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة "
    "هـ م ص مساء مساءً صباحا صباحاً GMT am pm"
).split()
_DATE_ONLY = re.compile(
    r"^(?:[\d٠-٩]+|" + "|".join(map(re.escape, sorted(_DATE_WORDS, key=len, reverse=True)))
    + r"|[\s/\-.,:،|])+$",
    re.IGNORECASE,
)


def is_date_only(text: str) -> bool:
    """"3 مارس/ آذار 2024", "الثلاثاء 26 كانون الأول 2017 - 14:23": a stamp, not prose."""
    return len(text) < 80 and any(ch.isdigit() for ch in text) and bool(_DATE_ONLY.match(text))


# One alternation: a single regex pass per line instead of one per rule.
_ANY_LINE = re.compile("|".join(f"(?:{p.pattern})" for p in LINE_PATTERNS))


def is_boilerplate_line(text: str) -> bool:
    return bool(_ANY_LINE.search(text)) or is_date_only(text)
