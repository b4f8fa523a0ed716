"""Labelled synthetic news corpus built from REAL articles, for story-clustering benchmarks.

Run: ``.venv/bin/python bench/synth_stories.py [--out DIR] [--seed N] [--big 10000 100000]``
(writes ``synth-calib-seed{N}.jsonl``, ``synth-report-seed{N}.jsonl`` and optionally
``synth-big{n}-seed{N}.jsonl`` to ``bench/out/``; prints corpus statistics).

Sources (all real text): PolNeAR train + dev articles (``../shared/data/polnear``, publisher,
date and title from ``metadata.tsv``), the five seed articles (``examples/geneva-2022``, one
story already carried by five outlets) and the article bodies of ``../shared/data/aeb``.

Cascade:

1. load every source article; PolNeAR dates come from the metadata (hour drawn), AEB bodies get
   a date drawn from ``AEB_START`` + ``AEB_SPAN_DAYS`` (they carry none);
2. merge source articles that are real versions of each other (wire stories carried by several
   publishers): union-find over pairs sharing ≥ ``VERSION_MIN_SHARED_8GRAMS`` verbatim word
   8-grams AND ≥ ``VERSION_MIN_CONTAINMENT`` of the smaller article's 8-grams (a shared long
   quote alone does not merge two articles). Each component is one gold story;
3. split stories into ``calib`` / ``report`` by a hash of the story's root id (disjoint, stable);
4. every story gets its real articles (the originals) plus ``0 … MAX_COPIES`` derived articles,
   each from an outlet with its own fixed junk lines (menus, share buttons, "RELATED", a date
   banner, a weather line): a *syndicated* copy (junk added), a *truncated* teaser, or a *light
   rewrite* (sentence drops, paragraph swap, synonym swaps, new title). Copies are dated hours
   to days after the original (exponential, ``COPY_DELAY_HOURS`` mean).

The hard negatives are real: PolNeAR is 2015-2016 US election coverage, so many pairs of
different stories share the week, the topic and the people; ``hard_negative_pairs`` counts
them (different gold stories, ≤ 7 days apart, TF-IDF cosine ≥ ``HARD_NEGATIVE_COSINE``).

``big_corpus(n)`` samples stories with replacement (each draw a new instance: new label, new
date in a one-year stream, the original lightly rewritten after the first draw) for speed and
memory measurement. Everything is deterministic given the seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storyline.model import content_hash
from storyline.text import paragraphs, split_sentences, tokens

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
POLNEAR = SHARED / "polnear"
AEB = SHARED / "aeb" / "ground-truth.json"
SEEDS = ROOT / "examples" / "geneva-2022"
OUT = ROOT / "bench" / "out"

SPLITS = ("calib", "report")
# Word n-gram length of verbatim runs used to find real versions of one article.
VERSION_NGRAM = 8
# Two source articles are versions of one story when they share at least this many 8-grams …
VERSION_MIN_SHARED_8GRAMS = 20
# … and these cover this share of the smaller article's 8-grams (a long shared quote does not).
VERSION_MIN_CONTAINMENT = 0.3
# Derived copies per story: 0 … MAX_COPIES, drawn with COPY_WEIGHTS.
MAX_COPIES = 6
COPY_WEIGHTS = (0.25, 0.2, 0.17, 0.13, 0.1, 0.08, 0.07)
# Kinds of derived articles and their shares.
COPY_KINDS = ("syndicated", "truncated", "rewrite")
COPY_KIND_WEIGHTS = (0.45, 0.2, 0.35)
# Mean delay of a copy after its original (exponential), capped.
COPY_DELAY_HOURS = 18.0
MAX_COPY_DELAY_HOURS = 24.0 * 6
N_OUTLETS = 40
AEB_START = datetime(2019, 6, 1, tzinfo=UTC)
AEB_SPAN_DAYS = 240
BIG_START = datetime(2016, 1, 1, tzinfo=UTC)
BIG_SPAN_DAYS = 365
HARD_NEGATIVE_COSINE = 0.2
HARD_NEGATIVE_DAYS = 7.0
MIN_WORDS = 60

# Junk a scraper keeps (each outlet picks some of these once and repeats them on every page).
HEADER_POOL = (
    "Home | World | Politics | Business | Tech | Sports", "No menu items!", "Skip to content",
    "Menu", "Search", "Subscribe", "Sign in", "Latest News", "Trending Now",
    "Toggle navigation", "Breaking News", "Newsletters", "Live TV", "Log in / Register",
)
FOOTER_POOL = (
    "RELATED", "Be the first to comment", "Share on Facebook", "Share on Twitter", "Tweet",
    "Email this article", "Advertisement", "Subscribe to our newsletter", "Read more:",
    "Comments", "Leave a Reply", "Print", "Follow us on Twitter", "Sponsored Content",
    "© All rights reserved.", "Terms of Use | Privacy Policy", "Recommended for you",
)
OUTLET_WORDS = ("Daily", "Metro", "Evening", "Capital", "Valley", "Coastal", "Northern",
                "Union", "Free", "Morning", "Globe", "Courier", "Post", "Herald", "Times",
                "Tribune", "Ledger", "Dispatch", "Observer", "Chronicle")
# Hand-written news synonyms (the kind of swaps an article spinner makes).
SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "president": "leader",
    "government": "administration", "people": "individuals", "officials": "authorities",
    "campaign": "bid", "election": "vote", "candidate": "contender", "big": "large",
    "important": "significant", "country": "nation", "former": "previous", "help": "assist",
    "show": "demonstrate", "start": "begin", "end": "finish", "buy": "purchase",
    "many": "numerous", "also": "additionally", "however": "nevertheless", "about": "regarding",
    "because": "since", "before": "prior to", "after": "following", "fast": "quick",
}
_WORD = re.compile(r"\b[a-z]+\b")


@dataclass(frozen=True)
class Source:
    """One real article: the unit the generator derives copies from."""

    id: str
    title: str
    text: str
    date: datetime
    source: str
    url: str
    origin: str  # polnear | seeds | aeb


@dataclass(frozen=True)
class Record:
    """One output article in the project's input contract (+ generator provenance)."""

    id: str
    title: str
    text: str
    date: datetime
    url: str
    source: str
    cluster: str
    kind: str  # original | syndicated | truncated | rewrite

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "title": self.title, "text": self.text,
                           "date": self.date.strftime("%Y-%m-%d %H:%M:%S"), "url": self.url,
                           "source": self.source, "lang": "en", "cluster": self.cluster,
                           "kind": self.kind}, ensure_ascii=False)


