"""`arshif extract`: HTML files -> Article records, no network."""

from __future__ import annotations

import sys
from pathlib import Path

from arshif.charset import looks_binary
from arshif.cli.common import EXIT_OK, EXIT_PARTIAL, add_command, emit
from arshif.extract import extract_bytes

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def register(sub) -> None:
    p = add_command(
        sub,
        "extract",
        "Extract article records from saved HTML files (one JSON object, or JSONL for several).",
        "arshif extract --url https://www.example.com/news/1 page.html",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="HTML files; - reads stdin")
    p.add_argument("--url", help="the page's URL (sets url, site and id)")
    p.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip larger files (default 10 MB)"
    )
    p.set_defaults(func=run)


def _read(path: str, limit: int) -> bytes:
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
        raise ValueError("not HTML: binary content")
    return data


def run(args) -> int:
    status = EXIT_OK
    pretty = len(args.files) == 1
    for path in args.files:
        try:
            data = _read(path, args.max_bytes)
            record = extract_bytes(data, args.url).to_dict()
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"arshif: error: {path}: {reason}", file=sys.stderr)
            emit({"path": path, "error": reason})
            status = EXIT_PARTIAL
            continue
        emit(record, pretty=pretty)
    return status
