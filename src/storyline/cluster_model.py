"""The fitted join-vs-new decision of the story clusterer, as a small JSON model.

:class:`ClusterModel` is a logistic regression over the features of one (article, candidate
story) pair, named in :data:`FEATURE_NAMES` and computed by ``cluster.py``:

==================  =================================================================
``cos_body``        cosine of the article's body TF-IDF to the story centroid
``cos_title``       same over title tokens (0 when either side has no title)
``cos_entity``      same over entity tokens (0 when either side has none)
``cos_all``         same over title + body tokens together
``max_all``         highest cosine (title + body) to one stored member of the story
``avg_all``         mean cosine (title + body) to the story's members (average link)
``time_gauss``      ``exp(-gap² / 2σ²)``, gap = days from the article to the story's date
                    span (1 when either side is undated)
``log_size``        ``log(1 + articles in the story)``
``log_age``         ``log(1 + days from the story's first article to this one)``
==================  =================================================================

The article joins the candidate with the highest logit when its probability reaches
``threshold``; otherwise it starts a new story. Coefficients are stored in raw feature units
(the standardisation used while fitting is folded in), so applying the model is one dot product.
``provenance`` says which corpus, split and date the model was fitted on.

The package ships ``data/cluster_model.json`` (see ``bench/calibrate_cluster.py``);
``storyline fit-clusterer`` writes others.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import ConfigError

FEATURE_NAMES: tuple[str, ...] = (
    "cos_body", "cos_title", "cos_entity", "cos_all", "max_all", "avg_all",
    "time_gauss", "log_size", "log_age",
)
DEFAULT_MODEL_FILE = "cluster_model.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ClusterModel:
    """Logistic join model: ``p(join) = sigmoid(features · coef + intercept)``."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    features: tuple[str, ...] = FEATURE_NAMES
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURE_NAMES:
            raise ConfigError(
                f"cluster model features {list(self.features)} differ from this version's "
                f"{list(FEATURE_NAMES)}; refit it with `storyline fit-clusterer`")
        if len(self.coef) != len(FEATURE_NAMES):
            raise ConfigError(f"cluster model has {len(self.coef)} coefficients for "
                              f"{len(FEATURE_NAMES)} features; refit it")
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"cluster model threshold {self.threshold} must be a probability "
                              "strictly between 0 and 1")

    @property
    def logit_threshold(self) -> float:
        """The threshold on the logit scale (joining compares logits, not probabilities)."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def logits(self, features: np.ndarray) -> np.ndarray:
        """Logits of a (pairs × features) matrix."""
        out: np.ndarray = features @ np.asarray(self.coef, dtype=np.float64) + self.intercept
        return out

    def with_threshold(self, threshold: float) -> ClusterModel:
        return ClusterModel(self.coef, self.intercept, threshold, self.features,
                            {**self.provenance, "threshold_rule": "set by hand"})

    # -- JSON -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "kind": "logistic join model",
            "features": list(self.features),
            "coef": [round(c, 8) for c in self.coef],
            "intercept": round(self.intercept, 8),
            "threshold": round(self.threshold, 6),
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "cluster model") -> ClusterModel:
        try:
            return cls(coef=tuple(float(c) for c in data["coef"]),
                       intercept=float(data["intercept"]),
                       threshold=float(data["threshold"]),
                       features=tuple(data.get("features", FEATURE_NAMES)),
                       provenance=dict(data.get("provenance", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{where} is not a cluster model ({exc!r}); write one with "
                              "`storyline fit-clusterer CORPUS -o model.json`") from None

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ClusterModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"cluster model file {path} does not exist") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cluster model file {path} is not valid JSON: {exc}") from None
        if not isinstance(data, Mapping):
            raise ConfigError(f"cluster model file {path} must hold a JSON object")
        return cls.from_dict(data, where=str(path))

    @classmethod
    def default(cls) -> ClusterModel:
        """The model shipped in the package (``storyline/data/cluster_model.json``)."""
        text = resources.files("storyline").joinpath("data", DEFAULT_MODEL_FILE).read_text(
            encoding="utf-8")
        return cls.from_dict(json.loads(text), where=f"packaged {DEFAULT_MODEL_FILE}")


def resolve_model(model: ClusterModel | str | Path | None) -> ClusterModel:
    """A model object from a model, a path to a model file, or ``None`` (the packaged one)."""
    if model is None:
        return ClusterModel.default()
    if isinstance(model, ClusterModel):
        return model
    return ClusterModel.load(model)
