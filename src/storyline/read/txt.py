"""Plain-text reader (``.txt``): one article per file, ``id`` = file stem.

The seed layout (leading junk, optional title / ``YYYYMMDD`` date / URL lines, then the body) is
resolved by :mod:`storyline.clean`, which can tell junk lines from a title; this reader only
decodes the file and hands its text over unchanged (also kept in ``raw``).
"""

from __future__ import annotations

from pathlib import Path

from storyline.config import Settings
from storyline.model import Article, Skip
from storyline.read._common import decode_text, describe_decode_error, is_binary, read_bytes


def read_txt(path: Path, settings: Settings) -> Article | Skip:
    data = read_bytes(path, settings.max_file_bytes)
    if isinstance(data, str):
        return Skip(str(path), data)
    if is_binary(data):
        return Skip(str(path), "binary file (NUL bytes), not text")
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        return Skip(str(path), describe_decode_error(exc))
    stem = path.name.split(".")[0] or path.stem
    return Article(id=stem, text=text, raw=text)
