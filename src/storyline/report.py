"""Presentation of stories: JSON/JSONL, Markdown, a self-contained HTML report, terminal text.

Every renderer takes the same :class:`Story` objects. Article text is untrusted web content:
the HTML report is rendered by Jinja2 with autoescaping on, and Markdown output escapes the
characters Markdown would interpret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from rapidfuzz import fuzz

from storyline.model import Story, content_hash
from storyline.text import fold, paragraphs, split_sentences, tokens

ExportFormat = Literal["jsonl", "json", "md", "html"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "json", "md", "html")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")

# support_score (0-100) a sentence needs to count as the one supporting a cited item; below it
# the citation links to the article as a whole. Checked by hand on the seeds: supporting
# sentences of summary lines, quotes, facts and timeline events score 80-100; a normalised date
# ("2022-01-21") scores under 40 against every sentence, and is linked to the article.
MIN_SUPPORT_SCORE = 60.0
# Prefix length that stands in for a stemmer when counting shared words.
STEM_CHARS = 5
# Inline SVG timeline geometry (pixels).
CHART_WIDTH = 640
CHART_MARGIN = 40
CHART_AXIS_Y = 70
CHART_STEP = 14
CHART_LABEL_SPACE = 24
CHART_MIN_RADIUS = 3
CHART_MAX_CITES = 6


def _slug(text: str) -> str:
    """An id-safe form of an untrusted id (letters, digits, ``_.-``); a hash keeps it unique."""
    safe = _UNSAFE_ID.sub("_", text)
    return safe if safe == text else f"{safe}-{content_hash(text, length=6)}"


def article_anchor(story_id: str, article_id: str) -> str:
    return f"{_slug(story_id)}-{_slug(article_id)}"


def sentence_anchor(story_id: str, article_id: str, index: int) -> str:
    return f"{article_anchor(story_id, article_id)}-s{index}"


def article_sentences(text: str) -> list[list[str]]:
    """An article's text as paragraphs of sentences; the sentence numbering (``s0``, ``s1`` …)
    runs through the paragraphs in this order."""
    return [split_sentences(p) for p in paragraphs(text)]


def _stems(text: str) -> set[str]:
    """Word tokens cut to :data:`STEM_CHARS` characters ("troops" ~ "troop")."""
    return {t[:STEM_CHARS] for t in tokens(text)}


def support_score(item: str, sentence: str) -> float:
    """How well ``sentence`` supports ``item`` (0-100): the larger of whole-string similarity
    (``token_sort_ratio``, for summary sentences and their spun copies) and, for items shorter
    than the sentence (quotes, facts, event clauses), the mean of the share of the item's words
    found in the sentence and the best partial alignment (``partial_ratio``)."""
    a, b = fold(item), fold(sentence)
    whole = fuzz.token_sort_ratio(a, b)
    words = _stems(a)
    if not words:
        return whole
    coverage = 100.0 * len(words & _stems(b)) / len(words)
    return max(whole, 0.5 * coverage + 0.5 * fuzz.partial_ratio(a, b))


def supporting_sentence(item: str, sentences: Sequence[str]) -> int | None:
    """Index of the sentence that best supports ``item`` (:func:`support_score`), or ``None``
    when none reaches :data:`MIN_SUPPORT_SCORE`; ties go to the earlier sentence."""
    best: tuple[float, int] | None = None
    for index, sentence in enumerate(sentences):
        score = support_score(item, sentence)
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best is not None and best[0] >= MIN_SUPPORT_SCORE else None


@dataclass(frozen=True, slots=True)
class Cite:
    """One citation link: the article id shown and the anchor it points at."""

    article_id: str
    href: str
    sentence: int | None


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    r: float
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class Chart:
    """An inline SVG timeline: one dot per event, x by date, radius by citing articles."""

    width: int
    height: int
    points: tuple[ChartPoint, ...]
    ticks: tuple[tuple[float, str], ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    """What the HTML template needs for one story: the story plus computed anchors/links."""

    story: Story
    anchor: str
    summary: tuple[tuple[Cite, ...], ...]
    quotes: tuple[tuple[Cite, ...], ...]
    variants: tuple[tuple[tuple[Cite, ...], ...], ...]
    facts: tuple[tuple[Cite, ...], ...]
    conflicts: tuple[tuple[tuple[Cite, ...], ...], ...]
    timeline: tuple[tuple[Cite, ...], ...]
    timeline_anchors: tuple[str, ...]
    articles: dict[str, str]  # article id -> anchor
    texts: dict[str, list[list[tuple[str, str]]]]  # article id -> paragraphs of (id, sentence)
    chart: Chart | None


class _Citer:
    """Citation links of one story, each to the supporting sentence of the cited article."""

    def __init__(self, story: Story, texts: Mapping[str, str]) -> None:
        self.story = story
        self.sentences = {a.id: [s for p in article_sentences(texts[a.id]) for s in p]
                          for a in story.articles if texts.get(a.id)}

    def __call__(self, item: str, article_ids: Sequence[str]) -> tuple[Cite, ...]:
        out = []
        for article_id in article_ids:
            index = supporting_sentence(item, self.sentences.get(article_id, ()))
            href = (sentence_anchor(self.story.story_id, article_id, index) if index is not None
                    else article_anchor(self.story.story_id, article_id))
            out.append(Cite(article_id, href, index))
        return tuple(out)


def _chart(story: Story, anchors: Sequence[str]) -> Chart | None:
    """Dots on a date axis; events of one day stack upwards. ``None`` under two dated days."""
    days: list[date] = []
    for event in story.timeline:
        try:
            days.append(date.fromisoformat(event.date[:10]))
        except ValueError:
            return None
    if len(set(days)) < 2:
        return None
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    inner = CHART_WIDTH - 2 * CHART_MARGIN
    stacked: dict[date, int] = {}
    points = []
    for event, day, anchor in zip(story.timeline, days, anchors, strict=True):
        level = stacked.get(day, 0)
        stacked[day] = level + 1
        x = CHART_MARGIN + inner * (day - first).days / span
        y = CHART_AXIS_Y - CHART_STEP * (level + 1)
        radius = CHART_MIN_RADIUS + min(len(event.article_ids), CHART_MAX_CITES)
        points.append(ChartPoint(round(x, 1), y, radius, f"{event.date}: {event.text}", anchor))
    ticks = tuple((round(CHART_MARGIN + inner * (d - first).days / span, 1), d.isoformat())
                  for d in sorted(set(days)))
    height = CHART_AXIS_Y + CHART_LABEL_SPACE
    top = min(p.y - p.r for p in points)
    if top < 0:  # many events on one day: grow the chart upwards
        shift = -top + CHART_STEP
        points = [ChartPoint(p.x, p.y + shift, p.r, p.label, p.href) for p in points]
        height += int(shift)
    return Chart(CHART_WIDTH, height, tuple(points), ticks)


def story_view(story: Story, texts: Mapping[str, str]) -> StoryView:
    """Anchors, sentence-level citation links, sentence-split texts and chart of one story."""
    cite = _Citer(story, texts)
    sid = story.story_id
    timeline_anchors = tuple(f"{_slug(sid)}-t{i}" for i in range(len(story.timeline)))
    split: dict[str, list[list[tuple[str, str]]]] = {}
    for article in story.articles:
        if not texts.get(article.id):
            continue
        counter = 0
        paras: list[list[tuple[str, str]]] = []
        for paragraph in article_sentences(texts[article.id]):
            paras.append([(sentence_anchor(sid, article.id, counter + i), sentence)
                          for i, sentence in enumerate(paragraph)])
            counter += len(paragraph)
        split[article.id] = paras
    return StoryView(
        story=story,
        anchor=_slug(sid),
        summary=tuple(cite(s.text, s.article_ids) for s in story.summary),
        quotes=tuple(cite(q.text, q.article_ids) for q in story.quotes),
        variants=tuple(tuple(cite(v.text, v.article_ids) for v in q.variants)
                       for q in story.quotes),
        facts=tuple(cite(f.text, f.article_ids) for f in story.facts),
        conflicts=tuple(tuple(cite(f.text, f.article_ids) for f in c.facts)
                        for c in story.conflicts),
        timeline=tuple(cite(t.text, t.article_ids) for t in story.timeline),
        timeline_anchors=timeline_anchors,
        articles={a.id: article_anchor(sid, a.id) for a in story.articles},
        texts=split,
        chart=_chart(story, timeline_anchors),
    )


def to_jsonl(stories: Sequence[Story]) -> str:
    return "".join(json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in stories)


def to_json(stories: Sequence[Story]) -> str:
    return json.dumps([s.to_dict() for s in stories], ensure_ascii=False, indent=2) + "\n"


def md_escape(text: str) -> str:
    """Escape Markdown syntax in untrusted text (and drop raw HTML's angle brackets' power)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _cite(ids: Sequence[str]) -> str:
    return " ".join(f"[{md_escape(i)}]" for i in ids)


