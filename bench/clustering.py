"""Story clustering: storyline vs TF-IDF/agglomerative, MiniLM+DBSCAN and MiniLM+HDBSCAN.

Run: ``.venv/bin/python bench/clustering.py [--quick]`` (full: about 15 min on 2 shared cores
with a warm embedding cache in ``bench/out/``; ``--quick``: small subsets, < 2 min warm).

Same data, same run, same metrics (``storyline.evaluate.clustering_scores``):

- datasets: MStream ``News.jsonl`` and ``News-T.jsonl`` (stream order), held-out half of the
  gold clusters by the split rule of ``bench/calibrate_cluster.py`` (imported); the ``report``
  split of the synthetic corpus of ``bench/synth_stories.py`` (real articles + syndicated
  copies, teasers and rewrites by 40 outlets with junk lines; disjoint from ``calib``).
- methods: (a) ``StoryClusterer`` as ``cluster.py`` ships it, without and with copy links from
  ``CopyLinker``; (b) TF-IDF (sub-linear) + ``AgglomerativeClustering`` (average linkage, cosine
  distance) at fixed ``AGGLO_DISTANCES``, the one chosen on the calibration half marked;
  (c) all-MiniLM-L6-v2 + ``DBSCAN(metric="cosine", eps=0.10, min_samples=2)`` (AWS's
  news-clustering sample); (d) the same embeddings + ``HDBSCAN(min_cluster_size=2)``
  (BERTopic-like without UMAP; euclidean on the L2-normalised vectors, i.e. a monotone function
  of cosine). Noise points of (c)/(d) are singletons.
- the embeddings signal on top of ours (``cluster.py`` has no hook for an extra signal):
  composition by *merging* — after ``StoryClusterer``, two stories merge when the cosine of their
  mean MiniLM embeddings is ≥ T and their date spans are within ``MERGE_WINDOW_DAYS``
  (``storyline.embeddings.merge_close_stories``); T is chosen on the calibration halves.
- cost: articles/s (wall clock, this process's cores) and peak memory = peak RSS minus RSS
  before the method ran, measured in a fresh child process per cell (``/proc/self/clear_refs``
  resets the peak). Embedding methods count encoding at the rate measured in this run on a
  fixed sample of the synthetic report split (long articles) or of MStream (headlines), plus
  their clustering step; the vectors come from a cache (``bench/out/emb-*.npz``).
- speed: big synthetic corpora (``synth_stories.big_corpus``) at 1k/10k/100k; methods that
  cannot run are marked with the computed reason (n² memory).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibrate_cluster as cc
import synth_stories as synth
from storyline.cluster import StoryClusterer
from storyline.config import Settings
from storyline.evaluate import clustering_scores
from storyline.model import Article, content_hash
from storyline.read.jsonl import record_to_article

OUT = Path(__file__).resolve().parent / "out"
AGGLO_DISTANCES = (0.5, 0.7, 0.8, 0.9, 0.95)
DBSCAN_EPS = 0.10
DBSCAN_MIN_SAMPLES = 2
HDBSCAN_MIN_CLUSTER = 2
MERGE_THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
MERGE_WINDOW_DAYS = 7.0
ENCODE_SAMPLE = 200
QUICK_ARTICLES = 600
SPEED_SIZES = (1_000, 10_000, 100_000)
QUICK_SPEED_SIZES = (1_000,)
# Largest n at which the n × n float64 distance matrix of the agglomerative baseline is built.
AGGLO_MAX_N = 12_000
# Largest n at which the embedding baselines are run (their vectors: real MStream embeddings).
EMBED_MAX_N = 11_000
BYTES_PER_FLOAT = 8
GIB = 1024**3
MIB = 1024**2


# -- data -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dataset:
    name: str
    articles: list[Article]
    family: str  # mstream | synth (which calibration half chooses the thresholds)


def mstream(quick: bool) -> tuple[list[Dataset], list[Dataset]]:
    """(held-out datasets, calibration datasets) of MStream with calibrate_cluster's split."""
    rows = cc.load_mstream("News.jsonl")
    held = cc.to_articles([r for r in rows if not cc.in_calibration_half(r[2])])
    calib = cc.to_articles([r for r in rows if cc.in_calibration_half(r[2])])
    stream = cc.to_articles([r for r in cc.load_mstream("News-T.jsonl")
                             if not cc.in_calibration_half(r[2])], stream_order=True)
    if quick:
        held, calib, stream = held[:QUICK_ARTICLES], calib[:QUICK_ARTICLES], \
            stream[:QUICK_ARTICLES]
    return ([Dataset("MStream News (held-out)", held, "mstream"),
             Dataset("MStream News-T (held-out, stream order)", stream, "mstream")],
            [Dataset("MStream News (calibration)", calib, "mstream")])


