"""Re-run the current extractor over the stored WARC captures.

Only the newest successful capture of each URL is used, so an old capture
never overwrites a newer record. A record that comes out different from the
stored one in any field (not only the body) is stored as a new version.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from arshif.extract import extract_bytes
from arshif.store.store import Store

log = logging.getLogger(__name__)


def reextract(store: Store, *, site: str | None = None, profiles: list | None = None) -> dict[str, Any]:
    """Counts: captures read, and new / version / unchanged / duplicate / no_body / failed."""
    counts: Counter[str] = Counter()
    for row in store.captures(site):
        counts["captures"] += 1
        try:
            cap = store.read_capture(row)
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable capture: %s", row["url"], exc)
            counts["failed"] += 1
            continue
        if cap is None:
            counts["failed"] += 1
            continue
        article = extract_bytes(
            cap.content, cap.final_url, http_charset=cap.charset, fetched_at=cap.fetched_at, profiles=profiles
        )
        if not article.body.strip():
            counts["no_body"] += 1
            continue
        counts[store.save(article, url=cap.url, site=row["site"], compare="record")] += 1
    return {k: counts[k] for k in ("captures", "new", "version", "unchanged", "duplicate", "no_body", "failed")}
