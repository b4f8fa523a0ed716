"""The store interface shared by the SQLite and PostgreSQL backends.

Everything that does not depend on the database engine lives here, written once: the
schema and its migrations, the batch write (one transaction, upsert by id, content hashes so
that re-writing unchanged rows touches nothing) and the loaders. A backend only supplies a
:class:`Dialect` (placeholder style) and five small hooks: run one statement, run one
statement over many rows, open a transaction, prepare the migration, close the connection.

Write semantics of :meth:`Store.write_batch`, in order, inside ONE transaction:

1. articles — inserted when new, rewritten only when their row hash changed
   (:attr:`Article.fingerprint` plus ``raw`` and ``gold``), otherwise left alone;
2. links and assignments — upserted by article id, rewritten only when they differ;
3. stories — stored as their export JSON (``Story.to_dict`` serialised with
   ``json.dumps(sort_keys=True, ensure_ascii=False)``) plus key columns; a row is rewritten
   only when its JSON changed;
4. orphans — with ``prune_orphans=True`` (the default), stored stories that are not in this
   batch and that no article is assigned to any more (all their articles were reassigned)
   are deleted. Stories of a partial batch keep their assignments and so are never pruned;
5. the synthesis signature (``meta`` key :data:`SYNTHESIS_KEY`) — set to the batch's
   ``synthesis_signature``, or removed when the batch gives none, so a stored signature always
   describes how the stored stories were made (the pipeline reuses a stored story only when
   the signature and the story's articles are unchanged).

Rows are never deleted otherwise (articles, links and assignments absent from a batch stay);
:meth:`Store.delete_stories` removes stories explicitly. Any error rolls the whole batch back:
database errors are raised as :class:`StoreError`, other exceptions propagate unchanged.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from storyline.errors import StoreError
from storyline.model import Article, Link, Story, content_hash, iso, parse_iso

log = logging.getLogger(__name__)

Row = tuple[Any, ...]

# Schema history: version -> statements. Append a new version to migrate; never edit an old one.
# The SQL is valid in both SQLite (>= 3.24) and PostgreSQL (>= 9.5): TEXT everywhere (dates are
# ISO 8601 text, so their UTC offset round-trips exactly), DOUBLE PRECISION is REAL in SQLite.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS articles (
            id TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            row_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            date TEXT,
            url TEXT NOT NULL,
            source TEXT NOT NULL,
            lang TEXT NOT NULL,
            raw TEXT NOT NULL,
            gold TEXT
        )""",
        """CREATE TABLE IF NOT EXISTS links (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            relation TEXT NOT NULL
                CHECK (relation IN ('original', 'duplicate', 'rewrite', 'translation')),
            copy_of TEXT,
            similarity DOUBLE PRECISION NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS assignments (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            story_id TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS assignments_story_id ON assignments (story_id)",
        """CREATE TABLE IF NOT EXISTS stories (
            story_id TEXT PRIMARY KEY,
            headline TEXT NOT NULL,
            first_seen TEXT,
            last_seen TEXT,
            independent_sources INTEGER NOT NULL,
            n_articles INTEGER NOT NULL,
            data TEXT NOT NULL
        )""",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)
# ``meta`` key of the signature of the code and settings that synthesized the stored stories.
SYNTHESIS_KEY = "synthesis_signature"
TABLES = ("articles", "links", "assignments", "stories")

_ARTICLE_COLUMNS = ("id", "fingerprint", "row_hash", "title", "text", "date", "url", "source",
                    "lang", "raw", "gold")
_LINK_COLUMNS = ("article_id", "relation", "copy_of", "similarity")
_ASSIGNMENT_COLUMNS = ("article_id", "story_id")
_STORY_COLUMNS = ("story_id", "headline", "first_seen", "last_seen", "independent_sources",
                  "n_articles", "data")


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between the engines in the SQL we send: the parameter marker.

    Statements are written once with ``?`` markers; :meth:`sql` rewrites them for engines that
    use ``%s`` (our statements contain no literal ``?`` or ``%``).
    """

    name: str
    param: str = "?"
    # Parameters per statement we allow ourselves (SQLite before 3.32 stops at 999).
    max_params: int = 900

    def sql(self, statement: str) -> str:
        return statement if self.param == "?" else statement.replace("?", self.param)


