"""People, places and organisations of one story, by rules (no pretrained model is available).

The cascade, in order:

1. :func:`_sentence_tokens` — each sentence of each article body becomes tokens with the
   punctuation that breaks a name (comma, full stop, quote mark, possessive ``'s``) recorded.
2. :func:`_capitalised_runs` — maximal runs of capitalised tokens, with ``of``/``de``/``von``…
   allowed inside a run; time words ("Friday", "June") split runs; sentence-initial function
   words ("The", "On", "While", "After") are stripped, and so is a sentence-initial word the
   article also writes in lower case ("See Sexton’s timeline" → "Sexton").
3. :func:`_split_title` — a leading title ("U.S. Secretary of State", "Russian Deputy Foreign
   Minister") is cut off; what follows it is a person.
4. :func:`_evidence` — each mention votes for a kind: a title or a lower-case role before it
   ("press secretary", "spokesman"), a speech verb after it → person; an organisation suffix
   ("Ministry", "Department", "Kremlin") or an acronym → org; a built-in place name, a
   geographic modifier ("Lake Geneva") or a place preposition ("in Geneva") → place.
5. :func:`_keep_mention` — sentence-initial single words are kept only when the story also
   uses them mid-sentence, they are known places/orgs/acronyms, a speech verb follows, or they
   are a known surname (this drops "Meanwhile", "Efforts", "Blinking"…).
6. :func:`_merge_groups` — aliases are merged across the story: fixed alias groups ("U.S." /
   "US" / "United States"), full names whose surnames and first names match fuzzily ("Sergey" /
   "Sergei Lavrov"), a surname alone into its full name ("Blinken", "Zelensky" → "Volodymyr
   Zelenskiy"), an acronym into its expansion ("NATO" / "North Atlantic Treaty Organization").
7. :func:`_to_entity` — name = most complete form for people (then most frequent), most frequent
   form otherwise (so "NATO" names the alliance); ``article_ids`` = articles mentioning any alias;
   ``confidence`` = :func:`kind_confidence` of the kind votes of all its mentions.

:func:`build_name_index` turns the result into a :class:`NameIndex` that the quote ledger uses to
resolve "Blinken", "Sergei Lavrov" or "the US Secretary of State" to one canonical speaker.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storyline.model import Entity, EntityKind, StoryContext
from storyline.text import STOPWORDS, fold, paragraphs, split_sentences, wordset

__all__ = ["SPEECH_VERBS", "NameIndex", "build_name_index", "collect_mentions", "extract_entities",
           "is_first_name", "is_outlet", "is_party_noun", "is_pronoun", "is_role_word",
           "is_title_word", "kind_confidence"]

# --- thresholds --------------------------------------------------------------------------------
# Calibrated on the Geneva seeds and spot-checked on PolNeAR train names: "Zelenskiy"/"Zelensky"
# scores 94, "Biden"/"Bidens" 91, while distinct surnames of one story ("Lavrov"/"Ryabkov") stay
# under 50. Re-run tests/test_entities.py after any change.
SURNAME_MATCH = 88.0
# "Sergey"/"Sergei" scores 83; "Joe"/"Hunter" 22. Only used when the surnames already match.
FIRST_NAME_MATCH = 75.0
# Longest run kept as one name; longer capitalised runs are headlines or titles of works.
MAX_NAME_TOKENS = 6
# A role core this far into a run still heads the name after it ("Vermont Sen. X").
TITLE_LOOKBACK = 3
# Acronyms are 2..6 capital letters ("AP", "NATO", "OSCE").
ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{2,6}")

# Evidence weights: a title or a built-in list beats one context word.
W_ROLE = 3.0
W_LIST = 4.0
W_SUFFIX = 3.0
W_ACRONYM = 2.0
W_SPEECH = 1.0
W_CONTEXT = 1.0
W_DEFAULT_PERSON = 0.5
W_DEFAULT_OTHER = 0.1
# Confidence = the share of the chosen kind among all kind votes of the entity's mentions
# (do they agree?) times 1 - exp(-votes of that kind / CONFIDENCE_SCALE) (is there much
# evidence?). With the scale at one title's weight, a single titled mention gives 0.63, a
# single bare name-shaped pair ("Labor Day", W_DEFAULT_PERSON) 0.15, and three titled
# mentions 0.95. Set from the weights above, not fitted; how well it ranks right entities
# above wrong ones is measured by bench/entity_confidence.py on a hand-labelled sample.
CONFIDENCE_SCALE = W_ROLE



# --- word lists (the only place they live) -----------------------------------------------------
_PLACES = wordset("""
Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Belarus Belgium
Bosnia Brazil Britain Bulgaria Canada Chile China Colombia Croatia Cuba Cyprus Czechia Denmark
Egypt England Estonia Ethiopia Finland France Georgia Germany Greece Hungary Iceland India
Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Kosovo Latvia Lebanon
Libya Lithuania Luxembourg Mexico Moldova Mongolia Morocco Netherlands Nigeria Norway Pakistan
Palestine Poland Portugal Qatar Romania Russia Scotland Serbia Slovakia Slovenia Somalia Spain
Sudan Sweden Switzerland Syria Taiwan Turkey Ukraine Venezuela Vietnam Wales Yemen America
Europe Asia Africa Australia Antarctica Arctic Balkans Caucasus Crimea Donbas Donbass Gaza
Kashmir Siberia Texas California Florida Ohio Iowa Virginia Geneva Berlin Paris London Moscow
Kyiv Kiev Washington Beijing Tokyo Brussels Vienna Rome Madrid Warsaw Minsk Kharkiv Odessa
Odesa Donetsk Luhansk Sevastopol Istanbul Ankara Tehran Baghdad Jerusalem Cairo Delhi Mumbai
Seoul Pyongyang Davos Munich Hamburg Frankfurt Zurich Stockholm Oslo Helsinki Copenhagen Prague
Budapest Bucharest Sofia Athens Lisbon Dublin Chicago Boston Atlanta Houston Dallas Miami
Seattle Denver Phoenix Philadelphia Baltimore Detroit
Alabama Alaska Arizona Arkansas Colorado Connecticut Delaware Hawaii Idaho Illinois Indiana
Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri
Montana Nebraska Nevada Oklahoma Oregon Pennsylvania Tennessee Utah Vermont Wisconsin Wyoming
""") | frozenset(fold(p) for p in (
    "United States", "United Kingdom", "New York", "Los Angeles", "San Francisco", "Middle East",
    "South Korea", "North Korea", "Saudi Arabia", "New Zealand", "South Africa", "Hong Kong",
    "Latin America", "Soviet Union", "Black Sea", "Baltic Sea", "Capitol Hill",
    "New Hampshire", "South Carolina", "North Carolina", "New Jersey", "New Mexico",
    "Rhode Island", "North Dakota", "South Dakota", "West Virginia",
))
# Fixed alias groups: every folded spelling → the display name of the group.
_ALIAS_GROUPS: Mapping[str, str] = {
    **dict.fromkeys(("us", "usa", "united states", "united states of america", "america"),
                    "United States"),
    **dict.fromkeys(("uk", "united kingdom", "britain", "great britain"), "Britain"),
    **dict.fromkeys(("eu", "european union"), "European Union"),
    **dict.fromkeys(("un", "united nations"), "United Nations"),
    **dict.fromkeys(("kyiv", "kiev"), "Kyiv"),
    **dict.fromkeys(("donbas", "donbass"), "Donbas"),
    **dict.fromkeys(("odesa", "odessa"), "Odesa"),
}
_GROUP_KIND: Mapping[str, EntityKind] = {"European Union": "org", "United Nations": "org"}
# Adjectives of nationality are not entities on their own ("Russian", "Western").
_DEMONYMS = wordset("""
american russian ukrainian british german french chinese european western eastern soviet
american israeli palestinian iranian iraqi syrian turkish polish italian spanish japanese
korean indian canadian mexican belarusian georgian swiss dutch swedish finnish norwegian danish
austrian hungarian czech greek romanian serbian african asian arab latin nordic baltic
""")
# Party affiliations written before a name ("Republican Donald Trump").
_AFFILIATIONS = wordset("""
republican democrat democratic independent libertarian conservative liberal progressive gop
labour tory
""")
# Words that turn a place into a longer place name ("Lake Geneva", "Eastern Europe").
_GEO_MODIFIERS = wordset("""
lake mount river gulf bay sea north south east west northern southern eastern western central
upper lower greater new port cape
""")
# Lower-case nouns after a name that make it a place ("the Donbas region").
_GEO_NOUNS = wordset("""
region province city town village river border state oblast county district capital peninsula
""")
_PLACE_PREPOSITIONS = frozenset(["in", "near", "outside", "across", "inside", "throughout"])
# Last words of organisation names.
_ORG_SUFFIXES = wordset("""
ministry department treasury union organization organisation kremlin agency council commission
committee party bank fund alliance association institute university college school court
parliament congress senate assembly army navy force forces police service office house company
corporation corp inc ltd group press times post journal network foundation command pentagon
duma rada bundestag secretariat administration authority board church
""")
# Known outlets: never speakers (also used by the quote ledger).
_OUTLETS = frozenset(fold(o) for o in (
    "AP", "Associated Press", "Reuters", "Bloomberg", "Interfax", "TASS", "AFP", "RIA Novosti",
    "RIA", "CNN", "BBC", "Fox News", "NBC", "CBS", "ABC", "NPR", "Politico", "Axios",
    "New York Times", "Washington Post", "Wall Street Journal", "Guardian", "Financial Times",
    "Breitbart", "Xinhua", "Al Jazeera", "Sputnik", "RT", "Twitter", "Facebook",
))
# Title words that head a person ("Foreign Minister Sergey Lavrov"); lower case is also a role.
_ROLE_CORES = wordset("""
president secretary minister chancellor spokesperson spokesman spokeswoman senator sen rep
donor megadonor billionaire mogul tycoon magnate pastor ag
representative governor gov mayor general gen director chairman chairwoman chair ambassador
envoy king queen prince princess pope premier leader judge justice commander adviser advisor
speaker mr mrs ms dr prof sir lady counterpart chief official lawmaker diplomat candidate
nominee aide deputy lt col capt sgt whip delegate strategist consultant pollster analyst editor
columnist professor economist lawyer founder ceo host anchor correspondent reporter manager
organizer activist commissioner councilman councilwoman congressman congresswoman assemblyman
treasurer sheriff reverend rev rabbi superintendent historian researcher
""")
# Words that may sit inside a title before the role core.
_TITLE_WORDS = wordset("""
of the vice deputy foreign prime defense defence interior finance press chief senior former
acting attorney state affairs security executive lieutenant first assistant national top white
house homeland economic trade health education energy justice
""")
_FEMALE_MARKERS = wordset("""
spokeswoman chairwoman congresswoman mrs ms madam queen princess lady businesswoman
""")
_MALE_MARKERS = wordset("""
spokesman chairman congressman mr king prince sir lord
""")
# A small list of common female first names, for "she" → last named woman.
_FEMALE_NAMES = wordset("""
maria mary anna anne ann jen jennifer hillary nancy kamala elizabeth angela annalena ursula liz
elizabeth theresa marine sarah sara susan karen linda patricia barbara margaret jane julia
yulia olga irina natalia natalya tatiana svetlana elena helena victoria emily jessica ashley
michelle kristi nikki ivanka melania condoleezza madeleine samantha christine kate catherine
laura lisa amy rachel hannah sophie claire ilhan alexandria elise marsha tulsi
carly debbie megyn loretta chelsea amanda katie huma kristen ruth monica jill heidi donna
sonia jackie marla jeanne andrea jenna gina erin mika lucy martha michele paula nicole megan
joni heather melissa maggie kellyanne hope katy betsy cheryl diane dianne judy janet sheila
""")
_MALE_NAMES = wordset("""
joe joseph donald barack george bill john james robert michael david richard thomas antony
anthony sergey sergei vladimir dmitry dmitri volodymyr boris emmanuel olaf mike jeb ben ted
marco bernie rand chris paul jim tom tim steve peter mark jeff kevin lindsey mitch chuck
mitt rick ronald scott dan brian eric matt bob jon martin jake charles ken jason corey harry
jack ron william andrew gary josh barry antonin justin daniel jimmy joel adam larry glenn
charlie craig dave rob rudy robby ed alan jonathan patrick steven carlos jared benjamin henry
andy rupert stephen jerry sam nick jay howard bruce marty bobby newt frank roger todd zach
merrick roy billy phil colin walter marc sean dean nate alex carl igor recep matthew pete
hugh fidel gordon greg brad karl tony abraham don reince harry ben jeb ted rand lincoln
""")
# Words that are capitalised but never entities.
_TIME_WORDS = wordset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december today yesterday tomorrow
""")
# Words that are first names as well as ordinary words: never stripped from the start of a
# sentence's name ("Rush Limbaugh", "Will Hurd", "Grant Woods"), on top of the name lists.
_WORD_FIRST_NAMES = wordset("""
will rich grant rush faith joy hope may june april august hunter chuck bill mark rand rose
sue pat guy drew ray wade cliff dale gene penny holly iris major summer dawn norm ward win
""")
_FIRST_NAMES = _FEMALE_NAMES | _MALE_NAMES | _WORD_FIRST_NAMES
_GENDERED_FIRST_NAMES = _FEMALE_NAMES | _MALE_NAMES
# A capitalised word after a lower-case word or a comma: a name word, not a sentence opener.
_MIDSENTENCE_CAP = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
# Words that open place and organisation names ("New Jersey", "North Carolina", "United
# Nations"): kept even where the article never shows them inside a sentence.
_PLACE_STARTS = frozenset(w.capitalize() for w in wordset("""
new north south east west northern southern eastern western san santa los las saint fort mount
port lake great united central national federal supreme royal grand old first
"""))
# A lower-case word of the text (the article vocabulary that makes "See" an ordinary word).
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]{2,}(?![\w’'-])")
_NAME_CONNECTORS = wordset("""
of for de da del der van von bin al la le
""")
# Sentence adverbs and connectives that are capitalised only because they open a sentence
# ("Meanwhile Rihanna, who…", "Still, Trump said…"); never the first word of a name.
_LEAD_WORDS = wordset("""
meanwhile however still later instead also yet now then indeed earlier moreover furthermore
separately previously afterward afterwards recently finally additionally overall ultimately
notably nevertheless nonetheless similarly likewise unlike like even perhaps maybe clearly
sadly unfortunately fortunately interestingly thus hence therefore otherwise despite although
though because since unless whether asked speaking says said according last next tonight
within inside outside among amid amidst across toward towards behind beyond throughout upon via
see watch read meet
""")
# A courtesy title and the gender it tells ("Mr." / "Mrs.", "Ms.", "Miss").
_COURTESY = re.compile(r"(Mr|Mrs|Ms|Miss)\.?\s+(?=[A-Z])")
_COURTESY_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss)\.?\s+$")
_PRONOUNS = wordset("""
he she they it we i you his her their its him them
""")
# The last line holds cues of reaction seen introducing quotes in PolNeAR train ("…!” beamed
# Donald Hartley", "…?” reacted Trump", "Hollande condemned the “attack…”").
SPEECH_VERBS = wordset("""
say says said saying tell tells told telling add adds added adding warn warns warned warning
state states stated note notes noted noting ask asks asked reply replies replied respond
responds responded declare declares declared insist insists insisted argue argues argued claim
claims claimed claiming allege alleges alleged vow vows vowed write writes wrote writing tweet
tweets tweeted tweeting post posted explain explains explained announce announces announced
caution cautions cautioned stress stresses stressed acknowledge acknowledged admit admits
admitted promise promises promised urge urges urged predict predicted describe described
describes recall recalled recalls concede conceded continue continued underscore underscored
underscores emphasize emphasized emphasised complain complained suggest suggested suggests call
called calls assure assured assures mock mocked quip quipped charge charged counter countered
repeat repeated reiterate reiterated testify testified
remark remarked remarks comment commented comments observe observed conclude concluded joke
joked jokes joking shout shouted shouting bark barked grouse groused yell yelled boast boasted
brag bragged lament lamented scoff scoffed snap snapped proclaim proclaimed thunder thundered
answer answered answers demand demanded demands question questioned muse mused tweet
telling writing warning arguing calling insisting declaring explaining asking adding noting
stating recalling admitting acknowledging announcing responding replying explain pointed
told says write wrote quipping mocking predicting promising vowing urging complaining
report reports reported reporting refer refers referred referring accuse accuses accused
accusing pledge pledges pledged pledging blast blasts blasted blasting criticize criticizes
criticized criticizing criticise criticised praise praises praised praising denounce denounces
denounced denouncing talked agreed echo echoes echoed echoing thank thanks thanked thanking
chant chants chanted chanting decry decries decried decrying dub dubs dubbed dubbing cite cites
cited citing remarking describing emailed repeating pressed bemoan bemoans bemoaned bemoaning
conceding slam slams slammed slamming blame blames blamed blaming assert asserts asserted
asserting boomed interjected deride derides derided deriding dismissed quoted retort retorted
opine opined opines implored pleaded exclaimed gushed whispered screamed hailed touted
lambasted ripped mused quipped recounted recounting explaining texted messaged
continues elaborated elaborates fumed concludes retweeted exhorted agrees proclaims
acknowledges wondered wonders posited marveled marvelled chided scolded grumbled sneered
teased huffed reasoned confirmed confirms denied contended contends maintained surmised
speculated fretted clarified propose proposes proposed remembered retorted indicated
worried yelling screaming cracked reads
beamed reacted condemned condemns condemning retaliated
""")

# Participles and adjectives that open a headline or a sentence before a name ("Understated
# Perez", "Embattled Christie", "Defiant Trump", "Smiling Obama"): long words ending so.
_DESCRIPTIVE_OPENER = re.compile(r"^[A-Z][a-z]{4,}(?:ated|ered|tled|ured|ized|ised|ing|ant|ent"
                                 r"|ous|ive|ful|less)$")
# Prepositions a title-case headline capitalises; they open no name.
_HEADLINE_PREPOSITIONS = wordset("on in at for with to from about of by over against after")
# Determiners outside the stop-word list that may open a sentence before a name.
_RUN_OPENERS = wordset("neither either another every")
# Word shapes that are not personal names: gerunds, abstract nouns, roman numerals, digits.
_NOT_NAME = re.compile(r"(?:ing|tion|sion|ment|ness|ity|ism|ance|ence)$|^[ivx]+$|\d")
_TOKEN = re.compile(r"\S+")
_KINDS: tuple[EntityKind, ...] = ("person", "place", "org")
_LEAD_PUNCT = "\"'“”‘’«»„([{—–-"
_TRAIL_PUNCT = "\"'“”‘’«»)]},;:!?—–-"
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    initial: bool  # first word of a sentence, or right after an opening quote/colon
    break_after: bool  # punctuation after it ends a name


@dataclass(frozen=True, slots=True)
class _Mention:
    form: str
    article_id: str
    votes: Mapping[EntityKind, float]
    initial: bool
    speech_next: bool
    role: str = ""


@dataclass(slots=True)
class _Group:
    forms: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    votes: Counter[str] = field(default_factory=Counter)
    noninitial: bool = False


def is_outlet(name: str) -> bool:
    """Whether a name is a news outlet or platform (never a speaker)."""
    key = fold(name).removeprefix("the ")
    return key in _OUTLETS


def is_pronoun(word: str) -> bool:
    """He, she, they… (never a speaker name by themselves)."""
    return fold(word).split("'")[0] in _PRONOUNS


def is_title_word(word: str) -> bool:
    """A word that may belong to a title before a name ("Deputy", "Foreign", "spokesman")."""
    return _is_title_word(word)


def is_first_name(word: str) -> bool:
    """A common first name ("David", "Peter"): what follows it is a surname even when it is
    also a title or a demonym ("David French", "Peter T. King")."""
    return fold(word) in _GENDERED_FIRST_NAMES


def is_place(words: Sequence[str]) -> bool:
    """Words that name a place the word lists know ("Columbus Ohio", "New Hampshire")."""
    return _place_like(words)


def is_role_word(word: str) -> bool:
    """A word that heads a title ("Secretary", "Sen.", "spokesman"): a name follows it."""
    return fold(word).rstrip(".") in _ROLE_CORES


_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?")
_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|m|t)$", re.IGNORECASE)
# Function words that never open a name ("The", "Of").
# ("new" is a stop word for similarity, but it opens "New York" and "New Hampshire".)
_NOT_NAME_START = (STOPWORDS - {"new"}) | _NAME_CONNECTORS


