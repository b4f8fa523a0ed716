"""Cleaner: the seed articles, rule junk, metadata discovery, limits, and a CI quality gate."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from storyline import clean
from storyline.clean import (
    clean_article,
    clean_articles,
    default_line_model,
    discover_metadata,
    is_rule_junk,
)
from storyline.config import Settings
from storyline.model import Article, Skip
from storyline.read import read_inputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "geneva-2022"
GATE = Path(__file__).with_name("fixtures") / "clean_gate.json"
SEED_JUNK = ("16.5 C", "sâmbătă", "No menu items", "source site-34", "Be the first to comment")
# Pinned floor of the gate (benchmark metric over tests/fixtures/clean_gate.json). Measured 1.000
# when written; a floor only moves up.
GATE_F1_FLOOR = 0.95
# Pinned floor of the slow AEB test (report half, held out from calibration). Measured 0.895
# with the page-context line model (0.882 before); a floor only moves up.
AEB_F1_FLOOR = 0.885


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    result = read_inputs([EXAMPLE], Settings())
    articles, skips = clean_articles(result.articles, Settings())
    assert not result.skips and not skips
    return {a.id[:3]: a for a in articles}


def test_seed_junk_is_gone(seeds: dict[str, Article]) -> None:
    assert len(seeds) == 5
    for article in seeds.values():
        for junk in SEED_JUNK:
            assert junk not in article.title and junk not in article.text, (article.id, junk)
        assert "RELATED" not in article.text.splitlines()


def test_seed_titles(seeds: dict[str, Article]) -> None:
    assert seeds["000"].title == "Blinken Lavrov Meet on Ukraine"
    assert seeds["001"].title == "Blinken, Lavrov, do not expect progress in Ukraine"
    assert seeds["002"].title == "Blinken meets Lavrov as U.S. strives for clearer line on Ukraine"
    first_line = (EXAMPLE / "003_c8182ac915ccf873.txt").read_text("utf-8").splitlines()[0]
    assert seeds["003"].title == first_line.strip()
    # 004 has no title line: we leave the title empty rather than invent one.
    assert seeds["004"].title == ""
    assert seeds["004"].text.startswith("GENEVA (AP) —")


def test_seed_dates_urls_lang(seeds: dict[str, Article]) -> None:
    assert seeds["000"].date is not None and seeds["000"].date.date() == date(2022, 1, 21)
    assert seeds["000"].date.tzinfo is not None
    assert seeds["002"].date is None  # the 2024 banner is a scrape date, not the publication date
    assert seeds["000"].url.startswith("https://www.cambodiantimes.com/")
    assert "20220121" not in seeds["000"].text and "cambodiantimes" not in seeds["000"].text
    assert all(a.lang == "en" for a in seeds.values())


def test_seed_real_sentences_are_kept(seeds: dict[str, Article]) -> None:
    assert ("“They can have extremely tragic consequences for regional and global security,” "
            "Zakharova said.") in seeds["001"].text.splitlines()
    assert "Some material in this report came from the Associated Press." in seeds["001"].text
    assert "100,000" in seeds["004"].text
    for article in seeds.values():
        raw_lines = [ln.strip() for ln in article.raw.splitlines() if ln.strip()]
        long_lines = [ln for ln in raw_lines if len(ln.split()) >= 15]
        kept = set(article.text.splitlines())
        assert all(ln in kept for ln in long_lines), article.id


@pytest.mark.parametrize("line", [
    "16.5 C", "-3 °C", "sâmbătă, 25 mai 2024 - 7:43", "Updated: January 21, 2022 10:43 AM ET",
    "No menu items!", "RELATED", "Related Articles", "Be the first to comment", "source site-34",
    "Share this article", "Sign up for our newsletter to get the latest news", "By Jane Doe",
    "Photo: Reuters", "Home | World | Politics | Sport", "© 2019 Example", "Comments (12)", "•",
])
def test_rule_junk(line: str) -> None:
    assert is_rule_junk(line)


@pytest.mark.parametrize("line", [
    "“They can have extremely tragic consequences for regional and global security,” "
    "Zakharova said.",
    "Home prices rose 5% last year.", "Related coverage of the war continued.",
    "Neither side announced new talks.", "Blinken meets Lavrov as U.S. strives for clearer line",
    "Some material in this report came from the Associated Press.", "He was born in 1961.",
])
def test_rule_keeps_real_lines(line: str) -> None:
    assert not is_rule_junk(line)


def test_metadata_after_leading_junk() -> None:
    lines = ["16.5 C", "No menu items!", "A headline here", "20220121", "https://x.org/a",
             "Body sentence one is here."]
    meta = discover_metadata(lines, Article(id="x", text=""))
    assert (meta.title, meta.date_line, meta.url, meta.consumed) == (
        "A headline here", "20220121", "https://x.org/a", 5)


def test_one_line_text_is_not_taken_as_title() -> None:
    article = Article(id="m", text="spd expands labor demand talk german coalition")
    result = clean_article(article, Settings())
    assert isinstance(result, Article)
    assert result.text == article.text and result.title == ""


def test_reader_metadata_wins() -> None:
    article = Article(id="a", title="Given", text="Other title\nA real sentence is written here.")
    result = clean_article(article, Settings())
    assert isinstance(result, Article)
    assert result.title == "Given" and result.text.startswith("Other title")


def test_empty_and_too_long_are_skipped() -> None:
    junk_only = clean_article(Article(id="j", text="RELATED\n16.5 C\n\n"), Settings())
    assert isinstance(junk_only, Skip) and "no text" in junk_only.reason
    long_text = clean_article(Article(id="l", text="word " * 100), Settings(max_text_chars=50))
    assert isinstance(long_text, Skip) and "max_text_chars" in long_text.reason


def test_whitespace_normalised_one_paragraph_per_line() -> None:
    result = clean_article(Article(id="w", title="T", lang="en",
                                   text="  First   paragraph\u00a0here.  \n\n\nSecond one.\r\n"),
                           Settings())
    assert isinstance(result, Article)
    assert result.text == "First paragraph here.\nSecond one."


def test_site_boilerplate_only_within_a_source() -> None:
    body = ("A long body sentence that talks about the talks in Geneva, Switzerland, on Friday, "
            "and about what both sides said to reporters afterwards.")
    pages = [Article(id=str(i), text=f"Subscribe now\nStory {i} says something new today.\n{body}",
                     title="t", source="site.example", lang="en") for i in range(2)]
    other = Article(id="o", text="Subscribe now\nA third story from elsewhere is here.",
                    title="t", lang="en")
    kept, _ = clean_articles([*pages, other], Settings(), model=None)
    by_id = {a.id: a for a in kept}
    assert body in by_id["0"].text  # long sentence-like lines are never boilerplate
    assert "Subscribe" not in by_id["0"].text
    assert clean.site_boilerplate([*pages, other]) == {"site.example": frozenset({"Subscribe now"})}


def test_shipped_model_loads() -> None:
    model = default_line_model()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert "calibration" in model.note


# --- CI gate: tiny committed fixtures with pinned expectations --------------------------------
_TOKEN = re.compile(r"\w+")


def _f1(truth: str, predicted: str) -> float:
    """The AEB metric on one page (4-token shingles, multiset overlap)."""
    def shingles(text: str) -> list[tuple[str, ...]]:
        toks = _TOKEN.findall(text)
        return [tuple(toks[i:i + 4]) for i in range(max(1, len(toks) - 3))] if toks else []

    from collections import Counter
    gold, pred = Counter(shingles(truth)), Counter(shingles(predicted))
    tp = sum((gold & pred).values())
    if not tp:
        return 0.0
    p, r = tp / sum(pred.values()), tp / sum(gold.values())
    return 2 * p * r / (p + r)


def test_gate_fixtures() -> None:
    pages = json.loads(GATE.read_text("utf-8"))
    articles = [Article(id=p["id"], text="\n".join(p["lines"]), url=p["url"], lang="xx")
                for p in pages]
    kept, skips = clean_articles(articles, Settings())
    assert not skips
    by_id = {a.id: a for a in kept}
    scores = []
    for page in pages:
        expected = [page["lines"][i] for i in page["keep"]]
        got = by_id[page["id"]].text
        for line in expected[:2]:  # the first body lines are never lost
            assert line in got.splitlines(), (page["id"], line)
        for junk in ("RELATED", "Be the first to comment", "source site-34", "16.5 C"):
            assert junk not in got.splitlines()
        scores.append(_f1("\n".join(expected), got))
    assert sum(scores) / len(scores) >= GATE_F1_FLOOR, scores


@pytest.mark.slow
def test_aeb_floor(shared_dir: Path) -> None:
    """Held-out AEB pages (not used for calibration) stay above the pinned floor."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("junk_aeb", ROOT / "bench" / "junk_aeb.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("junk_aeb", bench)  # dataclasses look their module up by name
    spec.loader.exec_module(bench)
    pages = [p for p in bench.load_pages(shared_dir / "data" / "aeb") if not p.calibration]
    f1, _p, _r = bench.score(bench._counts(pages, bench.ours(pages)))
    assert f1 >= AEB_F1_FLOOR


