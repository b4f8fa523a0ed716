"""Shared fixtures. ``seed_articles`` are the five canonical articles as clean Article objects."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.model import Article, Link, StoryContext

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "geneva-2022"
SHARED = ROOT.parent / "shared"

# Until the real reader + cleaner exist, the fixture strips the seeds' known junk by hand.
# Stage tests use this so they do not depend on the cleaner's quality.
_KNOWN_JUNK = {"16.5 C", "sâmbătă, 25 mai 2024 - 7:43", "No menu items!", "RELATED",
               "source site-34", "Be the first to comment"}


def _parse_seed(path: Path) -> Article:
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln and ln not in _KNOWN_JUNK]
    title, date, url = "", None, ""
    if lines and not lines[0].endswith((".", '"', "”")) and len(lines[0].split()) < 20:
        title = lines.pop(0)
    if lines and re.fullmatch(r"\d{8}", lines[0]):
        date = datetime.strptime(lines.pop(0), "%Y%m%d").replace(tzinfo=UTC)
    if lines and lines[0].startswith("http"):
        url = lines.pop(0)
    return Article(id=path.stem, title=title, text="\n".join(lines), date=date, url=url,
                   lang="en", raw=path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    return [_parse_seed(p) for p in sorted(EXAMPLE.glob("*.txt"))]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared corpora are only beside the dev checkout")
    return SHARED


@pytest.fixture(scope="session")
def seed_context(seed_articles: list[Article]) -> StoryContext:
    """The seed story with its known copy graph: 001 is a spun rewrite of 000."""
    rewrite = "001_0c9859ee3d48e6bf"
    return StoryContext(story_id="s", articles=tuple(seed_articles),
                        links={rewrite: Link(rewrite, "rewrite", "000_a739bb9f3244bbb2", 0.8)})