def _is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word)


def _strip_token(raw: str) -> tuple[str, bool, bool]:
    """A whitespace chunk → (word, opened_by_quote_or_bracket, name_breaks_after)."""
    lead = raw[: len(raw) - len(raw.lstrip(_LEAD_PUNCT))]
    word = raw.lstrip(_LEAD_PUNCT)
    core = word.rstrip(_TRAIL_PUNCT)
    breaks = core != word
    if core.endswith(".") and not ACRONYM.fullmatch(core) and not _INITIALS.fullmatch(core):
        # A full stop ends a name unless it belongs to an abbreviation ("U.S.", "Gen.").
        if fold(core.rstrip(".")) not in _ROLE_CORES:
            breaks = True
        core = core.rstrip(".")
    if _POSSESSIVE.search(core) and len(core) > 2:
        core = core[:-2] if core[-2] in "'’" else core[:-1]
        breaks = True
    return core, bool(lead), breaks


def _sentence_tokens(sentence: str) -> list[_Token]:
    out: list[_Token] = []
    prev_break = True
    for match in _TOKEN.finditer(sentence):
        word, opened, breaks = _strip_token(match.group())
        if not word:
            prev_break = True
            continue
        initial = not out or opened or out[-1].text.endswith(":") or (prev_break and (
            match.start() > 0 and sentence[match.start() - 2: match.start()].strip() in {":", "—"}
        ))
        out.append(_Token(word, match.start(), initial, breaks))
        prev_break = breaks
    return out


