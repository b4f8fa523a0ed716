"""Helpers shared by the readers: bounded file reading, decoding and date parsing.

Every helper returns either a value or a one-line reason (``str``) saying why the item is
unusable; readers turn reasons into :class:`~storyline.model.Skip` objects, never exceptions.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from datetime import UTC, datetime
from pathlib import Path

from storyline.model import Skip

log = logging.getLogger(__name__)

# Bytes inspected for NUL bytes when deciding whether a file is binary (text never has NULs).
BINARY_SNIFF_BYTES = 8192


def read_bytes(path: Path, max_bytes: int) -> bytes | str:
    """File content (gunzipped for ``*.gz``), or a reason: empty, too large, unreadable.

    The size limit applies to the decompressed content too, so a small ``.gz`` cannot expand
    past it.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"file is {size:,} bytes, larger than max_file_bytes={max_bytes:,}"
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                return f"decompressed content is larger than max_file_bytes={max_bytes:,}"
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        return f"cannot read file: {exc}"
    if not data.strip():
        return "empty file"
    return data


def is_binary(data: bytes) -> bool:
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a BOM is dropped); raises ``UnicodeDecodeError`` on invalid bytes."""
    return data.decode("utf-8-sig")


def describe_decode_error(exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"


def load_text(path: Path, max_bytes: int, expected: str) -> str | Skip:
    """A file's decoded text, or the reason it cannot be used (too big, binary, undecodable).

    ``expected`` names the format in the binary-file reason ("text", "JSON").
    """
    data = read_bytes(path, max_bytes)
    if isinstance(data, str):
        return Skip(str(path), data)
    if is_binary(data):
        return Skip(str(path), f"binary file (NUL bytes), not {expected}")
    try:
        return decode_text(data)
    except UnicodeDecodeError as exc:
        return Skip(str(path), describe_decode_error(exc))


def parse_date(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601, ``YYYY-MM-DD HH:MM:SS``, ``YYYYMMDD`` or any
    format dateparser knows; ``None`` when absent or unparsable (logged, never raised)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed: datetime | None = value
    else:
        text = str(value).strip()
        parsed = _parse_date_text(text)
        if parsed is None:
            log.debug("unparsable date %r", text)
            return None
    assert parsed is not None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_date_text(text: str) -> datetime | None:
    if len(text) == 8 and text.isdigit():
        try:
            return datetime.strptime(text, "%Y%m%d")
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    import dateparser  # lazy: importing it costs ~0.3 s and most inputs are ISO dates

    result = dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                              "PREFER_DAY_OF_MONTH": "first"})
    return result if isinstance(result, datetime) else None
