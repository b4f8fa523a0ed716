"""Synthesis: turn one :class:`StoryContext` into an exported :class:`Story`.

Each part lives in its own module (summary, quotes, facts, entities, timeline); this module
only composes them. Entities come first because the quote ledger resolves speakers through them.
"""

from __future__ import annotations

from storyline.config import Settings
from storyline.model import Story, StoryArticle, StoryContext, iso
from storyline.synth.dates import DateMemo
from storyline.synth.entities import build_name_index, collect_mentions, extract_entities
from storyline.synth.facts import conflicts, extract_facts
from storyline.synth.quotes import extract_quotes
from storyline.synth.summary import SentenceCache, headline, summarize
from storyline.synth.timeline import build_timeline

__all__ = ["story_articles", "synthesize"]


def story_articles(ctx: StoryContext) -> tuple[StoryArticle, ...]:
    """The article list of a story, in (date, id) order, with each article's copy relation."""
    ordered = sorted(ctx.articles, key=lambda a: (a.date is None, a.date or 0, a.id))
    out = []
    for article in ordered:
        link = ctx.link(article.id)
        out.append(StoryArticle(
            id=article.id, title=article.title, source=article.source, url=article.url,
            date=iso(article.date), lang=article.lang, relation=link.relation,
            copy_of=link.copy_of, similarity=link.similarity,
        ))
    return tuple(out)


def synthesize(ctx: StoryContext, settings: Settings | None = None) -> Story:
    """Every synthesized part of one story, ready to export or store."""
    settings = settings or Settings()
    dates = sorted(a.date for a in ctx.articles if a.date is not None)
    # Per-story work shared between parts (never kept beyond this story): resolved date
    # expressions (facts and timeline) and the articles' cleaned sentences (summary, headline).
    resolved: DateMemo = {}
    sentences = SentenceCache()
    # The entity list and the quote ledger's name index read the same mentions: collect once.
    mentions = collect_mentions(ctx)
    entities = extract_entities(ctx, mentions)
    names = build_name_index(ctx, entities, mentions)
    facts = extract_facts(ctx, resolved)
    return Story(
        story_id=ctx.story_id,
        headline=headline(ctx, sentences),
        first_seen=iso(dates[0]) if dates else None,
        last_seen=iso(dates[-1]) if dates else None,
        independent_sources=len(ctx.originals()),
        articles=story_articles(ctx),
        summary=summarize(ctx, words=settings.summary_words, cache=sentences),
        quotes=extract_quotes(ctx, entities, names),
        facts=facts,
        entities=entities,
        timeline=build_timeline(ctx, resolved),
        conflicts=conflicts(facts),
    )
