"""Evaluate: the field's standard clustering metrics over article id → story label maps.

``clustering_scores(gold, pred)`` returns, over the articles present in both maps:

- pairwise precision / recall / F1 over pairs of articles put in the same story (the
  definition of Miranda et al., 2018): a pair is a true positive when both maps put its two
  articles together. With no predicted pair, precision is 1.0 (no wrong pair was made); with no
  gold pair, recall is 1.0 (no pair was missed);
- BCubed precision / recall / F1 (Bagga & Baldwin, 1998; Amigó et al., 2009): per article, the
  share of its predicted story that is in its gold story, and vice versa, averaged;
- NMI (arithmetic normalisation, scikit-learn's default) and ARI.

All counts come from one sparse contingency table, so scoring a million articles is cheap.

On top of the metrics:

- :func:`evaluate_articles` / :func:`evaluate_clustering` run the pipeline's clusterer
  (:class:`~storyline.cluster.StoryClusterer`, no copy linking) over labelled articles / input
  files and return a :class:`ClusteringReport` (scores, #predicted vs #gold stories,
  articles/second of the clustering step, peak resident memory of the process). Articles
  without a gold label are clustered with the others but not scored; they are counted.
- :func:`fit_cluster_model` / :func:`fit_clusterer` fit the clusterer's model on a labelled
  corpus: the join model by logistic regression on teacher-forced pair features
  (``cluster.training_pairs``), the story-merge model on story pairs from replaying the
  stream with that join model (``cluster.merge_pairs``), then the join and merge thresholds
  with the best BCubed F1 on validation streams (by default the fitting corpus itself).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import resource
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.preprocessing import StandardScaler

from storyline.cluster import StoryClusterer, merge_pairs, training_pairs
from storyline.cluster_model import FEATURE_NAMES, ClusterModel
from storyline.config import Settings
from storyline.errors import InputError
from storyline.model import Article, Skip
from storyline.read import read_inputs

log = logging.getLogger(__name__)


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2.0 * precision * recall / total if total > 0.0 else 0.0


def _pairs(counts: np.ndarray) -> float:
    return float(np.sum(counts * (counts - 1.0) / 2.0))


def _aligned(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[list[str], list[str]]:
    common = sorted(set(gold) & set(pred))
    if not common:
        raise ValueError("gold and pred share no article id; score the same articles "
                         "(keys of both mappings are article ids)")
    missing = len(gold) - len(common)
    if missing:
        log.warning("%s gold articles have no prediction; they are left out of the scores",
                    missing)
    return [gold[a] for a in common], [pred[a] for a in common]


def clustering_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> dict[str, float]:
    """Pairwise and BCubed P/R/F1, NMI and ARI of ``pred`` against ``gold`` (id → label)."""
    gold_labels, pred_labels = _aligned(gold, pred)
    table = contingency_matrix(gold_labels, pred_labels, sparse=True).tocoo()
    cells = table.data.astype(np.float64)
    gold_sizes = np.asarray(table.sum(axis=1)).ravel().astype(np.float64)
    pred_sizes = np.asarray(table.sum(axis=0)).ravel().astype(np.float64)
    n = float(len(gold_labels))

    together = _pairs(cells)
    pred_pairs, gold_pairs = _pairs(pred_sizes), _pairs(gold_sizes)
    pair_p = together / pred_pairs if pred_pairs else 1.0
    pair_r = together / gold_pairs if gold_pairs else 1.0

    squared = cells**2
    b3_p = float(np.sum(squared / pred_sizes[table.col])) / n
    b3_r = float(np.sum(squared / gold_sizes[table.row])) / n

    return {
        "pairwise_precision": pair_p,
        "pairwise_recall": pair_r,
        "pairwise_f1": _f1(pair_p, pair_r),
        "bcubed_precision": b3_p,
        "bcubed_recall": b3_r,
        "bcubed_f1": _f1(b3_p, b3_r),
        "nmi": float(normalized_mutual_info_score(gold_labels, pred_labels)),
        "ari": float(adjusted_rand_score(gold_labels, pred_labels)),
        "n_articles": n,
        "n_gold": float(len(gold_sizes)),
        "n_pred": float(len(pred_sizes)),
    }


# -- running the clusterer on a labelled corpus -------------------------------------------------

# Metrics shown by ``ClusteringReport.to_text``, in order.
_TABLE = (("pairwise", "pairwise_precision", "pairwise_recall", "pairwise_f1"),
          ("BCubed", "bcubed_precision", "bcubed_recall", "bcubed_f1"))


def _peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    Linux: ``VmHWM`` of ``/proc/self/status`` (``ru_maxrss`` survives ``execve``, so a child
    process would report its parent's peak); elsewhere ``ru_maxrss`` (KiB, bytes on macOS).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    peak = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


@dataclass(frozen=True)
class ClusteringReport:
    """What ``storyline eval clustering`` prints (``to_text``) or emits as JSON (``to_dict``)."""

    scores: dict[str, float]
    n_articles: int
    n_labelled: int
    n_unlabelled: int
    n_skipped: int
    seconds: float
    articles_per_second: float
    peak_rss_mb: float
    model: Mapping[str, Any] = field(default_factory=dict)
    skips: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skips"] = list(self.skips[:20])
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def to_text(self) -> str:
        s = self.scores
        lines = [f"{'metric':<10} {'precision':>9} {'recall':>9} {'F1':>9}"]
        for name, p, r, f in _TABLE:
            lines.append(f"{name:<10} {s[p]:>9.4f} {s[r]:>9.4f} {s[f]:>9.4f}")
        lines += [
            f"NMI {s['nmi']:.4f}   ARI {s['ari']:.4f}",
            f"stories: {int(s['n_pred'])} predicted / {int(s['n_gold'])} gold",
            f"articles: {self.n_articles} clustered, {self.n_labelled} scored, "
            f"{self.n_unlabelled} without gold label (clustered, not scored), "
            f"{self.n_skipped} input items skipped",
            f"speed: {self.articles_per_second:,.0f} articles/s "
            f"({self.seconds:.2f} s clustering); peak memory {self.peak_rss_mb:,.0f} MiB",
        ]
        if self.model:
            lines.append(f"model: {self.model.get('source', '?')}")
            if "long_regime" in self.model:
                lines.append(f"long-article regime (>= {self.model['long_min_tokens']} content "
                             f"tokens): {self.model['long_regime']}")
        return "\n".join(lines) + "\n"


def evaluate_articles(articles: Sequence[Article], settings: Settings | None = None, *,
                      model: ClusterModel | str | Path | None = None,
                      skips: Sequence[Skip] = ()) -> ClusteringReport:
    """Cluster ``articles`` (one batch, stream order = (date, id)) and score the labelled ones.

    This is the call for benchmarks that build their own articles, e.g.
    ``evaluate_articles([Article(id=..., text=..., gold=...), ...]).scores["bcubed_f1"]``.
    """
    labelled = {a.id: a.gold for a in articles if a.gold is not None}
    if not labelled:
        raise InputError("no article carries a gold story label; pass --gold-field with the "
                         "field that holds it (e.g. clusterNo for MStream)")
    clusterer = StoryClusterer(settings, model=model)
    start = time.perf_counter()
    labels = clusterer.fit(articles).labels_
    seconds = time.perf_counter() - start
    scores = clustering_scores(labelled, labels)
    fitted = clusterer.model_
    return ClusteringReport(
        scores=scores, n_articles=len(articles), n_labelled=len(labelled),
        n_unlabelled=len(articles) - len(labelled), n_skipped=len(skips),
        seconds=seconds, articles_per_second=len(articles) / max(seconds, 1e-9),
        peak_rss_mb=_peak_rss_mb(),
        model={"source": str(model) if isinstance(model, str | Path) else
               fitted.provenance.get("corpus", "given model"),
               "threshold": fitted.threshold,
               **({"long_regime": fitted.long.provenance.get("corpus", "given model"),
                   "long_min_tokens": fitted.long_min_tokens,
                   "long_threshold": fitted.long.threshold} if fitted.long else {})},
        skips=tuple(str(s) for s in skips),
    )


def _read_labelled(inputs: Sequence[str | Path], settings: Settings, gold_field: str
                   ) -> tuple[list[Article], list[Skip]]:
    result = read_inputs(inputs, settings, gold_field=gold_field)
    if not result.articles:
        reasons = "; ".join(str(s) for s in result.skips[:3]) or "no input files found"
        raise InputError(f"nothing could be read from {', '.join(map(str, inputs))}: {reasons}")
    return result.articles, result.skips


def evaluate_clustering(inputs: Sequence[str | Path], settings: Settings | None = None, *,
                        gold_field: str = "cluster",
                        model: ClusterModel | str | Path | None = None) -> ClusteringReport:
    """Library entry point of ``storyline eval clustering``: read ``inputs`` (e.g. Miranda et
    al.'s ``dataset.test.json`` as is, or MStream's ``News.jsonl`` with
    ``gold_field="clusterNo"``), cluster every article, score those with a gold label."""
    settings = settings or Settings()
    articles, skips = _read_labelled(inputs, settings, gold_field)
    return evaluate_articles(articles, settings, model=model, skips=skips)


# -- fitting the join model ---------------------------------------------------------------------

# Negative pairs recorded per article while replaying the stream: the most similar wrong
# stories are the informative ones. Not tuned; with 5, positives are 19 % of the pairs on the
# MStream calibration half (5,113 of 26,759).
NEGATIVES_PER_ARTICLE = 5
# Story pairs recorded per merge source and label (right / wrong) while replaying with the
# fitted join model. Not tuned (same as NEGATIVES_PER_ARTICLE).
MERGE_PAIRS_PER_SOURCE = 5
# Inverse L2 strength of the logistic regressions (standardised features). scikit-learn's
# default, not tuned (the threshold sweep below is what is chosen).
LOGREG_C = 1.0
# Join-probability thresholds tried. With a merge pass the join decision can stay
# conservative (fragments are merged afterwards), so the grid reaches 0.5.
THRESHOLD_GRID: tuple[float, ...] = (0.05, 0.2, 0.5)
# Merge-probability thresholds tried; None = no merge pass (the join model alone).
MERGE_THRESHOLD_GRID: tuple[float | None, ...] = (None, 0.4, 0.6, 0.8, 0.9)


def _logistic(features: np.ndarray, labels: np.ndarray) -> tuple[tuple[float, ...], float]:
    """Logistic regression on standardised features, scaling folded back into raw
    coefficients (so applying it is one dot product)."""
    scaler = StandardScaler().fit(features)
    regression = LogisticRegression(C=LOGREG_C, max_iter=2000).fit(
        scaler.transform(features), labels)
    weights = regression.coef_[0] / scaler.scale_
    intercept = float(regression.intercept_[0] - np.sum(weights * scaler.mean_))
    return tuple(float(w) for w in weights), intercept


def _fit_merge(streams: Sequence[Sequence[Article]], join: ClusterModel,
               settings: Settings | None) -> tuple[tuple[float, ...], float, int] | None:
    """Merge coefficients for ``join``: replay each stream with the join model alone and
    record merge-candidate pairs (the clusterer's own fragments), fit; replay again with that
    merge part at probability 0.5 (the states it produces itself), refit on both rounds.
    ``None`` when the replay gives no mix of right and wrong merges to learn from."""
    rounds = [merge_pairs(s, join, settings, per_source=MERGE_PAIRS_PER_SOURCE) for s in streams]
    labels = np.concatenate([y for _, y in rounds])
    if labels.size == 0 or labels.min() == labels.max():
        return None
    coef, intercept = _logistic(np.vstack([f for f, _ in rounds]), labels)
    second = join.with_merge(coef, intercept, 0.5)
    rounds += [merge_pairs(s, second, settings, per_source=MERGE_PAIRS_PER_SOURCE)
               for s in streams]
    labels = np.concatenate([y for _, y in rounds])
    coef, intercept = _logistic(np.vstack([f for f, _ in rounds]), labels)
    return coef, intercept, int(labels.size)


def _pair_f1(model: ClusterModel, features: np.ndarray, labels: np.ndarray) -> float:
    """F1 of the join decision (logit at or above the threshold) on labelled pairs."""
    joined = model.logits(features) >= model.logit_threshold
    true = labels.astype(bool)
    return _f1(float(np.sum(joined & true) / max(int(joined.sum()), 1)),
               float(np.sum(joined & true) / max(int(true.sum()), 1)))


def _mean_scores(streams: Sequence[Sequence[Article]], model: ClusterModel,
                 settings: Settings | None) -> dict[str, float]:
    """Clustering scores of ``model`` averaged over ``streams`` (each clustered alone)."""
    runs = [clustering_scores({a.id: a.gold or "" for a in s},
                              StoryClusterer(settings, model=model).fit(s).labels_)
            for s in streams]
    return {key: float(np.mean([r[key] for r in runs])) for key in runs[0]}


def fit_cluster_model(articles: Sequence[Article], settings: Settings | None = None, *,
                      thresholds: Sequence[float] = THRESHOLD_GRID,
                      merge_thresholds: Sequence[float | None] = MERGE_THRESHOLD_GRID,
                      negatives: int = NEGATIVES_PER_ARTICLE,
                      orderings: Sequence[Sequence[Article]] = (),
                      validation: Sequence[Sequence[Article]] = (),
                      extra_pairs: tuple[np.ndarray, np.ndarray] | None = None,
                      pair_validation: tuple[np.ndarray, np.ndarray] | None = None,
                      drop_features: Sequence[str] = (),
                      provenance: Mapping[str, Any] | None = None
                      ) -> tuple[ClusterModel, list[dict[str, float]]]:
    """Fit the join and merge models on labelled ``articles``; return the model and the
    threshold sweep.

    ``orderings`` are more streams to fit on (e.g. the same stories in another order, with
    other ids); ``validation`` are the streams the thresholds are chosen on (default: the
    fitting streams themselves). ``extra_pairs`` are more labelled join pairs (features,
    labels; e.g. from :func:`~storyline.cluster.article_pair_features` on similarity-rated
    article pairs) added to the join fit; with ``pair_validation`` (the same, held apart)
    a threshold pair is chosen on the mean of the streams' BCubed F1 and the pair F1 of the
    join decision on those pairs, so the streams' gold is not the only judge.
    ``drop_features`` (names from ``FEATURE_NAMES``) are zeroed before the join fit, so their
    coefficients are 0: for features whose training distribution is an artefact of how the
    corpus was made (e.g. a generator's story sizes).

    1. replay each fitting stream with gold stories forced (``cluster.training_pairs``) →
       pair features and join labels → logistic regression (the join model);
    2. per join threshold in ``thresholds``: replay the fitting streams with that join model
       (``cluster.merge_pairs``, two rounds, see :func:`_fit_merge`) → the merge model;
    3. cluster every validation stream with each (join threshold, merge threshold) pair
       (merge threshold ``None``: no merge pass) and keep the pair with the best BCubed F1
       averaged over the streams (ties: the higher thresholds, the more conservative).
    """
    streams = [[a for a in stream if a.gold is not None] for stream in (articles, *orderings)]
    labelled = streams[0]
    if len({a.gold for a in labelled}) < 2:
        raise InputError("fitting the clusterer needs articles of at least two gold stories; "
                         "check --gold-field")
    pairs = [training_pairs(s, settings, negatives=negatives) for s in streams]
    if extra_pairs is not None:
        pairs.append(extra_pairs)
    features = np.vstack([f for f, _ in pairs])
    labels = np.concatenate([y for _, y in pairs])
    unknown = sorted(set(drop_features) - set(FEATURE_NAMES))
    if unknown:
        raise ValueError(f"unknown features to drop {unknown}; choose from {FEATURE_NAMES}")
    for name in drop_features:
        features[:, FEATURE_NAMES.index(name)] = 0.0
    if labels.size == 0 or labels.min() == labels.max():
        raise InputError("the labelled corpus gave no mix of join / no-join pairs to learn "
                         "from; it needs stories with several similar articles")
    coef, intercept = _logistic(features, labels)
    chosen_on = [[a for a in s if a.gold is not None] for s in validation] or streams
    sweep: list[dict[str, float]] = []
    candidates: list[tuple[dict[str, float], ClusterModel]] = []
    merge_pair_count: dict[float, int] = {}  # join threshold → merge pairs fitted on
    for threshold in thresholds:
        join = ClusterModel(coef, intercept, threshold)
        merge = (_fit_merge(streams, join, settings)
                 if any(m is not None for m in merge_thresholds) else None)
        for merge_threshold in merge_thresholds:
            if merge_threshold is not None and merge is None:
                continue
            model = join
            if merge_threshold is not None and merge is not None:
                model = join.with_merge(merge[0], merge[1], merge_threshold)
                merge_pair_count[threshold] = merge[2]
            scores = _mean_scores(chosen_on, model, settings)
            row = {"threshold": threshold,
                   "merge_threshold": 0.0 if merge_threshold is None else merge_threshold,
                   **scores, "selection": scores["bcubed_f1"]}
            if pair_validation is not None:
                row["pair_validation_f1"] = _pair_f1(join, *pair_validation)
                row["selection"] = (scores["bcubed_f1"] + row["pair_validation_f1"]) / 2.0
            sweep.append(row)
            candidates.append((row, model))
    best_row, best = max(candidates, key=lambda c: (round(c[0]["selection"], 4),
                                                    c[0]["threshold"], c[0]["merge_threshold"]))
    info = {
        **(provenance or {}),
        "fitted": datetime.now(UTC).date().isoformat(),
        "articles": sum(len(s) for s in streams),
        "fitting_streams": len(streams),
        "gold_stories": len({a.gold for a in labelled}),
        "pairs": int(labels.size),
        "positive_pairs": int(labels.sum()),
        "negatives_per_article": negatives,
        "dropped_features": list(drop_features),
        "merge_pairs": merge_pair_count.get(best.threshold, 0) if best.merges else 0,
        "merge_pairs_per_source": MERGE_PAIRS_PER_SOURCE,
        "logreg_C": LOGREG_C,
        "extra_pairs": 0 if extra_pairs is None else int(extra_pairs[1].size),
        "threshold_rule": ("mean of BCubed F1 and held-apart pair F1 (" + str(
            int(pair_validation[1].size)) + " pairs)" if pair_validation is not None
            else "best mean BCubed F1") + " over join thresholds "
                          f"{list(thresholds)} x merge thresholds "
                          f"{[m for m in merge_thresholds]} (None: no merge pass) on "
                          + (f"{len(chosen_on)} validation streams" if validation
                             else "the fitting streams"),
        "selection_bcubed_f1": round(best_row["bcubed_f1"], 4),
        "selection_nmi": round(best_row["nmi"], 4),
    }
    if pair_validation is not None:
        info["selection_pair_f1"] = round(best_row["pair_validation_f1"], 4)
    return dataclasses.replace(best, provenance=info), sweep


def fit_clusterer(inputs: Sequence[str | Path], settings: Settings | None = None, *,
                  gold_field: str = "cluster", output: str | Path | None = None
                  ) -> ClusterModel:
    """Library entry point of ``storyline fit-clusterer``: fit on every labelled article of
    ``inputs`` and write the model to ``output`` (when given)."""
    settings = settings or Settings()
    articles, _ = _read_labelled(inputs, settings, gold_field)
    model, _ = fit_cluster_model(articles, settings, provenance={
        "corpus": ", ".join(Path(i).name for i in inputs), "gold_field": gold_field,
        "split": "all labelled articles"})
    if output is not None:
        model.save(output)
    return model
