"""Key facts and numbers of a story, merged across outlets, with their independent support.

The cascade (each step a small function below):

1. :func:`find_mentions` scans one article for fact mentions, most specific first, each span
   used once: day-precise dates (:mod:`storyline.synth.dates`, resolved against the article's
   reference day), money ("$5 billion", "€200m", "3 billion dollars"), percentages ("5%",
   "5 percent"), spelled-out durations ("an hour and a half", "half an hour"), hyphenated
   measures ("90-minute meeting", "seven-decade-old alliance"), then counts with a head noun
   ("100,000 Russian troops", "two divisions of S-400", "three sets of talks"); after a count
   above one, a singular word before a plural one is a modifier of that plural head ("four
   percentage points", "three young boys": without a tagger, agreement stands in for one).
2. Every mention gets a merge key that ignores what outlets vary on: approximation words
   ("roughly", "some", "more than" — never part of a mention), modifiers between the number
   and its head noun ("Russian"), head-noun synonyms (:data:`HEAD_SYNONYMS`: troops ≈ soldiers
   ≈ forces ≈ units), number words ("two" = 2) and duration units (90 minutes = "an hour and
   a half" = "90-minute").
3. :func:`extract_facts` groups mentions by key; a fact cites every carrier (copies included),
   counts support over copy-graph roots, and shows the most common display form.

Dropped on purpose (noise, not claims): bare years ("in 1997", "begun in 2020" — a date fact
needs a day), numbers glued to names ("S-400", "COVID-19", roman numerals as in "World War
II"), ordinals ("the fourth time": a ranking, not a quantity), the word "one" ("one step", "on
the one hand"), numbers without a head noun ("the four were"), and small spelled-out numbers
after a definite determiner ("the two top diplomats" refers back, it asserts nothing).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from storyline.model import Article, Conflict, Fact, FactKind, StoryContext
from storyline.synth.dates import (
    DateMemo,
    article_reference,
    find_date_mentions,
    reference_date,
    resolve_date,
)
from storyline.text import STOPWORDS, normalize_quotes

# --- word lists and patterns (the only place this module defines them) ----------------------
SMALL_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
UNITS_1_9 = {"one": 1, **{k: v for k, v in SMALL_NUMBERS.items() if v < 10}}
ARTICLE_NUMBERS = {"a dozen": 12, "a hundred": 100, "a thousand": 1000, "an": 1, "a": 1,
                   "one": 1}
SCALES = {"k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "m": 1e6, "bn": 1e9, "dozen": 12.0}
# Minutes per duration unit: durations merge across "90-minute" / "an hour and a half".
DURATION_MINUTES = {"minute": 1.0, "hour": 60.0, "day": 1440.0, "week": 10080.0,
                    "month": 43200.0, "year": 525600.0, "decade": 5256000.0}
CURRENCIES = {"$": "USD", "us$": "USD", "dollar": "USD", "€": "EUR", "euro": "EUR",
              "£": "GBP", "pound": "GBP", "ruble": "RUB", "rouble": "RUB", "yuan": "CNY"}
# Head nouns that mean the same thing in news copy; the value is the canonical lemma.
HEAD_SYNONYMS = {"soldier": "troop", "force": "troop", "unit": "troop", "serviceman": "troop",
                 "personnel": "troop", "servicemember": "troop", "person": "people",
                 "resident": "people", "civilian": "people"}
IRREGULAR_LEMMAS = {"people": "people", "men": "man", "women": "woman", "children": "child",
                    "servicemen": "serviceman", "talks": "talk", "news": "news",
                    "series": "series", "personnel": "personnel"}
# Head nouns that take an "of" complement worth keeping ("two divisions of S-400").
COLLECTIVE_HEADS = frozenset({"set", "division", "round", "batch", "group", "battalion",
                              "brigade", "ton", "barrel", "wave", "pair", "kind", "type",
                              "day", "week", "hour", "dozen", "package", "shipment"})
# Lower-case words allowed between a number and its head noun.
MODIFIERS = frozenset({
    "top", "chief", "senior", "new", "more", "additional", "other", "separate", "major", "large",
    "small", "big", "key", "military", "armed", "combat", "civilian", "foreign", "local",
    "regional", "federal", "national", "heavy", "light", "assembled", "trained", "elite", "regular",
    "reserve", "active", "extra", "further", "fresh", "total", "estimated", "air-defense", "ground",
    "naval", "nuclear", "ballistic"
})
DETERMINERS = frozenset({"the", "these", "those", "its", "their", "his", "her", "our", "other"})
# Irregular past-tense verbs that follow a bare count ("the other two left", "six fled"); regular
# ones end in -ed and are never heads. Without a POS tagger this list is the verb guard.
COMMON_VERBS = frozenset({
    "left", "met", "fled", "went", "came", "took", "gave", "made", "held", "began", "fell",
    "rose", "won", "lost", "got", "saw", "ran", "sent", "kept", "spent", "told", "said", "stood",
    "remain", "remained", "died", "are", "were", "have", "had", "will", "would", "could",
})
NOT_HEADS = STOPWORDS | COMMON_VERBS | frozenset({
    "per", "percent", "times", "ago", "later", "earlier", "each", "apiece", "and", "or", "to",
    "of", "in", "on",
})

_NUM_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM_WORDS = (r"(?:" + "|".join(TENS) + r")(?:-(?:" + "|".join(UNITS_1_9) + r"))?|"
              + "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
              + r"|a\s+dozen|a\s+hundred|a\s+thousand")
_SCALE = r"thousand|million|billion|trillion"


def _number(group: str) -> str:
    """A number (digits or words) not glued to a name ("S-400"), captured as ``group``."""
    return rf"(?<![\w$€£.,/-])(?P<{group}>{_NUM_DIGITS}|(?i:{_NUM_WORDS}))\b"


_MONEY_RE = re.compile(
    rf"(?P<cur>US\$|\$|€|£)\s?(?P<num>{_NUM_DIGITS})(?:\s?(?P<scale>{_SCALE}|bn|m)\b)?"
    rf"|{_number('num2')}(?:\s+(?P<scale2>{_SCALE}))?\s+(?P<cur2>dollars?|euros?|pounds?|roubles?|"
    r"rubles?|yuan)\b")
_PERCENT_RE = re.compile(
    rf"(?<![\w.,-])(?P<num>{_NUM_DIGITS})\s?(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)")
_SPELLED_DURATION_RE = re.compile(
    rf"(?i:\b(?P<num>an?|one|{_NUM_WORDS}|{_NUM_DIGITS})\s+(?P<unit>minute|hour|day|week|month|"
    r"year)s?\s+and\s+a\s+half\b|\bhalf\s+an?\s+(?P<unit2>hour|day|year)\b)")
_HYPHEN_MEASURE_RE = re.compile(
    rf"{_number('num')}-(?P<unit>minute|hour|day|week|month|year|decade)s?(?:-(?:long|old))?\b")
_COUNT_RE = re.compile(rf"{_number('num')}(?:\s+(?P<scale>{_SCALE}|dozen)\b)?")
# "100K troops", "100k troops": a thousands suffix glued to the digits.
_K_COUNT_RE = re.compile(r"(?<![\w$€£.,/-])(?P<num>\d{1,3}(?:\.\d+)?)(?P<scale>[kK])\b")
_NEXT_WORD = re.compile(r"[ \t]+(?P<word>[^\W_][\w'’-]*)")
_LAST_WORDS = re.compile(r"([A-Za-z]+)[ \t]+(?:(?:roughly|some|about|around|nearly|almost|"
                         r"approximately|more than|over|up to|at least|close to|an estimated|"
                         r"fewer than|less than|as many as)[ \t]+)?$", re.IGNORECASE)

# ASCII characters that cannot occur in a _LAST_WORDS match (anything but letters, space, tab;
# under IGNORECASE only letters match [A-Za-z], and those letter equivalents are non-ASCII).
_NOT_IN_LAST_WORDS = re.compile(r"[\x00-\x08\n-\x1f!-@\[-`{-\x7f]")
# Characters before a number searched for its determiner. A match ends at the number and holds
# only letters, spaces and tabs, so if this window holds any other ASCII character the match
# (if any) lies inside it; otherwise the whole text before the number is searched. Searching
# the whole prefix for every number made the scan quadratic in the article length; 200 covers
# "word + approximation phrase" with room to spare.
DETERMINER_LOOKBACK = 200

# A count written as digits in the years' range with no head noun from the unit lexicon is a
# year ("in 1997"), not a quantity.
YEAR_RANGE = (1800, 2100)
# Words allowed between a number and its head noun ("100,000 heavily armed Russian troops").
MAX_MODIFIERS = 3
# Two facts about the same head noun conflict when their values differ by more than this share
# of the larger one; below it the gap is rounding ("some 100,000" vs "more than 100,000" are
# already one fact). Set by hand on made-up cases (100,000 vs 130,000 troops conflicts).
CONFLICT_RELATIVE_GAP = 0.1


@dataclass(frozen=True, slots=True)
class Mention:
    """One fact mention in one article, before merging."""

    article_id: str
    kind: FactKind
    key: tuple[str, str]  # (head, value) — equal keys (and kinds) merge
    display: str
    order: tuple[int, int]  # (article position in the story, character offset)


# --- step 1: mentions in one article --------------------------------------------------------
def find_mentions(article: Article, index: int, story_ref: date | None = None,
                  memo: DateMemo | None = None) -> list[Mention]:
    """Every fact mention of one article, most specific finders first, spans used once.

    ``story_ref`` is the story's reference day; relative dates are resolved against the
    article's own date first (:func:`~storyline.synth.dates.article_reference`); ``memo``
    is the story's :data:`~storyline.synth.dates.DateMemo`.
    """
    ref = article_reference(article, story_ref)
    text = normalize_quotes(article.text)
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    finders = (_date_mentions(text, ref, memo), _money_mentions(text), _percent_mentions(text),
               _spelled_durations(text), _hyphen_measures(text), _counts(text))
    for finder in finders:
        for start, end, kind, key, display in finder:
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            out.append(Mention(article.id, kind, key, display, (index, start)))
    return out


_Raw = tuple[int, int, FactKind, tuple[str, str], str]


def _date_mentions(text: str, ref: date | None, memo: DateMemo | None = None
                   ) -> Iterator[_Raw]:
    for mention in find_date_mentions(text):
        day = resolve_date(mention.text, ref, memo)
        # The span is always claimed so "February 10" never becomes a count of 10.
        iso = day.isoformat() if day is not None else ""
        yield mention.start, mention.end, "date", ("date", iso), iso


def _money_mentions(text: str) -> Iterator[_Raw]:
    for match in _MONEY_RE.finditer(text):
        currency = (match.group("cur") or match.group("cur2") or "").lower()
        currency = CURRENCIES.get(currency.rstrip("s"), CURRENCIES.get(currency, currency))
        scale = match.group("scale") or match.group("scale2")
        value = parse_number(match.group("num") or match.group("num2") or "", scale)
        if value is None:
            continue
        yield match.start(), match.end(), "money", (currency, _fmt(value)), match.group(0)


def _percent_mentions(text: str) -> Iterator[_Raw]:
    for match in _PERCENT_RE.finditer(text):
        value = parse_number(match.group("num"), None)
        if value is not None:
            yield match.start(), match.end(), "percent", ("percent", _fmt(value)), match.group(0)


def _spelled_durations(text: str) -> Iterator[_Raw]:
    for match in _SPELLED_DURATION_RE.finditer(text):
        if match.group("unit2"):
            minutes = 0.5 * DURATION_MINUTES[match.group("unit2").lower()]
        else:
            count = parse_number(match.group("num"), None)
            if count is None:
                continue
            minutes = (count + 0.5) * DURATION_MINUTES[match.group("unit").lower()]
        display = _lower_first(match.group(0))
        yield match.start(), match.end(), "quantity", ("duration", _fmt(minutes)), display


def _hyphen_measures(text: str) -> Iterator[_Raw]:
    for match in _HYPHEN_MEASURE_RE.finditer(text):
        count = parse_number(match.group("num"), None)
        if count is None:
            continue
        minutes = count * DURATION_MINUTES[match.group("unit").lower()]
        head = _head_after(text, match.end())
        display = _lower_first(match.group(0)) + (f" {head[0]}" if head else "")
        end = head[1] if head else match.end()
        yield match.start(), end, "quantity", ("duration", _fmt(minutes)), display


def _counts(text: str) -> Iterator[_Raw]:
    matches = sorted([*_K_COUNT_RE.finditer(text), *_COUNT_RE.finditer(text)],
                     key=lambda m: m.start())
    for match in matches:
        raw = match.group("num")
        value = parse_number(raw, match.group("scale"))
        if value is None or _is_referential(text, match.start(), raw):
            continue
        head = _head_after(text, match.end(), plural=value > 1)
        if head is None:
            continue
        words, end = head
        lemma = head_lemma(words)
        if lemma in DURATION_MINUTES:
            key = ("duration", _fmt(value * DURATION_MINUTES[lemma]))
        else:
            if _looks_like_year(raw, value):
                continue
            key = (HEAD_SYNONYMS.get(lemma, lemma), _fmt(value))
        number = _lower_first(match.group(0)) if not raw[0].isdigit() else match.group(0)
        yield match.start(), end, "quantity", key, f"{number} {words}"


# --- step 2: numbers, head nouns, keys ------------------------------------------------------
def parse_number(raw: str, scale: str | None) -> float | None:
    """"100,000" → 100000.0, "two" → 2.0, "twenty-five" → 25.0, ("1.5", "million") → 1.5e6."""
    text = re.sub(r"\s+", " ", raw.strip().lower())
    value: float | None
    if text and text[0].isdigit():
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            return None
    elif text in SMALL_NUMBERS:
        value = float(SMALL_NUMBERS[text])
    elif text in ARTICLE_NUMBERS:
        value = float(ARTICLE_NUMBERS[text])
    elif text.split("-")[0] in TENS:
        tens, _, unit = text.partition("-")
        value = float(TENS[tens] + (UNITS_1_9.get(unit, 0) if unit else 0))
    else:
        return None
    return value * SCALES.get(scale.lower(), 1.0) if scale else value


def head_lemma(words: str) -> str:
    """Singular lower-case lemma of a head noun phrase before its "of" complement ("sets of
    talks" → "set", "percentage points" → "percentage point")."""
    *modifiers, last = words.split(" of ")[0].lower().split()
    return " ".join([*modifiers, _noun_lemma(last)])


def _noun_lemma(word: str) -> str:
    word = word.strip("'’")
    if word in IRREGULAR_LEMMAS:
        return IRREGULAR_LEMMAS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _head_after(text: str, pos: int, plural: bool = False) -> tuple[str, int] | None:
    """The head noun after a number (skipping modifiers), with an "of" complement if collective.

    Returns the display words ("troops", "divisions of S-400") and the end offset, or ``None``
    when no head noun follows before punctuation or a function word. With ``plural`` (a count
    above one) a singular noun followed by a plural one is a noun compound whose head is the
    plural ("four percentage points", "seven rate brackets"): the count agrees with its head.
    """
    modifiers = 0
    while True:
        match = _NEXT_WORD.match(text, pos)
        if match is None:
            return None
        word = match.group("word")
        lower = word.lower()
        if lower not in MODIFIERS and lower in NOT_HEADS:
            return None
        if word[0].isupper() or lower in MODIFIERS or lower.endswith(("ly", "ed")):
            modifiers += 1
            pos = match.end()
            if modifiers > MAX_MODIFIERS:
                return None
            continue
        if not word.isalpha() or len(word) < 3:
            return None
        if head_lemma(word) in COLLECTIVE_HEADS:
            return _with_complement(text, word, match.end())
        if plural and _noun_lemma(lower) == lower:
            tail = _NEXT_WORD.match(text, match.end())
            if tail is not None and _plural_noun_shaped(tail.group("word")):
                return f"{word} {tail.group('word')}", tail.end()
        return word, match.end()


def _plural_noun_shaped(word: str) -> bool:
    """A lower-case word that reads as a plural noun: "-s" (not "-ss"), no adverb or participle
    ending, no function word or common verb."""
    return (word.isalpha() and word.islower() and len(word) >= 4 and word.endswith("s")
            and not word.endswith("ss") and word not in NOT_HEADS
            and _noun_lemma(word) != word)


def _with_complement(text: str, head: str, pos: int) -> tuple[str, int]:
    """"divisions" + " of S-400" → ("divisions of S-400", end); no "of" → the head alone."""
    of = _NEXT_WORD.match(text, pos)
    if of is None or of.group("word").lower() != "of":
        return head, pos
    noun = _NEXT_WORD.match(text, of.end())
    if noun is None or noun.group("word").lower() in NOT_HEADS:
        return head, pos
    return f"{head} of {noun.group('word')}", noun.end()


def _is_referential(text: str, start: int, raw: str) -> bool:
    """"the two diplomats": a small spelled-out number after a determiner refers back."""
    if raw[0].isdigit():
        return False
    lo = max(0, start - DETERMINER_LOOKBACK)
    if lo and _NOT_IN_LAST_WORDS.search(text, lo, start) is None:
        lo = 0
    before = _LAST_WORDS.search(text, lo, start)
    return before is not None and before.group(1).lower() in DETERMINERS


def _looks_like_year(raw: str, value: float) -> bool:
    return raw.isdigit() and len(raw) == 4 and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]


