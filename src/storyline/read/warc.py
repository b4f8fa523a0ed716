"""WARC reader (``.warc``, ``.warc.gz``): every HTML ``response`` record, via warcio.

The archive is streamed (real WARC files are far larger than ``max_file_bytes``), so that limit
applies to each record's payload instead of the file. ``id`` = content hash of the target URI.

Checked, because warcio reads on silently past them: a file that does not start with a WARC
record (warcio would parse anything as zero records), a record cut short by a truncated file
(its payload shorter than its ``Content-Length``), a gzip stream that ends mid-member, record
boundaries warcio had to guess, and an archive without any HTML response (one Skip naming
what it held instead).
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.model import Article, Skip, content_hash
from storyline.read.html import html_to_article

HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = b"WARC/"
RECORD_END = b"\r\n\r\n"
_CHUNK = 1 << 16


def read_warc(path: Path, settings: Settings) -> Iterator[Article | Skip]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    problem = _not_a_warc(path)
    if problem:
        yield Skip(str(path), problem)
        return
    records = 0
    html = 0
    other: Counter[str] = Counter()
    try:
        with path.open("rb") as handle:
            iterator = ArchiveIterator(handle)
            for number, record in enumerate(iterator, start=1):
                records = number
                content_type = ""
                if record.http_headers is not None:
                    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                if record.rec_type != "response" or not content_type.startswith(HTML_TYPES):
                    if record.rec_type == "response":
                        other[content_type.split(";")[0].strip() or "no content type"] += 1
                    if _truncated(record):
                        yield Skip(f"{path}#{number}", "record cut short: the file is truncated")
                    continue
                html += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{path}#{number} {uri}".rstrip()
                payload = record.content_stream().read(settings.max_file_bytes + 1)
                if len(payload) > settings.max_file_bytes:
                    yield Skip(where, f"record larger than max_file_bytes="
                                      f"{settings.max_file_bytes:,}")
                    continue
                if _truncated(record):
                    yield Skip(where, "record cut short: the file is truncated")
                    continue
                yield html_to_article(payload, content_hash(uri or where), where, url=uri)
            if iterator.err_count:
                yield Skip(str(path), f"{iterator.err_count} record(s) with a wrong "
                                      "Content-Length; records after them may be lost")
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        yield Skip(str(path), f"unreadable WARC file after {records} record(s): "
                              f"{' '.join(str(exc).split())}")
        return
    except Exception as exc:  # warcio raises many types on broken records (AttributeError, …)
        yield Skip(str(path), f"unreadable WARC file after {records} record(s): "
                              f"{type(exc).__name__}: {' '.join(str(exc).split())}")
        return
    problem = _gzip_problem(path) if path.name.lower().endswith(".gz") else _end_problem(path)
    if problem:
        yield Skip(str(path), f"{problem}; records after record {records} are lost")
    if not html:
        kinds = ", ".join(f"{n} {kind}" for kind, n in other.most_common(3))
        yield Skip(str(path), f"no HTML response records among {records} record(s)"
                              + (f" (responses: {kinds})" if kinds else ""))


def _not_a_warc(path: Path) -> str:
    """Why ``path`` is not a (possibly gzipped) WARC file, or ``""``."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(GZIP_MAGIC))
            if not head:
                return "empty file"
            handle.seek(0)
            if head == GZIP_MAGIC:
                try:
                    with gzip.GzipFile(fileobj=handle) as unzipped:
                        head = unzipped.read(len(WARC_MAGIC))
                except (OSError, EOFError, zlib.error) as exc:
                    return f"not a readable gzip file: {exc}"
            else:
                head = handle.read(len(WARC_MAGIC))
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if not head.startswith(WARC_MAGIC):
        return f"not a WARC file (starts with {head[:8]!r}, expected {WARC_MAGIC!r})"
    return ""


def _truncated(record: Any) -> bool:
    """True when the record's payload ended before its ``Content-Length`` (file cut short)."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    return bool(getattr(stream, "limit", 0) > 0)


def _end_problem(path: Path) -> str:
    """An uncompressed WARC whose last record lacks its closing blank line (cut short)."""
    try:
        with path.open("rb") as handle:
            handle.seek(-len(RECORD_END), 2)
            tail = handle.read()
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    return "" if tail == RECORD_END else "the last record is incomplete (file truncated)"


def _gzip_problem(path: Path) -> str:
    """A truncated or corrupt gzip stream (warcio stops silently at such an end), or ``""``."""
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(_CHUNK):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        return f"truncated or corrupt gzip data ({exc})"
    return ""
