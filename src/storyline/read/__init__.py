"""Readers: turn input paths (files, folders, ``-`` for stdin) into :class:`Article` objects.

One module per format; :func:`iter_inputs` dispatches on the file name:

========================  =============================================
``*.txt``                  :mod:`.txt` (seed layout, resolved by ``clean``)
``*.jsonl`` / ``*.json``   :mod:`.jsonl` (also Miranda et al. 2018, MStream)
``*.html`` / ``*.htm``     :mod:`.html` (trafilatura), optionally ``.gz``
``*.warc`` / ``*.warc.gz`` :mod:`.warc` (warcio, every HTML response)
``-``                      JSON Lines on standard input (streaming)
========================  =============================================

Folders are walked recursively in sorted order; symbolic links to files are read, links to
folders are reported, not followed (no loops, nothing outside the folder given). Bad input
never aborts: every unusable item becomes a :class:`Skip` with a one-line reason (nonexistent
path, broken link, link loop, special file, unreadable folder, unknown extension, empty, binary,
invalid UTF-8, too large, malformed JSON line, …).
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from storyline.config import Settings
from storyline.model import Article, Skip
from storyline.read._common import parse_date
from storyline.read.html import read_html
from storyline.read.jsonl import iter_json_lines, read_json, read_jsonl
from storyline.read.txt import read_txt
from storyline.read.warc import read_warc

log = logging.getLogger(__name__)

STDIN = "-"
Reader = Callable[[Path, Settings, str], Iterator[Article | Skip]]


@dataclass(slots=True)
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)


def _one(result: Article | Skip) -> Iterator[Article | Skip]:
    yield result


# Suffix (lower case, longest first) → reader. ``gold_field`` only matters to JSON readers.
READERS: tuple[tuple[str, Reader], ...] = (
    (".warc.gz", lambda p, s, g: read_warc(p, s)),
    (".html.gz", lambda p, s, g: _one(read_html(p, s))),
    (".htm.gz", lambda p, s, g: _one(read_html(p, s))),
    (".warc", lambda p, s, g: read_warc(p, s)),
    (".html", lambda p, s, g: _one(read_html(p, s))),
    (".htm", lambda p, s, g: _one(read_html(p, s))),
    (".jsonl", read_jsonl),
    (".json", read_json),
    (".txt", lambda p, s, g: _one(read_txt(p, s))),
)


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    for suffix, reader in READERS:
        if name.endswith(suffix):
            return reader
    return None


def iter_inputs(inputs: Sequence[str | Path], settings: Settings, stdin: TextIO | None = None,
                *, gold_field: str = "cluster") -> Iterator[Article | Skip]:
    """Articles and skips from every input, in order (folders recursively, sorted)."""
    for item in inputs:
        if str(item) == STDIN:
            yield from iter_json_lines(stdin if stdin is not None else sys.stdin, "<stdin>",
                                       gold_field, settings.max_file_bytes)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _read_folder(path, settings, gold_field)
        else:
            yield from _read_entry(path, settings, gold_field)


def read_inputs(inputs: Sequence[str | Path], settings: Settings, stdin: TextIO | None = None,
                *, gold_field: str = "cluster") -> ReadResult:
    """:func:`iter_inputs` collected into articles and skips."""
    result = ReadResult()
    for item in iter_inputs(inputs, settings, stdin, gold_field=gold_field):
        if isinstance(item, Skip):
            result.skips.append(item)
        else:
            result.articles.append(item)
    log.debug("read %d articles, skipped %d items", len(result.articles), len(result.skips))
    return result


def _read_folder(root: Path, settings: Settings, gold_field: str) -> Iterator[Article | Skip]:
    """Every entry under ``root``, sorted; a folder reached twice (link loop) is read once."""
    seen: set[tuple[int, int]] = set()
    found = False
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in seen:
                yield Skip(str(folder), "folder already read (symbolic link loop); not read again")
                continue
            seen.add(key)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Skip(str(folder), f"cannot read folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and path.is_dir():
                found = True
                yield Skip(str(path), "symbolic link to a folder, not followed (give the "
                                      "folder itself as an input to read it)")
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append(path)
            else:
                found = True
                yield from _read_entry(path, settings, gold_field)
        pending.extend(reversed(subfolders))
    if not found:
        yield Skip(str(root), "folder contains no files")


def _read_entry(path: Path, settings: Settings, gold_field: str) -> Iterator[Article | Skip]:
    """One path that is not a folder: a regular file is read, anything else is a Skip."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            reason = ("symbolic link loop" if exc.errno == 40  # ELOOP
                      else f"broken symbolic link to {os.readlink(path)}")
        elif isinstance(exc, FileNotFoundError):
            reason = "no such file or folder"
        else:
            reason = f"cannot read: {exc.strerror or exc}"
        yield Skip(str(path), reason)
        return
    if not stat.S_ISREG(mode):
        yield Skip(str(path), "not a regular file (device, pipe or socket)")
        return
    yield from _read_file(path, settings, gold_field)


def _read_file(path: Path, settings: Settings, gold_field: str) -> Iterator[Article | Skip]:
    reader = reader_for(path)
    if reader is None:
        known = ", ".join(suffix for suffix, _ in READERS)
        yield Skip(str(path), f"unknown file type (readable: {known})")
        return
    yield from reader(path, settings, gold_field)


__all__ = ["ReadResult", "iter_inputs", "parse_date", "read_inputs", "reader_for"]
