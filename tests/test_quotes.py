"""The quote ledger of the Geneva seeds, plus small cases for each attribution rule."""

from __future__ import annotations

import pytest

from storyline.model import Article, Quote, StoryContext
from storyline.synth.entities import extract_entities
from storyline.synth.quotes import extract_quotes

REWRITE = "001_0c9859ee3d48e6bf"
SOURCE = "000_a739bb9f3244bbb2"
BAD_SPEAKERS = {"he", "she", "they", "it", "we", "i", "bloomberg", "ap", "interfax",
                "associated press"}


@pytest.fixture(scope="module")
def ctx(seed_context: StoryContext) -> StoryContext:
    return seed_context


@pytest.fixture(scope="module")
def ledger(ctx: StoryContext) -> tuple[Quote, ...]:
    return extract_quotes(ctx, extract_entities(ctx))


def _find(ledger: tuple[Quote, ...], needle: str) -> list[Quote]:
    return [q for q in ledger if needle in q.text
            or any(needle in v.text for v in q.variants)]


def test_zelenskiy_quote_once_with_both_wordings(ledger: tuple[Quote, ...]) -> None:
    found = _find(ledger, "We want to remind the great powers")
    assert len(found) == 1
    quote = found[0]
    assert quote.speaker == "Volodymyr Zelenskiy"
    assert "no minor incursions" in quote.text
    small = [v for v in quote.variants if "small incursions" in v.text]
    assert small and REWRITE in small[0].article_ids
    assert set(quote.article_ids) == {SOURCE, REWRITE}


def test_named_speakers(ledger: tuple[Quote, ...]) -> None:
    def speaker_of(needle: str) -> set[str | None]:
        return {q.speaker for q in _find(ledger, needle)}

    assert speaker_of("decisive juncture") == {"Antony Blinken"}
    assert speaker_of("cover for staging") == {"Maria Zakharova"}
    assert speaker_of("tragic consequences") == {"Maria Zakharova"}
    assert speaker_of("knows from long experience") == {"Jen Psaki"}
    assert speaker_of("The situation is difficult") == {"Sergei Ryabkov"}
    assert speaker_of("doesn’t make it any easier") == {"Sergei Ryabkov"}
    assert speaker_of("concrete answers to our concrete proposals") == {"Sergey Lavrov"}
    assert speaker_of("I’ve been absolutely clear") == {"Joe Biden"}


def test_decisive_juncture_carried_by_two_outlets(ledger: tuple[Quote, ...]) -> None:
    quote = _find(ledger, "We're at a decisive juncture")[0]
    assert quote.text == "We're at a decisive juncture"
    assert set(quote.article_ids) == {SOURCE, "002_2f423e9e78f9098c"}


def test_speakers_are_entities_never_pronouns_or_outlets(ctx: StoryContext,
                                                         ledger: tuple[Quote, ...]) -> None:
    names = {e.name for e in extract_entities(ctx)}
    for quote in ledger:
        if quote.speaker is not None:
            assert quote.speaker.lower() not in BAD_SPEAKERS
            assert quote.speaker in names


def test_mismatched_and_unclosed_marks(ledger: tuple[Quote, ...]) -> None:
    assert _find(ledger, "carte blanche for a military operation")
    assert _find(ledger, "very clear throughout")
    crucial = _find(ledger, "We were at a crucial moment")
    assert crucial and crucial[0].speaker == "Antony Blinken"
    # The unclosed quote is cut before the narrative "referring to…".
    assert "referring" not in crucial[0].text


def test_article_ids_cover_every_wording(ledger: tuple[Quote, ...]) -> None:
    for quote in ledger:
        for variant in quote.variants:
            assert set(variant.article_ids) <= set(quote.article_ids)


def _one(text: str) -> tuple[Quote, ...]:
    return extract_quotes(StoryContext("t", (Article(id="a", text=text),)))


def test_pronoun_goes_to_last_named_person_of_matching_gender() -> None:
    text = ("Kremlin spokeswoman Anna Petrova met Foreign Minister Ivan Orlov on Monday.\n"
            "She said, “We have nothing more to add at this stage.”\n"
            "“Talks will continue next week in Vienna,” he said.")
    ledger = _one(text)
    by_text = {q.text: q.speaker for q in ledger}
    assert by_text["We have nothing more to add at this stage."] == "Anna Petrova"
    assert by_text["Talks will continue next week in Vienna"] == "Ivan Orlov"


def test_outlet_is_never_a_speaker_and_scare_quotes_are_dropped() -> None:
    text = ("Officials described the plan as a “bold step” on Friday.\n"
            "“The deal is done and signed by both sides,” according to Bloomberg.")
    ledger = _one(text)
    assert all(q.speaker is None for q in ledger)
    assert not _find(ledger, "bold step")
    assert _find(ledger, "The deal is done")


def test_inverted_and_relative_attribution() -> None:
    text = ("“We will not back down from this fight,” said Senator Jane Doe.\n"
            "The remark angered Governor Tom Ridge, who wrote on Twitter: “This is a disgrace "
            "to the state.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We will not back down from this fight"] == "Jane Doe"
    assert by_text["This is a disgrace to the state."] == "Tom Ridge"


def test_quote_spans_carry_offsets_and_multi_paragraph_quotes() -> None:
    from storyline.synth.entities import build_name_index
    from storyline.synth.quotes import find_quote_spans

    text = ("Governor Tom Ridge spoke on Monday. He said, “We have done the work. The state is "
            "ready for the storm.\n"
            "“Nobody should panic, and nobody should leave before the order comes.”\n"
            "Breitbart News responded:\n"
            "“This is a disgrace and everyone in the state knows it.”")
    article = Article(id="a", text=text)
    spans = find_quote_spans(article, build_name_index(StoryContext("t", (article,))))
    assert len(spans) == 2
    first, second = spans
    assert text[first.start:first.end].startswith("We have done the work")
    assert text[first.start:first.end].endswith("before the order comes.")
    assert first.speaker == "Tom Ridge"
    assert second.speaker == "Breitbart News" and second.explicit


