"""Fit the clusterer's long-article regime; check it on held-out long articles and the seeds.

Why a regime of its own: the shipped join model is fitted on MStream, stemmed title+snippet
items of at most 14 content tokens, where a title + body cosine of 0.2 already means "same
event". Between two full articles on one broad topic (2016 US election coverage) 0.2 is
ordinary, so with that model long articles snowball into a few giant stories (held-out
synthetic split: 47 predicted stories for 547 gold). The long regime is a second model, in the
same format, that decides for articles of at least ``LONG_MIN_TOKENS`` content tokens.

Fitted on two kinds of labelled data, neither of them reported:

1. the ``calib`` split of the synthetic corpus (``bench/synth_stories.py``: real PolNeAR /
   AEB / seed articles, their syndicated copies, truncations and rewrites, real same-week hard
   negatives), split again by a hash of the gold story: teacher-forced pair features and the
   merge replay come from one half, the join and merge thresholds are chosen on the other;
2. similarity-rated article pairs of the SemEval-2022 Task 8 sample, *training* split only
   (the testing split is what ``bench/semeval_similarity.py`` reports): same-language pairs
   rated ``Overall`` ≤ ``SAME_MAX_RATING`` are positives ("the same story", typically two
   outlets' independent reports — the case the synthetic gold cannot teach: it only knows
   copies), pairs rated ≥ ``DIFFERENT_MIN_RATING`` negatives, the rest left out. Pairs are
   split by a hash of the pair id: one half joins the logistic fit, the other judges the
   thresholds together with the synthetic validation half (mean of BCubed F1 and pair F1).

Reported (held out): the synthetic ``report`` split (disjoint stories) and the five seeds
(one story of five independent outlets; with an unrelated article added, two stories).

Run: ``.venv/bin/python bench/calibrate_long.py [--write-model]`` (about two minutes;
``--write-model`` puts the fitted regime into ``src/storyline/data/cluster_model.json``,
keeping its short-article model).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibrate_cluster as cc
import semeval_similarity as semeval
from clustering import load_synth
from storyline.cluster import StoryClusterer, article_pair_features
from storyline.cluster_model import FEATURE_NAMES, ClusterModel
from storyline.evaluate import evaluate_articles, fit_cluster_model
from storyline.model import Article, content_hash

# Content tokens (title + body) from which an article is "long". MStream items have at most
# 14, the shortest synthetic long article 24 and the SemEval texts' 1st percentile is above
# that: the gate sits in the gap where neither kind of training data lies.
LONG_MIN_TOKENS = 20
# SemEval "Overall" rating bands (1 = very similar … 4 = very dissimilar); 1.5–3 is left out
# as ambiguous (e.g. the same topic, another event).
SAME_MAX_RATING = 1.5
DIFFERENT_MIN_RATING = 3.0
# Story size and age are left out of the long regime: in the synthetic corpus they are the
# generator's (≤ 8 articles a story, copies within 6 days), and fitted on them the model
# learnt "a story of 4 articles takes no more" (the seeds' fifth outlet was refused).
DROPPED = ("log_size", "log_age")
# Join thresholds tried (finer than the library default: the selection mixes two judges).
JOIN_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
# Languages written without spaces between words: our word tokens do not apply.
UNSPACED_LANGS = frozenset({"zh", "ja", "th"})


def in_fitting_half(key: str, salt: str) -> bool:
    return int(content_hash(salt, key), 16) % 2 == 0


def semeval_pairs(background: Sequence[Article]
                  ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(features, labels) of the SemEval training pairs: fitting half, validation half."""
    chosen: list[tuple[Article, Article]] = []
    labels: list[int] = []
    halves: list[bool] = []
    for pair in semeval.load("training"):
        if pair.cross or pair.lang1 in UNSPACED_LANGS:
            continue
        if SAME_MAX_RATING < pair.overall < DIFFERENT_MIN_RATING:
            continue
        left_id, _, right_id = pair.pair_id.partition("_")
        chosen.append((semeval.to_article(f"se_{left_id}", pair.text1, pair.lang1),
                       semeval.to_article(f"se_{right_id}", pair.text2, pair.lang2)))
        labels.append(int(pair.overall <= SAME_MAX_RATING))
        halves.append(in_fitting_half(pair.pair_id, "semeval-pairs"))
    features, lengths = article_pair_features(chosen, background)
    y = np.array(labels, dtype=np.int8)
    # Only pairs the long regime would decide (the second article is long).
    long = lengths >= LONG_MIN_TOKENS
    fit = np.array(halves) & long
    val = ~np.array(halves) & long
    return (features[fit], y[fit]), (features[val], y[val])


