"""Facts: numbers with head nouns, money, percentages and dates, merged across outlets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storyline.model import Article, Fact, StoryContext
from storyline.synth.facts import (
    conflicts,
    extract_facts,
    fact_conflicts,
    head_lemma,
    parse_number,
)

ORIGINAL = "000_a739bb9f3244bbb2"
REWRITE = "001_0c9859ee3d48e6bf"
DAY = datetime(2022, 1, 21, tzinfo=UTC)


@pytest.fixture(scope="module")
def seed_facts(seed_context: StoryContext) -> tuple[Fact, ...]:
    return extract_facts(seed_context)


def _ctx(*texts: str) -> StoryContext:
    return StoryContext("t", tuple(Article(id=f"a{i}", text=t, date=DAY)
                                   for i, t in enumerate(texts)))


def test_troops_fact_once_with_four_independent_sources(seed_facts: tuple[Fact, ...]) -> None:
    troops = [f for f in seed_facts if "100,000" in f.text]
    assert len(troops) == 1
    fact = troops[0]
    assert fact.text == "100,000 troops"
    assert fact.kind == "quantity"
    assert fact.independent_support == 4
    assert len(fact.article_ids) == 5  # the rewrite is cited but adds no support


def test_meeting_length_merged_across_wordings(seed_facts: tuple[Fact, ...]) -> None:
    length = [f for f in seed_facts if "90-minute" in f.text or "hour and a half" in f.text]
    assert len(length) == 1
    assert length[0].text == "90-minute meeting"
    assert length[0].article_ids == (ORIGINAL, "003_c8182ac915ccf873")
    assert length[0].independent_support == 2


def test_seed_facts_shape_and_noise(seed_facts: tuple[Fact, ...]) -> None:
    texts = [f.text for f in seed_facts]
    assert "two divisions of S-400" in texts
    assert "three sets of talks" in texts
    dates = {f.text: f for f in seed_facts if f.kind == "date"}
    assert {"2022-01-19", "2022-01-20", "2022-01-21", "2022-02-10"} <= set(dates)
    assert dates["2022-01-21"].independent_support == 4
    # Years, names with numbers, ordinals and referential "the two …" are not facts.
    for noise in ("1997", "2020", "400 ", "fourth", "two top diplomats", "two diplomats"):
        assert not [t for t in texts if t.startswith(noise) or t == noise.strip()], noise
    supports = [f.independent_support for f in seed_facts]
    assert supports == sorted(supports, reverse=True)
    assert seed_facts[0].independent_support == 4


def test_approximations_modifiers_and_synonyms_merge() -> None:
    facts = extract_facts(_ctx(
        "Russia has massed roughly 100,000 Russian soldiers near the border.",
        "Some 100,000 troops are waiting.",
        "More than 100,000 heavily armed forces stand by.",
        "Officials counted 130,000 troops on Monday.",
    ))
    troops = [f for f in facts if f.kind == "quantity" and "100,000" in f.text]
    assert len(troops) == 1
    assert troops[0].independent_support == 3
    assert troops[0].text in {"100,000 soldiers", "100,000 troops"}
    conflicts = fact_conflicts(facts)
    assert len(conflicts) == 1
    assert {conflicts[0][0].text, conflicts[0][1].text} == {troops[0].text, "130,000 troops"}


def test_thousands_suffix_merges_and_conflicts_group_by_subject() -> None:
    facts = extract_facts(_ctx(
        "Russia has some 100K troops near the border.",
        "About 100,000 soldiers are massed there.",
        "Officials counted 130,000 troops on Monday.",
        "Another outlet said 150,000 troops.",
    ))
    troops = [f for f in facts if f.kind == "quantity"]
    assert [f.independent_support for f in troops] == [2, 1, 1]
    assert troops[0].text in {"100K troops", "100,000 soldiers"}
    grouped = conflicts(facts)
    assert len(grouped) == 1 and grouped[0].subject == "troop"
    assert [f.text for f in grouped[0].facts] == [troops[0].text, "130,000 troops",
                                                  "150,000 troops"]
    assert conflicts(extract_facts(_ctx("Four officials met 300 protesters."))) == ()


def test_seed_story_has_no_conflicts(seed_facts: tuple[Fact, ...]) -> None:
    assert conflicts(seed_facts) == ()


def test_money_percent_and_number_words() -> None:
    facts = extract_facts(_ctx(
        "The fund received $5 billion and inflation hit 7.5% in December.",
        "Donors pledged 5 billion dollars; inflation reached 7.5 percent, and two dozen "
        "officials resigned after a two-hour meeting.",
        "Ministers met for two hours and twelve envoys left.",
    ))
    by_kind = {(f.kind, f.text): f for f in facts}
    money = [f for f in facts if f.kind == "money"]
    assert len(money) == 1 and money[0].independent_support == 2
    percent = [f for f in facts if f.kind == "percent"]
    assert len(percent) == 1 and percent[0].independent_support == 2
    durations = [f for f in facts if "hour" in f.text]
    assert len(durations) == 1 and durations[0].independent_support == 2
    assert ("quantity", "twelve envoys") in by_kind


def test_bare_counts_are_not_facts() -> None:
    facts = extract_facts(_ctx("The other two left. Six fled and the four were freed.",
                               "About 3,000 new homes burned."))
    assert [f.text for f in facts if f.kind == "quantity"] == ["3,000 homes"]


def test_no_conflict_between_different_heads_or_kinds() -> None:
    facts = extract_facts(_ctx("Four officials met 300 protesters.", "Five ministers left."))
    assert fact_conflicts(facts) == []


@pytest.mark.parametrize(("raw", "scale", "value"), [
    ("100,000", None, 100_000.0), ("two", None, 2.0), ("Twenty-five", None, 25.0),
    ("1.5", "million", 1_500_000.0), ("a dozen", None, 12.0), ("banana", None, None),
])
def test_parse_number(raw: str, scale: str | None, value: float | None) -> None:
    assert parse_number(raw, scale) == value


def test_head_lemma() -> None:
    assert head_lemma("troops") == "troop"
    assert head_lemma("divisions of S-400") == "division"
    assert head_lemma("casualties") == "casualty"
    assert head_lemma("people") == "people"
    assert head_lemma("percentage points") == "percentage point"


def test_a_plural_count_takes_the_plural_head_of_a_noun_compound() -> None:
    facts = extract_facts(_ctx(
        "The rate would fall by four percentage points, with seven rate brackets and three "
        "young boys on stage.",
        "Five police officers and two crucial contests remained.",
    ))
    texts = {f.text for f in facts if f.kind == "quantity"}
    assert {"four percentage points", "seven rate brackets", "three young boys",
            "five police officers", "two crucial contests"} <= texts


def test_empty_story_has_no_facts() -> None:
    assert extract_facts(StoryContext("e", ())) == ()
