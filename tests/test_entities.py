"""Entities of the Geneva seeds: kinds, alias merging, no junk, and the name index."""

from __future__ import annotations

import pytest

from storyline.model import Article, Entity, StoryContext
from storyline.synth.entities import build_name_index, extract_entities

REWRITE = "001_0c9859ee3d48e6bf"
SOURCE = "000_a739bb9f3244bbb2"


@pytest.fixture(scope="module")
def ctx(seed_context: StoryContext) -> StoryContext:
    return seed_context


@pytest.fixture(scope="module")
def entities(ctx: StoryContext) -> tuple[Entity, ...]:
    return extract_entities(ctx)


def _by_name(entities: tuple[Entity, ...]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_main_entities_appear_exactly_once(entities: tuple[Entity, ...]) -> None:
    names = [e.name for e in entities]
    for name in ("Antony Blinken", "Geneva", "NATO", "Vladimir Putin"):
        assert names.count(name) == 1, name
    lavrov = [n for n in names if n in ("Sergey Lavrov", "Sergei Lavrov")]
    assert len(lavrov) == 1
    assert {"Sergey Lavrov", "Sergei Lavrov"} <= {lavrov[0], *_by_name(entities)[lavrov[0]].aliases}


def test_people_are_people(entities: tuple[Entity, ...]) -> None:
    by_name = _by_name(entities)
    for name in ("Maria Zakharova", "Jen Psaki", "Dmitry Peskov", "Sergei Ryabkov",
                 "Annalena Baerbock", "Joe Biden", "Volodymyr Zelenskiy", "Antony Blinken"):
        assert by_name[name].kind == "person", name


def test_kinds_of_places_and_orgs(entities: tuple[Entity, ...]) -> None:
    by_name = _by_name(entities)
    assert by_name["Geneva"].kind == "place"
    assert by_name["Berlin"].kind == "place"
    assert by_name["NATO"].kind == "org"
    assert by_name["Kremlin"].kind == "org"
    assert by_name["United States"].kind == "place"


def test_aliases_are_merged(entities: tuple[Entity, ...]) -> None:
    by_name = _by_name(entities)
    assert "Blinken" in by_name["Antony Blinken"].aliases
    assert "North Atlantic Treaty Organization" in by_name["NATO"].aliases
    assert {"U.S.", "US"} <= set(by_name["United States"].aliases)
    # The surname alone counts: Blinken is in every article.
    assert len(by_name["Antony Blinken"].article_ids) == 5
    names = set(by_name)
    assert not names & {"Blinken", "Lavrov", "Putin", "US", "U.S.", "Zakharova"}


def test_no_junk_entities(entities: tuple[Entity, ...]) -> None:
    names = {e.name for e in entities}
    junk = {"Friday", "Thursday", "Wednesday", "He", "She", "The", "On Thursday", "While",
            "After meeting", "Meanwhile", "Blinking", "Russian", "Foreign Minister", "State"}
    assert not names & junk


def test_order_is_by_articles_then_mentions(entities: tuple[Entity, ...]) -> None:
    counts = [len(e.article_ids) for e in entities]
    assert counts == sorted(counts, reverse=True)


def test_transliteration_variants_merge() -> None:
    articles = (
        Article(id="a", text="Ukrainian President Volodymyr Zelenskiy spoke in Kyiv on Monday."),
        Article(id="b", text="President Volodymyr Zelensky met reporters. Zelensky said little."),
    )
    ents = extract_entities(StoryContext("t", articles))
    people = [e for e in ents if e.kind == "person"]
    assert len(people) == 1
    assert people[0].name in {"Volodymyr Zelenskiy", "Volodymyr Zelensky"}
    assert people[0].article_ids == ("a", "b")


def test_name_index_resolves_surnames_variants_and_titles(ctx: StoryContext) -> None:
    index = build_name_index(ctx)
    assert index.resolve("Blinken") == "Antony Blinken"
    assert index.resolve("U.S. Secretary of State Antony Blinken") == "Antony Blinken"
    lavrov = index.resolve("Lavrov")
    assert lavrov in {"Sergey Lavrov", "Sergei Lavrov"}
    assert index.resolve("Sergei Lavrov") == lavrov
    assert index.resolve("Russian Foreign Ministry spokesperson Maria Zakharova") == \
        "Maria Zakharova"
    assert index.resolve("the US Secretary of State") == "Antony Blinken"
    assert index.resolve("He") is None
    assert index.resolve("Bloomberg") is None
    assert index.gender("Maria Zakharova") == "f"


def test_sentence_openers_new_and_party_members() -> None:
    text = ("Trump flew to New York on Monday. New Jersey Gov. Chris Christie met him there.\n"
            "Jared Sexton studies rallies. See Sexton’s full timeline below; we see why.\n"
            "Weak Rubio ads ran as voters called Marco Rubio weak.\n"
            "A New Hampshire Republican said little. A South Carolina Democrat agreed.")
    ents = extract_entities(StoryContext("t", (Article(id="a", text=text),)))
    names = {e.name: e.kind for e in ents}
    assert names.get("New York") == "place"
    assert "York" not in names
    assert "See Sexton" not in names and names.get("Jared Sexton") == "person"
    assert "Weak Rubio" not in names and names.get("Marco Rubio") == "person"
    assert not any(n.endswith(("Republican", "Democrat")) for n in names)


def test_courtesy_titles_tell_gender_and_pick_the_bearer() -> None:
    text = ("Bill Clinton and Hillary Clinton toured Iowa. Bill Clinton shook hands while "
            "Bill Clinton's aides watched.\n"
            "Mrs. Clinton spoke first. Mrs. Clinton thanked voters. Mr. Clinton waved.")
    index = build_name_index(StoryContext("t", (Article(id="a", text=text),)))
    # The surname is merged into one bearer; a known first name beats the titles it collects.
    assert index.gender("Bill Clinton") == "m"
    assert index.resolve("Mrs. Clinton") == "Hillary Clinton"
    assert index.resolve("Mr. Clinton") == "Bill Clinton"
    assert [n for _, n in index.mentions("then Mrs. Clinton spoke")] == ["Hillary Clinton"]


def test_middle_initials_and_the_first_introduced_bearer_of_a_surname() -> None:
    text = ("Donald J. Trump spoke in Iowa on Monday. Mr. Trump attacked his rivals.\n"
            "His first wife, Ivana Trump, once sued him. Trump denied it.\n"
            "Pastor Kevin Swanson attacked the Girl Scouts.")
    ctx = StoryContext("t", (Article(id="a", text=text),))
    names = {e.name: e for e in extract_entities(ctx)}
    assert names["Donald J. Trump"].kind == "person"
    assert "Trump" in names["Donald J. Trump"].aliases
    assert names["Kevin Swanson"].kind == "person"
    assert build_name_index(ctx).resolve("Trump") == "Donald J. Trump"


def test_person_name_is_the_first_written_of_equally_long_and_frequent_forms() -> None:
    text = ("Carson campaign manager Barry Bennett, a longtime operative, was blamed.\n"
            "“It’s really more the Barry Bennetts of the world,” Millis said.\n"
            "Bennett denied it. Bennett said he was taking a day off.")
    ctx = StoryContext("s", (Article(id="a", text=text),))
    names = {e.name for e in extract_entities(ctx) if e.kind == "person"}
    assert "Barry Bennett" in names and "Barry Bennetts" not in names


def test_us_states_are_places_and_end_a_name_after_of() -> None:
    text = ("Rep. Tom Cole of Oklahoma, an ally of GOP leadership, said Thursday that Trump "
            "is a change agent. Cole spoke in Wisconsin.")
    ents = {e.name: e for e in extract_entities(StoryContext("s", (Article(id="a", text=text),)))}
    assert ents["Tom Cole"].kind == "person" and "Tom Cole of Oklahoma" not in ents
    assert ents["Oklahoma"].kind == "place" and ents["Wisconsin"].kind == "place"


def test_a_surname_ending_like_a_gerund_after_a_known_first_name_is_a_person() -> None:
    text = ("Chelsea Manning spoke on Monday in the city.\n"
            "Betsy Ebeling shook her head. Manning said the fight would go on.")
    ents = {e.name: e for e in extract_entities(StoryContext("s", (Article(id="a", text=text),)))}
    assert ents["Chelsea Manning"].kind == "person" and "Manning" not in ents
    assert ents["Betsy Ebeling"].kind == "person"


def test_a_sentence_opening_adjective_or_determiner_is_not_part_of_the_name() -> None:
    text = ("Understated Perez raises political profile.\n"
            "Labor Secretary Thomas Perez stopped writing his speech. Perez moved to the back.\n"
            "Neither Donald J. Trump nor his opponents showed much appetite for a fight.")
    names = {e.name for e in extract_entities(StoryContext("s", (Article(id="a", text=text),)))}
    assert "Thomas Perez" in names and "Donald J. Trump" in names
    assert not any(n.startswith(("Understated", "Neither")) for n in names)


def test_a_capitalised_preposition_of_a_headline_opens_no_name() -> None:
    text = ("CNN President On Trump: ‘We Do Not Pay Candidates To Appear At Debates.’\n"
            "CNN President Jeff Zucker isn’t kowtowing to Donald Trump.")
    names = {e.name for e in extract_entities(StoryContext("s", (Article(id="a", text=text),)))}
    assert "Donald Trump" in names and "On Trump" not in names


def test_confidence_is_evidence_share_times_amount(entities: tuple[Entity, ...]) -> None:
    from storyline.synth.entities import CONFIDENCE_SCALE, kind_confidence

    assert kind_confidence({}, "person") == 0.0
    assert kind_confidence({"place": 2.0}, "person") == 0.0
    one_title = kind_confidence({"person": CONFIDENCE_SCALE}, "person")
    assert one_title == pytest.approx(1 - 2.718281828 ** -1, abs=1e-6)
    # Disagreeing evidence halves it; more agreeing evidence raises it.
    assert kind_confidence({"person": CONFIDENCE_SCALE, "org": CONFIDENCE_SCALE},
                           "person") == pytest.approx(one_title / 2)
    assert kind_confidence({"person": 3 * CONFIDENCE_SCALE}, "person") > 0.95
    by_name = _by_name(entities)
    assert all(0.0 <= e.confidence <= 1.0 for e in entities)
    for name in ("Antony Blinken", "Jen Psaki", "Maria Zakharova", "Geneva", "NATO"):
        assert by_name[name].confidence > 0.6, name
    junk = [e for e in entities if e.kind == "other"]
    assert junk and max(e.confidence for e in junk) < 0.2
