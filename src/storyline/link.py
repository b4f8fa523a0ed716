"""Copy linking: exact duplicates, near-duplicates, rewrites and translations → copy_of graph.

The cascade, cheapest first; each step proposes scored pairs, the last one turns them into
one :class:`~storyline.model.Link` per article:

1. :func:`exact_duplicate_pairs` — hash of the normalised token stream; equal hashes are
   ``duplicate`` with similarity 1.0.
2. :func:`near_duplicate_pairs` — ``datasketch`` MinHash + MinHashLSH over word 3-shingles finds
   syndicated copies; each LSH hit is verified by the exact shingle *containment* of the smaller
   article (so a copy with junk lines added or its last paragraph cut stays a ``duplicate``).
3. :func:`rewrite_pairs` — candidates are the sparse top-k TF-IDF cosine neighbours (content
   words, same language); each candidate pair is verified by sentence alignment
   (:func:`align_sentences`: every sentence of the smaller article against every sentence of the
   other with rapidfuzz, best match above a threshold, one-to-one coverage and monotone order).
   High coverage → ``rewrite`` (order is reported but not required: spinners reorder paragraphs).
4. :func:`translation_pairs` — articles in different ``lang``: candidates are the top-k cosine
   neighbours over language-independent anchors (numbers, capitalised names, dotted acronyms,
   URLs, quoted spans); verified by a monotone (order-preserving) alignment of per-sentence
   anchor sets (:func:`align_anchors`) → ``translation``.
5. :func:`resolve_links` — direction and the graph. All articles are ranked by one total order
   (:func:`source_key`: earlier date first, dated before undated, then more metadata, fewer junk
   marks, more words, then id). In every pair the better-ranked article is the source, so edges
   always point "up" the ranking and the graph can have no cycle. Each copy keeps the single
   strongest pair towards a better-ranked article (duplicate > rewrite > translation, then
   similarity). ``copy_of`` is that *direct* source, which may itself be a copy (a chain, e.g. a
   translation of a syndicated copy); ``StoryContext.root`` follows chains to the original.

Cost: steps 1-2 are linear in the batch; steps 3-4 are a chunked sparse product restricted to
the top-k neighbours per article, so only ``k * n`` pairs reach the (C++) sentence aligner.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.model import Article, Link, Relation, content_hash
from storyline.text import (
    STOPWORDS,
    content_tokens,
    fold,
    normalize_quotes,
    paragraphs,
    split_sentences,
    tokens,
)

log = logging.getLogger(__name__)

# --- thresholds ------------------------------------------------------------------------------
# Calibrated with bench/copies.py on the PolNeAR *train* split (generator seed 1) and checked on
# the five seeds (001 is a spun rewrite of 000; 000/002/003/004 are independent). The figures
# reported in bench/copies.py come from the *dev* split (seed 2). Re-run both after any change.

# Word n-gram length of the MinHash shingles (3-grams survive light edits better than 5-grams).
SHINGLE_SIZE = 3
# LSH Jaccard threshold for near-duplicate candidates: a copy with a third of junk added or cut
# still has Jaccard ≈ 0.6; rewrites have < 0.3, so the LSH index stays selective.
NEAR_DUP_LSH_THRESHOLD = 0.5
# Exact shingle containment (of the smaller article) above which a pair is a duplicate.
# Syndicated copies in the bench: ≥ 0.93; the heaviest synthetic rewrites: ≤ 0.6.
DUPLICATE_CONTAINMENT = 0.8

# Top-k cosine neighbours per article sent to the aligners (bounded work per article).
TOP_K = 10
# Minimum TF-IDF cosine (content words) for a rewrite candidate. Rewrites in the calibration
# corpus: ≥ 0.68; seeds 000↔001: 0.5 (see tests). Same-event articles reach 0.45, so this only
# prunes and the aligner decides.
REWRITE_MIN_COSINE = 0.3
# Minimum cosine over cross-language anchors for a translation candidate (calibration
# translations: ≥ 0.96, same-topic pairs ≤ 0.4; German paragraphs of seed 000: 0.92 vs 0.67-0.69
# against seeds 002-004, which the aligner then rejects).
TRANSLATION_MIN_COSINE = 0.5
# Rows of the sparse similarity product computed at once (bounds memory, not results).
CHUNK_ROWS = 2048

# A sentence takes part in the rewrite alignment only with this many content words.
MIN_SENTENCE_WORDS = 3
# rapidfuzz score (0-100, max of ratio and token_sort_ratio on content words) above which two
# sentences are aligned. Seeds: 000↔001 pairs ≥ 70, unrelated same-event pairs ≤ 60.
ALIGN_MIN_SCORE = 62.0
# Fraction of the smaller article's sentences aligned (one-to-one) for a rewrite. Calibration
# corpus: rewrites ≥ 0.84, hard negatives (same topic plus two pasted sentences) ≤ 0.5;
# seeds 000↔001 = 1.0, other seed pairs ≤ 0.12.
REWRITE_MIN_COVERAGE = 0.65
# At least this many aligned sentences (a one-sentence overlap is a shared quote, not a copy).
MIN_ALIGNED_SENTENCES = 3
# Sentences of the smaller article scored per rapidfuzz call before checking whether the pair
# can still reach the needed alignment (does not change results, only when work stops): 8 keeps
# each call large enough to amortise its overhead while most non-copies stop after one block.
ALIGN_BLOCK_ROWS = 8

# A sentence takes part in the anchor alignment only with this many shared anchors.
MIN_SENTENCE_ANCHORS = 2
# Dice overlap of two sentences' shared-anchor sets above which they are aligned.
ANCHOR_MIN_DICE = 0.5
# Monotone anchor-alignment score (aligned weight / anchor-bearing sentences of the smaller
# article) for a translation. Calibration pseudo-translations ≥ 0.72, same-topic cross-language
# pairs ≤ 0.56; German paragraphs of seed 000: 0.79 vs ≤ 0.30 against seeds 002-004.
TRANSLATION_MIN_SCORE = 0.62

# Relation strength when one article has several candidate sources (higher wins).
_PRIORITY: dict[Relation, int] = {"duplicate": 3, "rewrite": 2, "translation": 1, "original": 0}

# --- regexes and word lists (one place) ------------------------------------------------------
_ANCHOR = re.compile(r"https?://\S+|(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|[^\W\d_]+")
_QUOTED = re.compile(r'"([^"]{8,300})"')
# Transliteration variants of names between European languages (Lawrow/Lavrov,
# Selenskyj/Zelenskiy, Sacharowa/Zakharova, Sergej/Sergey): applied in order to folded anchors.
_TRANSLIT: tuple[tuple[str, str], ...] = (
    ("sch", "sh"), ("kh", "h"), ("ch", "h"), ("ck", "k"), ("ph", "f"), ("c", "k"), ("z", "s"),
    ("w", "v"), ("j", "i"), ("y", "i"), ("ii", "i"),
)
_JUNK_LINE_MAX_WORDS = 4
_SENTENCE_PUNCT = (".", "!", "?", '"', "'", ":", "…")
_DOUBLED_PUNCT = re.compile(r"[.,;:] [.,;:]")

_EPOCH_END = datetime.max.replace(tzinfo=UTC)
# Frozen, hence safe as a shared default argument.
DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True, slots=True)
class CopyPair:
    """A detected copy relation between two articles (``copy`` derives from ``source``)."""

    copy: str
    source: str
    relation: Relation
    similarity: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """Result of aligning the sentences of two articles (smaller article first)."""

    coverage: float
    order: float
    similarity: float
    aligned: int


@dataclass(frozen=True, slots=True)
class _Doc:
    """What the cascade needs of one article, computed once."""

    id: str
    lang: str
    tokens: tuple[str, ...]
    sentences: tuple[str, ...]
    anchor_sentences: tuple[frozenset[str], ...]
    # ``sentences`` with their words sorted: what ``token_sort_ratio`` compares, computed once
    # per article instead of once per aligned pair.
    sorted_sentences: tuple[str, ...] = ()


# --- features ----------------------------------------------------------------------------------
def _anchor_key(token: str) -> str:
    """Language-independent key of an anchor: digits without separators, folded names."""
    if token[0].isdigit():
        return re.sub(r"[.,]", "", token)
    if token.startswith("http"):
        return token.rstrip(".,;)").lower()
    key = fold(token).replace(".", "")
    for old, new in _TRANSLIT:
        key = key.replace(old, new)
    return key


def anchors(sentence: str, keys: dict[str, str] | None = None) -> frozenset[str]:
    """Numbers, capitalised words, dotted acronyms, URLs and quoted spans of one sentence.

    ``keys`` memoises :func:`_anchor_key` for the caller (one dict per batch: the same names
    and numbers recur in every sentence of a story).
    """
    text = normalize_quotes(sentence)
    keys = {} if keys is None else keys
    found = set()
    for m in _ANCHOR.findall(text):
        if m[0].isdigit() or m[0].isupper() or m.startswith("http"):
            key = keys.get(m)
            if key is None:
                key = keys[m] = _anchor_key(m)
            found.add(key)
    found.update("q:" + " ".join(tokens(q)) for q in _QUOTED.findall(text))
    return frozenset(k for k in found if len(k) > 1 or k.isdigit())


def _doc(article: Article, keys: dict[str, str] | None = None) -> _Doc:
    raw_sentences = split_sentences(article.text)
    sentences = tuple(s for s in (" ".join(content_tokens(r)) for r in raw_sentences)
                      if len(s.split()) >= MIN_SENTENCE_WORDS)
    anchor_sets = tuple(anchors(r, keys) for r in raw_sentences)
    return _Doc(article.id, article.lang.lower(), tuple(tokens(article.text)), sentences,
                anchor_sets, tuple(_sort_words(s) for s in sentences))


def _sort_words(sentence: str) -> str:
    """What rapidfuzz's ``token_sort_ratio`` compares: the words sorted, joined by a space."""
    return " ".join(sorted(sentence.split()))


