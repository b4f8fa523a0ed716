"""Featurize: token lists and streaming TF-IDF vectors for the clusterer.

Cascade, per article:

1. :func:`body_tokens` / :func:`title_tokens` — lower-cased content words (``text.content_tokens``);
2. :func:`entity_tokens` — entity-ish tokens found by surface rules (no pretrained model is
   available offline): runs of capitalised words ("Antony Blinken" → the whole name and each
   word), acronyms ("NATO", "U.S."), and numbers ("100,000" → "100000");
3. :class:`OnlineTfidf` — hashes a token list into a fixed number of columns
   (``HashingVectorizer``: no fitted vocabulary, so any worker can vectorise any batch),
   weights it by sub-linear tf × an IDF learnt from online document-frequency counts, and
   L2-normalises each row.

Lower-cased input (e.g. the stemmed MStream corpus) has no capitalised names or acronyms, so
its entity tokens are only numbers, often none: callers must treat an all-zero row as "signal
absent", not as "dissimilar".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from storyline.text import STOPWORDS, content_tokens, fold, normalize_quotes

# Hash space per signal. 2**18 columns keep collisions rare for news vocabularies (a few
# hundred thousand distinct tokens per signal) at 2 MiB of float64 document counts.
N_FEATURES = 2**18
# Document counts are halved once this many documents have been counted, so the IDF follows
# the recent stream and the counts stay bounded (a sliding window of roughly this length).
DF_WINDOW_DOCS = 500_000

# A capitalised word: an upper-case letter then letters, apostrophes or inner hyphens.
_CAP_WORD = r"[A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*"
# Runs of capitalised words, allowing a few lower-case particles inside a name.
_NAME_RUN = re.compile(
    rf"(?<![\w.])({_CAP_WORD}(?:\s+(?:(?:of|de|del|da|van|von|al|bin|la|le)\s+)?{_CAP_WORD})*)"
)
# Acronyms: "NATO", "EU", dotted "U.S." / "U.N.".
_ACRONYM = re.compile(r"(?<![\w.])(?:(?:[A-Z]\.){2,}|[A-Z]{2,}[0-9]*)(?![\w])")
# Numbers with thousands separators or decimals: "100,000", "6.1", "2022".
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


def body_tokens(text: str) -> list[str]:
    """Content words of a text (lower-cased, stopwords and one-letter words dropped)."""
    return content_tokens(text)


def title_tokens(title: str) -> list[str]:
    """Content words of a title (same rules as the body)."""
    return content_tokens(title)


def _name_parts(run: str) -> list[str]:
    """One capitalised run → its full name and its words, with edge stopwords dropped."""
    words = [fold(w).strip("'") for w in run.split()]
    while words and words[0] in STOPWORDS:
        words.pop(0)
    while words and words[-1] in STOPWORDS:
        words.pop()
    words = [w for w in words if w]
    if not words:
        return []
    parts = [w for w in words if w not in STOPWORDS and len(w) > 1]
    if len(words) > 1:
        parts.append("_".join(words))
    return parts


def entity_tokens(text: str) -> list[str]:
    """Entity-ish tokens of a text: capitalised names, acronyms and numbers.

    Rules, in order: every run of capitalised words (sentence-initial stopwords such as "The"
    dropped) gives the joined name and each of its words; every acronym gives its letters
    ("U.S." → "us"); every number of two or more digits gives its digits ("100,000" →
    "100000"). Tokens are lower-cased and accent-folded so "Zelenskiy" and "ZELENSKIY" meet.
    """
    clean = normalize_quotes(text)
    out: list[str] = []
    # Names recur within an article: split and fold each distinct run once.
    parts_of: dict[str, list[str]] = {}
    for match in _NAME_RUN.finditer(clean):
        run = match.group(1)
        parts = parts_of.get(run)
        if parts is None:
            parts = parts_of[run] = _name_parts(run)
        out.extend(parts)
    for match in _ACRONYM.finditer(clean):
        out.append(match.group(0).replace(".", "").lower())
    for match in _NUMBER.finditer(clean):
        digits = re.sub(r"[.,]", "", match.group(0))
        if len(digits) >= 2:
            out.append(digits)
    return out


def _as_is(tokens: Sequence[str]) -> Sequence[str]:
    """Analyzer of the hashing vectorizer: documents arrive already tokenised."""
    return tokens


class OnlineTfidf:
    """Hashed TF-IDF whose IDF comes from online document-frequency counts.

    Estimator contract: ``__init__`` stores parameters; ``partial_fit`` counts documents;
    ``transform`` vectorises with the counts so far. Picklable and mergeable (``merge`` adds
    another instance's counts, e.g. from Dask workers that saw other partitions).
    """

    def __init__(self, n_features: int = N_FEATURES, window_docs: int = DF_WINDOW_DOCS) -> None:
        self.n_features = n_features
        self.window_docs = window_docs

    def _hasher(self) -> HashingVectorizer:
        return HashingVectorizer(analyzer=_as_is, n_features=self.n_features,
                                 alternate_sign=False, norm=None)

    def _ensure_state(self) -> None:
        if not hasattr(self, "df_"):
            self.df_: np.ndarray = np.zeros(self.n_features, dtype=np.float64)
            self.n_docs_: float = 0.0

    def counts(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Raw hashed term counts (documents × ``n_features``)."""
        matrix: sp.csr_matrix = self._hasher().transform(docs).tocsr()
        return matrix

    def partial_fit_counts(self, counts: sp.csr_matrix) -> OnlineTfidf:
        """Add the documents of a count matrix to the document frequencies."""
        self._ensure_state()
        present = counts.copy()
        present.data[:] = 1.0
        self.df_ += np.asarray(present.sum(axis=0)).ravel()
        self.n_docs_ += counts.shape[0]
        if self.n_docs_ > self.window_docs:
            self.df_ *= 0.5
            self.n_docs_ *= 0.5
        return self

    def partial_fit(self, docs: Sequence[Sequence[str]]) -> OnlineTfidf:
        return self.partial_fit_counts(self.counts(docs))

    def idf(self) -> np.ndarray:
        """Smoothed IDF per hashed column: ``log((1 + N) / (1 + df)) + 1``."""
        self._ensure_state()
        idf: np.ndarray = np.log((1.0 + self.n_docs_) / (1.0 + self.df_)) + 1.0
        return idf

    def transform_counts(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sub-linear tf × IDF, rows L2-normalised (all-zero rows stay zero)."""
        weighted = counts.astype(np.float64, copy=True)
        np.log1p(weighted.data, out=weighted.data)
        weighted = sp.csr_matrix(weighted @ sp.diags(self.idf()))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        normalised: sp.csr_matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ weighted)
        return normalised

    def transform(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        return self.transform_counts(self.counts(docs))

    def merge(self, other: OnlineTfidf) -> OnlineTfidf:
        """Add another instance's document counts (same ``n_features`` required)."""
        if other.n_features != self.n_features:
            raise ValueError(f"cannot merge OnlineTfidf with n_features={other.n_features} into "
                             f"one with n_features={self.n_features}; build both alike")
        self._ensure_state()
        other._ensure_state()
        self.df_ += other.df_
        self.n_docs_ += other.n_docs_
        return self