def test_colon_cue_bare_name_and_sentence_subject() -> None:
    text = ("Carson did not mention his rivals, but told his supporters, “our nation is in "
            "horrible trouble right now.”\n"
            "More from Jones: “The partisanship of the state is only a starting point.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["our nation is in horrible trouble right now."] == "Carson"
    assert by_text["The partisanship of the state is only a starting point."] == "Jones"


def test_doubled_apostrophes_appositives_and_split_attribution_sentences() -> None:
    text = ("''We will win this state by a mile,'' Mr. Mahaney, of RBC Capital Markets, said.\n"
            "“Have I started writing the speech for tomorrow?” Sanders replied.\n"
            "“The plan is simply not ready yet,” Jeb Bush, the former Florida governor and a "
            "candidate, said on Monday.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We will win this state by a mile"] == "Mahaney"
    assert by_text["Have I started writing the speech for tomorrow?"] == "Sanders"
    assert by_text["The plan is simply not ready yet"] == "Jeb Bush"


def test_passive_outlet_subject_and_verb_before_colon() -> None:
    text = ("“The deal is done and signed by both sides,” according to Bloomberg.\n"
            "Sanders was asked by host Bill Maher, “Why did you drop the email story?”\n"
            "“The deal is off and nobody will sign it,” CNN reported.\n"
            "Schilling told WEEI: “I replied to the post, I did not write it.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["Why did you drop the email story?"] == "Bill Maher"
    assert by_text["The deal is off and nobody will sign it"] == "CNN"
    assert by_text["I replied to the post, I did not write it."] == "Schilling"
    assert by_text["The deal is done and signed by both sides"] is None


def test_pronoun_takes_the_nearest_compatible_speaker() -> None:
    text = ("Hillary Clinton spoke first on Monday.\n"
            "Martha Allen, a delegate from Vermont, criticized the gun laws of her state.\n"
            "“We are losing too many people to guns,” she said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We are losing too many people to guns"] == "Martha Allen"


def test_speech_nouns_are_no_verbs_for_pronoun_antecedents() -> None:
    text = ("Joe Biden rubbished Donald Trump’s claim to understand the middle class.\n"
            "“To repeat myself, it is a bunch of malarkey,” he said.\n"
            "“The plan will not solve this, but it is a step,” Anne Richards, assistant "
            "secretary of state for refugees, said on the call.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["To repeat myself, it is a bunch of malarkey"] == "Joe Biden"
    assert by_text["The plan will not solve this, but it is a step"] == "Anne Richards"


def test_more_speech_verbs_and_stray_marks_before_the_verb() -> None:
    text = ("“If they were serious about this, they would have voted,” Toomey fumed on Tuesday.\n"
            "''Voters will not be satisfied with 'We'll bomb them,''' said Senator John McCain "
            "of Texas, referring to the vow.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["If they were serious about this, they would have voted"] == "Toomey"
    assert by_text["Voters will not be satisfied with 'We'll bomb them"] == "John McCain"


def test_opener_before_outlet_and_long_titles_before_names() -> None:
    text = ("As Politico reported, “the county would go for Trump, and handily.”\n"
            "“We had a big issue with the trade part,” said United Auto Workers "
            "Secretary-Treasurer Gary Casteel.\n"
            "“This is just a scripted television show,” said Virginia delegate Beau Correll.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["the county would go for Trump, and handily."] == "Politico"
    assert by_text["We had a big issue with the trade part"] == "Gary Casteel"
    assert by_text["This is just a scripted television show"] == "Beau Correll"


def test_narrative_sentence_subject_takes_a_quote_without_verb() -> None:
    text = ("Sen. Susan Collins joined the group this week, publishing an op-ed hammering his "
            "“unsuitability for the office.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["unsuitability for the office."] == "Susan Collins"


def test_appositives_on_either_side_of_the_verb() -> None:
    text = ("In a statement, Brian Fallon, a spokesman for the campaign, said: “We are "
            "pleased with the result.”\n"
            "“We found no ties of any consequence,” said the bureau's director, James B. "
            "Comey, on Monday.\n"
            "''There are stories every year about this,''' Steve Rosenthal, a former political "
            "director of the union, said.\n"
            "“How do we win the county?” Tom Estrada, the chairman for the county party, said "
            "of the encounter.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We are pleased with the result."] == "Brian Fallon"
    assert by_text["We found no ties of any consequence"] == "James B. Comey"
    assert by_text["There are stories every year about this"] == "Steve Rosenthal"
    assert by_text["How do we win the county?"] == "Tom Estrada"


def test_bare_name_drops_openers_that_are_no_names() -> None:
    from storyline.synth.attribution import _bare_name

    assert _bare_name("Appearing Jones") == "Jones"
    assert _bare_name("Kelly") == "Kelly"
    assert _bare_name("There's") is None


def test_unnamed_sources_keep_their_description() -> None:
    text = ("“That can go a long way,” said a senior Cruz adviser.\n"
            "“We are not worried about the polls,” one Republican involved in the planning "
            "said.\n"
            "“There is no plan to change course,” said a spokesman for the campaign.\n"
            "“It was a long night,” the Florida senator said in a statement.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["That can go a long way"] == "a senior Cruz adviser"
    assert by_text["We are not worried about the polls"] == "one Republican"
    assert by_text["There is no plan to change course"] == "a spokesman for the campaign"
    assert by_text["It was a long night"] == "the Florida senator"


def test_pronoun_prefers_a_subject_over_names_in_prepositional_phrases() -> None:
    text = ("During an interview with Sean Hannity that aired Wednesday night, Donald Trump "
            "discussed the wall.\n"
            "“We’re going to do a wall, a big, fat beautiful wall,” he said.\n"
            "As a small gathering of supporters waited in a Caesar’s Palace ballroom, Hillary "
            "Clinton took to Twitter.\n"
            "“To everyone who turned out in every corner of Nevada: this is your win,” she wrote.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We’re going to do a wall, a big, fat beautiful wall"] == "Donald Trump"
    assert by_text["To everyone who turned out in every corner of Nevada: this is your win"] \
        == "Hillary Clinton"


def test_party_before_a_name_is_a_title() -> None:
    from storyline.synth.entities import extract_entities

    text = ("Racking up victories, Republican Donald Trump and Democrat Hillary Clinton "
            "solidified their leads on Tuesday. Trump spoke in Florida.")
    ctx = StoryContext("s", (Article(id="a", text=text),))
    names = {e.name: e.kind for e in extract_entities(ctx)}
    assert names.get("Donald Trump") == "person"
    assert names.get("Hillary Clinton") == "person"
    assert "Republican Donald Trump" not in names


def test_participles_share_the_sentence_speaker() -> None:
    text = ("Trump told Newsmax that Mitt Romney “had a crazy policy of self-deportation,” "
            "adding, “He lost all of the Latino vote.”\n"
            "Cruz said there is “only one strong conservative in a position to win this race,” "
            "adding that it is why Donald Trump “relentlessly attacks us and ignores others.”\n"
            "Mr. Trump will give a speech this month, Mr. Manafort said, adding that he would "
            "also address his ''gender gap with women voters.''")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["He lost all of the Latino vote."] == "Donald Trump"
    assert by_text["relentlessly attacks us and ignores others."] == "Cruz"
    assert by_text["gender gap with women voters."] == "Manafort"


def test_asides_two_word_cues_and_long_attribution_sentences() -> None:
    text = ("Cory James, 22, of Flint, Mich., said: “The party does not represent me.”\n"
            "“Jeb wants to be a tough guy tonight,” Trump shot back.\n"
            "Or, as Tom Ridge, a former secretary of homeland security, put it: “The barbarians "
            "are no longer at the gate.”\n"
            "Sanders called the suspension “arbitrary and unfair.” Josh Hendler, a top "
            "Democratic tech operative, warned Saturday that the move would hurt the party.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["The party does not represent me."] == "Cory James"
    assert by_text["Jeb wants to be a tough guy tonight"] == "Trump"
    assert by_text["The barbarians are no longer at the gate."] == "Tom Ridge"
    assert by_text["arbitrary and unfair."] == "Sanders"


def test_documents_credit_a_quote_and_junk_never_speaks() -> None:
    from storyline.synth.attribution import _bare_name

    text = ("Some 55 percent of voters said they doubt she ''cares about people like me,'' "
            "according to a Quinnipiac poll conducted in February.\n"
            "Trump said he was “happy to see” the result, according to The New York Times.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["cares about people like me"] == "a Quinnipiac poll"
    assert by_text["happy to see"] == "Trump"
    assert _bare_name("Harnet Avenue") is None
    assert _bare_name("Six") is None
    assert _bare_name("Fueled") is None
    assert _bare_name("April Mellody") == "April Mellody"


def test_offices_bare_attribution_sentences_and_signed_quotes() -> None:
    text = ("Paul Ryan spoke on Monday. \"We will meet the candidate on Thursday,\" Ryan's "
            "office said in a statement.\n"
            "Iowa State University's Dianne Bystrom agreed. \"Mainstream Republicans are running "
            "out of time.\"\n"
            "\"You walk off the court and say, 'Well done,' \" said Rep. Diane Russell, a Maine "
            "legislator.\n"
            "Clinton won easily, not a “regional” candidate, as Sanders’ campaign manager "
            "suggested.\n"
            "\"I went to Wall Street before the crash and warned them.\"\n"
            "- Clinton.\n"
            "“My reaction, that was outrageous,” Obama's former campaign strategist said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["My reaction, that was outrageous"] == "Obama’s former campaign strategist"
    assert by_text["We will meet the candidate on Thursday"] == "Paul Ryan’s office"
    assert by_text["Mainstream Republicans are running out of time."] == "Dianne Bystrom"
    assert by_text["You walk off the court and say, 'Well done"] == "Diane Russell"
    assert by_text["I went to Wall Street before the crash and warned them."] == "Clinton"
    assert by_text["regional"] == "Sanders’s campaign manager"


def test_pronoun_skips_sentences_that_the_same_pronoun_opens() -> None:
    text = ("Mattie Thomas is a retired fast-food worker from Lake City.\n"
            "She is a Sanders supporter but concedes that her peers love Hillary Clinton.\n"
            "“They have a perception of the Clintons, and you will not change it,” she said.\n"
            "The approach is costly, said Katie Harbath, a Facebook director. Others are “having "
            "to be leaner and more resourceful,” she said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["They have a perception of the Clintons, and you will not change it"] \
        == "Mattie Thomas"
    assert by_text["having to be leaner and more resourceful"] == "Katie Harbath"


def test_headline_subjects_leading_phrases_and_spaced_closing_marks() -> None:
    text = ("Donald Trump spoke on Friday. John O'Donnell said he worked for him.\n"
            "Trump Addresses Munich Attack: ‘This Cannot Continue Any Longer.’\n"
            "In 1991, John O'Donnell, a former casino president, published “Trumped! The "
            "Inside Story,” a memoir.\n"
            "\"I think the judge should be ashamed of himself, \" Trump said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["This Cannot Continue Any Longer."] == "Donald Trump"
    assert by_text["Trumped! The Inside Story"] == "John O'Donnell"
    assert by_text["I think the judge should be ashamed of himself"] == "Donald Trump"


def test_names_after_roles_campaigns_and_children_speak() -> None:
    text = ("The leader of the Anti-Defamation League, Jonathan Greenblatt, warned that such "
            "a ban would be “unacceptable and antithetical to American values.”\n"
            "According to the Trump campaign, “the speech will be delivered on Monday.”\n"
            "Another child responded, “That is Hillary’s husband over there.”\n"
            "As The Post’s Dana Milbank puts it, “Senate Republicans are unmoved.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["unacceptable and antithetical to American values."] == "Jonathan Greenblatt"
    assert by_text["the speech will be delivered on Monday."] == "the Trump campaign"
    assert by_text["That is Hillary’s husband over there."] == "Another child"
    assert by_text["Senate Republicans are unmoved."] == "Dana Milbank"


def test_definite_roles_outlets_and_party_descriptions() -> None:
    text = ("Paul Ryan met reporters. In an interview Thursday, the Wisconsin Republican "
            "criticized the plan and said allies were “still in the game.”\n"
            "The New York Times confirmed it, reporting: “The deal is off.”\n"
            "“Trump will win here,” said a New Hampshire Democrat. Jon Smith of Nevada "
            "disagreed.\n"
            "“We are proud of our members,” Thomas Hanify, the president of the Indiana "
            "state firefighters union, said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["still in the game."] == "the Wisconsin Republican"
    assert by_text["The deal is off."] == "New York Times"
    assert by_text["Trump will win here"] == "a New Hampshire Democrat"
    assert by_text["We are proud of our members"] == "Thomas Hanify"


def test_speech_nouns_participle_chains_and_prepositional_asides() -> None:
    text = ("House Speaker Paul Ryan told CNN Tuesday that Ginsburg’s comments “shows bias "
            "to me.”\n"
            "Donald Trump released a statement on Saturday, describing the son as a hero but "
            "insisting that Mr. Khan had “no right” to criticize him.\n"
            "I remember President Jimmy Carter going on TV, declaring a “moral equivalent of "
            "war” against oil, and telling Americans that “we need to shift to coal.”\n"
            "Hillary Clinton, during a town hall meeting in Columbus, Ohio, said she was "
            "“going to put a lot of coal miners out of business.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["shows bias to me."] == "Paul Ryan"
    assert by_text["no right"] == "Donald Trump"
    assert by_text["we need to shift to coal."] == "Jimmy Carter"
    assert by_text["going to put a lot of coal miners out of business."] == "Hillary Clinton"
    text = ("Donald Trump attacked Hillary Clinton in Ohio.\n"
            "Mr. Trump's turn started last week when Mrs. Clinton, in response to Mr. Trump's "
            "use of a crude sexual reference to describe her loss to Barack Obama in 2008, "
            "accused him of a “penchant for sexism.”")
    assert [q.speaker for q in _one(text)] == ["Hillary Clinton"]


def test_attribution_sentences_after_a_question_and_continued() -> None:
    text = ("Rachel Maddow asked about the campaign. \"Grizzly Adams?\" Maddow repeated.\n"
            "\"I’m not sure you know Leo DiCaprio is available, but we’ll see, right?\" "
            "Hillary Clinton remarked, alluding to the actor's latest turn as a rugged "
            "frontiersman in \"The Revenant.\"\n"
            "Donald Trump said Clinton “caused death.” Bernie Sanders called Trump a "
            "“pathological liar.”\n"
            "Paul Ryan spoke to reporters. “I was pretty clear and I was outspoken on a number "
            "of occasions,” Ryan continued.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["I’m not sure you know Leo DiCaprio is available, but we’ll see, right?"] \
        == "Hillary Clinton"
    assert by_text["caused death."] == "Donald Trump"
    assert by_text["pathological liar."] == "Bernie Sanders"
    assert by_text["I was pretty clear and I was outspoken on a number of occasions"] \
        == "Paul Ryan"


def test_long_attributions_after_questions_and_roles_ending_on_a_place() -> None:
    text = ("“It looks like we’re not going to have a very good relationship, who knows?” "
            "Donald Trump told Britain’s ITV television station in an interview aired on "
            "Monday when asked how ties would fare if he won.\n"
            "“It may have been his first attempt to make his own statement,” said his best "
            "friend at Lehigh, Bruce Turry, who joined the fraternity.\n"
            "Forbes says Mr. Kamprad is no longer a billionaire, having moved his wealth "
            "“beyond his control.” Bloomberg says its deeper reporting has found that the "
            "entities are still under his control.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["It looks like we’re not going to have a very good relationship, "
                   "who knows?"] == "Donald Trump"
    assert by_text["It may have been his first attempt to make his own statement"] \
        == "Bruce Turry"
    assert by_text["beyond his control."] == "Forbes"


def test_surnames_that_are_words_and_unnamed_occupations() -> None:
    text = ("''This is an extreme revision,'' said David French of the National Retail "
            "Federation.\n"
            "''It's not going to be easy,'' said Representative Peter T. King of New York.\n"
            "\"It's hard enough to come back to work,\" said the designer, who works for "
            "another brand.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["This is an extreme revision"] == "David French"
    assert by_text["It's not going to be easy"] == "Peter T. King"
    assert by_text["It's hard enough to come back to work"] == "the designer"


def test_a_sentence_ending_on_its_speech_verb_introduces_the_next_quote() -> None:
    text = ("Or maybe Jeb Bush, digital consultant Phil Musser says. \"Several surveys "
            "suggest a second look is occurring for Jeb in New Hampshire.\"")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["Several surveys suggest a second look is occurring for Jeb in New "
                   "Hampshire."] == "Phil Musser"


def test_courtesy_titles_pick_the_bearer_of_their_gender() -> None:
    text = ("Bill Clinton and Hillary Clinton toured Iowa. Bill Clinton shook hands at a diner "
            "while Bill Clinton's aides watched.\n"
            "Mrs. Clinton did not hesitate. “Everybody should be believed at first,” she said.\n"
            "Mr. Clinton stayed outside. “I like this town,” he said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["Everybody should be believed at first"] == "Hillary Clinton"
    assert by_text["I like this town"] == "Bill Clinton"


def test_pronoun_subject_after_a_leading_clause_chains_back() -> None:
    text = ("Ted Cruz won Texas on Tuesday.\n"
            "Though he did not mention Marco Rubio by name, he said rivals should quit.\n"
            "“It is time to unite,” he said.\n"
            "Susan Sarandon spoke on Monday. Asked about her vote in the event that Hillary "
            "Clinton faces Donald Trump, who has insulted women, she replied: “I don’t know.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["It is time to unite"] == "Ted Cruz"
    assert by_text["I don’t know."] == "Susan Sarandon"


def test_plural_groups_are_no_antecedent_of_he_or_she() -> None:
    text = ("Kevin Swanson attacked the Girl Scouts on his radio show.\n"
            "Swanson slammed the Girl Scouts. He said the Girl Scouts promote “a culture of "
            "death,” and more.\n"
            "Senate Republicans said they met Girl Scouts leaders. “We will not back down,” "
            "he said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We will not back down"] == "Kevin Swanson"


def test_attribution_sentence_before_an_unsplit_doubled_apostrophe_quote() -> None:
    text = ("Mr. Manafort spoke of the map.\n\n"
            "''Can we win Illinois?'' Mr. Manafort asked. ''I don't know. But we can make her "
            "spend money there.''")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["Can we win Illinois?"] == "Manafort"


def test_indirect_speech_before_a_quote_sentence_or_paragraph() -> None:
    text = ("Ash Carter said that for decades some critics had predicted a withdrawal.\n\n"
            "“That is because this region matters more than any other to our future.”\n\n"
            "Loretta Lynch announced the lawsuit on Monday. “We are seeking a court order "
            "today.”\n\n"
            "Tom Hanks said the plan was fine.\n\n"
            "“The whole plan is a disgrace to the state,” Jane Doe started.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["That is because this region matters more than any other to our future."] \
        == "Ash Carter"
    assert by_text["We are seeking a court order today."] == "Loretta Lynch"
    assert by_text["The whole plan is a disgrace to the state"] != "Tom Hanks"


def test_inverted_names_after_roles_with_adjectives_and_abbreviated_ranks() -> None:
    text = ("“I fundamentally disagree with the plan,” said retired Army Lt. Gen. Mick "
            "Bednarek, who served in Iraq.\n"
            "“I will wait and see who wins,” said undecided Republican voter Stephanie Hooton "
            "of Derry.\n"
            "“It was his first attempt to make a statement,” said his best friend at Lehigh, "
            "Bruce Turry.\n"
            "“This is an extreme revision of the rule,” said David French of the National "
            "Retail Federation.\n"
            "“This is crucial for both of them,” said one former GOP leadership aide. "
            "“Republican House members will run their own campaigns.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["I fundamentally disagree with the plan"] == "Mick Bednarek"
    assert by_text["I will wait and see who wins"] == "Stephanie Hooton"
    assert by_text["It was his first attempt to make a statement"] == "Bruce Turry"
    assert by_text["This is an extreme revision of the rule"] == "David French"
    assert by_text["This is crucial for both of them"] == "one former GOP leadership aide"


def test_according_to_opening_a_sentence() -> None:
    text = ("Donald Trump spoke at the university. According to Trump, he is now “the worst "
            "thing that ever happened to the establishment.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["the worst thing that ever happened to the establishment."] == "Donald Trump"


def test_short_quote_inside_the_attribution_of_the_quote_before() -> None:
    text = ("“We have had more successful conventions than this one,” Texas delegate Bill "
            "Eastland, wearing a cowboy hat and “Ted Cruz” campaign pins, said.")
    ledger = _one(text)
    by_text = {q.text: q.speaker for q in ledger}
    assert by_text["We have had more successful conventions than this one"] == "Bill Eastland"
    assert "Ted Cruz" not in by_text


def test_quote_paragraph_after_a_known_speaker_opening_the_paragraph_before() -> None:
    text = ("“Cruz has the same positions as Reagan on the issues,” Richard Viguerie said.\n\n"
            "Viguerie is upbeat about the chances of Cruz in November.\n\n"
            "“Not only can Ted Cruz win in November, he is the one with the best chance.”\n\n"
            "Tom Hanks is upbeat about the weather in November.\n\n"
            "“The whole state will be sunny and warm for the entire month.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["Not only can Ted Cruz win in November, he is the one with the best "
                   "chance."] == "Richard Viguerie"
    assert by_text["The whole state will be sunny and warm for the entire month."] is None


def test_reaction_cues() -> None:
    text = ("“This is fantastic for all of us!” beamed Donald Hartley of Madison.\n"
            "In an address, President François Hollande condemned the “attack whose terrorist "
            "nature cannot be denied.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["This is fantastic for all of us!"] == "Donald Hartley"
    assert by_text["attack whose terrorist nature cannot be denied."] == "François Hollande"
    text = ("President François Hollande spoke on Tuesday.\n"
            "“France will always be France,” an angry Hollande retaliated.")
    assert [q.speaker for q in _one(text)] == ["François Hollande"]


def test_quote_joined_to_the_next_attributed_quote_of_its_sentence() -> None:
    text = ("Guns are “the ultimate public health crisis” and “stunt the growth of children,” "
            "Howard Dean, the former governor of Vermont, proclaimed on Tuesday.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["the ultimate public health crisis"] == "Howard Dean"


def test_capitalised_verb_before_a_quote_only_in_title_case() -> None:
    text = ("On the topic, Luis Osuna told The Huffington Post: “A lot of people are assuming "
            "that it is only Mexicans.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["A lot of people are assuming that it is only Mexicans."] == "Luis Osuna"


def test_bare_attribution_sentence_credits_its_first_verb() -> None:
    text = ("“Two billionaires started a super PAC against me,” Hillary Clinton said, "
            "referencing a super PAC called Future45. “So they clearly think I will do it.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["So they clearly think I will do it."] == "Hillary Clinton"


def test_sentence_subject_reads_past_a_lower_case_role_before_the_name() -> None:
    text = ("Republican presidential nominee Donald Trump issued the following statement: "
            "“We will win this thing together.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We will win this thing together."] == "Donald Trump"


def test_inverted_cue_set_off_by_commas_before_the_quote() -> None:
    text = ("Simon Rosenberg runs a think tank. The plan failed, explained Rosenberg, “We did "
            "not have the money to go on.”\n"
            "Dick Dever, a delegate, told POLITICO, “Of the three, I like John Kasich best.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["We did not have the money to go on."] == "Simon Rosenberg"
    assert by_text["Of the three, I like John Kasich best."] == "Dick Dever"


def test_unknown_long_role_before_a_first_name_and_party_tags_are_dropped() -> None:
    text = ("The bill passed. Senate Intelligence Ranking Democrat Dianne Feinstein (D-Calif.) "
            "last week said Clinton was not the originator of any “top secret email chains at "
            "all.”\n"
            "“We have to stop this now,” Sen. Claire McCaskill (D-Mo.) told reporters.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["top secret email chains at all."] == "Dianne Feinstein"
    assert by_text["We have to stop this now"] == "Claire McCaskill"


def test_sentence_adverbs_likewise_and_sooner_are_no_speakers() -> None:
    text = ("Another crowd, another town hall. Sooner or later, the New Jersey governor told "
            "reporters, “it starts to pay off for all of us.”")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["it starts to pay off for all of us."] == "the New Jersey governor"


def test_pronoun_reaches_a_surname_with_an_apostrophe() -> None:
    text = ("Obama has called the chaos in Libya a lesson he had to learn.\n\n"
            "Michael O'Hanlon, a foreign policy expert at the Brookings Institution, says Libya "
            "is the biggest trouble spot for Clinton. “I do think she's got to rethink her "
            "argument right now,” he said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["I do think she's got to rethink her argument right now"] == (
        "Michael O'Hanlon")


def test_pronoun_prefers_the_main_clause_subject_to_a_leading_clause_name() -> None:
    text = ("Secretary General Kofi Annan spoke in New York.\n\n"
            "Asked whether he was concerned that Donald Trump, who has called global warming a "
            "hoax, could be the next president, Annan demurred.\n\n"
            "“There is no political ideology; there is just one science,” he said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["There is no political ideology; there is just one science"] == "Kofi Annan"


def test_pronoun_skips_a_name_that_opens_what_was_said() -> None:
    text = ("Brian Murphy, the chairman of the county party, said Trump continued to hurt his "
            "cause. “I don’t think it’s cut well for him,” he said.")
    by_text = {q.text: q.speaker for q in _one(text)}
    assert by_text["I don’t think it’s cut well for him"] == "Brian Murphy"


def test_prompted_to_say_names_the_one_prompted() -> None:
    text = ("Donald Trump spoke.\n"
            "The debate was so subdued that Mr. Trump was prompted to say, ''So far, I cannot "
            "believe how civil it's been up here.''")
    assert [q.speaker for q in _one(text)] == ["Donald Trump"]


def test_a_role_with_a_verb_of_its_own_after_said_is_what_was_said() -> None:
    text = ("Paul Manafort and Donald Trump spoke.\n"
            "Mr. Manafort, citing ''the unique magic of Trump,'' said the candidate could be "
            "in a very competitive situation in states like Pennsylvania.")
    assert [q.speaker for q in _one(text)] == ["Paul Manafort"]


def test_a_definite_role_before_the_verb_beats_the_sentence_subject() -> None:
    text = ("Donald J. Trump and Hillary Clinton spoke.\n"
            "Mr. Trump took on Mrs. Clinton on Sunday after the Democratic front-runner had "
            "said on Saturday evening that he was ''becoming ISIS' best recruiter.''")
    assert [q.speaker for q in _one(text)] == ["the Democratic front-runner"]


def test_a_sentence_opened_by_and_after_a_quote_is_no_bare_attribution() -> None:
    text = ("Pat Toomey and Rob Portman spoke.\n"
            "But Sen. Pat Toomey (R-Pa.) refused to entertain the possibility, responding that "
            "he’s “not going to go into what my campaign is doing.” And Sen. Rob Portman "
            "(R-Ohio), another vulnerable incumbent, said he hadn’t thought about it.")
    assert [q.speaker for q in _one(text)] == ["Pat Toomey"]


def test_a_speech_verb_in_a_while_clause_after_the_quote_has_its_own_subject() -> None:
    text = ("Kelly Ayotte and Louis Gohmert spoke.\n"
            "Sen. Kelly Ayotte’s campaign said she would “support the nominee” but “isn’t "
            "planning to endorse anyone this cycle,” while Rep. Louis Gohmert suggested they "
            "would only offer conditional support.")
    assert [q.speaker for q in _one(text)] == ["Kelly Ayotte’s campaign"] * 2


def test_a_cue_set_off_by_commas_inside_the_sentence_names_the_speaker_after_it() -> None:
    text = ("Nancy Reagan and Carl Anthony were there.\n"
            "The paradox of Nancy, says Carl Anthony, historian at the National First Ladies "
            "Library, is that she was \"one of the most powerful first ladies of the era.\"")
    assert [q.speaker for q in _one(text)] == ["Carl Anthony"]


def test_pronoun_after_an_inverted_cue_behind_a_quote_and_a_no_title() -> None:
    text = ("Gary Orfield and Lamar Alexander spoke.\n"
            "Senator Lamar Alexander was “very assertive and interventionist,” said Gary "
            "Orfield, a law professor. He added that the administration “doubled down the "
            "bets” by using its influence.")
    assert {q.speaker for q in _one(text)} == {"Gary Orfield"}
    text = ("Mike Petrilli spoke.\n"
            "Still, Petrilli, who thinks the administration made a power grab, called the new "
            "law “much, much better” than No Child Left Behind, since it returns "
            "responsibility to the states.\n“We need to be humble,” he said.")
    assert [q.speaker for q in _one(text)] == ["Mike Petrilli"] * 2


def test_a_long_opening_prepositional_phrase_before_the_sentence_subject() -> None:
    text = ("Donald Trump spoke about Gonzalo Curiel.\n"
            "In an interview with The Wall Street Journal, Trump doubled down on his comments "
            "and said the federal judge had “an inherent conflict of interest” in the case.")
    assert [q.speaker for q in _one(text)] == ["Donald Trump"]


def test_a_relative_clause_with_commas_between_the_name_and_its_verb() -> None:
    text = ("Tom Slinker spoke.\n"
            "Mr. Slinker, whose latest start-up, Paradata, uses big data to help brands, said "
            "Mr. Trump was a candidate in the spirit of the valley: ''He's a start-up kind of "
            "guy.''")
    assert [q.speaker for q in _one(text)] == ["Tom Slinker"]


def test_a_titled_name_after_leading_clauses_and_before_its_verb() -> None:
    text = ("Tuesday in Berea, OH, after winning Ohio in the primary, Gov. John Kasich (R-OH), "
            "said, “I’m getting ready to rent a covered wagon.”")
    assert [q.speaker for q in _one(text)] == ["John Kasich"]


def test_a_participle_after_a_leading_clause_takes_the_subject_after_it() -> None:
    text = ("Glenn Beck Mocks Drudge, Quotes Bible.\n"
            "Glenn Beck spoke.\n"
            "Speaking in his real voice again, he proceeded to recite 2 Timothy 3:1-5 from the "
            "Bible, saying: “This know also, that in those days the perilous times shall "
            "come.”")
    assert [q.speaker for q in _one(text)] == ["Glenn Beck"]


def test_a_title_case_headline_quotes_its_subject_not_the_name_after_its_verb() -> None:
    text = ("Carly Fiorina Endorses Ted Cruz: I Am ‘Horrified’ By Donald Trump.\n"
            "Carly Fiorina threw her support behind Sen. Ted Cruz on Wednesday.")
    assert [q.speaker for q in _one(text)] == ["Carly Fiorina"]
    text = ("Francois Hollande Says Donald Trump ‘Makes You Want To Retch.’\n"
            "French President Francois Hollande has joined critics of Donald Trump.")
    assert [q.speaker for q in _one(text)] == ["Francois Hollande"]


def test_a_close_only_mark_closes_a_quote_with_no_space_after_it() -> None:
    text = ("Hillary Clinton spoke to Joe Scarborough.\n"
            "“I think it’s been most surprising to me to see somebody like him,”Clinton "
            "said. “Some of the comments he has made have been so divisive.”")
    quotes = _one(text)
    assert [q.speaker for q in quotes] == ["Hillary Clinton"] * 2
    assert "Clinton said" not in quotes[0].text


def test_a_participle_after_an_unnamed_subject_is_not_its_object() -> None:
    text = ("Paul Ryan spoke.\n"
            "One operative inside Trump Tower tried to downplay Ryan’s comments, saying they "
            "were “not a big deal around here at all.”")
    assert [q.speaker for q in _one(text)] == ["One operative"]


def test_an_infinitive_after_a_speech_verb_is_no_audience() -> None:
    text = ("Marco Rubio and Ted Cruz spoke.\n"
            "After the Florida senator suspended his campaign, Cruz said he’s certain Rubio "
            "will continue to be “a champion for limitless opportunity in America.”")
    assert [q.speaker for q in _one(text)] == ["Ted Cruz"]


def test_a_noun_cue_after_an_adjective_is_no_verb_with_a_subject() -> None:
    text = ("Donald Trump spoke.\n"
            "On Friday, he joined others in pouncing on news that her server had handled "
            "messages later deemed “top secret and highly classified,” saying in a Trumpian "
            "post on Twitter: “The new email release is a disaster for her.”")
    speakers = [q.speaker for q in _one(text)]
    assert "Trumpian" not in speakers and speakers[-1] == "Donald Trump"


def test_pronoun_antecedent_heads_a_chain_of_of_and_in_before_a_comma_verb() -> None:
    text = ("Ted Cruz spoke to pastors.\n"
            "One pastor supporting Mr. Cruz, Darran Whiting of Liberty Baptist Church in "
            "Marion, said he had made more than 150 phone calls to other pastors.\n"
            "“Find your polling place and get there,” he tells parishioners.")
    assert [q.speaker for q in _one(text)] == ["Darran Whiting"]


def test_a_party_of_state_appositive_is_no_name() -> None:
    text = ("Shelley Moore Capito spoke.\n"
            "Dashing into a luncheon, Senator Shelley Moore Capito, Republican of West "
            "Virginia, called over her shoulder, “His comments are not helping anyone.”")
    assert [q.speaker for q in _one(text)] == ["Shelley Moore Capito"]


def test_as_x_put_it_names_x_past_a_quoted_title_in_the_aside() -> None:
    text = ("Akhil Amar spoke.\n"
            "As Akhil Amar, professor of constitutional law at Yale and author of ''America's "
            "Unwritten Constitution,'' put it, ''Senate Republicans should remember that a "
            "compromise candidate today may be far better for them.''")
    quotes = [q for q in _one(text) if "Senate Republicans" in q.text]
    assert [q.speaker for q in quotes] == ["Akhil Amar"]


def test_an_adverb_between_the_comma_and_a_participle_keeps_the_sentence_subject() -> None:
    text = ("Hillary Clinton and Donald Trump will debate.\n"
            "Hillary Clinton has expressed frustration about her face-off with Donald Trump "
            "later this month, recently telling one person close to her that she is perplexed "
            "about “which Donald Trump will show up.”")
    assert [q.speaker for q in _one(text)] == ["Hillary Clinton"]


def test_an_unnamed_subject_of_a_relative_clause_before_its_verb() -> None:
    text = ("Marco Rubio and Ted Cruz spoke.\n"
            "Together, Senators Rubio and Cruz represent a watershed moment, in what one Latino "
            "conservative has dubbed ''the yuca primary of this year,'' referring to a staple.")
    assert [q.speaker for q in _one(text)] == ["one Latino conservative"]
    text = ("Joel Benenson and David Axelrod spoke.\n"
            "His friend is the strategist Joel Benenson, whom one Obama insider described as "
            "“his brother in every single way.”")
    assert [q.speaker for q in _one(text)] == ["one Obama insider"]


def test_a_name_after_a_newspaper_set_off_by_commas_is_not_the_speaker() -> None:
    text = ("Giovanni Maria Vian spoke.\n"
            "Giovanni Maria Vian, the editor in chief of the Vatican's official newspaper, "
            "L'Osservatore Romano, said every pope was ''both religious and political at "
            "once.''")
    assert [q.speaker for q in _one(text)] == ["Giovanni Maria Vian"]


def test_a_coordinated_name_with_its_own_verb_after_said_is_what_was_said() -> None:
    text = ("Frank Luntz and David Cameron spoke.\n"
            "Frank Luntz, a Republican expert on political messaging, said Mr. Cameron and the "
            "''Remain'' camp had failed to ''personalize their campaign.'' The ''Stronger "
            "Together'' slogan feels bloodless, he said.")
    speakers = {q.speaker for q in _one(text) if "Stronger" in q.text}
    assert speakers == {"Frank Luntz"}  # "he" is Luntz, not Cameron


def test_a_preposition_after_an_inverted_verb_opens_no_role() -> None:
    text = ("Khizr Khan and Ghazala Khan spoke.\n"
            "“You see people pointing fingers at them,” Khizr Khan, 66, said on Capital "
            "Download.\n"
            "He says the rhetoric bears some of the responsibility. “The voices that would not "
            "dare have gathered courage,” he told the newsmaker series.")
    assert {q.speaker for q in _one(text)} == {"Khizr Khan"}


def test_a_name_after_to_the_newspaper_before_a_colon_is_an_object() -> None:
    text = ("Donald Trump and Jeb Bush spoke.\n"
            "“The best taco bowls are made in Trump Tower Grill. I love Hispanics!”Former "
            "Republican presidential candidate Jeb Bush broke down exactly what was wrong "
            "with the message to the Dutch newspaper NRC Handelsblad: “What Trump did was so "
            "insensitive.”")
    quotes = [q for q in _one(text) if "insensitive" in q.text]
    assert [q.speaker for q in quotes] == ["Jeb Bush"]


def test_what_follows_a_participle_after_a_quote_is_not_its_subject() -> None:
    text = ("Jeremy Boreman spoke.\n"
            "Boreman said the members will still meet for drinks, but said, “It’s time we "
            "change how we do it,” promising the Friends of Abe will return to its roots.")
    assert [q.speaker for q in _one(text)] == ["Jeremy Boreman"]


def test_a_description_needs_a_source_noun_as_its_head() -> None:
    text = ("Marco Rubio and Donald Trump spoke.\n"
            "That prompted Rubio to make a joke about yoga and call Trump “very flexible and "
            "nimble,” a nod to the front-runner acknowledging that he has changed.")
    assert "a nod to the front-runner" not in {q.speaker for q in _one(text)}


def test_an_owner_after_an_inverted_verb_opens_a_role_before_the_name() -> None:
    text = ("Hillary Clinton spoke.\n"
            "Then there was the most obvious change of all: \"It's about time that we had a "
            "woman running this country,\" exhorted Clinton's introducer, actress Jamie Lee "
            "Curtis.")
    assert [q.speaker for q in _one(text)] == ["Jamie Lee Curtis"]


def test_a_signature_paragraph_with_a_place_or_circumstance_after_a_comma() -> None:
    text = ("Barack Obama spoke.\n"
            "\"Great speech. She's tested. She's ready. She never quits.\"\n"
            "-President Obama, tweeting after Clinton's speech.\n"
            "\"The whole idea of a Crooked Hillary is something that we reject.\"\n"
            "-Michelle Marks, Philadelphia.")
    assert [q.speaker for q in _one(text)] == ["Barack Obama", "Michelle Marks"]


def test_a_participle_carried_by_kept_takes_the_subject_of_kept() -> None:
    text = ("Hillary Clinton and Ron Johnson spoke.\n"
            "When Clinton first testified before Congress on the attacks, Sen. Ron Johnson "
            "(R-Wis.) kept asking her why the department had tied the violence to "
            "\"spontaneous and unplanned\" protests.")
    assert [q.speaker for q in _one(text)] == ["Ron Johnson"]


def test_a_headline_topic_after_on_is_not_the_speaker() -> None:
    text = ("CNN President On Trump: ‘We Do Not Pay Candidates To Appear At Debates.’\n"
            "CNN President Jeff Zucker isn’t kowtowing to Donald Trump.")
    assert {q.speaker for q in _one(text)}.isdisjoint({"Donald Trump", "On Trump", "Trump"})


def test_a_name_after_the_same_pronoun_as_a_speaker_is_not_its_antecedent() -> None:
    text = ("Maria Lopez chairs the county party.\n"
            "The vote is close, she noted, so Hillary Clinton may already have won by then.\n"
            "“We might just stay home,” she said.")
    assert [q.speaker for q in _one(text)] == ["Maria Lopez"]


def test_the_owner_of_a_speech_noun_leading_into_the_quote_said_it() -> None:
    text = ("Hillary Clinton and Donald Trump spoke.\n"
            "His standing rose after the attack and his call for \"a total and complete "
            "ban\" on visitors.\n"
            "Hillary Clinton testified. The questions were about her claim that she \"never "
            "sent classified information\" on the server.")
    assert [q.speaker for q in _one(text)] == ["Donald Trump", "Hillary Clinton"]

def test_a_speech_noun_whose_quote_is_its_predicate_names_no_owner() -> None:
    text = ("Ruth Ginsburg and Donald Trump spoke.\n"
            "Trump said Ginsburg's comments \"show a clear bias against him.\"")
    assert [q.speaker for q in _one(text)] == ["Donald Trump"]


def test_a_curly_quote_nested_in_a_straight_one_is_part_of_it() -> None:
    text = ("Kelli Ward called for the impeachment of the attorney general.\n"
            "Dr. Ward stated:\n"
            "\"The department isn’t about “Equal Justice Under Law” anymore. It’s about a "
            "vision of the country.\n"
            "\"The solution is not politics, but personal property. Let owners decide.\"\n"
            "\"“You don’t win the nomination by how many states you win,” Rubio responded.")
    quotes = _one(text)
    assert [q.speaker for q in quotes] == ["Kelli Ward", "Rubio"]
    assert quotes[0].text.startswith("The department isn’t about “Equal Justice Under Law”")
    assert quotes[0].text.endswith("Let owners decide.")


def test_the_name_of_an_absolute_with_clause_says_its_participle() -> None:
    # "Trump" is only a place here ("a Trump rally in Birmingham"); the nearest name before
    # the participle is "Black Lives Matter".
    text = ("Black Lives Matter marched in Birmingham.\n"
            "At a Trump rally in Birmingham, Alabama, on Saturday, his supporters kicked a Black "
            "Lives Matter protester, with Trump reportedly yelling: “Get him out of here!”\n"
            "The plan drew fire, with Sen. John McCain calling it a “disaster of historic "
            "proportions.”")
    assert [q.speaker for q in _one(text)] == ["Trump", "John McCain"]


def test_an_attribution_after_a_question_runs_on_to_a_quote_with_its_own_cue() -> None:
    text = ("Kate McKinnon played Hillary Clinton on Saturday.\n"
            "“Who can remember how many states I’ve lost in a row? Is it two? Three?” Clinton "
            "asks as a maintenance guy walks in front of her, saying he’s “here to fix the "
            "seven holes in your wall.”")
    assert _one(text)[0].speaker == "Hillary Clinton"


def test_a_pronoun_attributing_the_clause_before_it_is_no_name_in_that_clause() -> None:
    text = ("Joseph Hunter, a conservative blogger in Chicago, said he will not vote for Donald "
            "Trump. Also, Trump isn't a conservative, he said. “He's a liberal!”")
    assert [q.speaker for q in _one(text)] == ["Joseph Hunter"]


def test_a_number_word_opening_a_sentence_is_no_speaker() -> None:
    text = ("The Daily Caller unearthed a 1995 story from the Times.\n"
            "Twenty-two years ago, a Times article hailed Trump as “The Comeback Kid” for the "
            "business success he brought to the city.")
    assert {q.speaker for q in _one(text)}.isdisjoint({"Twenty-two", "Twenty"})


def test_state_abbreviations_and_party_adjectives_are_no_speakers() -> None:
    text = ("The museum opened on Saturday.\n"
            "“These are the stories nobody knows,” said Donna Sampson Rawlings, 59, of Ashton, "
            "Md., who watched the ceremony on a screen on the Mall.\n"
            "\"It just became a lot of people competing for that space,\" said Republican "
            "political consultant Chris Russell.\n"
            "PolitiFact rated 32% of Republican claims as “false” or “pants on fire,” compared "
            "to 11% of Democratic claims.")
    speakers = [q.speaker for q in _one(text)]
    assert speakers[:2] == ["Donna Sampson Rawlings", "Chris Russell"]
    assert set(speakers[2:]) == {"PolitiFact"}


def test_a_quote_nested_in_the_same_curly_style_is_part_of_it() -> None:
    text = ("The mayor spoke on Monday.\n"
            "“Her claim that the budget “has nothing to do with the schools” shows she has not "
            "read it,” wrote Maria Lopez, president of the Parents League.")
    quotes = _one(text)
    assert [q.speaker for q in quotes] == ["Maria Lopez"]
    assert quotes[0].text.endswith("shows she has not read it")


def test_a_straight_mark_between_a_comma_and_a_name_closes_the_open_quote() -> None:
    text = ("The ad ran in Iowa.\n"
            "\"Voters deserve to know where he stands,\"Katie Moore, who chairs the group, said "
            "in a statement. \"He says different things to different audiences.\"")
    quotes = _one(text)
    assert [q.speaker for q in quotes] == ["Katie Moore", "Katie Moore"]
    assert quotes[0].text == "Voters deserve to know where he stands"


def test_a_name_set_off_by_dashes_or_after_a_description_speaks() -> None:
    text = ("The strategy drew criticism.\n"
            "A former presidential candidate -- John Miller, who lost the 2008 race -- said "
            "the plan \"offered no changes to a failed strategy.\"\n"
            "The editor I was talking to, Tim Grant, interrupted me to announce, “And there "
            "goes the franchise.”\n"
            "One early supporter, Representative Lee Stone, Republican of Ohio, tried the line "
            "on CNN: “You can easily argue that the plan is a failure.”\n"
            "The timing was so odd that a spokesman for Anna Berg could only quip: \"I guess "
            "the holiday was booked.\"")
    assert [q.speaker for q in _one(text)] == ["John Miller", "Tim Grant", "Lee Stone",
                                               "Anna Berg"]


def test_a_sentence_carrying_the_same_pronoun_passes_the_referent_on() -> None:
    text = ("Hillary Clinton said she would win California.\n"
            "Naureen Khan, a supporter from Hemet, is among those who say they will not back "
            "Clinton. The campaign was the first time she had been involved, and she does not "
            "think Clinton can address the issues.\n"
            "“It is a false choice,” she said.")
    assert [q.speaker for q in _one(text)][-1] == "Naureen Khan"


def test_a_long_opening_clause_or_an_adverb_before_the_subject_is_skipped() -> None:
    text = ("Jeb Bush flew to Miami. Donald Trump flew to Ohio.\n"
            "When told Perez was in the Cabinet and in the running for an even bigger job in a "
            "future White House, Bush thought for a moment and said that, \"I think it is an "
            "advantage not to be a celebrity.\"\n"
            "Immediately after the attacks, Trump issued a statement, “Last night, our nation "
            "was attacked.”\n"
            "As the columnist Louella Parsons had written years earlier, “We just could not "
            "have an industry without him.”")
    assert [q.speaker for q in _one(text)] == ["Jeb Bush", "Donald Trump", "Louella Parsons"]


def test_a_verb_coordinated_with_a_quote_cue_shares_its_subject() -> None:
    text = ("Donald Trump met the Mexican president. The Pacific Trade Agreement took effect "
            "in 1994.\nAnd the Pacific Trade Agreement, which Trump had called a \"disaster\" "
            "and promised to \"rip up\"? This time he spoke of improving it.")
    assert [q.speaker for q in _one(text)] == ["Donald Trump", "Donald Trump"]


def test_an_invisible_format_character_before_a_mark_is_no_text() -> None:
    text = ("Sarah Palin posted on Facebook.\n"
            "\u202a”Sorry Sarah, I know you can handle a gun very well!!” posted Sharon Geyer.")
    assert [q.speaker for q in _one(text)] == ["Sharon Geyer"]