def _content_tokens_of(doc: _Doc) -> list[str]:
    """``content_tokens(" ".join(doc.tokens))`` without tokenising the article again.

    Re-tokenising ASCII tokens joined by spaces gives the same tokens back, so filtering them
    is the same; other scripts can change under a second lower-casing, so they take the long way.
    """
    joined = " ".join(doc.tokens)
    if not joined.isascii():
        return content_tokens(joined)
    return [t for t in doc.tokens if t not in STOPWORDS and len(t) > 1]


def shingles(words: Sequence[str], size: int = SHINGLE_SIZE) -> set[str]:
    """Word ``size``-grams of a token sequence (the whole sequence when it is shorter)."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def junk_marks(article: Article) -> int:
    """Signs of a noisy page: short lines without sentence punctuation, doubled punctuation."""
    lines = paragraphs(article.text)
    short = sum(1 for ln in lines
                if len(ln.split()) <= _JUNK_LINE_MAX_WORDS and not ln.endswith(_SENTENCE_PUNCT))
    return short + len(_DOUBLED_PUNCT.findall(article.text))


def source_key(article: Article, n_tokens: int | None = None
               ) -> tuple[bool, datetime, int, int, int, str]:
    """Total order of "source-ness" (smaller is more likely the source of a copy).

    Earlier date first (undated after dated), then more metadata (date, url), fewer junk
    marks, more words, and the id as a deterministic tie-break. ``n_tokens`` is
    ``len(tokens(article.text))`` when the caller has it.
    """
    date = article.date
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    metadata = int(article.date is not None) + int(bool(article.url))
    words = len(tokens(article.text)) if n_tokens is None else n_tokens
    return (date is None, date or _EPOCH_END, -metadata, junk_marks(article), -words,
            article.id)


# --- 1. exact duplicates -----------------------------------------------------------------------
def exact_duplicate_pairs(docs: Sequence[_Doc]) -> list[tuple[int, int, Relation, float]]:
    """Pairs (member, first member) of articles whose normalised token streams are equal."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        if doc.tokens:
            groups[content_hash(" ".join(doc.tokens))].append(i)
    return [(i, members[0], "duplicate", 1.0)
            for members in groups.values() for i in members[1:]]


