"""Language identification with py3langid's bundled model (offline).

Cascade of :func:`detect_language`:

1. count letters; fewer than :data:`MIN_LETTERS` → ``""`` (too short to tell);
2. classify the first :data:`MAX_CHARS` characters with the identifier;
3. a normalised probability under :data:`MIN_CONFIDENCE` → ``""`` (undetermined).

The identifier is an explicit :class:`LanguageDetector` object that callers may build and pass in;
:func:`default_detector` builds one on first use (see the comment there for why it is cached).
"""

from __future__ import annotations

import functools
import logging

from py3langid import langid

log = logging.getLogger(__name__)

# Below this many letters the bundled model guesses (e.g. "hello" → Breton); calibrated by hand on
# headline-length strings of the seed articles: 20 letters is about four words.
MIN_LETTERS = 20
# Normalised probability under which we answer "undetermined". Whole news paragraphs score > 0.9;
# a single 10-word English title scored 0.28 during calibration, so the floor stays low and only
# rejects near-uniform answers (chance level over the model's 97 labels is ~0.01).
MIN_CONFIDENCE = 0.1
# Characters classified; the first few paragraphs decide the language of a news article and the
# cost of the model is linear in text length.
MAX_CHARS = 5_000


class LanguageDetector:
    """A py3langid identifier with normalised probabilities (read-only after construction)."""

    def __init__(self, min_letters: int = MIN_LETTERS,
                 min_confidence: float = MIN_CONFIDENCE) -> None:
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self._identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE,
                                                                      norm_probs=True)

    def detect(self, text: str) -> str:
        """ISO 639-1 code of ``text`` or ``""`` when it is too short or undetermined."""
        sample = text[:MAX_CHARS]
        if sum(ch.isalpha() for ch in sample) < self.min_letters:
            return ""
        code, probability = self._identifier.classify(sample)
        if float(probability) < self.min_confidence:
            log.debug("language undetermined (best %s at %.2f)", code, probability)
            return ""
        return str(code)


# Cached factory, not a mutable cache: loading the model takes ~0.6 s, the detector is never
# modified after construction, and every process (or Dask worker) builds the identical object from
# the same bundled file, so caching cannot make workers disagree.
@functools.cache
def default_detector() -> LanguageDetector:
    """The shared default detector (built on first use)."""
    return LanguageDetector()


def detect_language(text: str, detector: LanguageDetector | None = None) -> str:
    """Language code of ``text`` ("en", "de", …) or ``""`` for too-short/undetermined text."""
    return (detector or default_detector()).detect(text)
