"""Extractive summary: independent sources, budget, citations, filters, determinism; headline."""

from __future__ import annotations

import pytest

from storyline.model import Article, StoryContext, SummarySentence
from storyline.synth.summary import (
    budget_words,
    candidate_sentences,
    headline,
    is_candidate,
    strip_dateline,
    summarize,
)

ORIGINAL = "000_a739bb9f3244bbb2"
REWRITE = "001_0c9859ee3d48e6bf"


@pytest.fixture(scope="module")
def ctx(seed_context: StoryContext) -> StoryContext:
    return seed_context


@pytest.fixture(scope="module")
def summary(ctx: StoryContext) -> tuple[SummarySentence, ...]:
    return summarize(ctx, words=100)


def _source_text(ctx: StoryContext, article_id: str) -> str:
    return next(a.text for a in ctx.articles if a.id == article_id)


@pytest.mark.parametrize("budget", [20, 50, 100, 250])
def test_budget_never_exceeded(ctx: StoryContext, budget: int) -> None:
    chosen = summarize(ctx, words=budget)
    assert sum(budget_words(s.text) for s in chosen) <= budget
    assert sum(len(s.text.split()) for s in chosen) <= budget


def test_summary_is_extractive_from_independent_articles(
        ctx: StoryContext, summary: tuple[SummarySentence, ...]) -> None:
    assert 2 <= len(summary) <= 6
    assert sum(budget_words(s.text) for s in summary) >= 60  # the budget is used, not wasted
    for sentence in summary:
        first = sentence.article_ids[0]
        assert ctx.root(first) == first, "a copy must never be the source of a sentence"
        assert sentence.text in _source_text(ctx, first).replace("GENEVA (AP) — ", "")
    # Several independent outlets are drawn on, not just one.
    assert len({s.article_ids[0] for s in summary}) >= 2


def test_summary_is_diverse(summary: tuple[SummarySentence, ...]) -> None:
    assert any("100,000" in s.text for s in summary)
    meeting_leads = [s for s in summary if "Secretary of State Antony Blinken" in s.text]
    assert len(meeting_leads) <= 1


def test_citations_include_copies(ctx: StoryContext) -> None:
    long = summarize(ctx, words=400)
    cited = [s for s in long if ORIGINAL in s.article_ids]
    assert cited, "the original is summarised somewhere at 400 words"
    assert all(REWRITE in s.article_ids for s in cited if "Russia has denied" in s.text
               or "90-minute" in s.text)
    assert any(REWRITE in s.article_ids for s in cited)


def test_deterministic(ctx: StoryContext, summary: tuple[SummarySentence, ...]) -> None:
    assert summarize(ctx, words=100) == summary
    shuffled = StoryContext("s", tuple(reversed(ctx.articles)), ctx.links)
    assert {s.text for s in summarize(shuffled, words=100)} == {s.text for s in summary}


def test_filters() -> None:
    assert not is_candidate("Blinking indicates further conversations")  # heading
    assert not is_candidate("Will Russia invade Ukraine before the drills end in February?")
    assert not is_candidate("Some material in this report came from the Associated Press.")
    assert not is_candidate('"This is a critical moment for all of us in Europe," he said.')
    assert not is_candidate('He said, "We want to remind the great powers that there are no.')
    assert not is_candidate("and then the delegations left the hotel on the lake shore.")
    assert is_candidate("Blinken and Lavrov ended their crisis talks after around an hour "
                        "and a half, earlier than planned.")
    assert strip_dateline("GENEVA (AP) — U.S. Secretary of State Antony Blinken warned.") == (
        "U.S. Secretary of State Antony Blinken warned.")


def test_quote_continuations_skipped(ctx: StoryContext) -> None:
    texts = [c.text for c in candidate_sentences(ctx)]
    assert not [t for t in texts if t.startswith("Just as there are no minor casualties")]
    assert not [t for t in texts if t.startswith("I say this as the president")]


def test_headline(ctx: StoryContext) -> None:
    titles = {a.title for a in ctx.originals() if a.title}
    assert headline(ctx) in titles
    untitled = StoryContext("u", tuple(Article(id=a.id, text=a.text) for a in ctx.articles[2:]))
    fallback = headline(untitled)
    assert fallback and len(fallback.split()) <= 15


def test_empty_story() -> None:
    assert summarize(StoryContext("e", ())) == ()
    assert headline(StoryContext("e", ())) == ""


def test_sparse_scoring_matches_dense(ctx: StoryContext) -> None:
    """Large stories are scored on sparse matrices: same salience (up to float rounding) and
    the same selection as the dense path."""
    import numpy as np

    from storyline.synth.summary import score_candidates, select

    candidates = candidate_sentences(ctx)
    dense_salience, dense_vectors = score_candidates(candidates)
    sparse_salience, sparse_vectors = score_candidates(candidates, dense_max_cells=0)
    assert isinstance(dense_vectors, np.ndarray)
    assert not isinstance(sparse_vectors, np.ndarray)
    assert np.allclose(dense_salience, sparse_salience, rtol=0, atol=1e-12)
    for budget in (20, 100, 400):
        assert (select(candidates, sparse_salience, sparse_vectors, budget)
                == select(candidates, dense_salience, dense_vectors, budget))


def test_shared_sentence_cache_changes_nothing(ctx: StoryContext,
                                               summary: tuple[SummarySentence, ...]) -> None:
    from storyline.synth.summary import SentenceCache

    cache = SentenceCache()
    assert headline(ctx, cache) == headline(ctx)
    assert summarize(ctx, words=100, cache=cache) == summary