# --- 2. near duplicates ------------------------------------------------------------------------
def _containment(a: set[str], b: set[str]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small) if small else 0.0


def near_duplicate_pairs(
    docs: Sequence[_Doc], shingle_sets: Sequence[set[str]], num_perm: int, seed: int,
) -> list[tuple[int, int, Relation, float]]:
    """MinHash LSH candidates, verified by exact shingle containment of the smaller article."""
    # Each distinct shingle of the batch is hashed once (copies share most of theirs) with
    # datasketch's own default hash function; MinHash then gets the hash values as they are,
    # so the signatures equal those of hashing the encoded shingles inside MinHash.
    hashed: dict[str, int] = {}
    values = []
    for sh in shingle_sets:
        row = []
        for shingle in sh:
            value = hashed.get(shingle)
            if value is None:
                value = hashed[shingle] = sha1_hash32(shingle.encode("utf-8"))
            row.append(value)
        values.append(row)
    hashes = MinHash.bulk(values, num_perm=num_perm, seed=seed, hashfunc=_given_hash)
    lsh = MinHashLSH(threshold=NEAR_DUP_LSH_THRESHOLD, num_perm=num_perm)
    for i, mh in enumerate(hashes):
        if shingle_sets[i]:
            lsh.insert(str(i), mh)
    pairs: list[tuple[int, int, Relation, float]] = []
    for i, mh in enumerate(hashes):
        if not shingle_sets[i]:
            continue
        for key in lsh.query(mh):
            j = int(key)
            if j <= i:
                continue
            score = _containment(shingle_sets[i], shingle_sets[j])
            if score >= DUPLICATE_CONTAINMENT:
                pairs.append((i, j, "duplicate", score))
    return pairs


