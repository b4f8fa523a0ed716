"""Summaries: ROUGE of storyline vs LEAD vs LexRank on a leave-one-outlet-out PolNeAR set.

    .venv/bin/python bench/summaries.py                  # build the set in a temp dir, score it
    .venv/bin/python bench/summaries.py --out DIR        # build it into DIR (then: storyline
                                                         #   eval summaries DIR) and score it
    .venv/bin/python bench/summaries.py --find           # re-run the cluster-finding rule

What the data is (there is no DUC data on these machines, and no installed package ships
multi-document summarization references): ``bench/data/summaries/polnear_loo.json`` lists
clusters of 3–5 PolNeAR articles (US politics, 2015–2016, seven publishers) about one news
event or topic, found by a rule that does not involve storyline (``--find``: TF-IDF cosine
≥ 0.20 over whole texts, dates within 3 days, different publishers, single-link components of
size ≥ 3) and kept after reading their titles. Each member article in turn is held out: the
other members are the input, the held-out article's body is the reference. So the reference is
human-written news text by a *different outlet*, written independently of our system and of
the input articles — but it is a news lead (cut to 100 words), not an abstract written as a
summary, the clusters are topical rather than hand-verified single events, and there are only
36 folders. Leads as references favour the LEAD baseline by style (not by copying: the held-out
article is never in the input). Figures are NOT comparable with DUC-2004 (where LexRank gets
ROUGE-2 recall 7.5 and the best classic systems 9.4–9.8, DESIGN.md's target being ≥ 10).

The article texts are not copied into this repository; they are read from ../shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.config import Settings  # noqa: E402 - after the path set-up for a checkout
from storyline.eval_summaries import ROUGE_TYPES, SYSTEMS, evaluate_summaries  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
MANIFEST = ROOT / "bench" / "data" / "summaries" / "polnear_loo.json"
# --find rule (documented in the manifest; not tuned on ROUGE).
FIND_MIN_COSINE = 0.20
FIND_MAX_DAYS = 3
FIND_MIN_SIZE = 3


def _metadata() -> dict[str, dict[str, str]]:
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _text_path(stem: str) -> Path:
    for split in ("train", "dev"):
        path = POLNEAR / split / "text" / f"{stem}.txt"
        if path.is_file():
            return path
    raise FileNotFoundError(f"{stem}.txt is in neither train/ nor dev/ of {POLNEAR}")


def _title_and_body(stem: str) -> tuple[str, str]:
    """PolNeAR texts: the title (one or two lines) up to the first blank line, then the body."""
    raw = _text_path(stem).read_text(encoding="utf-8")
    head, _, body = raw.strip().partition("\n\n")
    return " ".join(head.split()).rstrip("."), body.strip()


def build(out: Path) -> int:
    """Write one folder per (cluster, held-out article); returns how many were written."""
    meta = _metadata()
    clusters: dict[str, list[str]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["clusters"]
    written = 0
    for name, members in sorted(clusters.items()):
        for held_out in members:
            folder = out / f"{name}--minus--{held_out[:40]}"
            (folder / "references").mkdir(parents=True, exist_ok=True)
            for stem in members:
                title, body = _title_and_body(stem)
                if stem == held_out:
                    (folder / "references" / f"{stem}.txt").write_text(body + "\n", "utf-8")
                    continue
                row = meta[stem]
                record = {"id": stem, "title": title, "text": body,
                          "date": f"{row['publication_date']} 12:00:00",
                          "source": row["publisher"]}
                (folder / f"{stem}.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
            written += 1
    return written


def find() -> None:
    """Print the candidate clusters of the rule in the module docstring."""
    from datetime import date

    from sklearn.feature_extraction.text import TfidfVectorizer

    meta = _metadata()
    stems = [s for s in sorted(meta) if any(
        (POLNEAR / split / "text" / f"{s}.txt").is_file() for split in ("train", "dev"))]
    texts = [_text_path(s).read_text(encoding="utf-8") for s in stems]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2,
                             max_df=0.3).fit_transform(texts)
    sims = (matrix @ matrix.T).toarray()
    days = [date.fromisoformat(meta[s]["publication_date"]) for s in stems]
    parent = list(range(len(stems)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(stems)):
        for j in range(i + 1, len(stems)):
            if (sims[i, j] >= FIND_MIN_COSINE and abs((days[i] - days[j]).days) <= FIND_MAX_DAYS
                    and meta[stems[i]]["publisher"] != meta[stems[j]]["publisher"]):
                parent[root(i)] = root(j)
    groups: dict[int, list[str]] = defaultdict(list)
    for i, stem in enumerate(stems):
        groups[root(i)].append(stem)
    for members in groups.values():
        if len(members) >= FIND_MIN_SIZE:
            print("---")
            for stem in members:
                print(f"  {stem}  | {meta[stem]['title'][:80]}")


def report(folder: Path, words: int) -> None:
    started = time.perf_counter()
    result = evaluate_summaries(folder, Settings(progress=False), words=words)
    elapsed = time.perf_counter() - started
    print(f"\nROUGE at {words} words on {len(result.clusters)} leave-one-outlet-out PolNeAR "
          f"folders ({result.multi_reference} over references; x100; {elapsed:.1f} s)")
    header = "system     " + "".join(f"{r.upper():>10} R {r.upper():>8} F" for r in ROUGE_TYPES)
    print(header)
    for system in SYSTEMS:
        mean = result.mean(system)
        print(f"{system:<11}" + "".join(f"{mean[f'{r}_recall']:>12.2f}{mean[f'{r}_f1']:>11.2f}"
                                        for r in ROUGE_TYPES))
    print("\nNot DUC-2004: published DUC-2004 ROUGE-2 recall (LexRank 7.5, best classic "
          "systems 9.4-9.8) is not comparable with these figures.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="build the folders here")
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--find", action="store_true", help="print the rule's clusters")
    args = parser.parse_args()
    if not POLNEAR.is_dir():
        sys.exit(f"{POLNEAR} is absent: this benchmark needs ../shared beside the checkout")
    if args.find:
        find()
        return
    if args.out is not None:
        print(f"built {build(args.out)} folders in {args.out}")
        report(args.out, args.words)
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(f"built {build(Path(tmp))} folders")
        report(Path(tmp), args.words)


if __name__ == "__main__":
    main()
