"""Plain-text reader (``.txt``): one article per file, ``id`` = file stem.

The seed layout (leading junk, optional title / ``YYYYMMDD`` date / URL lines, then the body) is
resolved by :mod:`storyline.clean`, which can tell junk lines from a title; this reader only
decodes the file and hands its text over unchanged (also kept in ``raw``).
"""

from __future__ import annotations

from pathlib import Path

from storyline.config import Settings
from storyline.model import Article, Skip
from storyline.read._common import file_id, load_text


def read_txt(path: Path, settings: Settings) -> Article | Skip:
    text = load_text(path, settings.max_file_bytes, "text")
    if isinstance(text, Skip):
        return text
    return Article(id=file_id(path), text=text, raw=text)
