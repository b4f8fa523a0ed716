"""Extractive story summary with citations, and the story headline.

The cascade (each step a small function below):

1. :func:`candidate_sentences` — sentences of the story's *independent* articles (copy-graph
   roots; copies only add citations). Datelines ("GENEVA (AP) — ") are cut off the front;
   bylines and credit lines, questions, fragments (short, unterminated, lower-case start,
   headings) and quote-only fragments (unbalanced quotes, or mostly quoted text) are skipped.
2. :func:`score_candidates` — salience from three signals over TF-IDF vectors fitted on the
   independent articles' sentences:
   *centrality* (cosine to the story centroid, the mean of the per-article centroids so a long
   article does not outvote a short one), *agreement* (for every other independent article,
   the best cosine to one of its sentences, averaged: content several outlets carry ranks
   higher) and *position* (lead bias, geometric decay). Sentences opening with a pronoun or a
   connective that needs the previous sentence are penalised.
3. :func:`select` — greedy MMR under the word budget: each step takes the candidate with the
   best ``λ·salience − (1−λ)·max cosine to the chosen``; candidates that would overflow the budget
   are skipped (the budget is never exceeded) and near-repeats of a chosen sentence are dropped.
4. :func:`cite` — every article (copies included) carrying the sentence or a near-identical
   one (rapidfuzz ``token_sort_ratio`` on folded text) is cited.

Output order is by salience (selection order): dates are too sparse in real piles to order by
(article date, position) — in the seeds only one article of five has a date — and an inverted
pyramid reads well for a multi-source summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.model import Article, StoryContext, SummarySentence
from storyline.text import (
    content_tokens,
    fold,
    normalize_quotes,
    paragraphs,
    split_sentences,
    word_count,
)

# --- word lists and patterns (the only place this module defines them) ----------------------
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,3}\s*(?:\([^)]{1,40}\))?\s*[—–-]+\s+")
_BYLINE = re.compile(
    r"^(?:by\s+[A-Z]|reporting\s+by|editing\s+by|written\s+by|additional\s+reporting|"
    r"some\s+material\s+in\s+this\s+report|\(?(?:reporting|writing)\s+by|photo:|image:|"
    r"click\s+here|read\s+more|subscribe)", re.IGNORECASE)
_CREDIT = re.compile(
    r"contributed\s+(?:to\s+)?this\s+report|came\s+from\s+the\s+associated\s+press", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!…][\"')\]]*$")
_QUESTION = re.compile(r"\?[\"')\]]*$")
_QUOTED_SPAN = re.compile(r'"[^"]*"')
DANGLING_STARTS = frozenset({
    "he", "she", "they", "it", "this", "that", "these", "those", "his", "her", "their", "its",
    "him", "them", "but", "and", "also", "however", "so", "then", "there", "such", "both"
})

# --- thresholds (calibrated by hand on the seeds and checked against the acceptance tests;
#     re-run tests/test_summary.py and the acceptance suite after any change) ---------------
# Shorter sentences are headings, captions or fragments.
MIN_WORDS = 8
# Longer "sentences" are unsplit paragraphs; they would eat the whole budget.
MAX_WORDS = 60
# A sentence more than this share of whose characters sit inside quotes is a quote fragment.
MAX_QUOTED_SHARE = 0.6
# Salience weights: centrality, cross-outlet agreement, lead position (sum to 1).
W_CENTRAL, W_AGREE, W_POSITION = 0.4, 0.4, 0.2
# Position score of the k-th candidate sentence of an article is LEAD_DECAY ** k.
LEAD_DECAY = 0.85
# Subtracted from salience for a sentence that opens with a pronoun or connective.
DANGLING_PENALTY = 0.15
# MMR trade-off between salience and novelty. At 0.7 the seeds' summary was three versions of
# the lead ("Blinken met Lavrov on Friday"); at 0.55 it adds the 100,000-troops context.
MMR_LAMBDA = 0.55
# A candidate whose cosine to an already chosen sentence reaches this is a repeat.
REDUNDANT_COSINE = 0.35
# token_sort_ratio (0–100) at which another article's sentence counts as carrying the same
# sentence: the seeds' spun rewrite scores 78–95 against its source sentences, different
# outlets' sentences on the same point stay under 65.
CITE_MIN_RATIO = 75.0
# Headline fallback length (words) when no independent article has a title.
HEADLINE_WORDS = 14
# Stories whose dense candidate × vocabulary matrix has more cells than this are scored on
# sparse matrices (only sentence pairs sharing a word are compared); smaller ones keep the
# dense arithmetic, bit for bit. 4M cells = 32 MB of float64: far above the stories of the
# synthetic benchmark corpus (largest in its first 1,000 articles: 241 candidates × 1,156
# words ≈ 0.28M), far below what makes one story dominate a run's memory.
DENSE_MAX_CELLS = 4_000_000
# Candidate rows per block of the sparse similarity product (bounds its memory).
SPARSE_BLOCK_ROWS = 1024

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate summary sentence of an independent article."""

    article_id: str
    article_index: int  # position of the article in the story
    position: int  # index among the article's candidates (lead bias)
    text: str
    words: int


