"""The `arshif` command line: JSON on stdout, logs on stderr, documented exit codes.

Each command lives in its own module exposing `register(subparsers)`; this
module only dispatches and turns expected failures into one-line errors.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from arshif import __version__
from arshif.cli.common import EXIT_INTERRUPTED, EXIT_USAGE, CliError

# One module per command; a new command is one more name here.
COMMANDS = ("extract", "clean", "fetch", "archive", "demo", "stats", "reextract")

EPILOG = """examples:
  arshif extract page.html               # HTML file -> JSON record
  arshif extract --url https://example.com/a/1 page.html
  arshif clean article.txt                # extracted text -> JSON record
  arshif archive --config config.toml   # the daily job (cron)
  arshif demo                            # archive bundled fake sites, offline
  arshif fetch https://example.com/a/1   # URL -> JSON record (exit 3 fetch error, 4 robots)
  arshif COMMAND --help                  # each command's options and an example

exit codes: 0 ok, 1 some inputs failed, 2 usage or config error,
  3 fetch failed, 4 blocked by robots.txt, 5 another run holds the lock,
  130 interrupted."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arshif",
        description="Archive Arabic news as clean JSON records.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"arshif {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logs on stderr")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"arshif.cli.{name}_cmd").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO
    logging.basicConfig(level=level, stream=sys.stderr, format="arshif: %(levelname)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"arshif: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("arshif: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