# -- loading --------------------------------------------------------------------------------
def _rng(*parts: object) -> random.Random:
    return random.Random(content_hash(*map(str, parts)))


def load_polnear() -> list[Source]:
    meta: dict[str, dict[str, str]] = {}
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            meta[row["filename"]] = row
    out = []
    for split in ("train", "dev"):
        for path in sorted((POLNEAR / split / "text").glob("*.txt")):
            row = meta.get(path.stem, {})
            text = path.read_text(encoding="utf-8").strip()
            lines = text.splitlines()
            title = row.get("title") or (lines[0] if lines else "")
            day = row.get("publication_date") or path.stem.split("_")[1]
            hour = _rng("polnear-hour", path.stem).randrange(6, 22)
            date = datetime.strptime(day, "%Y-%m-%d").replace(hour=hour, tzinfo=UTC)
            body = "\n".join(lines[1:]).strip() if lines and lines[0].strip() == title else text
            publisher = row.get("publisher") or path.stem.split("_")[0]
            out.append(Source(f"pn_{path.stem}", title, body, date, publisher,
                              f"https://{publisher}.example/{path.stem}", "polnear"))
    return out


def load_seeds() -> list[Source]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        dates = [ln for ln in lines if re.fullmatch(r"\d{8}", ln)]
        date = (datetime.strptime(dates[0], "%Y%m%d").replace(tzinfo=UTC) if dates
                else datetime(2022, 1, 21, tzinfo=UTC))
        date += timedelta(hours=_rng("seed-hour", path.stem).randrange(6, 22))
        out.append(Source(f"seed_{path.stem}", "", "\n".join(lines).strip(), date,
                          f"seed-outlet-{path.stem[:3]}", "", "seeds"))
    return out


