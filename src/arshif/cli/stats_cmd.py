"""`arshif stats`: what the store holds, per site, and how the last run went."""

from __future__ import annotations

import sys
from pathlib import Path

from arshif.cli.common import EXIT_USAGE, CliError, add_command, emit


def add_data_dir_args(p) -> None:
    p.add_argument("--data-dir", type=Path, help="the store (default: data_dir of --config, else ./archive)")
    p.add_argument("--config", type=Path, help="read data_dir from this config.toml")


def data_dir(args) -> Path:
    if args.data_dir:
        return args.data_dir
    if args.config:
        from arshif.config import ConfigError, load_config

        try:
            return load_config(args.config).data_dir
        except (ConfigError, OSError) as exc:
            raise CliError(f"{args.config}: {exc}", EXIT_USAGE) from None
    return Path("archive")


def register(sub) -> None:
    p = add_command(
        sub,
        "stats",
        "Per-site counts (records, versions, aliases, failures) and the last run, as JSON.",
        "arshif stats --data-dir archive | jq .sites",
    )
    add_data_dir_args(p)
    p.set_defaults(func=run)


def _table(stats: dict) -> str:
    rows = [("site", "records", "versions", "aliases", "failures")]
    rows += [(name, *(str(s[k]) for k in rows[0][1:])) for name, s in stats["sites"].items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    last = stats["last_run"]
    if last:
        state = f"finished {last['finished_at']}" if last["finished_at"] else "did not finish"
        lines.append(f"last run {last['run_id']}: started {last['started_at']}, {state}, "
                     f"{len(last['failures'])} failed URLs")
    return "\n".join(lines)


def run(args) -> int:
    from arshif.store import Store, StoreError

    try:
        with Store(data_dir(args), readonly=True) as store:
            stats = store.stats()
    except StoreError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    emit(stats, pretty=True)
    if sys.stderr.isatty():
        print(_table(stats), file=sys.stderr)
    return 0
