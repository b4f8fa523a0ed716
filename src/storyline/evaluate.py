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
- :func:`fit_cluster_model` / :func:`fit_clusterer` fit the join model of the clusterer on a
  labelled corpus: logistic regression on teacher-forced pair features
  (``cluster.training_pairs``), then the join-probability threshold that maximises BCubed F1
  when clustering that same corpus (so the threshold is chosen on the fitting data only).
"""

from __future__ import annotations

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

from storyline.cluster import StoryClusterer, training_pairs
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
               "threshold": fitted.threshold},
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
# Inverse L2 strength of the logistic regression (standardised features). scikit-learn's
# default, not tuned (the threshold sweep below is what is chosen on the fitting corpus).
LOGREG_C = 1.0
# Join-probability thresholds tried when choosing the model's threshold on the fitting corpus.
THRESHOLD_GRID: tuple[float, ...] = (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4,
                                     0.5)


def fit_cluster_model(articles: Sequence[Article], settings: Settings | None = None, *,
                      thresholds: Sequence[float] = THRESHOLD_GRID,
                      negatives: int = NEGATIVES_PER_ARTICLE,
                      provenance: Mapping[str, Any] | None = None
                      ) -> tuple[ClusterModel, list[dict[str, float]]]:
    """Fit the join model on labelled ``articles``; return it and the threshold sweep.

    1. replay the stream with gold stories forced (``cluster.training_pairs``) → pair
       features and join labels;
    2. logistic regression on standardised features; the scaling is folded back into raw
       coefficients;
    3. cluster ``articles`` with each threshold in ``thresholds``; keep the one with the best
       BCubed F1 (ties: the higher threshold, the more conservative merge).
    """
    labelled = [a for a in articles if a.gold is not None]
    if len({a.gold for a in labelled}) < 2:
        raise InputError("fitting the clusterer needs articles of at least two gold stories; "
                         "check --gold-field")
    features, labels = training_pairs(labelled, settings, negatives=negatives)
    if labels.size == 0 or labels.min() == labels.max():
        raise InputError("the labelled corpus gave no mix of join / no-join pairs to learn "
                         "from; it needs stories with several similar articles")
    scaler = StandardScaler().fit(features)
    regression = LogisticRegression(C=LOGREG_C, max_iter=2000).fit(
        scaler.transform(features), labels)
    weights = regression.coef_[0] / scaler.scale_
    intercept = float(regression.intercept_[0] - np.sum(weights * scaler.mean_))
    base = ClusterModel(tuple(float(w) for w in weights), intercept, 0.5)
    gold = {a.id: a.gold or "" for a in labelled}
    sweep: list[dict[str, float]] = []
    for threshold in thresholds:
        model = base.with_threshold(threshold)
        scores = clustering_scores(gold, StoryClusterer(settings, model=model)
                                   .fit(labelled).labels_)
        sweep.append({"threshold": threshold, **scores})
    chosen = max(sweep, key=lambda r: (round(r["bcubed_f1"], 4), r["threshold"]))
    info = {
        **(provenance or {}),
        "fitted": datetime.now(UTC).date().isoformat(),
        "articles": len(labelled),
        "gold_stories": len({a.gold for a in labelled}),
        "pairs": int(labels.size),
        "positive_pairs": int(labels.sum()),
        "negatives_per_article": negatives,
        "logreg_C": LOGREG_C,
        "threshold_rule": "best BCubed F1 over thresholds "
                          f"{list(thresholds)} on the fitting corpus",
        "fitting_bcubed_f1": round(chosen["bcubed_f1"], 4),
        "fitting_nmi": round(chosen["nmi"], 4),
    }
    model = ClusterModel(base.coef, base.intercept, chosen["threshold"], FEATURE_NAMES, info)
    return model, sweep


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