def _fmt(value: float) -> str:
    """Stable text form of a value for merge keys (no float noise)."""
    return f"{value:.6g}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


# --- step 3: merge across outlets -----------------------------------------------------------
def extract_facts(ctx: StoryContext, memo: DateMemo | None = None) -> tuple[Fact, ...]:
    """The story's facts, merged across outlets, by independent support then first appearance.

    ``memo`` is the story's :data:`~storyline.synth.dates.DateMemo` (shared with the timeline).
    """
    story_ref = reference_date(ctx)
    memo = {} if memo is None else memo
    groups: dict[tuple[FactKind, tuple[str, str]], list[Mention]] = {}
    for index, article in enumerate(ctx.articles):
        for mention in find_mentions(article, index, story_ref, memo):
            if mention.kind == "date" and not mention.display:
                continue  # an unresolvable date claims its span but makes no fact
            groups.setdefault((mention.kind, mention.key), []).append(mention)
    facts: list[tuple[int, tuple[int, int], Fact]] = []
    for (kind, _), mentions in groups.items():
        fact = _merge(ctx, kind, mentions)
        facts.append((fact.independent_support, min(m.order for m in mentions), fact))
    facts.sort(key=lambda item: (-item[0], item[1]))
    return tuple(fact for _, _, fact in facts)


