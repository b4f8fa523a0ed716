"""The quote ledger of one story: direct quotes, their speakers, and every outlet carrying them.

The cascade, in order:

1. :func:`_find_spans` — quoted spans of each paragraph, straight or curly marks or doubled
   apostrophes (``''…''``, the New York Times), mismatched
   pairs tolerated (``'carte blanche…"``), apostrophes inside words ignored; a double mark left
   open runs to the paragraph end, cut before a narrative clause (", referring to…"); an
   unclosed single mark is taken for an apostrophe and ignored; a close-only mark right after
   ``.,!?`` closes even with no space after it (``…to me,”Clinton said``); a double quote
   of the other style inside an open one, closed before the outer style recurs, is nested
   in it (``"…isn’t about “Equal Justice Under Law” anymore.``), not a new quote.
   Before the rules below, a quote in a title-case headline (the article's first paragraph)
   takes the headline's opening subject when the entity list knows it: ``Carly Fiorina
   Endorses Ted Cruz: I Am ‘Horrified’…`` is Fiorina's, not Cruz's.
2. :func:`~storyline.synth.attribution.attribute_spans` (in :mod:`storyline.synth.attribution`)
   — the speaker of each span, first rule that gives one wins:
   a. adjacent after the quote: ``"…," X said`` / ``"…," said X`` / ``"…," he said``, also
      across a short attribution sentence (``"…?" Sanders replied.``), past an appositive
      (``"…," Jeb Bush, the former governor, said``) or an aside (``"…," like the…, said
      Richard Curtin``) or a short quote inside the attribution (``"…," Bill Eastland,
      wearing "Ted Cruz" pins, said``); a participle after a quote has no inverted subject
      (``"…," adding that Trump…``) and what follows it is no description (``"…,"
      promising the Friends of Abe…``); a verb just before the quote beats a far one after it;
      a name or role after the verb with a verb of its own opens what was said, and the
      sentence subject speaks (``Mr. Manafort, citing ''…,'' said the candidate could…``); an
      attribution sentence after a question may run long, on to a later quote that has a cue
      of its own (``“…Three?” Clinton asks as a guy walks in, saying he’s “…”``); one opened
      by "And"/"But" is a new statement (``“…doing.” And Sen. Rob Portman… said``);
   b. adjacent before it: ``X said, "…"`` / ``X said: "…"`` / ``X, who said on Twitter, "…"``
      / ``Schilling told WEEI: "…"`` (the verb's subject, not its object);
   a passive speech verb takes its agent (``Sanders was asked by host Bill Maher``);
   title-case headline verbs and two-word cues count (``Hollande Says Trump ‘…’``, ``Trump
   shot back``, ``as Ridge put it``, ``As Akhil Amar, professor…, put it, ''…''``), so do
   reactions (``an angry Hollande retaliated``) and ``was prompted to say``; a sentence that
   ends on its speech verb introduces the next quote; an infinitive after the verb is no
   audience (``Rubio will continue to be “…”`` has no cue); a speech noun after a
   determiner and an adjective is no verb (``in a Trumpian post``);
   c. the nearest unclaimed speech verb before it in the same sentence (``X said he did not
      "expect…"``); a speech noun that leads into the quote through "that", "of" or "for"
      is its owner's (``his call for "a total and complete ban"``, ``her claim that she
      "never sent…"``; not ``Ginsburg's comments "show bias"``, where the quote is what is
      said of the comments); a participle (``…, adding "…"``) takes the subject of the sentence's
      finite speech verb, else the sentence subject (adverbs before the participle change
      nothing; an unnamed subject such as ``One operative inside Trump Tower`` beats a name
      in its predicate; ``kept asking`` takes the subject of "kept"; in an absolute clause
      the name after "with" is its own: ``…, with Trump reportedly yelling: “…”``); a verb
      set off by commas names the speaker after it (``The paradox of Nancy, says Carl
      Anthony, historian…, is that…``); an unnamed subject of a relative clause is kept as written
      (``in what one Latino conservative has dubbed ''…''``);
   d. the first unclaimed speech verb after it in the sentence (``"grateful"…, Lavrov told X``),
      not one in a contrasting clause (``“…,” while Rep. Louis Gohmert suggested…``);
   e. ``according to X`` (a document or poll as written when no name is given: "a
      Quinnipiac poll"); b'. a colon cue without a verb (``Michael McDonald: "…"``), also a
      headline cue anywhere before the quote; a bare attribution sentence just before the
      quote (``Dianne Bystrom agreed. "…"``); a name after an object marker and a role
      before the colon is no speaker (``…to the Dutch newspaper NRC Handelsblad: “…”``);
   when the words left of a verb name nobody, a definite role right before it is taken as
   written (``after the Democratic front-runner had said``), else the subject opening the
   sentence (``Carson did not…, but told his supporters, "…"``), past a leading clause
   (``When asked whom she supported, Ms. Sherry…``, ``In an interview with The Wall Street
   Journal, Trump…``);
   f. continuation: a quote joined by "and" or a comma to the next quote of its sentence
      shares that quote's attribution (``Guns are "…" and "…," Dean proclaimed``); else a
      quote with none of these inherits the previous quote of the paragraph;
   h. a quote inside a narrative sentence with no speech verb takes the person or organisation
      the entity list knows opening that sentence (the longest known opening of a title-case
      headline: ``Trump Addresses Munich Attack: ‘…’``);
   i. a quote that is a sentence of its own, with no speech verb left in its sentence, right
      after a sentence without quotes that reports someone's words (``Lynch announced the
      lawsuit on Monday. “We are seeking…”``) takes the subject of that sentence's first
      speech verb;
   appositives, ages, places, parentheses, prepositional asides and relative clauses between
   a name and its verb are skipped (``Brian Fallon, a spokesman for the campaign, said`` /
   ``Cory James, 22, of Flint, Mich., said`` / ``said the bureau's director, James B. Comey``
   / ``Clinton, during a town hall meeting in Columbus, Ohio, said`` / ``Mr. Slinker, whose
   start-up, Paradata, uses…, said``), and so are chains of "of"/"in" after a name
   (``Darran Whiting of Liberty Baptist Church in Marion, said``), a party-of-state
   appositive (``Capito, Republican of West Virginia, called``) and a newspaper's name set off
   after it (``…official newspaper, L'Osservatore Romano, said``); a speech noun after a
   determiner, a possessive or "of" ("Trump's claim") names no subject;
   g. across paragraphs (:func:`_across_paragraphs`): a paragraph opening with an unattributed
      quote takes the speaker announced by a previous paragraph ending in a colon, else the
      speaker of the previous paragraph's last quote, else (a previous paragraph without
      quotes) the speaker its last sentence reports as in rule i (``Carter said that… ¶
      “That’s because…”``) when the quote stands alone in a paragraph without a speech verb;
      a quote paragraph signed by the next one (``- Clinton.``, ``-Michelle Marks,
      Philadelphia.``) takes that name.
   A subject phrase is resolved by :class:`~storyline.synth.entities.NameIndex` (titles stripped,
   surname → full name, unique titles such as "the US Secretary of State" → their holder);
   a name the entity list missed is taken as written when it is name-shaped and no date,
   number, street or landmark; an owner's body speaks as the owner's ("Paul Ryan’s office");
   an unnamed source keeps its description ("a senior Cruz adviser", "one Republican", "the
   Florida senator"). "he"/"she" go to the most salient gender-compatible person of the
   nearest earlier sentence naming one: the subjects of its speech verbs first (the name
   after a verb that follows a quote included: ``No Child Left Behind was “…,” said Gary
   Orfield``), then people named outside prepositional phrases, a main clause's before a
   leading clause's, a stated gender before an unknown one; a sentence the same pronoun opens
   is skipped, and in a sentence where it is the subject of a speech verb further on only the
   names before it count (``…, he noted, so Trump may…``: not Trump); a pronoun closing its
   sentence as the attribution of the clause before it (``Trump isn't a conservative, he
   said.``) looks only at earlier sentences; quoted passages are
   ignored; plural groups never qualify. "they" and places never become speakers; an outlet
   does only as the grammatical subject of a speech verb (``"…," CNN reported``), never as a
   credit (``according to Bloomberg``).
   A double quote left open at its paragraph end and resumed by the next paragraph's opening
   mark is one multi-paragraph quote (:func:`_scan`); :func:`find_quote_spans` exposes steps 1–3
   with character offsets (the PolNeAR evaluation scores that code path).
3. Fragments: quotes under :data:`MIN_QUOTE_WORDS` words ("open", "minor incursion") are kept as
   partial quotes only when rules a–e name their speaker; scare quotes without a speech verb
   are dropped. So Biden's "minor incursion" survives where a sentence says Biden said it.
4. :func:`_unmarked_quotes` — a rewrite that dropped the marks is found by aligning every quote
   of :data:`UNMARKED_MIN_WORDS`+ words against the other articles' paragraphs (rapidfuzz
   partial alignment); the aligned text becomes a quote of that article.
5. :func:`_merge` — quotes of all articles are grouped when their normal forms (case,
   punctuation, curly/straight marks folded) match fuzzily and their speakers agree; a
   fragment joins a longer quote that contains it. The canonical wording is the one with the
   most independent support (``ctx.independent_support``), then one carried by an original,
   then the longest, then the earliest; other wordings become ``variants``. The speaker is the
   best-supported one named in the group.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from storyline.model import Article, Entity, Quote, QuoteVariant, StoryContext
from storyline.synth.attribution import (
    MarkedSpan,
    Paragraph,
    SpeakerResolver,
    attribute_spans,
    intro_speaker,
    lead_speaker,
)
from storyline.synth.entities import (
    NameIndex,
    build_name_index,
)
from storyline.text import fold, word_count

__all__ = ["QuoteSpan", "extract_quotes", "find_quote_spans"]

_PUNCT = re.compile(r"[^\w\s]")

# --- thresholds --------------------------------------------------------------------------------
# Quotes shorter than this are fragments (kept only with an explicit speaker, see step 3).
MIN_QUOTE_WORDS = 3
# Shortest quote searched for without marks in other articles; shorter spans match by chance.
UNMARKED_MIN_WORDS = 8
# Alignment score for an unmarked rewrite (Zelenskiy "minor"→"small" ×3 scores 96; unrelated
# sentences of the same story stay under 70). Calibrated on the seeds.
UNMARKED_MIN_SCORE = 85.0
# Before aligning, a paragraph must contain at least this share of the quote's words of 4+
# letters (as substrings). An alignment scoring UNMARKED_MIN_SCORE keeps 85 % of the quote's
# characters in order, so far more of its words survive; the test skipped 85 % of the
# alignments on 300 synthetic articles and none that reached the score (checked on 300 and
# 1,000 synthetic articles and the seeds: identical exports).
UNMARKED_MIN_WORD_SHARE = 0.25
_PREFILTER_WORD = re.compile(r"[a-z0-9']{4,}")
# Two wordings are one quote at this fuzz.ratio of their normal forms ("We're"/"We are",
# "minor"/"small"); a fragment joins a longer quote at this partial_ratio.
MERGE_RATIO = 80.0
CONTAINS_RATIO = 95.0



# --- marks and words (the only place they live) ------------------------------------------------
_DOUBLE = frozenset('"“”„«»')
_SINGLE = frozenset("'‘’‚")
_OPEN_ONLY = frozenset("“„«‘‚")
_CLOSE_ONLY = frozenset("”»")
_OPEN_BEFORE = frozenset(" \t([{—–-/:")
_CLOSE_AFTER = frozenset(" \t.,;:!?)]}—–-")
# Punctuation that ends the words of a quote: a close-only mark right after it closes the quote
# even when the space after the mark is missing.
_CLOSE_AFTER_PUNCT = frozenset(".,!?")
# Every mark, a doubled apostrophe first: ``''`` is a double mark in the New York Times texts.
_MARKS = re.compile("''|[\"“”„«»'‘’‚]")
# Where an unclosed quote most likely ended: a narrative participle after a comma.
_NARRATIVE_BREAK = re.compile(r",\s+(?:referring|according|adding|noting|citing|saying|"
                              r"speaking|writing)\b")
# A paragraph that only signs the quote before it: "- Sanders." / "— Hillary Clinton".
_SIGNATURE = re.compile(r"\s*[-—–]+\s*([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}?)"
                        r"(?:\.?\s*$|,\s+[^\"“”]{1,80}$)")
# (a tail after a comma is a place or a circumstance: "-Michelle Marks, Philadelphia.",
# "-President Obama, tweeting after Clinton's speech.")


@dataclass(frozen=True, slots=True)
class _Raw:
    article_id: str
    text: str
    speaker: str | None
    order: tuple[int, int, int]
    fragment: bool


# --- 1. spans ----------------------------------------------------------------------------------


def _mark_role(para: str, i: int, width: int = 1) -> str:
    """'open', 'close' or '' (an apostrophe or a stray mark) for the mark at ``i``; a doubled
    apostrophe (``''``, the New York Times' quote mark) has ``width`` 2 and reads as ``"``."""
    char = '"' if width == 2 else para[i]
    prev = para[i - 1] if i > 0 else " "
    nxt = para[i + width] if i + width < len(para) else " "
    # An invisible format character (a bidi mark pasted from social media) is no text.
    prev = " " if unicodedata.category(prev) == "Cf" else prev
    nxt = " " if unicodedata.category(nxt) == "Cf" else nxt
    if (char in _DOUBLE and prev == " " and i > 1 and para[i - 2] in "'’,.?!"
            and (nxt.isspace() or nxt in _CLOSE_AFTER)):
        # A stray space before the closing mark: ``'Well done,' " said Russell``,
        # ``a disgrace that he is doing this, " Trump said``.
        return "close"
    if char in _SINGLE and prev.isalnum() and nxt.isalnum():
        return ""  # don't, Russia's
    if char == '"' and width == 1 and prev in _CLOSE_AFTER_PUNCT and nxt.isupper():
        # No space on either side: ``audiences,"Katie Packer said`` closes an open quote,
        # ``he said,"We will`` opens one; the caller knows which.
        return "either"
    opening = (prev.isspace() or prev in _OPEN_BEFORE or prev in _DOUBLE or prev in _SINGLE) \
        and not nxt.isspace()
    closing = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_AFTER or nxt in _DOUBLE
                                      or nxt in _SINGLE)
    if char in _OPEN_ONLY:
        return "open" if not closing or opening else "close"
    if char in _CLOSE_ONLY and prev in _CLOSE_AFTER_PUNCT and nxt.isalpha():
        return "close"  # a space missing after the close: ``…to me,”Clinton said``
    if char in _CLOSE_ONLY or char == "’":
        return "close" if closing else ("open" if opening and char != "’" else "")
    if opening:
        return "open"
    return "close" if closing else ""


