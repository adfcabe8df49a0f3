"""The daily archive job: discover -> fetch -> extract -> store, every site.

Hosts run in parallel (one worker thread per host); inside a host, requests
are sequential and paced by the fetcher, so a run takes about as long as its
busiest host, not the sum of all hosts. A site that fails entirely does not
stop the others.

Revisits: a URL the store already holds is not fetched again, unless
`refresh=True` or discovery (sitemap lastmod / news publication_date / feed
updated) says it changed after the store last saw it. A revisit is a
conditional GET with the stored ETag/Last-Modified, so unchanged pages cost a
304 and changed ones become a new version.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

from arshif.config import Config, ConfigError, SiteConfig
from arshif.dates import parse_timestamp
from arshif.discover import Candidate, discover_site
from arshif.lock import LockedError, archive_lock
from arshif.report import RunReport, SiteReport
from arshif.store.errors import StoreError

__all__ = ["ArchiveError", "LockedError", "RunReport", "run_archive"]

log = logging.getLogger(__name__)

MAX_WORKERS = 32
# Sitemaps often list an article hours after its lastmod; entries this much older
# than the last clean run are still read (known URLs cost only an index lookup).
SINCE_MARGIN = timedelta(days=2)
# Failures that say nothing about the page itself: try again next run, so
# discovery must not yet move its "since" mark past them.
_TRANSIENT = {"dns", "refused", "timeout", "reset", "http_5xx", "rate_limited", "error", "internal"}


class ArchiveError(RuntimeError):
    """The run could not continue (e.g. the store cannot be written)."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


class DiscoveryState:
    """Per-site discovery memory between runs (data_dir/discovery.json):
    `since` (start of the last clean run) and source validators (ETag/Last-Modified)."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        try:
            self.data = json.loads(path.read_text("utf-8"))
            if not isinstance(self.data, dict):
                raise ValueError
        except (OSError, ValueError):
            self.data = {}

    def get(self, site: str) -> dict:
        with self.lock:
            entry = self.data.get(site)
            return dict(entry) if isinstance(entry, dict) else {}

    def put(self, site: str, entry: dict) -> None:
        with self.lock:
            self.data[site] = entry
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), "utf-8")
            os.replace(tmp, self.path)  # atomic: a kill leaves the old or the new file


class Progress:
    """One self-rewriting line on a terminal; nothing at all otherwise."""

    def __init__(self, enabled: bool, total_sites: int):
        self.enabled = enabled
        self.total = total_sites
        self.done = 0
        self.fetched = 0
        self.new = 0
        self.lock = threading.Lock()
        self.last = 0.0

    def tick(self, *, fetched: int = 0, new: int = 0, done: int = 0) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.fetched += fetched
            self.new += new
            self.done += done
            now = time.monotonic()
            if now - self.last < 0.2 and not done:
                return
            self.last = now
            sys.stderr.write(
                f"\rarshif: sites {self.done}/{self.total}  fetched {self.fetched}  new {self.new}   "
            )
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


@dataclasses.dataclass
class _Run:
    config: Config
    store: object
    fetcher: object
    state: DiscoveryState
    run_id: int
    started: datetime
    refresh: bool
    progress: Progress
    stop: threading.Event
    profiles: dict[str, list]  # site name -> extraction profiles


def _profiles(config: Config) -> dict[str, list]:
    """Extraction profiles per site; a site's `profile` is bound to its host."""
    from arshif.extract.profiles import ProfileError, load_profiles

    try:
        loaded = load_profiles(config.profiles)
    except (ProfileError, TypeError, ValueError) as exc:
        raise ConfigError(f"profiles: {exc}") from None
    by_name = {p.name: p for p in loaded}
    out = {}
    for site in config.sites:
        if site.profile is None:
            out[site.name] = loaded
            continue
        if site.profile not in by_name:
            raise ConfigError(f"sites.{site.name}.profile: unknown profile {site.profile!r}")
        chosen = by_name[site.profile]
        bound = dataclasses.replace(chosen, domains=chosen.domains + (site.host.removeprefix("www."),))
        out[site.name] = [bound] + [p for p in loaded if p.name != chosen.name]
    return out


