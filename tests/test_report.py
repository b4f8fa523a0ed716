"""Reports: sentence-level citation anchors, escaping of untrusted text, conflicts, chart."""

from __future__ import annotations

import re

import pytest

from storyline import report
from storyline.model import (
    Article,
    Conflict,
    Entity,
    Fact,
    Link,
    Story,
    StoryArticle,
    StoryContext,
    SummarySentence,
    TimelineEvent,
)
from storyline.synth import synthesize

ORIGINAL = "000_a739bb9f3244bbb2"
REWRITE = "001_0c9859ee3d48e6bf"


@pytest.fixture(scope="module")
def seed_story(seed_articles: list[Article]) -> tuple[Story, dict[str, str]]:
    ctx = StoryContext("s_seed", tuple(seed_articles),
                       {REWRITE: Link(REWRITE, "rewrite", ORIGINAL, 0.8)})
    return synthesize(ctx), {a.id: a.text for a in seed_articles}


@pytest.fixture(scope="module")
def page(seed_story: tuple[Story, dict[str, str]]) -> str:
    story, texts = seed_story
    return report.to_html([story], texts)


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def test_summary_citations_point_at_existing_sentence_ids(
        seed_story: tuple[Story, dict[str, str]], page: str) -> None:
    story, texts = seed_story
    ids = _ids(page)
    view = report.story_view(story, texts)
    for sentence, cites in zip(story.summary, view.summary, strict=True):
        assert [c.article_id for c in cites] == list(sentence.article_ids)
        for cite in cites:
            assert cite.sentence is not None, (sentence.text, cite.article_id)
            assert re.fullmatch(r"s_seed-[\w.-]+-s\d+", cite.href)
            assert f'href="#{cite.href}"' in page and cite.href in ids
            # The anchored sentence is the one the summary sentence was taken from (or its copy).
            sentences = [s for p in report.article_sentences(texts[cite.article_id]) for s in p]
            assert report.support_score(sentence.text, sentences[cite.sentence]) >= 75
    # Every in-page link resolves.
    for href in re.findall(r'href="#([^"]+)"', page):
        assert href in ids, href


def test_supporting_sentence_for_short_items() -> None:
    sentences = ["Blinken met Lavrov in Geneva on Friday.",
                 "Russia has massed more than 100,000 Russian troops near the border.",
                 "The talks were “open,” Blinken said."]
    assert report.supporting_sentence("100,000 troops", sentences) == 1
    assert report.supporting_sentence("open", sentences) == 2
    assert report.supporting_sentence("2022-01-21", sentences) is None
    assert report.supporting_sentence("anything", []) is None


def _hostile_story() -> tuple[Story, dict[str, str]]:
    evil = "<script>alert('x')</script>"
    aid = 'a"1 <b>'
    fact_a = Fact("100,000 troops", "quantity", (aid,), 1)
    fact_b = Fact("130,000 troops", "quantity", ("b2",), 1)
    story = Story(
        story_id="st", headline=f"Headline {evil}", first_seen=None, last_seen=None,
        independent_sources=2,
        articles=(StoryArticle(aid, title=evil), StoryArticle("b2", title="Other")),
        summary=(SummarySentence(f"Troops massed {evil} near the border.", (aid,)),),
        facts=(fact_a, fact_b),
        entities=(Entity("Antony Blinken", "person", ("Blinken",), (aid,), 0.87),),
        timeline=(TimelineEvent("2022-01-19", "Biden spoke.", (aid,)),
                  TimelineEvent("2022-01-21", f"Talks {evil}.", (aid, "b2"))),
        conflicts=(Conflict("troop", (fact_a, fact_b)),),
    )
    texts = {aid: f"Troops massed {evil} near the border. Biden spoke.\nTalks {evil}.",
             "b2": "Officials counted 130,000 troops. Talks <img src=x onerror=alert(1)>."}
    return story, texts


def test_untrusted_text_is_escaped_and_page_is_self_contained() -> None:
    story, texts = _hostile_story()
    page = report.to_html([story], texts)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    # Unsafe article ids become safe, unique anchors that still resolve.
    ids = _ids(page)
    for href in re.findall(r'href="#([^"]+)"', page):
        assert href in ids, href
        assert re.fullmatch(r"[A-Za-z0-9_.-]+", href)


def test_conflicts_confidence_and_chart() -> None:
    story, texts = _hostile_story()
    page = report.to_html([story], texts)
    assert "Outlets disagree" in page and "130,000 troops" in page
    assert "0.87" in page
    assert "<svg" in page and page.count("<circle") == 2
    md = report.story_markdown(story)
    assert "### Outlets disagree" in md and "130,000 troops" in md
    assert "confidence 0.87" in md
    assert "\\<script\\>" in md


def test_seed_page_has_chart_and_sentences(page: str) -> None:
    assert "<svg" in page
    assert re.search(r'<span id="s_seed-000_a739bb9f3244bbb2-s0">', page)


def test_variant_label_tells_partial_from_altered() -> None:
    from storyline.report import variant_label

    assert variant_label("We're at a decisive juncture", "decisive juncture") == "partial quote"
    assert variant_label("there are no minor incursions", "there are no small incursions") == (
        "altered wording")
