"""storyline: turn a pile or a stream of noisy news articles into cited, deduplicated stories."""

from __future__ import annotations

import logging

from storyline.config import Settings
from storyline.errors import StorylineError
from storyline.model import (
    Article,
    Conflict,
    Entity,
    Fact,
    Link,
    Quote,
    QuoteVariant,
    Skip,
    Story,
    StoryArticle,
    StoryContext,
    SummarySentence,
    TimelineEvent,
)

__version__ = "0.1.0"
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article", "Conflict", "Entity", "Fact", "Link", "Quote", "QuoteVariant", "Settings", "Skip",
    "Story", "StoryArticle", "StoryContext", "StorylineError", "SummarySentence", "TimelineEvent",
    "__version__",
]