def _cut_unclosed(para: str, start: int) -> int:
    match = _NARRATIVE_BREAK.search(para, start)
    return match.start() if match else len(para.rstrip())


def _find_spans(para: str) -> list[MarkedSpan]:
    """Cascade step 1: quoted spans of one paragraph."""
    marks: list[tuple[int, int, str, str]] = []  # (offset, width, kind, role)
    for m in _MARKS.finditer(para):
        i, width = m.start(), len(m.group())
        kind = "d" if width == 2 or m.group() in _DOUBLE else "s"
        role = _mark_role(para, i, width)
        if role:
            marks.append((i, width, kind, role))
    spans: list[MarkedSpan] = []
    open_at: int | None = None
    open_width = 1
    open_kind = ""
    nested_until = -1
    for n, (i, width, kind, role) in enumerate(marks):
        if n <= nested_until:
            continue
        if role == "either":
            role = "open" if open_at is None else "close"
        if open_at is None:
            if role == "open":
                open_at, open_width, open_kind = i, width, kind
            continue
        inner = open_at + open_width
        if role == "open" and kind == "d" == open_kind and para[inner:i].strip():
            nested_until = _nested_close(para, marks, n, open_at, open_width)
            if nested_until > n:
                continue
        if role == "close":
            later_double = any(k == "d" and r == "close" for _, _, k, r in marks[n + 1:])
            if kind == open_kind or kind == "d" or not later_double:
                spans.append(MarkedSpan(open_at, inner, i, i + width))
                open_at = None
        elif kind == "d" and open_kind == "d":
            # A new opening double mark: the previous quote was never closed.
            end = min(_cut_unclosed(para, inner), i)
            spans.append(MarkedSpan(open_at, inner, end, end, closed=False))
            open_at, open_width, open_kind = i, width, kind
    if open_at is not None and open_kind == "d":
        end = _cut_unclosed(para, open_at + open_width)
        spans.append(MarkedSpan(open_at, open_at + open_width, end, end, closed=False))
    return [s for s in spans if _clean(para[s.start:s.end])]


