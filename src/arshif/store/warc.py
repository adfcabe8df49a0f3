"""Raw HTTP exchanges as WARC (warcio): what was fetched, so it can be re-extracted.

One capture = a request, a response and a small JSON metadata record, written
as one gzip buffer. The fetcher hands over the body already decompressed, so
the stored response drops Content-Encoding/Transfer-Encoding and states the
real Content-Length: the WARC then reads back exactly as stored.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import Message
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import BufferWARCWriter

from arshif import __version__

# Hop-by-hop or encoding headers that would not match the stored body.
_DROP = {"content-encoding", "transfer-encoding", "content-length"}
_KEEP_AS = "X-Archive-Orig-"


@dataclass(slots=True)
class Capture:
    url: str  # as requested
    final_url: str  # after redirects; the WARC-Target-URI
    http_status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    content: bytes = b""
    fetched_at: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")

    @property
    def charset(self) -> str | None:
        msg = Message()
        msg["content-type"] = self.content_type
        return msg.get_param("charset")


def warc_date(iso: str | None) -> str:
    try:
        when = datetime.fromisoformat((iso or "").replace("Z", "+00:00"))
    except ValueError:
        when = datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _response_headers(result: Any) -> list[tuple[str, str]]:
    headers = []
    for name, value in result.response_headers or []:
        if name.lower() in _DROP:
            if name.lower() != "content-length":
                headers.append((_KEEP_AS + name, value))
            continue
        headers.append((name, value))
    headers.append(("Content-Length", str(len(result.content or b""))))
    return headers


def _request_line(url: str) -> str:
    parts = urlsplit(url)
    return f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1"


def build_warcinfo(filename: str) -> bytes:
    writer = BufferWARCWriter(gzip=True)
    info = {"software": f"arshif/{__version__}", "format": "WARC File Format 1.0"}
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return writer.get_contents()


def build_capture(result: Any) -> bytes:
    """Gzipped WARC request + response + metadata records for one FetchResult."""
    target = result.final_url or result.url
    date = warc_date(result.fetched_at)
    writer = BufferWARCWriter(gzip=True)
    status = int(result.http_status)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    response = writer.create_warc_record(
        target,
        "response",
        payload=io.BytesIO(result.content or b""),
        warc_headers_dict={"WARC-Date": date},
        http_headers=StatusAndHeaders(
            f"{status} {phrase}".strip(), _response_headers(result), protocol="HTTP/1.1"
        ),
    )
    response_id = response.rec_headers.get_header("WARC-Record-ID")
    request = writer.create_warc_record(
        target,
        "request",
        payload=io.BytesIO(b""),
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
        http_headers=StatusAndHeaders(
            _request_line(target), list(result.request_headers or []), is_http_request=True
        ),
    )
    meta = {
        "url": result.url,
        "final_url": target,
        "redirects": list(result.redirects or []),
        "attempts": result.attempts,
        "elapsed": round(result.elapsed or 0.0, 3),
        "encoding": result.encoding,
        "fetched_at": result.fetched_at,
        "status": result.status,
    }
    metadata = writer.create_warc_record(
        target,
        "metadata",
        payload=io.BytesIO(json.dumps(meta, ensure_ascii=False).encode()),
        warc_content_type="application/json",
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
    )
    for record in (request, response, metadata):
        writer.write_record(record)
    return writer.get_contents()


def _read(it: ArchiveIterator) -> Iterator[tuple[int, int, Capture]]:
    """(start, end, capture) per request/response/metadata group, in file order."""
    current: Capture | None = None
    start = end = 0
    for record in it:
        kind = record.rec_type
        # Read the payload before asking for the offset: warcio skips to the
        # record's end to compute it, which would discard the payload.
        payload = record.content_stream().read()
        offset = it.get_record_offset()
        if kind == "request":
            # The metadata record comes last: without it the capture may be torn.
            if current is not None and current.meta:
                yield start, end, current
            current, start = None, offset
        elif kind == "response":
            uri = record.rec_headers.get_header("WARC-Target-URI")
            current = Capture(
                url=uri,
                final_url=uri,
                http_status=int(record.http_headers.get_statuscode() or 0),
                headers=list(record.http_headers.headers),
                content=payload,
                fetched_at=record.rec_headers.get_header("WARC-Date"),
            )
        elif kind == "metadata" and current is not None:
            try:
                current.meta = json.loads(payload)
            except ValueError:
                continue
            current.url = current.meta.get("url") or current.url
            current.fetched_at = current.meta.get("fetched_at") or current.fetched_at
            end = offset + it.get_record_length()
    if current is not None and current.meta:
        yield start, end, current


def read_capture(path: Path, offset: int, length: int) -> Capture | None:
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    for _, _, capture in _read(ArchiveIterator(io.BytesIO(data))):
        return capture
    return None


def iter_captures(path: Path) -> Iterator[tuple[int, int, Capture]]:
    """(start, end, capture) for every complete capture; stops quietly at a torn tail."""
    with open(path, "rb") as fh:
        try:
            yield from _read(ArchiveIterator(fh))
        except Exception:  # warcio raises assorted errors on a truncated gzip member
            return