# --- step 1: candidates ---------------------------------------------------------------------
def candidate_sentences(ctx: StoryContext) -> list[Candidate]:
    """Usable sentences of the story's independent articles, in story order."""
    out: list[Candidate] = []
    for index, article in enumerate(ctx.articles):
        if ctx.root(article.id) != article.id:
            continue
        position = 0
        for sentence, inside_quote in sentences_with_quote_state(article):
            if not inside_quote and is_candidate(sentence):
                out.append(Candidate(article.id, index, position, sentence,
                                     budget_words(sentence)))
                position += 1
    return out


def clean_sentences(article: Article) -> list[str]:
    """An article's sentences with a leading dateline cut off."""
    return [strip_dateline(s) for s in split_sentences(article.text)]


def sentences_with_quote_state(article: Article) -> list[tuple[str, bool]]:
    """Cleaned sentences, each flagged when it starts inside a quote opened earlier in its
    paragraph ("… who said, "We want … nations. Just as there are no minor casualties …")."""
    out: list[tuple[str, bool]] = []
    for paragraph in paragraphs(article.text):
        open_quote = False
        for sentence in split_sentences(paragraph):
            out.append((strip_dateline(sentence), open_quote))
            if normalize_quotes(sentence).count('"') % 2:
                open_quote = not open_quote
    return out


def strip_dateline(sentence: str) -> str:
    """"GENEVA (AP) — U.S. Secretary…" → "U.S. Secretary…"."""
    return _DATELINE.sub("", sentence, count=1).strip()


def budget_words(text: str) -> int:
    """Words as the budget counts them: the larger of token count and whitespace split."""
    return max(word_count(text), len(text.split()))


def is_candidate(sentence: str) -> bool:
    """False for fragments, headings, questions, bylines/credits and quote-only fragments."""
    words = budget_words(sentence)
    if words < MIN_WORDS or words > MAX_WORDS:
        return False
    if not sentence[:1].isupper() and sentence[:1] not in "\"'“‘":
        return False
    if _QUESTION.search(sentence) or not _TERMINAL.search(normalize_quotes(sentence)):
        return False
    if _BYLINE.match(sentence) or _CREDIT.search(sentence):
        return False
    return not is_quote_fragment(sentence)


def is_quote_fragment(sentence: str) -> bool:
    """Unbalanced double quotes (a piece of a longer quote) or mostly quoted text."""
    text = normalize_quotes(sentence)
    if text.count('"') % 2:
        return True
    quoted = sum(len(m.group(0)) for m in _QUOTED_SPAN.finditer(text))
    return quoted > MAX_QUOTED_SHARE * len(text)


# --- step 2: salience -----------------------------------------------------------------------
def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=content_tokens, sublinear_tf=True, norm="l2")


def _dense(matrix: Any) -> FloatArray:
    """sklearn returns a SciPy sparse matrix (untyped here): to a dense float array."""
    return np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix,
                      dtype=np.float64)


def _unit(vector: FloatArray) -> FloatArray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


# Dense rows, or a SciPy CSR matrix for large stories.
Vectors: TypeAlias = Any


def score_candidates(candidates: Sequence[Candidate], dense_max_cells: int = DENSE_MAX_CELLS
                     ) -> tuple[FloatArray, Vectors]:
    """Salience of each candidate and the candidates' TF-IDF vectors (rows, L2-normalised).

    The vectors are a dense array, or a SciPy CSR matrix for stories larger than
    ``dense_max_cells`` (see :data:`DENSE_MAX_CELLS`).
    """
    matrix = sparse.csr_matrix(_vectorizer().fit_transform([c.text for c in candidates]))
    owners = np.array([c.article_index for c in candidates])
    articles = sorted(set(owners.tolist()))
    if matrix.shape[0] * matrix.shape[1] > dense_max_cells:
        return _score_sparse(candidates, matrix, owners, articles), matrix
    vectors = _dense(matrix)
    centroid = _unit(np.mean([_unit(vectors[owners == a].sum(axis=0)) for a in articles], axis=0))
    central = vectors @ centroid
    sims = vectors @ vectors.T
    agree = np.zeros(len(candidates))
    if len(articles) > 1:
        best_per_article = np.stack([sims[:, owners == a].max(axis=1) for a in articles], axis=1)
        own = np.array([articles.index(o) for o in owners])
        best_per_article[np.arange(len(candidates)), own] = 0.0
        agree = best_per_article.sum(axis=1) / (len(articles) - 1)
    position = np.array([LEAD_DECAY ** c.position for c in candidates])
    dangling = np.array([is_dangling(c.text) for c in candidates], dtype=np.float64)
    salience = (W_CENTRAL * central + W_AGREE * agree + W_POSITION * position
                - DANGLING_PENALTY * dangling)
    return salience, vectors


