"""Copy-detection benchmark: recall/precision of rewrite + translation pairs.

Run: ``.venv/bin/python bench/copies.py`` (about half a minute). Builds two synthetic corpora from
real PolNeAR sentences (``../shared/data/polnear/<split>/text``):

- the CALIBRATION corpus (train split, generator seed 1): the thresholds in
  ``storyline/link.py`` were chosen by looking at this one only;
- the REPORT corpus (dev split, generator seed 2): the figures to quote.

Each corpus holds, for every base article: the base itself (dated), one derived article —
a *rewrite* (synonym swaps, sentence drops, paragraph reorders, quote marks dropped, one
foreign sentence added) or a *pseudo-translation* (every ordinary word replaced by a made-up word
of another "language", names and numbers kept, number separators swapped, names transliterated)
— and two same-topic non-copies: the base's nearest TF-IDF neighbour with two of the base's
sentences pasted in (shared quotes / wire lines), and a pseudo-translation of another
same-topic article whose source is absent. Gold pairs are (derived, base); every other pair is a
negative. The pseudo-translation is a proxy (no offline MT): it tests the anchor mechanism, not
real translation quality.

The MinHash-only baseline (word 3-shingles, same permutations and seed) is measured in the same
run with its Jaccard threshold tuned for F1 on the calibration corpus.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from datasketch import MinHash
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.config import Settings
from storyline.link import CopyLinker, shingles
from storyline.model import Article
from storyline.text import paragraphs, split_sentences, tokens

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
BASES = 80
MIN_SENTENCES = 8
# Shared verbatim 8-grams above which two PolNeAR articles are versions of one article.
GOLD_MAX_SHARED_8GRAMS = 5
# Generator seeds of the report corpora (the dev split is small: 24 bases each).
REPORT_SEEDS = (2, 3, 4)

# Hand-written news synonyms (the kind of swaps article spinners make).
SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "president": "leader",
    "government": "administration", "people": "individuals", "officials": "authorities",
    "campaign": "bid", "election": "vote", "candidate": "contender", "state": "nation",
    "support": "backing", "supporters": "backers", "week": "seven days", "year": "twelve months",
    "percent": "per cent", "big": "large", "large": "big", "important": "significant",
    "country": "nation", "former": "previous", "new": "fresh", "help": "assist",
    "show": "demonstrate", "showed": "demonstrated", "plan": "proposal", "plans": "proposals",
    "attack": "assault", "attacks": "assaults", "police": "law enforcement", "city": "town",
    "began": "started", "start": "begin", "end": "finish", "ended": "finished",
    "during": "throughout", "before": "prior to", "after": "following", "about": "regarding",
    "many": "numerous", "very": "extremely", "also": "additionally", "however": "nevertheless",
    "but": "yet", "because": "since", "called": "referred to as", "claimed": "alleged",
    "believe": "think", "believes": "thinks", "rally": "gathering", "voters": "electors",
    "debate": "discussion", "leader": "chief", "group": "organization", "law": "legislation",
    "money": "funds", "million": "million", "top": "leading", "major": "key",
    "announced": "declared", "according": "as outlined", "statement": "declaration",
    "issue": "matter", "issues": "matters", "problem": "difficulty", "want": "wish",
    "wants": "wishes", "asked": "questioned", "told reporters": "informed journalists",
    "including": "such as", "party": "organisation", "military": "armed forces",
    "troops": "soldiers", "war": "conflict", "meeting": "session", "talks": "discussions",
}
_WORD = re.compile(r"[A-Za-z]+|[^A-Za-z]+")


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    gold: set[frozenset[str]]
    kinds: dict[frozenset[str], str]


def load_split(split: str) -> list[tuple[str, str, str]]:
    """Articles with enough sentences, minus real copies already in PolNeAR (updated versions,
    abstracts, live blogs): an article sharing verbatim word 8-grams with a kept one is dropped,
    so that every pair the generator calls negative really is one. This gold rule is independent
    of the linker (verbatim overlap, not MinHash or alignment)."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for path in sorted((DATA / split / "text").glob("*.txt")):
        lines = paragraphs(path.read_text(encoding="utf-8"))
        if len(lines) < 3:
            continue
        body = "\n".join(lines[1:])
        if len(split_sentences(body)) < MIN_SENTENCES:
            continue
        grams = shingles(tokens(body), size=8)
        if len(grams & seen) > GOLD_MAX_SHARED_8GRAMS:
            continue
        seen |= grams
        out.append((path.stem, lines[0], body))
    return out


