"""The fitted join-vs-new decision of the story clusterer, as a small JSON model.

:class:`ClusterModel` is a logistic regression over the features of one (article, candidate
story) pair, named in :data:`FEATURE_NAMES` and computed by ``cluster.py``:

==================  =================================================================
``cos_body``        cosine of the article's body TF-IDF to the story centroid
``cos_title``       same over title tokens (0 when either side has no title)
``cos_entity``      same over entity tokens of title + body (0 when either side has none)
``cos_all``         same over title + body tokens together
``max_all``         highest cosine (title + body) to one stored member of the story
``avg_all``         mean cosine (title + body) to the story's members (average link)
``time_gauss``      ``exp(-gap² / 2σ²)``, gap = days from the article to the story's date
                    span (1 when either side is undated)
``log_size``        ``log(1 + articles in the story)``
``log_age``         ``log(1 + days from the story's first article to this one)``
``cos_entity_title`` same over the entity tokens of the title alone
``cos_entity_body`` same over the entity tokens of the body alone
==================  =================================================================

The article joins the candidate with the highest logit when its probability reaches
``threshold``; otherwise it starts a new story.

An optional second logistic model, over the features of a pair of stories
(:data:`MERGE_FEATURE_NAMES`: the same cosines between the two story centroids, the best
member-to-member cosine, average link, the Gaussian of the gap between the two date spans and
both sizes), drives the fragment-merge pass run after every chunk: a story founded in the
current batch merges into a larger (or older) active story when its merge probability reaches
``merge_threshold``. A model without ``merge_coef`` runs no merge pass.

Long articles get a model of their own (the *long regime*, optional): cosines between two
full-length articles on one broad topic sit where cosines between two headlines of one event
do, so one set of weights cannot serve both. When the model has a ``long`` part, an article
with at least ``long_min_tokens`` title + body content tokens is decided by it (join, and the
merge pass for the stories it founds); shorter ones by the outer model. The ``long`` part is a
complete model in the same format, fitted on long-article data (``bench/calibrate_cluster.py``).

Coefficients are stored in raw feature units (the standardisation used while fitting is folded
in), so applying either model is one dot product.
``provenance`` says which corpus, split and date the model was fitted on.

The package ships ``data/cluster_model.json`` (see ``bench/calibrate_cluster.py``);
``storyline fit-clusterer`` writes others.
"""

from __future__ import annotations

import dataclasses
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
    "time_gauss", "log_size", "log_age", "cos_entity_title", "cos_entity_body",
)
MERGE_FEATURE_NAMES: tuple[str, ...] = (
    "cos_body", "cos_title", "cos_entity", "cos_all", "max_all", "avg_all",
    "time_gauss", "log_size_small", "log_size_large", "cos_entity_title", "cos_entity_body",
)
DEFAULT_MODEL_FILE = "cluster_model.json"
# 2: optional "merge" section (format 1 files still load: no merge pass).
# 3: optional "long_regime" section (format 1 and 2 files still load: one model for all lengths).
FORMAT_VERSION = 3


