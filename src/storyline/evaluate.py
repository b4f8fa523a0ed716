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
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

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