def rewrite(body: str, rng: random.Random, foreign: str) -> str:
    paras = []
    for para in paragraphs(body):
        kept = [s for s in split_sentences(para) if rng.random() > 0.15]
        if kept:
            paras.append(" ".join(_swap(s, rng) for s in kept))
    for _ in range(max(1, len(paras) // 3)):
        i, j = rng.randrange(len(paras)), rng.randrange(len(paras))
        paras[i], paras[j] = paras[j], paras[i]
    paras.insert(rng.randrange(len(paras) + 1), foreign)
    return "\n".join(re.sub(r"[\"“”]", "", p) for p in paras)


def _swap(sentence: str, rng: random.Random) -> str:
    parts = _WORD.findall(sentence)
    out = []
    for part in parts:
        low = part.lower()
        if low in SYNONYMS and rng.random() < 0.8:
            new = SYNONYMS[low]
            out.append(new.capitalize() if part[0].isupper() else new)
        else:
            out.append(part)
    return "".join(out)


def _pseudo_word(word: str) -> str:
    digest = hashlib.sha256(word.lower().encode()).digest()
    syllables = ["ka", "lo", "mi", "zu", "ter", "an", "sch", "ei", "ber", "ung", "or", "va"]
    return "".join(syllables[b % len(syllables)] for b in digest[: 1 + len(word) // 3])


def _translit(name: str) -> str:
    return name.replace("v", "w").replace("y", "j").replace("c", "k")


def pseudo_translate(body: str) -> str:
    """Ordinary words → made-up words; names (capitalised, not sentence-initial) and numbers
    kept, names transliterated, number separators swapped (1,000.5 → 1.000,5)."""
    out_paras = []
    for para in paragraphs(body):
        out_sents = []
        for sentence in split_sentences(para):
            words = re.findall(r"\d[\d,.]*\d|\d|[^\W\d_]+|[^\w\s]", sentence)
            new = []
            for k, w in enumerate(words):
                if w[0].isdigit():
                    new.append(w.translate(str.maketrans(",.", ".,")))
                elif w[0].isupper() and (k > 0 or w.lower() not in _COMMON):
                    new.append(_translit(w))
                elif w[0].isalpha():
                    new.append(_pseudo_word(w))
                else:
                    new.append(w)
            out_sents.append(" ".join(new))
        out_paras.append(" ".join(out_sents))
    return "\n".join(out_paras)


_COMMON = frozenset((
    "the", "a", "an", "in", "on", "at", "but", "and", "he", "she", "it", "they", "we", "i",
    "this", "that", "there", "his", "her", "their", "as", "for", "with", "after", "when",
    "while", "if", "so"))


def make_corpus(split: str, seed: int) -> Corpus:
    rng = random.Random(seed)
    pool = load_split(split)
    rng.shuffle(pool)
    bodies = [b for _, _, b in pool]
    sim = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(bodies)
    nearest = np.asarray((sim @ sim.T).toarray())
    np.fill_diagonal(nearest, -1)
    n_bases = min(BASES, len(pool) // 3)
    bases = list(range(n_bases))
    held = list(range(n_bases, len(pool)))
    day = datetime(2016, 1, 1, tzinfo=UTC)
    articles: list[Article] = []
    gold: set[frozenset[str]] = set()
    kinds: dict[frozenset[str], str] = {}
    used: set[int] = set()
    for b in bases:
        stem, title, body = pool[b]
        date = day + timedelta(days=b)
        articles.append(Article(id=f"{stem}", text=body, title=title, date=date, lang="en",
                                url=f"https://example.org/{stem}"))
        foreign = rng.choice(split_sentences(bodies[rng.choice(held)]))
        kind = "rewrite" if b % 2 == 0 else "translation"
        if kind == "rewrite":
            text, lang = rewrite(body, rng, foreign), "en"
        else:
            text, lang = pseudo_translate(body), "xx"
        derived_date = None if rng.random() < 0.5 else date + timedelta(hours=6)
        derived = Article(id=f"{stem}~{kind}", text=text, date=derived_date, lang=lang)
        articles.append(derived)
        pair = frozenset({derived.id, stem})
        gold.add(pair)
        kinds[pair] = kind
        # Two same-topic non-copies from the held-out pool, nearest first.
        ranked = [h for h in sorted(held, key=lambda h: -nearest[b, h]) if h not in used][:2]
        used.update(ranked)
        o1, o2 = ranked
        o1_sents = split_sentences(bodies[o1])
        pasted = rng.sample(split_sentences(body), 2)
        mixed = o1_sents[:2] + pasted[:1] + o1_sents[2:-1] + pasted[1:] + o1_sents[-1:]
        articles.append(Article(id=f"{pool[o1][0]}~sametopic", text="\n".join(mixed),
                                date=date + timedelta(hours=3), lang="en"))
        articles.append(Article(id=f"{pool[o2][0]}~xx-sametopic",
                                text=pseudo_translate(bodies[o2]),
                                date=date + timedelta(hours=4), lang="xx"))
    return Corpus(articles, gold, kinds)


def prf(found: set[frozenset[str]], gold: set[frozenset[str]]) -> tuple[float, float, float]:
    tp = len(found & gold)
    p = tp / len(found) if found else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def minhash_scores(corpus: Corpus, settings: Settings) -> dict[frozenset[str], float]:
    arts = corpus.articles
    hashes = MinHash.bulk([[s.encode() for s in shingles(tokens(a.text))] for a in arts],
                          num_perm=settings.minhash_permutations, seed=settings.seed)
    return {frozenset({arts[i].id, arts[j].id}): hashes[i].jaccard(hashes[j])
            for i, j in itertools.combinations(range(len(arts)), 2)}


def best_threshold(scores: dict[frozenset[str], float], gold: set[frozenset[str]]) -> float:
    grid = [t / 100 for t in range(1, 100)]
    return max(grid, key=lambda t: prf({p for p, s in scores.items() if s >= t}, gold)[2])


def main() -> int:
    if not DATA.is_dir():
        print(f"{DATA} is absent: the benchmark needs the shared PolNeAR texts", file=sys.stderr)
        return 1
    settings = Settings()
    calib = make_corpus("train", seed=1)
    reports = [make_corpus("dev", seed=seed) for seed in REPORT_SEEDS]
    threshold = best_threshold(minhash_scores(calib, settings), calib.gold)
    rows = []
    named = [("calibration train/seed1", calib),
             *((f"REPORT dev/seed{s}", c) for s, c in zip(REPORT_SEEDS, reports, strict=True))]
    for name, corpus in named:
        mh = minhash_scores(corpus, settings)
        rows.append((name, f"MinHash-only (J ≥ {threshold:.2f}, tuned on calib)",
                     *prf({p for p, s in mh.items() if s >= threshold}, corpus.gold), 0.0, "-"))
        for label, linker in (("CopyLinker dup-only (exact+LSH)",
                               CopyLinker(settings, rewrites=False, translations=False)),
                              ("CopyLinker full cascade", CopyLinker(settings))):
            start = time.perf_counter()
            linker.fit(corpus.articles)
            elapsed = time.perf_counter() - start
            found = {frozenset({p.copy, p.source}) for p in linker.pairs_}
            per_kind = []
            for kind in ("rewrite", "translation"):
                g = {p for p in corpus.gold if corpus.kinds[p] == kind}
                per_kind.append(f"{kind} R={len(found & g) / len(g):.2f}")
            right_way = sum(1 for p in corpus.gold
                            if (link := linker.links_[_derived(p)]).copy_of == _base(p)
                            and link.relation == corpus.kinds[p])
            per_kind.append(f"relation+direction ok {right_way}/{len(corpus.gold)}")
            rows.append((name, label, *prf(found, corpus.gold), elapsed, "; ".join(per_kind)))
    n_report = sum(len(r.articles) for r in reports)
    n_gold = sum(len(r.gold) for r in reports)
    print(f"copies benchmark — {len(calib.articles)} calibration articles; report: "
          f"{len(reports)} dev corpora, {n_report} articles, {n_gold} gold pairs "
          "(every other pair is a negative)")
    print(f"{'corpus':<24} {'method':<44} {'P':>5} {'R':>5} {'F1':>5} {'fit s':>6}  details")
    for name, label, p, r, f, sec, extra in rows:
        print(f"{name:<24} {label:<44} {p:5.3f} {r:5.3f} {f:5.3f} {sec:6.2f}  {extra}")
    return 0


def _derived(pair: frozenset[str]) -> str:
    return next(x for x in pair if "~" in x)


def _base(pair: frozenset[str]) -> str:
    return next(x for x in pair if "~" not in x)


if __name__ == "__main__":
    sys.exit(main())
