"""Evaluate story summaries with ROUGE against reference summaries, beside two baselines.

Folder layout (one folder per cluster)::

    DIR/<cluster>/<articles, any readable format>     the story's articles
    DIR/<cluster>/references/*.txt                    one reference summary per file

The cascade:

1. :func:`load_clusters` — the cluster folders, their article files (everything outside
   ``references/``) and their reference texts; a folder without references is an error.
2. :func:`cluster_context` — the articles read, cleaned and linked exactly as
   ``storyline story`` does (:meth:`Pipeline.ingest` and the copy linker), as one story.
3. Three systems over that context, each held to ``words`` words:
   ``storyline`` (:func:`storyline.synth.summary.summarize`, the product),
   ``lead`` (:func:`lead_summary`: the first words of the earliest article) and
   ``lexrank`` (:func:`lexrank_summary`: Erkan & Radev 2004, written here as a baseline).
4. :func:`rouge` — Google's ``rouge-score`` (ROUGE-1, ROUGE-2, ROUGE-L; Porter stemming on),
   candidate and every reference truncated to their first ``words`` whitespace words (the DUC
   convention). With several references a cluster's score is the **average** over its references
   (ROUGE-1.5.5's default without jackknifing); the report is the mean over clusters.

Scores are recall and F1 × 100. They are only comparable with published figures on the same
data: see ``bench/summaries.py`` for what the bundled reference set is (and is not).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from storyline.config import Settings
from storyline.errors import InputError, MissingDependencyError
from storyline.model import Article, StoryContext
from storyline.pipeline import Pipeline
from storyline.synth.summary import FloatArray, clean_sentences, summarize
from storyline.text import content_tokens

log = logging.getLogger(__name__)

REFERENCES_DIR = "references"
SYSTEMS: tuple[str, ...] = ("storyline", "lead", "lexrank")
ROUGE_TYPES: tuple[str, ...] = ("rouge1", "rouge2", "rougeL")
MULTI_REFERENCE = "average"

# --- LexRank parameters (Erkan & Radev 2004, "LexRank: Graph-based Lexical Centrality as
#     Salience in Text Summarization"; not tuned here) -------------------------------------
# Edges join sentences whose TF-IDF cosine exceeds this (the paper's best DUC threshold).
LEXRANK_THRESHOLD = 0.1
# Random-jump probability of the power iteration (the paper uses 0.1–0.2).
LEXRANK_DAMPING = 0.15
# Power iteration stops when the L1 change falls under this, or after this many steps.
LEXRANK_TOLERANCE = 1e-6
LEXRANK_MAX_ITERATIONS = 200
# A sentence this similar (cosine) to one already chosen is skipped: the usual redundancy
# filter of LexRank summarizers (without it the top sentences are near-copies of each other).
LEXRANK_REDUNDANT = 0.5
# Sentences shorter than this are headings and captions, for the baseline as for us.
LEXRANK_MIN_WORDS = 5


@dataclass(frozen=True, slots=True)
class Cluster:
    """One evaluation cluster: its name, article files and reference texts."""

    name: str
    files: tuple[Path, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClusterScore:
    """Every system's scores on one cluster: ``scores[system]["rouge2_recall"]`` etc."""

    name: str
    articles: int
    references: int
    scores: dict[str, dict[str, float]]
    summaries: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SummaryEvalReport:
    """Mean scores over clusters, per system, plus the per-cluster detail."""

    words: int
    clusters: tuple[ClusterScore, ...]
    systems: tuple[str, ...] = SYSTEMS
    multi_reference: str = MULTI_REFERENCE

    def mean(self, system: str) -> dict[str, float]:
        keys = [f"{r}_{m}" for r in ROUGE_TYPES for m in ("recall", "f1")]
        if not self.clusters:
            return dict.fromkeys(keys, 0.0)
        return {k: float(np.mean([c.scores[system][k] for c in self.clusters])) for k in keys}

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "clusters": len(self.clusters),
            "multi_reference": self.multi_reference,
            "truncation": f"candidate and references cut to their first {self.words} words",
            "scale": "x100",
            "mean": {s: {k: round(v, 2) for k, v in self.mean(s).items()} for s in self.systems},
            "per_cluster": [
                {"name": c.name, "articles": c.articles, "references": c.references,
                 "scores": {s: {k: round(v, 2) for k, v in c.scores[s].items()}
                            for s in self.systems}}
                for c in self.clusters
            ],
        }