@dataclass(frozen=True)
class ClusterModel:
    """Logistic join model: ``p(join) = sigmoid(features · coef + intercept)``, plus the
    optional story-merge model ``p(merge) = sigmoid(merge features · merge_coef +
    merge_intercept)``."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    features: tuple[str, ...] = FEATURE_NAMES
    provenance: Mapping[str, Any] = field(default_factory=dict)
    merge_coef: tuple[float, ...] = ()
    merge_intercept: float = 0.0
    merge_threshold: float = 0.5
    long: ClusterModel | None = None
    long_min_tokens: int = 0

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
        if self.merge_coef and len(self.merge_coef) != len(MERGE_FEATURE_NAMES):
            raise ConfigError(f"cluster model has {len(self.merge_coef)} merge coefficients for "
                              f"{len(MERGE_FEATURE_NAMES)} merge features; refit it")
        if not 0.0 < self.merge_threshold < 1.0:
            raise ConfigError(f"cluster model merge threshold {self.merge_threshold} must be a "
                              "probability strictly between 0 and 1")
        if self.long is not None and (self.long.long is not None or self.long_min_tokens < 1):
            raise ConfigError("cluster model long regime must be a one-regime model with "
                              "long_min_tokens >= 1; refit it with bench/calibrate_long.py")

    def regime(self, n_tokens: int) -> ClusterModel:
        """The one-regime model deciding for an article of ``n_tokens`` content tokens."""
        if self.long is not None and n_tokens >= self.long_min_tokens:
            return self.long
        return self

    def with_long(self, long: ClusterModel | None, min_tokens: int) -> ClusterModel:
        """This model for short articles, ``long`` for articles of ``min_tokens`` or more."""
        return dataclasses.replace(self, long=long, long_min_tokens=min_tokens if long else 0)

    @property
    def merges(self) -> bool:
        """Whether the model has a story-merge part (else no merge pass runs)."""
        return bool(self.merge_coef)

    @property
    def merge_logit_threshold(self) -> float:
        return math.log(self.merge_threshold / (1.0 - self.merge_threshold))

    def merge_logits(self, features: np.ndarray) -> np.ndarray:
        """Merge logits of a (story pairs × ``MERGE_FEATURE_NAMES``) matrix."""
        out: np.ndarray = (features @ np.asarray(self.merge_coef, dtype=np.float64)
                           + self.merge_intercept)
        return out

    def with_merge(self, coef: tuple[float, ...], intercept: float, threshold: float
                   ) -> ClusterModel:
        """The same join model with another merge part (``coef=()``: none)."""
        return dataclasses.replace(self, merge_coef=coef, merge_intercept=intercept,
                                   merge_threshold=threshold)

    @property
    def logit_threshold(self) -> float:
        """The threshold on the logit scale (joining compares logits, not probabilities)."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def logits(self, features: np.ndarray) -> np.ndarray:
        """Logits of a (pairs × features) matrix."""
        out: np.ndarray = features @ np.asarray(self.coef, dtype=np.float64) + self.intercept
        return out

    def with_threshold(self, threshold: float) -> ClusterModel:
        return dataclasses.replace(self, threshold=threshold, provenance={
            **self.provenance, "threshold_rule": "set by hand"})

    # -- JSON -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "kind": "logistic join model",
            "features": list(self.features),
            "coef": [round(c, 8) for c in self.coef],
            "intercept": round(self.intercept, 8),
            "threshold": round(self.threshold, 6),
        }
        if self.merges:
            data["merge"] = {
                "features": list(MERGE_FEATURE_NAMES),
                "coef": [round(c, 8) for c in self.merge_coef],
                "intercept": round(self.merge_intercept, 8),
                "threshold": round(self.merge_threshold, 6),
            }
        if self.long is not None:
            data["long_regime"] = {"min_tokens": self.long_min_tokens,
                                   "model": self.long.to_dict()}
        data["provenance"] = dict(self.provenance)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "cluster model") -> ClusterModel:
        try:
            merge = data.get("merge") or {}
            coef = _padded(data.get("features", FEATURE_NAMES), data["coef"], FEATURE_NAMES,
                           where)
            merge_coef = (_padded(merge.get("features", MERGE_FEATURE_NAMES), merge["coef"],
                                  MERGE_FEATURE_NAMES, f"{where} (merge part)")
                          if merge else ())
            regime = data.get("long_regime") or {}
            long = (cls.from_dict(regime["model"], where=f"{where} (long regime)")
                    if regime else None)
            return cls(coef=coef,
                       intercept=float(data["intercept"]),
                       threshold=float(data["threshold"]),
                       provenance=dict(data.get("provenance", {})),
                       merge_coef=merge_coef,
                       merge_intercept=float(merge.get("intercept", 0.0)),
                       merge_threshold=float(merge.get("threshold", 0.5)),
                       long=long,
                       long_min_tokens=int(regime.get("min_tokens", 0)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
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


def _padded(names: Any, coef: Any, current: tuple[str, ...], where: str) -> tuple[float, ...]:
    """Coefficients in this version's feature order. A file written before the later features
    existed (its names are a prefix of ``current``) gets 0 for them: it decides as before."""
    names = tuple(names)
    values = tuple(float(c) for c in coef)
    if names != current[: len(names)] or len(values) != len(names):
        raise ConfigError(f"{where}: features {list(names)} with {len(values)} coefficients do "
                          f"not match this version's {list(current)}; refit it with "
                          "`storyline fit-clusterer`")
    return values + (0.0,) * (len(current) - len(names))


def resolve_model(model: ClusterModel | str | Path | None) -> ClusterModel:
    """A model object from a model, a path to a model file, or ``None`` (the packaged one)."""
    if model is None:
        return ClusterModel.default()
    if isinstance(model, ClusterModel):
        return model
    return ClusterModel.load(model)
