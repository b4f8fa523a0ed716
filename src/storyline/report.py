"""Presentation of stories: JSON/JSONL, Markdown, a self-contained HTML report, terminal text.

Every renderer takes the same :class:`Story` objects. Article text is untrusted web content:
the HTML report is rendered by Jinja2 with autoescaping on, and Markdown output escapes the
characters Markdown would interpret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from storyline.model import Story

ExportFormat = Literal["jsonl", "json", "md", "html"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "json", "md", "html")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


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
    lines.append(f"`{story.story_id}` · {len(story.articles)} articles · "
                 f"{story.independent_sources} independent sources · "
                 f"{story.first_seen or 'undated'} – {story.last_seen or 'undated'}")
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
    if story.entities:
        lines += ["### Entities", ""]
        for e in story.entities:
            aliases = f" (also {', '.join(md_escape(a) for a in e.aliases)})" if e.aliases else ""
            lines.append(f"- {md_escape(e.name)} — {e.kind}{aliases} {_cite(e.article_ids)}")
        lines.append("")
    if story.timeline:
        lines += ["### Timeline", ""]
        lines += [f"- **{t.date}** {md_escape(t.text)} {_cite(t.article_ids)}"
                  for t in story.timeline]
        lines.append("")
    lines += ["### Articles", ""]
    for a in story.articles:
        rel = a.relation if a.copy_of is None else f"{a.relation} of {md_escape(a.copy_of)}"
        lines.append(f"- [{md_escape(a.id)}] {md_escape(a.title or '(untitled)')} — "
                     f"{md_escape(a.source or a.url or 'unknown source')}, "
                     f"{a.date or 'undated'}, {a.lang or '?'}, {rel}")
    lines.append("")
    return "\n".join(lines)


def to_markdown(stories: Sequence[Story]) -> str:
    head = f"# storyline — {len(stories)} {'story' if len(stories) == 1 else 'stories'}\n\n"
    return head + "\n".join(story_markdown(s) for s in stories)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("storyline", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(stories: Sequence[Story], texts: dict[str, str] | None = None,
            title: str = "storyline report") -> str:
    """A self-contained HTML page (inline CSS, no scripts, no external requests).

    ``texts`` maps article id → cleaned text, shown under each article so every citation
    can be checked against its source.
    """
    template = _environment().get_template("report.html")
    max_size = max((len(s.articles) for s in stories), default=1)
    return template.render(
        title=title, stories=stories, texts=texts or {}, max_size=max_size,
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
