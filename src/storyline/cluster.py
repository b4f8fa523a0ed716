"""Cluster: online, time-aware assignment of articles to stories, and stable story ids.

:class:`StoryClusterer` follows the estimator contract and processes a batch as a cascade:

1. order the batch by (date, id); an undated article takes the median date of the batch's
   dated articles (all undated: no time term at all, order by id);
2. resolve copies: an article whose ``Link.copy_of`` chain reaches a known article (in this
   batch or seen before) joins its root's story without any similarity;
3. vectorise the other articles into three L2-normalised hashed TF-IDF signals — body tokens,
   title tokens, entity tokens (``features.py``) — with IDF from online document counts;
4. score every article against every active story centroid with sparse matrix products
   (articles × centroids), per signal the cosine to the centroid (the sum of its members'
   vectors), mixed as a weighted mean over the signals present on both sides, times a time
   factor ``TIME_FLOOR + (1 - TIME_FLOOR) * exp(-gap² / 2σ²)`` with ``gap`` the days between
   the article and the story's date span and σ = ``settings.time_sigma_days``;
5. walk the batch in order: join the best story when its score ≥ ``threshold``, else start a
   new story. Stories started earlier in the same batch are candidates too: their dot products
   come from the batch × batch product, updated column-wise, so no loop runs over stories;
6. fold the batch into the centroids and retire stories not updated for
   ``RETIRE_AFTER_DAYS`` days, then the least recently updated beyond ``MAX_ACTIVE_STORIES``.

The label of a story is the id of its founding article; :func:`assign_story_ids` turns labels
into stable ``story_id`` values across runs.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp

from storyline.config import Settings
from storyline.features import (
    N_FEATURES,
    OnlineTfidf,
    body_tokens,
    entity_tokens,
    title_tokens,
)
from storyline.model import Article, Link, content_hash

log = logging.getLogger(__name__)

# Join-vs-new threshold on the mixed similarity (a weighted mean of cosines in [0, 1], times
# the time factor). Calibrated with REFINE_PASSES by bench/calibrate_cluster.py on the
# calibration half of the MStream News clusters (body signal only: that corpus has no titles,
# no capitals): the largest threshold within 0.005 BCubed F1 of the best (0.025 … 0.075 are
# flat there). The seeds stay one story, apart from an unrelated one, for 0.025 … 0.275.
# Re-run that script after changing any weight or feature rule.
JOIN_THRESHOLD = 0.075
# Weights of the (body, title, entity) cosines. Not calibrated (no labelled corpus with titles
# and capitalisation is at hand): body carries the most text, titles are short but on-topic,
# entities are the most specific. Only signals present on both sides count (weighted mean).
SIGNAL_WEIGHTS: tuple[float, float, float] = (0.5, 0.2, 0.3)
# Share of the content score kept however far apart in time (1.0 = time ignored). Not
# calibrated (no dated labelled corpus at hand); chosen so a month-old story still wins when
# the text says it is the same event (content ≥ threshold / TIME_FLOOR).
TIME_FLOOR = 0.5
# A story not updated for this many days (by article date) leaves the active set: about 10σ
# at the default σ = 3 days, where the time factor is at its floor anyway.
RETIRE_AFTER_DAYS = 30.0
# Upper bound of the active set (memory and cost per article are linear in it); beyond it the
# least recently updated stories are retired first.
MAX_ACTIVE_STORIES = 5_000
# Re-assignment passes over a batch after the online walk (k-means-like: each article moves to
# its best story, its own vector taken out of its story's sum, if that scores ≥ threshold).
# Earlier batches are never revisited. Calibrated with the threshold (0, 1, 2 tried; 1 gains
# ~3 BCubed F1 points over 0 on MStream, 2 adds nothing at this threshold).
REFINE_PASSES = 1
# Articles scored together: the batch × batch and batch × story dense blocks are this tall.
CHUNK_SIZE = 256

SECONDS_PER_DAY = 86_400.0
# Below this, a squared norm or a centroid weight is floating-point residue of a subtraction.
NORM_EPSILON = 1e-9
N_SIGNALS = 3


def _day(value: datetime | None) -> float:
    """Article date as fractional days since the epoch (NaN when undated)."""
    return value.timestamp() / SECONDS_PER_DAY if value is not None else math.nan


def _batch_days(articles: Sequence[Article]) -> np.ndarray:
    """Days of a batch; undated articles take the median day of the dated ones (or NaN)."""
    days = np.array([_day(a.date) for a in articles], dtype=np.float64)
    dated = days[~np.isnan(days)]
    if dated.size:
        days[np.isnan(days)] = float(np.median(dated))
    return days


def _copy_roots(batch: Sequence[Article], links: Mapping[str, Link], known: set[str]
                ) -> dict[str, str]:
    """Article id → root of its ``copy_of`` chain, for batch articles that are copies.

    A chain stops at an article that is not known (neither in the batch nor seen before) or at
    a cycle; an article whose chain does not leave it is not a copy.
    """
    roots: dict[str, str] = {}
    for article in batch:
        seen = {article.id}
        current = article.id
        while True:
            link = links.get(current)
            parent = link.copy_of if link is not None else None
            if parent is None or parent not in known or parent in seen:
                break
            seen.add(parent)
            current = parent
        if current != article.id:
            roots[article.id] = current
    return roots


@dataclass
class _ChunkScores:
    """Dense dot products of one chunk: with the active stories and with itself."""

    story_dots: list[np.ndarray]  # per signal: chunk × (active + new-in-chunk) columns
    self_dots: list[np.ndarray]  # per signal: chunk × chunk
    present: np.ndarray  # chunk × signals, True where the article has the signal


class StoryClusterer:
    """Online story clustering (estimator contract; picklable; deterministic).

    Learned attributes: ``labels_`` (article id → story label = founding article id) and the
    active-story state ``story_keys_``, ``centroids_`` (one sparse matrix of summed member
    vectors per signal), ``first_day_``, ``last_day_``, ``last_seq_``, ``vectorizers_``.
    """

    def __init__(self, settings: Settings | None = None, *, threshold: float = JOIN_THRESHOLD,
                 weights: tuple[float, float, float] = SIGNAL_WEIGHTS,
                 time_floor: float = TIME_FLOOR, n_features: int = N_FEATURES,
                 max_active: int = MAX_ACTIVE_STORIES,
                 retire_after_days: float = RETIRE_AFTER_DAYS,
                 refine_passes: int = REFINE_PASSES) -> None:
        self.settings = settings
        self.threshold = threshold
        self.weights = weights
        self.time_floor = time_floor
        self.n_features = n_features
        self.max_active = max_active
        self.retire_after_days = retire_after_days
        self.refine_passes = refine_passes

    # -- public API -------------------------------------------------------------------------
    def fit(self, articles: Sequence[Article], links: Mapping[str, Link] | None = None
            ) -> StoryClusterer:
        """Forget everything, then :meth:`partial_fit`."""
        self._reset()
        return self.partial_fit(articles, links)

    def partial_fit(self, articles: Sequence[Article], links: Mapping[str, Link] | None = None
                    ) -> StoryClusterer:
        """Assign a batch of articles to active stories or new ones.

        Articles already labelled (same id seen in an earlier batch) keep their label.
        """
        if not hasattr(self, "labels_"):
            self._reset()
        links = links or {}
        fresh = {a.id: a for a in articles if a.id not in self.labels_}
        batch = list(fresh.values())
        if not batch:
            return self
        days_all = _batch_days(batch)
        order = sorted(range(len(batch)), key=lambda i: (
            0.0 if math.isnan(days_all[i]) else days_all[i], batch[i].id))
        batch = [batch[i] for i in order]
        days_all = days_all[order]
        roots = _copy_roots(batch, links, set(self.labels_) | set(fresh))
        originals = [i for i, a in enumerate(batch) if a.id not in roots]
        self._cluster_originals([batch[i] for i in originals], days_all[originals])
        self._attach_copies(batch, days_all, roots)
        self._retire()
        log.debug("batch of %s articles: %s copies, %s active stories", len(batch), len(roots),
                  len(self.story_keys_))
        return self

    # -- state ------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.labels_: dict[str, str] = {}
        self.story_keys_: list[str] = []
        self.centroids_: list[sp.csr_matrix] = [sp.csr_matrix((0, self.n_features))
                                                for _ in range(N_SIGNALS)]
        self.first_day_ = np.zeros(0, dtype=np.float64)
        self.last_day_ = np.zeros(0, dtype=np.float64)
        self.last_seq_ = np.zeros(0, dtype=np.int64)
        self.sizes_ = np.zeros(0, dtype=np.int64)
        self.seq_: int = 0
        self.vectorizers_ = [OnlineTfidf(self.n_features) for _ in range(N_SIGNALS)]

    @property
    def sigma_days(self) -> float:
        return (self.settings or Settings()).time_sigma_days

    # -- steps ------------------------------------------------------------------------------
    def _vectorise(self, articles: Sequence[Article]) -> list[sp.csr_matrix]:
        """Three L2-normalised signals (body, title, entities); IDF counts this batch first."""
        docs = [
            [body_tokens(a.text) for a in articles],
            [title_tokens(a.title) for a in articles],
            [entity_tokens(f"{a.title}\n{a.text}") for a in articles],
        ]
        out = []
        for vectorizer, signal_docs in zip(self.vectorizers_, docs, strict=True):
            counts = vectorizer.counts(signal_docs)
            vectorizer.partial_fit_counts(counts)
            out.append(vectorizer.transform_counts(counts))
        return out

    def _cluster_originals(self, articles: Sequence[Article], days: np.ndarray) -> None:
        if not articles:
            return
        signals = self._vectorise(articles)
        for start in range(0, len(articles), CHUNK_SIZE):
            stop = min(start + CHUNK_SIZE, len(articles))
            chunk = [m[start:stop] for m in signals]
            self._assign_chunk(articles[start:stop], chunk, days[start:stop])
        for _ in range(self.refine_passes):
            if not self._refine(articles, signals, days):
                break

    def _chunk_scores(self, chunk: list[sp.csr_matrix]) -> _ChunkScores:
        n = chunk[0].shape[0]
        active = len(self.story_keys_)
        story_dots, self_dots = [], []
        for matrix, centroids in zip(chunk, self.centroids_, strict=True):
            dots = np.zeros((n, active + n), dtype=np.float64)
            if active:
                dots[:, :active] = (matrix @ centroids.T).toarray()
            story_dots.append(dots)
            self_dots.append((matrix @ matrix.T).toarray())
        present = np.column_stack([m.getnnz(axis=1) > 0 for m in chunk])
        return _ChunkScores(story_dots, self_dots, present)

    def _mix(self, dots: Sequence[np.ndarray], norm2: Sequence[np.ndarray],
             present: np.ndarray, days: np.ndarray, spans: np.ndarray) -> np.ndarray:
        """Mixed scores (articles × stories) from per-signal dot products with story sums.

        ``dots[s]`` and ``norm2[s]`` (squared norms of the story sums) broadcast to
        articles × stories; ``present`` is articles × signals; ``spans`` is 2 × stories.
        The content score is the weighted mean of the cosines over the signals present on both
        sides; it is multiplied by the time factor.
        """
        shape = np.broadcast_shapes(dots[0].shape, (len(days), spans.shape[1]))
        numerator = np.zeros(shape)
        denominator = np.zeros(shape)
        for s, weight in enumerate(self.weights):
            norms = np.sqrt(np.broadcast_to(norm2[s], shape))
            has = (norms > 0.0) & present[:, s : s + 1]
            cosine = np.divide(np.broadcast_to(dots[s], shape), norms, out=np.zeros(shape),
                               where=has)
            numerator += weight * cosine
            denominator += weight * has
        content = np.divide(numerator, denominator, out=np.zeros(shape), where=denominator > 0)
        mixed: np.ndarray = content * self._time_factor(days, spans)
        return mixed

    def _time_factor(self, days: np.ndarray, spans: np.ndarray) -> np.ndarray:
        """``TIME_FLOOR + (1 - TIME_FLOOR) * gauss(gap)`` (articles × stories), ``gap`` = days
        from the article to the story's date span; undated on either side: 1."""
        first, last = spans[0][None, :], spans[1][None, :]
        day = days[:, None]
        with np.errstate(invalid="ignore"):
            gap = np.fmax(np.fmax(first - day, day - last), 0.0)
        gap = np.nan_to_num(gap, nan=0.0)
        gauss = np.exp(-(gap**2) / (2.0 * self.sigma_days**2))
        factor: np.ndarray = self.time_floor + (1.0 - self.time_floor) * gauss
        return factor

    def _assign_chunk(self, articles: Sequence[Article], chunk: list[sp.csr_matrix],
                      days: np.ndarray) -> None:
        """Walk one chunk in order; join the best story or found a new one."""
        active = len(self.story_keys_)
        n = len(articles)
        scores = self._chunk_scores(chunk)
        norm2 = np.zeros((N_SIGNALS, active + n))
        for s, centroids in enumerate(self.centroids_):
            norm2[s, :active] = np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel()
        # Row 0: first day, row 1: last day of each story (NaN: undated so far).
        spans = np.full((2, active + n), np.nan)
        spans[0, :active] = self.first_day_
        spans[1, :active] = self.last_day_
        keys = [*self.story_keys_]
        member_of = np.empty(n, dtype=np.int64)
        for row, article in enumerate(articles):
            n_stories = len(keys)
            mixed = self._mix([d[row : row + 1, :n_stories] for d in scores.story_dots],
                              [n2[None, :n_stories] for n2 in norm2], scores.present[row : row + 1],
                              days[row : row + 1], spans[:, :n_stories])[0]
            best = int(np.argmax(mixed)) if n_stories else -1
            if best < 0 or mixed[best] < self.threshold:
                best = n_stories
                keys.append(article.id)
            member_of[row] = best
            self.labels_[article.id] = keys[best]
            for s in range(N_SIGNALS):
                norm2[s, best] += (2.0 * scores.story_dots[s][row, best]
                                   + scores.self_dots[s][row, row])
                scores.story_dots[s][:, best] += scores.self_dots[s][:, row]
            spans[0, best] = np.fmin(spans[0, best], days[row])
            spans[1, best] = np.fmax(spans[1, best], days[row])
            self.seq_ += 1
        self._fold_chunk(chunk, member_of, keys, spans[:, : len(keys)])

    def _fold_chunk(self, chunk: list[sp.csr_matrix], member_of: np.ndarray,
                    keys: list[str], spans: np.ndarray) -> None:
        """Add the chunk's vectors to the centroids (new stories appended as new rows)."""
        n_stories = len(keys)
        active = len(self.story_keys_)
        membership = sp.csr_matrix(
            (np.ones(len(member_of)), (member_of, np.arange(len(member_of)))),
            shape=(n_stories, len(member_of)))
        for s, matrix in enumerate(chunk):
            grown = sp.vstack([self.centroids_[s],
                               sp.csr_matrix((n_stories - active, self.n_features))]).tocsr()
            self.centroids_[s] = sp.csr_matrix(grown + membership @ matrix)
        self.sizes_ = (np.concatenate([self.sizes_, np.zeros(n_stories - active, np.int64)])
                       + np.bincount(member_of, minlength=n_stories))
        touched = np.zeros(n_stories, dtype=bool)
        touched[member_of] = True
        seq = np.concatenate([self.last_seq_, np.zeros(n_stories - active, dtype=np.int64)])
        seq[touched] = self.seq_
        self.last_seq_ = seq
        self.first_day_ = spans[0].copy()
        self.last_day_ = spans[1].copy()
        self.story_keys_ = keys

    def _refine(self, articles: Sequence[Article], signals: list[sp.csr_matrix],
                days: np.ndarray) -> int:
        """One re-assignment pass over this batch's articles; returns how many moved."""
        index = {key: i for i, key in enumerate(self.story_keys_)}
        own = np.array([index[self.labels_[a.id]] for a in articles], dtype=np.int64)
        best = own.copy()
        norm2 = [np.asarray(c.multiply(c).sum(axis=1)).ravel() for c in self.centroids_]
        present = np.column_stack([m.getnnz(axis=1) > 0 for m in signals])
        spans = np.vstack([self.first_day_, self.last_day_])
        for start in range(0, len(articles), CHUNK_SIZE):
            rows = slice(start, min(start + CHUNK_SIZE, len(articles)))
            best[rows] = self._best_elsewhere([m[rows] for m in signals], own[rows], norm2,
                                              present[rows], days[rows], spans)
        moved = np.flatnonzero(best != own)
        if moved.size:
            self._move(signals, moved, own[moved], best[moved])
            for i in moved.tolist():
                self.labels_[articles[i].id] = self.story_keys_[best[i]]
            self._drop(self.sizes_ > 0)
        log.debug("refinement pass moved %s of %s articles", moved.size, len(articles))
        return int(moved.size)

    def _best_elsewhere(self, rows: list[sp.csr_matrix], own: np.ndarray,
                        norm2: list[np.ndarray], present: np.ndarray, days: np.ndarray,
                        spans: np.ndarray) -> np.ndarray:
        """Best story per article with its own vector taken out of its own story's sum;
        the own story where nothing reaches the threshold."""
        r = np.arange(len(own))
        dots, norms = [], []
        for matrix, centroids, squared in zip(rows, self.centroids_, norm2, strict=True):
            dot = (matrix @ centroids.T).toarray()
            self_dot = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
            n2 = np.tile(squared, (len(own), 1))
            own_dot = dot[r, own]
            n2[r, own] = np.maximum(squared[own] - 2.0 * own_dot + self_dot, 0.0)
            n2[n2 < NORM_EPSILON] = 0.0
            dot[r, own] = own_dot - self_dot
            dots.append(dot)
            norms.append(n2)
        mixed = self._mix(dots, norms, present, days, spans)
        best = np.argmax(mixed, axis=1)
        chosen: np.ndarray = np.where(mixed[r, best] >= self.threshold, best, own)
        return chosen

    def _move(self, signals: list[sp.csr_matrix], moved: np.ndarray, old: np.ndarray,
              new: np.ndarray) -> None:
        """Move the ``moved`` rows of ``signals`` from stories ``old`` to stories ``new``."""
        n_stories = len(self.story_keys_)
        shift = sp.csr_matrix(
            (np.concatenate([np.ones(moved.size), -np.ones(moved.size)]),
             (np.concatenate([new, old]), np.concatenate([moved, moved]))),
            shape=(n_stories, signals[0].shape[0]))
        for s, matrix in enumerate(signals):
            updated = sp.csr_matrix(self.centroids_[s] + shift @ matrix)
            updated.data[np.abs(updated.data) < NORM_EPSILON] = 0.0
            updated.eliminate_zeros()
            self.centroids_[s] = updated
        self.sizes_ = (self.sizes_ + np.bincount(new, minlength=n_stories)
                       - np.bincount(old, minlength=n_stories))
        self.seq_ += 1
        self.last_seq_[new] = self.seq_

    def _attach_copies(self, batch: Sequence[Article], days: np.ndarray,
                       roots: Mapping[str, str]) -> None:
        """Copies join their root's story; they widen its date span but not its centroid."""
        index = {key: i for i, key in enumerate(self.story_keys_)}
        for article, day in zip(batch, days, strict=True):
            root = roots.get(article.id)
            if root is None:
                continue
            label = self.labels_[root]
            self.labels_[article.id] = label
            story = index.get(label)
            if story is not None and not math.isnan(day):
                self.first_day_[story] = np.fmin(self.first_day_[story], day)
                self.last_day_[story] = np.fmax(self.last_day_[story], day)

    def _retire(self) -> None:
        """Drop stale stories, then the least recently updated beyond ``max_active``."""
        keep = np.ones(len(self.story_keys_), dtype=bool)
        if keep.size and not np.all(np.isnan(self.last_day_)):
            newest = np.nanmax(self.last_day_)
            stale = (newest - self.last_day_) > self.retire_after_days
            keep &= ~np.nan_to_num(stale, nan=False).astype(bool)
        if keep.sum() > self.max_active:
            candidates = np.flatnonzero(keep)
            by_recency = candidates[np.argsort(-self.last_seq_[candidates], kind="stable")]
            keep[:] = False
            keep[by_recency[: self.max_active]] = True
        self._drop(keep)

    def _drop(self, keep: np.ndarray) -> None:
        """Keep only the active stories where ``keep`` is true."""
        if keep.all():
            return
        rows = np.flatnonzero(keep)
        self.story_keys_ = [self.story_keys_[i] for i in rows]
        self.centroids_ = [sp.csr_matrix(c[rows]) for c in self.centroids_]
        self.first_day_ = self.first_day_[rows]
        self.last_day_ = self.last_day_[rows]
        self.last_seq_ = self.last_seq_[rows]
        self.sizes_ = self.sizes_[rows]


