"""Fit the clusterer's join model on MStream News, report on held-out clusters.

Protocol (honest split): the 152 gold clusters of ``../shared/data/googlenews-mstream/News.jsonl``
are split in two halves by a hash of the cluster number (``in_calibration_half``). The model
shipped as ``src/storyline/data/cluster_model.json`` is fitted on the *calibration* half only,
which is split again by another hash (``in_fitting_quarter``): its join and merge coefficients
are fitted on the fitting quarter, in both the id order of News.jsonl and the stream order of
News-T.jsonl (``evaluate.fit_cluster_model``: teacher-forced pair features → join logistic
regression; story pairs from replaying with it → merge logistic regression), and the join and
merge thresholds are those with the best BCubed F1, averaged over both orders, on the
validation quarter. The baseline's distance threshold is chosen on the calibration half. Every
figure printed for the *held-out* half uses those values unchanged, in id order (News.jsonl is
shuffled) and in the stream order of News-T.jsonl.
Baseline: TF-IDF + AgglomerativeClustering (average linkage, cosine distance), same run.
The five seed articles are checked too (one story; one more for an unrelated article).

MStream text is lower-cased, stop-worded, stemmed title+snippet without dates: the title,
entity and time features are constant there, so their coefficients come out 0 (honest: no
dated, capitalised labelled corpus is at hand; refit with ``storyline fit-clusterer`` on
Miranda et al.'s corpus to learn them).

Speed: articles/s of the clusterer on the held-out half, News (11k) and a 100k stream made of
News-T repeated 9× with fresh ids and dates spread over 90 days (so stories age out), each
in a fresh process for its peak memory; agglomerative needs an n × n distance matrix (80 GB
at 100k) so it is only timed on the held-out half and on 11k.

Run: ``.venv/bin/python bench/calibrate_cluster.py [--write-model]`` (``--write-model``
overwrites the packaged model's short-article part, keeping the long-article regime that
``bench/calibrate_long.py`` fits; without it the fitted model is only compared with it).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_distances

from storyline.cluster import StoryClusterer
from storyline.cluster_model import ClusterModel
from storyline.evaluate import clustering_scores, evaluate_articles, fit_cluster_model
from storyline.model import Article, content_hash

ROOT = Path(__file__).resolve().parents[1]
MSTREAM = ROOT.parent / "shared" / "data" / "googlenews-mstream"
SEEDS = ROOT / "examples" / "geneva-2022"
MODEL_FILE = ROOT / "src" / "storyline" / "data" / "cluster_model.json"

BASELINE_DISTANCES = [0.8, 0.85, 0.9, 0.95, 0.97, 0.98]
SCALE_REPEATS = 9
SCALE_DAYS = 90

UNRELATED = Article(
    id="zz_peru_quake", title="Earthquake shakes southern Peru, no casualties reported",
    date=datetime(2022, 3, 5, tzinfo=UTC),
    text=("A magnitude 6.1 earthquake struck southern Peru early on Saturday, the country's "
          "geophysical institute said.\nThe quake was centred 40 kilometres north of the city of "
          "Arequipa at a depth of 110 kilometres.\nResidents in Arequipa and Moquegua ran into "
          "the streets as buildings swayed for almost a minute.\nLocal officials said there "
          "were no immediate reports of casualties or major damage.\nPeru sits on the Pacific "
          "Ring of Fire and records hundreds of tremors every year."),
)


def load_mstream(name: str) -> list[tuple[str, str, str]]:
    """(id, text, gold cluster) per line, in file order."""
    rows = []
    with (MSTREAM / name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                rows.append((str(item["Id"]), item["textCleaned"], str(item["clusterNo"])))
    return rows


def in_calibration_half(cluster: str) -> bool:
    return int(content_hash("mstream-split", cluster), 16) % 2 == 0


def in_fitting_quarter(cluster: str) -> bool:
    """Calibration clusters used to fit coefficients (the others choose thresholds)."""
    return int(content_hash("mstream-inner", cluster), 16) % 2 == 0


def to_articles(rows: Sequence[tuple[str, str, str]], stream_order: bool = False
                ) -> list[Article]:
    """Articles without dates; ``stream_order`` prefixes ids so id order = file order."""
    return [Article(id=f"{pos:05d}_{rid}" if stream_order else rid, text=text, gold=gold)
            for pos, (rid, text, gold) in enumerate(rows)]


def gold_of(articles: Sequence[Article]) -> dict[str, str]:
    return {a.id: a.gold or "" for a in articles}


def run_ours(articles: Sequence[Article], model: ClusterModel | None = None
             ) -> tuple[dict[str, float], float]:
    report = evaluate_articles(articles, model=model)
    return report.scores, report.articles_per_second


def run_baseline(articles: Sequence[Article], distance: float
                 ) -> tuple[dict[str, float], float]:
    start = time.perf_counter()
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform([a.text for a in articles])
    distances = cosine_distances(matrix)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=distance).fit_predict(distances)
    elapsed = time.perf_counter() - start
    pred = {a.id: str(label) for a, label in zip(articles, labels, strict=True)}
    return clustering_scores(gold_of(articles), pred), len(articles) / elapsed


def row(name: str, scores: dict[str, float], rate: float) -> str:
    return (f"{name:<38} NMI {scores['nmi']:.3f}  B3-F1 {scores['bcubed_f1']:.3f}  "
            f"pair-F1 {scores['pairwise_f1']:.3f}  ARI {scores['ari']:.3f}  "
            f"clusters {int(scores['n_pred']):>5} / gold {int(scores['n_gold']):>3}  "
            f"{rate:>8.0f} art/s")


def parse_seed(path: Path) -> Article:
    """The seed layout (title, YYYYMMDD, URL, body), known junk lines included."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    title, date = "", None
    if lines and not lines[0].endswith((".", '"', "”")) and len(lines[0].split()) < 20:
        title = lines.pop(0)
    if lines and re.fullmatch(r"\d{8}", lines[0]):
        date = datetime.strptime(lines.pop(0), "%Y%m%d").replace(tzinfo=UTC)
    if lines and lines[0].startswith("http"):
        lines.pop(0)
    return Article(id=path.stem, title=title, text="\n".join(lines), date=date)


