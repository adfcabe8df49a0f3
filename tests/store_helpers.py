"""Articles and checks shared by the store tests (invented Arabic text)."""

from __future__ import annotations

import json
from pathlib import Path

from arshif.article import Article, validator

WORDS = "قالت مصادر محلية إن المجلس البلدي ناقش خطة جديدة لتوسعة الحدائق العامة وتحسين الإنارة في الأحياء".split()


def article(n: int, *, site: str = "news.test", body: str | None = None, **extra) -> Article:
    """Article number `n`: a distinct body unless `body` is given."""
    url = f"https://{site}/news/{n}"
    text = body if body is not None else " ".join(WORDS[(n + i) % len(WORDS)] for i in range(12)) + f" رقم {n}."
    return Article(
        url=url,
        canonical_url=url,
        site=site,
        title=f"خبر رقم {n}",
        body=text + "\nفقرة ثانية عن الموضوع نفسه.",
        fetched_at="2026-03-05T08:00:00+00:00",
        **extra,
    )


def jsonl_lines(root: Path) -> list[dict]:
    """Every line of every record file; fails on a torn or invalid line."""
    out = []
    for path in sorted((root / "records").glob("*/*.jsonl")):
        data = path.read_bytes()
        assert not data or data.endswith(b"\n"), f"{path}: unterminated last line"
        for raw in data.splitlines():
            record = json.loads(raw)
            validator().validate(record)
            out.append(record)
    return out


def valid(record: dict) -> bool:
    return validator().is_valid(record)
