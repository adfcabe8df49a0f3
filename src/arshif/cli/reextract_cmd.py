"""`arshif reextract`: run the current extractor over the stored WARC captures."""

from __future__ import annotations

from arshif.cli.common import EXIT_LOCKED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, CliError, add_command, emit
from arshif.cli.stats_cmd import add_data_dir_args, data_dir


def register(sub) -> None:
    p = add_command(
        sub,
        "reextract",
        "Re-extract every stored capture; changed records become new versions (counts as JSON).",
        "arshif reextract --data-dir archive --site aljazeera",
    )
    add_data_dir_args(p)
    p.add_argument("--site", help="only this site (its name in the store)")
    p.set_defaults(func=run)


def _profiles(args) -> list | None:
    """The config's extra extraction profiles, when a config is given."""
    if not args.config:
        return None
    from arshif.config import load_config
    from arshif.extract.profiles import load_profiles

    return load_profiles(load_config(args.config).profiles)


def run(args) -> int:
    from arshif.store import Store, StoreBusy, StoreError
    from arshif.store.reextract import reextract

    root = data_dir(args)
    if not (root / "index.sqlite").exists():
        raise CliError(f"no store at {root} (run `arshif archive` first)", EXIT_USAGE)
    try:
        with Store(root) as store:
            counts = reextract(store, site=args.site, profiles=_profiles(args))
    except StoreBusy as exc:
        raise CliError(str(exc), EXIT_LOCKED) from None
    except StoreError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    emit(counts)
    return EXIT_PARTIAL if counts["failed"] else EXIT_OK