def load_synth(split: str) -> list[Article]:
    path = synth.corpus_path(split)
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            item = record_to_article(json.loads(line), f"{path}:{number}")
            if isinstance(item, Article):
                out.append(item)
    return out


def synthetic(quick: bool) -> tuple[Dataset, Dataset]:
    report, calib = load_synth("report"), load_synth("calib")
    # The calibration subset is bounded in both modes: MiniLM encodes long articles at a few
    # per second on the shared 2-core machines.
    calib = _whole_stories(calib, QUICK_ARTICLES)
    if quick:
        report = _whole_stories(report, QUICK_ARTICLES)
    return (Dataset("Synthetic report split", report, "synth"),
            Dataset("Synthetic calib split", calib, "synth"))


def _whole_stories(articles: Sequence[Article], n: int) -> list[Article]:
    """The first stories (by gold label hash) until ``n`` articles."""
    labels = sorted({a.gold or "" for a in articles}, key=lambda g: content_hash("q", g))
    keep: set[str] = set()
    count = 0
    sizes: dict[str, int] = {}
    for a in articles:
        sizes[a.gold or ""] = sizes.get(a.gold or "", 0) + 1
    for label in labels:
        if count >= n:
            break
        keep.add(label)
        count += sizes[label]
    return [a for a in articles if (a.gold or "") in keep]


def gold_of(articles: Sequence[Article]) -> dict[str, str]:
    return {a.id: a.gold or "" for a in articles}


# -- embeddings cache -----------------------------------------------------------------------
def text_of(article: Article) -> str:
    from storyline.embeddings import article_text

    return article_text(article)


def embeddings(articles: Sequence[Article]) -> NDArray[np.float32]:
    """MiniLM vectors of ``articles`` (rows in order), through a per-text cache in
    ``bench/out/emb-minilm.npz`` (keys: content hash of the encoded text); only missing texts
    are encoded, then the cache is rewritten."""
    texts = [text_of(a) for a in articles]
    keys = [content_hash("minilm", t) for t in texts]
    path = OUT / "emb-minilm.npz"
    store = _load_store(path)
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
    if missing:
        from storyline.embeddings import EmbeddingEncoder

        fresh = EmbeddingEncoder().encode([t for _, t in missing])
        store = {**_load_store(path), **store}  # another run may have added entries meanwhile
        store.update({k: v for (k, _), v in zip(missing, fresh, strict=True)})
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = OUT / "emb-minilm.tmp.npz"
        np.savez(tmp, keys=np.array(list(store)), vectors=np.stack(list(store.values())))
        tmp.replace(path)
    return np.stack([store[k] for k in keys]).astype(np.float32)


def _load_store(path: Path) -> dict[str, NDArray[np.float32]]:
    if not path.exists():
        return {}
    with np.load(path) as data:
        return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))


def warm_cache(quick: bool = False) -> None:
    """Encode every dataset this bench uses (slow once; later runs read the cache)."""
    report, scalib = synthetic(quick)
    embeddings(report.articles)
    embeddings(cc.to_articles(cc.load_mstream("News.jsonl")))
    embeddings(scalib.articles)


# -- methods (each runs in a fresh child process) -------------------------------------------
def _rss_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _measured(func: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB above the RSS before the call) of ``func(*args)``."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")  # reset VmHWM (peak RSS) to the current RSS
    except OSError:
        pass
    before = _rss_kib("VmRSS")
    start = time.perf_counter()
    result = func(*args)
    seconds = time.perf_counter() - start
    peak = max(_rss_kib("VmHWM") - before, 0) / 1024
    return result, seconds, peak


