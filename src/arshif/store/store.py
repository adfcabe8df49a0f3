"""The Store: records, index, raw captures and run reports under one data_dir.

Write order is what makes a kill harmless: the record line is appended and
fsynced first, then one SQLite transaction adds its index rows together with
the new indexed size of the file. Opening a store finishes whatever a killed
writer left: a torn last line is cut, lines the index never saw are indexed,
a torn WARC tail is cut. One writer per data_dir (a file lock); any number of
threads share it (one lock around every write).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import signal
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from arshif.article import Article, validator
from arshif.discover.urls import normalize
from arshif.store import index, records, warc
from arshif.store.errors import PathError, StoreBusy, StoreError
from arshif.store.index import URL_COLUMNS, UrlState
from arshif.store.paths import inside, site_slug

log = logging.getLogger(__name__)

# Fields that change on every fetch or extractor release without the article changing.
_VOLATILE = ("fetched_at", "extractor")

# One OS lock and one thread lock per data_dir and process, shared by every
# Store opened on it, so two Store objects in one process cannot race either.
_HELD: dict[Path, list[Any]] = {}
_HELD_GUARD = threading.Lock()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _day(fetched_at: str | None) -> str:
    try:
        when = datetime.fromisoformat((fetched_at or "").replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
    except ValueError:
        when = datetime.now(timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d")


def record_hash(record: dict[str, Any]) -> str:
    """Hash of the whole record except what changes on every fetch."""
    stable = {k: v for k, v in record.items() if k not in _VOLATILE}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:
        return None


def _url_key(url: str | None) -> str | None:
    return normalize(url) if url else None


class Store:
    def __init__(self, data_dir: str | Path, *, readonly: bool = False, fsync: bool = True):
        self.root = Path(data_dir)
        self.readonly = readonly
        self.fsync = fsync
        self._warcs: dict[int, Any] = {}
        self._broken: str | None = None
        self._valid = validator()
        path = self.root / "index.sqlite"
        if readonly:
            if not path.exists():
                raise StoreError(f"no store at {self.root} (run `arshif archive` first)")
            self._lock: threading.RLock = threading.RLock()
        else:
            for sub in ("records", "warc", "runs"):
                try:
                    (self.root / sub).mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"cannot create {self.root / sub}: {exc.strerror or exc}") from exc
            self._lock = self._acquire()
            _ignore_sigxfsz()
        self._db = None
        self._closed = False
        # What opening had to repair after a killed writer (all zero after a clean close).
        self.recover_report: dict[str, int] = {}
        try:
            self._db = index.connect(path, readonly=readonly)
            if not readonly:
                with self._lock:
                    self.recover_report = self.recover()
        except BaseException:
            self.close()
            raise

    # -- process and thread locking ------------------------------------------

    def _acquire(self) -> threading.RLock:
        key = self.root.resolve()
        with _HELD_GUARD:
            if key in _HELD:
                _HELD[key][1] += 1
                return _HELD[key][2]
            try:
                fh = open(key / ".store.lock", "a+")
            except OSError as exc:
                raise StoreError(f"cannot lock {self.root}: {exc.strerror or exc}") from exc
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.close()
                raise StoreBusy(f"{self.root} is in use by another arshif process") from None
            lock = threading.RLock()
            _HELD[key] = [fh, 1, lock]
            return lock

    def _release(self) -> None:
        key = self.root.resolve()
        with _HELD_GUARD:
            held = _HELD.get(key)
            if held is None:
                return
            held[1] -= 1
            if held[1] == 0:
                held[0].close()  # closing drops the flock
                del _HELD[key]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            for fh in self._warcs.values():
                fh.close()
            self._warcs.clear()
            if self._db is not None:
                self._db.close()
                self._db = None
        if not self.readonly:
            self._release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- helpers --------------------------------------------------------------

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root.resolve()).as_posix()

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError("store opened read-only")
        if self._broken:
            raise StoreError(f"store unusable after an earlier failure: {self._broken}")

    def _tx(self, statements: list[tuple[str, Any]]) -> None:
        """Run statements in one transaction; StoreError (rolled back) on failure."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                db.execute(sql, params)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise StoreError(f"cannot update the index: {exc}") from exc

    def _site(self, name: str | None, *derived: str | None) -> str:
        """The caller's site name (must be usable), else the first usable page-derived one."""
        if name:
            return site_slug(name)
        for candidate in derived:
            try:
                return site_slug(candidate)
            except PathError:
                continue  # a hostile page's host is not a reason to lose its record
        return "unknown"

    # -- records --------------------------------------------------------------

    def lookup(self, url: str) -> UrlState | None:
        """What is known about a URL, by its normalised form (fetched or canonical)."""
        keys = [k for k in dict.fromkeys((_url_key(url), url)) if k]
        with self._lock:
            for key in keys:
                row = self._db.execute(f"SELECT {URL_COLUMNS} FROM urls WHERE url = ?", (key,)).fetchone()
                if row:
                    return UrlState(**dict(row))
        return None

    def save(
        self,
        article: Article,
        *,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        run_id: int | None = None,
        site: str | None = None,
        compare: str = "content",
    ) -> str:
        """Store an article fetched from `url`: "new", "version", "duplicate" or "unchanged".

        `compare="content"` (the archive job) makes a new version only when the
        body changed; `compare="record"` (reextract) also when any metadata did,
        and is not a visit: the URLs' status, validators and last-seen stay.
        """
        record = article.to_dict()
        error = next(self._valid.iter_errors(record), None)
        if error is not None:
            raise StoreError(f"invalid record for {url}: {error.message}")
        rid, chash, rhash = record["id"], record["content_hash"], record_hash(record)
        site_name = self._site(site, article.site, _host(article.canonical_url), _host(url))
        now = _now()
        fetched = _url_key(url) or url
        keys = dict.fromkeys(k for k in (fetched, _url_key(article.url), _url_key(article.canonical_url)) if k)
        with self._lock:
            self._writable()
            db = self._db
            latest = db.execute(
                "SELECT version, content_hash, record_hash FROM records WHERE record_id = ?"
                " ORDER BY version DESC LIMIT 1",
                (rid,),
            ).fetchone()
            target, version, statements = rid, 1, []
            if latest:
                same = latest["content_hash"] == chash if compare == "content" else latest["record_hash"] == rhash
                outcome = "unchanged" if same else "version"
                version = latest["version"] + (0 if same else 1)
            else:
                dup = None
                if record["word_count"]:  # empty bodies all hash alike; never alias them
                    dup = db.execute(
                        "SELECT record_id, MAX(version) AS version FROM records"
                        " WHERE content_hash = ? AND record_id != ? GROUP BY record_id LIMIT 1",
                        (chash, rid),
                    ).fetchone()
                if dup is None:
                    outcome = "new"
                else:
                    target, version = dup["record_id"], dup["version"]
                    known = db.execute("SELECT record_id FROM aliases WHERE alias_id = ?", (rid,)).fetchone()
                    outcome = "unchanged" if known and known["record_id"] == target else "duplicate"
                    statements.append((
                        "INSERT OR REPLACE INTO aliases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (rid, target, chash, article.url or url, article.canonical_url, site_name, now, run_id),
                    ))
            visit = compare == "content"
            for key in keys:
                if not visit and outcome in ("unchanged", "duplicate"):
                    break
                own = key == fetched
                statements.append((index.UPSERT_URL if visit else index.REPOINT_URL, {
                    "url": key, "site": site_name if site else None, "site_default": site_name,
                    "record_id": target, "content_hash": chash,
                    "etag": etag if own else None, "last_modified": last_modified if own else None,
                    "status": outcome, "error": None, "now": now, "version": version, "run_id": run_id,
                }))
            if outcome in ("new", "version"):
                self._append(record, site_name, version, rhash, run_id, now, statements)
            else:
                self._tx(statements)
        return outcome

    def _append(self, record, site_name, version, rhash, run_id, now, statements) -> None:
        path = inside(self.root, "records", site_name, _day(record["fetched_at"]) + ".jsonl")
        line = records.encode(record)
        offset = records.append_line(path, line, fsync=self.fsync)
        rel = self._rel(path)
        statements += [
            (index.INSERT_RECORD, {
                "record_id": record["id"], "version": version, "content_hash": record["content_hash"],
                "record_hash": rhash, "site": site_name, "url": record["url"],
                "canonical_url": record["canonical_url"], "file": rel, "offset": offset,
                "length": len(line), "fetched_at": record["fetched_at"], "now": now, "run_id": run_id,
            }),
            (index.SET_FILE_SIZE, (rel, offset + len(line))),
        ]
        try:
            self._tx(statements)
        except StoreError:
            # A line the index does not know would be re-indexed on the next open;
            # cut it now so this process can go on with a consistent store.
            try:
                records.truncate(path, offset)
            except OSError as exc:
                self._broken = f"cannot cut back {rel}: {exc.strerror or exc}"
            raise

    def mark(
        self,
        url: str,
        status: str,
        *,
        run_id: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        site: str | None = None,
    ) -> None:
        """Record an outcome without a record, e.g. "unchanged" after a 304 or "failed:timeout"."""
        key = _url_key(url) or url
        params = {
            "url": key, "site": site_slug(site) if site else None, "site_default": self._site(None, _host(url)),
            "record_id": None, "content_hash": None, "etag": etag, "last_modified": last_modified,
            "status": status, "error": error, "now": _now(), "version": None, "run_id": run_id,
        }
        with self._lock:
            self._writable()
            self._tx([(index.UPSERT_URL, params)])

    def get(self, record_id: str, version: int | None = None) -> dict[str, Any] | None:
        """One stored record (the latest version unless `version` is given)."""
        sql = "SELECT file, offset, length FROM records WHERE record_id = ?"
        args: tuple = (record_id,)
        if version is not None:
            sql, args = sql + " AND version = ?", (record_id, version)
        with self._lock:
            row = self._db.execute(sql + " ORDER BY version DESC LIMIT 1", args).fetchone()
        if row is None:
            return None
        with open(self.root / row["file"], "rb") as fh:
            fh.seek(row["offset"])
            return json.loads(fh.read(row["length"]))

    def iter_records(self, site: str | None = None) -> Iterator[dict[str, Any]]:
        """Every stored line (all versions), oldest day first, per site."""
        base = self.root / "records"
        dirs = [inside(self.root, "records", site_slug(site))] if site else sorted(base.glob("*"))
        for folder in dirs:
            for path in self._own(sorted(folder.glob("*.jsonl"))):
                yield from records.iter_file(path)

    def _own(self, paths: list[Path]) -> list[Path]:
        """Paths that really are inside data_dir (a planted symlink is ignored)."""
        root = self.root.resolve()
        keep = [p for p in paths if p.resolve().is_relative_to(root)]
        for p in set(paths) - set(keep):
            log.warning("%s points outside the data dir; ignored", p)
        return keep

    # -- recovery -------------------------------------------------------------

    def recover(self) -> dict[str, int]:
        """Finish what a killed writer left; returns counts of what was repaired."""
        done = {"lines_indexed": 0, "warc_cut": 0, "runs_loaded": 0, "captures_indexed": 0}
        with self._lock:
            self._writable()
            sizes = dict(self._db.execute("SELECT file, size FROM files").fetchall())
            for path in self._own(sorted((self.root / "records").glob("*/*.jsonl"))):
                rel = self._rel(path.resolve())
                start = sizes.get(rel, 0)
                if path.stat().st_size < start:
                    log.warning("%s is shorter than indexed; rebuilding the index", rel)
                    return self.rebuild_index()
                if path.stat().st_size > start:
                    done["lines_indexed"] += self._index_tail(path, rel, start)
            done["warc_cut"], done["captures_indexed"] = self._recover_warcs()
            done["runs_loaded"] = self._recover_runs()
        if any(done.values()):
            log.info("store recovered: %s", done)
        return done

    def _index_tail(self, path: Path, rel: str, start: int) -> int:
        lines, end = records.repair_tail(path, start)
        statements: list[tuple[str, Any]] = []
        versions: dict[str, int] = {}
        now = _now()
        site_name = path.parent.name
        for line in lines:
            rec = line.record
            if not rec or not isinstance(rec.get("id"), str) or not isinstance(rec.get("content_hash"), str):
                log.warning("%s@%d: not a record line; left out of the index", rel, line.offset)
                continue
            rid = rec["id"]
            if rid not in versions:
                row = self._db.execute("SELECT MAX(version) FROM records WHERE record_id = ?", (rid,)).fetchone()
                versions[rid] = row[0] or 0
            versions[rid] += 1
            version = versions[rid]
            statements.append((index.INSERT_RECORD, {
                "record_id": rid, "version": version, "content_hash": rec["content_hash"],
                "record_hash": record_hash(rec), "site": site_name, "url": rec.get("url"),
                "canonical_url": rec.get("canonical_url"), "file": rel, "offset": line.offset,
                "length": line.length, "fetched_at": rec.get("fetched_at"), "now": now, "run_id": None,
            }))
            for key in dict.fromkeys(_url_key(u) for u in (rec.get("url"), rec.get("canonical_url"))):
                if key:
                    statements.append((index.UPSERT_URL, {
                        "url": key, "site": None, "site_default": site_name,
                        "record_id": rid, "content_hash": rec["content_hash"],
                        "etag": None, "last_modified": None, "status": "new" if version == 1 else "version",
                        "error": None, "now": now, "version": version, "run_id": None,
                    }))
        statements.append((index.SET_FILE_SIZE, (rel, end)))
        self._tx(statements)
        return sum(1 for sql, _ in statements if sql is index.INSERT_RECORD)

    def _recover_warcs(self) -> tuple[int, int]:
        cut = indexed = 0
        for path in self._own(sorted((self.root / "warc").glob("*.warc.gz"))):
            rel = self._rel(path.resolve())
            row = self._db.execute(
                "SELECT COUNT(*), MAX(offset + length) FROM captures WHERE file = ?", (rel,)
            ).fetchone()
            end = row[1] or 0
            if not row[0]:
                indexed_here, end = self._index_warc(path, rel)
                indexed += indexed_here
            if path.stat().st_size > end:
                cut += 1
                if end:
                    records.truncate(path, end)
                else:
                    path.unlink()
        return cut, indexed

    def _index_warc(self, path: Path, rel: str) -> tuple[int, int]:
        """Index the captures of a WARC the index does not know; returns (count, end)."""
        try:
            run_id: int | None = int(path.name.split(".")[0])
        except ValueError:
            run_id = None
        statements, end = [], 0
        for start, end, cap in warc.iter_captures(path):
            statements.append(self._capture_row(
                run_id, None, cap.url, cap.final_url, cap.http_status, cap.fetched_at, rel, start, end - start
            ))
        if statements:
            self._tx(statements)
        return len(statements), end

    def _recover_runs(self) -> int:
        if self._db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]:
            return 0
        statements = []
        for path in sorted((self.root / "runs").glob("*.json")):
            try:
                data = json.loads(path.read_text())
                run_id = int(path.stem)
            except (ValueError, OSError):
                continue
            statements.append((
                "INSERT OR IGNORE INTO runs VALUES (?, ?, ?, ?)",
                (run_id, data.get("started_at") or "", data.get("finished_at"), json.dumps(data, ensure_ascii=False)),
            ))
        if statements:
            self._tx(statements)
        return len(statements)

    def rebuild_index(self) -> dict[str, int]:
        """Re-derive records from the JSONL files (URL states, aliases and runs are kept)."""
        with self._lock:
            self._writable()
            self._tx([("DELETE FROM records", ()), ("DELETE FROM files", ())])
            return self.recover()

    # -- runs and captures ----------------------------------------------------

    def start_run(self) -> int:
        with self._lock:
            self._writable()
            try:
                cur = self._db.execute("INSERT INTO runs (started_at) VALUES (?)", (_now(),))
            except sqlite3.Error as exc:
                raise StoreError(f"cannot record the run: {exc}") from exc
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, report: dict[str, Any]) -> None:
        """Store the run's report in the index and as data_dir/runs/<run_id>.json."""
        now = _now()
        with self._lock:
            self._writable()
            fh = self._warcs.pop(run_id, None)
            if fh is not None:
                fh.close()
            row = self._db.execute("SELECT started_at FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            full = {"run_id": run_id, "started_at": row[0] if row else None, "finished_at": now, **report}
            text = json.dumps(full, ensure_ascii=False, indent=2)
            path = inside(self.root, "runs", f"{int(run_id)}.json")
            tmp = path.with_suffix(".json.tmp")
            try:
                tmp.write_text(text + "\n")
                os.replace(tmp, path)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
            self._tx([(
                "INSERT INTO runs (run_id, started_at, finished_at, report) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, report = excluded.report",
                (run_id, full["started_at"] or now, now, text),
            )])

    def runs(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs, newest first: run_id, started_at, finished_at (None if killed), report."""
        with self._lock:
            rows = self._db.execute(
                "SELECT run_id, started_at, finished_at, report FROM runs ORDER BY run_id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [{**dict(r), "report": json.loads(r["report"]) if r["report"] else None} for r in rows]

    @staticmethod
    def _capture_row(run_id, site, url, final_url, http_status, fetched_at, rel, offset, length):
        return (
            "INSERT INTO captures (run_id, site, url, final_url, http_status, fetched_at, file, offset, length)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, site, url, final_url, http_status, fetched_at, rel, offset, length),
        )

    def capture(self, run_id: int | None, result: Any, *, site: str | None = None) -> None:
        """Append the raw HTTP exchange of a FetchResult to the run's WARC (nothing without a response)."""
        if not getattr(result, "http_status", None):
            return
        data = warc.build_capture(result)
        name = f"{int(run_id)}.warc.gz" if run_id is not None else "0.warc.gz"
        site_name = self._site(site, _host(result.final_url or result.url))
        with self._lock:
            self._writable()
            path = inside(self.root, "warc", name)
            fh = self._warcs.get(run_id)
            try:
                if fh is None:
                    fh = self._warcs[run_id] = open(path, "ab")
                    if os.fstat(fh.fileno()).st_size == 0:
                        fh.write(warc.build_warcinfo(name))
                        fh.flush()
                # The file's size, not tell(): another Store in this process may have appended.
                offset = os.fstat(fh.fileno()).st_size
                fh.write(data)
                fh.flush()
                if self.fsync:
                    os.fsync(fh.fileno())
            except OSError as exc:
                if self._warcs.pop(run_id, None) is not None:
                    fh.close()
                self._cut_warc(path)
                raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
            try:
                self._tx([self._capture_row(run_id, site_name, result.url, result.final_url or result.url,
                                            int(result.http_status), result.fetched_at,
                                            self._rel(path), offset, len(data))])
            except StoreError:
                self._warcs.pop(run_id, None)
                fh.close()
                self._cut_warc(path)
                raise

    def _cut_warc(self, path: Path) -> None:
        try:
            self._recover_warcs()
        except (OSError, StoreError) as exc:
            self._broken = f"cannot cut back {path.name}: {exc}"

    def captures(self, site: str | None = None) -> list[dict[str, Any]]:
        """The newest 200 capture of each URL (what reextract works on)."""
        sql = (
            "SELECT * FROM captures WHERE id IN (SELECT MAX(id) FROM captures WHERE http_status = 200"
            " GROUP BY COALESCE(final_url, url))"
        )
        args: tuple = ()
        if site:
            sql += " AND (site = ? OR url IN (SELECT url FROM urls WHERE site = ?))"
            args = (site_slug(site), site_slug(site))
        with self._lock:
            return [dict(r) for r in self._db.execute(sql + " ORDER BY id", args).fetchall()]

    def read_capture(self, row: dict[str, Any]) -> warc.Capture | None:
        return warc.read_capture(inside(self.root, *row["file"].split("/")), row["offset"], row["length"])

    # -- statistics -----------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Per-site counts (records, versions, aliases, failures) and the last run."""
        q = self._db.execute
        with self._lock:
            sites: dict[str, dict[str, Any]] = {}

            def site(name):
                return sites.setdefault(name, {"records": 0, "versions": 0, "aliases": 0, "failures": 0,
                                               "failures_by_reason": {}})

            for r in q("SELECT site, COUNT(DISTINCT record_id), SUM(version > 1) FROM records GROUP BY site"):
                site(r[0]).update(records=r[1], versions=r[2] or 0)
            for r in q("SELECT site, COUNT(*) FROM aliases GROUP BY site"):
                site(r[0])["aliases"] = r[1]
            for r in q("SELECT site, status, COUNT(*) FROM urls WHERE status LIKE 'failed%' GROUP BY site, status"):
                entry = site(r[0] or "unknown")
                entry["failures"] += r[2]
                entry["failures_by_reason"][r[1].partition(":")[2] or r[1]] = r[2]
            last = self.runs(1)
            if last:
                fails = q(
                    "SELECT url, site, status, error FROM urls WHERE run_id = ? AND status LIKE 'failed%'"
                    " ORDER BY site, url LIMIT 100",
                    (last[0]["run_id"],),
                ).fetchall()
                last[0]["failures"] = [
                    {"url": f["url"], "site": f["site"], "reason": f["status"].partition(":")[2] or f["status"],
                     "error": f["error"]} for f in fails
                ]
            totals = {k: sum(s[k] for s in sites.values()) for k in ("records", "versions", "aliases", "failures")}
            totals["urls"] = q("SELECT COUNT(*) FROM urls").fetchone()[0]
            totals["captures"] = q("SELECT COUNT(*) FROM captures").fetchone()[0]
            totals["runs"] = q("SELECT COUNT(*) FROM runs").fetchone()[0]
        return {"data_dir": str(self.root), "totals": totals, "sites": dict(sorted(sites.items())),
                "last_run": last[0] if last else None}


def _ignore_sigxfsz() -> None:
    """Past RLIMIT_FSIZE the kernel kills with SIGXFSZ; ignored, the write fails with EFBIG instead."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
