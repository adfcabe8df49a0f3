"""Exit codes and helpers shared by the commands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_OK = 0
EXIT_PARTIAL = 1  # some inputs failed, the others were processed
EXIT_USAGE = 2  # bad arguments or configuration
EXIT_FETCH = 3  # the URL could not be fetched
EXIT_ROBOTS = 4  # robots.txt disallows the URL
EXIT_LOCKED = 5  # another archive run holds the lock
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """An expected failure: printed as one line, exits with `code`."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def add_command(sub: Any, name: str, help: str, example: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help,
        description=help,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def emit(obj: dict[str, Any], *, pretty: bool = False) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None) + "\n")
    sys.stdout.flush()