@dataclass(frozen=True, slots=True)
class BatchStats:
    """What one :meth:`Store.write_batch` did."""

    articles_inserted: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    stories_inserted: int = 0
    stories_updated: int = 0
    stories_unchanged: int = 0
    stories_deleted: int = 0
    links_written: int = 0
    assignments_written: int = 0

    @property
    def changed(self) -> bool:
        """True when the batch modified any row."""
        return any((self.articles_inserted, self.articles_updated, self.stories_inserted,
                    self.stories_updated, self.stories_deleted, self.links_written,
                    self.assignments_written))

    def __str__(self) -> str:
        return (f"articles {self.articles_inserted} new, {self.articles_updated} updated, "
                f"{self.articles_unchanged} unchanged; stories {self.stories_inserted} new, "
                f"{self.stories_updated} updated, {self.stories_unchanged} unchanged, "
                f"{self.stories_deleted} deleted")


def first_line(exc: BaseException) -> str:
    """The first line of an error message (drivers add multi-line detail)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def story_json(story: Story) -> str:
    """The stored (and exported) JSON text of a story; equal text means nothing changed."""
    return json.dumps(story.to_dict(), sort_keys=True, ensure_ascii=False)


def article_row(article: Article) -> Row:
    row_hash = content_hash(article.fingerprint, article.raw, article.gold or "",
                            "1" if article.gold is not None else "0")
    return (article.id, article.fingerprint, row_hash, article.title, article.text,
            iso(article.date), article.url, article.source, article.lang, article.raw,
            article.gold)


def _article_from_row(row: Row) -> Article:
    (id_, _fingerprint, _row_hash, title, text, date, url, source, lang, raw, gold) = row
    return Article(id=id_, text=text, title=title, date=parse_iso(date), url=url,
                   source=source, lang=lang, raw=raw, gold=gold)


def _story_row(story: Story) -> Row:
    return (story.story_id, story.headline, story.first_seen, story.last_seen,
            story.independent_sources, len(story.articles), story_json(story))


def _story_order(story: Story) -> tuple[int, str, str]:
    # Same order as the pipeline; sorted in Python so both engines (and their collations) agree.
    return (-len(story.articles), story.first_seen or "", story.story_id)


class Store(ABC):
    """A storyline database. Use as a context manager; every write is one transaction."""

    dialect: Dialect

    def __init__(self, description: str) -> None:
        #: Where the data lives, safe to show (passwords redacted); used in error messages.
        self.description = description
        self._closed = False

    # -- backend hooks ------------------------------------------------------------------------
    @abstractmethod
    def _run(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Execute one statement (``?`` markers already translated); rows, or [] if none."""

    @abstractmethod
    def _run_many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement once per parameter row."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]:
        """Begin; commit on normal exit, roll back on any exception (and re-raise it)."""

    @abstractmethod
    def _close_connection(self) -> None: ...

    @abstractmethod
    def _is_db_error(self, exc: BaseException) -> bool:
        """True for the driver's own errors (they become :class:`StoreError`)."""

    @abstractmethod
    def _prepare_migration(self) -> None:
        """Runs first inside the migration transaction (locks, schema creation)."""

    # -- plumbing -----------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.description!r})"

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if not self._closed:
            self._closed = True
            self._close_connection()

    def _query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._run(self.dialect.sql(statement), params)

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn driver errors into a :class:`StoreError` saying what failed and where."""
        if self._closed:
            raise StoreError(f"cannot {action}: the store {self.description} is closed")
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            if not self._is_db_error(exc):
                raise
            raise StoreError(
                f"cannot {action} in {self.description}: {first_line(exc)}") from exc

    def _chunks(self, items: Sequence[Any], extra: int = 0) -> Iterator[Sequence[Any]]:
        size = max(1, self.dialect.max_params - extra)
        for start in range(0, len(items), size):
            yield items[start:start + size]

    def _select_in(self, columns: str, table: str, key: str, keys: Sequence[str]
                   ) -> list[Row]:
        rows: list[Row] = []
        for chunk in self._chunks(keys):
            marks = ", ".join("?" * len(chunk))
            rows.extend(self._query(
                f"SELECT {columns} FROM {table} WHERE {key} IN ({marks})", chunk))
        return rows

    # -- schema -------------------------------------------------------------------------------
    def migrate(self) -> int:
        """Create or upgrade the schema (idempotent); returns the schema version now in use."""
        with self._guard("create the storyline tables"), self._transaction():
            self._prepare_migration()
            self._query("CREATE TABLE IF NOT EXISTS meta "
                        "(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            found = self._query("SELECT value FROM meta WHERE key = 'schema_version'")
            current = int(found[0][0]) if found else 0
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.description} has schema version {current}, newer than this "
                    f"storyline understands ({SCHEMA_VERSION}); upgrade storyline or use "
                    f"another database")
            for version in sorted(v for v in MIGRATIONS if v > current):
                log.info("migrating %s to schema version %s", self.description, version)
                for statement in MIGRATIONS[version]:
                    self._query(statement)
            if current < SCHEMA_VERSION:
                self._query("DELETE FROM meta WHERE key = 'schema_version'")
                self._query("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                            (str(SCHEMA_VERSION),))
        return SCHEMA_VERSION

    def synthesis_signature(self) -> str | None:
        """The signature stored with the stories by the last batch (``None`` if it gave none)."""
        with self._guard("read the synthesis signature"):
            found = self._query("SELECT value FROM meta WHERE key = ?", (SYNTHESIS_KEY,))
        return str(found[0][0]) if found else None

    def schema_version(self) -> int:
        with self._guard("read the schema version"):
            found = self._query("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(found[0][0]) if found else 0

    # -- writing ------------------------------------------------------------------------------
    def write_batch(
        self,
        articles: Sequence[Article],
        links: Mapping[str, Link],
        assignments: Mapping[str, str],
        stories: Sequence[Story],
        *,
        prune_orphans: bool = True,
        synthesis_signature: str | None = None,
    ) -> BatchStats:
        """Write a batch in ONE transaction (see the module docstring for the semantics).

        Every article referred to by ``links`` or ``assignments`` must be stored already or be
        in ``articles``; otherwise nothing is written and :class:`StoreError` is raised.
        ``synthesis_signature`` says how ``stories`` were synthesized (see
        :func:`storyline.pipeline.synthesis_signature`); ``None`` clears the stored one.
        """
        for key, link in links.items():
            if key != link.article_id:
                raise ValueError(f"links[{key!r}] is the link of {link.article_id!r}; "
                                 "key each Link by its own article_id")
        article_rows = list({row[0]: row for row in map(article_row, articles)}.values())
        story_rows = list({row[0]: row for row in map(_story_row, stories)}.values())
        link_rows = [(k, v.relation, v.copy_of, float(v.similarity)) for k, v in links.items()]
        assignment_rows = [(k, v) for k, v in assignments.items()]
        with self._guard("write the batch"), self._transaction():
            a_new, a_changed = self._sync("articles", _ARTICLE_COLUMNS, article_rows,
                                          compare=["row_hash"])
            l_new, l_changed = self._sync("links", _LINK_COLUMNS, link_rows)
            s_new, s_changed = self._sync("assignments", _ASSIGNMENT_COLUMNS, assignment_rows)
            st_new, st_changed = self._write_stories(story_rows)
            deleted = self._prune_orphans({r[0] for r in story_rows}) if prune_orphans else 0
            self._query("DELETE FROM meta WHERE key = ?", (SYNTHESIS_KEY,))
            if synthesis_signature is not None:
                self._query("INSERT INTO meta (key, value) VALUES (?, ?)",
                            (SYNTHESIS_KEY, synthesis_signature))
        stats = BatchStats(
            articles_inserted=a_new, articles_updated=a_changed,
            articles_unchanged=len(article_rows) - a_new - a_changed,
            stories_inserted=st_new, stories_updated=st_changed,
            stories_unchanged=len(story_rows) - st_new - st_changed, stories_deleted=deleted,
            links_written=l_new + l_changed, assignments_written=s_new + s_changed)
        log.info("wrote batch to %s: %s", self.description, stats)
        return stats

    def _write_stories(self, story_rows: Sequence[Row]) -> tuple[int, int]:
        return self._sync("stories", _STORY_COLUMNS, story_rows, compare=["data"])

    def _sync(self, table: str, columns: Sequence[str], rows: Sequence[Row],
              compare: Sequence[str] | None = None) -> tuple[int, int]:
        """Upsert ``rows`` (keyed by their first column), skipping rows whose ``compare``
        columns (default: all) equal the stored ones; only those columns are read back, so
        large texts are never loaded just to be compared. Returns (inserted, updated)."""
        if not rows:
            return 0, 0
        key = columns[0]
        compared = list(compare or columns[1:])
        at = [columns.index(c) for c in compared]
        existing = {row[0]: tuple(row[1:]) for row in self._select_in(
            ", ".join([key, *compared]), table, key, [r[0] for r in rows])}
        new = [r for r in rows if r[0] not in existing]
        changed = [r for r in rows
                   if r[0] in existing and existing[r[0]] != tuple(r[i] for i in at)]
        if new or changed:
            marks = ", ".join("?" * len(columns))
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
            statement = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
                         f"ON CONFLICT ({key}) DO UPDATE SET {updates}")
            self._run_many(self.dialect.sql(statement), [*new, *changed])
        return len(new), len(changed)

    def _prune_orphans(self, keep: Iterable[str]) -> int:
        kept = set(keep)
        orphans = sorted(
            row[0] for row in self._query(
                "SELECT s.story_id FROM stories s WHERE NOT EXISTS "
                "(SELECT 1 FROM assignments a WHERE a.story_id = s.story_id)")
            if row[0] not in kept)
        self._delete_stories(orphans)
        if orphans:
            log.info("pruned %d orphan stories from %s", len(orphans), self.description)
        return len(orphans)

    def _delete_stories(self, story_ids: Sequence[str]) -> None:
        for chunk in self._chunks(story_ids):
            marks = ", ".join("?" * len(chunk))
            self._query(f"DELETE FROM assignments WHERE story_id IN ({marks})", chunk)
            self._query(f"DELETE FROM stories WHERE story_id IN ({marks})", chunk)

    def delete_stories(self, story_ids: Iterable[str]) -> int:
        """Delete these stories and the assignments pointing at them (articles and links
        stay), in one transaction. Returns how many stories existed and were deleted."""
        ids = sorted(set(story_ids))
        with self._guard("delete stories"), self._transaction():
            found = len(self._select_in("story_id", "stories", "story_id", ids))
            self._delete_stories(ids)
        return found

    # -- reading ------------------------------------------------------------------------------
    def load_articles(self) -> list[Article]:
        """Every stored article, ordered by id; dates are timezone-aware."""
        with self._guard("read articles"):
            rows = self._query(f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles ORDER BY id")
        return [_article_from_row(r) for r in rows]

    def get_article(self, article_id: str) -> Article | None:
        with self._guard("read an article"):
            rows = self._query(
                f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?", (article_id,))
        return _article_from_row(rows[0]) if rows else None

    def load_links(self) -> dict[str, Link]:
        with self._guard("read links"):
            rows = self._query(f"SELECT {', '.join(_LINK_COLUMNS)} FROM links ORDER BY article_id")
        return {r[0]: Link(article_id=r[0], relation=r[1], copy_of=r[2], similarity=float(r[3]))
                for r in rows}

    def load_assignments(self) -> dict[str, str]:
        """Article id -> story id."""
        with self._guard("read story assignments"):
            rows = self._query("SELECT article_id, story_id FROM assignments ORDER BY article_id")
        return {r[0]: r[1] for r in rows}

    def load_stories(self) -> list[Story]:
        """Every story, largest first, then by first_seen, then by id."""
        with self._guard("read stories"):
            rows = self._query("SELECT data FROM stories")
        return sorted((Story.from_dict(json.loads(r[0])) for r in rows), key=_story_order)

    def get_story(self, story_id: str) -> Story | None:
        with self._guard("read a story"):
            rows = self._query("SELECT data FROM stories WHERE story_id = ?", (story_id,))
        return Story.from_dict(json.loads(rows[0][0])) if rows else None

    def counts(self) -> dict[str, int]:
        """Rows per table: articles, links, assignments, stories."""
        with self._guard("count rows"):
            return {t: int(self._query(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in TABLES}