def load_aeb() -> list[Source]:
    data = json.loads(AEB.read_text(encoding="utf-8"))
    out = []
    for key in sorted(data):
        body = str(data[key].get("articleBody", "")).strip()
        url = str(data[key].get("url", ""))
        host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
        first = body.split("\n", 1)[0]
        title = " ".join(first.split()[:12])
        rng = _rng("aeb-date", key)
        date = AEB_START + timedelta(days=rng.randrange(AEB_SPAN_DAYS), hours=rng.randrange(24))
        out.append(Source(f"aeb_{key[:16]}", title, body, date, host, url, "aeb"))
    return out


def load_sources() -> list[Source]:
    """Every real article with enough words (PolNeAR, seeds, AEB), in a stable order."""
    sources = [*load_polnear(), *load_seeds(), *load_aeb()]
    return [s for s in sources if len(tokens(s.text)) >= MIN_WORDS or s.origin == "seeds"]


# -- real versions of one article -----------------------------------------------------------
def _ngrams(text: str, size: int = VERSION_NGRAM) -> set[str]:
    words = tokens(text)
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def version_groups(sources: Sequence[Source]) -> dict[str, str]:
    """Source id → root id of its group of real versions (union-find on shared 8-grams).

    Seeds are one story by construction (the five outlets' versions of one event).
    """
    parent = {s.id: s.id for s in sources}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    grams = {s.id: _ngrams(s.text) for s in sources}
    index: dict[str, list[str]] = defaultdict(list)
    for sid, gram_set in grams.items():
        for gram in gram_set:
            index[gram].append(sid)
    shared: Counter[tuple[str, str]] = Counter()
    for holders in index.values():
        if 1 < len(holders) <= 50:  # boilerplate carried by > 50 articles is not a version
            for i, a in enumerate(holders):
                for b in holders[i + 1 :]:
                    shared[(a, b)] += 1
    for (a, b), count in shared.items():
        smaller = min(len(grams[a]), len(grams[b])) or 1
        if count >= VERSION_MIN_SHARED_8GRAMS and count / smaller >= VERSION_MIN_CONTAINMENT:
            union(a, b)
    seeds = sorted(s.id for s in sources if s.origin == "seeds")
    for sid in seeds[1:]:
        union(seeds[0], sid)
    return {s.id: find(s.id) for s in sources}


def split_of(root: str) -> str:
    """``calib`` or ``report`` by a stable hash of a story's root id."""
    return SPLITS[int(content_hash("synth-split", root), 16) % 2]