# --- step 1: clusters -----------------------------------------------------------------------
def load_clusters(directory: str | Path) -> list[Cluster]:
    """Cluster folders of ``directory`` (sorted by name), each with articles and references."""
    root = Path(directory)
    if not root.is_dir():
        raise InputError(f"{root} is not a folder; pass a folder with one sub-folder per "
                         f"cluster, each holding its articles and {REFERENCES_DIR}/*.txt")
    out: list[Cluster] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        ref_dir = folder / REFERENCES_DIR
        references = tuple(p.read_text(encoding="utf-8", errors="replace")
                           for p in sorted(ref_dir.glob("*.txt"))) if ref_dir.is_dir() else ()
        files = tuple(sorted(p for p in folder.rglob("*")
                             if p.is_file() and ref_dir not in p.parents))
        if not references:
            raise InputError(f"cluster {folder} has no {REFERENCES_DIR}/*.txt; add at least "
                             "one reference summary per cluster")
        if not files:
            raise InputError(f"cluster {folder} has no article files besides its references")
        out.append(Cluster(folder.name, files, references))
    if not out:
        raise InputError(f"{root} has no cluster folders; expected {root}/<cluster>/ with "
                         f"articles and {REFERENCES_DIR}/*.txt")
    return out


# --- step 2: the story as `storyline story` sees it -----------------------------------------
def cluster_context(cluster: Cluster, settings: Settings) -> StoryContext:
    """Read, clean and link a cluster's articles as one story (the ``storyline story`` path)."""
    pipeline = Pipeline(settings)
    articles, _ = pipeline.ingest(list(cluster.files))
    ordered = tuple(sorted(articles, key=lambda a: a.id))
    links = pipeline.linker(settings).fit(ordered).links_
    return StoryContext(cluster.name, ordered, links)


# --- step 3: systems ------------------------------------------------------------------------
def first_words(text: str, words: int) -> str:
    """The first ``words`` whitespace-separated words of ``text`` (the DUC truncation)."""
    return " ".join(text.split()[:words])


def storyline_summary(ctx: StoryContext, words: int) -> str:
    return " ".join(s.text for s in summarize(ctx, words=words))


def _earliest_first(article: Article) -> tuple[bool, datetime | int, str]:
    return (article.date is None, article.date or 0, article.id)


def lead_summary(ctx: StoryContext, words: int) -> str:
    """LEAD: the first ``words`` words of the earliest-dated independent article.

    Undated stories fall back to the most central independent article (TF-IDF cosine of its
    text to the mean of all articles' vectors), then to the first by id.
    """
    pool = ctx.originals() or ctx.articles
    if not pool:
        return ""
    dated = [a for a in pool if a.date is not None]
    chosen = min(dated, key=_earliest_first) if dated else _most_central(pool)
    return first_words(" ".join(clean_sentences(chosen)), words)


def _most_central(articles: Sequence[Article]) -> Article:
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(analyzer=content_tokens).fit_transform(
            [a.text for a in articles])
    except ValueError:  # no content words anywhere
        return articles[0]
    vectors = np.asarray(matrix.toarray(), dtype=np.float64)
    centroid = vectors.mean(axis=0)
    scores = vectors @ centroid
    return articles[int(np.argmax(scores))]  # argmax: first of equals, i.e. by story order


