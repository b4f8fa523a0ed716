"""`storyline eval summaries`: folder layout, baselines, ROUGE truncation, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from storyline.cli import main
from storyline.config import Settings
from storyline.errors import InputError
from storyline.eval_summaries import (
    SYSTEMS,
    Cluster,
    cluster_context,
    evaluate_summaries,
    first_words,
    lead_summary,
    lexrank_scores,
    lexrank_summary,
    load_clusters,
    rouge,
)
from tests.conftest import EXAMPLE

REFERENCE = ("U.S. Secretary of State Antony Blinken and Russian Foreign Minister Sergey Lavrov "
             "met in Geneva on Friday as more than 100,000 Russian troops massed near Ukraine. "
             "No breakthrough was reached but both sides agreed to keep talking.")


@pytest.fixture(scope="module")
def eval_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evalsum")
    cluster = root / "geneva"
    shutil.copytree(EXAMPLE, cluster)
    (cluster / "references").mkdir()
    (cluster / "references" / "a.txt").write_text(REFERENCE, encoding="utf-8")
    (cluster / "references" / "b.txt").write_text("Blinken and Lavrov met in Geneva.",
                                                  encoding="utf-8")
    return root


def test_load_clusters_keeps_references_out_of_the_articles(eval_dir: Path) -> None:
    [cluster] = load_clusters(eval_dir)
    assert cluster.name == "geneva" and len(cluster.references) == 2
    assert len(cluster.files) == 5
    assert not [f for f in cluster.files if "references" in f.parts]


def test_bad_layouts_raise(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_clusters(tmp_path / "missing")
    with pytest.raises(InputError):
        load_clusters(tmp_path)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Some article text that is long enough.")
    with pytest.raises(InputError, match="references"):
        load_clusters(tmp_path)


def test_evaluate_summaries(eval_dir: Path) -> None:
    report = evaluate_summaries(eval_dir, Settings(progress=False), words=100)
    [cluster] = report.clusters
    assert set(cluster.scores) == set(SYSTEMS)
    for system in SYSTEMS:
        scores = cluster.scores[system]
        assert all(0.0 <= v <= 100.0 for v in scores.values())
        assert len(cluster.summaries[system].split()) >= 20
        assert scores["rouge1_recall"] > 20  # every system finds the meeting
    assert len(cluster.summaries["lead"].split()) == 100
    data = report.to_dict()
    assert data["multi_reference"] == "average" and data["clusters"] == 1
    assert report.mean("storyline") == cluster.scores["storyline"]


def test_rouge_truncates_both_sides_and_averages_references() -> None:
    text = " ".join(f"w{i}" for i in range(150))
    assert rouge(text, [text], 100)["rouge2_recall"] == pytest.approx(100.0)
    # Words past the budget on either side do not count.
    tail = " ".join(f"w{i}" for i in range(100, 150))
    assert rouge(tail, [text], 100)["rouge1_recall"] == 0.0
    both = rouge(text, [text, "nothing in common"], 100)
    assert both["rouge1_recall"] == pytest.approx(50.0)
    assert first_words("a  b\nc d", 3) == "a b c"


def test_lexrank_scores_centre_of_a_star_wins() -> None:
    # Sentence 0 shares a word with each of 1..3; those share nothing with each other.
    vectors = np.array([[1, 1, 1, 0], [1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]], dtype=float)
    vectors[:, 3] = [0, 1, 1, 1]
    vectors[1:, 3] = 0
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = lexrank_scores(vectors)
    assert scores.sum() == pytest.approx(1.0)
    assert int(np.argmax(scores)) == 0
    assert lexrank_scores(np.zeros((0, 3))).size == 0


def test_baselines_are_deterministic(eval_dir: Path) -> None:
    [cluster] = load_clusters(eval_dir)
    ctx = cluster_context(cluster, Settings(progress=False))
    assert lead_summary(ctx, 50) == lead_summary(ctx, 50)
    assert len(lead_summary(ctx, 50).split()) == 50
    assert lexrank_summary(ctx, 100) == lexrank_summary(ctx, 100)
    assert lead_summary(ctx, 50).startswith("U.S. Secretary of State Antony Blinken")  # dated
    empty = Cluster("e", (), ())
    assert empty.files == ()


def test_cli_json(eval_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["eval", "summaries", str(eval_dir), "--words", "60", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["words"] == 60 and set(data["mean"]) == set(SYSTEMS)
    assert main(["eval", "summaries", str(eval_dir)]) == 0
    assert "lexrank" in capsys.readouterr().out
