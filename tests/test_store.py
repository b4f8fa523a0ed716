"""The store contract, run against SQLite and PostgreSQL (skipped when no server answers).

PostgreSQL: ``STORYLINE_TEST_PG_URL`` or ``postgresql://postgres@127.0.0.1:5432/test``; every
test gets its own freshly created schema, dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import ConfigError, MissingDependencyError, StoreError
from storyline.model import (
    Article,
    Entity,
    Fact,
    Link,
    Quote,
    QuoteVariant,
    Story,
    StoryArticle,
    SummarySentence,
    TimelineEvent,
    iso,
)
from storyline.store import Store, open_store
from storyline.store.base import SCHEMA_VERSION, TABLES, story_json
from storyline.store.sqlite import SQLiteStore

PG_URL = os.environ.get("STORYLINE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
Dump = dict[str, list[tuple[Any, ...]]]


# -- backends -------------------------------------------------------------------------------------
@dataclass
class Backend:
    """Opens stores on one test database and inspects it through a separate raw connection."""

    name: str
    opener: Callable[[], Store]
    execute: Callable[[str], list[tuple[Any, ...]]]
    opened: list[Store] = field(default_factory=list)

    def open(self) -> Store:
        store = self.opener()
        self.opened.append(store)
        return store

    def dump(self) -> Dump:
        """Every row of every table, sorted: equal dumps mean equal database content."""
        return {t: sorted(self.execute(f"SELECT * FROM {t}"), key=repr)
                for t in (*TABLES, "meta")}


@pytest.fixture(scope="session")
def pg_url() -> str:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL server at {PG_URL} ({str(exc).strip().splitlines()[0]}); "
                    "set STORYLINE_TEST_PG_URL to run these tests")
    return PG_URL


def _sqlite_backend(tmp_path: Path) -> Iterator[Backend]:
    path = tmp_path / "store.db"

    def execute(statement: str) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            return conn.execute(statement).fetchall()
        finally:
            conn.close()

    backend = Backend("sqlite", lambda: open_store(f"sqlite:///{path}"), execute)
    yield backend
    for store in backend.opened:
        store.close()


def _postgres_backend(url: str) -> Iterator[Backend]:
    import psycopg
    from psycopg import sql

    schema = f"storyline_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(url, autocommit=True)

    def execute(statement: str) -> list[tuple[Any, ...]]:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            cur.execute(statement)
            return cur.fetchall() if cur.description is not None else []

    backend = Backend("postgres", lambda: open_store(url, schema=schema), execute)
    try:
        yield backend
    finally:
        for store in backend.opened:
            store.close()
        admin.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield from _sqlite_backend(tmp_path)
    else:
        yield from _postgres_backend(request.getfixturevalue("pg_url"))


# -- a batch --------------------------------------------------------------------------------------
@dataclass
class Batch:
    articles: list[Article]
    links: dict[str, Link]
    assignments: dict[str, str]
    stories: list[Story]

    def write(self, store: Store, **kwargs: Any) -> Any:
        return store.write_batch(self.articles, self.links, self.assignments, self.stories,
                                 **kwargs)


def make_story(story_id: str, articles: Sequence[Article], links: Mapping[str, Link]) -> Story:
    dates = sorted(a.date for a in articles if a.date is not None)
    ids = tuple(a.id for a in articles)
    return Story(
        story_id=story_id,
        headline=articles[0].title or articles[0].text[:60],
        first_seen=iso(dates[0]) if dates else None,
        last_seen=iso(dates[-1]) if dates else None,
        independent_sources=sum(links[a.id].relation == "original" for a in articles),
        articles=tuple(
            StoryArticle(id=a.id, title=a.title, source=a.source, url=a.url, date=iso(a.date),
                         lang=a.lang, relation=links[a.id].relation,
                         copy_of=links[a.id].copy_of, similarity=links[a.id].similarity)
            for a in articles),
        summary=(SummarySentence("Blinken and Lavrov met in Geneva.", ids[:2]),),
        quotes=(Quote("Volodymyr Zelenskiy", "there are no minor incursions", ids[:1],
                      (QuoteVariant("there are no small incursions", ids[1:2]),)),),
        facts=(Fact("100,000 troops", "quantity", ids, 2),),
        entities=(Entity("Antony Blinken", "person", ("Blinken",), ids),),
        timeline=(TimelineEvent("2022-01-21", "Talks in Genève — “frank”", ids[:1]),),
    )


@pytest.fixture
def batch(seed_articles: list[Article]) -> Batch:
    extra = [
        Article(id="x1", text="Ünïcode “quotes” and a long body.\n" + "word " * 200_000,
                title="Extra one", date=datetime(2022, 1, 20, 9, 30, tzinfo=timezone(
                    timedelta(hours=2))), url="https://example.org/x1", source="example.org",
                lang="de", raw="<p>raw html</p>", gold="g1"),
        Article(id="x2", text="Second extra article.", date=datetime(2022, 1, 20, 12, 0,
                tzinfo=UTC), gold=None),
    ]
    articles = [*seed_articles, *extra]
    ids = [a.id for a in articles]
    links = {i: Link(i) for i in ids}
    links[ids[1]] = Link(ids[1], "rewrite", ids[0], 0.8123456789)
    links[ids[2]] = Link(ids[2], "duplicate", ids[0], 0.97)
    groups = {"story-a": ids[0:3], "story-b": ids[3:5], "story-c": ["x1", "x2"]}
    by_id = {a.id: a for a in articles}
    # Story B's articles are dated later than story C's so the order is A (3), C, B.
    for i in ids[3:5]:
        by_id[i] = replace(by_id[i], date=datetime(2022, 1, 22, tzinfo=UTC))
    articles = [by_id[i] for i in ids]
    stories = [make_story(sid, [by_id[i] for i in members], links)
               for sid, members in groups.items()]
    assignments = {i: sid for sid, members in groups.items() for i in members}
    return Batch(articles, links, assignments, stories)


# -- contract -------------------------------------------------------------------------------------
def test_round_trip(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        stats = batch.write(store)
        assert (stats.articles_inserted, stats.stories_inserted) == (7, 3)
        assert store.load_articles() == sorted(batch.articles, key=lambda a: a.id)
        assert all(a.date is None or a.date.tzinfo is not None for a in store.load_articles())
        assert store.load_links() == batch.links
        assert store.load_assignments() == batch.assignments
        assert [s.story_id for s in store.load_stories()] == ["story-a", "story-c", "story-b"]
        assert {s.story_id: s for s in store.load_stories()} == {
            s.story_id: Story.from_dict(s.to_dict()) for s in batch.stories}
        x1 = store.get_article("x1")
        assert x1 == batch.articles[-2]
        assert x1 is not None and x1.date is not None and x1.date.utcoffset() == timedelta(hours=2)
        assert len(x1.text) > 1_000_000
        assert store.get_article("nope") is None
        story_c = store.get_story("story-c")
        assert story_c is not None and story_c.timeline[0].text == "Talks in Genève — “frank”"
        assert store.get_story("nope") is None
        assert store.counts() == {"articles": 7, "links": 7, "assignments": 7, "stories": 3}
    stored = dict(backend.execute("SELECT story_id, data FROM stories"))
    assert stored["story-a"] == story_json(batch.stories[0])
    assert backend.execute("SELECT n_articles, independent_sources FROM stories "
                           "WHERE story_id = 'story-a'") == [(3, 1)]


def test_same_batch_twice_changes_nothing(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        batch.write(store)
        before = backend.dump()
        stats = batch.write(store)
    assert backend.dump() == before
    assert not stats.changed
    assert (stats.articles_unchanged, stats.stories_unchanged) == (7, 3)
    assert "7 unchanged" in str(stats)


def test_changed_article_updates_its_row(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        batch.write(store)
        before = backend.dump()
        changed = replace(batch.articles[0], text=batch.articles[0].text + "\nA new paragraph.")
        stats = store.write_batch([changed, *batch.articles[1:]], batch.links,
                                  batch.assignments, batch.stories)
        assert (stats.articles_updated, stats.articles_unchanged) == (1, 6)
        assert stats.stories_unchanged == 3
        assert store.get_article(changed.id) == changed
        raw_only = replace(batch.articles[1], raw="different raw")
        assert store.write_batch([raw_only], {}, {}, []).articles_updated == 1
    after = backend.dump()
    assert len(after["articles"]) == len(before["articles"])
    changed_rows = set(after["articles"]) - set(before["articles"])
    assert {row[0] for row in changed_rows} == {changed.id, raw_only.id}
    assert {k: v for k, v in after.items() if k != "articles"} == \
           {k: v for k, v in before.items() if k != "articles"}


def test_changed_story_is_rewritten_alone(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        batch.write(store)
        before = backend.dump()
        renamed = replace(batch.stories[1], headline="A better headline")
        stats = store.write_batch([], {}, {}, [batch.stories[0], renamed])
        assert (stats.stories_updated, stats.stories_unchanged, stats.stories_deleted) == (1, 1, 0)
        story = store.get_story(renamed.story_id)
        assert story is not None and story.headline == "A better headline"
    after = backend.dump()
    assert set(after["stories"]) - set(before["stories"]) == {
        next(r for r in after["stories"] if r[0] == renamed.story_id)}
    assert after["articles"] == before["articles"]


def test_constraint_violation_rolls_back(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        batch.write(store)
        before = backend.dump()
        new_article = Article(id="new", text="A new article that must not stay.")
        with pytest.raises(StoreError, match="cannot write the batch"):
            # The assignment of an article that is nowhere violates a foreign key, after the
            # new article, the links and the other assignments were already written.
            store.write_batch([new_article], {"new": Link("new")},
                              {"new": "story-a", "ghost": "story-a"},
                              [replace(batch.stories[0], headline="changed")])
        assert store.get_article("new") is None
    assert backend.dump() == before


def test_error_mid_batch_rolls_back(backend: Backend, batch: Batch,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with backend.open() as store:
        batch.write(store)
        before = backend.dump()
        original = type(store)._write_stories

        def write_then_fail(self: Store, rows: Sequence[tuple[Any, ...]]) -> tuple[int, int]:
            original(self, rows)
            raise RuntimeError("injected failure after the stories were written")

        monkeypatch.setattr(type(store), "_write_stories", write_then_fail)
        changed = replace(batch.articles[0], title="changed title")
        with pytest.raises(RuntimeError, match="injected"):
            store.write_batch([changed, Article(id="new", text="new")], {}, {"new": "story-z"},
                              [replace(batch.stories[0], headline="changed")])
        monkeypatch.undo()
        assert store.get_article(changed.id) == batch.articles[0]
        assert batch.write(store).changed is False  # the store still works
    assert backend.dump() == before


def test_story_whose_articles_all_moved_is_pruned(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        batch.write(store)
        moved = dict(batch.assignments, x1="story-a", x2="story-a")
        story_a = make_story("story-a", [a for a in batch.articles if moved[a.id] == "story-a"],
                             batch.links)
        # Story B is absent from this partial batch but keeps its articles: it stays.
        stats = store.write_batch([], {}, moved, [story_a])
        assert (stats.stories_updated, stats.stories_deleted) == (1, 1)
        assert [s.story_id for s in store.load_stories()] == ["story-a", "story-b"]
        assert store.load_assignments() == moved

        again = store.write_batch([], {}, moved, [story_a], prune_orphans=False)
        assert again.stories_deleted == 0


def test_delete_stories(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        batch.write(store)
        assert store.delete_stories(["story-b", "missing"]) == 1
        assert store.get_story("story-b") is None
        assert "story-b" not in store.load_assignments().values()
        assert store.counts() == {"articles": 7, "links": 7, "assignments": 5, "stories": 2}


def test_reopen_keeps_data_and_schema_version(backend: Backend, batch: Batch) -> None:
    with backend.open() as store:
        assert store.schema_version() == SCHEMA_VERSION
        batch.write(store)
    before = backend.dump()
    with backend.open() as store:
        assert store.counts()["articles"] == 7
    assert backend.dump() == before
    assert backend.execute("SELECT key, value FROM meta") == [
        ("schema_version", str(SCHEMA_VERSION))]
    backend.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer than this storyline"):
        backend.open()


def test_links_must_be_keyed_by_article(backend: Backend, batch: Batch) -> None:
    with backend.open() as store, pytest.raises(ValueError, match="own article_id"):
        store.write_batch(batch.articles, {"a": Link("b")}, {}, [])


def test_closed_store_says_so(backend: Backend) -> None:
    store = backend.open()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load_stories()


# -- open_store -----------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["sqlite:///{rel}", "sqlite:////{abs}", "{rel}", "{abs}"])
def test_open_sqlite_url_forms(form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                               ) -> None:
    monkeypatch.chdir(tmp_path)
    url = form.format(rel="sub/dir/x.db", abs=str(tmp_path / "sub/dir/x.db").lstrip("/"))
    if form == "{abs}":
        url = "/" + url
    with open_store(url) as store:
        assert isinstance(store, SQLiteStore)
        store.write_batch([Article(id="a", text="t")], {}, {}, [])
    assert (tmp_path / "sub" / "dir" / "x.db").is_file()  # parent folders were created


@pytest.mark.parametrize("url", ["sqlite://:memory:", "sqlite:///:memory:", "sqlite://"])
def test_open_sqlite_memory(url: str) -> None:
    with open_store(url) as store:
        assert isinstance(store, SQLiteStore) and store.path == ":memory:"
        assert store.counts()["stories"] == 0


@pytest.mark.parametrize("url", ["mysql://u@h/db", "http://example.org/x.db", "sqlite:x.db", ""])
def test_open_unknown_scheme(url: str) -> None:
    with pytest.raises(ConfigError, match=r"sqlite:///.*postgresql://"):
        open_store(url)


def test_open_sqlite_two_slashes_explains() -> None:
    with pytest.raises(ConfigError, match="three slashes"):
        open_store("sqlite://relative.db")


def test_open_sqlite_unusable_paths(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder"):
        open_store(f"sqlite:///{blocker}/sub/x.db")
    with pytest.raises(StoreError, match="it is a folder"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="check that the path"):
        open_store(str(blocker))  # exists, but is not a SQLite database


def test_schema_is_postgres_only(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PostgreSQL"):
        open_store(tmp_path / "x.db", schema="s")


def test_postgres_unreachable_is_a_quick_store_error() -> None:
    pytest.importorskip("psycopg")
    start = time.monotonic()
    with pytest.raises(StoreError, match="server is running") as info:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nothing")
    assert time.monotonic() - start < 5
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    with pytest.raises(StoreError):
        open_store("postgres://127.0.0.1:notaport/db")


def test_postgres_without_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.delitem(sys.modules, "storyline.store.postgres", raising=False)
    with pytest.raises(MissingDependencyError, match=r"storyline\[postgres\]"):
        open_store("postgresql://postgres@127.0.0.1/test")


@pytest.mark.postgres
def test_postgres_schema_in_url(pg_url: str) -> None:
    import psycopg
    from psycopg import sql

    schema = f"storyline_test_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in pg_url else "?"
    try:
        with open_store(f"{pg_url}{separator}schema={schema}") as store:
            store.write_batch([Article(id="a", text="t")], {}, {}, [])
            assert schema in store.description
        with psycopg.connect(pg_url) as conn:
            rows = conn.execute(sql.SQL("SELECT id FROM {}.articles").format(
                sql.Identifier(schema))).fetchall()
        assert rows == [("a",)]
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(schema)))


# --- synthesis signature and story reuse ---------------------------------------------------
def test_synthesis_signature_is_stored_with_the_batch_and_cleared_without(tmp_path: Path
                                                                          ) -> None:
    with SQLiteStore(tmp_path / "sig.db") as store:
        assert store.synthesis_signature() is None
        store.write_batch([], {}, {}, [], synthesis_signature="abc")
        assert store.synthesis_signature() == "abc"
        store.write_batch([], {}, {}, [])
        assert store.synthesis_signature() is None


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "geneva-2022"


def test_rerun_reuses_unchanged_stories_only_under_the_same_signature(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A second run on the same input reuses the stored story (same export); a setting that
    synthesis reads, or changed article text, makes it synthesize again."""
    import logging

    from storyline.config import Settings
    from storyline.pipeline import Pipeline, synthesis_signature

    settings = Settings(db_url=f"sqlite:///{tmp_path / 'reuse.db'}", progress=False)
    first = Pipeline(settings).run([EXAMPLE])
    with caplog.at_level(logging.INFO, logger="storyline.pipeline"):
        second = Pipeline(settings).run([EXAMPLE])
    assert "reused 1 unchanged stories of 1" in caplog.text
    assert [story_json(s) for s in second.stories] == [story_json(s) for s in first.stories]
    assert second.stats is not None and not second.stats.changed

    shorter = settings.replace(summary_words=30)
    assert synthesis_signature(shorter) != synthesis_signature(settings)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="storyline.pipeline"):
        third = Pipeline(shorter).run([EXAMPLE])
    assert "reused" not in caplog.text
    assert third.stories[0].summary != first.stories[0].summary

    # Same settings as the third run, but one article's text changed: synthesized again.
    edited = tmp_path / "edited"
    edited.mkdir()
    for path in EXAMPLE.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("002_"):
            text += "\nA new closing paragraph, added by the outlet after publication."
        (edited / path.name).write_text(text, encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="storyline.pipeline"):
        Pipeline(shorter).run([edited])
    assert "reused" not in caplog.text
