"""`arshif clean`: already-extracted text -> Article records, no network."""

from __future__ import annotations

from arshif.charset import decode_html
from arshif.cli.common import add_command, add_file_options, convert_files
from arshif.extract.textclean import clean_article


def register(sub) -> None:
    p = add_command(
        sub,
        "clean",
        "Clean extracted article text (drop tickers, modals, comment forms, footers) "
        "into records (one JSON object, or JSONL for several files).",
        "arshif clean saved-article.txt other.txt > records.jsonl",
    )
    add_file_options(p, kind="text", nargs="*")
    p.add_argument("--url", help="the article's URL (sets url and id)")
    p.set_defaults(func=run)


def run(args) -> int:
    # Same byte-level evidence as for HTML: BOM, then detection (windows-1256 text files exist).
    return convert_files(
        args.files or ["-"],
        args.max_bytes,
        "text",
        lambda data: clean_article(decode_html(data).text, url=args.url),
    )
