"""Why two articles are (or are not) the same story: one similarity score with its evidence.

:func:`explain_pair` is a cascade of small functions over two :class:`~storyline.model.Article`:

1. :func:`_side` — what each article offers, computed once: language (``Article.lang``, else
   detected), weighted content terms of body and title (:func:`terms`: content words, CJK runs as
   character bigrams), sentences, language-independent numbers (:func:`numbers`) and resolved
   dates (:mod:`storyline.synth.dates`).
2. Lexical signals — :func:`cosine` of the body terms and of the title terms.
3. :func:`_entities` — :func:`~storyline.synth.entities.extract_entities` on a two-article
   :class:`~storyline.model.StoryContext`; an entity cited by both articles is shared, and names
   left unshared are paired across languages by transliteration keys (``Lawrow`` = ``Lavrov``).
   Score: Jaccard over people, places and organisations.
4. :func:`_numbers` / :func:`_dates` — Jaccard over number values and resolved calendar days.
5. :func:`_passages` — the best one-to-one sentence pairs by rapidfuzz (top :data:`TOP_PASSAGES`).
6. :func:`_combine` — the weighted mean of the signals *present in both articles* (an article
   without a title, dates or numbers says nothing about them: absent is not dissimilar), with
   weights for same- or cross-language pairs, damped by a Gaussian on the day gap; then the
   verdict by :data:`SAME_STORY_MIN` / :data:`RELATED_MIN`.

Nothing here is fitted at run time: the weights and thresholds below are constants calibrated
by ``bench/semeval_similarity.py`` on the SemEval-2022 Task 8 *training* sample.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from storyline.config import Settings
from storyline.errors import InputError
from storyline.lang import detect_language
from storyline.link import anchors
from storyline.model import Article, Entity, StoryContext
from storyline.synth.dates import find_date_mentions, resolve_date
from storyline.synth.entities import extract_entities
from storyline.synth.facts import find_mentions
from storyline.text import STOPWORDS, split_sentences, tokens

__all__ = ["RELATED_MIN", "SAME_STORY_MIN", "SIGNALS", "PairExplanation", "Passage", "Signal",
           "cosine", "explain_files", "explain_pair", "numbers", "renderables", "terms",
           "verdict"]

# --- thresholds and weights ------------------------------------------------------------------
# Calibrated with bench/semeval_similarity.py on the SemEval-2022 Task 8 training sample only
# (ratings 1 = same story … 4 = unrelated; the figures to quote come from the testing sample),
# and checked on the Geneva seeds (000 vs 004: same story). Re-run the bench after any change.

# Overall similarity from which a pair is the same story / a related one: the pair of
# thresholds with the best accuracy on three rating bands (≤ 1.5 same story, ≥ 3.5 different)
# on the training sample (0.29 / 0.08 with the weights below), rounded up.
SAME_STORY_MIN = 0.30
RELATED_MIN = 0.10

# Weight of each signal in the overall similarity (renormalised over the signals present):
# the shares of a non-negative least-squares fit of the per-signal scores to the ratings on the
# training sample, rounded, one fit per language situation. The sample has almost no dated
# pairs (8 of 1,283) and no titled cross-language pair, so those two weights are set by hand.
# Same-language pairs: the lexical signals carry most of the evidence (aligned passages add
# nothing over the body cosine here; they stay in the report as evidence to read).
SAME_LANGUAGE_WEIGHTS: Mapping[str, float] = {
    "body": 0.55, "title": 0.20, "entities": 0.10, "numbers": 0.10, "dates": 0.05,
    "passages": 0.0,
}
# Cross-language pairs: names, numbers and shared cognates/loan words still meet.
CROSS_LANGUAGE_WEIGHTS: Mapping[str, float] = {
    "body": 0.50, "title": 0.05, "entities": 0.20, "numbers": 0.08, "dates": 0.07,
    "passages": 0.10,
}
SIGNALS: tuple[str, ...] = ("body", "title", "entities", "numbers", "dates", "time", "passages")
# The time term multiplies the rest: similarity × (TIME_FLOOR + (1 − TIME_FLOOR) × gauss(gap)).
# A story is one event, so the same topic weeks apart falls from "same story" to at most half
# its score ("related"); the floor keeps long-running coverage from reading as "different".
# Gaussian sigma: Settings.time_sigma_days (DESIGN.md: ~3 days).
TIME_FLOOR = 0.5

# Aligned passages reported and averaged into the passage signal.
TOP_PASSAGES = 3
# rapidfuzz score (0-100, max of ratio and token_sort_ratio over content words) that unrelated
# sentences reach by chance: seeds 000 vs an unrelated sports article ≈ 35-45, so the passage
# signal maps [PASSAGE_FLOOR, 100] to [0, 1]. Seeds 000↔001 (a rewrite) pairs score ≥ 70.
PASSAGE_FLOOR = 40.0
# A sentence takes part in the alignment only with this many content terms.
MIN_PASSAGE_TERMS = 4
# At most this many sentences per article are aligned (cost is quadratic; leads matter most).
MAX_PASSAGE_SENTENCES = 150

# Numbers below this (without a scale word) are too common to be evidence ("2 people").
MIN_NUMBER_VALUE = 10.0
# Whole numbers in this range, written without separators or scale, are years (dates cover time).
YEAR_RANGE = (1900, 2100)

# Transliteration keys this short ("Li", "Wu", "Rao") match too easily across languages.
MIN_NAME_KEY_CHARS = 3

# --- word lists and patterns (the only place this module defines them) ----------------------
# Function words of the languages in the SemEval sample beyond English (text.STOPWORDS): a term
# weighting without IDF must drop them itself. Written by hand: the most frequent function
# words of each language, nothing that could be a name.
FOREIGN_STOPWORDS = frozenset("""
der die das den dem des ein eine einer einem einen und oder aber ist sind war waren wird werden
wurde wurden hat haben hatte nicht auch auf aus bei mit nach von vor zu zum zur im in an am als
wie für über unter durch sich sie er es wir ihr ich man noch nur schon so dass daß bis um mehr
sein seine ihre ihren diese dieser dieses kann soll muss können sollen wenn weil doch
el la los las un una unos unas y o pero es son fue fueron ser está están ha han había de del al
en con por para sin sobre entre que se su sus lo le les como más muy ya también este esta estos
estas ese esa eso cuando donde porque
le la les un une des et ou mais est sont été être a ont avait de du au aux en dans par pour sur
avec sans que qui se sa son ses ce cette ces il elle ils elles nous vous pas plus ne comme aussi
il lo gli i una uno e ed o ma è sono stato era di del della dei delle al alla ai nel nella con
per su tra fra che si suo sua suoi non più come anche questo questa
w z na i a o do od że się nie jest są był była było to jak ale za po przez dla oraz jego jej ich
ve ile bir bu şu da de ki ne için gibi daha çok olan olarak değil ise veya ama en
и в во на с со по к о об от до из за не что это как а но же ли бы был была было были он она
они его ее её их также для при
""".split())
# CJK scripts are written without spaces: their runs become overlapping character bigrams.
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")
_CJK_SENTENCE_END = re.compile(r"(?<=[。！？])")
# A number: grouped digits (100,000 / 100.000 / 100 000 with a no-break or thin space), or
# plain digits with an optional decimal part; then an optional scale word in the sample's
# languages, or a CJK scale character written right after the digits ("10万").
_GROUPED = r"\d{1,3}(?P<sep>[.,\u00a0\u202f\u2009])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d+)?"
_PLAIN = r"\d+(?:[.,]\d+)?"
_SCALE_WORDS: Mapping[str, float] = {
    "thousand": 1e3, "tausend": 1e3, "mil": 1e3, "mille": 1e3, "tysięcy": 1e3, "тысяч": 1e3,
    "тыс": 1e3,
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "millones": 1e6,
    "millón": 1e6, "milione": 1e6, "milioni": 1e6, "miliony": 1e6, "milionów": 1e6,
    "milyon": 1e6, "mln": 1e6, "млн": 1e6, "миллионов": 1e6, "миллиона": 1e6,
    "billion": 1e9, "billions": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
    "milliard": 1e9, "milliards": 1e9, "miliardi": 1e9, "miliardo": 1e9, "miliardów": 1e9,
    "milyar": 1e9, "млрд": 1e9, "bn": 1e9,
}
_CJK_SCALES: Mapping[str, float] = {"千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_SCALE_ALT = "|".join(sorted((re.escape(w) for w in _SCALE_WORDS), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![A-Za-zÀ-ɏ0-9_.,/-])(?P<num>{_GROUPED}|{_PLAIN})"
    rf"(?:\s?(?P<scale>(?i:{_SCALE_ALT}))(?![^\W\d_])|(?P<cjk>[{''.join(_CJK_SCALES)}]))?"
)
# A number glued to Latin letters or digits after it ("21st", "4G", "S-400" is caught before).
_GLUED_AFTER = re.compile(r"[A-Za-zÀ-ɏ0-9]")
_FACT_KINDS = frozenset({"quantity", "money", "percent"})
_PLACE_ORG_PERSON = frozenset({"person", "place", "org"})


# --- results -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence: a score in [0, 1], or ``None`` when an article lacks it."""

    name: str
    score: float | None
    weight: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of A and its aligned sentence of B, with the rapidfuzz score (0-100)."""

    a: str
    b: str
    score: float


@dataclass(frozen=True, slots=True)
class PairExplanation:
    """How similar two articles are, why, and whether they tell the same story."""

    a_id: str
    b_id: str
    similarity: float
    verdict: str  # "same story" | "related" | "different"
    cross_language: bool
    languages: tuple[str, str]
    signals: tuple[Signal, ...]
    shared_entities: tuple[str, ...]
    shared_places: tuple[str, ...]
    shared_numbers: tuple[str, ...]
    shared_dates: tuple[str, ...]
    day_gap: float | None
    passages: tuple[Passage, ...]

    def score(self, name: str) -> float | None:
        """The score of one signal by name (``None`` when absent or unknown)."""
        return next((s.score for s in self.signals if s.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a_id": self.a_id, "b_id": self.b_id,
            "similarity": round(self.similarity, 4), "verdict": self.verdict,
            "cross_language": self.cross_language, "languages": list(self.languages),
            "signals": [{"name": s.name, "score": None if s.score is None else round(s.score, 4),
                         "weight": round(s.weight, 4), "detail": s.detail}
                        for s in self.signals],
            "shared_entities": list(self.shared_entities),
            "shared_places": list(self.shared_places),
            "shared_numbers": list(self.shared_numbers),
            "shared_dates": list(self.shared_dates),
            "day_gap": self.day_gap,
            "passages": [{"a": p.a, "b": p.b, "score": round(p.score, 1)} for p in self.passages],
            "thresholds": {"same_story": SAME_STORY_MIN, "related": RELATED_MIN},
        }


@dataclass(frozen=True, slots=True)
class _Side:
    article: Article
    lang: str
    body: Mapping[str, float]
    title: Mapping[str, float]
    sentences: tuple[str, ...]
    numbers: Mapping[str, str]  # value key → first display form
    dates: frozenset[date]


# --- step 1: what each article offers ----------------------------------------------------------
def terms(text: str) -> list[str]:
    """Content terms: lower-cased words without stopwords (English and :data:`FOREIGN_STOPWORDS`)
    and one-letter words; CJK runs as overlapping character bigrams."""
    out: list[str] = []
    for token in tokens(text):
        if _CJK_RUN.search(token):
            for run in _CJK_RUN.findall(token):
                out.extend([run] if len(run) == 1 else
                           [run[i:i + 2] for i in range(len(run) - 1)])
            rest = _CJK_RUN.sub(" ", token).split()
            out.extend(t for t in rest if len(t) > 1)
        elif len(token) > 1 and token not in STOPWORDS and token not in FOREIGN_STOPWORDS:
            out.append(token)
    return out


def _weights(words: Iterable[str]) -> dict[str, float]:
    """Sub-linear term weights ``1 + log(tf)``, L2-normalised.

    No IDF on purpose: fitted on the two documents alone, IDF is degenerate (every shared term
    gets the lowest weight, so sharing words would *lower* the cosine), and a corpus IDF would
    make one pair's score depend on what else was read. Stopword removal does the job IDF does
    for the most frequent words; sub-linear tf keeps one repeated word from dominating.
    """
    counts = Counter(words)
    weights = {w: 1.0 + math.log(c) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {w: v / norm for w, v in weights.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return min(1.0, sum(v * large.get(k, 0.0) for k, v in small.items()))


def _fmt(value: float) -> str:
    """Stable text of a value for matching (same form as the fact ledger's keys)."""
    return f"{value:.6g}"


def _parse_digits(raw: str, sep: str | None) -> float | None:
    if sep:  # grouped: the separator repeats every three digits; the other one is decimal
        whole, _, decimal = raw.replace(sep, "").replace(",", ".").partition(".")
        text = f"{whole}.{decimal}" if decimal else whole
    else:
        text = raw.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def numbers(text: str) -> dict[str, str]:
    """Language-independent numbers of a text: value key → display form as first written.

    "100,000", "100.000", "100 000" (no-break space), "100 thousand", "100 mil", "10万" all give
    the key ``"100000"``. Dates' digits, years, small numbers and numbers glued to letters are
    left out (see :data:`MIN_NUMBER_VALUE`, :data:`YEAR_RANGE`).
    """
    date_spans = [(m.start, m.end) for m in find_date_mentions(text)]
    out: dict[str, str] = {}
    for match in _NUMBER.finditer(text):
        if any(s <= match.start() < e for s, e in date_spans):
            continue
        after = text[match.end():match.end() + 1]
        if not (match.group("scale") or match.group("cjk")) and _GLUED_AFTER.match(after):
            continue
        raw = match.group("num")
        value = _parse_digits(raw, match.group("sep"))
        if value is None:
            continue
        scale = match.group("scale")
        if scale:
            value *= _SCALE_WORDS[scale.lower()]
        elif match.group("cjk"):
            value *= _CJK_SCALES[match.group("cjk")]
        elif value < MIN_NUMBER_VALUE or (raw.isdigit() and len(raw) == 4
                                          and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]):
            continue
        out.setdefault(_fmt(value), match.group(0).strip())
    return out


