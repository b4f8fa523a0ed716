"""WARC reader (``.warc``, ``.warc.gz``): every HTML ``response`` record, via warcio.

The archive is streamed (real WARC files are far larger than ``max_file_bytes``), so that limit
applies to each record's payload instead of the file. ``id`` = content hash of the target URI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.config import Settings
from storyline.model import Article, Skip, content_hash
from storyline.read.html import html_to_article

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, settings: Settings) -> Iterator[Article | Skip]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                if not content_type.startswith(HTML_TYPES):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{path}#{number} {uri}".rstrip()
                payload = record.content_stream().read(settings.max_file_bytes + 1)
                if len(payload) > settings.max_file_bytes:
                    yield Skip(where, f"record larger than max_file_bytes="
                                      f"{settings.max_file_bytes:,}")
                    continue
                yield html_to_article(payload, content_hash(uri or where), where, url=uri)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Skip(str(path), f"unreadable WARC file: {exc}")
