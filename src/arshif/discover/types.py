"""Small types shared by the discovery sources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

# A DOCTYPE with an internal subset is how entity bombs and XXE arrive; real
# feeds and sitemaps never need one.
_ENTITY = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[", re.IGNORECASE)


@dataclass(slots=True)
class Candidate:
    url: str  # normalised
    lastmod: datetime | None = None  # when the source says it last changed (UTC)
    source: str = ""  # "feed", "sitemap", "section"


def unsafe_xml(data: bytes) -> bool:
    return bool(_ENTITY.search(data[:65536]))
