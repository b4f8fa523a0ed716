"""Settings layering, the export schema round trip, and report escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import report
from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.model import (
    Article,
    Conflict,
    Entity,
    Fact,
    Link,
    Quote,
    QuoteVariant,
    Story,
    StoryArticle,
    StoryContext,
    SummarySentence,
    TimelineEvent,
    content_hash,
)


def test_settings_layers(tmp_path: Path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text("[storyline]\nsummary_words = 80\nseed = 7\n")
    env = {"STORYLINE_SEED": "9", "STORYLINE_PROGRESS": "off"}
    s = Settings.load(file=cfg, env=env, overrides={"summary_words": None, "db_url": "x.db"})
    assert (s.summary_words, s.seed, s.progress, s.db_url) == (80, 9, False, "x.db")
    with pytest.raises(AttributeError):
        s.seed = 3  # type: ignore[misc]


def test_settings_errors_say_what_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="known settings"):
        Settings.load(env={}, overrides={"nope": 1})
    with pytest.raises(ConfigError, match="not a valid int"):
        Settings.load(env={"STORYLINE_SEED": "abc"})
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(file=tmp_path / "missing.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("summary_words = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load(file=bad, env={})


def test_content_hash_is_stable() -> None:
    assert content_hash("a", "b") == content_hash("a", "b")
    assert content_hash("a", "b") != content_hash("ab")
    assert len(content_hash("x")) == 16


def _story() -> Story:
    return Story(
        story_id="s_1", headline="<b>Head</b>", first_seen="2022-01-21T00:00:00+00:00",
        last_seen=None, independent_sources=1,
        articles=(StoryArticle(id="a", title="<script>alert(1)</script>", relation="original"),
                  StoryArticle(id="b", relation="rewrite", copy_of="a", similarity=0.8)),
        summary=(SummarySentence("One *sentence* <i>x</i>.", ("a", "b")),),
        quotes=(Quote("X Y", "we <3 it", ("a",), (QuoteVariant("we love it", ("b",)),)),),
        facts=(Fact("100 troops", "quantity", ("a", "b"), 1),),
        entities=(Entity("X Y", "person", ("Y",), ("a",)),),
        timeline=(TimelineEvent("2022-01-21", "met", ("a",)),),
        conflicts=(Conflict("troops", (Fact("100 troops", "quantity", ("a",), 1),
                                       Fact("90 troops", "quantity", ("c",), 1))),),
    )


def test_story_round_trip() -> None:
    story = _story()
    assert Story.from_dict(story.to_dict()) == story


def test_root_follows_copy_chain_inside_story() -> None:
    arts = tuple(Article(id=i, text="t") for i in "abc")
    links = {"b": Link("b", "rewrite", "a"), "c": Link("c", "duplicate", "b"),
             "a": Link("a", "duplicate", "zz")}  # zz is outside the story
    ctx = StoryContext("s", arts, links)
    assert ctx.root("c") == "a" and ctx.root("a") == "a"
    assert ctx.independent_support(["a", "b", "c"]) == 1
    assert [a.id for a in ctx.originals()] == ["a"]


def test_html_report_escapes_untrusted_text() -> None:
    page = report.to_html([_story()], texts={"a": "<img src=x onerror=alert(1)>"})
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "<b>Head</b>" not in page


def test_markdown_escapes_untrusted_text() -> None:
    md = report.to_markdown([_story()])
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*sentence\\*" in md


def test_settings_ranges_are_checked() -> None:
    with pytest.raises(ConfigError, match="summary_words=0 is out of range"):
        Settings(summary_words=0)
    with pytest.raises(ConfigError, match="at least"):
        Settings.load(env={"STORYLINE_TIME_SIGMA_DAYS": "0"})


def test_markdown_escapes_metadata_fields_too() -> None:
    story = _story()
    evil = StoryArticle(id="x", lang="[click](javascript:alert(1))", date="[d](javascript:x)")
    md = report.to_markdown([Story(**{**{f: getattr(story, f) for f in story.__slots__},
                                      "articles": (evil,)})])
    assert "[click](javascript" not in md and "[d](javascript" not in md