def _due(cand: Candidate, known, refresh: bool) -> bool:
    """Should a URL the store already knows be fetched again?"""
    if known is None or str(known.status or "").startswith("failed"):
        return True
    if refresh:
        return True
    seen = parse_timestamp(getattr(known, "last_seen", None))
    return bool(cand.lastmod and seen and cand.lastmod > seen)


def _article(run: _Run, site: SiteConfig, cand: Candidate, rep: SiteReport) -> None:
    from arshif.extract import extract, extract_bytes

    store, url = run.store, cand.url
    known = store.lookup(url)
    if not _due(cand, known, run.refresh):
        rep.known += 1
        return
    if rep.fetched >= run.config.max_articles_per_site:
        rep.deferred += 1
        return
    revisit = known is not None and not str(known.status or "").startswith("failed")
    res = run.fetcher.fetch(
        url,
        etag=known.etag if revisit else None,
        last_modified=known.last_modified if revisit else None,
        accept="html",
    )
    rep.fetched += 1
    run.progress.tick(fetched=1)
    store.capture(run.run_id, res, site=site.name)
    if res.status == "unchanged":
        store.mark(url, "unchanged", run_id=run.run_id, etag=res.etag or known.etag,
                   last_modified=res.last_modified or known.last_modified, site=site.name)
        rep.unchanged += 1
        return
    if not res.ok:
        kind = res.error_kind or "error"
        store.mark(url, f"failed:{kind}", run_id=run.run_id, error=res.error, site=site.name)
        rep.failed[kind] += 1
        log.debug("%s: %s", url, res.error or kind)
        return
    page_url = res.final_url or url
    try:
        if res.text is not None:
            article = extract(res.text, page_url, fetched_at=res.fetched_at, profiles=run.profiles[site.name])
        else:
            article = extract_bytes(res.content, page_url, fetched_at=res.fetched_at,
                                    profiles=run.profiles[site.name])
    except Exception as exc:  # the extractor promises not to raise; never lose the run if it does
        log.warning("%s: extraction failed: %s", url, exc)
        store.mark(url, "failed:extract_error", run_id=run.run_id, error=str(exc)[:200], site=site.name)
        rep.failed["extract_error"] += 1
        return
    if not article.body.strip():
        store.mark(url, "failed:no_body", run_id=run.run_id, error="no article text found", site=site.name)
        rep.failed["no_body"] += 1
        return
    try:
        outcome = store.save(article, url=url, etag=res.etag, last_modified=res.last_modified,
                             run_id=run.run_id, site=site.name)
    except StoreError as exc:
        if not str(exc).startswith("invalid record"):
            raise
        log.warning("%s", exc)
        store.mark(url, "failed:invalid_record", run_id=run.run_id, error=str(exc)[:200], site=site.name)
        rep.failed["invalid_record"] += 1
        return
    rep.count(outcome if outcome in ("new", "version", "duplicate", "unchanged") else "new")
    if outcome == "new":
        run.progress.tick(new=1)


def _archive_site(run: _Run, site: SiteConfig) -> SiteReport:
    rep = SiteReport(site.name)
    t0 = time.monotonic()
    memory = run.state.get(site.name)
    # --refresh rediscovers everything: no since filter, no conditional GET of sources.
    since = None if run.refresh else parse_timestamp(memory.get("since"))
    if since is not None:
        since -= SINCE_MARGIN
    validators = {} if run.refresh else memory.get("validators") or {}
    disc = discover_site(site, run.fetcher, since=since, validators=validators)
    rep.reached = disc.reached
    rep.discovered = len(disc.candidates)
    for _, reason in disc.failures:
        rep.sources_failed[reason] += 1
    for cand in disc.candidates:
        if run.stop.is_set():
            break
        _article(run, site, cand, rep)
    # Advance the discovery memory only when nothing was left behind, so a
    # failed, deferred or interrupted article is rediscovered next time.
    clean = (
        disc.reached and not disc.failures and not rep.deferred and not run.stop.is_set()
        and not any(k in _TRANSIENT for k in rep.failed)
    )
    if clean:
        run.state.put(site.name, {"since": run.started.isoformat(), "validators": disc.validators})
    elif memory.get("validators"):
        run.state.put(site.name, {"since": memory.get("since")})
    rep.elapsed = time.monotonic() - t0
    log.info(
        "%s: %d discovered, %d fetched, %d new, %d versions, %d failed%s",
        site.name, rep.discovered, rep.fetched, rep.new, rep.version, sum(rep.failed.values()),
        "" if rep.reached else " (site not reached)",
    )
    return rep