# --- fast paths equal the plain definitions ----------------------------------------------
def test_ascii_character_classes_match_str_predicates() -> None:
    """The regex classes that count digits and punctuation on ASCII equal str.isdigit and
    "not isalnum and not isspace" on every ASCII character."""
    for code in range(128):
        char = chr(code)
        assert bool(clean._ASCII_DIGIT.fullmatch(char)) == char.isdigit(), code
        punct = not char.isalnum() and not char.isspace()
        assert bool(clean._ASCII_PUNCT.fullmatch(char)) == punct, code


def _plain_probabilities(model: clean.LogisticPass, rows: list[list[float]]) -> list[float]:
    import math

    out = []
    for row in rows:
        z = model.intercept + sum(c * (x - m) / s for c, x, m, s in
                                  zip(model.coef, row, model.mean, model.scale, strict=True))
        out.append(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))))
    return out


def test_line_features_and_probabilities_equal_plain_formulas() -> None:
    """Per-character counts, nearest-prose distance and the logistic passes are computed
    without per-character Python loops; the values must be the plain formulas' bit for bit."""
    model = default_line_model()
    assert model is not None
    page = ["Home | News | Sport", "Ünïcödé ½ ² 3 — “quoted” line: ok", "By Jane Doe",
            "A real sentence of the article body that runs to well over ten words here.",
            "Another body sentence, with 12 numbers and 3.5 percent of something else.",
            "Share this article", "", "Related", "Last one: ٣ digits ①."]
    junk = [is_rule_junk(line) for line in page]
    rows = clean.line_features(page, junk)
    lines = [line for line, j in zip(page, junk, strict=True) if not j]
    for line, row in zip(lines, rows, strict=True):
        chars = max(1, len(line))
        assert row[7] == sum(ch.isdigit() for ch in line) / chars
        assert row[8] == sum(not ch.isalnum() and not ch.isspace() for ch in line) / chars
    first = model.first.probabilities(rows)
    assert first == _plain_probabilities(model.first, rows)
    second_rows = clean.context_features(rows, first)
    assert model.second.probabilities(second_rows) == _plain_probabilities(model.second,
                                                                           second_rows)


def test_mojibake_is_repaired_and_curly_quotes_stay() -> None:
    from storyline.clean import normalize_lines, repair_text

    assert repair_text("Enrique PeÃ±a Nieto met FranÃ\x83Â§ois Hollande.") == (
        "Enrique Peña Nieto met François Hollande.")
    text = "“We’re ready,” said Marc Trévidic. Ｆｕｌｌ ﬁne &amp; done"
    assert repair_text(text) == text
    assert normalize_lines("\ufeffMarc TrÃ©vidic said “no.”\r\nNext") == [
        "Marc Trévidic said “no.”", "Next"]
    # A decomposed "Ã" (A + combining tilde) is composed before the check, then repaired.
    assert repair_text("Jesus \"Chuy\" GarcA\u0303\xada spoke") == 'Jesus "Chuy" García spoke'
    assert repair_text("Cafe\u0301 owners") == "Café owners"  # plain text: NFC only
    cleaned = clean_article(Article(id="m", title="PeÃ±a Nieto visits",
                                    text="Enrique PeÃ±a Nieto spoke in Mexico City on Monday."),
                            Settings())
    assert isinstance(cleaned, Article)
    assert cleaned.title == "Peña Nieto visits" and cleaned.text.startswith("Enrique Peña")