# -- variation ------------------------------------------------------------------------------
def outlet(index: int) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Outlet ``index``: name, its fixed header lines and its fixed footer lines."""
    rng = _rng("outlet", index)
    name = f"{rng.choice(OUTLET_WORDS)} {rng.choice(OUTLET_WORDS)} {index:02d}"
    header = tuple(rng.sample(HEADER_POOL, rng.randint(1, 4)))
    footer = tuple(rng.sample(FOOTER_POOL, rng.randint(1, 4)))
    return name, header, footer


def _banner(date: datetime, rng: random.Random) -> list[str]:
    lines = [date.strftime(rng.choice(("%A, %d %B %Y - %H:%M", "%B %d, %Y", "%d.%m.%Y %H:%M",
                                       "Updated %I:%M %p, %b %d, %Y")))]
    if rng.random() < 0.4:
        lines.append(f"{rng.uniform(-5, 32):.1f} C")
    return lines


def _swap_synonyms(sentence: str, rng: random.Random, rate: float) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return SYNONYMS[word] if word in SYNONYMS and rng.random() < rate else word
    return _WORD.sub(swap, sentence)


def rewrite(text: str, rng: random.Random) -> str:
    """Light rewrite: drop 10-30 % of sentences, maybe swap two paragraphs, swap synonyms."""
    paras = [split_sentences(p) for p in paragraphs(text)]
    drop = rng.uniform(0.1, 0.3)
    kept = [[_swap_synonyms(s, rng, 0.6) for s in para if rng.random() >= drop] for para in paras]
    kept = [p for p in kept if p]
    if len(kept) > 3 and rng.random() < 0.5:
        i = rng.randrange(1, len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return "\n\n".join(" ".join(p) for p in kept) or text


def truncate(text: str, rng: random.Random) -> str:
    """A teaser: the first 30-70 % of the paragraphs (at least one)."""
    paras = paragraphs(text)
    keep = max(1, round(len(paras) * rng.uniform(0.3, 0.7)))
    return "\n\n".join(paras[:keep])


def _retitle(title: str, rng: random.Random) -> str:
    if not title:
        return title
    choice = rng.random()
    if choice < 0.3:
        return _swap_synonyms(title.lower(), rng, 0.8).capitalize()
    if choice < 0.5:
        return f"{rng.choice(('UPDATE', 'WATCH', 'REPORT', 'ANALYSIS'))}: {title}"
    if choice < 0.7:
        return " ".join(title.split()[: max(4, len(title.split()) * 2 // 3)])
    return title


def derive(base: Source, kind: str, out_index: int, rng: random.Random, date: datetime
           ) -> tuple[str, str]:
    """(title, text) of a derived article of ``kind`` carried by outlet ``out_index``."""
    _, header, footer = outlet(out_index)
    if kind == "rewrite":
        body, title = rewrite(base.text, rng), _retitle(base.title, rng)
    elif kind == "truncated":
        body, title = truncate(base.text, rng), base.title
    else:
        body, title = base.text, base.title
    top = [*header, *_banner(date, rng)] if rng.random() < 0.8 else list(header)
    bottom = list(footer)
    if kind == "truncated" and rng.random() < 0.5:
        bottom.insert(0, "Read the full story at the original site.")
    return title, "\n".join([*top, "", body, "", *bottom])


def story_records(root: str, members: Sequence[Source], rng: random.Random, label: str,
                  shift: timedelta = timedelta(0), vary_original: bool = False
                  ) -> list[Record]:
    """The originals of one story and their derived copies."""
    records = []
    for member in members:
        text, title = member.text, member.title
        if vary_original:
            text, title = rewrite(text, rng), _retitle(title, rng)
        records.append(Record(f"{label}~{content_hash(member.id, label, length=10)}", title,
                              text, member.date + shift, member.url, member.source, label,
                              "original"))
    n_copies = rng.choices(range(MAX_COPIES + 1), weights=COPY_WEIGHTS)[0]
    outlets = rng.sample(range(N_OUTLETS), n_copies)
    for number, out_index in enumerate(outlets):
        base = rng.choice(members)
        base = replace(base, date=base.date + shift)
        kind = rng.choices(COPY_KINDS, weights=COPY_KIND_WEIGHTS)[0]
        delay = min(rng.expovariate(1.0 / COPY_DELAY_HOURS), MAX_COPY_DELAY_HOURS)
        date = base.date + timedelta(hours=delay)
        title, text = derive(base, kind, out_index, rng, date)
        name = outlet(out_index)[0]
        slug = re.sub(r"[^a-z0-9]+", "-", (title or base.id).lower())[:40].strip("-")
        copy_id = f"{label}~c{number}{content_hash(root, label, str(number), length=8)}"
        records.append(Record(copy_id, title, text, date,
                              f"https://{name.lower().replace(' ', '-')}.example/{slug}", name,
                              label, kind))
    return records


def stories(sources: Sequence[Source]) -> dict[str, list[Source]]:
    """Root id → its real versions (gold stories before copies are added)."""
    roots = version_groups(sources)
    groups: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        groups[roots[source.id]].append(source)
    return dict(sorted(groups.items()))


def split_corpus(groups: dict[str, list[Source]], split: str, seed: int) -> list[Record]:
    """All articles of the stories of one split, sorted by (date, id)."""
    records: list[Record] = []
    for root, members in groups.items():
        if split_of(root) == split:
            records += story_records(root, members, _rng("story", seed, root), f"st_{root}")
    return sorted(records, key=lambda r: (r.date, r.id))


def big_corpus(groups: dict[str, list[Source]], n: int, seed: int) -> list[Record]:
    """About ``n`` articles: stories drawn with replacement, each draw a new dated instance."""
    rng = random.Random(seed)
    roots = list(groups)
    records: list[Record] = []
    draw = 0
    while len(records) < n:
        root = rng.choice(roots)
        members = groups[root]
        first = min(m.date for m in members)
        target = BIG_START + timedelta(days=rng.uniform(0, BIG_SPAN_DAYS))
        records += story_records(root, members, _rng("big", seed, draw), f"big{draw}_{root}",
                                 shift=target - first, vary_original=draw >= len(roots))
        draw += 1
    return sorted(records[:n], key=lambda r: (r.date, r.id))


# -- statistics -----------------------------------------------------------------------------
def hard_negative_pairs(records: Sequence[Record]) -> int:
    """Pairs of articles of different gold stories, ≤ 7 days apart, TF-IDF cosine ≥ 0.2."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    originals = [r for r in records if r.kind == "original"]
    if len(originals) < 2:
        return 0
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [r.text for r in originals])
    sims = (matrix @ matrix.T).toarray()
    count = 0
    for i, a in enumerate(originals):
        for j in range(i + 1, len(originals)):
            b = originals[j]
            if (a.cluster != b.cluster and sims[i, j] >= HARD_NEGATIVE_COSINE
                    and abs((a.date - b.date).total_seconds()) <= HARD_NEGATIVE_DAYS * 86_400):
                count += 1
    return count