def _is_name_word(word: str) -> bool:
    if not _is_cap(word) or fold(word) in _TIME_WORDS:
        return False
    # Contractions ("I've", "We're", "Don't") are not names; O'Brien and D'Souza are.
    return not _CONTRACTION.search(word)


def _capitalised_runs(tokens: Sequence[_Token],
                      common: frozenset[str] = frozenset()) -> Iterable[tuple[int, int]]:
    """Index ranges [i, j) of capitalised runs, connectors allowed inside. ``common`` holds the
    words the article writes in lower case: one opening a sentence before a name is an ordinary
    word there ("See Sexton’s full timeline", "Within Sanders’ inner circle"), unless it is a
    title or a first name, or an ordinary word follows it ("Black Lives Matter")."""
    i = 0
    while i < len(tokens):
        if not _is_name_word(tokens[i].text):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and not tokens[j - 1].break_after:
            word = tokens[j].text
            if _is_name_word(word) and not tokens[j].initial:
                j += 1
            elif (fold(word) in _NAME_CONNECTORS and j + 1 < len(tokens)
                  and not tokens[j].break_after and _is_name_word(tokens[j + 1].text)):
                j += 2
            elif (fold(word) == "of" and j + 2 < len(tokens) and tokens[j + 1].text == "the"
                  and _is_name_word(tokens[j + 2].text)):
                j += 3
            else:
                break
        # Leading function words ("The", "On", "While", "After") are not part of a name.
        while i < j and ((fold(tokens[i].text) in _NOT_NAME_START
                          # "than No Child Left Behind": a capitalised "No" inside a sentence
                          # opens a title, which is then no person's name.
                          and not (tokens[i].text == "No" and not tokens[i].initial
                                   and j - i > 1)) or (
                tokens[i].initial and fold(tokens[i].text) in _LEAD_WORDS) or (
                tokens[i].initial and j - i > 1 and tokens[i].text in common
                and not any(t.text in common for t in tokens[i + 1:j])
                and fold(tokens[i].text) not in _FIRST_NAMES
                and fold(tokens[i].text).rstrip(".") not in _ROLE_CORES)):
            i += 1
        if i < j:
            yield i, j
        i = max(j, i + 1)


