"""`arshif extract`: HTML files -> Article records, no network."""

from __future__ import annotations

from arshif.cli.common import add_command, add_file_options, convert_files
from arshif.extract import extract_bytes


def register(sub) -> None:
    p = add_command(
        sub,
        "extract",
        "Extract article records from saved HTML files (one JSON object, or JSONL for several).",
        "arshif extract --url https://www.example.com/news/1 page.html",
    )
    add_file_options(p, kind="HTML", nargs="+")
    p.add_argument("--url", help="the page's URL (sets url, site and id)")
    p.set_defaults(func=run)


def run(args) -> int:
    return convert_files(args.files, args.max_bytes, "HTML", lambda data: extract_bytes(data, args.url))
