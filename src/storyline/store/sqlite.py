"""SQLite backend (the default): one file, or ``:memory:`` for throw-away runs and tests."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.errors import StoreError
from storyline.store.base import Dialect, Row, Store

log = logging.getLogger(__name__)

MEMORY = ":memory:"
# Seconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_S = 30.0


class SQLiteStore(Store):
    """A store in one SQLite file. Parent folders are created when missing."""

    dialect = Dialect("sqlite", param="?")

    def __init__(self, path: str | Path) -> None:
        self.path = path if path == MEMORY else Path(path).expanduser().resolve()
        super().__init__(f"SQLite database {self.path}")
        if isinstance(self.path, Path):
            _prepare_path(self.path)
        try:
            # isolation_level=None: the driver never opens transactions by itself; we BEGIN.
            self._conn = sqlite3.connect(str(self.path), isolation_level=None,
                                         timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.description}: {exc}; {_HINT}") from exc
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            if isinstance(self.path, Path):
                # Readers (the web UI) do not block the writer, nor the writer them.
                self._conn.execute("PRAGMA journal_mode = WAL")
            self.migrate()
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"cannot open {self.description}: {exc}; {_HINT}") from exc
        except StoreError as exc:
            self.close()
            if exc.__cause__ is None:
                raise
            raise StoreError(f"{exc}; {_HINT}") from exc.__cause__

    def _prepare_migration(self) -> None:
        """Nothing to do: BEGIN IMMEDIATE already serialises writers."""

    def _run(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(statement, tuple(params)).fetchall()

    def _run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(statement, rows)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _is_db_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.Error)

    def _close_connection(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()


_HINT = ("check that the path is a SQLite file (or a new file) in a folder you can write to, "
         "or choose another one with --db")


def _prepare_path(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"cannot use {path} as a SQLite database: it is a folder; "
                         f"pass a file path such as sqlite:///{path / 'storyline.db'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder {path.parent} for the SQLite database "
                         f"({exc.strerror or exc}); {_HINT}") from exc
