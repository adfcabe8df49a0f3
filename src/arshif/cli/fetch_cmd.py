"""`arshif fetch URL`: fetch one page politely, extract it, print the record.

The URL is an explicit request from the user, so loopback and private
addresses are allowed unless --no-private is given (the archive job refuses
them by default). robots.txt is still honoured.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from arshif.cli.common import EXIT_FETCH, EXIT_LOCKED, EXIT_ROBOTS, CliError, add_command, emit
from arshif.extract import extract_bytes
from arshif.fetch import Fetcher, FetchResult, FetchSettings

log = logging.getLogger(__name__)


def register(sub) -> None:
    p = add_command(
        sub,
        "fetch",
        "Fetch one URL, extract the article and print its record as JSON "
        "(exit 3 when it cannot be fetched, 4 when robots.txt forbids it).",
        "arshif fetch https://www.example.com/news/2025/03/14/library.html --save --data-dir archive",
    )
    p.add_argument("url", metavar="URL", help="http(s) URL of an article page")
    p.add_argument("--config", metavar="PATH", help="config.toml: contact, timeout, max_bytes, data_dir")
    p.add_argument("--save", action="store_true", help="also write the record to the store")
    p.add_argument("--data-dir", metavar="DIR", help="store directory for --save (default: the config's data_dir)")
    p.add_argument(
        "--no-private",
        action="store_true",
        help="refuse loopback/private/link-local addresses (allowed by default for this command)",
    )
    p.add_argument("--timeout", type=float, metavar="S", help="read timeout and body deadline in seconds")
    p.set_defaults(func=run)


def _settings(args, config) -> FetchSettings:
    settings = config.fetch_settings() if config is not None else FetchSettings()
    settings.allow_private = not args.no_private
    settings.delay = 0.0  # a single request has no one to wait for
    if args.timeout is not None:
        if args.timeout <= 0:
            raise CliError("--timeout must be positive")
        settings.read_timeout = args.timeout
        settings.connect_timeout = min(settings.connect_timeout, args.timeout)
    return settings


def _load_config(path: str | None):
    if not path:
        return None
    from arshif.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def _profiles(config, url: str):
    """The extraction profiles the archive job would use for this URL's site."""
    if config is None:
        return None  # the shipped profiles, as `arshif extract` uses
    from arshif import archive
    from arshif.config import ConfigError
    from arshif.extract.profiles import load_profiles

    host = (urlsplit(url).hostname or "").removeprefix("www.")
    try:
        by_site = archive._profiles(config)  # one rule for binding a site's profile: the archive's
        for site in config.sites:
            if site.host.removeprefix("www.") == host:
                return by_site[site.name]
        return load_profiles(config.profiles)
    except (ConfigError, ValueError, TypeError) as exc:
        raise CliError(f"profiles: {exc}") from None


def _fail(result: FetchResult) -> CliError:
    code = EXIT_ROBOTS if result.error_kind == "robots" else EXIT_FETCH
    return CliError(f"{result.url}: {result.error_kind}: {result.error}", code)


def _save(article, result: FetchResult, data_dir: Path) -> str:
    from arshif.store import Store, StoreBusy, StoreError

    try:
        store = Store(data_dir)
        try:
            run_id = store.start_run()
            store.capture(run_id, result)
            outcome = store.save(
                article,
                url=result.final_url or result.url,
                etag=result.etag,
                last_modified=result.last_modified,
                run_id=run_id,
            )
            store.finish_run(run_id, {"command": "fetch", "url": result.url, "outcome": outcome})
            return outcome
        finally:
            store.close()
    except StoreBusy as exc:
        raise CliError(str(exc), EXIT_LOCKED) from None
    except (StoreError, OSError, ValueError) as exc:
        raise CliError(f"cannot save to {data_dir}: {exc}") from None


def run(args) -> int:
    config = _load_config(args.config)
    with Fetcher(_settings(args, config)) as fetcher:
        result = fetcher.fetch(args.url)
    if not result.ok:
        raise _fail(result)
    log.info(
        "fetched %s: HTTP %s, %d bytes, %s (%s)",
        result.final_url, result.http_status, len(result.content), result.encoding, result.charset_source,
    )
    article = extract_bytes(
        result.content,
        result.final_url,
        http_charset=result.http_charset,
        fetched_at=result.fetched_at,
        profiles=_profiles(config, result.final_url),
    )
    if args.save:
        data_dir = Path(args.data_dir) if args.data_dir else config.data_dir if config is not None else None
        if data_dir is None:
            raise CliError("--save needs --data-dir DIR or --config with a data_dir")
        outcome = _save(article, result, data_dir)
        log.info("saved %s to %s: %s", article.id, data_dir, outcome)
    emit(article.to_dict(), pretty=True)
    return 0
