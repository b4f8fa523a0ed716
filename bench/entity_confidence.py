"""How well entity confidence separates right entities from wrong ones, on a labelled sample.

Run: ``.venv/bin/python bench/entity_confidence.py [POLNEAR_DIR]`` (a few seconds; the default
directory is ``../shared/data/polnear``). Reads ``bench/entity_confidence_audit.tsv`` (100
entities of 30 PolNeAR train articles, hand-labelled right or wrong; see its header), extracts
each article's entities with the current code and prints, for the labelled ones it finds:
ROC AUC of ``Entity.confidence`` (right above wrong), mean confidence per label, and the share
of right entities above and below 0.5 — beside the anchor of the same AUC for a constant
confidence (0.5, what a score of 1.0 everywhere gives), for the mention count alone and for
"the kind is person, place or org" (most wrong entities are left as "other").

The confidence formula was set from the evidence weights before the sample was labelled (see
``CONFIDENCE_SCALE`` in ``storyline/synth/entities.py``); nothing here is fitted.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from storyline.model import Article, StoryContext
from storyline.synth.entities import collect_mentions, extract_entities

HERE = Path(__file__).resolve().parent
AUDIT = HERE / "entity_confidence_audit.tsv"
DEFAULT = HERE.parents[1] / "shared" / "data" / "polnear"


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Probability that a random right entity scores above a random wrong one (ties half)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT
    text_dir = root / "train" / "text"
    if not text_dir.is_dir():
        sys.stderr.write(f"{text_dir} not found: pass the PolNeAR directory (holding train/)\n")
        return 2
    with AUDIT.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t"))
    found: dict[tuple[str, str], tuple[float, int, bool]] = {}
    for file in sorted({r["file"] for r in rows}):
        article = Article(id=file.removesuffix(".txt"),
                          text=(text_dir / file).read_text(encoding="utf-8"))
        ctx = StoryContext(article.id, (article,))
        mentions = collect_mentions(ctx)
        for entity in extract_entities(ctx, mentions):
            count = sum(1 for m in mentions if m.form == entity.name or m.form in entity.aliases)
            found[(file, entity.name)] = (entity.confidence, count, entity.kind != "other")
    scored = [(found[(r["file"], r["entity"])], int(r["label"])) for r in rows
              if (r["file"], r["entity"]) in found]
    confidence = [c for (c, _, _), _ in scored]
    counts = [float(n) for (_, n, _), _ in scored]
    typed = [float(t) for (_, _, t), _ in scored]
    labels = [y for _, y in scored]
    right = [c for c, y in zip(confidence, labels, strict=True) if y]
    wrong = [c for c, y in zip(confidence, labels, strict=True) if not y]
    high = [y for c, y in zip(confidence, labels, strict=True) if c >= 0.5]
    low = [y for c, y in zip(confidence, labels, strict=True) if c < 0.5]
    print("reproduce: .venv/bin/python bench/entity_confidence.py")
    print(f"labelled entities found with the current code: {len(scored)} of {len(rows)} "
          f"({sum(labels)} right, {len(labels) - sum(labels)} wrong)")
    print(f"ROC AUC  confidence {roc_auc(confidence, labels):.3f}   "
          f"anchors: constant 0.500, mention count {roc_auc(counts, labels):.3f}, "
          f"kind is not 'other' {roc_auc(typed, labels):.3f}")
    print(f"mean confidence  right {sum(right) / max(len(right), 1):.3f}   "
          f"wrong {sum(wrong) / max(len(wrong), 1):.3f}")
    print(f"right share  confidence >= 0.5: {sum(high)}/{len(high)}   "
          f"< 0.5: {sum(low)}/{len(low)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
