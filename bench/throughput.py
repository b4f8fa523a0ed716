"""End-to-end throughput of ``storyline run``: articles per second per stage, and peak memory.

Run: ``.venv/bin/python bench/throughput.py`` (1k and 5k articles, about 5 minutes on the shared
2-core machine) · ``--sizes 300 1000 5000 10000`` · ``--no-anchor``.

Corpus: the synthetic story corpus of ``bench/synth_stories.py`` (built if missing): the first
*n* lines of ``bench/out/synth-calib-seed1.jsonl`` when it has that many (1,657 articles),
otherwise of ``synth-big10000-seed1.jsonl`` (stories drawn with replacement into a one-year
stream). Full-length real articles (PolNeAR, AEB) with syndicated / truncated / rewritten copies.

Each size runs in a fresh child interpreter (imports, caches and peak RSS start from zero) and
goes through the stages of :meth:`storyline.pipeline.Pipeline.run` on an empty SQLite store in a
temporary folder, timed one by one:

- ``read`` — :func:`storyline.read.read_inputs`; ``clean`` — :func:`storyline.clean.clean_articles`;
- ``link`` and ``cluster`` — :meth:`Pipeline.group` (split by its progress callback);
- ``synth`` — :meth:`Pipeline.synthesize`, with the time spent in the quote ledger
  (``synth/quotes.py`` with its name index) and the entity extractor (``synth/entities.py``
  with the mention collection both start from) reported on their own (measured by wrapping
  the functions that ``storyline.synth.synthesize`` calls);
- ``store`` — :meth:`Store.write_batch`.

Anchor (measured in the same run, in its own child process per size): reading the corpus and
tokenising every text once with :func:`storyline.text.tokens` — the least any pipeline over
these articles does; the ratio to it says how much the stages cost on top of plain tokenisation.

Timings on the shared machines are noisy: compare ratios within one run, not across runs.
Benchmarks are not tests; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

# The calibration split holds 1,657 articles; larger sizes come from this big stream corpus.
BIG_CORPUS = "big10000"
DEFAULT_SIZES = (1000, 5000)
STAGES = ("read", "clean", "link", "cluster", "synth", "store")


def corpus_file(n: int) -> Path:
    """A JSON Lines file with the first ``n`` articles of the synthetic corpus (cached)."""
    from synth_stories import corpus_path  # bench/synth_stories.py

    source = corpus_path("calib")
    with source.open(encoding="utf-8") as handle:
        available = sum(1 for _ in handle)
    if available < n:
        source = corpus_path(BIG_CORPUS)
    target = OUT / f"throughput-{source.stem}-{n}.jsonl"
    if not target.exists():
        with source.open(encoding="utf-8") as handle:
            lines = [line for _, line in zip(range(n), handle, strict=False)]
        if len(lines) < n:
            raise SystemExit(f"{source} has only {len(lines)} articles, fewer than {n}")
        target.write_text("".join(lines), encoding="utf-8")
    return target


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _timed(totals: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def run_pipeline(path: str) -> dict[str, Any]:
    """Child process: the stages of ``Pipeline.run`` on ``path``, each timed."""
    import storyline.synth as synth
    from storyline.clean import clean_articles
    from storyline.config import Settings
    from storyline.pipeline import Pipeline
    from storyline.read import read_inputs
    from storyline.store import open_store

    parts: dict[str, float] = {}
    # The quote ledger's share includes its name index; the entities' share the mention
    # collection that both start from (synthesize calls the four separately).
    synth.extract_quotes = _timed(parts, "quotes", synth.extract_quotes)
    synth.build_name_index = _timed(parts, "quotes", synth.build_name_index)
    synth.extract_entities = _timed(parts, "entities", synth.extract_entities)
    synth.collect_mentions = _timed(parts, "entities", synth.collect_mentions)
    seconds: dict[str, float] = {}
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_url=f"sqlite:///{folder}/bench.db", progress=False)
        pipeline = Pipeline(settings, progress=progress)
        start = time.perf_counter()
        read = read_inputs([path], settings)
        seconds["read"] = time.perf_counter() - start
        start = time.perf_counter()
        articles, _skips = clean_articles(read.articles, settings)
        seconds["clean"] = time.perf_counter() - start
        with open_store(settings.db_url) as store:
            start = time.perf_counter()
            grouping = pipeline.group(articles)
            end = time.perf_counter()
            seconds["link"] = marks["cluster"] - marks["link"]
            seconds["cluster"] = end - marks["cluster"]
            start = time.perf_counter()
            stories = pipeline.synthesize(grouping)
            seconds["synth"] = time.perf_counter() - start
            start = time.perf_counter()
            store.write_batch(list(grouping.articles), grouping.links, grouping.assignments,
                              stories)
            seconds["store"] = time.perf_counter() - start
    return {"articles": len(articles), "stories": len(stories), "seconds": seconds,
            "parts": parts, "peak_mib": _peak_mib()}


def run_anchor(path: str) -> dict[str, Any]:
    """Child process: read the corpus and tokenise every text once."""
    from storyline.config import Settings
    from storyline.read import read_inputs
    from storyline.text import tokens

    start = time.perf_counter()
    articles = read_inputs([path], Settings(progress=False)).articles
    count = sum(len(tokens(a.text)) for a in articles)
    return {"articles": len(articles), "tokens": count, "seconds": time.perf_counter() - start,
            "peak_mib": _peak_mib()}


CHILDREN: dict[str, Callable[[str], dict[str, Any]]] = {"pipeline": run_pipeline,
                                                       "anchor": run_anchor}


def in_child(kind: str, path: Path, timeout: float) -> dict[str, Any]:
    """Run ``CHILDREN[kind]`` on ``path`` in a fresh interpreter; its JSON result."""
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} child on {path.name} failed ({done.returncode}):\n"
                         f"{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "∞"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--no-anchor", action="store_true", help="skip the anchor rows")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds allowed per child process (default 3600)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # inside the child process: print the result as one JSON line
        print(json.dumps(CHILDREN[args.child[0]](args.child[1])))
        return 0
    print("reproduce: .venv/bin/python bench/throughput.py --sizes "
          + " ".join(map(str, args.sizes)) + (" --no-anchor" if args.no_anchor else ""))
    print()
    print("articles/s per stage (seconds in brackets); total = all six stages; "
          "peak = child's peak RSS")
    print()
    print("| articles | corpus | stories | " + " | ".join(STAGES)
          + " | total | of synth: quotes · entities | peak MiB |")
    print("|---:|---|---:|" + "---:|" * len(STAGES) + "---:|---|---:|")
    anchors: list[str] = []
    for n in args.sizes:
        path = corpus_file(n)
        result = in_child("pipeline", path, args.timeout)
        seconds, parts, count = result["seconds"], result["parts"], result["articles"]
        total = sum(seconds.values())
        cells = [f"{rate(count, seconds[s])} ({seconds[s]:.1f}s)" for s in STAGES]
        synth = seconds["synth"] or 1.0
        print(f"| {count:,} | {path.name} | {result['stories']:,} | " + " | ".join(cells)
              + f" | **{rate(count, total)}** ({total:.1f}s) | "
              f"{parts.get('quotes', 0.0):.1f}s ({100 * parts.get('quotes', 0.0) / synth:.0f}%)"
              f" · {parts.get('entities', 0.0):.1f}s "
              f"({100 * parts.get('entities', 0.0) / synth:.0f}%) | {result['peak_mib']:.0f} |",
              flush=True)
        if not args.no_anchor:
            anchor = in_child("anchor", path, args.timeout)
            anchors.append(f"| {anchor['articles']:,} | {path.name} | "
                           f"{rate(anchor['articles'], anchor['seconds'])} "
                           f"({anchor['seconds']:.1f}s) | {anchor['tokens']:,} | "
                           f"{total / anchor['seconds']:.0f}× | {anchor['peak_mib']:.0f} |")
    if anchors:
        print()
        print("anchor: read + one `storyline.text.tokens` pass over every text")
        print()
        print("| articles | corpus | articles/s | tokens | pipeline time / anchor time "
              "| peak MiB |")
        print("|---:|---|---:|---:|---:|---:|")
        print("\n".join(anchors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