def _is_straight(para: str, i: int, width: int) -> bool:
    return width == 2 or para[i] == '"'


def _nested_close(para: str, marks: Sequence[tuple[int, int, str, str]], n: int,
                  open_at: int, open_width: int) -> int:
    """Index in ``marks`` of the mark closing a quote nested at mark ``n`` inside the quote
    opened at ``open_at``, or -1. A nested quote switches style: curly inside straight
    (Breitbart: ``"…isn’t about “Equal Justice Under Law” anymore.``), closed before any mark
    of the outer style appears; or keeps it when the next two double marks both close (its own
    and the outer quote's). Otherwise a new opening mark restarts the quote as before."""
    outer_straight = _is_straight(para, open_at, open_width)
    i, width = marks[n][0], marks[n][1]
    if _is_straight(para, i, width) == outer_straight:
        # The same style nests only when the next two double marks both close: "…claim that
        # a deal “has to do with Israel” makes clear…,” wrote Morton Klein.
        closes = [m for m in range(n + 1, len(marks)) if marks[m][2] == "d"][:2]
        if len(closes) == 2 and all(marks[m][3] == "close" for m in closes):
            return closes[0]
        return -1
    for m in range(n + 1, len(marks)):
        j, w, kind, role = marks[m]
        if kind != "d":
            continue
        if _is_straight(para, j, w) == outer_straight:
            return -1
        return m if role == "close" else -1
    return -1


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip("\"'“”‘’„«» ").rstrip(",;: ").strip()


