"""Text primitives shared by every stage: paragraphs, sentences, tokens, normal forms.

Hand-written because they are small, hot and must behave identically in every stage (and in
every Dask worker); no offline sentence splitter on PyPI handles news abbreviations ("U.S.",
"Gen.") and curly quotes without a downloaded model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt maj rep sen gov pres st jr sr inc corp co ltd vs "
    "etc jan feb mar apr jun jul aug sep sept oct nov dec no fig mt ft est dept univ".split()
)
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own said same say says she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves one two also new its it's told would could may might must shall""".split()
)

_SENTENCE_END = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9À-Ý])""")
_TOKEN = re.compile(r"[^\W_]+(?:[’'.,-][^\W_]+)*", re.UNICODE)
_SPACE = re.compile(r"\s+")
_QUOTE_MAP: tuple[tuple[str, str], ...] = (
    ("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"), ("’", "'"),
    ("‚", "'"), ("–", "-"), ("—", "-"), ("\u00a0", " "))
# Non-ASCII characters: only they can be curly quotes or combining marks, so the hot helpers
# below look at them one by one and leave the (usually all-ASCII) rest to C-level str methods.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ABBREVIATION_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")


def normalize_quotes(text: str) -> str:
    """Curly quotes, guillemets and dashes to their ASCII forms (same length, same offsets)."""
    # Hot (millions of calls per run): ASCII text has nothing to replace, and a chain of
    # str.replace scans (each a C memchr loop) beats str.translate's per-character dict lookup.
    if text.isascii():
        return text
    for old, new in _QUOTE_MAP:
        if old in text:
            text = text.replace(old, new)
    return text


def _drop_combining(match: re.Match[str]) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char


def fold(text: str) -> str:
    """Case- and accent-insensitive normal form for matching (not for display)."""
    # Hot (millions of calls per run, mostly single words): ASCII text (most text once quotes
    # are straightened) is its own NFKD form and has no combining marks; str.split() splits on
    # exactly the characters ``\s`` matches (str.isspace), so this equals the general path
    # below; an ASCII alphanumeric word has no whitespace at all.
    if text.isascii():
        return text.lower() if text.isalnum() else " ".join(text.split()).lower()
    text = normalize_quotes(text)
    if text.isascii():
        return " ".join(text.split()).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = _NON_ASCII.sub(_drop_combining, decomposed)
    return _SPACE.sub(" ", stripped).strip().lower()


def wordset(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text, folded (case and accents)."""
    return frozenset(fold(word) for word in text.split())


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of a text (the corpus puts one paragraph per line)."""
    # Split on "\n" only, as the cleaner does: str.splitlines would also break on U+2028,
    # U+0085 and form feeds inside a paragraph, shifting sentence anchors between stages.
    return [line.strip() for line in text.split("\n") if line.strip()]


def _is_abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.split() else ""
    word = word.strip("\"'“‘(").rstrip(".").lower()
    # Single letters ("U.S.", "J. Smith") and known abbreviations.
    return (len(word) <= 1 or word in ABBREVIATIONS
            or _ABBREVIATION_INITIALS.fullmatch(word) is not None)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, paragraph by paragraph. Never joins across paragraphs."""
    out: list[str] = []
    for para in paragraphs(text):
        start = 0
        for match in _SENTENCE_END.finditer(para):
            end = match.end(1)
            if match.group(1).startswith(".") and _is_abbreviation(para[start:match.start(1)]):
                continue
            sentence = para[start:end].strip()
            if sentence:
                out.append(sentence)
            start = match.end()
        tail = para[start:].strip()
        if tail:
            out.append(tail)
    return out


def sentence_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Like :func:`split_sentences` but with character offsets into ``text``."""
    cursor = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:  # pragma: no cover - split_sentences only strips whitespace
            continue
        cursor = start + len(sentence)
        yield start, cursor, sentence


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (numbers kept, "100,000" and "U.S." stay one token)."""
    text = normalize_quotes(text)
    # Lower-casing ASCII first is the same (letters stay letters, one for one) and saves a
    # Python-level pass; other scripts can change length or class when lower-cased ("İ").
    if text.isascii():
        return _TOKEN.findall(text.lower())
    return [t.lower() for t in _TOKEN.findall(text)]


def content_tokens(text: str) -> list[str]:
    """Tokens without stopwords and one-letter words."""
    return [t for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def word_count(text: str) -> int:
    return len(_TOKEN.findall(text))