def check_seeds(model: ClusterModel) -> None:
    seeds = [parse_seed(p) for p in sorted(SEEDS.glob("*.txt"))]
    alone = set(StoryClusterer(model=model).fit(seeds).labels_.values())
    mixed = StoryClusterer(model=model).fit([*seeds, UNRELATED]).labels_
    print(f"seeds: {len(alone)} story; with an unrelated article: "
          f"{len(set(mixed.values()))} stories (want 1 and 2)")


def scale_stream(n_repeats: int) -> list[Article]:
    """News-T repeated with fresh ids, dated evenly over SCALE_DAYS × repeats / 9 days."""
    rows = load_mstream("News-T.jsonl")
    total = len(rows) * n_repeats
    start = datetime(2013, 1, 1, tzinfo=UTC)
    step = timedelta(days=SCALE_DAYS * n_repeats / SCALE_REPEATS) / total
    return [Article(id=f"{k:02d}_{pos:05d}", text=text, gold=f"{k}_{gold}",
                    date=start + step * (k * len(rows) + pos))
            for k in range(n_repeats) for pos, (_, text, gold) in enumerate(rows)]


def scale_child(n_repeats: int) -> None:
    """Child process: cluster the scale stream, print one JSON line (rate, peak memory)."""
    report = evaluate_articles(scale_stream(n_repeats))
    print(json.dumps({"articles": report.n_articles, "rate": report.articles_per_second,
                      "peak_rss_mb": report.peak_rss_mb}))


