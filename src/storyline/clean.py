"""Cleaning: junk lines out, seed-layout metadata in, language set.

Cascade of :func:`clean_article` (each step a small function below, in this order):

1. :func:`normalize_lines` — mojibake repaired (:func:`repair_text`: "TrÃ©vidic" →
   "Trévidic"), Unicode NFC, whitespace collapsed inside lines, blank lines dropped; one
   paragraph per line (downstream stages split paragraphs on newlines).
2. :func:`is_rule_junk` — lines that are junk whatever their context: weather banners
   ("16.5 C"), scrape-date banners in any language ("sâmbătă, 25 mai 2024 - 7:43" — a scrape
   date, never read as the publication date), menus ("No menu items!", "Home | News | Sport"),
   "RELATED"/"Read more" markers, share/comment/subscribe calls to action ("Be the first to
   comment"), source tags ("source site-34"), bylines and photo credits.
3. :func:`discover_metadata` — the seed layout, for fields the reader left empty: after the
   leading junk, an optional title line, an optional ``YYYYMMDD`` date line, an optional URL line.
4. :func:`model_keep_mask` — a learned line filter for texts of at least
   :data:`MIN_LINES_FOR_MODEL` lines: two logistic passes over per-line features (length,
   punctuation, stopwords, position, neighbouring lines, the main prose block) and page-context
   features read from the whole dump, rule junk included (junk runs around a line, comment
   headings and bylines, "Related"/"Share" boundaries before it); the second pass also sees the
   first pass's verdict on the neighbours. Coefficients are shipped in
   ``storyline/data/junk_lines.json`` and calibrated by ``bench/junk_aeb.py --calibrate`` on one
   half of the AEB pages (features chosen by grouped cross-validation inside that half:
   ``bench/junk_aeb.py --cv``).
5. limits — empty text → :class:`Skip`; more than ``settings.max_text_chars`` → :class:`Skip`.
6. ``lang`` via :func:`storyline.lang.detect_language` when the reader left it empty.

:func:`clean_articles` first drops lines repeated on several pages of one source (site
boilerplate; see :func:`site_boilerplate`), then cleans each article.

Policy notes: quotes and short real sentences are kept (they end in sentence punctuation);
subheadings inside a body may be kept or dropped by the line model; the wire credit "Some
material in this report came from the Associated Press." is a sentence and is KEPT.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import ftfy

from storyline.config import Settings
from storyline.lang import detect_language
from storyline.model import Article, Skip
from storyline.read import parse_date
from storyline.text import STOPWORDS

log = logging.getLogger(__name__)

# --- thresholds ------------------------------------------------------------------------------
# Rule junk only applies to lines of at most this many words: calls to action and banners are
# short, and a real sentence that merely mentions "subscribe" must survive. Set by reading the
# seed articles and the calibration half of AEB (longest banner seen: 9 words).
RULE_MAX_WORDS = 12
# Words allowed after a call-to-action phrase in a line that ends like a sentence ("Share this
# article." yes; "Home prices rose 5% last year." no). Set by hand from the seed junk lines.
CTA_MAX_TAIL_WORDS = 3
# A title line has fewer words than this and does not end like a sentence (seed titles: 5-12
# words; the shortest seed body paragraph has 13 words and ends with a full stop).
TITLE_MAX_WORDS = 25
# Lines scanned at the top of a text for the seed-layout metadata (junk lines + title + date +
# url); the seeds need at most 6.
METADATA_SCAN_LINES = 8
# The line model needs context; texts with fewer lines (JSON records with one paragraph,
# MStream headlines) are kept whole apart from rule junk.
MIN_LINES_FOR_MODEL = 3
# Site boilerplate: a line on at least this many distinct pages of one source is dropped
# (the "≥2 pages" anchor of bench/junk_aeb.py), unless it reads like a body sentence of at least
# REPEAT_KEEP_WORDS words — versions of one article from one source share their paragraphs.
REPEAT_MIN_PAGES = 2
REPEAT_KEEP_WORDS = 20
# Model file inside the package (written by bench/junk_aeb.py --calibrate).
MODEL_RESOURCE = "junk_lines.json"

# --- regexes and word lists (one place for the whole stage) -----------------------------------
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$|[\"'”’»]$")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_WEATHER = re.compile(r"^[-+−]?\d{1,3}(?:[.,]\d+)?\s*°?\s*[CFcf]\b\.?(?:\s+\S+){0,3}$")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DIGIT_GROUP = re.compile(r"\d+")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
_MENU_SEPARATORS = re.compile(r"\s[|•·»›/]\s|\s*\|\s*")
_SOURCE_TAG = re.compile(r"^source\s*:?\s*site[-\s]?\d+$", re.IGNORECASE)
_CREDIT = re.compile(
    r"^(?:\(?(?:photo|image|picture|foto|video|credit|source|getty images|reuters|ap photo|afp)"
    r"\b[^.]{0,80}\)?|.{0,60}\b(?:getty images|shutterstock|ap photo|afp via getty)\b.{0,30})$",
    re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|posted by|written by|von|par|por|di)\s+[^\W\d_][\w.'’-]*"
                     r"(?:\s+[^\W\d_][\w.'’-]*){0,4}\s*(?:[,|/–—-].{0,40})?$", re.IGNORECASE)
# Calls to action, section markers and menu leftovers, matched at the start of a short line.
_CALL_TO_ACTION = re.compile(
    r"^(?:©|(?:related(?:\s+(?:articles?|stories|posts|content|news|topics|coverage))?|"
    r"read (?:more|next|also|full story)|more (?:from|on|stories|news)|see also|also read|"
    r"recommended(?: for you)?|trending(?: now)?|most (?:read|popular|viewed)|"
    r"share(?: this| on| via|s)?|tweet|pin it|email(?: this)?|print(?: this)?|"
    r"subscribe|sign up|sign in|log ?in|register|follow us|like us|join us|newsletter|"
    r"advertisement|advertising|sponsored(?: content)?|ad|skip to (?:content|main)|"
    r"back to top|click here|tap here|leave a (?:comment|reply)|post a comment|add a comment|"
    r"be the first to comment|no comments?(?: yet)?|comments?(?:\s*\(\d+\))?|\d+\s+comments?|"
    r"show comments|view comments|load more|next article|previous article|"
    r"no menu items!?|menu|search|home|top stories|all rights reserved|"
    r"copyright|cookie|we use cookies|accept cookies|privacy policy|terms of (?:use|service)"
    r")\b)", re.IGNORECASE)
# Soft junk vocabulary: not decisive alone (a sentence may mention it), a model feature.
_SOFT_JUNK = re.compile(
    r"\b(?:share|tweet|facebook|twitter|whatsapp|linkedin|instagram|subscribe|newsletter|"
    r"comment|comments|cookie|cookies|login|sign in|sign up|advert\w*|copyright|rights reserved|"
    r"click|download|app|podcast|read more|related|privacy|terms)\b|©", re.IGNORECASE)
_QUOTE_CHAR = re.compile("[\"“”«»„]")
# Per-character features without a Python loop over every character: ASCII characters are
# counted by regex (these classes equal str.isdigit and "not isalnum and not isspace" on ASCII,
# checked over all 128 in tests/test_clean.py); only non-ASCII characters are tested one by one.
_ASCII_DIGIT = re.compile(r"[0-9]")
_ASCII_PUNCT = re.compile(r"[\x00-\x08\x0e-\x1b!-/:-@\[-`{-\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Context cues for the line model, looked for in the whole dump (rule junk included).
# A short comment-section heading ("Comments", "12 Kommentare", "Leave a Reply"), several languages.
_COMMENT_HEADING = re.compile(
    r"\b(?:comments?|kommentare?|comentarios?|commentaires?|commenti|komentar|reac(?:tions|ties)|"
    r"repl(?:y|ies)|responses?|discussion|leave a reply|antworten)\b", re.IGNORECASE)
# A comment's byline ("Milan on September 12, 2018 at 4:47 pm said:").
_COMMENT_BYLINE = re.compile(
    r"(?:\b(?:said|says|wrote|schreibt|dice|disse|a écrit)\s*:?\s*$)|"
    r"\b\d{1,2}:\d{2}\s*(?:am|pm)\b|\bat \d{1,2}:\d{2}\b", re.IGNORECASE)
# Rule-junk lines that usually close an article body (related links, share bar, tags, comments).
_BOUNDARY = re.compile(
    r"^(?:related|read (?:more|next|also)|more (?:from|on|stories)|share|tags?|filed under|"
    r"recommended|trending|most (?:read|popular)|you may also like|see also|also read|"
    r"advertisement|comments?|leave a)", re.IGNORECASE)


# --- 1. normalise ---------------------------------------------------------------------------
# ftfy's fixes minus those that would rewrite correct text: curly quotes stay curly (the quote
# ledger reads them), full-width characters and ligatures stay as written, and HTML entities are
# the reader's business (a literal "&amp;" in a plain-text record is what the record says).
_REPAIR = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False,
                               fix_latin_ligatures=False, unescape_html=False)


# Characters without which ftfy (with _REPAIR) changes nothing but what NFC does anyway: UTF-8
# read as Latin-1 / Windows-1252 always shows a lead byte as one of Â…ô; the rest are the
# control, byte-order, separator and surrogate characters ftfy removes or rewrites. Text
# without any (most English news) skips ftfy: the same output on all 924 PolNeAR texts and
# 181 AEB page dumps, and bench/junk_aeb.py at 11.3 s instead of 13.3 s (10.5 s unrepaired).
_MAY_NEED_REPAIR = re.compile("[\u00c2-\u00f4\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                              "\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]")


def repair_text(text: str) -> str:
    """Undo mojibake — UTF-8 read as Latin-1 or Windows-1252 upstream, once or twice ("PeÃ±a" →
    "Peña", "FranÃ\x83Â§ois" → "François") — with ftfy, a solved problem we do not redo by
    hand; stray byte-order marks and control characters go too. Checked on all 924 PolNeAR
    articles: 40 change, every change at one of those (a few names broken twice over with a
    byte lost, "RaÃ\x83Âol", stay unreadable)."""
    text = unicodedata.normalize("NFC", text)  # (decomposed "Ã" is "A" + a combining tilde)
    if _MAY_NEED_REPAIR.search(text) is None:
        return text
    return ftfy.fix_text(text, _REPAIR)


def normalize_lines(text: str) -> list[str]:
    """Non-empty NFC lines with mojibake repaired and inner whitespace collapsed."""
    text = repair_text(text)  # NFC included
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


# --- 2. rule junk ---------------------------------------------------------------------------
def words_of(line: str) -> list[str]:
    return _WORD.findall(line)


def ends_like_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def is_weather(line: str) -> bool:
    return bool(_WEATHER.match(line))


def is_date_banner(line: str) -> bool:
    """A line that is only a date and/or time ("sâmbătă, 25 mai 2024 - 7:43",
    "Updated: January 21, 2022 10:43 AM ET"), in any language: a year or a clock time, at least
    two number groups, and at most four words that are not numbers."""
    if not (_TIME.search(line) or _YEAR.search(line)) or ends_like_sentence(line.rstrip(".")):
        return False
    words = words_of(line)
    alpha = [w for w in words if not w.isdigit()]
    return len(_DIGIT_GROUP.findall(line)) >= 2 and len(alpha) <= 4 and len(words) <= 10


def is_menu(line: str) -> bool:
    """Several short items joined by separators ("Home | World | Sport")."""
    parts = [p for p in _MENU_SEPARATORS.split(line) if p.strip()]
    return len(parts) >= 3 and max(len(words_of(p)) for p in parts) <= 4


def is_call_to_action(line: str) -> bool:
    """Starts with a call-to-action/section phrase and is not a sentence that merely begins with
    one ("Home prices rose 5% last year." stays): the rest is at most
    :data:`CTA_MAX_TAIL_WORDS` words, or the line does not end like a sentence."""
    stripped = line.strip(" -–—•·*#>[](){}:")
    match = _CALL_TO_ACTION.match(stripped)
    if match is None:
        return False
    tail = words_of(stripped[match.end():])
    return len(tail) <= CTA_MAX_TAIL_WORDS or not ends_like_sentence(stripped)


def is_credit_or_byline(line: str) -> bool:
    return bool(_SOURCE_TAG.match(line) or _CREDIT.match(line) or _BYLINE.match(line))


def is_rule_junk(line: str) -> bool:
    """Step 2: junk regardless of context (only short lines are ever judged)."""
    words = words_of(line)
    if not words:
        return True  # punctuation, bullets or emoji only
    if len(words) > RULE_MAX_WORDS:
        return False
    return (is_weather(line) or is_date_banner(line) or is_menu(line)
            or is_call_to_action(line) or is_credit_or_byline(line))


# --- 3. seed-layout metadata ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = ""
    date_line: str = ""
    url: str = ""
    consumed: int = 0  # lines at the top of the text used up (junk + metadata)


def discover_metadata(lines: Sequence[str], article: Article) -> Metadata:
    """Title, ``YYYYMMDD`` date and URL lines at the top, after junk (step 3).

    Only fields the reader left empty are looked for; a title needs at least one body line
    after it, so a one-line text (a headline record) stays text.
    """
    index = 0
    limit = min(len(lines), METADATA_SCAN_LINES)
    while index < limit and is_rule_junk(lines[index]):
        index += 1
    start = index
    title = date_line = url = ""
    if (not article.title and index < len(lines) - 1 and _is_title(lines[index])
            and not _DATE_LINE.match(lines[index]) and not _URL_LINE.match(lines[index])):
        title = lines[index]
        index += 1
    if index < len(lines) - 1 and _DATE_LINE.match(lines[index]):
        date_line = lines[index] if article.date is None else ""
        index += 1
    if index < len(lines) - 1 and _URL_LINE.match(lines[index]):
        url = lines[index] if not article.url else ""
        index += 1
    found = title or date_line or url
    return Metadata(title, date_line, url, index if found or index > start else start)


def _is_title(line: str) -> bool:
    return len(words_of(line)) < TITLE_MAX_WORDS and not line.endswith((".", "!", "?", "…", ":"))


# --- 4. learned line filter -----------------------------------------------------------------
FEATURE_NAMES: tuple[str, ...] = (
    "log_words", "log_chars", "ends_sentence", "ends_colon", "stopword_ratio", "short_word_ratio",
    "titlecase_ratio", "digit_ratio", "punct_ratio", "has_separator", "has_quote", "soft_junk",
    "prose", "relative_position", "prose_window_1", "prose_window_3", "prose_window_10",
    "log_distance_to_prose", "prose_words_before", "prose_words_after", "repeated_in_page",
    "log_words_prev", "log_words_next", "inside_prose_span",
    "in_main_block_tight", "in_main_block_loose", "log_distance_to_main_block",
    "main_block_share",
    # Context from the whole dump, rule junk included (step 2 drops those lines, but where they
    # stand says where the body ends: "Comments", "Related", "Share" runs).
    "log_junk_before", "log_junk_after", "junk_window_3", "junk_window_10",
    "after_comment_heading", "comment_byline_window_3", "comment_byline",
    "boundary_share_before", "log_boundaries_before",
    "in_page_block_tight", "log_distance_to_page_block_tight",
    "in_page_block_loose", "log_distance_to_page_block_loose",
)
CONTEXT_FEATURE_NAMES: tuple[str, ...] = (
    "p_prev", "p_next", "p_window_2", "p_window_5", "p_window_15", "p_self",
)
# A "prose" line for the context features: the benchmark's simple anchor rule.
PROSE_MIN_WORDS = 10
# Headings and bylines of comments are short; longer lines are body text that mentions them.
COMMENT_HEADING_MAX_WORDS = 6
COMMENT_BYLINE_MAX_WORDS = 15
# Main block = the run of lines with the largest sum of (prose words − penalty per other line).
# Two penalties (tight: a few short lines break the run; loose: only long junk runs do), chosen
# as round numbers near the median prose-line length (≈ 25 words) — not tuned on AEB.
MAIN_BLOCK_PENALTIES = (25.0, 5.0)


@dataclass(frozen=True, slots=True)
class LogisticPass:
    """Standardise, then ``sigmoid(x · coef + intercept)``."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        import numpy as np

        if not len(rows):
            return []
        matrix = np.asarray(rows, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[1] != len(self.coef):
            raise ValueError(f"rows have {matrix.shape[-1]} features, the model "
                             f"{len(self.coef)}")
        # Element-wise NumPy arithmetic is the same IEEE operation as Python's, in the same
        # order ((c * (x - m)) / s); the sum per row stays Python's own ``sum`` so every
        # probability is bit-identical to the plain-Python formula (and to its summation
        # rules in any Python version).
        terms = (np.asarray(self.coef) * (matrix - np.asarray(self.mean))
                 / np.asarray(self.scale))
        out = []
        for row in terms.tolist():
            z = self.intercept + sum(row)
            out.append(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogisticPass:
        return cls(tuple(map(float, data["coef"])), float(data["intercept"]),
                   tuple(map(float, data["mean"])), tuple(map(float, data["scale"])))


@dataclass(frozen=True, slots=True)
class LineModel:
    """Two logistic passes and the keep threshold (immutable; loaded from JSON)."""

    first: LogisticPass
    second: LogisticPass
    threshold: float
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineModel:
        if tuple(data.get("features", ())) != FEATURE_NAMES + CONTEXT_FEATURE_NAMES:
            raise ValueError("line model features do not match this version of clean.py; "
                             "re-run bench/junk_aeb.py --calibrate")
        return cls(LogisticPass.from_dict(data["first"]), LogisticPass.from_dict(data["second"]),
                   float(data["threshold"]), str(data.get("note", "")))


# Cached factory, not a mutable cache: the model is a frozen dataclass read from a file shipped in
# the package, so every process and Dask worker builds the identical object.
@functools.cache
def default_line_model() -> LineModel | None:
    """The shipped line model, or ``None`` when the package has none (then step 4 is skipped)."""
    try:
        text = resources.files("storyline").joinpath("data", MODEL_RESOURCE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        log.warning("no line model %s in the package; only rule junk is removed", MODEL_RESOURCE)
        return None
    return LineModel.from_dict(json.loads(text))


def line_features(page: Sequence[str], junk: Sequence[bool] | None = None
                  ) -> list[list[float]]:
    """First-pass features (see :data:`FEATURE_NAMES`) of the lines of ``page`` that are not
    ``junk`` (rule junk, step 2; default: none) — the junk lines only serve as context."""
    junk = [False] * len(page) if junk is None else junk
    if len(junk) != len(page):
        raise ValueError(f"{len(page)} lines but {len(junk)} junk flags")
    # Words and sentence ends of every line, computed once for both feature groups.
    words = [words_of(line) for line in page]
    sentence = [ends_like_sentence(line) for line in page]
    cand = [i for i, j in enumerate(junk) if not j]
    rows = _candidate_features([page[i] for i in cand], [words[i] for i in cand],
                               [sentence[i] for i in cand])
    context = _page_context_features(page, junk, [len(w) for w in words], sentence)
    for row, extra in zip(rows, context, strict=True):
        row.extend(extra)
    return rows


def _page_context_features(page: Sequence[str], junk: Sequence[bool],
                           word_counts: Sequence[int], ends_sentence: Sequence[bool]
                           ) -> list[list[float]]:
    """The page-context features of the candidate lines, computed over the whole dump."""
    import numpy as np

    n = len(page)
    is_junk = np.asarray(junk, dtype=bool)
    cand = np.flatnonzero(~is_junk)
    if not len(cand):
        return []
    counts = np.array(word_counts, dtype=float)
    sentence = np.array(ends_sentence, dtype=bool)
    prose_words = np.where((counts >= PROSE_MIN_WORDS) & sentence & ~is_junk, counts, 0.0)
    heading = np.array([c <= COMMENT_HEADING_MAX_WORDS and bool(_COMMENT_HEADING.search(line))
                        for c, line in zip(counts, page, strict=True)], dtype=float)
    byline = np.array([c <= COMMENT_BYLINE_MAX_WORDS and bool(_COMMENT_BYLINE.search(line))
                       for c, line in zip(counts, page, strict=True)], dtype=float)
    boundary = np.array([j and bool(_BOUNDARY.match(line))
                         for j, line in zip(junk, page, strict=True)], dtype=float)
    index = np.arange(n)
    previous = np.concatenate([[-1], cand[:-1]])
    following = np.concatenate([cand[1:], [n]])
    comment_starts = np.flatnonzero((heading > 0) & (np.cumsum(prose_words) > 0))
    after_comments = (index > comment_starts[0]) if len(comment_starts) else np.zeros(n, bool)
    boundaries_before = np.cumsum(boundary) - boundary
    junk_float = is_junk.astype(float)
    columns = [np.log1p(cand - previous - 1), np.log1p(following - cand - 1),
               _box_mean(junk_float, 3)[cand], _box_mean(junk_float, 10)[cand],
               after_comments[cand].astype(float), _box_mean(byline, 3)[cand], byline[cand],
               (boundaries_before / (boundary.sum() + 1.0))[cand],
               np.log1p(boundaries_before)[cand]]
    # Python floats for the scan (same values and IEEE arithmetic, no NumPy scalar overhead).
    block_input = np.where(prose_words > 0, prose_words, 0.0).tolist()
    for penalty in MAIN_BLOCK_PENALTIES:
        start, end = _main_block(block_input, penalty)
        columns += [((index >= start) & (index < end))[cand].astype(float),
                    np.log1p(np.maximum(0, np.maximum(start - index, index - end + 1)))[cand]]
    rows: list[list[float]] = np.column_stack(columns).astype(float).tolist()
    return rows


def _box_mean(values: Any, radius: int) -> Any:
    """Mean of ``values`` over a window of ``radius`` lines each side (clipped at the ends)."""
    import numpy as np

    n = len(values)
    total = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(n)
    lo, hi = np.maximum(0, index - radius), np.minimum(n, index + radius + 1)
    return (total[hi] - total[lo]) / (hi - lo)


def _candidate_features(lines: Sequence[str], words: Sequence[list[str]] | None = None,
                        ends_sentence: Sequence[bool] | None = None) -> list[list[float]]:
    """The per-line and candidate-sequence features (the first 28 of :data:`FEATURE_NAMES`).

    ``words`` and ``ends_sentence`` (per line) may be passed when the caller has them.
    """
    n = len(lines)
    words = [words_of(line) for line in lines] if words is None else words
    sentence = [ends_like_sentence(line) for line in lines] if ends_sentence is None \
        else ends_sentence
    counts = [len(w) for w in words]
    prose = [float(c >= PROSE_MIN_WORDS and s) for c, s in zip(counts, sentence, strict=True)]
    prose_words = [c * p for c, p in zip(counts, prose, strict=True)]
    total_prose = sum(prose_words) or 1.0
    prose_idx = [i for i, p in enumerate(prose) if p]
    first_prose, last_prose = (prose_idx[0], prose_idx[-1]) if prose_idx else (n, -1)
    seen = Counter(lines)
    tight, loose = (_main_block(prose_words, penalty) for penalty in MAIN_BLOCK_PENALTIES)
    block_words = sum(prose_words[tight[0]:tight[1]])
    # Prefix sums of the 0/1 prose flags: window sums of small integers are exact in floats,
    # so the window means equal ``_window_mean`` (sum of the slice) bit for bit.
    prefix = [0.0]
    for p in prose:
        prefix.append(prefix[-1] + p)

    def window(i: int, radius: int) -> float:
        lo, hi = max(0, i - radius), min(n, i + radius + 1)
        return (prefix[hi] - prefix[lo]) / (hi - lo)

    rows: list[list[float]] = []
    before = 0.0
    for i, line in enumerate(lines):
        toks = words[i]
        count = max(1, len(toks))
        chars = max(1, len(line))
        digits = len(_ASCII_DIGIT.findall(line))
        punct = len(_ASCII_PUNCT.findall(line))
        for ch in _NON_ASCII.findall(line):
            digits += ch.isdigit()
            punct += not ch.isalnum() and not ch.isspace()
        # Nearest prose line by bisection (prose_idx is sorted).
        at = bisect_left(prose_idx, i)
        distance = min((abs(i - prose_idx[k]) for k in (at - 1, at) if 0 <= k < len(prose_idx)),
                       default=n)
        rows.append([
            math.log1p(len(toks)),
            math.log1p(len(line)),
            float(sentence[i]),
            float(line.endswith(":")),
            sum(map(STOPWORDS.__contains__, map(str.lower, toks))) / count,
            sum(len(t) <= 3 for t in toks) / count,
            sum(t[0].isupper() for t in toks) / count,
            digits / chars,
            punct / chars,
            float(bool(_MENU_SEPARATORS.search(line))),
            float(_QUOTE_CHAR.search(line) is not None),
            float(bool(_SOFT_JUNK.search(line))),
            prose[i],
            i / max(1, n - 1),
            window(i, 1),
            window(i, 3),
            window(i, 10),
            math.log1p(distance),
            before / total_prose,
            (total_prose - before - prose_words[i]) / total_prose,
            float(seen[line] > 1),
            math.log1p(counts[i - 1]) if i > 0 else 0.0,
            math.log1p(counts[i + 1]) if i + 1 < n else 0.0,
            float(first_prose <= i <= last_prose),
            float(tight[0] <= i < tight[1]),
            float(loose[0] <= i < loose[1]),
            math.log1p(max(0, tight[0] - i, i - tight[1] + 1)),
            block_words / total_prose,
        ])
        before += prose_words[i]
    return rows


def context_features(rows: Sequence[list[float]], first: Sequence[float]) -> list[list[float]]:
    """Second-pass rows: first-pass features plus the first pass's verdict around each line."""
    n = len(first)
    return [
        [*row,
         first[i - 1] if i > 0 else 0.0,
         first[i + 1] if i + 1 < n else 0.0,
         _window_mean(first, i, 2),
         _window_mean(first, i, 5),
         _window_mean(first, i, 15),
         first[i]]
        for i, row in enumerate(rows)
    ]


def line_probabilities(page: Sequence[str], model: LineModel,
                       junk: Sequence[bool] | None = None) -> list[float]:
    """Probability that each non-``junk`` line of ``page`` belongs to the article body."""
    rows = line_features(page, junk)
    first = model.first.probabilities(rows)
    return model.second.probabilities(context_features(rows, first))


def model_keep_mask(page: Sequence[str], model: LineModel | None,
                    junk: Sequence[bool] | None = None) -> list[bool]:
    """Step 4: which non-``junk`` lines of ``page`` the line model keeps (all of them for short
    texts or no model); the junk lines are context only."""
    lines = [line for line, j in zip(page, junk or [False] * len(page), strict=True) if not j]
    if model is None or len(lines) < MIN_LINES_FOR_MODEL:
        return [True] * len(lines)
    keep = [p >= model.threshold for p in line_probabilities(page, model, junk)]
    if not any(keep):
        log.debug("line model rejected every line; keeping the rule-cleaned text")
        return [True] * len(lines)
    return keep


def _main_block(prose_words: Any, penalty: float) -> tuple[int, int]:
    """``[start, end)`` of the run maximising prose words minus ``penalty`` per non-prose line
    (maximum-sum subarray)."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, words in enumerate(prose_words):
        total += words if words else -penalty
        if total <= 0:
            total, start = 0.0, i + 1
        elif total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _window_mean(values: Sequence[float], i: int, radius: int) -> float:
    lo, hi = max(0, i - radius), min(len(values), i + radius + 1)
    return sum(values[lo:hi]) / (hi - lo)


# --- the cascade ----------------------------------------------------------------------------
def page_lines(article: Article, drop_lines: frozenset[str] = frozenset(),
               normalized: Sequence[str] | None = None
               ) -> tuple[Metadata, list[str], list[bool]]:
    """Steps 1-3: normalised lines without boilerplate and metadata, with their rule-junk flags
    (the line model judges the others, with the junk as context; also what
    ``bench/junk_aeb.py --calibrate`` trains on). ``normalized`` is
    ``normalize_lines(article.text)`` when the caller has it already."""
    if normalized is None:
        normalized = normalize_lines(article.text)
    lines = [line for line in normalized if line not in drop_lines]
    meta = discover_metadata(lines, article)
    lines = lines[meta.consumed:]
    return meta, lines, [is_rule_junk(line) for line in lines]


def candidate_lines(article: Article, drop_lines: frozenset[str] = frozenset()
                    ) -> tuple[Metadata, list[str]]:
    """The lines of :func:`page_lines` that are not rule junk."""
    meta, lines, junk = page_lines(article, drop_lines)
    return meta, [line for line, j in zip(lines, junk, strict=True) if not j]


def clean_article(article: Article, settings: Settings, model: LineModel | None = None,
                  drop_lines: frozenset[str] = frozenset(),
                  normalized: Sequence[str] | None = None) -> Article | Skip:
    """Clean one article (steps 1-6 of the module docstring).

    ``model`` defaults to the shipped line model; ``drop_lines`` are site boilerplate lines found
    by :func:`clean_articles` (removed before anything else looks at the text); ``normalized``
    is ``normalize_lines(article.text)`` when the caller has it already.
    """
    model = model if model is not None else default_line_model()
    meta, page, junk = page_lines(article, drop_lines, normalized)
    body = [line for line, j in zip(page, junk, strict=True) if not j]
    body = [line for line, keep in zip(body, model_keep_mask(page, model, junk), strict=True)
            if keep]
    text = "\n".join(body)
    if not text:
        return Skip(article.id, "no text left after removing junk lines")
    if len(text) > settings.max_text_chars:
        return Skip(article.id, f"text has {len(text):,} characters, more than "
                                f"max_text_chars={settings.max_text_chars:,}")
    title = article.title or meta.title
    return dataclasses.replace(
        article,
        text=text,
        title=_SPACE.sub(" ", repair_text(title)).strip(),
        date=article.date or (parse_date(meta.date_line) if meta.date_line else None),
        url=article.url or meta.url,
        lang=article.lang or detect_language(text),
        raw=article.raw or article.text,
    )


def source_key(article: Article) -> str:
    """The site an article comes from: its ``source``, else its URL's host, else ``""``."""
    if article.source:
        return article.source.lower()
    host = urlsplit(article.url).hostname or "" if article.url else ""
    return host.removeprefix("www.")


def site_boilerplate(articles: Sequence[Article],
                     normalized: Sequence[Sequence[str]] | None = None
                     ) -> dict[str, frozenset[str]]:
    """Per source, the lines found on at least :data:`REPEAT_MIN_PAGES` distinct pages.

    Articles without a known source are never compared (syndicated copies from different
    outlets share whole paragraphs); long sentence-like lines are never boilerplate.
    ``normalized`` holds ``normalize_lines(article.text)`` per article when the caller has it.
    """
    pages: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for index, article in enumerate(articles):
        key = source_key(article)
        if key:
            lines = normalize_lines(article.text) if normalized is None else normalized[index]
            pages[key]["\n".join(lines)] = set(lines)  # identical pages count once
    result: dict[str, frozenset[str]] = {}
    for key, by_text in pages.items():
        if len(by_text) < REPEAT_MIN_PAGES:
            continue
        counts = Counter(line for lines in by_text.values() for line in lines)
        result[key] = frozenset(line for line, c in counts.items()
                                if c >= REPEAT_MIN_PAGES and not _reads_like_body(line))
    return result


def _reads_like_body(line: str) -> bool:
    return len(words_of(line)) >= REPEAT_KEEP_WORDS and ends_like_sentence(line)


def clean_articles(articles: Sequence[Article], settings: Settings,
                   model: LineModel | None = None) -> tuple[list[Article], list[Skip]]:
    """Clean a batch: site boilerplate out first, then :func:`clean_article` on each."""
    # Each text is normalised once for both passes.
    normalized = [normalize_lines(article.text) for article in articles]
    boilerplate = site_boilerplate(articles, normalized)
    kept: list[Article] = []
    skips: list[Skip] = []
    for article, lines in zip(articles, normalized, strict=True):
        result = clean_article(article, settings, model,
                               boilerplate.get(source_key(article), frozenset()), lines)
        if isinstance(result, Skip):
            skips.append(result)
        else:
            kept.append(result)
    return kept, skips