def lexrank_scores(vectors: FloatArray, threshold: float = LEXRANK_THRESHOLD,
                   damping: float = LEXRANK_DAMPING) -> FloatArray:
    """LexRank centrality of L2-normalised sentence vectors (rows): stationary distribution of
    a random walk on the thresholded cosine graph, with a uniform random jump."""
    n = vectors.shape[0]
    if n == 0:
        return np.zeros(0)
    adjacency = ((vectors @ vectors.T) > threshold).astype(np.float64)
    np.fill_diagonal(adjacency, 1.0)  # every sentence links to itself: no empty rows
    transition = adjacency / adjacency.sum(axis=1, keepdims=True)
    matrix = damping / n + (1.0 - damping) * transition
    scores = np.full(n, 1.0 / n)
    for _ in range(LEXRANK_MAX_ITERATIONS):
        updated = matrix.T @ scores
        if float(np.abs(updated - scores).sum()) < LEXRANK_TOLERANCE:
            return np.asarray(updated, dtype=np.float64)
        scores = updated
    return np.asarray(scores, dtype=np.float64)


def lexrank_summary(ctx: StoryContext, words: int) -> str:
    """LexRank baseline: sentences of every article by centrality, redundant ones skipped,
    until the budget is reached (the last one is cut by the ROUGE truncation, as in DUC)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [s for a in ctx.articles for s in clean_sentences(a)
                 if len(s.split()) >= LEXRANK_MIN_WORDS]
    if not sentences:
        return ""
    try:
        matrix = TfidfVectorizer(analyzer=content_tokens, norm="l2").fit_transform(sentences)
    except ValueError:  # stopwords only
        return ""
    vectors = np.asarray(matrix.toarray(), dtype=np.float64)
    scores = lexrank_scores(vectors)
    order = sorted(range(len(sentences)), key=lambda i: (-float(scores[i]), i))
    chosen: list[int] = []
    used = 0
    for i in order:
        if used >= words:
            break
        if any(float(vectors[i] @ vectors[j]) >= LEXRANK_REDUNDANT for j in chosen):
            continue
        chosen.append(i)
        used += len(sentences[i].split())
    return " ".join(sentences[i] for i in chosen)


SystemFn = Callable[[StoryContext, int], str]
SYSTEM_FUNCTIONS: dict[str, SystemFn] = {
    "storyline": storyline_summary, "lead": lead_summary, "lexrank": lexrank_summary,
}


# --- step 4: scoring ------------------------------------------------------------------------
def _scorer() -> Any:
    try:
        from rouge_score import rouge_scorer
    except ImportError:  # pragma: no cover - the eval extra is installed in development
        raise MissingDependencyError("rouge-score", "eval", "storyline eval summaries") from None
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def rouge(candidate: str, references: Sequence[str], words: int, scorer: Any = None
          ) -> dict[str, float]:
    """ROUGE-1/2/L recall and F1 (× 100) of ``candidate``, averaged over ``references``,
    both sides cut to their first ``words`` words."""
    scorer = scorer or _scorer()
    cut = first_words(candidate, words)
    totals = {f"{r}_{m}": 0.0 for r in ROUGE_TYPES for m in ("recall", "f1")}
    for reference in references:
        result = scorer.score(first_words(reference, words), cut)
        for r in ROUGE_TYPES:
            totals[f"{r}_recall"] += 100.0 * result[r].recall
            totals[f"{r}_f1"] += 100.0 * result[r].fmeasure
    return {k: v / max(len(references), 1) for k, v in totals.items()}


def evaluate_summaries(directory: str | Path, settings: Settings | None = None,
                       words: int = 100) -> SummaryEvalReport:
    """Score storyline's summaries and the LEAD and LexRank baselines on every cluster."""
    if words <= 0:
        raise InputError(f"--words must be positive, got {words}")
    settings = settings or Settings()
    scorer = _scorer()
    out: list[ClusterScore] = []
    for cluster in load_clusters(directory):
        ctx = cluster_context(cluster, settings)
        summaries = {name: SYSTEM_FUNCTIONS[name](ctx, words) for name in SYSTEMS}
        scores = {name: rouge(text, cluster.references, words, scorer)
                  for name, text in summaries.items()}
        log.info("cluster %s: %s articles, ROUGE-2 recall %s", cluster.name, len(ctx.articles),
                 {k: round(v["rouge2_recall"], 1) for k, v in scores.items()})
        out.append(ClusterScore(cluster.name, len(ctx.articles), len(cluster.references),
                                scores, summaries))
    return SummaryEvalReport(words=words, clusters=tuple(out))