def scale_rows() -> None:
    for repeats in (1, SCALE_REPEATS):
        out = subprocess.run([sys.executable, __file__, "--scale-child", str(repeats)],
                             capture_output=True, text=True, check=True).stdout
        data = json.loads(out.strip().splitlines()[-1])
        print(f"StoryClusterer on {data['articles']:>7,} dated articles: "
              f"{data['rate']:>6.0f} art/s, peak RSS {data['peak_rss_mb']:.0f} MiB")


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--scale-child":
        scale_child(int(sys.argv[2]))
        return 0
    if not MSTREAM.is_dir():
        print(f"{MSTREAM} is absent: nothing to fit on", file=sys.stderr)
        return 1
    rows = load_mstream("News.jsonl")
    calibration_rows = [r for r in rows if in_calibration_half(r[2])]
    calibration = to_articles(calibration_rows)
    held_out = to_articles([r for r in rows if not in_calibration_half(r[2])])
    stream_rows = [r for r in load_mstream("News-T.jsonl") if not in_calibration_half(r[2])]
    held_out_stream = to_articles(stream_rows, stream_order=True)
    n_cal = len({a.gold for a in calibration})
    n_held = len({a.gold for a in held_out})
    print(f"MStream News: {len(rows)} articles; calibration half {len(calibration)} articles / "
          f"{n_cal} clusters; held-out half {len(held_out)} articles / {n_held} clusters")

    cal_stream = [r for r in load_mstream("News-T.jsonl") if in_calibration_half(r[2])]
    fitting = [to_articles([r for r in rows_ if in_fitting_quarter(r[2]) == part], order)
               for part in (True, False)
               for rows_, order in ((calibration_rows, False), (cal_stream, True))]
    print("\n[calibration half] fit join + merge models on the fitting quarter (News and "
          "News-T order), sweep thresholds on the validation quarter (mean of both orders)")
    model, sweep = fit_cluster_model(fitting[0], orderings=[fitting[1]],
                                     validation=fitting[2:], provenance={
        "corpus": "MStream News.jsonl and News-T.jsonl (jackyin12/MStream @ ac89407)",
        "gold_field": "clusterNo",
        "split": "calibration half: clusters with int(content_hash('mstream-split', "
                 "clusterNo), 16) % 2 == 0; coefficients fitted on its clusters with "
                 "int(content_hash('mstream-inner', clusterNo), 16) % 2 == 0 (id order and "
                 "News-T stream order), thresholds chosen on the other calibration clusters",
        "made_by": "bench/calibrate_cluster.py --write-model"})
    for r in sweep:
        print(row(f"  join={r['threshold']} merge={r['merge_threshold'] or 'off'}", r, 0.0))
    print("join coefficients:", {n: round(c, 3) for n, c in zip(model.features, model.coef,
                                                                 strict=True)},
          f"intercept {model.intercept:.3f}; threshold {model.threshold}")
    print("merge coefficients:", [round(c, 3) for c in model.merge_coef],
          f"intercept {model.merge_intercept:.3f}; threshold "
          f"{model.merge_threshold if model.merges else 'off'}")
    shipped = ClusterModel.default() if MODEL_FILE.exists() else None
    if shipped is not None and shipped.long is not None:
        # The long-article regime is fitted by bench/calibrate_long.py; keep it.
        model = model.with_long(shipped.long, shipped.long_min_tokens)
    if "--write-model" in sys.argv:
        model.save(MODEL_FILE)
        print(f"wrote {MODEL_FILE}")
    elif shipped is not None and shipped.to_dict() | {"provenance": {}} != (
            model.to_dict() | {"provenance": {}}):
        print("NOTE: the packaged model differs from this fit (run with --write-model)")

    print("\n[calibration half] baseline TF-IDF + agglomerative (average, cosine)")
    best_distance, best_f1 = BASELINE_DISTANCES[0], -1.0
    for value in BASELINE_DISTANCES:
        scores, rate = run_baseline(calibration, value)
        print(row(f"  distance={value}", scores, rate))
        if scores["bcubed_f1"] > best_f1:
            best_distance, best_f1 = value, scores["bcubed_f1"]
    print(f"chosen baseline distance_threshold = {best_distance}")

    print("\n[held-out half] — reported figures (same run)")
    print(row("StoryClusterer (fitted model) News", *run_ours(held_out, model)))
    print(row("StoryClusterer (fitted model) News-T", *run_ours(held_out_stream, model)))
    for value in BASELINE_DISTANCES:
        mark = " (chosen)" if value == best_distance else ""
        print(row(f"agglomerative d={value}{mark}", *run_baseline(held_out, value)))
    print(row(f"agglomerative d={best_distance} News-T order",
              *run_baseline(held_out_stream, best_distance)))

    print("\n[speed and memory] (whole News, unlabelled use of the labels)")
    everything = to_articles(rows)
    print(row("StoryClusterer News 11k", *run_ours(everything, model)))
    print(row(f"agglomerative d={best_distance} News 11k",
              *run_baseline(everything, best_distance)))
    scale_rows()
    print()
    check_seeds(model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
