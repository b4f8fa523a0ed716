"""Cluster: online, time-aware assignment of articles to stories, and stable story ids.

:class:`StoryClusterer` follows the estimator contract and processes a batch as a cascade:

1. order the batch by (date, id); an undated article is ordered at the median date of the
   batch's dated articles (all undated: order by id) and scored with no time term;
2. resolve copies: an article whose ``Link.copy_of`` chain reaches a known article (in this
   batch or seen before) joins its root's story without any similarity;
3. vectorise the other articles into six L2-normalised hashed TF-IDF signals — body tokens,
   title tokens, title + body tokens, and entity tokens of the title, of the body and of both
   (``features.py``) — with IDF from online document counts;
4. score every article against every active story with sparse matrix products (articles ×
   story sums, articles × stored members), giving per (article, story) pair the features of
   ``cluster_model.FEATURE_NAMES``: a centroid cosine per signal, the best and the mean cosine
   to the story's members, a Gaussian of the day gap, log story size and log story age;
5. walk the batch in order: the fitted :class:`~storyline.cluster_model.ClusterModel` — its
   long-article regime for articles of at least ``long_min_tokens`` content tokens — turns
   each candidate's features into a join logit; the article joins the best candidate when its
   probability reaches the model's threshold, else it starts a new story. Only stories sharing
   at least one token with the article are candidates. Stories started earlier in the same
   chunk are candidates too: their dot products come from the chunk × chunk product, updated
   column-wise, so no loop runs over stories;
6. fold the chunk into the story sums (and the first ``MAX_MEMBERS_PER_STORY`` members of
   each story into the member index);
7. fragment-merge pass (when the model has a merge part): every story the chunk touched that
   was founded in this batch is scored against the larger (or older) active stories it shares
   a token with, over story-pair features (``cluster_model.MERGE_FEATURE_NAMES``: centroid
   cosines, best member cosine, average link, day-gap Gaussian, both sizes, from sparse
   products of the touched stories only); pairs at or above the merge threshold merge,
   best first, the smaller part moving into the larger one, which keeps its label (so
   ``assign_story_ids`` keeps its id);
8. after the batch, retire stories not updated for ``RETIRE_AFTER_DAYS`` days, then the
   least recently updated beyond ``MAX_ACTIVE_STORIES``.

Cost per article is linear in the active stories and stored members, both bounded, so a
stream is processed in linear time and bounded memory.

:func:`training_pairs` replays a labelled stream through the same code with the gold stories
forced (teacher forcing) and returns the pair features and join labels the join model is
fitted on; :func:`merge_pairs` replays it with a fitted join model (the clusterer's own
states, fragments included) and returns story-pair features labelled by majority gold story,
for the merge model (both used by ``evaluate.fit_cluster_model``). The label of a story is
the id of its founding article; :func:`assign_story_ids` turns labels into stable
``story_id`` values across runs.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from storyline.cluster_model import (
    FEATURE_NAMES,
    MERGE_FEATURE_NAMES,
    ClusterModel,
    resolve_model,
)
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

# A story not updated for this many days (by article date) leaves the active set: about 10σ
# at the default σ = 3 days, where the Gaussian time term is below 1e-20 anyway.
RETIRE_AFTER_DAYS = 30.0
# Upper bound of the active set (memory and cost per article are linear in it); beyond it the
# least recently updated stories are retired first.
MAX_ACTIVE_STORIES = 5_000
# Members kept per story for the max-similarity feature (the founding ones). Bounds the member
# index to MAX_ACTIVE_STORIES × this rows and the chunk × members product. Not tuned; the model
# is fitted with the same cap, so features match between fitting and use.
MAX_MEMBERS_PER_STORY = 16
# Articles scored together: the chunk × chunk and chunk × story dense blocks are this tall.
CHUNK_SIZE = 256
# Articles vectorised together (their token lists and vectors are held at once): a longer
# batch is processed in slices of this many, retiring stale stories between slices, so
# memory stays flat on one huge batch. Larger than every benchmark batch but the 100k
# stream, so fitted models saw the same IDF timing they are used with.
VECTORISE_BATCH = 10_000

SECONDS_PER_DAY = 86_400.0
# Signals, in the order ``_vectorise`` builds them.
BODY, TITLE, ENTITY, ALL, ENTITY_TITLE, ENTITY_BODY = range(6)
N_SIGNALS = 6
# Column of each signal's cosine in the join and merge feature rows (``FEATURE_NAMES`` /
# ``MERGE_FEATURE_NAMES``: the two entity-by-field signals came later, so they come last).
SIGNAL_COLUMN = (0, 1, 2, 3, 9, 10)
N_PAIR_FEATURES = len(FEATURE_NAMES)


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


def pair_features(dots: np.ndarray, norm2: np.ndarray, present: np.ndarray,
                  max_all: np.ndarray, sizes: np.ndarray, day: float, spans: np.ndarray,
                  sigma_days: float) -> np.ndarray:
    """Features (candidates × ``FEATURE_NAMES``) of one article against candidate stories.

    ``dots`` and ``norm2`` are signals × candidates (dot products of the L2-normalised article
    vectors with the story sums, squared norms of the sums); ``present`` says which signals
    the article has; ``max_all`` is the best member cosine per candidate; ``spans`` is
    2 × candidates (first and last day, NaN when undated); ``day`` is the article's day.
    """
    n = dots.shape[1]
    out = np.zeros((n, N_PAIR_FEATURES), dtype=np.float64)
    for s in range(N_SIGNALS):
        if present[s]:
            norms = np.sqrt(norm2[s])
            column = SIGNAL_COLUMN[s]
            np.divide(dots[s], norms, out=out[:, column], where=norms > 0.0)
    out[:, 4] = max_all
    out[:, 5] = dots[ALL] / np.maximum(sizes, 1)
    out[:, 7] = np.log1p(sizes)
    if math.isnan(day):  # undated article: time term neutral, age unknown (0)
        out[:, 6] = 1.0
        return out
    with np.errstate(invalid="ignore"):
        gap = np.fmax(np.fmax(spans[0] - day, day - spans[1]), 0.0)
        age = np.fmax(day - spans[0], 0.0)
    undated = np.isnan(gap)
    gap[undated] = 0.0
    age[undated] = 0.0
    out[:, 6] = np.exp(-(gap**2) / (2.0 * sigma_days**2))
    out[:, 8] = np.log1p(age)
    return out


@dataclass
class _ChunkScores:
    """Dense dot products of one chunk: with the active stories and with itself."""

    story_dots: np.ndarray  # signals × chunk × (active + new-in-chunk)
    self_dots: np.ndarray  # signals × chunk × chunk
    max_all: np.ndarray  # chunk × (active + new-in-chunk): best member cosine
    present: np.ndarray  # chunk × signals, True where the article has the signal


@dataclass
class _Teacher:
    """Teacher forcing for :func:`training_pairs`: gold stories decide, pairs are recorded."""

    gold: Mapping[str, str]
    negatives: int
    story_of_gold: dict[str, str] = field(default_factory=dict)
    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)


@dataclass
class _MergeRecorder:
    """Records story-pair merge features for :func:`merge_pairs`, labelled by whether both
    stories' majority gold story is the same (the replay runs with a given model, so the
    states are the clusterer's own)."""

    gold: Mapping[str, str]
    per_source: int
    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)

    def record(self, clusterer: StoryClusterer, src: np.ndarray, tgt: np.ndarray,
               features: np.ndarray, logits: np.ndarray) -> None:
        """Per source story: its ``per_source`` highest-scoring right and wrong targets."""
        wanted = {clusterer.story_keys_[r] for r in np.concatenate([src, tgt])}
        counts: dict[str, Counter[str]] = {}
        for article_id, key in clusterer.labels_.items():
            if key in wanted:
                counts.setdefault(key, Counter())[self.gold[article_id]] += 1
        majority = {key: min(c, key=lambda g: (-c[g], g)) for key, c in counts.items()}
        keys = clusterer.story_keys_
        right = np.array([majority[keys[a]] == majority[keys[b]] for a, b in zip(src, tgt,
                                                                                    strict=True)])
        keep: list[np.ndarray] = []
        for source in np.unique(src):
            pairs = np.flatnonzero(src == source)
            pairs = pairs[np.argsort(-logits[pairs], kind="stable")]
            keep += [pairs[right[pairs]][: self.per_source],
                     pairs[~right[pairs]][: self.per_source]]
        chosen = np.concatenate(keep)
        self.features.append(features[chosen])
        self.labels.append(right[chosen].astype(np.int8))


