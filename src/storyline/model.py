"""Plain frozen dataclasses that flow through the pipeline, and the export schema.

Data flows one way: readers make :class:`Article` objects, the linker makes one :class:`Link`
per article, the clusterer groups articles into a :class:`StoryContext`, the synthesizers turn
a context into the parts of a :class:`Story`, and the store persists all of it. ``Story.to_dict``
is the exported JSON contract of DESIGN.md; ``Story.from_dict`` reads it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Relation = Literal["original", "duplicate", "rewrite", "translation"]
RELATIONS: tuple[Relation, ...] = ("original", "duplicate", "rewrite", "translation")
FactKind = Literal["quantity", "date", "money", "percent", "claim"]
EntityKind = Literal["person", "place", "org", "other"]


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable hex digest of text parts (explicit sha256, never Python's salted ``hash``)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:length]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 text of a datetime (``None`` stays ``None``)."""
    return value.isoformat() if value is not None else None


def parse_iso(value: str | None) -> datetime | None:
    """Inverse of :func:`iso`; naive datetimes are taken as UTC."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. Only ``text`` is required by the contract; readers fill ``id``.

    ``raw`` keeps what the reader saw before cleaning (for provenance and re-cleaning);
    ``gold`` carries a labelled story id when the input has one (evaluation only).
    """

    id: str
    text: str
    title: str = ""
    date: datetime | None = None
    url: str = ""
    source: str = ""
    lang: str = ""
    raw: str = ""
    gold: str | None = None

    @property
    def fingerprint(self) -> str:
        """Content hash of what the pipeline uses; equal fingerprints mean nothing changed."""
        return content_hash(self.id, self.title, self.text, iso(self.date) or "", self.url,
                            self.source, self.lang)


