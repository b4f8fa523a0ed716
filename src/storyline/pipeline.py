"""The pipeline: read ─► clean ─► link ─► cluster ─► synthesize ─► store.

:class:`Pipeline` wires the stage objects together; each stage stays in its own module and can
be swapped through the constructor. The store is written once per run inside one transaction.

Incremental runs: the articles already in the store are re-linked and re-clustered together
with the new ones, and story ids are carried over by overlap (``cluster.assign_story_ids``), so
a re-run on the same input changes nothing and new input updates stories in place.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from storyline.clean import clean_articles
from storyline.cluster import StoryClusterer, assign_story_ids
from storyline.config import Settings
from storyline.errors import InputError
from storyline.link import CopyLinker
from storyline.model import Article, Link, Skip, Story, StoryContext
from storyline.read import read_inputs
from storyline.store import open_store
from storyline.store.base import BatchStats
from storyline.synth import synthesize

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """Default progress callback: nothing (the CLI passes a rich progress bar)."""


@dataclass
class RunResult:
    """What one run did: the stories now in the store, what was skipped and why."""

    stories: list[Story]
    skips: list[Skip] = field(default_factory=list)
    read: int = 0
    stats: BatchStats | None = None

    @property
    def articles(self) -> int:
        return sum(len(s.articles) for s in self.stories)


@dataclass(frozen=True)
class Grouping:
    """Output of link + cluster: the copy graph and each article's story id."""

    articles: tuple[Article, ...]
    links: Mapping[str, Link]
    assignments: Mapping[str, str]

    def contexts(self) -> list[StoryContext]:
        by_story: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            by_story[self.assignments[article.id]].append(article)
        return [
            StoryContext(story_id=sid, articles=tuple(arts),
                         links={a.id: self.links[a.id] for a in arts if a.id in self.links})
            for sid, arts in sorted(by_story.items())
        ]


class Pipeline:
    """Runs the stages over a batch. Stage factories are injectable for tests and experiments."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        linker: Callable[[Settings], CopyLinker] = CopyLinker,
        clusterer: Callable[[Settings], StoryClusterer] = StoryClusterer,
        synthesizer: Callable[[StoryContext, Settings], Story] = synthesize,
        progress: Progress = _no_progress,
    ) -> None:
        self.settings = settings or Settings()
        self.linker = linker
        self.clusterer = clusterer
        self.synthesizer = synthesizer
        self.progress = progress

    # -- stages ---------------------------------------------------------------------------
    def ingest(self, inputs: Sequence[str | Path], stdin: TextIO | None = None
               ) -> tuple[list[Article], list[Skip]]:
        """Read and clean. Raises :class:`InputError` only when nothing at all was readable."""
        result = read_inputs(inputs, self.settings, stdin=stdin)
        articles, clean_skips = clean_articles(result.articles, self.settings)
        skips = [*result.skips, *clean_skips]
        for skip in skips:
            log.warning("skipped %s", skip)
        if not articles:
            reasons = "; ".join(str(s) for s in skips[:3]) or "no input files found"
            raise InputError(f"nothing could be read from {', '.join(map(str, inputs))}: "
                             f"{reasons}")
        return _dedupe_ids(articles, skips), skips

    def group(self, articles: Sequence[Article], previous: Mapping[str, str] | None = None
              ) -> Grouping:
        """Link copies, cluster into stories and give each story a stable id."""
        ordered = tuple(sorted(articles, key=lambda a: a.id))
        self.progress("link", 0, len(ordered))
        links = self.linker(self.settings).fit(ordered).links_
        self.progress("cluster", 0, len(ordered))
        labels = self.clusterer(self.settings).fit(ordered, links).labels_
        groups: dict[str, list[str]] = defaultdict(list)
        for article_id, label in labels.items():
            groups[label].append(article_id)
        dates = {a.id: a.date for a in ordered}
        assignments = assign_story_ids(dict(groups), previous or {}, dates=dates)
        return Grouping(ordered, links, assignments)

    def synthesize(self, grouping: Grouping) -> list[Story]:
        contexts = grouping.contexts()
        stories = []
        for done, ctx in enumerate(contexts):
            self.progress("synthesize", done, len(contexts))
            stories.append(self.synthesizer(ctx, self.settings))
        self.progress("synthesize", len(contexts), len(contexts))
        return sorted(stories, key=lambda s: (-len(s.articles), s.first_seen or "", s.story_id))

    # -- jobs -----------------------------------------------------------------------------
    def run(self, inputs: Sequence[str | Path], stdin: TextIO | None = None) -> RunResult:
        """Ingest ``inputs`` into the store given by ``settings.db_url`` and update stories."""
        new_articles, skips = self.ingest(inputs, stdin)
        with open_store(self.settings.db_url) as store:
            known = {a.id: a for a in store.load_articles()}
            previous = store.load_assignments()
            known.update({a.id: a for a in new_articles})
            grouping = self.group(list(known.values()), previous)
            stories = self.synthesize(grouping)
            stats = store.write_batch(list(grouping.articles), grouping.links,
                                      grouping.assignments, stories)
        return RunResult(stories=stories, skips=skips, read=len(new_articles), stats=stats)

    def story(self, inputs: Sequence[str | Path], stdin: TextIO | None = None) -> Story:
        """Treat every readable input as ONE story and synthesize it (nothing is stored)."""
        articles, _ = self.ingest(inputs, stdin)
        ordered = tuple(sorted(articles, key=lambda a: a.id))
        links = self.linker(self.settings).fit(ordered).links_
        first = min(ordered, key=lambda a: (a.date is None, a.date or 0, a.id))
        dates = {a.id: a.date for a in ordered}
        story_id = assign_story_ids({"all": [a.id for a in ordered]}, {}, dates=dates)[first.id]
        return self.synthesizer(StoryContext(story_id, ordered, links), self.settings)


def _dedupe_ids(articles: Iterable[Article], skips: list[Skip]) -> list[Article]:
    """Two inputs with one id: keep the first, report the second (never silently merge)."""
    seen: dict[str, Article] = {}
    for article in articles:
        if article.id in seen:
            if seen[article.id].fingerprint != article.fingerprint:
                skips.append(Skip(article.id, "duplicate id with different content; "
                                              "kept the first one read"))
            continue
        seen[article.id] = article
    return list(seen.values())


def run(inputs: Sequence[str | Path], settings: Settings | None = None, **overrides: object
        ) -> RunResult:
    """Library entry point of ``storyline run``."""
    settings = (settings or Settings()).replace(**overrides) if overrides else settings
    return Pipeline(settings).run(inputs)


def story(inputs: Sequence[str | Path], settings: Settings | None = None, **overrides: object
          ) -> Story:
    """Library entry point of ``storyline story``."""
    settings = (settings or Settings()).replace(**overrides) if overrides else settings
    return Pipeline(settings).story(inputs)