def _place_like(words: Sequence[str]) -> bool:
    keys = [fold(w) for w in words]
    whole = " ".join(keys)
    if whole in _PLACES or whole.replace(".", "") in _ALIAS_GROUPS:
        return True
    return any(k in _PLACES for k in keys) and all(k in _PLACES or k in _GEO_MODIFIERS
                                                   for k in keys)


def _is_title_word(word: str) -> bool:
    key = fold(word).rstrip(".")
    return (key in _ROLE_CORES or key in _TITLE_WORDS or key in _DEMONYMS
            or key.replace(".", "") in _ALIAS_GROUPS or key in _PLACES)


def _split_title(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """(title words, the rest). The title is cut only when it contains a role core."""
    j = 0
    has_role = False
    while j < len(words) - 1 and _is_title_word(words[j]):
        has_role = has_role or fold(words[j]).rstrip(".") in _ROLE_CORES
        j += 1
    if has_role:
        # "Secretary of State Antony Blinken": "State" after "of" still belongs to the title.
        rest = list(words[j:])
        if all(_is_title_word(w) for w in rest):
            return list(words), []
        return list(words[:j]), rest
    if all(_is_title_word(w) for w in words) and any(
        fold(w).rstrip(".") in _ROLE_CORES for w in words
    ):
        return list(words), []
    # "Former Arkansas Gov. Mike Huckabee": an unknown place word before the role core.
    cores = [i for i, w in enumerate(words[:-1]) if fold(w).rstrip(".") in _ROLE_CORES
             and w[:1].isupper()]
    if cores and cores[-1] <= TITLE_LOOKBACK:
        j = cores[-1] + 1
        while j < len(words) - 1 and _is_title_word(words[j]):
            j += 1
        return list(words[:j]), list(words[j:])
    # "Republican Donald Trump", "Democrat Hillary Clinton", "Russian Vladimir Putin": a party
    # or nationality before a personal name is a title too (without it the person became an
    # entity "Trump" of kind "other" in PolNeAR train, and no pronoun could reach it).
    j = 0
    while j < len(words) and (fold(words[j]) in _AFFILIATIONS or _is_demonym(words[j])):
        j += 1
    rest = list(words[j:])
    if j and 2 <= len(rest) <= 3 and all(_name_shaped(w) and not _is_title_word(w)
                                         and fold(w) not in _ORG_SUFFIXES for w in rest):
        return list(words[:j]), rest
    return [], list(words)


def is_party_noun(word: str) -> bool:
    """"Republican", "Democrats", "GOP": a party word, which never ends a personal name."""
    key = fold(word)
    return key in _AFFILIATIONS or (key.endswith("s") and key[:-1] in _AFFILIATIONS)


def _party_member(words: Sequence[str]) -> bool:
    """A place and a party noun describe someone without naming them: "New Hampshire
    Republican", "Iowa Democrats" (in PolNeAR train such runs became persons that absorbed
    each other and the bare word "Republican")."""
    return len(words) > 1 and is_party_noun(words[-1]) and _place_like(words[:-1])


def _is_demonym(word: str) -> bool:
    key = fold(word)
    return key in _DEMONYMS or (key.endswith("s") and key[:-1] in _DEMONYMS)


def _evidence(
    words: Sequence[str], titled: bool, before: str, after: str
) -> dict[EntityKind, float]:
    """Kind votes of one mention from its own words and the words around it."""
    votes: dict[EntityKind, float] = {}

    def vote(kind: EntityKind, weight: float) -> None:
        votes[kind] = votes.get(kind, 0.0) + weight

    key = fold(" ".join(words))
    last = fold(words[-1])
    if titled or fold(before) in _ROLE_CORES:
        vote("person", W_ROLE)
    if key.replace(".", "") in _ALIAS_GROUPS:
        group = _ALIAS_GROUPS[key.replace(".", "")]
        vote(_GROUP_KIND.get(group, "place"), W_LIST)
    elif _place_like(words):
        vote("place", W_LIST)
    if last in _ORG_SUFFIXES or is_outlet(key):
        vote("org", W_SUFFIX)
    if len(words) == 1 and ACRONYM.fullmatch(words[0]) and key not in _PLACES:
        vote("org", W_ACRONYM)
    if fold(after) in SPEECH_VERBS and not votes and not (
            len(words) == 1 and is_party_noun(words[0]) and not key.endswith("s")):
        # (a party adjective is no speaker: "11% of Democratic claims")
        vote("person", W_SPEECH)
    if fold(before) in _PLACE_PREPOSITIONS:
        vote("place", W_CONTEXT)
    if fold(after) in _GEO_NOUNS:
        vote("place", W_CONTEXT * 2)
    if not votes:
        # A middle initial or a suffix keeps a name a name ("Donald J. Trump", "Ed Failor Jr").
        shaped = [w for w in words if not _INITIALS.fullmatch(w) and fold(w).rstrip(".")
                  not in {"jr", "sr"}]
        # After a known first name a surname may end like a gerund or an abstract noun
        # ("Chelsea Manning", "Ian Fleming", "Ben Boreing").
        first = bool(shaped) and fold(shaped[0]) in _FIRST_NAMES
        many = (2 <= len(shaped) <= 3 and len(words) <= 4
                and all(_name_shaped(w) or (first and n and _surname_shaped(w))
                        for n, w in enumerate(shaped)))
        if many:
            vote("person", W_DEFAULT_PERSON)
        elif len(words) > 1:
            vote("other", W_DEFAULT_OTHER)
        # A lone word with no evidence casts no vote: fourteen bare "Sanders" must not
        # outvote two "Bernie Sanders" (a group without votes is "other").
    return votes


# Prefixes that open a hyphenated word without naming anyone ("Anti-Trump", "Ex-Speaker").
_PREFIXES = wordset("anti pro ex co non post pre neo mid super vice")


def _name_shaped(word: str) -> bool:
    """Could this word be part of a personal name? (used only when nothing else tells)."""
    key = fold(word)
    # An apostrophe or a hyphen inside keeps a surname a name ("O'Hanlon", "Ocasio-Cortez";
    # "Michael O'Hanlon" was kind "other" in PolNeAR train, so no pronoun could reach him).
    # Every piece is capitalised, and a prefix is no name piece ("Oscar-winner Sarandon",
    # "Co-anchor Norah O’Donnell", "Anti-Trump Republicans" stay unnamed).
    pieces = re.split(r"['’-]", word)
    return (all(p[:1].isupper() and p.isalpha() for p in pieces)
            and fold(pieces[0]) not in _PREFIXES and not _NOT_NAME.search(key)
            and key not in _PLACES and key not in STOPWORDS)


def _surname_shaped(word: str) -> bool:
    """A capitalised word of letters (an apostrophe or a hyphen inside allowed) that is no
    stop word or place: a surname after a known first name, whatever its ending."""
    pieces = re.split(r"['’-]", word)
    key = fold(word)
    return (all(p[:1].isupper() and p.isalpha() for p in pieces)
            and key not in _PLACES and key not in STOPWORDS)


def _display(form: str) -> str:
    """All-caps datelines ("GENEVA") read as names; acronyms stay as they are."""
    if (form.isupper() and len(form) > 6) or (form.isupper() and fold(form) in _PLACES):
        return form.title()
    return form


def _article_mentions(article_id: str, text: str) -> list[_Mention]:
    out: list[_Mention] = []
    # Ordinary words: written in lower case somewhere, never capitalised inside a sentence
    # ("New" of "in New Jersey" stays a name word).
    common = frozenset(w.capitalize() for w in _LOWER_WORD.findall(text)) - frozenset(
        _MIDSENTENCE_CAP.findall(text)) - _PLACE_STARTS
    for para in paragraphs(text):
        for sentence in split_sentences(para):
            tokens = _sentence_tokens(sentence)
            for i, j in _capitalised_runs(tokens, common):
                words = [t.text for t in tokens[i:j]]
                if len(words) > MAX_NAME_TOKENS:
                    continue
                if i == 0 and len(words) > 1 and (fold(words[0]) in _RUN_OPENERS or (
                        _DESCRIPTIVE_OPENER.match(words[0])
                        and fold(words[0]) not in _FIRST_NAMES)):
                    # "Understated Perez raises political profile", "Neither Donald J. Trump
                    # nor his opponents…": a sentence-opening participle, adjective or
                    # determiner is not part of the name after it.
                    i += 1
                    words = words[1:]
                title, rest = _split_title(words)
                while len(rest) > 1 and fold(rest[0]) in _HEADLINE_PREPOSITIONS:
                    rest = rest[1:]  # a title-case headline: "CNN President On Trump: ‘…’"
                if ("of" in rest[2:-1] and _place_like(rest[rest.index("of") + 1:])
                        and (title or fold(rest[0]) in _FEMALE_NAMES | _MALE_NAMES)):
                    # "Senator Marco Rubio of Florida": the person, then the place.
                    cut = rest.index("of")
                    place = rest[cut + 1:]
                    out.append(_Mention(_display(" ".join(place)), article_id,
                                        _evidence(place, False, "of", ""), False, False))
                    rest = rest[:cut]
                for word in title:
                    if _place_like([word]) or word.replace(".", "") in {"US", "UK", "EU"}:
                        out.append(_Mention(_display(word), article_id,
                                            _evidence([word], False, "", ""), False, False))
                if not rest or all(_is_demonym(w) for w in rest) or _party_member(rest):
                    continue
                before = tokens[i - 1].text if i > 0 and not tokens[i - 1].break_after else ""
                after = tokens[j].text if j < len(tokens) and not tokens[j - 1].break_after else ""
                votes = _evidence(rest, bool(title), before, after)
                role = " ".join(title) if title else (before if fold(before) in _ROLE_CORES else "")
                initial = tokens[i].initial and not title
                out.append(_Mention(_display(" ".join(rest)), article_id, votes, initial,
                                    fold(after) in SPEECH_VERBS, role))
    return out


def _key(form: str) -> str:
    key = fold(form).removeprefix("the ")
    bare = key.replace(".", "")
    return _ALIAS_GROUPS.get(bare, key).lower() if bare in _ALIAS_GROUPS else key


def _keep_mention(mention: _Mention, seen_midsentence: set[str], surnames: set[str]) -> bool:
    """Sentence-initial single words survive only with independent support (cascade step 5)."""
    key = _key(mention.form)
    if " " in mention.form or not mention.initial:
        return True
    if key in seen_midsentence or key in _PLACES:
        return True
    if mention.speech_next and not re.search(r"[^s]s$", key):
        return True  # "Peskov said" (but "Officials said", "Analysts say" are common nouns)
    if key.replace(".", "") in _ALIAS_GROUPS or ACRONYM.fullmatch(mention.form):
        return True
    return any(fuzz.ratio(key, s) >= SURNAME_MATCH for s in surnames)


def _group_kind(group: _Group) -> EntityKind:
    if not group.votes:
        return "other"
    best = max(sorted(group.votes), key=lambda k: group.votes[k])
    for kind in _KINDS:
        if best == kind:
            return kind
    return "other"


class _UnionFind:
    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in _NAME_CONNECTORS and w != "the")


