"""A dated timeline of a story: one event per (day, content), cited by every carrier.

The cascade (each step a small function below):

1. :func:`event_mentions` — for every article (copies included: they add citations), every
   sentence with a day-precise date outside quoted speech (:mod:`storyline.synth.dates`,
   resolved against the article's own date, else the story's reference day). Sentences that
   continue a quote opened earlier, bylines, questions and sentences opening with a pronoun
   or connective ("And he affirmed today …": the actor is in another sentence) are skipped.
2. :func:`event_text` — a short clean text for the event: the whole sentence when it is short,
   else the clause holding the date (split at commas, semicolons and dashes), widened to the
   left while it starts lower-case or is too short to stand alone; a dated opening phrase
   ("In a call with analysts Monday, …") runs on to the main clause after it.
3. :func:`merge_events` — per day, mentions join the first event whose text is near-identical
   (rapidfuzz ``token_sort_ratio``) or shares most content words (overlap coefficient); the
   event text is the medoid of its independent articles' mentions.
4. Events are ordered by date, then independent support, then first appearance; each day keeps
   at most :data:`MAX_EVENTS_PER_DAY` events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from storyline.model import StoryContext, TimelineEvent
from storyline.synth.dates import (
    WEEKDAYS,
    DateMemo,
    article_reference,
    find_date_mentions,
    reference_date,
    resolve_date,
)
from storyline.synth.summary import budget_words, is_dangling, sentences_with_quote_state
from storyline.text import content_tokens, fold, normalize_quotes

# --- patterns (the only place this module defines them) -------------------------------------
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+[—–-]{1,2}\s+")
# A quote left open at the end of a sentence runs to its end ("“We don't expect … today.").
_QUOTED_SPAN = re.compile(r'"[^"]*(?:"|$)')
# A clause that only says who said it ("Peskov told reporters Friday") needs the clause before.
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|added|according\s+to)\b", re.IGNORECASE)
# A sentence opening with a circumstance ("On Tuesday night, …", "In a call with analysts
# Monday, …", "Early Saturday morning, …") before its subject.
_OPENING_PHRASE = re.compile(r"(?i:on|in|at|during|after|before|early|late|last|earlier|later|"
                             r"by|since|until|shortly|just)\b")
_BYLINE = re.compile(r"^(?:by|reporting by|editing by|some material in this report)\b", re.I)
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+\b")
# Date words are the same in every mention of a day; they must not make two events look alike.
_DATE_WORDS = frozenset(WEEKDAYS) | frozenset({
    "on", "today", "yesterday", "tomorrow", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
})

# --- thresholds (calibrated by hand on the seeds; re-run tests/test_timeline.py after changes)
# Sentences up to this many words are kept whole; longer ones are cut to the dated clause.
MAX_EVENT_WORDS = 30
# A clause shorter than this cannot stand alone and is widened with its neighbours.
MIN_CLAUSE_WORDS = 6
# An attribution clause up to this long ("Kremlin spokesman Dmitry Peskov told reporters
# Friday") is widened with the clause before it.
MAX_ATTRIBUTION_WORDS = 9
# Near-identical texts (a spun rewrite scores 75–95 against its source on the seeds).
SAME_TEXT_RATIO = 75.0
# Share of the smaller text's content words (date words excluded) two mentions of one day must
# have in common to be one event; 0.5 merges "Biden made confusing remarks Wednesday" across
# outlets without fusing every Friday sentence that names Blinken and Lavrov into one.
SHARED_WORDS = 0.5
# Prefix length standing in for a stemmer in the word-overlap test.
STEM_CHARS = 5
# Same-actor rule: at least this many names, all of the smaller set shared, and this share of
# content words in common. Set by reasoning, not fitted: two names (actor and counterpart or
# place) plus a third of the words is a strong signal for one day of one story.
MIN_SHARED_NAMES = 2
SHARED_WORDS_WITH_NAMES = 0.34
# A timeline is for reading: beyond this many events on one day only the best supported stay.
MAX_EVENTS_PER_DAY = 5


@dataclass(frozen=True, slots=True)
class EventMention:
    """One dated sentence (or clause) of one article."""

    day: date
    text: str
    article_id: str
    order: tuple[int, int]  # (article position in the story, sentence position)


# --- step 1: dated sentences ----------------------------------------------------------------
def event_mentions(ctx: StoryContext, memo: DateMemo | None = None) -> list[EventMention]:
    """Every (day, sentence) pair of the story's articles, in story order.

    ``memo`` is the story's :data:`~storyline.synth.dates.DateMemo` (shared with the facts).
    """
    story_ref = reference_date(ctx)
    memo = {} if memo is None else memo
    out: list[EventMention] = []
    for index, article in enumerate(ctx.articles):
        ref = article_reference(article, story_ref)
        for position, (sentence, inside_quote) in enumerate(sentences_with_quote_state(article)):
            if not _usable(sentence, inside_quote):
                continue
            seen: set[date] = set()
            for start, expr in _dates_outside_quotes(sentence):
                day = resolve_date(expr, ref, memo)
                if day is None or day in seen:
                    continue
                seen.add(day)
                text = event_text(sentence, start)
                if text:
                    out.append(EventMention(day, text, article.id, (index, position)))
    return out


def _usable(sentence: str, inside_quote: bool) -> bool:
    """Not a quote continuation, byline, question, or a sentence whose actor is a pronoun."""
    return not (inside_quote or _BYLINE.match(sentence) or is_dangling(sentence)
                or sentence.rstrip("\"'”’").endswith("?"))


def _dates_outside_quotes(sentence: str) -> list[tuple[int, str]]:
    """(offset, expression) of the date mentions that are not inside quoted speech."""
    text = normalize_quotes(sentence)
    quoted = [(m.start(), m.end()) for m in _QUOTED_SPAN.finditer(text)]
    return [(m.start, m.text) for m in find_date_mentions(text)
            if not any(s <= m.start < e for s, e in quoted)]


# --- step 2: event text ---------------------------------------------------------------------
def event_text(sentence: str, date_offset: int) -> str:
    """The sentence if short, else the clause holding the date (widened to stand alone)."""
    if budget_words(sentence) <= MAX_EVENT_WORDS:
        return _finish(sentence)
    pieces = _clauses(sentence)
    index = next((i for i, (start, end) in enumerate(pieces) if start <= date_offset < end), 0)
    first = last = index
    while first > 0 and _needs_left(sentence[pieces[first][0]:pieces[last][1]]):
        first -= 1
    while last < len(pieces) - 1 and (budget_words(sentence[pieces[first][0]:pieces[last][1]])
                                      < MIN_CLAUSE_WORDS):
        last += 1
    if first == 0 and index == 0 and _OPENING_PHRASE.match(sentence):
        # "In a call with analysts Monday, Pfizer chief executive Ian Read said…": dated
        # opening phrases are the circumstance, not the event; the event is the main clause,
        # the first later piece that is no such phrase (its subject opens it).
        main = next((i for i in range(1, len(pieces))
                     if not _OPENING_PHRASE.match(sentence, pieces[i][0])), None)
        if main is not None and budget_words(
                sentence[pieces[main][0]:pieces[main][1]]) < MIN_CLAUSE_WORDS:
            # (a subject cut off by an aside: "Early Saturday morning, Kingson's campaign
            # office - formerly a Sanders outpost - bustled…": the whole sentence)
            return _finish(sentence)
        if main is not None:
            last = max(last, main)
    clause = sentence[pieces[first][0]:pieces[last][1]]
    if normalize_quotes(clause).count('"') % 2:
        return _finish(sentence)
    return _finish(clause)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentence's comma/semicolon/dash-separated pieces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence)))
    return spans


def _needs_left(clause: str) -> bool:
    """A clause that cannot open an event: lower-case start, too short, or a bare attribution."""
    words = budget_words(clause)
    return (clause[:1].islower() or words < MIN_CLAUSE_WORDS
            or (words <= MAX_ATTRIBUTION_WORDS and _ATTRIBUTION.search(clause) is not None))


def _finish(text: str) -> str:
    """Capitalised, trimmed, ending with sentence punctuation."""
    text = text.strip().rstrip(",;:—–- ")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if re.search(r"[.!?][\"'”’)]*$", text) else text + "."


# --- step 3: merge across articles ----------------------------------------------------------
def _words(text: str) -> frozenset[str]:
    """Content words without date words, cut to :data:`STEM_CHARS` characters so that
    "confusing" / "confusion" and "remarks" / "remarked" count as shared."""
    return frozenset(t[:STEM_CHARS] for t in content_tokens(text) if t not in _DATE_WORDS)


def _names(text: str) -> frozenset[str]:
    """Capitalised words after the first (names of people, places, organisations)."""
    found = _NAME.findall(normalize_quotes(text))[1:] if text else []
    return frozenset(fold(n) for n in found if fold(n) not in _DATE_WORDS)


class _TextMemo:
    """Folded text, content words and names of event texts, each computed once per timeline
    (every mention is compared with many others)."""

    def __init__(self) -> None:
        self._folded: dict[str, str] = {}
        self._words: dict[str, frozenset[str]] = {}
        self._names: dict[str, frozenset[str]] = {}

    def folded(self, text: str) -> str:
        if text not in self._folded:
            self._folded[text] = fold(text)
        return self._folded[text]

    def words(self, text: str) -> frozenset[str]:
        if text not in self._words:
            self._words[text] = _words(text)
        return self._words[text]

    def names(self, text: str) -> frozenset[str]:
        if text not in self._names:
            self._names[text] = _names(text)
        return self._names[text]


def _same_event(a: str, b: str, memo: _TextMemo | None = None) -> bool:
    """Near-identical text, most content words shared, or the same actors doing much the same:
    every name of the text with fewer names appears in the other and a good share of words
    is shared (outlets describe one event with different words but the same names)."""
    memo = _TextMemo() if memo is None else memo
    if fuzz.token_sort_ratio(memo.folded(a), memo.folded(b)) >= SAME_TEXT_RATIO:
        return True
    words_a, words_b = memo.words(a), memo.words(b)
    smaller = min(len(words_a), len(words_b))
    if smaller == 0:
        return False
    shared = len(words_a & words_b) / smaller
    if shared >= SHARED_WORDS:
        return True
    names_a, names_b = memo.names(a), memo.names(b)
    few = min(len(names_a), len(names_b))
    return (few >= MIN_SHARED_NAMES and len(names_a & names_b) == few
            and shared >= SHARED_WORDS_WITH_NAMES)


def merge_events(mentions: list[EventMention]) -> list[list[EventMention]]:
    """Group mentions into events: same day and same content (greedy, in story order)."""
    groups: list[list[EventMention]] = []
    memo = _TextMemo()
    for mention in sorted(mentions, key=lambda m: (m.day, m.order)):
        for group in groups:
            if group[0].day == mention.day and any(_same_event(mention.text, g.text, memo)
                                                   for g in group):
                group.append(mention)
                break
        else:
            groups.append([mention])
    return groups


def _representative(ctx: StoryContext, group: list[EventMention]) -> str:
    """Medoid text among the independent articles' mentions (copies only if nothing else)."""
    pool = [m for m in group if ctx.root(m.article_id) == m.article_id] or group
    folded = {m.text: fold(m.text) for m in pool}
    return max(pool, key=lambda m: (sum(fuzz.token_sort_ratio(folded[m.text], folded[o.text])
                                        for o in pool), [-x for x in m.order])).text


# --- step 4: ordered timeline ---------------------------------------------------------------
def build_timeline(ctx: StoryContext, memo: DateMemo | None = None
                   ) -> tuple[TimelineEvent, ...]:
    """The story's dated events, by date, then independent support, then first appearance.

    ``memo`` is the story's :data:`~storyline.synth.dates.DateMemo` (shared with the facts).
    """
    position = {a.id: i for i, a in enumerate(ctx.articles)}
    ranked: list[tuple[date, int, tuple[int, int], TimelineEvent]] = []
    for group in merge_events(event_mentions(ctx, memo)):
        ids = tuple(sorted({m.article_id for m in group}, key=position.__getitem__))
        event = TimelineEvent(group[0].day.isoformat(), _representative(ctx, group), ids)
        ranked.append((group[0].day, ctx.independent_support(ids),
                       min(m.order for m in group), event))
    ranked.sort(key=lambda r: (r[0], -r[1], r[2]))
    out: list[TimelineEvent] = []
    per_day: dict[date, int] = {}
    for day, _, _, event in ranked:
        per_day[day] = per_day.get(day, 0) + 1
        if per_day[day] <= MAX_EVENTS_PER_DAY:
            out.append(event)
    return tuple(out)