def _merge(ctx: StoryContext, kind: FactKind, mentions: list[Mention]) -> Fact:
    order = {a.id: i for i, a in enumerate(ctx.articles)}
    article_ids = tuple(sorted({m.article_id for m in mentions}, key=order.__getitem__))
    return Fact(text=_display(mentions), kind=kind, article_ids=article_ids,
                independent_support=ctx.independent_support(article_ids))


def _display(mentions: list[Mention]) -> str:
    """Most common display form; ties go to the form that appeared first."""
    counts = Counter(m.display for m in mentions)
    first: dict[str, tuple[int, int]] = {}
    for mention in sorted(mentions, key=lambda m: m.order):
        first.setdefault(mention.display, mention.order)
    return min(counts, key=lambda d: (-counts[d], first[d]))


# --- conflicts ------------------------------------------------------------------------------
def conflicts(facts: tuple[Fact, ...] | list[Fact]) -> tuple[Conflict, ...]:
    """:func:`fact_conflicts` grouped by subject (the head noun's lemma, e.g. "troop"): each
    conflict lists every disagreeing fact, by independent support then story order."""
    order = {id(f): i for i, f in enumerate(facts)}
    by_subject: dict[str, list[Fact]] = {}
    for fact_a, fact_b in fact_conflicts(facts):
        parsed = _parse_fact_text(fact_a)
        subject = parsed[0] if parsed is not None else fact_a.text
        members = by_subject.setdefault(subject, [])
        members.extend(f for f in (fact_a, fact_b) if all(f is not m for m in members))
    return tuple(Conflict(subject, tuple(sorted(members, key=lambda f: (
        -f.independent_support, order[id(f)])))) for subject, members in by_subject.items())


def fact_conflicts(facts: tuple[Fact, ...] | list[Fact]) -> list[tuple[Fact, Fact]]:
    """Pairs of quantity facts about the same head noun whose magnitudes disagree.

    Only counts with a head noun are compared: durations, dates, money and percentages of a
    story usually measure different things, so their differences are not conflicts.
    """
    keyed: list[tuple[str, float, Fact]] = []
    for fact in facts:
        parsed = _parse_fact_text(fact)
        if parsed is not None:
            keyed.append((*parsed, fact))
    out: list[tuple[Fact, Fact]] = []
    for i, (head_a, value_a, fact_a) in enumerate(keyed):
        for head_b, value_b, fact_b in keyed[i + 1:]:
            if head_a == head_b and _differs(value_a, value_b):
                out.append((fact_a, fact_b))
    return out


def _parse_fact_text(fact: Fact) -> tuple[str, float] | None:
    """(head, value) of a quantity fact's display text, via the same finder that made it."""
    if fact.kind != "quantity":
        return None
    for _, _, _, (head, value), _ in _counts(fact.text):
        if head != "duration":
            return head, float(value)
    return None


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > CONFLICT_RELATIVE_GAP * max(abs(a), abs(b))
