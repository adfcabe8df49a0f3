"""Clean text that was already extracted (copy-pasted pages, other tools'
output): drop ticker lines, modals, source links, comment forms and footers;
recover title, subtitle, source and date; return the same Article record.

Pure function of the text. The layout it expects is the usual one: header
noise, the headline, optionally a standfirst and an aggregator line, the
paragraphs, then footer noise.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from arshif.article import Article, ExtractionInfo
from arshif.extract import ticker
from arshif.extract.boilerplate import BYLINE, is_boilerplate_line
from arshif.extract.metadata import parse_aggregator_line
from arshif.text import clean_line, match_key

PROSE_WORDS = 12  # a line this long is article text, not a label or a headline
TITLE_WORDS = 40
GAP_LINES = 8  # non-prose lines in a row that end the article
LONG_WORDS = 30  # prose even without final punctuation
_SENTENCE_END = tuple(".!?؟…»\"”:)")


def _label(line: str, repeated: set[str]) -> bool:
    """Site-name labels: lines that repeat, end in a dash, or start with a repeated one."""
    key = match_key(line)
    if key in repeated or line.rstrip().endswith(("-", "–", "|")):
        return True
    return any(key.startswith(r + " ") for r in repeated)


def _prose(line: str) -> bool:
    """Sentences end in punctuation; headlines, labels and link titles do not."""
    n = len(line.split())
    return n >= LONG_WORDS or (n >= PROSE_WORDS and line.rstrip().endswith(_SENTENCE_END))


def _body_end(prose: list[int], filled: list[int]) -> int:
    """The last prose line before a long stretch of other lines (comment forms,
    related headlines, footers): prose after that is comments or promos."""
    at = set(filled)
    end = prose[0]
    for nxt in prose[1:]:
        if sum(1 for i in range(end + 1, nxt) if i in at) >= GAP_LINES:
            break
        end = nxt
    return end


def _without_headline_lists(head: list[int], lines: list[str]) -> list[int]:
    """Drop blocks (runs of adjacent lines) of several short headlines: a ticker
    pasted one headline per line, or a menu."""
    blocks: list[list[int]] = []
    for i in head:
        if blocks and i == blocks[-1][-1] + 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    return [
        i for block in blocks
        if len(block) < ticker.RUN_LINES or not all(ticker.headline_text(lines[j]) for j in block)
        for i in block
    ]


def clean_article(text: str, *, url: str | None = None) -> Article:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [clean_line(r) for r in raw]
    counts = Counter(match_key(line) for line in lines if line)
    repeated = {k for k, n in counts.items() if n > 1 and k}

    article = Article(url=url, canonical_url=url, extraction=ExtractionInfo(method="clean"))
    if url:
        article.site = urlsplit(url).hostname
    # Lines that can be anything but noise, with their position.
    usable: list[int] = []
    for i, (r, line) in enumerate(zip(raw, lines)):
        if not line or ticker.is_ticker_text(r) or ticker.is_ticker_label(line):
            continue
        found = parse_aggregator_line(line)
        if found and article.source is None:
            article.source, article.published = found
            article.extraction.published_from = "text"
            article.extraction.published_text = line
            continue
        if is_boilerplate_line(line) or _label(line, repeated):
            continue
        usable.append(i)

    prose = [i for i in usable if _prose(lines[i])]
    if not prose:
        article.body = "\n".join(lines[i] for i in usable)
        return article
    start, end = prose[0], _body_end(prose, [i for i, line in enumerate(lines) if line])
    head = _without_headline_lists([i for i in usable if i < start], lines)
    if head:
        title_at = next((i for i in head if len(lines[i].split()) <= TITLE_WORDS), head[0])
        article.title = lines[title_at]
        after = title_at + 1
        if after in head and not BYLINE.match(lines[after]):
            article.subtitle = lines[after]
    title_key = match_key(article.title)
    body = [
        lines[i]
        for i in usable
        if start <= i <= end and not (title_key and title_key in match_key(lines[i]) and
                                      len(lines[i].split()) < 3 * max(1, len(title_key.split())))
    ]
    article.body = "\n".join(body)
    return article
