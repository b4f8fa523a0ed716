"""Persistence: one :class:`Store` interface, a SQLite (default) and a PostgreSQL backend.

``open_store(url)`` picks the backend from the URL:

- ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, or a bare file path — a
  SQLite file (missing parent folders are created);
- ``sqlite://:memory:``, ``sqlite:///:memory:`` or ``sqlite://`` — a throw-away in-memory db;
- ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`` (or ``postgres://``), optionally with
  ``?schema=NAME`` — PostgreSQL (needs ``pip install 'storyline[postgres]'``).

The store is a context manager; see :mod:`storyline.store.base` for the write semantics.
"""

from __future__ import annotations

import re
from pathlib import Path

from storyline.errors import ConfigError, MissingDependencyError, StoreError
from storyline.store.base import BatchStats, Store
from storyline.store.sqlite import MEMORY, SQLiteStore

__all__ = ["ACCEPTED_URLS", "BatchStats", "Store", "open_store"]

ACCEPTED_URLS = ("sqlite:///relative/path.db", "sqlite:////absolute/path.db", "sqlite://:memory:",
                 "a bare file path such as storyline.db",
                 "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"}


def open_store(url: str | Path, *, schema: str | None = None, create: bool = True) -> Store:
    """Open (creating and migrating if needed) the store at ``url``.

    ``schema`` selects a PostgreSQL schema (created when missing); it is an error for SQLite.
    ``create=False`` is for read-only commands: a SQLite file that does not exist is a
    :class:`StoreError` (instead of a new empty database).
    Raises :class:`ConfigError` for a URL of unknown form, :class:`StoreError` when the
    database cannot be opened, :class:`MissingDependencyError` when psycopg is missing.
    """
    if isinstance(url, Path):
        return _sqlite(str(url), schema, create)
    text = url.strip()
    if not text:
        raise ConfigError(f"empty database URL; use one of: {'; '.join(ACCEPTED_URLS)}")
    match = _SCHEME.match(text)
    if match is None or _WINDOWS_DRIVE.match(text):
        if ":" in text.split("/", 1)[0] and not _WINDOWS_DRIVE.match(text):
            raise _unknown(text)  # e.g. "postgresql:/host" or "sqlite:foo.db"
        return _sqlite(text, schema, create)
    scheme = match.group(1).lower()
    rest = text[match.end():]
    if scheme == "sqlite":
        if rest in ("", MEMORY, "/" + MEMORY):
            return _sqlite(MEMORY, schema, True)
        if not rest.startswith("/") or rest == "/":
            raise ConfigError(f"cannot read the SQLite URL {text!r}: put three slashes before "
                              f"a relative path (sqlite:///data/storyline.db) and four before "
                              f"an absolute one (sqlite:////var/lib/storyline.db)")
        return _sqlite(rest[1:], schema, create)
    if scheme in _POSTGRES_SCHEMES:
        try:
            from storyline.store.postgres import PostgresStore
        except ImportError as exc:
            if exc.name is not None and exc.name.split(".")[0] == "psycopg":
                raise MissingDependencyError("psycopg", "postgres", "PostgreSQL storage") from exc
            raise
        return PostgresStore(text, schema=schema)
    raise _unknown(text)


def _sqlite(path: str, schema: str | None, create: bool) -> Store:
    if schema is not None:
        raise ConfigError("a schema can only be chosen for PostgreSQL; SQLite keeps one "
                          "storyline database per file, so use another file instead")
    if not create and path != MEMORY and not Path(path).exists():
        raise StoreError(f"no storyline database at {path}; create it with "
                         f"`storyline run INPUT... --db sqlite:///{path}` first")
    return SQLiteStore(path)


def _unknown(url: str) -> ConfigError:
    shown = re.sub(r"//([^/:@]*):[^/@]*@", r"//\1:***@", url)
    return ConfigError(f"unknown database URL {shown!r}; use one of: {'; '.join(ACCEPTED_URLS)}")