# --- 3/4. per-article quotes and unmarked rewrites --------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One direct quote of one article, with character offsets into ``article.text``.

    ``start``/``end`` cover the quoted words (marks excluded); a multi-paragraph quote spans
    from its first paragraph to its last. ``explicit`` says the speaker came from an attribution
    pattern (rules a–e) rather than from continuation; ``fragment`` marks a partial quote of
    fewer than :data:`MIN_QUOTE_WORDS` words.
    """

    start: int
    end: int
    text: str
    speaker: str | None
    explicit: bool
    fragment: bool
    paragraph: int


def _article_paras(article: Article, a_pos: int) -> list[Paragraph]:
    out: list[Paragraph] = []
    cursor = 0
    for p_pos, line in enumerate(article.text.splitlines(keepends=True)):
        offset = cursor
        cursor += len(line)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(Paragraph(article.id, (a_pos, p_pos), stripped, offset + lead, article.text))
    return out


@dataclass(frozen=True, slots=True)
class _Found:
    para: Paragraph
    span: MarkedSpan
    speaker: str | None
    explicit: bool


def _continues(prev: _Found, nxt: _Found) -> bool:
    """A quote left open at its paragraph end goes on at the next paragraph's opening mark."""
    return (not prev.span.closed and prev.span.end >= len(prev.para.text.rstrip())
            and nxt.span.outer_start == 0 and nxt.para.index[1] > prev.para.index[1])


