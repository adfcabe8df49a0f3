"""Helpers shared by the fetch tests: fast settings and the fixture article in several encodings."""

from __future__ import annotations

from pathlib import Path

from arshif.fetch import FetchSettings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http"
ARTICLE = FIXTURES / "article.html"
HEADLINE = "افتتاح مكتبة عامة جديدة في حي الزيتون"


def fast(**overrides) -> FetchSettings:
    """Settings that keep every wait in a test well under a second."""
    base = dict(
        contact="https://tests.invalid/arshif",
        connect_timeout=1.0,
        read_timeout=1.0,
        delay=0.0,
        retries=2,
        backoff=0.01,
        max_retry_after=2.0,
        allow_private=True,  # the test server is on 127.0.0.1
    )
    base.update(overrides)
    return FetchSettings(**base)


def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def article_1256(declared: str | None = "windows-1256") -> bytes:
    """The fixture article as windows-1256 bytes, with or without a <meta charset>."""
    meta = f'<meta charset="{declared}">' if declared else ""
    return article_text().replace('<meta charset="utf-8">', meta).encode("cp1256")