def _fact_numbers(article: Article) -> dict[str, str]:
    """Quantities the fact ledger finds (spelled-out numbers with a head noun: "two divisions")."""
    out: dict[str, str] = {}
    for mention in find_mentions(article, 0):
        if mention.kind in _FACT_KINDS and mention.key[0] != "duration":
            out.setdefault(mention.key[1], mention.display)
    return out


def _sentences(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for sentence in split_sentences(text):
        out.extend(s.strip() for s in _CJK_SENTENCE_END.split(sentence) if s.strip())
    return tuple(out[:MAX_PASSAGE_SENTENCES])


def _side(article: Article, other: Article) -> _Side:
    lang = (article.lang or detect_language(article.text)).lower()
    found = _fact_numbers(article)
    found.update(numbers(article.text))  # digit forms read better than fact phrases
    # Relative dates ("Friday") resolve against the article's own date, else the other's
    # (the reference day of a two-article story).
    dated = article if article.date is not None else other
    ref = dated.date.date() if dated.date is not None else None
    days = {resolve_date(m.text, ref) for m in find_date_mentions(article.text)}
    return _Side(
        article=article, lang=lang, body=_weights(terms(article.text)),
        title=_weights(terms(article.title)), sentences=_sentences(article.text),
        numbers=found, dates=frozenset(d for d in days if d is not None),
    )


# --- steps 3-5: shared items -------------------------------------------------------------------
def _jaccard(shared: int, a: int, b: int) -> float | None:
    union = a + b - shared
    return shared / union if a and b and union else None


def _name_key(name: str) -> str:
    """Transliteration key of a name's last word ("Lawrow" and "Lavrov" → the same key)."""
    keys = sorted(anchors(name.split()[-1])) if name.split() else []
    return keys[0] if keys else name.lower()


def _entities(a: _Side, b: _Side) -> tuple[float | None, list[Entity]]:
    """Jaccard over people/places/orgs, and the shared entities (all kinds).

    Names cited by one article only are paired across articles by the transliteration key of
    their last word ("Sergej Lawrow" = "Sergey Lavrov"); one side of the pair must be a person,
    place or organisation (the other may be unclassified: German capitalises every noun).
    """
    pair = (dataclasses.replace(a.article, id="a"), dataclasses.replace(b.article, id="b"))
    found = extract_entities(StoryContext("pair", pair))
    shared = [e for e in found if {"a", "b"} <= set(e.article_ids)]
    only_a = [e for e in found if e.article_ids == ("a",)]
    only_b = [e for e in found if e.article_ids == ("b",)]
    by_key = {_name_key(e.name): e for e in reversed(only_a)}
    matched: set[int] = set()
    for e in only_b:
        key = _name_key(e.name)
        match = by_key.get(key)
        if (match is None or id(match) in matched or len(key) <= MIN_NAME_KEY_CHARS
                or not {match.kind, e.kind} & _PLACE_ORG_PERSON):
            continue
        matched.update((id(match), id(e)))
        kind = match.kind if match.kind in _PLACE_ORG_PERSON else e.kind
        shared.append(dataclasses.replace(match, kind=kind, aliases=(*match.aliases, e.name),
                                          article_ids=("a", "b")))
    counted = sum(1 for e in shared if e.kind in _PLACE_ORG_PERSON)
    alone_a = sum(1 for e in only_a if id(e) not in matched and e.kind in _PLACE_ORG_PERSON)
    alone_b = sum(1 for e in only_b if id(e) not in matched and e.kind in _PLACE_ORG_PERSON)
    if not (counted + alone_a) or not (counted + alone_b):
        return None, shared
    return counted / (counted + alone_a + alone_b), shared


def _passages(a: _Side, b: _Side) -> tuple[float | None, list[Passage]]:
    """Best one-to-one sentence pairs (greedy by score) and the passage signal."""
    keep_a = [(s, " ".join(t)) for s in a.sentences if len(t := terms(s)) >= MIN_PASSAGE_TERMS]
    keep_b = [(s, " ".join(t)) for s in b.sentences if len(t := terms(s)) >= MIN_PASSAGE_TERMS]
    if not keep_a or not keep_b:
        return None, []
    left, right = [k for _, k in keep_a], [k for _, k in keep_b]
    scores = np.maximum(process.cdist(left, right, scorer=fuzz.ratio),
                        process.cdist(left, right, scorer=fuzz.token_sort_ratio))
    order = np.argsort(-scores, axis=None, kind="stable")
    used_a: set[int] = set()
    used_b: set[int] = set()
    found: list[Passage] = []
    for flat in order:
        i, j = divmod(int(flat), scores.shape[1])
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        found.append(Passage(keep_a[i][0], keep_b[j][0], float(scores[i, j])))
        if len(found) == TOP_PASSAGES:
            break
    mean = sum(p.score for p in found) / len(found)
    return max(0.0, (mean - PASSAGE_FLOOR) / (100.0 - PASSAGE_FLOOR)), found


# --- step 6: the overall score -----------------------------------------------------------------
def _day_gap(a: Article, b: Article) -> float | None:
    if a.date is None or b.date is None:
        return None
    da, db = a.date, b.date
    if (da.tzinfo is None) != (db.tzinfo is None):
        da, db = da.replace(tzinfo=None), db.replace(tzinfo=None)
    return abs((da - db).total_seconds()) / 86_400.0


def _combine(signals: Sequence[Signal]) -> float:
    content = [s for s in signals if s.name != "time" and s.score is not None and s.weight > 0]
    total = sum(s.weight for s in content)
    base = sum(s.weight * (s.score or 0.0) for s in content) / total if total else 0.0
    time = next((s.score for s in signals if s.name == "time"), None)
    if time is not None:
        base *= TIME_FLOOR + (1.0 - TIME_FLOOR) * time
    return min(1.0, max(0.0, base))


def verdict(similarity: float) -> str:
    """"same story" / "related" / "different" by :data:`SAME_STORY_MIN` and :data:`RELATED_MIN`."""
    if similarity >= SAME_STORY_MIN:
        return "same story"
    return "related" if similarity >= RELATED_MIN else "different"


def explain_pair(a: Article, b: Article, settings: Settings | None = None) -> PairExplanation:
    """Similarity of two articles with the evidence behind it (module docstring: the cascade)."""
    settings = settings or Settings()
    sa, sb = _side(a, b), _side(b, a)
    cross = bool(sa.lang and sb.lang and sa.lang != sb.lang)
    weights = CROSS_LANGUAGE_WEIGHTS if cross else SAME_LANGUAGE_WEIGHTS

    entity_score, shared = _entities(sa, sb)
    number_keys = [k for k in sa.numbers if k in sb.numbers]
    dates = sorted(sa.dates & sb.dates)
    gap = _day_gap(a, b)
    sigma = settings.time_sigma_days
    time = (math.exp(-(gap * gap) / (2.0 * sigma * sigma)) if gap is not None and sigma > 0
            else None)
    passage_score, passages = _passages(sa, sb)

    signals = (
        Signal("body", cosine(sa.body, sb.body) if sa.body and sb.body else None,
               weights["body"], "cosine of log-tf content terms"),
        Signal("title", cosine(sa.title, sb.title) if sa.title and sb.title else None,
               weights["title"], "cosine of log-tf title terms"),
        Signal("entities", entity_score, weights["entities"],
               f"{sum(1 for e in shared if e.kind in _PLACE_ORG_PERSON)} shared people/places/"
               "orgs (Jaccard)"),
        Signal("numbers", _jaccard(len(number_keys), len(sa.numbers), len(sb.numbers)),
               weights["numbers"], f"{len(number_keys)} shared numbers (Jaccard)"),
        Signal("dates", _jaccard(len(dates), len(sa.dates), len(sb.dates)), weights["dates"],
               f"{len(dates)} shared dates (Jaccard)"),
        Signal("time", time, 0.0, "no dates" if gap is None
               else f"{gap:.1f} day gap, Gaussian sigma {sigma:g} d (multiplies the rest)"),
        Signal("passages", passage_score, weights["passages"],
               f"mean of top {len(passages)} aligned sentence pairs"),
    )
    similarity = _combine(signals)
    return PairExplanation(
        a_id=a.id, b_id=b.id, similarity=similarity, verdict=verdict(similarity),
        cross_language=cross, languages=(sa.lang, sb.lang), signals=signals,
        shared_entities=tuple(e.name for e in shared),
        shared_places=tuple(e.name for e in shared if e.kind == "place"),
        shared_numbers=tuple(sa.numbers[k] for k in number_keys),
        shared_dates=tuple(d.isoformat() for d in dates),
        day_gap=None if gap is None else round(gap, 3),
        passages=tuple(passages),
    )


# --- files (used by the CLI) -------------------------------------------------------------------
def _first_article(path: str | Path, settings: Settings) -> tuple[Article, list[str]]:
    from storyline.clean import clean_articles  # the cleaner loads its line model lazily
    from storyline.read import read_inputs

    read = read_inputs([path], settings)
    cleaned, skips = clean_articles(read.articles, settings)
    if not cleaned:
        reasons = "; ".join(str(s) for s in [*read.skips, *skips]) or "no article"
        raise InputError(f"{path}: no usable article ({reasons}); pass a readable article file")
    notes = []
    if len(cleaned) > 1:
        notes.append(f"{path} holds {len(cleaned)} articles; using the first ({cleaned[0].id})")
    return cleaned[0], notes


def explain_files(path_a: str | Path, path_b: str | Path, settings: Settings | None = None
                  ) -> tuple[PairExplanation, list[str]]:
    """:func:`explain_pair` on the first article of each file, with notes for the user."""
    settings = settings or Settings()
    a, notes_a = _first_article(path_a, settings)
    b, notes_b = _first_article(path_b, settings)
    return explain_pair(a, b, settings), notes_a + notes_b


def renderables(explanation: PairExplanation, notes: Sequence[str] = ()) -> list[Any]:
    """Rich tables of an explanation (signals, shared items, aligned passages) for a terminal.

    Article text is untrusted: every string from it is passed through ``rich.markup.escape``.
    """
    from rich.markup import escape
    from rich.table import Table

    e = explanation
    head = Table.grid(padding=(0, 1))
    head.add_row("[bold]verdict[/bold]", f"[bold]{escape(e.verdict)}[/bold] "
                 f"(similarity {e.similarity:.3f}; same story ≥ {SAME_STORY_MIN}, "
                 f"related ≥ {RELATED_MIN})")
    head.add_row("articles", f"A = {escape(e.a_id)} ({escape(e.languages[0] or '?')}), "
                 f"B = {escape(e.b_id)} ({escape(e.languages[1] or '?')})"
                 + (" · cross-language" if e.cross_language else ""))
    for note in notes:
        head.add_row("note", escape(note))
    signals = Table(title="signals", title_justify="left")
    for column, justify in (("signal", "left"), ("score", "right"), ("weight", "right"),
                            ("how", "left")):
        signals.add_column(column, justify=justify)  # type: ignore[arg-type]
    for s in e.signals:
        score = "absent" if s.score is None else f"{s.score:.3f}"
        weight = "×" if s.name == "time" else f"{s.weight:.2f}"
        signals.add_row(s.name, score, weight, escape(s.detail))
    shared = Table(title="shared", title_justify="left", show_header=False)
    shared.add_column("what")
    shared.add_column("items")
    for label, items in (("entities", e.shared_entities), ("places", e.shared_places),
                         ("numbers", e.shared_numbers), ("dates", e.shared_dates)):
        shared.add_row(label, escape(", ".join(items)) or "—")
    shared.add_row("day gap", "—" if e.day_gap is None else f"{e.day_gap:g} days")
    passages = Table(title="aligned passages", title_justify="left")
    passages.add_column("score", justify="right")
    passages.add_column("A")
    passages.add_column("B")
    for p in e.passages:
        passages.add_row(f"{p.score:.0f}", escape(p.a), escape(p.b))
    return [head, signals, shared, passages]