@dataclass(frozen=True, slots=True)
class Skip:
    """An input item that could not be used, with a one-line reason (never silently dropped)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Link:
    """How one article relates to the rest: an original, or a copy of ``copy_of``."""

    article_id: str
    relation: Relation = "original"
    copy_of: str | None = None
    similarity: float = 1.0


@dataclass(frozen=True, slots=True)
class StoryContext:
    """Everything the synthesizers may look at for one story (input of ``synth``)."""

    story_id: str
    articles: tuple[Article, ...]
    links: Mapping[str, Link] = field(default_factory=dict)
    # Root of every article, filled on first use (the context is immutable, so it never goes
    # stale); not part of equality, repr or the constructor.
    _roots: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def link(self, article_id: str) -> Link:
        return self.links.get(article_id) or Link(article_id)

    def root(self, article_id: str) -> str:
        """The original an article ultimately derives from (itself when it is an original).

        Follows ``copy_of`` inside this story; a pointer to an article outside the story, or a
        cycle, stops at the last article seen inside it. Computed once for all the story's
        articles (synthesizers ask for every fact and quote).
        """
        if not self._roots:
            inside = {a.id for a in self.articles}
            for article in self.articles:
                self._walk(article.id, inside)
        found = self._roots.get(article_id)
        return found if found is not None else article_id

    def _walk(self, article_id: str, inside: set[str]) -> str:
        """Follow ``copy_of`` to the root, recording it for every article on the path."""
        path = [article_id]
        while True:
            current = path[-1]
            if current in self._roots:
                root = self._roots[current]
                break
            parent = self.link(current).copy_of
            if parent is None or parent not in inside or parent in path:
                root = current
                break
            path.append(parent)
        self._roots.update(dict.fromkeys(path, root))
        return root

    def independent_support(self, article_ids: Sequence[str]) -> int:
        """How many distinct originals (copy-graph roots) stand behind these articles."""
        return len({self.root(a) for a in article_ids})

    def originals(self) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if self.root(a.id) == a.id)


@dataclass(frozen=True, slots=True)
class StoryArticle:
    id: str
    title: str = ""
    source: str = ""
    url: str = ""
    date: str | None = None
    lang: str = ""
    relation: Relation = "original"
    copy_of: str | None = None
    similarity: float = 1.0


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str | None
    text: str
    article_ids: tuple[str, ...]
    variants: tuple[QuoteVariant, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    text: str
    kind: FactKind
    article_ids: tuple[str, ...]
    independent_support: int


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Conflict:
    """Outlets disagree: facts about the same thing (``subject``) with different values."""

    subject: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """One exported story: the JSON contract of DESIGN.md."""

    story_id: str
    headline: str
    first_seen: str | None
    last_seen: str | None
    independent_sources: int
    articles: tuple[StoryArticle, ...]
    summary: tuple[SummarySentence, ...] = ()
    quotes: tuple[Quote, ...] = ()
    facts: tuple[Fact, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def fact(f: Fact) -> dict[str, Any]:
            return {"text": f.text, "kind": f.kind, "article_ids": list(f.article_ids),
                    "independent_support": f.independent_support}

        return {
            "story_id": self.story_id,
            "headline": self.headline,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "independent_sources": self.independent_sources,
            "articles": [
                {"id": a.id, "title": a.title, "source": a.source, "url": a.url, "date": a.date,
                 "lang": a.lang, "relation": a.relation, "copy_of": a.copy_of,
                 "similarity": round(a.similarity, 4)}
                for a in self.articles
            ],
            "summary": [{"text": s.text, "article_ids": list(s.article_ids)} for s in self.summary],
            "quotes": [
                {"speaker": q.speaker, "text": q.text, "article_ids": list(q.article_ids),
                 "variants": [{"text": v.text, "article_ids": list(v.article_ids)}
                              for v in q.variants]}
                for q in self.quotes
            ],
            "facts": [fact(f) for f in self.facts],
            "entities": [
                {"name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                 "article_ids": list(e.article_ids), "confidence": round(e.confidence, 3)}
                for e in self.entities
            ],
            "timeline": [{"date": t.date, "text": t.text, "article_ids": list(t.article_ids)}
                         for t in self.timeline],
            "conflicts": [{"subject": c.subject, "facts": [fact(f) for f in c.facts]}
                          for c in self.conflicts],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Story:
        def ids(item: Mapping[str, Any]) -> tuple[str, ...]:
            return tuple(item.get("article_ids", ()))

        def fact(f: Mapping[str, Any]) -> Fact:
            return Fact(f["text"], f.get("kind", "claim"), ids(f),
                        int(f.get("independent_support", 0)))

        return cls(
            story_id=data["story_id"],
            headline=data.get("headline", ""),
            first_seen=data.get("first_seen"),
            last_seen=data.get("last_seen"),
            independent_sources=int(data.get("independent_sources", 0)),
            articles=tuple(
                StoryArticle(id=a["id"], title=a.get("title", ""), source=a.get("source", ""),
                             url=a.get("url", ""), date=a.get("date"), lang=a.get("lang", ""),
                             relation=a.get("relation", "original"), copy_of=a.get("copy_of"),
                             similarity=float(a.get("similarity", 1.0)))
                for a in data.get("articles", ())
            ),
            summary=tuple(SummarySentence(s["text"], ids(s)) for s in data.get("summary", ())),
            quotes=tuple(
                Quote(q.get("speaker"), q["text"], ids(q),
                      tuple(QuoteVariant(v["text"], ids(v)) for v in q.get("variants", ())))
                for q in data.get("quotes", ())
            ),
            facts=tuple(fact(f) for f in data.get("facts", ())),
            entities=tuple(Entity(e["name"], e.get("kind", "other"), tuple(e.get("aliases", ())),
                                  ids(e), float(e.get("confidence", 1.0)))
                           for e in data.get("entities", ())),
            timeline=tuple(TimelineEvent(t["date"], t["text"], ids(t))
                           for t in data.get("timeline", ())),
            conflicts=tuple(Conflict(c["subject"], tuple(fact(f) for f in c.get("facts", ())))
                            for c in data.get("conflicts", ())),
        )