class StoryClusterer:
    """Online story clustering (estimator contract; picklable; deterministic).

    ``model`` is a :class:`ClusterModel`, a path to a model file, or ``None`` for the model
    shipped in the package. Learned attributes: ``labels_`` (article id → story label =
    founding article id) and the active-story state ``story_keys_``, ``centroids_`` (one
    sparse matrix of summed member vectors per signal), ``members_`` / ``member_story_`` (the
    stored member vectors, title + body signal, and their story rows), ``sizes_``,
    ``first_day_``, ``last_day_``, ``last_seq_``, ``vectorizers_``, ``model_``.
    """

    def __init__(self, settings: Settings | None = None, *,
                 model: ClusterModel | str | Path | None = None,
                 n_features: int = N_FEATURES, max_active: int = MAX_ACTIVE_STORIES,
                 retire_after_days: float = RETIRE_AFTER_DAYS,
                 max_members: int = MAX_MEMBERS_PER_STORY) -> None:
        self.settings = settings
        self.model = model
        self.n_features = n_features
        self.max_active = max_active
        self.retire_after_days = retire_after_days
        self.max_members = max_members

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
        # Undated articles are ordered at the batch's median day but scored as undated (time
        # term neutral): an imputed day can be weeks off when few articles carry a date.
        days_all[[a.date is None for a in batch]] = math.nan
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
        configured = self.settings.cluster_model if self.settings is not None else ""
        self.model_: ClusterModel = resolve_model(self.model or configured or None)
        self.labels_: dict[str, str] = {}
        self.story_keys_: list[str] = []
        self.centroids_: list[sp.csr_matrix] = [sp.csr_matrix((0, self.n_features))
                                                for _ in range(N_SIGNALS)]
        self.members_: sp.csr_matrix = sp.csr_matrix((0, self.n_features))
        self.member_story_ = np.zeros(0, dtype=np.int64)
        self.first_day_ = np.zeros(0, dtype=np.float64)
        self.last_day_ = np.zeros(0, dtype=np.float64)
        self.last_seq_ = np.zeros(0, dtype=np.int64)
        self.sizes_ = np.zeros(0, dtype=np.int64)
        self.seq_: int = 0
        self.vectorizers_ = [OnlineTfidf(self.n_features) for _ in range(N_SIGNALS)]
        self._teacher: _Teacher | None = None
        self._merge_recorder: _MergeRecorder | None = None

    @property
    def sigma_days(self) -> float:
        return (self.settings or Settings()).time_sigma_days

    # -- steps ------------------------------------------------------------------------------
    def _vectorise(self, articles: Sequence[Article]) -> tuple[list[sp.csr_matrix], np.ndarray]:
        """Six L2-normalised signals (body, title, entities of title + body, title + body,
        entities of the title, entities of the body), IDF counting this batch first, and
        each article's number of title + body tokens (it picks the model's regime)."""
        bodies = [body_tokens(a.text) for a in articles]
        titles = [title_tokens(a.title) for a in articles]
        title_entities = [entity_tokens(a.title) for a in articles]
        body_entities = [entity_tokens(a.text) for a in articles]
        docs = [
            bodies,
            titles,
            [t + b for t, b in zip(title_entities, body_entities, strict=True)],
            [t + b for t, b in zip(titles, bodies, strict=True)],
            title_entities,
            body_entities,
        ]
        out = []
        for vectorizer, signal_docs in zip(self.vectorizers_, docs, strict=True):
            counts = vectorizer.counts(signal_docs)
            vectorizer.partial_fit_counts(counts)
            out.append(vectorizer.transform_counts(counts))
        lengths = np.array([len(doc) for doc in docs[ALL]], dtype=np.int64)
        return out, lengths

    def _cluster_originals(self, articles: Sequence[Article], days: np.ndarray) -> None:
        if not articles:
            return
        length_of: dict[str, int] = {}
        founded: dict[str, list[str]] = {}  # story founded in this batch → its articles
        merges = self.model_.merges or (self.model_.long is not None and self.model_.long.merges)
        for first in range(0, len(articles), VECTORISE_BATCH):
            part = articles[first:first + VECTORISE_BATCH]
            part_days = days[first:first + VECTORISE_BATCH]
            if first:  # a long batch is a stream too: stale stories leave between slices
                dated = part_days[~np.isnan(part_days)]
                self._retire(float(dated.min()) if dated.size else math.nan)
            signals, lengths = self._vectorise(part)
            length_of.update((a.id, int(n)) for a, n in zip(part, lengths, strict=True))
            for start in range(0, len(part), CHUNK_SIZE):
                stop = min(start + CHUNK_SIZE, len(part))
                chunk = [m[start:stop] for m in signals]
                touched = self._assign_chunk(part[start:stop], chunk, part_days[start:stop],
                                             lengths[start:stop], founded)
                if merges or self._merge_recorder is not None:
                    self._merge_fragments(touched, founded, length_of)

    def _chunk_scores(self, chunk: list[sp.csr_matrix]) -> _ChunkScores:
        n = chunk[0].shape[0]
        active = len(self.story_keys_)
        story_dots = np.zeros((N_SIGNALS, n, active + n))
        self_dots = np.zeros((N_SIGNALS, n, n))
        for s, (matrix, centroids) in enumerate(zip(chunk, self.centroids_, strict=True)):
            if active:
                story_dots[s, :, :active] = (matrix @ centroids.T).toarray()
            self_dots[s] = (matrix @ matrix.T).toarray()
        max_all = np.zeros((n, active + n))
        if self.members_.shape[0]:
            member_dots = (chunk[ALL] @ self.members_.T).tocoo()
            np.maximum.at(max_all, (member_dots.row, self.member_story_[member_dots.col]),
                          member_dots.data)
        present = np.column_stack([m.getnnz(axis=1) > 0 for m in chunk])
        return _ChunkScores(story_dots, self_dots, max_all, present)

    def _assign_chunk(self, articles: Sequence[Article], chunk: list[sp.csr_matrix],
                      days: np.ndarray, lengths: np.ndarray, founded: dict[str, list[str]]
                      ) -> np.ndarray:
        """Walk one chunk in order; join the best candidate story or found a new one (the
        decision is the model regime's for the article's length).

        Returns the rows of the stories the chunk touched; ``founded`` gains the articles of
        stories founded in this batch."""
        active = len(self.story_keys_)
        n = len(articles)
        scores = self._chunk_scores(chunk)
        norm2 = np.zeros((N_SIGNALS, active + n))
        for s, centroids in enumerate(self.centroids_):
            norm2[s, :active] = np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel()
        sizes = np.concatenate([self.sizes_, np.zeros(n, dtype=np.int64)])
        stored = np.concatenate([np.bincount(self.member_story_, minlength=active),
                                 np.zeros(n, dtype=np.int64)])
        # Row 0: first day, row 1: last day of each story (NaN: undated so far).
        spans = np.full((2, active + n), np.nan)
        spans[0, :active] = self.first_day_
        spans[1, :active] = self.last_day_
        keys = [*self.story_keys_]
        member_of = np.empty(n, dtype=np.int64)
        keep_member = np.zeros(n, dtype=bool)
        regimes: dict[int, tuple[np.ndarray, float, float]] = {}
        for row, article in enumerate(articles):
            model = self.model_.regime(int(lengths[row]))
            if id(model) not in regimes:
                regimes[id(model)] = (np.asarray(model.coef, dtype=np.float64),
                                      model.intercept, model.logit_threshold)
            coef, intercept, cut = regimes[id(model)]
            n_stories = len(keys)
            dots = scores.story_dots[:, row, :n_stories]
            # Body and title tokens are in the title + body signal: two signals suffice.
            candidates = np.flatnonzero((dots[ALL] > 0.0) | (dots[ENTITY] > 0.0))
            best = n_stories
            if self._teacher is not None:
                best = self._teach(article.id, keys, candidates, row, scores, norm2, sizes,
                                   days[row], spans)
            elif candidates.size:
                features = pair_features(dots[:, candidates], norm2[:, candidates],
                                         scores.present[row], scores.max_all[row, candidates],
                                         sizes[candidates], days[row], spans[:, candidates],
                                         self.sigma_days)
                logits = features @ coef + intercept
                top = int(np.argmax(logits))
                if logits[top] >= cut:
                    best = int(candidates[top])
            if best == n_stories:
                keys.append(article.id)
                founded[article.id] = []
            member_of[row] = best
            self.labels_[article.id] = keys[best]
            if keys[best] in founded:
                founded[keys[best]].append(article.id)
            scores.story_dots[:, :, best] += scores.self_dots[:, :, row]
            norm2[:, best] += (2.0 * scores.story_dots[:, row, best]
                               - scores.self_dots[:, row, row])
            # (story_dots[:, row, best] already includes the article's own self-dot.)
            sizes[best] += 1
            if stored[best] < self.max_members:
                stored[best] += 1
                keep_member[row] = True
                np.maximum(scores.max_all[:, best], scores.self_dots[ALL, :, row],
                           out=scores.max_all[:, best])
            spans[0, best] = np.fmin(spans[0, best], days[row])
            spans[1, best] = np.fmax(spans[1, best], days[row])
            self.seq_ += 1
        self._fold_chunk(chunk, member_of, keep_member, keys, spans[:, : len(keys)])
        return np.unique(member_of)

    def _teach(self, article_id: str, keys: list[str], candidates: np.ndarray, row: int,
               scores: _ChunkScores, norm2: np.ndarray, sizes: np.ndarray, day: float,
               spans: np.ndarray) -> int:
        """Teacher forcing: record the gold story (positive) and the ``negatives`` most
        similar other candidates (title + body cosine); return the gold story's column."""
        teacher = self._teacher
        assert teacher is not None
        n_stories = len(keys)
        gold = teacher.gold[article_id]
        key = teacher.story_of_gold.get(gold)
        target = keys.index(key) if key is not None and key in keys else n_stories
        others = candidates[candidates != target]
        if others.size > teacher.negatives:
            cosine = scores.story_dots[ALL, row, others] / np.sqrt(
                np.maximum(norm2[ALL, others], 1e-12))
            others = others[np.argsort(-cosine, kind="stable")[: teacher.negatives]]
        chosen = np.concatenate([[target], others]) if target < n_stories else others
        if chosen.size:
            chosen = chosen.astype(np.int64)
            teacher.features.append(pair_features(
                scores.story_dots[:, row, chosen], norm2[:, chosen], scores.present[row],
                scores.max_all[row, chosen], sizes[chosen], day, spans[:, chosen],
                self.sigma_days))
            teacher.labels.append((chosen == target).astype(np.int8))
        if target == n_stories:
            teacher.story_of_gold[gold] = article_id
        return target

    def _fold_chunk(self, chunk: list[sp.csr_matrix], member_of: np.ndarray,
                    keep_member: np.ndarray, keys: list[str], spans: np.ndarray) -> None:
        """Add the chunk's vectors to the story sums (new stories appended as new rows) and
        its kept members to the member index."""
        n_stories = len(keys)
        active = len(self.story_keys_)
        membership = sp.csr_matrix(
            (np.ones(len(member_of)), (member_of, np.arange(len(member_of)))),
            shape=(n_stories, len(member_of)))
        for s, matrix in enumerate(chunk):
            grown = sp.vstack([self.centroids_[s],
                               sp.csr_matrix((n_stories - active, self.n_features))]).tocsr()
            self.centroids_[s] = sp.csr_matrix(grown + membership @ matrix)
        self.members_ = sp.csr_matrix(sp.vstack([self.members_, chunk[ALL][keep_member]]))
        self.member_story_ = np.concatenate([self.member_story_, member_of[keep_member]])
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

    def _merge_candidates(self, sources: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Story pairs (source, target) worth scoring and their merge features.

        A source is scored against every active story sharing a token with it (title + body
        or entity signal) that is larger, or as large and founded earlier, so each pair is
        seen once and the smaller part is the one that moves. Features: centroid cosines per
        signal, the best member-to-member cosine, the mean pairwise cosine (average link),
        the Gaussian of the gap between the two date spans, log sizes of both parts."""
        active = len(self.story_keys_)
        dots = np.stack([(c[sources] @ c.T).toarray() for c in self.centroids_])
        norm2 = np.stack([np.asarray(c.multiply(c).sum(axis=1)).ravel()
                          for c in self.centroids_])
        sizes = self.sizes_.astype(np.float64)
        larger = ((sizes[None, :] > sizes[sources, None])
                  | ((sizes[None, :] == sizes[sources, None])
                     & (np.arange(active)[None, :] < sources[:, None])))
        mask = ((dots[ALL] > 0.0) | (dots[ENTITY] > 0.0)) & larger
        src_pos, tgt = np.nonzero(mask)
        src = sources[src_pos]
        out = np.zeros((src.size, len(MERGE_FEATURE_NAMES)))
        for s in range(N_SIGNALS):
            denom = np.sqrt(norm2[s, src] * norm2[s, tgt])
            column = SIGNAL_COLUMN[s]
            np.divide(dots[s, src_pos, tgt], denom, out=out[:, column], where=denom > 0.0)
        if src.size:
            position = np.full(active, -1, dtype=np.int64)
            position[sources] = np.arange(sources.size)
            rows = np.flatnonzero(position[self.member_story_] >= 0)
            best = np.zeros((sources.size, active))
            if rows.size:
                products = (self.members_[rows] @ self.members_.T).tocoo()
                np.maximum.at(best, (position[self.member_story_[rows[products.row]]],
                                     self.member_story_[products.col]), products.data)
            out[:, 4] = best[src_pos, tgt]
        out[:, 5] = dots[ALL, src_pos, tgt] / np.maximum(sizes[src] * sizes[tgt], 1.0)
        with np.errstate(invalid="ignore"):
            gap = np.fmax(np.fmax(self.first_day_[tgt] - self.last_day_[src],
                                  self.first_day_[src] - self.last_day_[tgt]), 0.0)
        gap[np.isnan(gap)] = 0.0  # either side undated: time term neutral
        out[:, 6] = np.exp(-(gap**2) / (2.0 * self.sigma_days**2))
        out[:, 7] = np.log1p(sizes[src])
        out[:, 8] = np.log1p(sizes[tgt])
        return src, tgt, out

    def _merge_fragments(self, touched: np.ndarray, founded: dict[str, list[str]],
                         length_of: Mapping[str, int]) -> None:
        """Fragment-merge pass after a chunk: each story the chunk touched that was founded
        in this batch may merge into its best-scoring larger (or older) active story. The
        merge part of the regime of the source story's founding article decides (a regime
        without one merges nothing).

        Cost is bounded by (touched stories × active stories) dense dot products per chunk,
        and a touched story's members × all stored members; both caps are fixed."""
        keys = self.story_keys_
        # Only sources whose regime has a merge part can merge (all of them while recording).
        recording = self._merge_recorder is not None
        sources = np.array([r for r in touched if keys[r] in founded and (
            recording or self.model_.regime(length_of.get(keys[r], 0)).merges)],
            dtype=np.int64)
        if not sources.size:
            return
        src, tgt, features = self._merge_candidates(sources)
        if not src.size:
            return
        # Per pair: logit minus the threshold of the source's regime (-inf: no merge part).
        margins = np.full(src.size, -np.inf)
        recorded = features[:, 3].copy()
        source_regime = [self.model_.regime(length_of.get(keys[r], 0)) for r in src]
        for model in {id(m): m for m in source_regime}.values():
            rows = np.array([m is model for m in source_regime])
            if model.merges:
                logits = model.merge_logits(features[rows])
                recorded[rows] = logits
                margins[rows] = logits - model.merge_logit_threshold
        if self._merge_recorder is not None:
            self._merge_recorder.record(self, src, tgt, features, recorded)
        if not np.isfinite(margins).any():
            return
        into = np.arange(len(keys))
        moved = np.zeros(len(keys), dtype=bool)
        for pair in np.argsort(-margins, kind="stable"):
            if margins[pair] < 0.0:
                break
            source, target = int(src[pair]), int(tgt[pair])
            while into[target] != target:
                target = int(into[target])
            if moved[source] or target == source:
                continue
            into[into == source] = target
            moved[source] = True
        if moved.any():
            self._apply_merges(into, founded)

    def _apply_merges(self, into: np.ndarray, founded: dict[str, list[str]]) -> None:
        """Fold every story row into ``into[row]`` (rows that stay map to themselves): sums,
        sizes, spans and members move; moved articles are relabelled; merged rows go."""
        active = len(self.story_keys_)
        moved = np.flatnonzero(into != np.arange(active))
        for row in moved:
            source_key, target_key = self.story_keys_[row], self.story_keys_[into[row]]
            for article_id in founded.pop(source_key, []):
                self.labels_[article_id] = target_key
                if target_key in founded:
                    founded[target_key].append(article_id)
        fold = sp.csr_matrix((np.ones(active), (into, np.arange(active))), shape=(active, active))
        self.centroids_ = [sp.csr_matrix(fold @ c) for c in self.centroids_]
        self.sizes_ = np.bincount(into, weights=self.sizes_, minlength=active).astype(np.int64)
        np.fmin.at(self.first_day_, into, self.first_day_.copy())
        np.fmax.at(self.last_day_, into, self.last_day_.copy())
        np.maximum.at(self.last_seq_, into, self.last_seq_.copy())
        stories = into[self.member_story_]
        order = np.argsort(stories, kind="stable")
        starts = np.searchsorted(stories[order], stories[order])
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size) - starts
        kept = np.flatnonzero(rank < self.max_members)
        self.members_ = sp.csr_matrix(self.members_[kept])
        self.member_story_ = stories[kept]
        self._drop(into == np.arange(active))

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

    def _retire(self, now: float = math.nan) -> None:
        """Drop stale stories (by the newest story day, or ``now`` when later: the day of the
        articles about to come), then the least recently updated beyond ``max_active``."""
        keep = np.ones(len(self.story_keys_), dtype=bool)
        if keep.size and not np.all(np.isnan(self.last_day_)):
            newest = float(np.nanmax(self.last_day_))
            if not math.isnan(now):
                newest = max(newest, now)
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
        new_row = np.full(keep.size, -1, dtype=np.int64)
        new_row[rows] = np.arange(rows.size)
        kept_members = keep[self.member_story_]
        self.members_ = sp.csr_matrix(self.members_[np.flatnonzero(kept_members)])
        self.member_story_ = new_row[self.member_story_[kept_members]]
        self.first_day_ = self.first_day_[rows]
        self.last_day_ = self.last_day_[rows]
        self.last_seq_ = self.last_seq_[rows]
        self.sizes_ = self.sizes_[rows]