def _join(parts: Sequence[_Found]) -> QuoteSpan:
    first, last = parts[0], parts[-1]
    text = " ".join(_clean(f.para.text[f.span.start:f.span.end]) for f in parts)
    named = [f for f in parts if f.explicit] or [f for f in parts if f.speaker]
    speaker, explicit = (named[0].speaker, named[0].explicit) if named else (None, False)
    return QuoteSpan(first.para.offset + first.span.start, last.para.offset + last.span.end,
                     text, speaker, explicit, word_count(text) < MIN_QUOTE_WORDS,
                     first.para.index[1])


def _signed_quotes(found: Sequence[_Found], paras: Sequence[Paragraph],
                   res: SpeakerResolver) -> list[_Found]:
    """A quote paragraph signed by the next one, fact-check style: ``"I went to Wall Street
    before the crash." ¶ - Clinton.``"""
    following = {p.index: paras[i + 1] for i, p in enumerate(paras[:-1])}
    out: list[_Found] = []
    for f in found:
        nxt = following.get(f.para.index)
        match = _SIGNATURE.match(nxt.text) if nxt is not None else None
        if f.speaker is None and match is not None and _whole_paragraph(f):
            speaker = res.name(match.group(1), loose=True)
            f = _Found(f.para, f.span, speaker, speaker is not None)
        out.append(f)
    return out