def _labels_ours(articles: Sequence[Article], with_links: bool) -> dict[str, str]:
    links = None
    if with_links:
        from storyline.link import CopyLinker

        links = CopyLinker(Settings()).fit(articles).links_
    labels: dict[str, str] = StoryClusterer(Settings()).fit(articles, links).labels_
    return labels


def _labels_agglo(articles: Sequence[Article], distance: float) -> list[str]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(
        [f"{a.title}\n{a.text}" for a in articles])
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=distance).fit_predict(
        cosine_distances(matrix))
    return [str(x) for x in labels]


def _noise_as_singletons(labels: NDArray[np.int64]) -> list[str]:
    return [f"c{x}" if x >= 0 else f"n{i}" for i, x in enumerate(labels.tolist())]


def _labels_dbscan(vectors: NDArray[np.float32]) -> list[str]:
    from sklearn.cluster import DBSCAN

    return _noise_as_singletons(DBSCAN(eps=DBSCAN_EPS, min_samples=DBSCAN_MIN_SAMPLES,
                                       metric="cosine").fit_predict(vectors))


def _labels_hdbscan(vectors: NDArray[np.float32]) -> list[str]:
    from sklearn.cluster import HDBSCAN

    return _noise_as_singletons(HDBSCAN(min_cluster_size=HDBSCAN_MIN_CLUSTER,
                                        copy=True).fit_predict(vectors.astype(np.float64)))


def _labels_merge(articles: Sequence[Article], vectors: NDArray[np.float32],
                  thresholds: Sequence[float]) -> list[dict[str, str]]:
    from storyline.embeddings import merge_close_stories

    ours = _labels_ours(articles, False)
    ids = [a.id for a in articles]
    days = [a.date.timestamp() / 86_400 if a.date else math.nan for a in articles]
    return [merge_close_stories(ids, ours, vectors, t, days, MERGE_WINDOW_DAYS)
            for t in thresholds]


def child(task: str, payload: Any) -> tuple[Any, float, float]:
    """Entry point of a child process: run one method, return (labels, seconds, peak MiB)."""
    if task == "encode":
        from storyline.embeddings import EmbeddingEncoder

        EmbeddingEncoder().encode(["warm-up"])
        return _measured(lambda: EmbeddingEncoder().encode([text_of(a) for a in payload]))
    runners: dict[str, Callable[..., Any]] = {
        "ours": lambda p: _labels_ours(p, False),
        "ours+links": lambda p: _labels_ours(p, True),
        "agglo": lambda p: _labels_agglo(p[0], p[1]),
        "dbscan": _labels_dbscan,
        "hdbscan": _labels_hdbscan,
        "merge": lambda p: _labels_merge(p[0], p[1], p[2]),
    }
    return _measured(runners[task], payload)


def in_child(task: str, payload: Any) -> tuple[Any, float, float]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(child, task, payload).result()


# -- reporting ------------------------------------------------------------------------------
@dataclass
class Row:
    method: str
    scores: dict[str, float]
    rate: float
    peak_mib: float
    note: str = ""