def _given_hash(value: int) -> int:
    """MinHash hash function for values hashed already (see :func:`near_duplicate_pairs`)."""
    return value


# --- candidate generation (steps 3 and 4) ------------------------------------------------------
def top_k_pairs(
    matrix: sparse.csr_matrix, groups: NDArray[np.int64], same_group: bool, k: int,
    min_similarity: float,
) -> NDArray[np.int64]:
    """Undirected pairs (i < j) among each row's top-k cosine neighbours (rows L2-normalised).

    ``groups`` holds one language code per row; ``same_group`` keeps pairs within a language
    (code -1 = unknown matches everything) or, when false, pairs across known languages.
    Computed in row chunks of :data:`CHUNK_ROWS`; everything after the product is vectorised.
    """
    found: list[NDArray[np.int64]] = []
    n = matrix.shape[0]
    transposed = matrix.T.tocsc()
    for start in range(0, n, CHUNK_ROWS):
        product = (matrix[start:start + CHUNK_ROWS] @ transposed).tocoo()
        rows = product.row.astype(np.int64) + start
        cols = product.col.astype(np.int64)
        vals = product.data
        gr, gc = groups[rows], groups[cols]
        if same_group:
            lang_ok = (gr == gc) | (gr < 0) | (gc < 0)
        else:
            lang_ok = (gr != gc) & (gr >= 0) & (gc >= 0)
        keep = (rows != cols) & (vals >= min_similarity) & lang_ok
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, -vals, rows))
        rows, cols = rows[order], cols[order]
        first = np.searchsorted(rows, rows, side="left")
        rank = np.arange(len(rows)) - first
        top = rank < k
        found.append(np.stack([np.minimum(rows[top], cols[top]),
                               np.maximum(rows[top], cols[top])], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def _language_codes(docs: Sequence[_Doc]) -> NDArray[np.int64]:
    names = sorted({d.lang for d in docs if d.lang})
    code = {name: i for i, name in enumerate(names)}
    return np.array([code.get(d.lang, -1) for d in docs], dtype=np.int64)


def _tfidf(analyzer: Callable[[_Doc], list[str]], docs: Sequence[_Doc]) -> sparse.csr_matrix | None:
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2")
    try:
        return vectorizer.fit_transform(docs).tocsr()
    except ValueError:  # empty vocabulary: nothing to compare
        return None


# --- 3. rewrites -------------------------------------------------------------------------------
def _longest_increasing(values: Iterable[int]) -> int:
    tails: list[int] = []
    for v in values:
        pos = bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
        else:
            tails[pos] = v
    return len(tails)


def align_sentences(small: Sequence[str], large: Sequence[str],
                    small_sorted: Sequence[str] | None = None,
                    large_sorted: Sequence[str] | None = None,
                    min_aligned: int = 0) -> Alignment:
    """Match each sentence of ``small`` to its most similar sentence of ``large``.

    Score: max of rapidfuzz ``ratio`` and ``token_sort_ratio`` over content words (word order
    inside a sentence may change). Coverage counts aligned sentences one-to-one (a generic
    sentence matching many does not count many times); order is the longest monotone run of the
    aligned targets over the aligned sentences.

    ``small_sorted`` / ``large_sorted`` are the sentences with their words sorted
    (:func:`_sort_words`, what ``token_sort_ratio`` compares) when the caller has them.
    With ``min_aligned`` > 0 the caller only needs to know whether at least that many sentences
    align: rows are scored in blocks and a pair that can no longer reach it returns early
    (``aligned`` = 0, the other fields are then not meaningful).
    """
    if not small or not large:
        return Alignment(0.0, 0.0, 0.0, 0)
    small_sorted = [_sort_words(s) for s in small] if small_sorted is None else small_sorted
    large_sorted = [_sort_words(s) for s in large] if large_sorted is None else large_sorted
    blocks = []
    aligned_so_far = 0
    for start in range(0, len(small), ALIGN_BLOCK_ROWS if min_aligned > 0 else len(small)):
        stop = start + (ALIGN_BLOCK_ROWS if min_aligned > 0 else len(small))
        # token_sort_ratio is ratio on the word-sorted strings (rapidfuzz's definition), so
        # sorting each sentence once here gives the same scores.
        block = np.maximum(
            process.cdist(small[start:stop], large, scorer=fuzz.ratio, dtype=np.float32,
                          score_cutoff=ALIGN_MIN_SCORE),
            process.cdist(small_sorted[start:stop], large_sorted, scorer=fuzz.ratio,
                          dtype=np.float32, score_cutoff=ALIGN_MIN_SCORE))
        blocks.append(block)
        aligned_so_far += int((block.max(axis=1) >= ALIGN_MIN_SCORE).sum())
        rows_left = max(0, len(small) - stop)
        if min_aligned > 0 and aligned_so_far + rows_left < min_aligned:
            return Alignment(0.0, 0.0, 0.0, 0)
    scores = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
    best = scores.argmax(axis=1)
    best_score = scores[np.arange(len(small)), best]
    aligned = best_score >= ALIGN_MIN_SCORE
    targets = best[aligned]
    matched = min(int(aligned.sum()), len(np.unique(targets)))
    coverage = matched / len(small)
    order = _longest_increasing(targets.tolist()) / len(targets) if len(targets) else 0.0
    similarity = float(np.where(aligned, best_score, 0.0).sum()) / (100.0 * len(small))
    return Alignment(coverage, order, min(similarity, coverage), matched)


def rewrite_pairs(
    docs: Sequence[_Doc], candidates: NDArray[np.int64],
) -> list[tuple[int, int, Relation, float]]:
    """Candidate pairs whose sentence alignment covers most of the smaller article."""
    pairs: list[tuple[int, int, Relation, float]] = []
    for i, j in candidates.tolist():
        a, b = docs[i], docs[j]
        small, large = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
        # A rewrite needs this many aligned sentences, so hopeless pairs stop early.
        # floor() stays at or below the true bound, so only pairs that cannot pass stop early.
        needed = max(MIN_ALIGNED_SENTENCES,
                     math.floor(REWRITE_MIN_COVERAGE * len(small.sentences)))
        result = align_sentences(small.sentences, large.sentences, small.sorted_sentences,
                                 large.sorted_sentences, min_aligned=needed)
        log.debug("rewrite %s~%s coverage=%.2f order=%.2f", docs[i].id, docs[j].id,
                  result.coverage, result.order)
        if result.coverage >= REWRITE_MIN_COVERAGE and result.aligned >= MIN_ALIGNED_SENTENCES:
            pairs.append((i, j, "rewrite", result.similarity))
    return pairs


# --- 4. translations ---------------------------------------------------------------------------
def _dice_matrix(small: Sequence[frozenset[str]], large: Sequence[frozenset[str]]
                 ) -> NDArray[np.float64]:
    """IDF-weighted Dice overlap of every pair of anchor sets (vectorised over a sparse matrix).

    Weights come from the two articles themselves: an anchor in every sentence ("Blinken" in a
    story about Blinken) says little about which sentences correspond; a number says a lot.
    """
    vocab = {t: n for n, t in enumerate(sorted(set().union(*small, *large)))}

    def incidence(sets: Sequence[frozenset[str]]) -> sparse.csr_matrix:
        rows = [r for r, s in enumerate(sets) for _ in s]
        cols = [vocab[t] for s in sets for t in s]
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                 shape=(len(sets), len(vocab)))

    a, b = incidence(small), incidence(large)
    df = np.asarray(a.sum(axis=0)).ravel() + np.asarray(b.sum(axis=0)).ravel()
    idf = np.log1p((len(small) + len(large)) / np.maximum(df, 1.0))
    inter = (a.multiply(idf) @ b.T).toarray()
    count = (a @ b.T).toarray()
    mass_a = np.asarray(a @ idf).ravel()[:, None]
    mass_b = np.asarray(b @ idf).ravel()[None, :]
    dice = 2.0 * inter / np.maximum(mass_a + mass_b, 1e-9)
    dice[count < MIN_SENTENCE_ANCHORS] = 0.0
    return np.asarray(dice, dtype=np.float64)


def _monotone_score(weights: NDArray[np.float64]) -> float:
    """Best total weight of an order-preserving one-to-one alignment (row-vectorised DP)."""
    previous = np.zeros(weights.shape[1] + 1)
    for row in weights:
        current = np.maximum(previous[1:], previous[:-1] + row)
        previous = np.concatenate(([0.0], np.maximum.accumulate(current)))
    return float(previous[-1])


def align_anchors(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> Alignment:
    """Align two articles in different languages on the anchors they share, in order.

    Anchors are restricted to the shared vocabulary (German nouns, English function words
    drop out); sentences with fewer than :data:`MIN_SENTENCE_ANCHORS` shared anchors are ignored.
    Coverage is the monotone alignment weight over the smaller article's anchor sentences.
    """
    if len(a) > len(b):
        a, b = b, a
    shared = set().union(*a) & set().union(*b) if a and b else set()
    # The denominator counts every anchor-bearing sentence of the smaller article, so a few
    # matching sentences about the same people do not make a high score.
    denominator = sum(1 for s in a if len(s) >= MIN_SENTENCE_ANCHORS)
    ra = [s & shared for s in a if len(s & shared) >= MIN_SENTENCE_ANCHORS]
    rb = [s & shared for s in b if len(s & shared) >= MIN_SENTENCE_ANCHORS]
    if not ra or not rb:
        return Alignment(0.0, 0.0, 0.0, 0)
    weights = _dice_matrix(ra, rb)
    weights[weights < ANCHOR_MIN_DICE] = 0.0
    monotone = _monotone_score(weights)
    best = weights.max(axis=1)
    aligned = int((best > 0).sum())
    unordered = float(best.sum())
    score = monotone / max(denominator, len(ra))
    order = monotone / unordered if unordered else 0.0
    return Alignment(score, order, score, aligned)


def translation_pairs(
    docs: Sequence[_Doc], candidates: NDArray[np.int64],
) -> list[tuple[int, int, Relation, float]]:
    """Cross-language candidate pairs whose anchors align in order over most sentences."""
    pairs: list[tuple[int, int, Relation, float]] = []
    for i, j in candidates.tolist():
        result = align_anchors(docs[i].anchor_sentences, docs[j].anchor_sentences)
        log.debug("translation %s~%s score=%.2f order=%.2f", docs[i].id, docs[j].id,
                  result.coverage, result.order)
        if result.coverage >= TRANSLATION_MIN_SCORE and result.aligned >= MIN_ALIGNED_SENTENCES:
            pairs.append((i, j, "translation", result.similarity))
    return pairs


# --- 5. direction and graph --------------------------------------------------------------------
def resolve_links(
    articles: Sequence[Article], pairs: Iterable[tuple[int, int, Relation, float]],
    n_tokens: Sequence[int] | None = None,
) -> tuple[dict[str, Link], list[CopyPair]]:
    """One Link per article: each copy points at its strongest better-ranked partner.

    ``n_tokens`` (per article, optional) saves tokenising every article again for the ranking.
    """
    counts: Sequence[int | None] = [None] * len(articles) if n_tokens is None else n_tokens
    rank = {i: r for r, i in enumerate(sorted(
        range(len(articles)), key=lambda i: source_key(articles[i], counts[i])))}
    best: dict[int, tuple[tuple[int, float, int], int, Relation, float]] = {}
    detected: list[CopyPair] = []
    for i, j, relation, similarity in pairs:
        copy, source = (i, j) if rank[i] > rank[j] else (j, i)
        similarity = min(max(float(similarity), 0.0), 1.0)
        detected.append(CopyPair(articles[copy].id, articles[source].id, relation, similarity))
        strength = (_PRIORITY[relation], similarity, -rank[source])
        if copy not in best or strength > best[copy][0]:
            best[copy] = (strength, source, relation, similarity)
    links = {a.id: Link(a.id) for a in articles}
    for copy, (_, source, relation, similarity) in best.items():
        links[articles[copy].id] = Link(articles[copy].id, relation, articles[source].id,
                                        similarity)
    return links, detected


# --- the estimator -----------------------------------------------------------------------------
class CopyLinker:
    """Finds copies, rewrites and translations in a batch and builds the copy_of graph.

    Follows the scikit-learn estimator contract: ``__init__`` only stores parameters, ``fit``
    returns ``self``; learned attributes: ``links_`` (one :class:`Link` per article id),
    ``pairs_`` (every detected :class:`CopyPair`, before keeping one source per copy) and
    ``n_candidates_`` (pairs sent to the aligners). Pass ``rewrites=False`` /
    ``translations=False`` to switch a step off (e.g. for a MinHash-only baseline).
    """

    def __init__(self, settings: Settings = DEFAULT_SETTINGS, *, rewrites: bool = True,
                 translations: bool = True, top_k: int = TOP_K) -> None:
        self.settings = settings
        self.rewrites = rewrites
        self.translations = translations
        self.top_k = top_k

    def fit(self, articles: Sequence[Article]) -> CopyLinker:
        if self.top_k < 1:
            raise ConfigError(f"CopyLinker(top_k={self.top_k}) must be at least 1")
        if self.settings.minhash_permutations < 2:
            raise ConfigError("minhash_permutations must be at least 2 (128 is the default)")
        ids = [a.id for a in articles]
        if len(set(ids)) != len(ids):
            raise ConfigError("CopyLinker.fit needs unique article ids; de-duplicate ids first")
        keys: dict[str, str] = {}  # anchor keys of this batch (see anchors())
        docs = [_doc(a, keys) for a in articles]
        pairs = exact_duplicate_pairs(docs)
        shingle_sets = [shingles(d.tokens) for d in docs]
        pairs += near_duplicate_pairs(docs, shingle_sets, self.settings.minhash_permutations,
                                      self.settings.seed)
        known = {(min(i, j), max(i, j)) for i, j, _, _ in pairs}
        self.n_candidates_ = 0
        if self.rewrites and len(docs) > 1:
            pairs += self._rewrites(docs, shingle_sets, known)
        if self.translations and len(docs) > 1:
            pairs += self._translations(docs, known)
        self.links_, self.pairs_ = resolve_links(articles, pairs, [len(d.tokens) for d in docs])
        log.debug("linked %d articles: %d pairs from %d candidates", len(articles),
                  len(self.pairs_), self.n_candidates_)
        return self

    def _open(self, candidates: NDArray[np.int64], known: set[tuple[int, int]]
              ) -> NDArray[np.int64]:
        keep = [(i, j) not in known for i, j in candidates.tolist()]
        open_pairs = candidates[np.array(keep, dtype=bool)] if len(candidates) else candidates
        self.n_candidates_ += len(open_pairs)
        return open_pairs

    def _rewrites(self, docs: Sequence[_Doc], shingle_sets: Sequence[set[str]],
                  known: set[tuple[int, int]]) -> list[tuple[int, int, Relation, float]]:
        matrix = _tfidf(_content_tokens_of, docs)
        if matrix is None:
            return []
        candidates = self._open(top_k_pairs(matrix, _language_codes(docs), True, self.top_k,
                                            REWRITE_MIN_COSINE), known)
        found = rewrite_pairs(docs, candidates)
        # A verified pair whose wording is still mostly shared is a duplicate, not a rewrite
        # (catches teaser copies too short for the LSH Jaccard threshold).
        return [(i, j, "duplicate", c) if (c := _containment(shingle_sets[i], shingle_sets[j]))
                >= DUPLICATE_CONTAINMENT else (i, j, rel, s) for i, j, rel, s in found]

    def _translations(self, docs: Sequence[_Doc], known: set[tuple[int, int]]
                      ) -> list[tuple[int, int, Relation, float]]:
        codes = _language_codes(docs)
        if len(set(codes[codes >= 0].tolist())) < 2:
            return []
        # Only anchors seen in two or more languages of the batch: German nouns and English
        # sentence-initial words drop out, names and numbers stay.
        languages: dict[str, set[str]] = defaultdict(set)
        for doc in docs:
            for anchor_set in doc.anchor_sentences:
                for anchor in anchor_set:
                    languages[anchor].add(doc.lang)
        crossing = {a for a, langs in languages.items() if len(langs - {""}) >= 2}
        matrix = _tfidf(lambda d: [t for s in d.anchor_sentences for t in sorted(s & crossing)],
                        docs)
        if matrix is None:
            return []
        candidates = self._open(top_k_pairs(matrix, codes, False, self.top_k,
                                            TRANSLATION_MIN_COSINE), known)
        return translation_pairs(docs, candidates)


def link_articles(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS
                  ) -> dict[str, Link]:
    """One :class:`Link` per article id (convenience wrapper over :class:`CopyLinker`)."""
    return CopyLinker(settings).fit(articles).links_


__all__ = ["Alignment", "CopyLinker", "CopyPair", "align_anchors", "align_sentences", "anchors",
           "link_articles", "resolve_links", "shingles", "source_key", "top_k_pairs"]
