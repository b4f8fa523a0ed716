"""Helpers shared by the readers: bounded file reading, decoding and date parsing.

Every helper returns either a value or a one-line reason (``str``) saying why the item is
unusable; readers turn reasons into :class:`~storyline.model.Skip` objects, never exceptions.
"""

from __future__ import annotations

import codecs
import gzip
import logging
import re
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

from storyline.model import Skip

log = logging.getLogger(__name__)

# Bytes inspected for NUL bytes when deciding whether a file is binary (text never has NULs).
BINARY_SNIFF_BYTES = 8192
# Byte-order marks of the encodings other than UTF-8 that text files may carry (UTF-32 first:
# its little-endian BOM starts with UTF-16's).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Plausible publication dates: an unparsable or implausible date is dropped (the article is
# kept). Later than next year counts as "far future" (sentinels such as 2038-01-19, 9999-12-31).
MIN_YEAR = 1800
FUTURE_YEARS = 1
# A date text must name a year (or be a Unix timestamp): dateparser turns "x", "12", "nan" or
# "Friday" into some day relative to *now*, which would make re-runs differ.
_HAS_YEAR = re.compile(r"(?<!\d)(1[89]|2[0-9])\d\d(?!\d)")
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d(?!\d)")
_TIMESTAMP = re.compile(r"\d{9,10}(\.\d+)?")


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


def file_id(path: Path) -> str:
    """An article id from a file name: the name without its format suffix and ``.gz``
    (``report.v2.txt`` → ``report.v2``, ``page.html.gz`` → ``page``)."""
    name = path.name.removesuffix(".gz").removesuffix(".GZ")
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


def is_binary(data: bytes) -> bool:
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def bom_encoding(data: bytes) -> str | None:
    """``utf-16`` / ``utf-32`` when ``data`` starts with that byte-order mark, else ``None``."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a BOM is dropped), or UTF-16/32 when the data starts with their BOM;
    raises ``UnicodeDecodeError`` on invalid bytes."""
    return data.decode(bom_encoding(data) or "utf-8-sig")


def describe_decode_error(exc: UnicodeDecodeError) -> str:
    data = exc.object if isinstance(exc.object, bytes) else bytes(exc.object)
    line = data.count(b"\n", 0, exc.start) + 1
    return (f"not valid {exc.encoding.upper().removesuffix('-SIG')} (byte 0x{data[exc.start]:02x} "
            f"at line {line}, offset {exc.start}); convert the file to UTF-8")


def load_text(path: Path, max_bytes: int, expected: str) -> str | Skip:
    """A file's decoded text, or the reason it cannot be used (too big, binary, undecodable).

    ``expected`` names the format in the binary-file reason ("text", "JSON").
    """
    data = read_bytes(path, max_bytes)
    if isinstance(data, str):
        return Skip(str(path), data)
    if bom_encoding(data) is None and is_binary(data):
        return Skip(str(path), f"binary file (NUL bytes), not {expected}")
    try:
        return decode_text(data)
    except UnicodeDecodeError as exc:
        return Skip(str(path), describe_decode_error(exc))


def parse_date(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601, ``YYYY-MM-DD HH:MM:SS``, ``YYYYMMDD``, a Unix
    timestamp or any absolute date dateparser knows; ``None`` when absent, not a string, number
    or datetime, unparsable, relative ("Friday"), or outside :data:`MIN_YEAR` … next year
    (logged, never raised)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, str | int | float):
        text = str(value).strip()
        parsed = _parse_date_text(text)
        if parsed is None:
            log.debug("unparsable date %r", text[:80])
            return None
    else:
        log.debug("date of type %s ignored", type(value).__name__)
        return None
    assert parsed is not None
    try:
        parsed = (parsed.replace(tzinfo=UTC) if parsed.tzinfo is None
                  else parsed.astimezone(UTC))
    except (OverflowError, ValueError):  # e.g. 0001-01-01T00:00+05:00
        log.debug("date %r out of range", value)
        return None
    if not MIN_YEAR <= parsed.year <= date.today().year + FUTURE_YEARS:
        log.debug("implausible date %s ignored", parsed.isoformat())
        return None
    return parsed


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
    if _ISO_DAY.match(text):
        # ISO-shaped but rejected (bad offset, odd fraction): keep the day, never dateparser,
        # which spends seconds on such strings ("2022-01-21T10:00:00+99:00").
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if _TIMESTAMP.fullmatch(text):
        try:
            return datetime.fromtimestamp(float(text), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if len(text) > 100 or not _HAS_YEAR.search(text):
        return None
    import dateparser  # lazy: importing it costs ~0.3 s and most inputs are ISO dates

    try:
        result = dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                                  "PREFER_DAY_OF_MONTH": "first"})
    except (OverflowError, ValueError):
        return None
    return result if isinstance(result, datetime) else None