def _score_sparse(candidates: Sequence[Candidate], matrix: sparse.csr_matrix,
                  owners: NDArray[np.int64], articles: list[int]) -> FloatArray:
    """:func:`score_candidates` on a sparse matrix: the same formula, but the similarity of two
    candidates is only computed when they share a word (other pairs are 0 in the dense
    product too), block by block; equal to the dense scores up to float rounding."""
    n = len(candidates)
    centroid = _unit(np.mean([_unit(np.asarray(matrix[owners == a].sum(axis=0)).ravel())
                              for a in articles], axis=0))
    central = np.asarray(matrix @ centroid, dtype=np.float64).ravel()
    agree = np.zeros(n)
    if len(articles) > 1:
        column = np.searchsorted(articles, owners)  # article column of every candidate
        best = np.zeros((n, len(articles)))
        transposed = matrix.T.tocsc()
        for start in range(0, n, SPARSE_BLOCK_ROWS):
            block = (matrix[start:start + SPARSE_BLOCK_ROWS] @ transposed).tocoo()
            np.maximum.at(best, (block.row + start, column[block.col]), block.data)
        best[np.arange(n), column] = 0.0
        agree = best.sum(axis=1) / (len(articles) - 1)
    position = np.array([LEAD_DECAY ** c.position for c in candidates])
    dangling = np.array([is_dangling(c.text) for c in candidates], dtype=np.float64)
    salience: FloatArray = (W_CENTRAL * central + W_AGREE * agree + W_POSITION * position
                            - DANGLING_PENALTY * dangling)
    return salience


def is_dangling(sentence: str) -> bool:
    first = re.match(r"[\"'“‘]?([A-Za-z]+)", sentence)
    return first is not None and first.group(1).lower() in DANGLING_STARTS


# --- step 3: selection ----------------------------------------------------------------------
def select(candidates: Sequence[Candidate], salience: FloatArray, vectors: Vectors,
           words: int) -> list[int]:
    """Greedy MMR under a word budget; returns candidate indexes in selection order."""
    if sparse.issparse(vectors):
        return _select_sparse(candidates, salience, sparse.csr_matrix(vectors), words)
    chosen: list[int] = []
    used = 0
    remaining = set(range(len(candidates)))
    while remaining:
        best: tuple[float, int] | None = None
        for i in sorted(remaining):
            if used + candidates[i].words > words:
                continue
            overlap = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if overlap >= REDUNDANT_COSINE:
                continue
            score = MMR_LAMBDA * float(salience[i]) - (1 - MMR_LAMBDA) * overlap
            if best is None or score > best[0]:
                best = (score, i)
        if best is None:
            break
        chosen.append(best[1])
        used += candidates[best[1]].words
        remaining.discard(best[1])
    return chosen


def _select_sparse(candidates: Sequence[Candidate], salience: FloatArray,
                   vectors: sparse.csr_matrix, words: int) -> list[int]:
    """:func:`select` for sparse vectors: each step scores every candidate at once, keeping the
    running maximum cosine to the chosen sentences (one sparse product per chosen sentence)."""
    n = len(candidates)
    sizes = np.array([c.words for c in candidates])
    overlap = np.zeros(n)
    open_ = np.ones(n, dtype=bool)
    chosen: list[int] = []
    used = 0
    while True:
        usable = open_ & (used + sizes <= words) & (overlap < REDUNDANT_COSINE)
        if not usable.any():
            break
        score = np.where(usable, MMR_LAMBDA * salience - (1 - MMR_LAMBDA) * overlap, -np.inf)
        best = int(np.argmax(score))  # first maximum = lowest index, as in select()
        chosen.append(best)
        used += int(sizes[best])
        open_[best] = False
        cosine = np.asarray((vectors @ vectors[best].T).toarray(), dtype=np.float64).ravel()
        overlap = np.maximum(overlap, cosine)
    return chosen