def markdown(title: str, rows: Sequence[Row]) -> str:
    lines = [f"\n### {title}\n",
             "| method | NMI | B³ P | B³ R | B³ F1 | pair F1 | ARI | #pred/#gold | art/s | "
             "peak MiB |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = r.scores
        lines.append(f"| {r.method}{r.note} | {s['nmi']:.3f} | {s['bcubed_precision']:.3f} | "
                     f"{s['bcubed_recall']:.3f} | {s['bcubed_f1']:.3f} | "
                     f"{s['pairwise_f1']:.3f} | {s['ari']:.3f} | "
                     f"{int(s['n_pred'])}/{int(s['n_gold'])} | {r.rate:,.0f} | "
                     f"{r.peak_mib:,.0f} |")
    return "\n".join(lines)


def as_map(articles: Sequence[Article], labels: Sequence[str]) -> dict[str, str]:
    return {a.id: label for a, label in zip(articles, labels, strict=True)}


def choose(calibration: Sequence[Article], vectors: NDArray[np.float32]
           ) -> tuple[float, float]:
    """(agglomerative distance, merge threshold) with the best BCubed F1 on ``calibration``."""
    gold = gold_of(calibration)
    agglo = {d: clustering_scores(gold, as_map(calibration, in_child("agglo", (calibration, d))[0]))
             ["bcubed_f1"] for d in AGGLO_DISTANCES}
    merges = in_child("merge", (calibration, vectors, MERGE_THRESHOLDS))[0]
    merge = {t: clustering_scores(gold, m)["bcubed_f1"] for t, m in
             zip(MERGE_THRESHOLDS, merges, strict=True)}
    return max(agglo, key=lambda d: agglo[d]), max(merge, key=lambda t: merge[t])


def quality(dataset: Dataset, distance: float, merge_t: float, encode_s_per_article: float,
            links: bool) -> list[Row]:
    arts = dataset.articles
    gold = gold_of(arts)
    n = len(arts)
    rows = []
    labels, sec, peak = in_child("ours", arts)
    ours_sec = sec
    rows.append(Row("storyline StoryClusterer", clustering_scores(gold, labels), n / sec, peak))
    if links:
        labels, sec, peak = in_child("ours+links", arts)
        rows.append(Row("storyline CopyLinker + StoryClusterer", clustering_scores(gold, labels),
                        n / sec, peak))
    vectors = embeddings(arts)
    encode_sec = encode_s_per_article * n
    merged, sec, peak = in_child("merge", (arts, vectors, (merge_t,)))
    rows.append(Row(f"storyline + MiniLM merge (T={merge_t})",
                    clustering_scores(gold, merged[0]), n / (sec + encode_sec), peak,
                    f" (encode {encode_sec:.0f} s + cluster {sec:.1f} s; ours alone "
                    f"{ours_sec:.1f} s)"))
    for d in AGGLO_DISTANCES:
        labels, sec, peak = in_child("agglo", (arts, d))
        mark = " ← chosen on calibration" if d == distance else ""
        rows.append(Row(f"TF-IDF + agglomerative d={d}", clustering_scores(gold, as_map(
            arts, labels)), n / sec, peak, mark))
    for task, name in (("dbscan", f"MiniLM + DBSCAN eps={DBSCAN_EPS}"),
                       ("hdbscan", f"MiniLM + HDBSCAN mcs={HDBSCAN_MIN_CLUSTER}")):
        labels, sec, peak = in_child(task, vectors)
        rows.append(Row(name, clustering_scores(gold, as_map(arts, labels)),
                        n / (sec + encode_sec), peak, f" (encode {encode_sec:.0f} s + "
                        f"cluster {sec:.1f} s)"))
    return rows


def encode_rate(articles: Sequence[Article]) -> tuple[float, float]:
    """(seconds per article, peak MiB) of MiniLM encoding measured on a fixed sample."""
    sample = list(articles[:ENCODE_SAMPLE])
    _, sec, peak = in_child("encode", sample)
    return sec / len(sample), peak


def speed(sizes: Sequence[int], enc_long: float, mstream_vectors: NDArray[np.float32]
          ) -> str:
    lines = ["\n### Speed and memory on big synthetic corpora (same run)\n",
             "| n | method | seconds | art/s | peak MiB | note |", "|---|---|---|---|---|---|"]
    for n in sizes:
        path = synth.corpus_path(f"big{n}")
        arts = [a for a in (record_to_article(json.loads(line), str(path))
                            for line in path.open(encoding="utf-8")) if isinstance(a, Article)]
        _, sec, peak = in_child("ours", arts)
        lines.append(f"| {n:,} | storyline StoryClusterer | {sec:.1f} | {n / sec:,.0f} | "
                     f"{peak:,.0f} | |")
        matrix_gib = n * n * BYTES_PER_FLOAT / GIB
        if n <= AGGLO_MAX_N:
            _, sec, peak = in_child("agglo", (arts, 0.8))
            lines.append(f"| {n:,} | TF-IDF + agglomerative | {sec:.1f} | {n / sec:,.0f} | "
                         f"{peak:,.0f} | n² distance matrix {matrix_gib:.2f} GiB |")
        else:
            lines.append(f"| {n:,} | TF-IDF + agglomerative | – | – | – | not feasible: n² "
                         f"float64 distance matrix = {matrix_gib:,.0f} GiB |")
        encode_sec = enc_long * n
        if n <= EMBED_MAX_N and n <= len(mstream_vectors):
            vectors = mstream_vectors[:n]
            for task, name in (("dbscan", "MiniLM + DBSCAN"), ("hdbscan", "MiniLM + HDBSCAN")):
                _, sec, peak = in_child(task, vectors)
                lines.append(f"| {n:,} | {name} | {encode_sec + sec:.1f} | "
                             f"{n / (encode_sec + sec):,.0f} | {peak:,.0f} | encode "
                             f"{encode_sec:.0f} s (measured rate × n) + cluster {sec:.1f} s "
                             f"(on {n:,} real MStream vectors) |")
        else:
            lines.append(f"| {n:,} | MiniLM + DBSCAN / HDBSCAN | ≥ {encode_sec:,.0f} | "
                         f"≤ {n / encode_sec:,.0f} | – | not run: encoding alone takes "
                         f"{encode_sec / 3600:.1f} h at this run's rate; HDBSCAN brute cosine "
                         f"needs {matrix_gib:,.0f} GiB |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small subsets, < 2 min warm")
    parser.add_argument("--no-speed", action="store_true", help="skip the big-corpus section")
    parser.add_argument("--speed-only", action="store_true",
                        help="only the big-corpus section (its baselines run in it too)")
    parser.add_argument("--sizes", type=int, nargs="*", default=None,
                        help=f"big-corpus sizes (default {' '.join(map(str, SPEED_SIZES))}; "
                             f"--quick: {' '.join(map(str, QUICK_SPEED_SIZES))})")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    print("reproduce: .venv/bin/python bench/clustering.py " + " ".join(sys.argv[1:]))
    if not cc.MSTREAM.is_dir() or not synth.POLNEAR.is_dir():
        print("../shared/data is absent: nothing to benchmark on", file=sys.stderr)
        return 1
    start = time.perf_counter()
    if args.speed_only:
        enc_long, _ = encode_rate(synthetic(True)[0].articles)
        print(f"\nMiniLM encoding (this run, {ENCODE_SAMPLE} long synthetic articles): "
              f"{1 / enc_long:.1f} art/s")
        mvec = embeddings(cc.to_articles(cc.load_mstream("News.jsonl")))
        print(speed(args.sizes or SPEED_SIZES, enc_long, mvec))
        print(f"\ntotal {time.perf_counter() - start:.0f} s")
        return 0
    held, calib = mstream(args.quick)
    report, scalib = synthetic(args.quick)
    enc_long, enc_peak = encode_rate(report.articles)
    enc_short, _ = encode_rate(held[0].articles)
    print(f"\nMiniLM encoding (this run, {ENCODE_SAMPLE} articles, model load excluded): "
          f"long synthetic articles {1 / enc_long:.1f} art/s, MStream headlines "
          f"{1 / enc_short:.1f} art/s; peak {enc_peak:,.0f} MiB")
    chosen = {"mstream": choose(calib[0].articles, embeddings(calib[0].articles)),
              "synth": choose(scalib.articles, embeddings(scalib.articles))}
    for family, (d, t) in chosen.items():
        print(f"chosen on the {family} calibration half: agglomerative d={d}, merge T={t}")
    for dataset in (*held, report):
        d, t = chosen[dataset.family]
        rate = enc_short if dataset.family == "mstream" else enc_long
        rows = quality(dataset, d, t, rate, links=dataset.family == "synth")
        print(markdown(f"{dataset.name}: {len(dataset.articles)} articles, "
                       f"{len({a.gold for a in dataset.articles})} gold stories", rows))
    if not args.no_speed:
        mvec = embeddings(cc.to_articles(cc.load_mstream("News.jsonl")))
        sizes = args.sizes or (QUICK_SPEED_SIZES if args.quick else SPEED_SIZES)
        print(speed(sizes, enc_long, mvec))
    print(f"\ntotal {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