def _merge_groups(groups: Mapping[str, _Group]) -> list[list[str]]:
    """Cascade step 6: which keys name the same entity."""
    uf = _UnionFind(groups)
    kinds = {k: _group_kind(g) for k, g in groups.items()}
    people = [k for k in groups if kinds[k] == "person" and " " in k]
    first = {k: n for n, k in enumerate(groups)}
    for n, a in enumerate(people):
        for b in people[n + 1:]:
            wa, wb = a.split(), b.split()
            if (fuzz.ratio(wa[-1], wb[-1]) >= SURNAME_MATCH
                    and fuzz.ratio(wa[0], wb[0]) >= FIRST_NAME_MATCH):
                uf.union(a, b)
    for key in groups:
        if " " in key or key in _PLACES or (ACRONYM.fullmatch(key.upper()) and kinds[key] == "org"):
            continue
        # Most mentions first, then the first introduced ("Donald J. Trump" before a later
        # "Ivana Trump" takes the bare "Trump"): groups are in order of first mention.
        scored = [(fuzz.ratio(key, p.split()[-1]), sum(groups[p].forms.values()), -first[p], p)
                  for p in people]
        scored = [s for s in scored if s[0] >= SURNAME_MATCH]
        if scored:
            uf.union(key, max(scored)[3])
    for key, group in groups.items():
        acronyms = {f for f in group.forms if ACRONYM.fullmatch(f)}
        for other in groups:
            if other != key and " " in other and any(
                _initials(other) == a.replace(".", "").lower() for a in acronyms
            ):
                uf.union(key, other)
    merged: dict[str, list[str]] = {}
    for key in groups:
        merged.setdefault(uf.find(key), []).append(key)
    return list(merged.values())


