"""Fetch stage: polite, bounded HTTP. `Fetcher(settings).fetch(url) -> FetchResult`.

Never touches extraction or the store; every network or HTTP problem comes back
as a FetchResult with an `error_kind`, so callers can count them.
"""

from arshif.fetch.client import Fetcher
from arshif.fetch.result import ERROR_KINDS, FetchResult
from arshif.fetch.settings import FetchSettings

__all__ = ["ERROR_KINDS", "FetchResult", "FetchSettings", "Fetcher"]