# --- step 4: citations ----------------------------------------------------------------------
class SentenceCache:
    """Each article's :func:`clean_sentences` (raw and folded), computed once per story.

    Made per call (or per story by the caller), never shared between stories or processes.
    """

    def __init__(self) -> None:
        self._clean: dict[str, list[str]] = {}
        self._folded: dict[str, list[str]] = {}

    def clean(self, article: Article) -> list[str]:
        found = self._clean.get(article.id)
        if found is None:
            found = self._clean[article.id] = clean_sentences(article)
        return found

    def folded(self, article: Article) -> list[str]:
        found = self._folded.get(article.id)
        if found is None:
            found = self._folded[article.id] = [fold(s) for s in self.clean(article)]
        return found


def cite(ctx: StoryContext, candidate: Candidate, cache: SentenceCache | None = None
         ) -> tuple[str, ...]:
    """Ids of every article carrying the sentence or a near-identical one, in story order."""
    cache = SentenceCache() if cache is None else cache
    target = fold(candidate.text)
    out: list[str] = []
    for article in ctx.articles:
        # extractOne with a score cutoff finds whether any sentence reaches the ratio in one
        # C++ call (same scorer, same inclusive threshold as comparing each score).
        if article.id == candidate.article_id or process.extractOne(
                target, cache.folded(article), scorer=fuzz.token_sort_ratio,
                score_cutoff=CITE_MIN_RATIO) is not None:
            out.append(article.id)
    return tuple(out)


def summarize(ctx: StoryContext, words: int = 100, cache: SentenceCache | None = None
              ) -> tuple[SummarySentence, ...]:
    """At most ``words`` words of the story's most salient, non-redundant sentences, cited.

    ``cache`` shares the articles' sentences with other calls on the same story.
    """
    candidates = candidate_sentences(ctx)
    if not candidates or words <= 0:
        return ()
    try:
        salience, vectors = score_candidates(candidates)
    except ValueError:  # every candidate is stopwords only: nothing to rank
        return ()
    chosen = select(candidates, salience, vectors, words)
    cache = SentenceCache() if cache is None else cache
    return tuple(SummarySentence(candidates[i].text, cite(ctx, candidates[i], cache))
                 for i in chosen)


# --- headline -------------------------------------------------------------------------------
def headline(ctx: StoryContext, cache: SentenceCache | None = None) -> str:
    """Title of the most central independent article that has one; else the lead sentence cut.

    ``cache`` shares the articles' sentences with other calls on the same story.
    """
    cache = SentenceCache() if cache is None else cache
    titled = [a for a in ctx.originals() if a.title.strip()]
    if titled:
        return _most_central_title(ctx, titled, cache)
    summary = summarize(ctx, words=10 * HEADLINE_WORDS, cache=cache)
    if summary:
        return _truncate(summary[0].text, HEADLINE_WORDS)
    first = next((s for a in ctx.articles for s in cache.clean(a)), "")
    return _truncate(first, HEADLINE_WORDS)


def _most_central_title(ctx: StoryContext, titled: Sequence[Article],
                        cache: SentenceCache) -> str:
    """Score = mean of (article · centroid) and (title · centroid); ties go to story order."""
    originals = ctx.originals()
    vectorizer = _vectorizer()
    try:
        vectorizer.fit([s for a in originals for s in cache.clean(a)] or [""])
    except ValueError:  # no content words at all
        return titled[0].title.strip()
    # One transform for every article's sentences and every title: TF-IDF rows are computed
    # row by row, so slicing the result gives the same rows as one transform per article.
    texts = [cache.clean(a) or [""] for a in originals]
    bounds = np.cumsum([0, *(len(t) for t in texts)])
    rows = sparse.csr_matrix(vectorizer.transform(
        [s for t in texts for s in t] + [a.title for a in titled]))
    article_vectors = [_unit(_dense(rows[bounds[k]:bounds[k + 1]]).sum(axis=0))
                       for k in range(len(originals))]
    centroid = _unit(np.mean(article_vectors, axis=0))
    by_id = dict(zip((a.id for a in originals), article_vectors, strict=True))
    best, best_score = titled[0], -1.0
    for k, article in enumerate(titled):
        title_vector = _unit(_dense(rows[int(bounds[-1]) + k])[0])
        score = 0.5 * float(by_id[article.id] @ centroid) + 0.5 * float(title_vector @ centroid)
        if score > best_score:
            best, best_score = article, score
    return best.title.strip()


def _truncate(text: str, limit: int) -> str:
    parts = text.split()
    return text if len(parts) <= limit else " ".join(parts[:limit]).rstrip(",;:") + "…"