def _to_entity(keys: Sequence[str], groups: Mapping[str, _Group], order: Sequence[str]) -> Entity:
    """Cascade step 7: one entity from merged keys."""
    forms: Counter[str] = Counter()
    votes: Counter[str] = Counter()
    articles: set[str] = set()
    for key in keys:
        forms.update(groups[key].forms)
        votes.update(groups[key].votes)
        articles |= groups[key].articles
    kind = _group_kind(_Group(forms, articles, votes))
    fixed = {_ALIAS_GROUPS[_key(f).replace(".", "")] for f in forms
             if _key(f).replace(".", "") in _ALIAS_GROUPS}
    if len(fixed) == 1:
        name = fixed.pop()
    elif kind == "person":
        # Longest, then most used, then first written: forms count in mention order, so a
        # one-off "the Barry Bennetts of the world" in a quote does not beat "Barry Bennett".
        first_seen = {f: n for n, f in enumerate(forms)}
        name = max(forms, key=lambda f: (len(f.split()), forms[f], -first_seen[f]))
    else:
        name = max(forms, key=lambda f: (forms[f], len(f), f))
    seen = {fold(name)}
    aliases: list[str] = []
    for form, _ in forms.most_common():
        if fold(form) not in seen:
            seen.add(fold(form))
            aliases.append(form)
    ids = tuple(a for a in order if a in articles)
    return Entity(name=name, kind=kind, aliases=tuple(aliases), article_ids=ids,
                  confidence=kind_confidence(votes, kind))


