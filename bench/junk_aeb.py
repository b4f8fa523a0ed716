"""Junk-line removal on full-page text dumps of the article-extraction-benchmark (AEB) pages.

    .venv/bin/python bench/junk_aeb.py                 # report (held-out half + full set)
    .venv/bin/python bench/junk_aeb.py --calibrate     # refit src/storyline/data/junk_lines.json
    .venv/bin/python bench/junk_aeb.py --cv            # grouped k-fold CV, calibration half only

Input: ``../shared/data/aeb`` (181 pages ``html/*.html.gz``, truth ``ground-truth.json``).
Each page is dumped to plain text with lxml, one line per block element (script/style/head and
similar dropped), then cleaned by :func:`storyline.clean.clean_articles` — the product's code path
— and scored with the benchmark's own metric, re-implemented here: ``\\w+`` tokens (case kept),
multiset of 4-token shingles, TP/FP/FN per page normalised to sum 1, precision and recall averaged
over pages (a page counts for precision only when something was predicted, for recall only when
something was expected), F1 = harmonic mean of the two averages.

Honesty: pages are split deterministically by the sha256 of their id (first byte even →
calibration, odd → report). ``--calibrate`` fits the line model on the calibration half only; the
headline figure is the report half. Full-set figures are printed too, labelled as such.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline import clean  # noqa: E402 - after the path set-up for running from a checkout
from storyline.config import Settings  # noqa: E402
from storyline.model import Article  # noqa: E402

AEB = ROOT.parent / "shared" / "data" / "aeb"
MODEL_PATH = ROOT / "src" / "storyline" / "data" / clean.MODEL_RESOURCE
COMMAND = ".venv/bin/python bench/junk_aeb.py"
PUBLISHED = {"keep everything": 0.665, "drop lines repeated on >=2 pages": 0.799,
             "ends in punctuation and >=10 words": 0.843}
SHINGLE_N = 4
# Logistic regression inverse regularisation; sklearn's default, not tuned.
LOGISTIC_C = 1.0
# Thresholds tried when calibrating the keep threshold (maximising F1 on the calibration half).
THRESHOLD_GRID = tuple(round(0.05 * k, 2) for k in range(4, 17))
# Folds of --cv (pages grouped, assigned by a second byte of sha256("cv" + id)). 10 is the usual
# choice; with 91 pages a fold has ~9 pages.
CV_FOLDS = 10
# Each page's line weights sum to this (times its share of words): the metric averages pages,
# so every page weighs the same in the fit. Chosen by --cv (0.892 vs 0.887 for raw word weights).
PAGE_WEIGHT = 1000.0

# --- page dump -------------------------------------------------------------------------------
def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


BLOCK_TAGS = _names(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol option p pre "
    "section summary table tbody td tfoot th thead title tr ul")
DROPPED_TAGS = _names("script style noscript template svg head iframe object canvas select")


def dump_page(html: bytes) -> list[str]:
    """Plain-text dump of a whole page: one line per block element, whitespace collapsed."""
    import lxml.etree
    import lxml.html
    from trafilatura.utils import decode_file  # charset sniffing (pages are not all UTF-8)

    root = lxml.html.document_fromstring(decode_file(html))
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(current)).strip()
        if text:
            lines.append(text)
        current.clear()

    hidden = 0
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            hidden += tag in DROPPED_TAGS
            if hidden:
                continue
            if tag in BLOCK_TAGS:
                flush()
            if tag and element.text:
                current.append(element.text)
        else:
            hidden -= tag in DROPPED_TAGS
            if hidden:
                continue
            if tag in BLOCK_TAGS:
                flush()
            if element.tail:
                current.append(element.tail)
    flush()
    return lines


# --- metric (the benchmark's, in our words) ---------------------------------------------------
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    toks = _TOKEN.findall(text)
    if not toks:
        return Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page."""
    gold, pred = shingles(truth), shingles(predicted)
    tp = sum((gold & pred).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(counts: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(F1, precision, recall) over pages."""
    def ratio(tp: float, other: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return tp / (tp + other) if tp + other else 0.0

    precisions = [ratio(tp, fp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [ratio(tp, fn, fp, fn) for tp, fp, fn in counts if tp + fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


# --- data --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    truth: str
    lines: tuple[str, ...]

    @property
    def calibration(self) -> bool:
        return hashlib.sha256(self.id.encode()).digest()[0] % 2 == 0

    def article(self) -> Article:
        host = (urlsplit(self.url).hostname or "").removeprefix("www.")
        return Article(id=self.id, text="\n".join(self.lines), url=self.url, source=host,
                       lang="xx")  # lang set: language detection is not what is measured


def load_pages(aeb: Path) -> list[Page]:
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        html = gzip.decompress((aeb / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(page_id, truth[page_id].get("url", ""),
                          truth[page_id].get("articleBody", ""), tuple(dump_page(html))))
    return pages


# --- systems -----------------------------------------------------------------------------------
System = Callable[[Sequence[Page]], dict[str, str]]


def keep_everything(pages: Sequence[Page]) -> dict[str, str]:
    return {p.id: "\n".join(p.lines) for p in pages}


def drop_repeated(pages: Sequence[Page]) -> dict[str, str]:
    counts = Counter(line for p in pages for line in set(p.lines))
    return {p.id: "\n".join(x for x in p.lines if counts[x] < 2) for p in pages}


def punctuation_rule(pages: Sequence[Page]) -> dict[str, str]:
    return {p.id: "\n".join(x for x in p.lines if len(x.split()) >= 10
                            and x.rstrip()[-1:] in ".!?\"”'’") for p in pages}


def ours(pages: Sequence[Page], model: clean.LineModel | None = None) -> dict[str, str]:
    kept, _skips = clean.clean_articles([p.article() for p in pages], Settings(), model)
    texts = {a.id: a.text for a in kept}
    return {p.id: texts.get(p.id, "") for p in pages}


# --- calibration -------------------------------------------------------------------------------
def line_labels(lines: Sequence[str], truth: str) -> list[int]:
    """1 when most of a line's shingles (or, for a short line, its token run) are in the truth."""
    gold = set(shingles(truth))
    padded = " " + " ".join(_TOKEN.findall(truth)) + " "
    labels = []
    for line in lines:
        toks = _TOKEN.findall(line)
        if len(toks) < SHINGLE_N:
            labels.append(int(bool(toks) and f" {' '.join(toks)} " in padded))
        else:
            own = [tuple(toks[i:i + SHINGLE_N]) for i in range(len(toks) - SHINGLE_N + 1)]
            labels.append(int(sum(s in gold for s in own) >= 0.5 * len(own)))
    return labels


def _fit(rows: list[list[float]], labels: list[int], weights: list[float]) -> clean.LogisticPass:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    fitted = LogisticRegression(C=LOGISTIC_C, max_iter=2000)
    fitted.fit((x - mean) / scale, np.asarray(labels), sample_weight=np.asarray(weights))
    return clean.LogisticPass(tuple(float(c) for c in fitted.coef_[0]),
                              float(fitted.intercept_[0]), tuple(map(float, mean)),
                              tuple(map(float, scale)))


def calibrate(pages: Sequence[Page]) -> clean.LineModel:
    """Fit both passes on ``pages`` (the calibration half) and pick the keep threshold there."""
    boilerplate = clean.site_boilerplate([p.article() for p in pages])
    rows1: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    page_rows = []
    for page in pages:
        article = page.article()
        _meta, dump, junk = clean.page_lines(
            article, boilerplate.get(clean.source_key(article), frozenset()))
        lines = [x for x, j in zip(dump, junk, strict=True) if not j]
        if len(lines) < clean.MIN_LINES_FOR_MODEL:
            continue
        rows = clean.line_features(dump, junk)
        page_rows.append(rows)
        rows1 += rows
        labels += line_labels(lines, page.truth)
        # Weight by words (the metric counts shingles, so long lines matter more), normalised
        # per page (the metric averages pages).
        words = [1.0 + len(clean.words_of(x)) for x in lines]
        weights += [PAGE_WEIGHT * w / sum(words) for w in words]
    first = _fit(rows1, labels, weights)
    rows2: list[list[float]] = []
    for rows in page_rows:
        rows2 += clean.context_features(rows, first.probabilities(rows))
    second = _fit(rows2, labels, weights)
    best = max(THRESHOLD_GRID, key=lambda t: score(_counts(
        pages, ours(pages, clean.LineModel(first, second, t))))[0])
    note = (f"fitted by bench/junk_aeb.py --calibrate on the {len(pages)} AEB calibration pages "
            f"(sha256(id)[0] even); threshold {best} maximised their F1 over {THRESHOLD_GRID}")
    return clean.LineModel(first, second, best, note)


def save_model(model: clean.LineModel, path: Path) -> None:
    def as_dict(p: clean.LogisticPass) -> dict[str, object]:
        return {"coef": [round(c, 6) for c in p.coef], "intercept": round(p.intercept, 6),
                "mean": [round(m, 6) for m in p.mean], "scale": [round(s, 6) for s in p.scale]}

    data = {"features": list(clean.FEATURE_NAMES + clean.CONTEXT_FEATURE_NAMES),
            "first": as_dict(model.first), "second": as_dict(model.second),
            "threshold": model.threshold, "note": model.note}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def cross_validate(pages: Sequence[Page], folds: int = CV_FOLDS
                   ) -> tuple[float, float, float]:
    """Grouped k-fold CV of the whole calibration procedure on ``pages`` (F1, P, R): each fold's
    pages are cleaned by a model calibrated on the other folds only."""
    def fold(page: Page) -> int:
        return hashlib.sha256(("cv" + page.id).encode()).digest()[1] % folds

    counts: list[tuple[float, float, float]] = []
    for k in range(folds):
        test = [p for p in pages if fold(p) == k]
        if test:
            model = calibrate([p for p in pages if fold(p) != k])
            counts += _counts(test, ours(test, model))
    return score(counts)


# --- report ------------------------------------------------------------------------------------
def _counts(pages: Sequence[Page], predicted: dict[str, str]) -> list[tuple[float, float, float]]:
    return [page_counts(p.truth, predicted[p.id]) for p in pages]


def evaluate(pages: Sequence[Page], model: clean.LineModel | None = None
             ) -> dict[str, tuple[float, float, float]]:
    systems: list[tuple[str, System]] = [
        ("keep everything", keep_everything),
        ("drop lines repeated on >=2 pages", drop_repeated),
        ("ends in punctuation and >=10 words", punctuation_rule),
        ("ours (storyline.clean)", lambda ps: ours(ps, model)),
    ]
    return {name: score(_counts(pages, system(pages))) for name, system in systems}


def _table(title: str, results: dict[str, tuple[float, float, float]]) -> Iterable[str]:
    yield title
    yield f"  {'system':<38} {'F1':>6} {'P':>6} {'R':>6}  published F1"
    for name, (f1, p, r) in results.items():
        published = PUBLISHED.get(name)
        yield (f"  {name:<38} {f1:6.3f} {p:6.3f} {r:6.3f}  "
               f"{published if published is not None else '-'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aeb", type=Path, default=AEB, help="the AEB data folder")
    parser.add_argument("--calibrate", action="store_true",
                        help=f"refit the line model on the calibration half into {MODEL_PATH}")
    parser.add_argument("--cv", action="store_true",
                        help="grouped k-fold CV on the calibration half only (no report half)")
    args = parser.parse_args(argv)
    if not (args.aeb / "ground-truth.json").is_file():
        print(f"{args.aeb} has no ground-truth.json; point --aeb at the AEB data folder")
        return 2
    flags = " --calibrate" * args.calibrate + " --cv" * args.cv
    print(f"$ {COMMAND}{flags}")
    started = time.perf_counter()
    pages = load_pages(args.aeb)
    calibration = [p for p in pages if p.calibration]
    report = [p for p in pages if not p.calibration]
    print(f"{len(pages)} pages dumped in {time.perf_counter() - started:.1f}s: "
          f"{len(calibration)} calibration, {len(report)} report (split by sha256 of the id)")
    if args.cv:
        f1, p, r = cross_validate(calibration)
        print(f"{CV_FOLDS}-fold grouped CV on the calibration half ({len(calibration)} pages): "
              f"F1 {f1:.3f} P {p:.3f} R {r:.3f}  (report half not evaluated)")
        print(f"done in {time.perf_counter() - started:.1f}s")
        return 0
    if args.calibrate:
        model = calibrate(calibration)
        save_model(model, MODEL_PATH)
        clean.default_line_model.cache_clear()
        print(f"wrote {MODEL_PATH.relative_to(ROOT)} (threshold {model.threshold})")
    for line in _table(f"HELD-OUT report half ({len(report)} pages) — the headline figure",
                       evaluate(report)):
        print(line)
    for line in _table(f"calibration half ({len(calibration)} pages; the model was fitted here)",
                       evaluate(calibration)):
        print(line)
    for line in _table(f"FULL set ({len(pages)} pages; includes the calibration half)",
                       evaluate(pages)):
        print(line)
    print(f"done in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
