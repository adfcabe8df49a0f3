"""`arshif extract` end to end through the real command (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

from arshif.article import validate
from extract_helpers import expected, fixture_pages


def arshif(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arshif", *args], input=stdin, capture_output=True, timeout=120
    )


def test_every_fixture_page_gives_one_valid_record_per_line():
    pages = fixture_pages()
    run = arshif("extract", *map(str, pages))
    assert run.returncode == 0, run.stderr.decode()
    lines = run.stdout.decode().splitlines()
    assert len(lines) == len(pages)
    for page, line in zip(pages, lines):
        record = json.loads(line)
        validate(record)
        assert record["title"] == expected(page)["title"]


def test_bad_inputs_each_give_one_error_line_and_the_others_still_come_out(tmp_path):
    good = fixture_pages()[0]
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 64)
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:  # 50 MB, written in chunks
        chunk = ("<p>" + "نص " * 2000 + "</p>\n").encode()
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    missing = tmp_path / "missing.html"
    run = arshif("extract", str(missing), str(empty), str(good), str(binary), str(huge))
    assert run.returncode == 1
    out = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert len(out) == 5
    errors = {o["path"]: o["error"] for o in out if "error" in o}
    assert set(errors) == {str(missing), str(binary), str(huge)}
    assert all("\n" not in e and e for e in errors.values())
    assert "Traceback" not in run.stderr.decode()
    records = [o for o in out if "error" not in o]
    for r in records:
        validate(r)
    assert records[0]["body"] == ""  # the empty page: a record with an empty body
    assert records[1]["title"] == expected(good)["title"]


def test_stdin_and_url():
    page = fixture_pages()[0]
    run = arshif("extract", "--url", "https://news.example/a/7", "-", stdin=page.read_bytes())
    assert run.returncode == 0
    record = json.loads(run.stdout)
    validate(record)
    assert record["url"] == "https://news.example/a/7"


def test_help_shows_an_example():
    for command in ("extract", "clean"):
        run = arshif(command, "--help")
        assert run.returncode == 0
        assert f"example:\n  arshif {command}" in run.stdout.decode()
