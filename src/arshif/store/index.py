"""The SQLite index (data_dir/index.sqlite): what is where, and what was seen.

The JSONL record files are the source of truth; `records` and `files` can be
rebuilt from them. `files.size` is how many bytes of each record file are
indexed, committed in the same transaction as the rows for those bytes: a
record file longer than that holds lines the index has not seen yet.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from arshif.store.errors import StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
  record_id TEXT NOT NULL, version INTEGER NOT NULL,
  content_hash TEXT NOT NULL, record_hash TEXT NOT NULL,
  site TEXT NOT NULL, url TEXT, canonical_url TEXT,
  file TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
  fetched_at TEXT, stored_at TEXT NOT NULL, run_id INTEGER,
  PRIMARY KEY (record_id, version)
);
CREATE INDEX IF NOT EXISTS records_hash ON records (content_hash);
CREATE INDEX IF NOT EXISTS records_site ON records (site);
CREATE TABLE IF NOT EXISTS urls (
  url TEXT PRIMARY KEY, site TEXT, record_id TEXT, content_hash TEXT,
  etag TEXT, last_modified TEXT, status TEXT NOT NULL, error TEXT,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, version INTEGER, run_id INTEGER
);
CREATE INDEX IF NOT EXISTS urls_record ON urls (record_id);
CREATE INDEX IF NOT EXISTS urls_site_status ON urls (site, status);
CREATE TABLE IF NOT EXISTS aliases (
  alias_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, content_hash TEXT NOT NULL,
  url TEXT, canonical_url TEXT, site TEXT, first_seen TEXT NOT NULL, run_id INTEGER
);
CREATE TABLE IF NOT EXISTS files (file TEXT PRIMARY KEY, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,
  finished_at TEXT, report TEXT
);
CREATE TABLE IF NOT EXISTS captures (
  id INTEGER PRIMARY KEY, run_id INTEGER, site TEXT, url TEXT, final_url TEXT,
  http_status INTEGER, fetched_at TEXT,
  file TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS captures_url ON captures (url);
"""


@dataclass(frozen=True, slots=True)
class UrlState:
    url: str
    record_id: str | None
    content_hash: str | None
    etag: str | None
    last_modified: str | None
    status: str  # last outcome: new, version, unchanged, duplicate, failed:<kind>, ...
    first_seen: str
    last_seen: str
    version: int | None
    site: str | None = None
    error: str | None = None


URL_COLUMNS = "url, record_id, content_hash, etag, last_modified, status, first_seen, last_seen, version, site, error"


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    try:
        if readonly:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        else:
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives a killed process (not a power cut),
            # and the record line itself was fsynced before the commit.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
        db.execute("PRAGMA busy_timeout=10000")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open index {path}: {exc}") from exc
    db.row_factory = sqlite3.Row
    return db


UPSERT_URL = """
INSERT INTO urls (url, site, record_id, content_hash, etag, last_modified, status, error,
                  first_seen, last_seen, version, run_id)
VALUES (:url, COALESCE(:site, :site_default), :record_id, :content_hash, :etag, :last_modified, :status, :error,
        :now, :now, :version, :run_id)
ON CONFLICT (url) DO UPDATE SET
  site = COALESCE(:site, urls.site),  -- a derived site name never replaces the caller's
  record_id = COALESCE(excluded.record_id, urls.record_id),
  content_hash = COALESCE(excluded.content_hash, urls.content_hash),
  version = COALESCE(excluded.version, urls.version),
  etag = COALESCE(excluded.etag, urls.etag),
  last_modified = COALESCE(excluded.last_modified, urls.last_modified),
  status = excluded.status, error = excluded.error,
  last_seen = excluded.last_seen, run_id = COALESCE(excluded.run_id, urls.run_id)
"""

# For a re-extraction: not a visit, so only which record/version a URL points to changes.
REPOINT_URL = UPSERT_URL[: UPSERT_URL.index("ON CONFLICT")] + """ON CONFLICT (url) DO UPDATE SET
  record_id = excluded.record_id, content_hash = excluded.content_hash, version = excluded.version
"""

INSERT_RECORD = """
INSERT INTO records (record_id, version, content_hash, record_hash, site, url, canonical_url,
                     file, offset, length, fetched_at, stored_at, run_id)
VALUES (:record_id, :version, :content_hash, :record_hash, :site, :url, :canonical_url,
        :file, :offset, :length, :fetched_at, :now, :run_id)
"""

SET_FILE_SIZE = """
INSERT INTO files (file, size) VALUES (?, ?)
ON CONFLICT (file) DO UPDATE SET size = excluded.size
"""