def story_markdown(story: Story) -> str:
    """One story as Markdown; every synthesized item carries its citations."""
    lines = [f"## {md_escape(story.headline or story.story_id)}", ""]
    lines.append(f"{md_escape(story.story_id)} · {len(story.articles)} articles · "
                 f"{story.independent_sources} independent sources · "
                 f"{md_escape(story.first_seen or 'undated')} – "
                 f"{md_escape(story.last_seen or 'undated')}")
    lines.append("")
    if story.summary:
        lines += ["### Summary", ""]
        lines += [f"- {md_escape(s.text)} {_cite(s.article_ids)}" for s in story.summary]
        lines.append("")
    if story.quotes:
        lines += ["### Quotes", ""]
        for q in story.quotes:
            who = md_escape(q.speaker) if q.speaker else "unattributed"
            lines.append(f"- **{who}**: “{md_escape(q.text)}” {_cite(q.article_ids)}")
            lines += [f"  - variant: “{md_escape(v.text)}” {_cite(v.article_ids)}"
                      for v in q.variants]
        lines.append("")
    if story.facts:
        lines += ["### Facts", ""]
        lines += [f"- {md_escape(f.text)} ({f.kind}; {f.independent_support} independent) "
                  f"{_cite(f.article_ids)}" for f in story.facts]
        lines.append("")
    if story.conflicts:
        lines += ["### Outlets disagree", ""]
        for c in story.conflicts:
            lines.append(f"- **{md_escape(c.subject)}**: " + "; ".join(
                f"{md_escape(f.text)} ({f.independent_support} independent) "
                f"{_cite(f.article_ids)}" for f in c.facts))
        lines.append("")
    if story.entities:
        lines += ["### Entities", ""]
        for e in story.entities:
            aliases = f" (also {', '.join(md_escape(a) for a in e.aliases)})" if e.aliases else ""
            lines.append(f"- {md_escape(e.name)} — {e.kind}{aliases}, confidence "
                         f"{e.confidence:.2f} {_cite(e.article_ids)}")
        lines.append("")
    if story.timeline:
        lines += ["### Timeline", ""]
        lines += [f"- **{md_escape(t.date)}** {md_escape(t.text)} {_cite(t.article_ids)}"
                  for t in story.timeline]
        lines.append("")
    lines += ["### Articles", ""]
    for a in story.articles:
        rel = a.relation if a.copy_of is None else f"{a.relation} of {md_escape(a.copy_of)}"
        lines.append(f"- [{md_escape(a.id)}] {md_escape(a.title or '(untitled)')} — "
                     f"{md_escape(a.source or a.url or 'unknown source')}, "
                     f"{md_escape(a.date or 'undated')}, {md_escape(a.lang or '?')}, {rel}")
    lines.append("")
    return "\n".join(lines)