def kind_confidence(votes: Mapping[str, float], kind: str) -> float:
    """How sure the entity is of its kind, in [0, 1]: evidence share × evidence amount (see
    :data:`CONFIDENCE_SCALE`); 0 without any vote for ``kind``."""
    total = sum(votes.values())
    support = votes.get(kind, 0.0)
    if total <= 0 or support <= 0:
        return 0.0
    return (support / total) * (1.0 - math.exp(-support / CONFIDENCE_SCALE))


def _collect(ctx: StoryContext) -> list[_Mention]:
    mentions: list[_Mention] = []
    for article in ctx.articles:
        mentions.extend(_article_mentions(article.id, article.text))
    return mentions


def _entities_from_mentions(ctx: StoryContext, mentions: Sequence[_Mention]) -> tuple[Entity, ...]:
    midsentence = {_key(m.form) for m in mentions if not m.initial}
    surnames = {_key(m.form).split()[-1] for m in mentions
                if " " in m.form and m.votes.get("person", 0.0) >= W_ROLE}
    groups: dict[str, _Group] = {}
    for mention in mentions:
        if not _keep_mention(mention, midsentence, surnames):
            continue
        group = groups.setdefault(_key(mention.form), _Group())
        group.forms[mention.form] += 1
        group.articles.add(mention.article_id)
        group.votes.update(mention.votes)
    order = [a.id for a in ctx.articles]
    merged = _merge_groups(groups)
    entities = [_to_entity(keys, groups, order) for keys in merged]
    count = {e.name: sum(groups[k].forms.total() for k in keys)
             for e, keys in zip(entities, merged, strict=True)}
    entities.sort(key=lambda e: (-len(e.article_ids), -count[e.name], e.name))
    return tuple(entities)


def collect_mentions(ctx: StoryContext) -> Sequence[_Mention]:
    """Every capitalised-run mention of the story's articles, with its kind evidence: the
    expensive step both :func:`extract_entities` and :func:`build_name_index` start from
    (compute it once per story and pass it to both)."""
    return _collect(ctx)


def extract_entities(ctx: StoryContext,
                     mentions: Sequence[_Mention] | None = None) -> tuple[Entity, ...]:
    """People, places and organisations of a story, aliases merged.

    Ordered by number of articles mentioning the entity, then by number of mentions.
    ``mentions`` is :func:`collect_mentions` of the same story when already computed.
    """
    return _entities_from_mentions(ctx, mentions if mentions is not None else _collect(ctx))