def _gold_labels(articles: Sequence[Article]) -> dict[str, str]:
    """Article id → gold story, for replays that need every article labelled."""
    unlabelled = [a.id for a in articles if a.gold is None]
    if unlabelled:
        raise ValueError(f"{len(unlabelled)} articles have no gold label (e.g. "
                         f"{unlabelled[0]}); keep only labelled articles for fitting")
    return {a.id: a.gold or "" for a in articles}


def training_pairs(articles: Sequence[Article], settings: Settings | None = None, *,
                   negatives: int = 5, max_active: int = MAX_ACTIVE_STORIES
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Pair features and join labels from replaying labelled ``articles`` as a stream.

    The stream is processed exactly as :meth:`StoryClusterer.partial_fit` would (same order,
    same features), except that each article is forced into its gold story's cluster (or
    starts it) and no merge pass runs: per article, the gold story (when it already exists)
    is a positive pair and the ``negatives`` most similar other candidates are negative
    pairs. Articles without a gold label are not allowed (filter them first).
    """
    gold = _gold_labels(articles)
    # Any valid model without a merge part: teacher forcing never consults it.
    placeholder = ClusterModel(tuple(0.0 for _ in FEATURE_NAMES), 0.0, 0.5)
    clusterer = StoryClusterer(settings, model=placeholder, max_active=max_active)
    clusterer._reset()
    teacher = _Teacher(gold, negatives)
    clusterer._teacher = teacher
    clusterer.partial_fit(articles)
    if not teacher.features:
        return np.zeros((0, N_PAIR_FEATURES)), np.zeros(0, dtype=np.int8)
    return np.vstack(teacher.features), np.concatenate(teacher.labels)


def article_pair_features(pairs: Sequence[tuple[Article, Article]],
                          background: Sequence[Article] = (),
                          settings: Settings | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Join features of each pair's second article against a one-article story holding its
    first, as the clusterer computes them; and the second articles' token counts.

    For labelled *pairs* of articles (e.g. similarity-rated ones) rather than labelled
    streams. The IDF comes from all articles of ``background`` and of the pairs, counted
    once each (by id) before any pair is scored, the way a stream's IDF would have seen them.
    """
    clusterer = StoryClusterer(settings)
    clusterer._reset()
    unique: dict[str, Article] = {a.id: a for a in background}
    for left, right in pairs:
        unique.setdefault(left.id, left)
        unique.setdefault(right.id, right)
    articles = list(unique.values())
    row_of = {a.id: i for i, a in enumerate(articles)}
    signals, lengths = clusterer._vectorise(articles)
    left_rows = np.array([row_of[left.id] for left, _ in pairs], dtype=np.int64)
    right_rows = np.array([row_of[right.id] for _, right in pairs], dtype=np.int64)
    out = np.zeros((len(pairs), N_PAIR_FEATURES))
    for k, (left, right) in enumerate(pairs):
        i, j = left_rows[k], right_rows[k]
        dots = np.array([[(m[j] @ m[i].T).sum()] for m in signals])
        norm2 = np.array([[float(m[i].getnnz() > 0)] for m in signals])
        present = np.array([m[j].getnnz() > 0 for m in signals])
        day = _day(left.date)
        out[k] = pair_features(dots, norm2, present, dots[ALL], np.ones(1),
                               _day(right.date), np.array([[day], [day]]),
                               clusterer.sigma_days)[0]
    return out, lengths[right_rows]


def merge_pairs(articles: Sequence[Article], model: ClusterModel,
                settings: Settings | None = None, *, per_source: int = 5,
                max_active: int = MAX_ACTIVE_STORIES) -> tuple[np.ndarray, np.ndarray]:
    """Story-pair merge features and labels from clustering labelled ``articles`` with
    ``model`` (its join part, and its merge part when it has one, decide as at test time).

    At every fragment-merge pass, per source story, up to ``per_source`` candidate stories
    with the same majority gold story (positives) and up to ``per_source`` others
    (negatives) are recorded: those the model's merge part scores highest (without one: the
    highest centroid cosine)."""
    gold = _gold_labels(articles)
    clusterer = StoryClusterer(settings, model=model, max_active=max_active)
    clusterer._reset()
    recorder = _MergeRecorder(gold, per_source)
    clusterer._merge_recorder = recorder
    clusterer.partial_fit(articles)
    if not recorder.features:
        return np.zeros((0, len(MERGE_FEATURE_NAMES))), np.zeros(0, dtype=np.int8)
    return np.vstack(recorder.features), np.concatenate(recorder.labels)


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
