"""Exit codes and helpers shared by the commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
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


DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def add_file_options(p: argparse.ArgumentParser, *, kind: str, nargs: str) -> None:
    p.add_argument("files", nargs=nargs, metavar="FILE", help=f"{kind} files; - reads stdin")
    p.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip larger files (default 10 MB)"
    )


def read_input(path: str, limit: int, kind: str) -> bytes:
    """A file's bytes (stdin for -), refusing directories, oversize and binary input."""
    from arshif.charset import looks_binary

    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        p = Path(path)
        if p.is_dir():
            raise ValueError("is a directory")
        size = p.stat().st_size
        if size > limit:
            raise ValueError(f"too large: {size / 1e6:.1f} MB > limit {limit / 1e6:.1f} MB")
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"too large: over the {limit / 1e6:.1f} MB limit")
    if looks_binary(data):
        raise ValueError(f"not {kind}: binary content")
    return data


def convert_files(files: list[str], limit: int, kind: str, convert: Callable[[bytes], Any]) -> int:
    """Each file -> one record line (pretty for a single file); a failing file gets a
    `{"path", "error"}` line, the rest still run, and the exit status says so."""
    status = EXIT_OK
    for path in files:
        try:
            record = convert(read_input(path, limit, kind)).to_dict()
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"arshif: error: {path}: {reason}", file=sys.stderr)
            emit({"path": path, "error": reason})
            status = EXIT_PARTIAL
            continue
        emit(record, pretty=len(files) == 1)
    return status
