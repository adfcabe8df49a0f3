"""Document-order positions and short element texts, computed once per page.

Metadata looks for bylines, date stamps and credit lines *near the headline*;
this index answers "where is this element" and "what short texts follow it"
without re-walking the tree for every question.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from arshif.text import clean_line

_SILENT = {"script", "style", "noscript", "template", "svg"}


class TextIndex:
    def __init__(self, tree: etree._Element, limit: int = 200):
        self.tree = tree
        self._order: dict[etree._Element, int] = {}
        elements = []
        for i, el in enumerate(tree.iter()):
            self._order[el] = i
            if isinstance(el.tag, str):
                elements.append(el)
        # Bottom-up: children come after their parent in document order, so the
        # reversed walk sees every child before it is needed. None = too long.
        text: dict[etree._Element, str | None] = {}
        for el in reversed(elements):
            parts: list[str] | None = [] if el.tag in _SILENT else [el.text or ""]
            for child in el:
                if parts is None:
                    break
                if isinstance(child.tag, str) and child.tag not in _SILENT:
                    sub = text.get(child)
                    if sub is None:
                        parts = None
                        break
                    parts.append(sub)
                parts.append(child.tail or "")
            joined = "".join(parts) if parts is not None else None
            text[el] = joined if joined is not None and len(joined) <= limit * 3 else None
        self.short: list[tuple[etree._Element, str]] = []
        for el in elements:
            raw = text.get(el)
            if raw and el.tag not in _SILENT:
                # Cheap whitespace collapse here; callers clean what they keep.
                cleaned = " ".join(raw.split())
                if cleaned and len(cleaned) <= limit:
                    self.short.append((el, cleaned))

    def position(self, el: etree._Element) -> int:
        return self._order.get(el, 0)

    @staticmethod
    def inside(el: etree._Element, tags: set[str]) -> bool:
        return any(a.tag in tags for a in el.iterancestors())

    def texts_after(self, anchor: etree._Element | None, count: int) -> Iterator[str]:
        """Short element texts after `anchor` (from the top when None), outermost first."""
        start = self.position(anchor) if anchor is not None else -1
        seen = 0
        last = None
        for el, text in self.short:
            if self.position(el) <= start or text == last:
                continue
            last = text
            yield text
            seen += 1
            if seen >= count:
                return

    def sample_text(self) -> str:
        """Running text for language detection: paragraphs, else the whole page."""
        paras = [clean_line(p.text_content()) for p in self.tree.iter("p")]
        text = " ".join(p for p in paras if p)
        if len(text) < 200:
            body = self.tree.find("body")
            node = body if body is not None else self.tree
            text = " ".join(node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))
        return text[:20000]


def article_container(title_el: etree._Element | None) -> etree._Element | None:
    """The smallest ancestor of the headline that also holds the story's paragraphs."""
    if title_el is None:
        return None
    for anc in title_el.iterancestors():
        paras = [p for p in anc.iter("p") if len(p.text_content().strip()) > 40]
        if len(paras) >= 2:
            return anc
    return None
