"""The pipeline: read ─► clean ─► link ─► cluster ─► synthesize ─► store.

:class:`Pipeline` wires the stage objects together; each stage stays in its own module and can
be swapped through the constructor. The store is written once per run inside one transaction.

Incremental runs: the articles already in the store are re-linked and re-clustered together
with the new ones, and story ids are carried over by overlap (``cluster.assign_story_ids``), so
a re-run on the same input changes nothing and new input updates stories in place. Synthesis,
the costly stage, is only redone for stories that changed: a stored story is reused as it is
when its id, its article list (ids, metadata, copy relations, in order) and every one of its
articles are unchanged, and the store's synthesis signature (:func:`synthesis_signature`: the
package's code and the settings synthesis reads) equals this run's.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import TextIO

from storyline.clean import clean_articles
from storyline.cluster import StoryClusterer, assign_story_ids
from storyline.config import Settings
from storyline.errors import InputError
from storyline.link import CopyLinker
from storyline.model import Article, Link, Skip, Story, StoryArticle, StoryContext, content_hash
from storyline.read import read_inputs
from storyline.store import open_store
from storyline.store.base import BatchStats
from storyline.synth import story_articles, synthesize

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

# Settings that only say where and how a run executes; every other setting goes into the
# synthesis signature (a superset of what synthesis reads is safe: it only costs a re-run).
_RUN_ONLY_SETTINGS = frozenset({"db_url", "progress", "workers", "scheduler"})
# Package files whose content the signature covers: all code and shipped data.
_SIGNED_SUFFIXES = (".py", ".json", ".html")


def synthesis_signature(settings: Settings) -> str:
    """Hash of what a stored story's synthesis depended on besides its own articles: the
    package's code and data files, and the settings (except where/how the run executes).

    Any code change (an upgrade, a local edit) or setting change re-synthesizes every story.
    """
    parts = [f"{name}={value!r}" for name, value in sorted(asdict(settings).items())
             if name not in _RUN_ONLY_SETTINGS]
    pending = [resources.files("storyline")]
    files = []
    while pending:
        for entry in pending.pop().iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    pending.append(entry)
            elif entry.name.endswith(_SIGNED_SUFFIXES):
                files.append(entry)
    for entry in sorted(files, key=lambda e: str(e)):
        parts += [str(entry.name), content_hash(entry.read_bytes().decode("utf-8", "replace"))]
    return content_hash(*parts, length=32)


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

    def synthesize(self, grouping: Grouping, stored: Mapping[str, Story] | None = None,
                   changed: frozenset[str] = frozenset()) -> list[Story]:
        """One story per context. ``stored`` stories (by id, made with this run's synthesis
        signature) are reused when their article list is unchanged and none of their articles
        is in ``changed`` (new or edited in this run)."""
        contexts = grouping.contexts()
        stories = []
        reused = 0
        for done, ctx in enumerate(contexts):
            self.progress("synthesize", done, len(contexts))
            old = stored.get(ctx.story_id) if stored else None
            if (old is not None and not any(a.id in changed for a in ctx.articles)
                    and _exported(old.articles) == _exported(story_articles(ctx))):
                stories.append(old)
                reused += 1
                continue
            stories.append(self.synthesizer(ctx, self.settings))
        if reused:
            log.info("reused %d unchanged stories of %d", reused, len(contexts))
        self.progress("synthesize", len(contexts), len(contexts))
        return sorted(stories, key=lambda s: (-len(s.articles), s.first_seen or "", s.story_id))

    # -- jobs -----------------------------------------------------------------------------
    def run(self, inputs: Sequence[str | Path], stdin: TextIO | None = None) -> RunResult:
        """Ingest ``inputs`` into the store given by ``settings.db_url`` and update stories."""
        new_articles, skips = self.ingest(inputs, stdin)
        # Only the default synthesizer's stories carry a signature (an injected one may differ).
        signature = (synthesis_signature(self.settings) if self.synthesizer is synthesize
                     else None)
        with open_store(self.settings.db_url) as store:
            known = {a.id: a for a in store.load_articles()}
            previous = store.load_assignments()
            changed = frozenset(a.id for a in new_articles if known.get(a.id) != a)
            known.update({a.id: a for a in new_articles})
            grouping = self.group(list(known.values()), previous)
            stored = ({s.story_id: s for s in store.load_stories()}
                      if signature is not None and previous
                      and store.synthesis_signature() == signature else None)
            stories = self.synthesize(grouping, stored, changed)
            stats = store.write_batch(list(grouping.articles), grouping.links,
                                      grouping.assignments, stories,
                                      synthesis_signature=signature)
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


def _exported(articles: tuple[StoryArticle, ...]) -> list[dict[str, object]]:
    """A story's article list as exported (and stored): similarities are rounded there, and
    synthesis reads them for nothing else."""
    exported: list[dict[str, object]] = Story("", "", None, None, 0, articles).to_dict()["articles"]
    return exported


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