def assign_story_ids(
    groups: Mapping[str, Sequence[str]] | Sequence[Sequence[str]],
    previous: Mapping[str, str],
    dates: Mapping[str, datetime | None] | None = None,
) -> dict[str, str]:
    """Article id → stable ``story_id`` for groups of article ids.

    Each group inherits the previous ``story_id`` most of its previously assigned articles had:
    greedy over (group, old id) pairs by overlap (ties: old id, then founding article), each
    old id used once. Other groups get ``"s_" + content_hash(founding article id)``, founding =
    the earliest (date, id) article (``dates`` optional; undated sort after dated, then by id);
    if that id is already taken, the hash is extended deterministically.
    """
    members = [list(g) for g in (groups.values() if isinstance(groups, Mapping) else groups)]
    members = [g for g in members if g]
    dates = dates or {}

    def founding(group: Sequence[str]) -> str:
        def key(article_id: str) -> tuple[bool, float, str]:
            date = dates.get(article_id)
            return (date is None, date.timestamp() if date else 0.0, article_id)
        return min(group, key=key)

    founders = [founding(g) for g in members]
    candidates: list[tuple[int, str, str, int]] = []
    for index, group in enumerate(members):
        overlap = Counter(previous[a] for a in group if a in previous)
        candidates.extend((-count, old, founders[index], index) for old, count in overlap.items())
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for _, old, _, index in sorted(candidates):
        if index not in chosen and old not in used:
            chosen[index] = old
            used.add(old)
    for index in sorted(range(len(members)), key=lambda i: founders[i]):
        if index in chosen:
            continue
        story_id, salt = "s_" + content_hash(founders[index]), 0
        while story_id in used:
            salt += 1
            story_id = "s_" + content_hash(founders[index], str(salt))
        chosen[index] = story_id
        used.add(story_id)
    return {article: chosen[index] for index, group in enumerate(members) for article in group}