def write_jsonl(records: Sequence[Record], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record.to_json() + "\n")
    tmp.replace(path)
    return path


def read_jsonl(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def corpus_path(split: str, seed: int = 1, out: Path = OUT) -> Path:
    """Path of a split (``calib``/``report``) or big corpus (``big10000``), generated if absent."""
    path = out / f"synth-{split}-seed{seed}.jsonl"
    if not path.exists():
        groups = stories(load_sources())
        if split.startswith("big"):
            write_jsonl(big_corpus(groups, int(split[3:]), seed), path)
        else:
            write_jsonl(split_corpus(groups, split, seed), path)
    return path


def describe(name: str, records: Sequence[Record]) -> str:
    kinds = Counter(r.kind for r in records)
    clusters = Counter(r.cluster for r in records)
    multi = sum(1 for c in clusters.values() if c > 1)
    return (f"| {name} | {len(records)} | {len(clusters)} | {multi} | "
            f"{max(clusters.values())} | " + " | ".join(str(kinds[k]) for k in
                                                        ("original", *COPY_KINDS)) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--big", type=int, nargs="*", default=[])
    args = parser.parse_args(argv)
    print(f"reproduce: .venv/bin/python bench/synth_stories.py --seed {args.seed} "
          f"--big {' '.join(map(str, args.big))}".rstrip())
    if not POLNEAR.is_dir():
        print(f"{POLNEAR} is absent: nothing to build from", file=sys.stderr)
        return 1
    sources = load_sources()
    groups = stories(sources)
    merged = [g for g in groups.values() if len(g) > 1]
    print(f"{len(sources)} real articles (" + ", ".join(
        f"{k} {v}" for k, v in sorted(Counter(s.origin for s in sources).items()))
        + f") → {len(groups)} stories; {len(merged)} stories hold several real versions "
        f"({sum(len(g) for g in merged)} articles)")
    print("\n| corpus | articles | gold stories | stories > 1 article | largest | originals"
          " | syndicated | truncated | rewrite |\n|---|---|---|---|---|---|---|---|---|")
    for split in SPLITS:
        records = split_corpus(groups, split, args.seed)
        write_jsonl(records, args.out / f"synth-{split}-seed{args.seed}.jsonl")
        print(describe(split, records) + f" hard-negative pairs: {hard_negative_pairs(records)}")
    for n in args.big:
        records = big_corpus(groups, n, args.seed)
        write_jsonl(records, args.out / f"synth-big{n}-seed{args.seed}.jsonl")
        print(describe(f"big{n}", records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
