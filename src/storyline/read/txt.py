"""Plain-text reader (``.txt``): one article per file, ``id`` = file stem.

The seed layout (leading junk, optional title / ``YYYYMMDD`` date / URL lines, then the body) is
resolved by :mod:`storyline.clean`, which can tell junk lines from a title; this reader only
decodes the file and hands its text over unchanged (also kept in ``raw``). A date written in
the file name (``politico_2016-09-28_axelrod….txt``, ``20220121-geneva.txt``) becomes the
article's date: folders of plain-text articles are often named by date, and without one the
timeline cannot resolve "Friday" and the clusterer cannot weigh the day gap.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from storyline.config import Settings
from storyline.model import Article, Skip
from storyline.read._common import file_id, load_text, parse_date

# YYYY-MM-DD, YYYY_MM_DD or YYYYMMDD standing alone in the name (not inside a longer run of
# letters or digits, so a content hash such as "a739bb9f3244bbb2" never yields a date).
_NAME_DATE = re.compile(r"(?<![A-Za-z0-9])((?:19|20)\d\d)([-_]?)(0[1-9]|1[0-2])\2"
                        r"(0[1-9]|[12]\d|3[01])(?![A-Za-z0-9])")


def date_from_name(name: str) -> datetime | None:
    """The date a file name carries (UTC midnight), or ``None``; see the module docstring."""
    match = _NAME_DATE.search(name)
    if match is None:
        return None
    year, _, month, day = match.groups()
    return parse_date(f"{year}-{month}-{day}")


def read_txt(path: Path, settings: Settings) -> Article | Skip:
    text = load_text(path, settings.max_file_bytes, "text")
    if isinstance(text, Skip):
        return text
    return Article(id=file_id(path), text=text, raw=text, date=date_from_name(path.stem))