def fit_long_regime() -> tuple[ClusterModel, list[dict[str, float]]]:
    calib = load_synth("calib")
    fitting = [a for a in calib if in_fitting_half(a.gold or "", "synth-inner")]
    validation = [a for a in calib if not in_fitting_half(a.gold or "", "synth-inner")]
    pair_fit, pair_val = semeval_pairs(fitting)
    print(f"synthetic calib: {len(fitting)} fitting / {len(validation)} validation articles; "
          f"SemEval training pairs: {pair_fit[1].size} fitting ({int(pair_fit[1].sum())} same "
          f"story) / {pair_val[1].size} validation ({int(pair_val[1].sum())} same story)")
    return fit_cluster_model(fitting, validation=[validation], extra_pairs=pair_fit,
                             pair_validation=pair_val, drop_features=DROPPED,
                             thresholds=JOIN_THRESHOLDS, provenance={
        "corpus": "synthetic calib split (bench/synth_stories.py --seed 1) + SemEval-2022 "
                  "Task 8 sample training_set.csv (same-language pairs, Overall <= 1.5 same "
                  "story, >= 3 different)",
        "gold_field": "cluster (synthetic); Overall rating bands (SemEval)",
        "split": "synthetic calib stories with int(content_hash('synth-inner', cluster), 16) "
                 "% 2 == 0 fit, the others choose thresholds; SemEval pairs likewise by "
                 "content_hash('semeval-pairs', pair_id)",
        "made_by": "bench/calibrate_long.py --write-model"})


def check(model: ClusterModel) -> None:
    report = evaluate_articles(load_synth("report"), model=model)
    print(cc.row("[held-out] synthetic report split", report.scores,
                 report.articles_per_second))
    seeds = [cc.parse_seed(p) for p in sorted(cc.SEEDS.glob("*.txt"))]
    alone = set(StoryClusterer(model=model).fit(seeds).labels_.values())
    mixed = StoryClusterer(model=model).fit([*seeds, cc.UNRELATED]).labels_
    print(f"seeds: {len(alone)} story; with an unrelated article: "
          f"{len(set(mixed.values()))} stories (want 1 and 2)")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    long, sweep = fit_long_regime()
    for r in sweep:
        print(f"  join={r['threshold']} merge={r['merge_threshold'] or 'off'}: BCubed F1 "
              f"{r['bcubed_f1']:.3f} NMI {r['nmi']:.3f} pair F1 "
              f"{r.get('pair_validation_f1', float('nan')):.3f} → {r['selection']:.3f}")
    print("long join coefficients:", {n: round(c, 3) for n, c in zip(FEATURE_NAMES, long.coef,
                                                                      strict=True)},
          f"intercept {long.intercept:.3f}; threshold {long.threshold}; merge "
          f"{long.merge_threshold if long.merges else 'off'}")
    model = ClusterModel.default().with_long(long, LONG_MIN_TOKENS)
    print("\nshort regime only (the model before this fit):")
    check(ClusterModel.default().with_long(None, 0))
    print("\nwith the fitted long regime:")
    check(model)
    if "--write-model" in args:
        model.save(cc.MODEL_FILE)
        print(f"wrote {cc.MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