def _host_worker(run: _Run, sites: list[SiteConfig]) -> list[SiteReport]:
    reports = []
    for site in sites:
        if run.stop.is_set():
            reports.append(SiteReport(site.name, error="interrupted"))
            continue
        try:
            reports.append(_archive_site(run, site))
        except (OSError, StoreError) as exc:
            # The store could not be written: stop everything, keep what is stored.
            run.stop.set()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ArchiveError(f"store write failed: {reason}") from exc
        except ArchiveError:
            run.stop.set()
            raise
        except Exception as exc:  # one broken site must not stop the others
            log.exception("%s: site failed", site.name)
            reports.append(SiteReport(site.name, error=f"internal error: {exc}"[:200]))
        run.progress.tick(done=1)
    return reports


def _by_host(sites: list[SiteConfig]) -> list[list[SiteConfig]]:
    groups: dict[str, list[SiteConfig]] = {}
    for site in sites:
        groups.setdefault(site.host.removeprefix("www."), []).append(site)
    return list(groups.values())


def run_archive(
    config: Config,
    *,
    progress: bool = False,
    refresh: bool = False,
    sites: list[str] | None = None,
) -> RunReport:
    """Archive every configured site (or those named in `sites`) once.

    Raises ConfigError (bad config), LockedError (another run is active) or
    ArchiveError (the store failed mid-run; what was stored stays valid).
    """
    from arshif.fetch import Fetcher
    from arshif.store import Store

    chosen = config.sites
    if sites:
        unknown = sorted(set(sites) - {s.name for s in config.sites})
        if unknown:
            raise ConfigError(f"unknown site(s): {', '.join(unknown)}")
        chosen = [s for s in config.sites if s.name in sites]
    if not chosen:
        raise ConfigError("no [[sites]] configured")
    profiles = _profiles(config)
    data_dir = Path(config.data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if not data_dir.is_dir():
            raise NotADirectoryError(20, "not a directory")
    except OSError as exc:
        raise ConfigError(f"data_dir {data_dir}: {exc.strerror or exc}") from None
    report = RunReport(refresh=refresh)
    with archive_lock(data_dir):
        try:
            store = Store(data_dir)
        except (OSError, StoreError) as exc:
            raise ArchiveError(f"cannot open the store in {data_dir}: {exc}") from None
        fetcher = Fetcher(config.fetch_settings())
        started = _now()
        run_id = store.start_run()
        report.run_id, report.started = run_id, started.isoformat()
        t0 = time.monotonic()
        run = _Run(config, store, fetcher, DiscoveryState(data_dir / "discovery.json"), run_id,
                   started, refresh, Progress(progress, len(chosen)), threading.Event(), profiles)
        groups = _by_host(chosen)
        failure: BaseException | None = None
        pool = ThreadPoolExecutor(max_workers=min(len(groups), MAX_WORKERS), thread_name_prefix="host")
        futures = [pool.submit(_host_worker, run, group) for group in groups]
        try:
            for future in futures:
                future.exception()  # wait; results are collected below
        except BaseException as exc:  # KeyboardInterrupt/SIGTERM: let workers stop between articles
            run.stop.set()
            failure = exc
        finally:
            pool.shutdown(wait=True)
            run.progress.close()
        for future in futures:
            try:
                report.sites.extend(future.result())
            except ArchiveError as exc:
                failure = failure or exc
        order = {s.name: i for i, s in enumerate(chosen)}
        report.sites.sort(key=lambda r: order.get(r.site, 0))
        report.finished = _now().isoformat()
        report.elapsed = time.monotonic() - t0
        try:
            store.finish_run(run_id, report.to_dict())
        except (OSError, StoreError) as exc:
            if failure is None:
                failure = ArchiveError(f"cannot write the run report: {exc}")
        finally:
            fetcher.close()
            store.close()
        if failure is not None:
            raise failure
    return report
