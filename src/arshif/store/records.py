"""Record files: JSON Lines, one Article per line, partitioned by site and day.

A line is appended with one write of the whole line (ending in "\n") and
fsynced before the index learns about it, so a killed process can leave at
most one unterminated tail, which `repair_tail` cuts off and readers skip.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arshif.store.errors import StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Line:
    offset: int
    length: int
    record: dict[str, Any] | None  # None when the line is not a JSON object


def encode(record: dict[str, Any]) -> bytes:
    # ensure_ascii=False keeps Arabic readable with `grep`/`jq`; JSON escapes
    # any "\n" inside strings, so one record is always one line.
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def append_line(path: Path, line: bytes, *, fsync: bool = True) -> int:
    """Append `line`; returns its offset. On failure the file is cut back and StoreError raised."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {_reason(exc)}") from exc
    try:
        start = os.fstat(fd).st_size
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            if fsync:
                os.fsync(fd)
        except OSError as exc:
            try:
                os.ftruncate(fd, start)
            except OSError:
                pass  # the unterminated tail is cut by repair_tail on the next open
            raise StoreError(f"cannot write {path}: {_reason(exc)}") from exc
    finally:
        os.close(fd)
    return start


def truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(size)
        fh.flush()
        os.fsync(fh.fileno())


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def scan(path: Path, start: int = 0) -> tuple[list[Line], int]:
    """Complete lines from byte `start`, and the offset where the unterminated tail begins."""
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read()
    lines: list[Line] = []
    pos = 0
    while True:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        lines.append(Line(start + pos, end + 1 - pos, _parse(data[pos:end])))
        pos = end + 1
    return lines, start + pos


def repair_tail(path: Path, start: int = 0) -> tuple[list[Line], int]:
    """Cut an unterminated or unparsable last line; returns the good lines after `start`."""
    lines, end = scan(path, start)
    while lines and lines[-1].record is None:
        end = lines.pop().offset
    if end < path.stat().st_size:
        log.warning("%s: cutting a torn last line (%d bytes)", path, path.stat().st_size - end)
        truncate(path, end)
    return lines, end


def iter_file(path: Path) -> Iterator[dict[str, Any]]:
    """Records of one file; a line still being written (no "\n" yet) is not visible."""
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            record = _parse(raw)
            if record is None:
                log.warning("%s: skipping an unreadable line", path)
                continue
            yield record
