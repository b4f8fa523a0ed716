"""`storyline eval clustering` and `storyline fit-clusterer`: library functions and CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline.cli import main
from storyline.cluster_model import ClusterModel
from storyline.errors import InputError
from storyline.evaluate import evaluate_clustering, fit_clusterer

# Miranda et al. 2018 record layout (dataset.test.json is a JSON array of these).
STORIES = {
    "quake": ["Earthquake hits southern Peru near Arequipa",
              "Peru earthquake near Arequipa damages homes",
              "Arequipa residents flee as earthquake shakes Peru"],
    "talks": ["Blinken and Lavrov meet in Geneva over Ukraine",
              "Geneva talks: Blinken warns Lavrov on Ukraine troops",
              "Lavrov says Geneva meeting with Blinken was useful"],
    "budget": ["Congress passes budget deal before shutdown deadline",
               "Budget deal clears Congress, averting shutdown",
               "Shutdown averted as Congress approves budget deal"],
}


def _records() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for story, titles in STORIES.items():
        for k, title in enumerate(titles):
            out.append({"id": f"{story}{k}", "title": title,
                        "text": f"{title}. Officials reported on Monday.",
                        "date": f"2022-01-2{k} 10:00:00", "lang": "eng", "cluster": story})
    out.append({"id": "nolabel", "title": "Weather", "text": "Sunny skies expected all week.",
                "date": "2022-01-21 08:00:00"})
    return out


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "dataset.test.json"
    path.write_text(json.dumps(_records()), encoding="utf-8")
    return path


def test_evaluate_clustering_counts_unlabelled(corpus: Path) -> None:
    report = evaluate_clustering([corpus])
    assert report.n_articles == 10 and report.n_labelled == 9 and report.n_unlabelled == 1
    assert report.scores["n_gold"] == 3
    assert 0.0 <= report.scores["bcubed_f1"] <= 1.0 and report.articles_per_second > 0
    assert report.peak_rss_mb > 0
    assert "without gold label" in report.to_text()


def test_missing_gold_field_is_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match="gold-field"):
        evaluate_clustering([corpus], gold_field="clusterNo")


def test_cli_eval_clustering_json(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "clustering", str(corpus), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"nmi", "bcubed_f1", "pairwise_f1", "ari"} <= set(data["scores"])
    assert data["n_unlabelled"] == 1
    assert main(["eval", "clustering", str(corpus), "--gold-field", "nope"]) == 3
    assert "error:" in capsys.readouterr().err


def test_fit_clusterer_writes_a_usable_model(corpus: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.json"
    model = fit_clusterer([corpus], output=out)
    assert ClusterModel.load(out).coef == pytest.approx(model.coef)
    assert model.provenance["corpus"] == "dataset.test.json"
    assert main(["fit-clusterer", str(corpus), "-o", str(tmp_path / "m2.json")]) == 0
    assert main(["eval", "clustering", str(corpus), "--model", str(out)]) == 0
    assert "BCubed" in capsys.readouterr().out


@pytest.mark.slow
def test_mstream_held_out_floor(shared_dir: Path) -> None:
    """Quality gate: the shipped model on all of MStream News (floors only move up)."""
    report = evaluate_clustering([shared_dir / "data/googlenews-mstream/News.jsonl"],
                                 gold_field="clusterNo")
    assert report.scores["nmi"] >= 0.86 and report.scores["bcubed_f1"] >= 0.72



def test_fit_drops_features_and_reports_pair_validation(corpus: Path) -> None:
    from storyline.cluster_model import FEATURE_NAMES
    from storyline.config import Settings
    from storyline.evaluate import fit_cluster_model
    from storyline.read import read_inputs

    articles = read_inputs([corpus], Settings(), gold_field="cluster").articles
    pairs_x = np.array([[0.9] * 6 + [1.0, 0.7, 0.0, 0.9, 0.9],
                        [0.05] * 6 + [1.0, 0.7, 0.0, 0.05, 0.05]] * 10)
    pairs_y = np.array([1, 0] * 10, dtype=np.int8)
    model, sweep = fit_cluster_model(articles, drop_features=("log_size", "log_age"),
                                     extra_pairs=(pairs_x, pairs_y),
                                     pair_validation=(pairs_x, pairs_y),
                                     merge_thresholds=(None,))
    assert model.coef[FEATURE_NAMES.index("log_size")] == 0.0
    assert model.coef[FEATURE_NAMES.index("log_age")] == 0.0
    assert model.provenance["extra_pairs"] == 20
    # The extra pairs are perfectly separable: every threshold gets them all right.
    assert model.provenance["selection_pair_f1"] == 1.0
    assert all(row["pair_validation_f1"] == 1.0 for row in sweep)
    with pytest.raises(ValueError, match="unknown features"):
        fit_cluster_model(articles, drop_features=("no_such",), merge_thresholds=(None,))


@pytest.mark.slow
def test_synthetic_long_articles_floor(shared_dir: Path) -> None:
    """Quality gate on full-length articles: the held-out synthetic split (bench/
    synth_stories.py, real PolNeAR / AEB / seed articles) must not snowball into a few
    stories, as it did (BCubed F1 0.17) before the long-article regime."""
    bench = Path(__file__).resolve().parents[1] / "bench"
    sys.path.insert(0, str(bench))
    try:
        import synth_stories
    finally:
        sys.path.remove(str(bench))
    corpus = synth_stories.corpus_path("report", out=bench / "out")
    report = evaluate_clustering([corpus])
    assert report.scores["bcubed_f1"] >= 0.95 and report.scores["nmi"] >= 0.98
