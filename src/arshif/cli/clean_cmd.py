"""`arshif clean`: already-extracted text -> Article records, no network."""

from __future__ import annotations

import sys
from pathlib import Path

from arshif.charset import decode_html, looks_binary
from arshif.cli.common import EXIT_OK, EXIT_PARTIAL, add_command, emit
from arshif.extract.textclean import clean_article

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def register(sub) -> None:
    p = add_command(
        sub,
        "clean",
        "Clean extracted article text (drop tickers, modals, comment forms, footers) "
        "into records (one JSON object, or JSONL for several files).",
        "arshif clean saved-article.txt other.txt > records.jsonl",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="text files; - or none reads stdin")
    p.add_argument("--url", help="the article's URL (sets url and id)")
    p.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip larger files (default 10 MB)"
    )
    p.set_defaults(func=run)


def _read(path: str, limit: int) -> str:
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        p = Path(path)
        if p.is_dir():
            raise ValueError("is a directory")
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"too large: over the {limit / 1e6:.1f} MB limit")
    if looks_binary(data):
        raise ValueError("not text: binary content")
    # Same byte-level evidence as for HTML: BOM, then detection (windows-1256 text files exist).
    return decode_html(data).text


def run(args) -> int:
    status = EXIT_OK
    files = args.files or ["-"]
    pretty = len(files) == 1
    for path in files:
        try:
            record = clean_article(_read(path, args.max_bytes), url=args.url).to_dict()
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"arshif: error: {path}: {reason}", file=sys.stderr)
            emit({"path": path, "error": reason})
            status = EXIT_PARTIAL
            continue
        emit(record, pretty=pretty)
    return status
