"""Pairwise story similarity with its explanation (storyline.explain, `storyline explain`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.config import Settings
from storyline.explain import PairExplanation, cosine, explain_pair, numbers, terms
from storyline.model import Article
from tests.conftest import EXAMPLE

SEED_000 = EXAMPLE / "000_a739bb9f3244bbb2.txt"
SEED_004 = EXAMPLE / "004_b662277d12457799.txt"
UNRELATED = Article(
    id="cup-final", title="Riverside Rovers win the county cup final", lang="en",
    date=datetime(2022, 5, 14, tzinfo=UTC),
    text="The Riverside Rovers won the county cup final on Saturday, beating Hillford 3-1 in "
         "front of 4,500 fans.\nCoach Maria Ortega praised her players for their discipline "
         "after a difficult first half in the rain.\nThe club will host a parade through the "
         "town centre next weekend to celebrate the trophy, its first in 27 years.")


@pytest.fixture(scope="module")
def geneva(seed_articles: list[Article]) -> PairExplanation:
    return explain_pair(seed_articles[0], seed_articles[4])


def test_two_seed_articles_are_the_same_story(geneva: PairExplanation) -> None:
    assert geneva.verdict == "same story"
    assert {"Geneva", "Sergey Lavrov"} <= set(geneva.shared_entities)
    assert "Geneva" in geneva.shared_places
    assert "100,000" in geneva.shared_numbers
    assert not geneva.cross_language
    assert 0.0 <= geneva.similarity <= 1.0
    assert len(geneva.passages) == 3 and all(p.score > 50 for p in geneva.passages)


def test_unrelated_article_is_different(seed_articles: list[Article]) -> None:
    result = explain_pair(seed_articles[0], UNRELATED)
    assert result.verdict == "different"
    assert result.shared_entities == () and result.shared_numbers == ()
    # Four months apart: the time term is present and near zero.
    assert result.day_gap is not None and result.day_gap > 100
    assert result.score("time") == pytest.approx(0.0, abs=1e-6)


def test_to_dict_is_json_serialisable(geneva: PairExplanation) -> None:
    data = json.loads(json.dumps(geneva.to_dict()))
    assert data["verdict"] == "same story"
    assert {s["name"] for s in data["signals"]} == {
        "body", "title", "entities", "numbers", "dates", "time", "passages"}


def test_cross_language_pair_shares_names_and_numbers(seed_articles: list[Article]) -> None:
    german = Article(
        id="de", lang="de", date=datetime(2022, 1, 21, tzinfo=UTC),
        text="US-Außenminister Antony Blinken hat sich in Genf mit dem russischen "
             "Außenminister Sergej Lawrow getroffen.\nRussland hat mehr als 100.000 Soldaten "
             "an der Grenze zur Ukraine zusammengezogen.\nDie NATO lehnt die Forderungen "
             "aus Moskau ab.")
    result = explain_pair(seed_articles[0], german)
    assert result.cross_language and result.languages == ("en", "de")
    assert "100,000" in result.shared_numbers
    assert "Antony Blinken" in result.shared_entities
    assert "Sergey Lavrov" in result.shared_entities  # Lawrow = Lavrov by transliteration
    assert result.verdict in {"same story", "related"}


def test_numbers_are_language_independent() -> None:
    keys = {k for text in ("100,000 troops", "100.000 Soldaten", "100 mil soldados", "10万士兵")
            for k in numbers(text)}
    assert keys == {"100000"}
    # Years, small numbers, glued numbers and date digits are not evidence.
    assert numbers("In 2021, 3 people saw S-400 units on January 21, and the 21st day.") == {}


def test_terms_cjk_bigrams_and_weighting_without_idf() -> None:
    assert terms("俄罗斯军队") == ["俄罗", "罗斯", "斯军", "军队"]
    assert "der" not in terms("Der Außenminister traf den Kollegen")
    same = {"a": 1.0}
    assert cosine(same, same) == pytest.approx(1.0)


def test_time_gap_uses_settings_sigma(seed_articles: list[Article]) -> None:
    later = Article(id="later", text=seed_articles[0].text, lang="en",
                    date=datetime(2022, 1, 24, tzinfo=UTC))
    narrow = explain_pair(seed_articles[0], later, Settings(time_sigma_days=1.0))
    wide = explain_pair(seed_articles[0], later, Settings(time_sigma_days=10.0))
    assert narrow.day_gap == pytest.approx(3.0)
    assert (narrow.score("time") or 0.0) < (wide.score("time") or 0.0)
    assert narrow.similarity < wide.similarity


def test_cli_explain_text_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["explain", str(SEED_000), str(SEED_004)]) == 0
    out = capsys.readouterr().out
    assert "same story" in out and "Geneva" in out and "aligned passages" in out
    assert main(["explain", str(SEED_000), str(SEED_004), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "same story" and data["notes"] == []


def test_cli_uses_first_article_of_a_multi_article_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    many = tmp_path / "many.jsonl"
    many.write_text("\n".join(json.dumps({"id": f"x{i}", "title": "Rovers win the cup",
                                          "text": UNRELATED.text}) for i in range(2)) + "\n",
                    encoding="utf-8")
    assert main(["explain", str(many), str(SEED_000), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["a_id"] == "x0" and "using the first" in data["notes"][0]
    assert data["verdict"] == "different"


def test_cli_untrusted_text_cannot_inject_markup(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    evil = tmp_path / "evil.jsonl"
    evil.write_text(json.dumps({"id": "[red]x[/red]", "text": "[bold red]Geneva[/] talks "
                                "between Blinken and Lavrov were held on Friday."}) + "\n",
                    encoding="utf-8")
    assert main(["explain", str(evil), str(SEED_000)]) == 0
    assert "[red]x[/red]" in capsys.readouterr().out


def test_cli_missing_file_is_one_line_error(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    code = main(["explain", str(tmp_path / "absent.txt"), str(SEED_000)])
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1
