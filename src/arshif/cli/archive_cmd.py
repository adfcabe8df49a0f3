"""`arshif archive`: the daily job (run it from cron or a systemd timer)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from arshif.cli.common import EXIT_LOCKED, EXIT_PARTIAL, EXIT_USAGE, CliError, add_command, emit


def register(sub) -> None:
    p = add_command(
        sub,
        "archive",
        "Discover, fetch, extract and store the new articles of every configured site. "
        "Prints the run report as JSON; a table on stderr. Exit 0 when every site was "
        "reached, 1 when some were not, 2 bad config, 5 another run holds the lock.",
        "arshif archive --config config.toml --data-dir /var/lib/arshif",
    )
    p.add_argument("--config", default="config.toml", help="config file (default ./config.toml)")
    p.add_argument("--data-dir", help="store directory (overrides [archive] data_dir)")
    p.add_argument(
        "--refresh",
        action="store_true",
        help="revisit articles already archived (conditional GET: unchanged pages cost a 304)",
    )
    p.add_argument("--site", action="append", metavar="NAME", help="only this site (repeatable)")
    p.add_argument("--progress", action="store_true", default=None,
                   help="progress line on stderr (default: only when stderr is a terminal)")
    p.set_defaults(func=run)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run(args) -> int:
    from arshif.archive import ArchiveError, LockedError, run_archive
    from arshif.config import ConfigError, load_config

    # systemd stops a unit with SIGTERM: finish the current articles, write the report.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        config = load_config(args.config)
        if args.data_dir:
            config.data_dir = Path(args.data_dir).expanduser().resolve()
        progress = sys.stderr.isatty() if args.progress is None else args.progress
        report = run_archive(config, progress=progress, refresh=args.refresh, sites=args.site)
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    except LockedError as exc:
        raise CliError(str(exc), EXIT_LOCKED) from None
    except ArchiveError as exc:
        raise CliError(str(exc), EXIT_PARTIAL) from None
    except OSError as exc:
        raise CliError(f"{getattr(exc, 'filename', '') or 'data_dir'}: {exc.strerror or exc}", EXIT_PARTIAL) from None
    print(report.table(), file=sys.stderr)
    emit(report.to_dict())
    return report.exit_status