def _whole_paragraph(f: _Found) -> bool:
    """The quote ends its paragraph (nothing but punctuation after it)."""
    return not any(c.isalnum() for c in f.para.text[f.span.outer_end:])


def _kept(f: _Found) -> bool:
    return word_count(_clean(f.para.text[f.span.start:f.span.end])) >= MIN_QUOTE_WORDS


def _across_paragraphs(found: Sequence[_Found], paras: Sequence[Paragraph],
                       res: SpeakerResolver) -> list[_Found]:
    """Rule g: a paragraph opening with an unattributed quote takes its speaker from a previous
    paragraph that ends in a colon, else from the last quote of the previous paragraph (a
    speaker's quotes often run over several paragraphs with one attribution), else from the
    indirect speech a previous paragraph without quotes ends on (:func:`lead_speaker`)."""
    previous = {p.index: paras[i - 1] for i, p in enumerate(paras) if i}
    speakers = frozenset(f.speaker for f in found if f.explicit and f.speaker)
    out: list[_Found] = []
    for f in found:
        prev = previous.get(f.para.index)
        if f.speaker is None and prev is not None and (
                f.span.outer_start == 0 or (out and out[-1].para.index == f.para.index)):
            if out and out[-1].para.index == f.para.index:
                f = _Found(f.para, f.span, out[-1].speaker, False)
            elif prev.text.rstrip().endswith(":"):
                speaker = intro_speaker(prev, res)
                f = _Found(f.para, f.span, speaker, speaker is not None)
            elif out and out[-1].para.index == prev.index and out[-1].speaker and (
                    out[-1].explicit or _kept(out[-1])):
                f = _Found(f.para, f.span, out[-1].speaker, False)
            elif not (out and out[-1].para.index == prev.index):
                f = _Found(f.para, f.span, lead_speaker(prev, res, f.para, f.span, speakers),
                           False)
        out.append(f)
    return out


