"""The store: JSONL records, an SQLite index, WARC captures and run reports under data_dir.

    store = Store(data_dir)
    outcome = store.save(article, url=url, etag=etag, run_id=run_id)  # new/version/duplicate/unchanged
"""

from arshif.store.errors import PathError, StoreBusy, StoreError
from arshif.store.index import UrlState
from arshif.store.store import Store

__all__ = ["PathError", "Store", "StoreBusy", "StoreError", "UrlState"]