# --- name index for the quote ledger -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Resolves a name, a surname, a spelling variant or a unique title to one entity name.

    ``aliases`` maps folded surface forms to canonical names (people and organisations only:
    a country is not a speaker); ``surnames`` folded person surnames to canonical names;
    ``roles`` a folded title ("secretary of state") to the single person holding it in the
    story; ``genders`` "f"/"m" where a title or first name tells.
    """

    aliases: Mapping[str, str]
    kinds: Mapping[str, EntityKind]
    surnames: Mapping[str, tuple[str, ...]]
    roles: Mapping[str, str]
    genders: Mapping[str, str]
    pattern: re.Pattern[str] | None

    def resolve(self, text: str) -> str | None:
        """The canonical person or organisation a subject phrase names, or ``None``."""
        phrase = text.strip(" ,.:;\"'“”‘’")
        if not phrase or is_outlet(phrase) or fold(phrase) in _PRONOUNS:
            return None
        key = _key(phrase)
        if key in self.aliases:
            return self._titled(self.aliases[key], phrase)
        words = [w for w in re.split(r"\s+", phrase) if w]
        _, rest = _split_title([_strip_token(w)[0] for w in words])
        caps = [w for w in rest if _is_name_word(w) and not _is_demonym(w)]
        if caps:
            found = self._by_name(" ".join(caps))
            if found is not None:
                return self._titled(found, phrase)
        return self._by_role(phrase)

    def _titled(self, name: str, phrase: str) -> str:
        """``name`` unless ``phrase`` opens with a courtesy title of the other gender and exactly
        one other person of the story carries the surname and that gender: a bare surname is
        merged into one bearer, so "Mrs. Clinton" may have become "Bill Clinton"."""
        match = _COURTESY.match(phrase)
        if match is None:
            return name
        wanted = "m" if fold(match.group(1)) == "mr" else "f"
        if self.gender(name) in (wanted, None):
            return name
        surname = _key(phrase[match.end():]).split()[-1:]
        bearers = [n for n in self.surnames.get(surname[0], ()) if n != name
                   and self.gender(n) == wanted] if surname else []
        return bearers[0] if len(bearers) == 1 else name

    def _by_name(self, name: str) -> str | None:
        key = _key(name)
        if key in self.aliases:
            return self.aliases[key]
        if is_outlet(name):
            return None
        surname = key.split()[-1] if key else ""
        best: tuple[float, str] | None = None
        for known, names in self.surnames.items():
            score = fuzz.ratio(surname, known)
            if score >= SURNAME_MATCH and len(names) == 1 and (best is None or score > best[0]):
                best = (score, names[0])
        return best[1] if best else None

    def _by_role(self, phrase: str) -> str | None:
        words = [fold(w).strip(".,") for w in phrase.split()]
        words = [w for w in words if w not in {"the", "a", "an"} and not _is_demonym(w)
                 and w.replace(".", "") not in _ALIAS_GROUPS and w not in _PLACES]
        return self.roles.get(" ".join(words)) if words else None

    def kind(self, name: str) -> EntityKind | None:
        return self.kinds.get(name)

    def gender(self, name: str) -> str | None:
        """"f"/"m" from the story's titles and first names; a name outside the index by its
        first name alone."""
        return self.genders.get(name) or (None if name in self.kinds else _gender(name, ()))

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(offset, canonical person name) of every person alias in ``text``."""
        if self.pattern is None:
            return []
        out: list[tuple[int, str]] = []
        for m in self.pattern.finditer(text):
            name = self.aliases.get(_key(m.group()))
            if name is not None:
                title = _COURTESY_BEFORE.search(text, max(0, m.start() - 6), m.start())
                out.append((m.start(), self._titled(name, title.group() + m.group())
                            if title else name))
        return out


def _role_key(role: str) -> str:
    words = [fold(w).strip(".,") for w in role.split()]
    return " ".join(w for w in words if w not in {"the", "a", "an"} and not _is_demonym(w)
                    and w.replace(".", "") not in _ALIAS_GROUPS and w not in _PLACES)


def _gender(name: str, roles: Iterable[str]) -> str | None:
    """The first name decides when it is a known one; else the majority of the titles the story
    gives the person's mentions. A surname merges all its bearers' mentions ("Mrs. Clinton" and
    "Mr. Clinton" into "Bill Clinton"), so one "Mrs." must not make "Bill Clinton" a woman."""
    first = fold(name.split()[0])
    if first in _FEMALE_NAMES:
        return "f"
    if first in _MALE_NAMES:
        return "m"
    marks = [fold(w).strip(".") for r in roles for w in r.split()]
    female = sum(m in _FEMALE_MARKERS for m in marks)
    male = sum(m in _MALE_MARKERS for m in marks)
    return "f" if female > male else "m" if male > female else None


def build_name_index(ctx: StoryContext, entities: Sequence[Entity] | None = None,
                     mentions: Sequence[_Mention] | None = None) -> NameIndex:
    """A :class:`NameIndex` over the story's people and organisations.

    Pass the entities when they are already extracted; the story's mentions
    (:func:`collect_mentions`) give titles ("Secretary of State") and gender cues
    ("spokeswoman", first names) and are collected here unless passed.
    """
    mentions = mentions if mentions is not None else _collect(ctx)
    ents = tuple(entities) if entities is not None else _entities_from_mentions(ctx, mentions)
    aliases: dict[str, str] = {}
    kinds: dict[str, EntityKind] = {}
    surnames: dict[str, list[str]] = {}
    for entity in ents:
        kinds[entity.name] = entity.kind
        if entity.kind not in ("person", "org"):
            continue
        for form in (entity.name, *entity.aliases):
            aliases.setdefault(_key(form), entity.name)
            if entity.kind == "person":
                names = surnames.setdefault(_key(form).split()[-1], [])
                if entity.name not in names:
                    names.append(entity.name)
    for surname, names in surnames.items():
        # A surname only one person of the story carries names that person wherever it stands
        # ("Carson brought in…" opens a sentence, so the entity list may hold no bare form).
        if len(names) == 1 and surname not in aliases and surname not in _PRONOUNS:
            aliases[surname] = names[0]
    person_roles: dict[str, list[str]] = {}
    for mention in mentions:
        name = aliases.get(_key(mention.form))
        if name is not None and kinds.get(name) == "person" and mention.role:
            person_roles.setdefault(name, []).append(mention.role)
    holders: dict[str, set[str]] = {}
    for name, roles in person_roles.items():
        for role in roles:
            key = _role_key(role)
            if key:
                holders.setdefault(key, set()).add(name)
    unique_roles = {role: next(iter(names)) for role, names in holders.items() if len(names) == 1}
    genders = {}
    for name, kind in kinds.items():
        if kind == "person":
            gender = _gender(name, person_roles.get(name, ()))
            if gender:
                genders[name] = gender
    person_forms = sorted((f for f, n in aliases.items() if kinds.get(n) == "person"),
                          key=len, reverse=True)
    pattern = None
    if person_forms:
        alternation = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in person_forms)
        pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
    return NameIndex(
        aliases=aliases, kinds=kinds,
        surnames={k: tuple(v) for k, v in surnames.items()},
        roles=unique_roles, genders=genders, pattern=pattern,
    )