def _scan(paras: Sequence[Paragraph], res: SpeakerResolver) -> tuple[list[QuoteSpan], dict[
        tuple[int, int], list[MarkedSpan]]]:
    """Cascade steps 1–3 over one article's paragraphs: kept quotes and every span seen."""
    spans_of: dict[tuple[int, int], list[MarkedSpan]] = {}
    found: list[_Found] = []
    for p in paras:
        spans = _find_spans(p.text)
        spans_of[p.index] = spans
        for span, (speaker, explicit) in zip(spans, attribute_spans(p, spans, res), strict=True):
            found.append(_Found(p, span, speaker, explicit))
    found = _signed_quotes(found, paras, res)
    found = _across_paragraphs(found, paras, res)
    groups: list[list[_Found]] = []
    for f in found:
        if groups and _continues(groups[-1][-1], f):
            groups[-1].append(f)
        else:
            groups.append([f])
    quotes = [_join(g) for g in groups]
    # A scare quote (cascade step 3): a fragment without an explicit speaker.
    return [q for q in quotes if q.explicit or not q.fragment], spans_of


def find_quote_spans(article: Article, index: NameIndex) -> list[QuoteSpan]:
    """The marked direct quotes of one article with offsets and speakers (steps 1–3).

    ``index`` resolves speakers (build it with :func:`build_name_index` over the article's
    story); :func:`extract_quotes` is built on the same code path.
    """
    quotes, _ = _scan(_article_paras(article, 0), SpeakerResolver(index))
    return quotes


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", _PUNCT.sub(" ", fold(text))).strip()


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    if end < len(text) and text[end] in ".!?":
        end += 1
    return start, end


def _enough_words(words: set[str], text: str, need: float) -> bool:
    """Whether at least ``need`` of ``words`` occur in ``text`` (as substrings); stops as soon
    as the answer is known."""
    found, left = 0, len(words)
    for word in words:
        if word in text:
            found += 1
            if found >= need:
                return True
        left -= 1
        if found + left < need:
            return False
    return found >= need


def _unmarked_quotes(paras: Sequence[Paragraph], quotes: Sequence[_Raw],
                     spans_of: dict[tuple[int, int], list[MarkedSpan]],
                     res: SpeakerResolver) -> list[_Raw]:
    """Cascade step 4: quotes whose marks a rewrite dropped, found by alignment."""
    out: list[_Raw] = []
    marks = str.maketrans("“”‘’", "\"\"''")
    long_quotes = [q for q in quotes if word_count(q.text) >= UNMARKED_MIN_WORDS]
    needles = [q.text.lower().translate(marks) for q in long_quotes]
    needle_words = [set(_PREFILTER_WORD.findall(n)) for n in needles]
    for p in paras:
        lowered = p.text.lower().translate(marks)
        taken = list(spans_of.get(p.index, []))
        for q, needle, words in zip(long_quotes, needles, needle_words, strict=True):
            if q.article_id == p.article_id:
                continue
            if len(needle) > len(lowered):
                continue
            # Cheap necessary-in-practice test before the costly alignment (see the constant).
            if words and not _enough_words(words, lowered, UNMARKED_MIN_WORD_SHARE * len(words)):
                continue
            align = fuzz.partial_ratio_alignment(needle, lowered)
            if align is None or align.score < UNMARKED_MIN_SCORE:
                continue
            start, end = _snap(p.text, align.dest_start, align.dest_end)
            if any(s.outer_start < end and start < s.outer_end for s in taken):
                continue
            span = MarkedSpan(start, start, end, end)
            taken.append(span)
            speaker, _ = attribute_spans(p, [span], res)[0]
            text = _clean(p.text[start:end])
            out.append(_Raw(p.article_id, text, speaker or q.speaker, (*p.index, start), False))
    return out


# --- 5. merge ----------------------------------------------------------------------------------


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _same_quote(a: _Raw, b: _Raw, norms: dict[str, str]) -> bool:
    """``norms`` memoises :func:`_norm` by text for one grouping (each quote is compared with
    many others)."""
    if not _compatible(a.speaker, b.speaker):
        return False
    na = norms.get(a.text)
    if na is None:
        na = norms[a.text] = _norm(a.text)
    nb = norms.get(b.text)
    if nb is None:
        nb = norms[b.text] = _norm(b.text)
    if na == nb:
        return True
    if a.fragment != b.fragment:
        short, long = (na, nb) if len(na) < len(nb) else (nb, na)
        # One word ("open") is contained in too many quotes to say anything.
        return len(short.split()) >= 2 and fuzz.partial_ratio(short, long) >= CONTAINS_RATIO
    return not a.fragment and fuzz.ratio(na, nb) >= MERGE_RATIO


