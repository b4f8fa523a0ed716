"""JSON readers: ``.jsonl`` (one object per line), ``.json`` (an array of objects, or one object),
and JSON Lines streamed from standard input.

Record fields: ``id, title, text, date, url, source, lang`` — plus those of the Miranda et al.
2018 news-clustering corpus (``date`` as ``YYYY-MM-DD HH:MM:SS``, ``cluster`` = gold story) and
MStream's ``News.jsonl`` (``Id``, ``textCleaned``, ``clusterNo``). The gold label is read from the
field named by ``gold_field`` (``"cluster"`` unless told, e.g. ``"clusterNo"`` for MStream).

A record without ``id`` gets a content hash of its title and text, so re-ingesting it is a no-op.
A malformed line is skipped alone (its reason names ``file:line``); the rest of the file is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.model import Article, Skip, content_hash
from storyline.read._common import load_text, parse_date

# Field names accepted for each Article attribute, in order of preference.
TEXT_FIELDS = ("text", "textCleaned", "body", "articleBody")
ID_FIELDS = ("id", "Id", "ID")


def record_to_article(record: object, where: str, gold_field: str = "cluster") -> Article | Skip:
    """One JSON object → an Article (or a Skip naming ``where`` and the problem)."""
    if not isinstance(record, Mapping):
        return Skip(where, f"expected a JSON object, got {type(record).__name__}")
    text = _first(record, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        return Skip(where, f"no non-empty text field (one of {', '.join(TEXT_FIELDS)})")
    title = _string(record.get("title"))
    raw_id = _first(record, ID_FIELDS)
    article_id = _string(raw_id) or content_hash(title, text)
    gold = record.get(gold_field)
    return Article(
        id=article_id, text=text, title=title, date=parse_date(record.get("date")),
        url=_string(record.get("url")), source=_string(record.get("source")),
        lang=_string(record.get("lang")), raw=text,
        gold=None if gold is None or gold == "" else str(gold),
    )


def iter_json_lines(lines: Iterable[str], name: str, gold_field: str = "cluster"
                    ) -> Iterator[Article | Skip]:
    """Parse JSON Lines one by one (streaming); blank lines are ignored."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(where, f"malformed JSON line: {exc.msg} (column {exc.colno})")
            continue
        yield record_to_article(record, where, gold_field)


def read_jsonl(path: Path, settings: Settings, gold_field: str = "cluster"
               ) -> Iterator[Article | Skip]:
    text = _load_text(path, settings)
    if isinstance(text, Skip):
        yield text
        return
    yield from iter_json_lines(text.splitlines(), str(path), gold_field)


def read_json(path: Path, settings: Settings, gold_field: str = "cluster"
              ) -> Iterator[Article | Skip]:
    text = _load_text(path, settings)
    if isinstance(text, Skip):
        yield text
        return
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skip(str(path), f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield record_to_article(record, f"{path}[{index}]", gold_field)


def _load_text(path: Path, settings: Settings) -> str | Skip:
    return load_text(path, settings.max_file_bytes, "JSON")


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def _string(value: object) -> str:
    return "" if value is None else str(value).strip()
