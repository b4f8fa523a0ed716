"""PostgreSQL backend (``pip install 'storyline[postgres]'``, psycopg 3).

Schema selection: pass ``schema=`` to :class:`PostgresStore` (or ``open_store``), or add
``?schema=NAME`` to the URL (removed before the URL reaches libpq). The schema is created when
missing and becomes the connection's ``search_path``, so several storyline databases (or test
runs) can share one PostgreSQL database. Without it the server's default ``search_path``
applies (usually ``public``); libpq's own ``?options=-csearch_path%3D…`` works too but then the
schema must already exist.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from storyline.errors import StoreError
from storyline.store.base import Dialect, Row, Store, first_line

log = logging.getLogger(__name__)

# Seconds to wait for the server before reporting it unreachable (libpq connect_timeout; a URL
# that sets connect_timeout itself wins).
CONNECT_TIMEOUT_S = 3
# Advisory lock key serialising concurrent migrations ("storyline" spelt in hex-ish).
_MIGRATION_LOCK = 0x5707_1111_7E00
_URL_HELP = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]"


class PostgresStore(Store):
    """A store in a PostgreSQL database, optionally inside its own schema."""

    # PostgreSQL accepts up to 65535 parameters per statement.
    dialect = Dialect("postgresql", param="%s", max_params=10_000)

    def __init__(self, url: str, *, schema: str | None = None,
                 connect_timeout: int = CONNECT_TIMEOUT_S) -> None:
        libpq_url, url_schema, shown = _split_url(url)
        self.schema = schema if schema is not None else url_schema
        if self.schema is not None and not self.schema.strip():
            raise StoreError(f"empty schema name in {shown}; give a name or leave it out")
        where = f"PostgreSQL database {shown}"
        super().__init__(where + (f" (schema {self.schema})" if self.schema else ""))
        try:
            params: dict[str, Any] = conninfo_to_dict(libpq_url)
        except psycopg.Error as exc:
            raise StoreError(f"invalid PostgreSQL URL {shown}: {first_line(exc)}; expected "
                             f"{_URL_HELP}") from exc
        params.setdefault("connect_timeout", str(connect_timeout))
        params.setdefault("application_name", "storyline")
        try:
            self._conn: psycopg.Connection[Any] = psycopg.connect(autocommit=True, **params)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to {where}: {first_line(exc)}; check that the server is "
                f"running and reachable, and that the URL ({_URL_HELP}: user, password, host, "
                f"port, database) is right") from exc
        try:
            if self.schema:
                self._conn.execute(
                    sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            self.migrate()
        except BaseException:
            self.close()
            raise

    def _prepare_migration(self) -> None:
        # Two processes opening a fresh database at once would race on CREATE TABLE.
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        if self.schema:
            exists = self._conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                                        (self.schema,)).fetchall()
            if not exists:
                log.info("creating schema %s", self.schema)
                self._conn.execute(
                    sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))

    def _run(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._conn.cursor() as cur:
            cur.execute(statement, tuple(params) if params else None)
            return cur.fetchall() if cur.description is not None else []

    def _run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(statement, rows)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # Autocommit connection: reads never leave a transaction open; writes are explicit.
        with self._conn.transaction():
            yield

    def _is_db_error(self, exc: BaseException) -> bool:
        return isinstance(exc, psycopg.Error)

    def _close_connection(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()


def _split_url(url: str) -> tuple[str, str | None, str]:
    """(URL for libpq, schema from ``?schema=``, URL safe to show with the password hidden)."""
    parts = urlsplit(url)
    scheme = "postgresql"  # also for postgres:// and SQLAlchemy's postgresql+psycopg://
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [value for key, value in query if key == "schema"]
    rest = urlencode([(key, value) for key, value in query if key != "schema"])
    libpq_url = urlunsplit((scheme, parts.netloc, parts.path, rest, parts.fragment))
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
    shown = urlunsplit((scheme, netloc, parts.path, parts.query, ""))
    return libpq_url, (schemas[-1] if schemas else None), shown