def to_markdown(stories: Sequence[Story]) -> str:
    head = f"# storyline — {len(stories)} {'story' if len(stories) == 1 else 'stories'}\n\n"
    return head + "\n".join(story_markdown(s) for s in stories)


def variant_label(canonical: str, variant: str) -> str:
    """"partial" when an outlet quoted only a piece of the canonical wording, else "altered"."""
    inner, outer = (tokens(variant), tokens(canonical))
    text, whole = " ".join(inner), " ".join(outer)
    return "partial quote" if text and text in whole else "altered wording"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("storyline", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["variant_label"] = variant_label
    return env


def to_html(stories: Sequence[Story], texts: dict[str, str] | None = None,
            title: str = "storyline report") -> str:
    """A self-contained HTML page (inline CSS, no scripts, no external requests).

    ``texts`` maps article id → cleaned text, shown under each article sentence by sentence
    (ids ``<story>-<article>-s<n>``); every citation links to the sentence that supports the
    cited item (:func:`supporting_sentence`), highlighted by the ``:target`` CSS rule.
    """
    template = _environment().get_template("report.html")
    max_size = max((len(s.articles) for s in stories), default=1)
    views = [story_view(s, texts or {}) for s in stories]
    return template.render(
        title=title, views=views, max_size=max_size,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def render(stories: Sequence[Story], fmt: ExportFormat, texts: dict[str, str] | None = None
           ) -> str:
    if fmt == "jsonl":
        return to_jsonl(stories)
    if fmt == "json":
        return to_json(stories)
    if fmt == "md":
        return to_markdown(stories)
    return to_html(stories, texts)