def _group(quotes: Sequence[_Raw]) -> list[list[_Raw]]:
    groups: list[list[_Raw]] = []
    norms: dict[str, str] = {}
    # Longest first so fragments join the quote that contains them.
    for q in sorted(quotes, key=lambda q: (-len(q.text), q.order)):
        for group in groups:
            if any(_same_quote(q, member, norms) for member in group) and _compatible(
                q.speaker, _speaker(group, None)
            ):
                group.append(q)
                break
        else:
            groups.append([q])
    return groups


def _speaker(group: Sequence[_Raw], ctx: StoryContext | None) -> str | None:
    named = [q for q in group if q.speaker]
    if not named:
        return None
    votes: Counter[str] = Counter()
    for name in {q.speaker for q in named if q.speaker}:
        ids = [q.article_id for q in named if q.speaker == name]
        votes[name] = ctx.independent_support(ids) if ctx is not None else len(ids)
    return max(sorted(votes), key=lambda n: votes[n])


def _ledger_entry(group: Sequence[_Raw], ctx: StoryContext) -> Quote:
    order = [a.id for a in ctx.articles]
    wordings: dict[str, list[_Raw]] = {}
    for q in sorted(group, key=lambda q: q.order):
        wordings.setdefault(_norm(q.text), []).append(q)

    def rank(members: list[_Raw]) -> tuple[int, int, int, int, int, int, int]:
        ids = [m.article_id for m in members]
        original = any(ctx.root(i) == i for i in ids)
        a_pos, p_pos, char = min(m.order for m in members)
        return (ctx.independent_support(ids), int(original), int(not members[0].fragment),
                len(members[0].text), -a_pos, -p_pos, -char)

    ranked = sorted(wordings.values(), key=rank, reverse=True)
    canonical = ranked[0]

    def ids_of(members: Sequence[_Raw]) -> tuple[str, ...]:
        present = {m.article_id for m in members}
        return tuple(a for a in order if a in present)

    variants = tuple(QuoteVariant(m[0].text, ids_of(m)) for m in ranked[1:])
    return Quote(speaker=_speaker(group, ctx), text=canonical[0].text, article_ids=ids_of(group),
                 variants=variants)


def extract_quotes(ctx: StoryContext, entities: Sequence[Entity] | None = None,
                   index: NameIndex | None = None) -> tuple[Quote, ...]:
    """The story's quote ledger.

    Each :class:`Quote` carries the canonical wording, its speaker (a name from the entity list,
    or ``None`` when unknown) and ``article_ids`` = every article carrying *any* wording of it;
    ``variants`` lists the other wordings with the articles carrying each. Ordered by
    independent support, then by first appearance. ``index`` is the story's
    :func:`~storyline.synth.entities.build_name_index` when already built.
    """
    index = index if index is not None else build_name_index(ctx, entities)
    res = SpeakerResolver(index)
    paras: list[Paragraph] = []
    spans_of: dict[tuple[int, int], list[MarkedSpan]] = {}
    quotes: list[_Raw] = []
    for a_pos, article in enumerate(ctx.articles):
        article_paras = _article_paras(article, a_pos)
        found, seen = _scan(article_paras, res)
        paras += article_paras
        spans_of.update(seen)
        quotes += [_Raw(article.id, q.text, q.speaker, (a_pos, q.paragraph, q.start), q.fragment)
                   for q in found]
    quotes += _unmarked_quotes(paras, quotes, spans_of, res)
    groups = _group(quotes)
    ledger = [(_ledger_entry(g, ctx), min(q.order for q in g)) for g in groups]
    ledger.sort(key=lambda e: (-ctx.independent_support(e[0].article_ids), e[1]))
    return tuple(q for q, _ in ledger)
