"""JSON readers: ``.jsonl`` (one object per line), ``.json`` (an array of objects, or one object),
and JSON Lines streamed from standard input.

Record fields: ``id, title, text, date, url, source, lang`` — plus those of the Miranda et al.
2018 news-clustering corpus (``date`` as ``YYYY-MM-DD HH:MM:SS``, ``cluster`` = gold story) and
MStream's ``News.jsonl`` (``Id``, ``textCleaned``, ``clusterNo``). The gold label is read from the
field named by ``gold_field`` (``"cluster"`` unless told, e.g. ``"clusterNo"`` for MStream).

A record without ``id`` gets a content hash of its title and text, so re-ingesting it is a no-op.
JSON Lines are streamed (files and stdin alike): ``max_file_bytes`` bounds each line, not the
file. A bad line (malformed JSON, invalid UTF-8, not an object, a field of the wrong type, text
that is not valid Unicode) is skipped alone, its reason naming ``file:line``; the rest is read.
A date that cannot be parsed is dropped (logged) and the article kept: only ``text`` is required.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, cast

from storyline.config import Settings
from storyline.model import Article, Skip, content_hash
from storyline.read._common import (
    BINARY_SNIFF_BYTES,
    bom_encoding,
    is_binary,
    load_text,
    parse_date,
)

log = logging.getLogger(__name__)

# Field names accepted for each Article attribute, in order of preference.
TEXT_FIELDS = ("text", "textCleaned", "body", "articleBody")
ID_FIELDS = ("id", "Id", "ID")
STRING_FIELDS = ("title", "url", "source", "lang")
# Bytes read at a time while skipping the rest of an over-long line.
_DRAIN_BYTES = 1 << 20


def record_to_article(record: object, where: str, gold_field: str = "cluster") -> Article | Skip:
    """One JSON object → an Article (or a Skip naming ``where`` and the problem)."""
    if not isinstance(record, Mapping):
        return Skip(where, f"expected a JSON object, got {_json_type(record)}")
    text_field = _first(record, TEXT_FIELDS)
    if text_field is None:
        return Skip(where, f"no non-empty text field (one of {', '.join(TEXT_FIELDS)})")
    text = record[text_field]
    if not isinstance(text, str):
        return Skip(where, f"field '{text_field}' is {_json_type(text)}, expected a string")
    if not text.strip():
        return Skip(where, f"field '{text_field}' is blank")
    fields: dict[str, str] = {}
    for name in STRING_FIELDS:
        value = record.get(name)
        if value is not None and (isinstance(value, bool)
                                  or not isinstance(value, str | int | float)):
            return Skip(where, f"field '{name}' is {_json_type(value)}, expected a string")
        fields[name] = _string(value)
    id_field = _first(record, ID_FIELDS)
    raw_id = record[id_field] if id_field is not None else None
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        return Skip(where, f"field '{id_field}' is {_json_type(raw_id)}, "
                           "expected a string or an integer")
    gold = record.get(gold_field)
    if isinstance(gold, list | dict):
        return Skip(where, f"field '{gold_field}' is {_json_type(gold)}, expected a label")
    article_id = _string(raw_id) or content_hash(fields["title"], text)
    for name, value in (("id", article_id), (text_field, text), *fields.items()):
        problem = _unicode_problem(value)
        if problem:
            return Skip(where, f"field '{name}' {problem}")
    raw_date = record.get("date")
    date = parse_date(raw_date)
    if date is None and raw_date not in (None, ""):
        log.warning("%s: date %.60r is not a plausible date; article kept without a date",
                    where, raw_date)
    return Article(
        id=article_id, text=text, title=fields["title"], date=date, url=fields["url"],
        source=fields["source"], lang=fields["lang"], raw=text,
        gold=None if gold is None or gold == "" else str(gold),
    )


def iter_json_lines(lines: Iterable[str] | IO[bytes], name: str, gold_field: str = "cluster",
                    max_line_bytes: int | None = None) -> Iterator[Article | Skip]:
    """Parse JSON Lines one by one (streaming); blank lines are ignored.

    ``lines`` is text lines, or a binary stream (or a text stream with a binary ``buffer``, such
    as ``sys.stdin``), which is split on ``\\n`` only and decoded as UTF-8 line by line, so one
    undecodable line is one skip. Lines longer than ``max_line_bytes`` are skipped unread.
    An input without any non-blank line yields one Skip.
    """
    numbered: Iterator[tuple[int, str | bytes | None]]
    buffer = getattr(lines, "buffer", None)
    if buffer is not None:
        numbered = _binary_lines(cast(IO[bytes], buffer), max_line_bytes)
    elif isinstance(lines, io.RawIOBase | io.BufferedIOBase):
        numbered = _binary_lines(cast(IO[bytes], lines), max_line_bytes)
    else:
        numbered = enumerate(cast(Iterable[str], lines), start=1)
    seen = False
    for number, line in numbered:
        where = f"{name}:{number}"
        if line is None:
            yield Skip(where, f"line longer than max_file_bytes={max_line_bytes:,}; not read")
            seen = True
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Skip(where, f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column "
                                  f"{exc.start + 1})")
                seen = True
                continue
        elif number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        seen = True
        if max_line_bytes is not None and len(line) > max_line_bytes:
            yield Skip(where, f"line longer than max_file_bytes={max_line_bytes:,}; not read")
            continue
        yield _parse_record(line, where, gold_field, "malformed JSON line")
    if not seen:
        yield Skip(name, "no JSON lines (empty input)")


def read_jsonl(path: Path, settings: Settings, gold_field: str = "cluster"
               ) -> Iterator[Article | Skip]:
    try:
        with path.open("rb") as handle:
            head = handle.read(BINARY_SNIFF_BYTES)
            if bom_encoding(head) is None:
                if is_binary(head):
                    yield Skip(str(path), "binary file (NUL bytes), not JSON")
                    return
                handle.seek(0)
                yield from iter_json_lines(handle, str(path), gold_field, settings.max_file_bytes)
                return
    except OSError as exc:
        yield Skip(str(path), f"cannot read file: {exc}")
        return
    # UTF-16/32 (rare): decoded whole, so bounded by max_file_bytes.
    text = load_text(path, settings.max_file_bytes, "JSON")
    if isinstance(text, Skip):
        yield text
        return
    yield from iter_json_lines(text.split("\n"), str(path), gold_field, settings.max_file_bytes)


def read_json(path: Path, settings: Settings, gold_field: str = "cluster"
              ) -> Iterator[Article | Skip]:
    text = load_text(path, settings.max_file_bytes, "JSON")
    if isinstance(text, Skip):
        yield text
        return
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            # JSON Lines under a .json name (common in published corpora).
            yield from iter_json_lines(text.split("\n"), str(path), gold_field)
            return
        yield Skip(str(path), f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield Skip(str(path), "malformed JSON: nested too deeply")
        return
    if isinstance(data, list) and not data:
        yield Skip(str(path), "empty JSON array (no records)")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield record_to_article(record, f"{path}[{index}]", gold_field)


def _parse_record(line: str, where: str, gold_field: str, what: str) -> Article | Skip:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skip(where, f"{what}: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return Skip(where, f"{what}: nested too deeply")
    return record_to_article(record, where, gold_field)


def _binary_lines(stream: IO[bytes], limit: int | None) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` split on ``\\n``; ``None`` for a line longer than ``limit``."""
    number = 0
    while True:
        line = stream.readline(-1 if limit is None else limit + 2)
        if not line:
            return
        number += 1
        if limit is not None and len(line.rstrip(b"\r\n")) > limit:
            while not line.endswith(b"\n"):
                line = stream.readline(_DRAIN_BYTES)
                if not line:
                    break
            yield number, None
            continue
        yield number, line


def _unicode_problem(value: str) -> str:
    """Why a string cannot be stored (unpaired surrogate, NUL), or ``""``."""
    if "\x00" in value:
        return "contains a NUL character (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (f"contains an unpaired surrogate (\\u{ord(value[exc.start]):04x} at "
                f"character {exc.start}), not valid Unicode")
    return ""


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        if record.get(name) not in (None, ""):
            return name
    return None


def _string(value: object) -> str:
    return "" if value is None else str(value).strip()
