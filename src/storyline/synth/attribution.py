"""Who said each quote: cascade step 2 of the quote ledger (see :mod:`storyline.synth.quotes`).

:func:`attribute_spans` gives every quoted span of a paragraph its speaker, first rule that
gives one wins (rules a–h, listed in the quote ledger's module docstring).
:class:`SpeakerResolver` turns a subject phrase into a speaker: a name the story's
:class:`~storyline.synth.entities.NameIndex` knows, a name-shaped phrase it missed
(:func:`_bare_name`), a pronoun's antecedent (:meth:`SpeakerResolver.pronoun`), the body that
speaks for someone ("Paul Ryan’s office"), or an unnamed source's description as written
(:func:`_description`: "a senior Cruz adviser").

Every word list and threshold here was calibrated on PolNeAR *train* only (first 600 files to
develop, last 240 to validate); dev is the reported split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.synth.entities import (
    SPEECH_VERBS,
    NameIndex,
    is_first_name,
    is_outlet,
    is_party_noun,
    is_place,
    is_pronoun,
    is_role_word,
    is_title_word,
)
from storyline.text import STOPWORDS, fold, sentence_spans, wordset

__all__ = ["MarkedSpan", "Paragraph", "SpeakerResolver", "attribute_spans", "intro_speaker",
           "lead_speaker"]

# --- thresholds --------------------------------------------------------------------------------
# How far (in words) an attribution may sit from the quote mark in the adjacent rules.
MAX_SUBJECT_WORDS = 9

# Characters after an inverted verb searched for its subject ("said Sen. X of Y").
RIGHT_WINDOW = 120
# Longest role between an inverted verb and the name it introduces ("said another leading
# Supreme Court advocate, Andrew J. Pincus"); 6 covers the PolNeAR train cases seen.
MAX_ROLE_WORDS = 6
# Longest stretch between a quote and its verb searched for an appositive name.
MAX_APPOSITIVE_WORDS = 30
# Longest name taken as written when the entity list does not know it ("Robert Antonacci").
MAX_BARE_NAME_WORDS = 4
# How many earlier sentences naming someone a pronoun looks back through (calibrated on PolNeAR
# train: 4 covers "…," he said after a two-sentence aside; more picks up stale names).
PRONOUN_SENTENCES = 4
# Longest unnamed-source description kept as a speaker ("one Republican involved in the planning"
# is cut to "one Republican"; "a spokesman for the Clinton campaign" is 6 words).
MAX_DESCRIPTION_WORDS = 7
# Most words after the verb of an attribution sentence that follows its quote ("…?" Sanders
# replied at a rally in Iowa on Tuesday.); a longer one says something of its own.
MAX_ATTRIBUTION_TAIL = 12
# Longest aside (in words and commas) between a name and its verb that opens with a
# preposition ("Clinton, during a town hall meeting in Columbus, Ohio, said"); PolNeAR train:
# 24 also covers "Mrs. Clinton, in an interview with … on …, said" and changed no other quote.
MAX_ASIDE_WORDS = 24
# Longest quote read as part of another quote's attribution ("wearing “Ted Cruz” pins"); a
# longer one is a quote of its own (PolNeAR train: the inner quotes seen are names/slogans).
MAX_INNER_QUOTE_WORDS = 4
# Speech verbs tried, nearest first, when the nearest one's subject is not a known name.
MAX_FALLBACK_VERBS = 2
# Words allowed between a speech noun and the quote it introduces ("her claim that she
# “never sent…”"): about a clause, so a noun far from the quote names no one. PolNeAR train
# is flat from 3 to 20 (the "that"/"of"/"for" link does the work); 8 is a clause's length.
MAX_OWNER_GAP_WORDS = 8
# A headline shorter than this before its quote is a bare name or label ("Trump: ‘…’"), which
# the colon cue already handles; the headline rule needs a subject and a verb.
MIN_HEADLINE_WORDS = 3
# "Darran Whiting of Liberty Baptist Church in Marion said": the links of such a chain, and how
# many are followed back to the person heading it.
_CHAIN_LINKS = wordset("of in from at")
MAX_CHAIN_LINKS = 3
_ADVERBS = wordset("""
later also again then previously repeatedly once still meanwhile has had have would will was is
did does just never often reportedly publicly privately recently earlier today yesterday
further however subsequently already had has could can should might must only even
""")
_DETERMINERS = wordset("""
the a an his her their its our my your these those such western any
""")
# Speech verbs whose bare form is also a noun: after a determiner and an adjective they are the
# noun ("a Trumpian post", "his latest tweet"); a plural noun before them stays a subject ("the
# Democrats claim").
_NOUN_LIKE_CUES = wordset("""
post tweet call claim comment remark note quote answer report promise vow pledge question
charge demand joke echo statement
""")
# Words that open a sentence before its subject ("But Trump said", "On Monday, Clinton told").
_OPENERS = wordset("""
but and so yet still also then later meanwhile however instead earlier now asked on in at
after before during when while monday tuesday wednesday thursday friday saturday sunday
even ever indeed though although because since until unless once this last next week
month year morning afternoon evening night weekend moreover furthermore additionally besides
nevertheless nonetheless thus hence therefore meanwhile overall likewise similarly sooner
together neither either
""")  # (likewise, sooner: "Likewise, a paper…", "Sooner or later, the governor told" gave them
# as speakers in PolNeAR train)
# Words opening a subordinate clause or a participle phrase before the subject ("As the crowd
# began to chant, Silverman…", "Asked about it, Christie said").
_CLAUSE_OPENERS = wordset("""
when while as after before although though because since if once until asked speaking
appearing responding writing talking in on at during with without for by from under amid
despite hours days minutes moments weeks months years
""")
# Words opening an aside between a subject and its verb.
_ASIDE_OPENERS = wordset("""
during in at on after before while speaking appearing addressing writing via from
""")
# What opens an insert set off by commas between a name and its verb: an aside or a relative
# clause ("Mr. Slinker, whose start-up, Paradata, uses…, said").
_INSERT_OPENERS = _ASIDE_OPENERS | wordset("who whose")
# Conjunctions that open a finite leading clause, which has a subject of its own ("If Clinton
# is wobbly on trade, she…"); other clause openers start a participle or a prepositional
# phrase ("Asked about…", "In an interview with…") whose names are objects.
_SUBORDINATORS = wordset("when while as although though because since if once until unless")
# Longest leading clause (in words, commas included) read before a sentence's subject
# (calibrated on PolNeAR train: 32 reaches "Asked about her own vote in the event that Clinton
# faces Republican frontrunner Trump, who has insulted women, Mexicans and Muslims in a
# volatile campaign, she replied"; 16 and 24 miss it, 40 changes nothing more).
MAX_CLAUSE_WORDS = 32
# Longest opening clause skipped to reach the subject opening a speech verb's sentence
# ("In an interview with The Wall Street Journal, Trump… said"; PolNeAR train development
# part: 8 missed it, 12 gains 4 quotes; once a clause with nothing after its comma is kept,
# 16 gains 1 more, 20 2, 24 3 and 32 the same 3).
MAX_OPENING_CLAUSE_WORDS = 24
# Longest leading clause (words and commas) whose names yield to the main clause's subject as a
# pronoun's antecedent (PolNeAR train: 40 reaches "Asked whether he was concerned that Donald
# Trump, the presumptive Republican presidential nominee, who has called … a hoax, could be the
# next occupant of the White House, Ban demurred"; 32 misses it, 60 changes nothing more).
MAX_LEADING_CLAUSE_WORDS = 40
# Capitalised plural nouns that open sentences but name no one ("Officials said…").
_GROUP_NOUNS = wordset("""
officials analysts democrats republicans experts critics officers supporters voters observers
residents sources aides advocates protesters lawmakers leaders authorities police
investigators prosecutors activists organizers conservatives liberals progressives people
others many some both several witnesses delegates members staffers spokesmen
""")
# Quoted passages of a line (names inside them are not pronoun antecedents).
_QUOTED = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|''.*?(?:''|$)", re.MULTILINE)
# Capitalised speech verbs of title-case headlines ("Francois Hollande Says Donald Trump…").
_HEADLINE_VERBS = frozenset(["Says", "Said", "Tells", "Told", "Warns", "Slams", "Blasts",
                             "Claims", "Admits", "Rips", "Jokes", "Vows", "Urges", "Asks",
                             "Insists", "Declares", "Tweets", "Responds", "Mocks", "Predicts"])
# Words that open the description of an unnamed source ("a senior aide", "one Trump confidant").
_DESCRIPTION_OPENERS = wordset("""
a an one another two three four several some many most
""")
# The openers of a role that names nobody the story can tie it to ("the Wisconsin Republican
# criticized…", "The Vermont senator emailed supporters saying: “…”"): a last resort.
_THE_DESCRIPTION_OPENERS = _DESCRIPTION_OPENERS | {"the"}
# Nouns that make such a description a speaker: who people are when they are not named
# (is_role_word's titles count too: "a spokesman", "an adviser").
_SOURCE_NOUNS = wordset("""
source sources insider insiders confidant confidants operative operatives staffer staffers aide
aides ally allies friend friends supporter supporters voter voters resident residents person
people official officials member members democrat democrats republican republicans veteran
veterans donor donors expert experts critic critics observer observers witness witnesses
employee employees worker workers student students protester protesters attendee attendees
delegate delegates lawmaker lawmakers senator senators investigator investigators officer
officers agent agents fan fans user users spokesman spokeswoman spokesperson adviser advisers
advisor advisors strategist strategists consultant consultants activist activists organizer
organizers leader leaders executive executives analyst analysts diplomat diplomats man woman
men women father mother parent parents neighbor neighbors child children boy girl kid kids
commenter commenters reader readers viewer viewers caller callers campaign committee group
organization coalition designer actor actress author authors writer writers teacher teachers
attorney doctor nurse pastor priest owner journalist producer scientist farmer miner miners
driver soldier frontrunner front-runner billionaire businessman businesswoman mogul chef coach
player conservative conservatives liberal liberals progressive progressives
""")
# Source nouns that are adjectives before another noun ("the modern conservative movement").
_ADJECTIVAL_NOUNS = wordset("conservative liberal progressive")
# "according to" a document rather than a name: the credit of last resort.
_ACCORDING_DOCUMENT = re.compile(r"according to\s+((?:a|an|the|its|his|her|their)\s+"
                                 r"[^,;:“”\"()]{3,90})", re.IGNORECASE)
_DOCUMENT_NOUNS = wordset("""
poll polls survey surveys report reports study studies statement statements document documents
filing filings letter letters memo memos email emails transcript transcripts readout account
complaint lawsuit indictment affidavit analysis estimate estimates data release post tweet
video recording audio footage copy
""")
# Words that never belong to a speaker's name (see _implausible_speaker).
_NOT_SPEAKER_WORDS = wordset("""
january february march july september october november december monday
tuesday wednesday thursday friday saturday sunday one two three four five six seven eight nine
ten eleven twelve twenty hundred thousand million billion text rules wage today tonight
yesterday tomorrow thirteen fourteen fifteen sixteen seventeen eighteen nineteen thirty forty
fifty sixty seventy eighty ninety dozens hundreds thousands millions
""")  # not April, May, June or August: first names too; "Twenty-two" is read piece by piece
# AP-style abbreviations of US states, written after a town ("of Ashton, Md.,"): never a name.
_STATE_ABBREVIATIONS = frozenset("""
Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont
Neb Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I S.C S.D Tenn Tex Va Vt Wash Wis W.Va Wyo
""".split())
# Last words of streets, buildings and landscapes.
_PLACE_HEADS = wordset("""
avenue street road boulevard square park school academy hospital airport station tower
building bridge pacific atlantic ocean sea river lake mountain mountains valley republic
kingdom empire county island islands palace stadium arena hotel church cathedral mosque war
office tunnel tunnels
""")
# Capitalised only because they open a sentence.
_COMMON_OPENERS = wordset("""
another given former harsh full holy many much most several such whatever whoever every each
few both either neither other others same back wait amid among despite
""")
# What a person or organisation owns that speaks for it ("Ryan's office said").
_POSSESSED = wordset("""
office campaign team staff camp spokesman spokeswoman spokesperson lawyer lawyers attorney
attorneys administration government ministry aides allies representatives
""")
# What may come before "state" when it is a verb ("they state", "to state"); elsewhere it is
# the noun ("the Indiana state firefighters union", "Washington state").
_BASE_VERB_SUBJECTS = wordset("""
i you we they to will would can could should must may might also and not
""")
# A passive speech verb and its agent: "was asked by host Bill Maher".
_PASSIVE = re.compile(r"[A-Za-z]+\s+by\s+")
_AUXILIARIES = wordset("was were is are been being")
# Finite speech verbs without -ed ("Trump told Newsmax that…, adding"); a bare form such as
# "comment" is mostly a noun ("posted a Twitter comment of her own, saying").
_IRREGULAR_PAST = wordset("said told wrote spoke")
# Verbs before "to say" that still report speech ("was prompted to say", "paused to say");
# "refused to say", "wanted to say" do not (PolNeAR train: "Mr. Trump was prompted to say").
_TO_SPEAK_LEADS = wordset("prompted proceeded paused stopped rose hastened moved")
# Conjunctions opening a contrasting clause after a quote: a speech verb in it has another
# subject and does not attribute the quote before it ("although"/"though" were tried too and
# cost a PolNeAR train validation quote).
_CONTRAST_OPENERS = wordset("while whereas")
# Two-word cues whose verb alone says nothing ("shot back", "as Ridge put it", "went on").
_PHRASAL_CUES = {"shot": "back", "fired": "back", "hit": "back", "put": "it", "puts": "it",
                 "went": "on",
                 "chimed": "in", "weighed": "in", "spoke": "up", "pointed": "out"}
# Words before a name that make it an object, not a speaker ("a blunt message to Trump:";
# "More from Jones:" still names the speaker).
_OBJECT_MARKERS = wordset("to with at for against about on in into")
# Prepositions that make a participle cue the sentence subject's ("upon saying").
_TEMPORAL = wordset("upon after before while when by")
# A name after one of these sits in a prepositional phrase: a poor pronoun antecedent.
_PREPOSITIONS = wordset("""
in into at on to from with by for of about against among between near inside outside
through across under over after before during without toward towards via like
""")
_NOT_SPEAKERS = frozenset(["they", "we", "i", "you", "it", "who", "which", "that", "this"])
_ACCORDING = re.compile(r"[Aa]ccording to\s+((?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,5})")
# An inverted speech verb and its subject set off before a quote: ", explained Rosenberg, “".
_INVERTED_CUE = re.compile(r"\b([a-z]+)\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*,\s*$")
# Speech verbs whose next word is their object, not an inverted subject ("told POLITICO,";
# PolNeAR train: "telling Reuters," and "told POLITICO," were the only misreadings).
_OBJECT_VERBS = wordset("told tell tells asked ask asks")
# A possessive before a speech verb makes it a noun ("Trump's claim", "the senators' call").
# "his"/"her" before a speech noun stand for "he"/"she" (:func:`_speech_noun_owner`).
_OWNER_PRONOUNS = {"his": "he", "her": "she"}
# What leads from a speech noun into its content: "that", "of", "for" or a colon, after at
# most a day or a short time phrase ("his comment Monday that", "her March comment that").
_OWNER_LINK = re.compile(r"\s*(?:(?:on|last|this|in)\s+)?(?:[A-Z][a-z]+\s+)?(?:that|of|for)\b"
                         r"|\s*:")
_POSSESSIVE_WORD = re.compile(r"\w(?:'s|s')$")
_INITIAL = re.compile(r"[A-Z]\.")
# A party and state tag after a lawmaker's name ("D-Calif", "R-Texas").
_PARTY_TAG = re.compile(r"[DRI]-[A-Z][A-Za-z.]*")
# Sentence-opening participles and adverbs ("Appearing", "Hastily"); 7+ letters so that names
# such as "Kelly" or "King" are never taken for them (checked on PolNeAR train subjects).
_NOT_NAME_WORD = re.compile(r"^[A-Z][a-z]{4,}(?:ing|ly)$")
# A lone capitalised word that the entity list does not know and that is shaped like an
# English participle or abstract noun opens a sentence, it names no one ("Fueled apparently by
# frustration, Trump explained…", "Frustrations at Carson's…"; seen in PolNeAR train).
_NOT_SINGLE_NAME = re.compile(r"^[A-Z][a-z]{3,}(?:ed|ing|ly|ions|ness|ment|ments)$")
# Asides between a name and its verb that hold no name of the speaker: a parenthesis
# ("Sen. Elizabeth Warren (D-MA) said"), an age ("Cory James, 22, of Flint, Mich., said").
_APPOSITIVE_NOISE = re.compile(r"\s*\([^()]{1,40}\)|,\s*\d{1,3}\s*(?=,)|,\s*of\s+[A-Z][\w.'’-]*"
                               r"(?:\s+[A-Z][\w.'’-]*)*(?:,\s*[A-Z][\w.]*)?(?=,\s*$)")
_WORD = re.compile(r"[\w.'’-]+|[,:;]")
# A capitalised adverb opening a sentence ("Immediately", "Shortly", "Finally").
_LY_ADVERB = re.compile(r"[A-Z][a-z]{3,}ly")
# A dash that sets off an aside reads as a comma before a speech verb: "A former Republican
# presidential candidate -- John McCain, who lost the 2008 election -- said…".
_DASH_ASIDE = re.compile(r"\s(?:--|—|–)\s|—")
# Stop words that never open a name ("new" does: "New York Times", "New Hampshire").
_NOT_NAME_OPENERS = STOPWORDS - {"new"}
_PUNCT = re.compile(r"[^\w\s]")
_LEADING_SPACE = re.compile(r"\s*")
# Nouns whose name follows them set off by commas: that name is no person ("the editor in chief
# of the Vatican's official newspaper, L'Osservatore Romano, said").
_ORGANISATION_NOUNS = wordset("""
newspaper newspapers magazine paper daily weekly website site network channel station company
firm group organization organisation agency party union committee foundation institute
university college school church think-tank tank publication outlet
""")
# Auxiliaries that make a clause finite ("…and the camp had failed").
_FINITE_AUXILIARIES = wordset("had has have was were is are would will could should might can")
# Words between an object marker and the name it governs ("to the Dutch newspaper NRC").
MAX_OBJECT_ROLE_WORDS = 3
# Verbs that carry a participle as their own ("kept asking", "was saying", "began telling").
_PARTICIPLE_HELPERS = wordset("""
kept keeps keep was were is are been be started starts began begins continued continues stopped
""")
# Capitalised prepositions that open a title-case headline's topic after its subject.
_TOPIC_WORDS = frozenset(["On", "About", "Against", "Over"])
# Relative words after which a clause's subject follows ("what one aide called…").
_RELATIVE_OBJECTS = wordset("what which whom")
# Adverbs ending a phrase ("…, recently", "…, then repeatedly").
# An absolute clause before a participle cue: ", with Sen. John McCain calling it…".
_ABSOLUTE_WITH = re.compile(r"\bwith\s+([A-Z][^\s,;:()]*(?:\s+[A-Z][^\s,;:()]*){0,4})\s*$")
_ADVERB_TAIL = re.compile(r"(?:\s+(?:[a-z]+ly|also|then|later|again|once|still|often))+\s*$")


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    outer_start: int  # the opening mark (or the text start of an unmarked quote)
    start: int
    end: int
    outer_end: int  # just after the closing mark
    closed: bool = True  # False: no closing mark, the span runs to a cut or the paragraph end


@dataclass(frozen=True, slots=True)
class Paragraph:
    article_id: str
    index: tuple[int, int]  # (article position, paragraph position)
    text: str
    offset: int  # paragraph start in the article text
    article_text: str


# --- 2. attribution ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Subject:
    kind: str  # "name" | "pronoun" | "role" | "possessed" ("Ryan's office")
    phrase: str
    at: int  # paragraph offset of the phrase


def _words(text: str, base: int) -> list[tuple[str, int]]:
    return [(m.group(), base + m.start()) for m in _WORD.finditer(text)]


def _is_name_piece(word: str) -> bool:
    return (word[:1].isupper() and any(c.isalpha() for c in word)) or is_title_word(word) \
        or fold(word) in {"of", "de", "von", "van", "bin", "al"}


def _subject_left(para: str, seg_start: int, verb_at: int) -> _Subject | None:
    """The subject written just before a speech verb: a name, a title or a pronoun; for a
    passive (``Sanders was asked by host Bill Maher``) the agent after "by"."""
    passive = _PASSIVE.match(para, verb_at)
    before = para[seg_start:verb_at].split()
    if passive and before and fold(before[-1]) in _AUXILIARIES:
        role = re.match(r"(?:[a-z]+\s+){1,2}(?=[A-Z])", para[passive.end():])  # "host Bill…"
        return _subject_right(para, passive.end() + (role.end() if role else 0))
    segment = _DASH_ASIDE.sub(lambda m: ",".center(len(m.group())), para[seg_start:verb_at])
    segment = _APPOSITIVE_NOISE.sub(lambda m: " " * len(m.group()), segment)
    words = _words(segment, seg_start)
    while words and (fold(words[-1][0]) in _ADVERBS or (fold(words[-1][0]).endswith("ly")
                                                         and words[-1][0].islower())):
        words.pop()
    if (len(words) >= 2 and fold(words[-1][0]) == "to"
            and fold(words[-2][0]) in _TO_SPEAK_LEADS):
        # "Mr. Trump was prompted to say, …": the one prompted says it.
        del words[-2:]
        while words and fold(words[-1][0]) in _ADVERBS:
            words.pop()
    if words and fold(words[-1][0]) == "and":
        return None  # "Ms. Sherry smiled and said": the sentence subject speaks, not a word here
    if words and words[-1][0] == "," and "," not in (w for w, _ in words[:-1]):
        words.pop()  # "Cory James, 22, of Flint, Mich., said" once the asides are blanked
    tail_name = _last_chunk_name([w for w, _ in words])
    if len(words) >= 3 and words[-1][0] == "," and not tail_name:
        toks = [w for w, _ in words]
        for c in range(1, len(toks) - 2):
            if (toks[c] == "," and toks[c - 1][:1].isupper()
                    and fold(toks[c + 1]) in _INSERT_OPENERS
                    and len(toks) - c <= MAX_ASIDE_WORDS):
                # A prepositional aside or a relative clause with commas of its own:
                # "Clinton, during a town hall meeting in Columbus, Ohio, said" / "Mr.
                # Slinker, whose start-up, Paradata, uses big data, said" → the name before it.
                words = words[:c]
                break
    if len(words) >= 3 and words[-1][0] == ",":
        # A parenthetical: "Lavrov, meanwhile, said" / "Zelenskiy, who said".
        back = [w for w, _ in words[:-1]]
        chunk = back[len(back) - back[::-1].index(","):] if "," in back else []
        linked = next((n for n, w in enumerate(chunk) if fold(w) in _CHAIN_LINKS), 0)
        if 2 <= linked <= 4 and all(w[:1].isupper() or fold(w) in _CHAIN_LINKS | {"the"}
                                    for w in chunk[linked + 1:]):
            chunk = chunk[:linked]  # ", Darran Whiting of Liberty Baptist Church, said"
        names_a_thing = len(back) > len(chunk) + 1 and fold(
            back[len(back) - len(chunk) - 2]) in _ORGANISATION_NOUNS
        if not names_a_thing and (tail_name or (
                2 <= len(chunk) <= 4 and all(w[:1].isupper() for w in chunk)
                and not any(is_title_word(w) for w in chunk))):
            # A name set off after its role: "The leader of the Anti-Defamation League,
            # Jonathan Greenblatt, warned".
            at = words[len(back) - len(chunk)][1]
            return _Subject("name", " ".join(chunk), at)
        if "," in back[-4:]:
            cut = len(back) - 1 - back[::-1].index(",")
            words = words[:cut]
        elif "," in back and _is_appositive(back[len(back) - back[::-1].index(","):]):
            # An appositive: "Brian Fallon, a spokesman for the campaign, said".
            words = words[:len(back) - 1 - back[::-1].index(",")]
    if words and fold(words[-1][0]) == "who":
        words = words[:-1]
        if words and words[-1][0] == ",":
            words = words[:-1]
    if not words:
        return None
    last, at = words[-1]
    for n in (2, 3, 4):
        # "Ryan's office said", "Mrs. Clinton's campaign said", "Sanders' campaign manager
        # suggested", "Obama's former campaign strategist said": the owner's body or aide.
        if (len(words) >= n and (fold(last) in _POSSESSED or is_role_word(last))
                and _POSSESSIVE_WORD.search(words[-n][0].replace("’", "'"))
                and words[-n][0][:1].isupper()
                and all(w.islower() for w, _ in words[-n + 1:])):
            return _Subject("possessed", " ".join(w for w, _ in words[-n:]), words[-n][1])
    if is_pronoun(last):
        return _Subject("pronoun", last, at)
    run = _chain_head(words, _name_run(words))
    while run and (fold(run[0][0]) in _OPENERS or fold(run[0][0]) in _NOT_NAME_OPENERS):
        run.pop(0)  # "As Politico reported", "But Sanders said"
    if not run:
        return None
    phrase = " ".join(w for w, _ in run)
    kind = "name" if any(w[:1].isupper() for w, _ in run) else "role"
    return _Subject(kind, phrase, run[0][1])


def _name_run(words: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """The name-shaped words ending ``words`` (at most :data:`MAX_SUBJECT_WORDS`, none past
    a comma, colon or semicolon)."""
    run: list[tuple[str, int]] = []
    for word, pos in reversed(words):
        if word in {",", ":", ";"} or not _is_name_piece(word) or len(run) >= MAX_SUBJECT_WORDS:
            break
        run.insert(0, (word, pos))
    return run


def _chain_head(words: Sequence[tuple[str, int]],
                run: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The person heading a chain of capitalised runs joined by "of", "in", "from" or "at"
    that ends on ``run`` (``Darran Whiting of Liberty Baptist Church in Marion said`` →
    Darran Whiting, not Marion); ``run`` itself when there is no chain or its head is a bare
    title ("the Governor of Texas")."""
    end = len(words) - len(run)
    head = run
    for _ in range(MAX_CHAIN_LINKS):
        if end < 2 or fold(words[end - 1][0]) not in _CHAIN_LINKS:
            break
        prev = _name_run(words[:end - 1])
        if not prev:
            break
        head, end = prev, end - 1 - len(prev)
    if head is run or not any(w[:1].isupper() and not is_title_word(w) and not is_party_noun(w)
                              and fold(w) not in STOPWORDS for w, _ in head):
        return run  # "More from Jones:" stays Jones
    return head


def _last_chunk_name(toks: Sequence[str]) -> bool:
    """Whether the words between the last two commas are a titled or two-word name, so they
    are the subject after leading clauses ("Tuesday in Berea, OH, after winning Ohio…, Gov.
    John Kasich (R-OH), said"), not the tail of an aside ("Clinton, during…, Ohio, said")."""
    if len(toks) < 4 or toks[-1] != "," or "," not in toks[:-1]:
        return False
    chunk = toks[len(toks) - 1 - toks[-2::-1].index(","):-1]
    capitals = [w for w in chunk if w[:1].isupper()]
    return (2 <= len(chunk) <= MAX_SUBJECT_WORDS and all(_is_name_piece(w) for w in chunk)
            and chunk[0][:1].isupper() and (len(capitals) >= 2 or is_title_word(chunk[0]))
            and not is_place(capitals) and not is_party_noun(chunk[0]))  # "Republican of Ohio"


def _strip_dot(word: str) -> str:
    """A word without its full stop, except an initial ("James B. Comey")."""
    return word if _INITIAL.fullmatch(word) else word.rstrip(".")


def _is_appositive(words: Sequence[str]) -> bool:
    """Words set off by commas that describe a person: they open with an article or a
    lower-case word ("a spokesman for…", "former chief of staff…", "the chairman…") or a
    party noun ("Republican of West Virginia")."""
    return (1 <= len(words) <= MAX_APPOSITIVE_WORDS
            and (words[0][:1].islower() or is_party_noun(words[0]))
            and not any(w in {":", ";"} for w in words)
            and not any(w in SPEECH_VERBS for w in words))


def _subject_right(para: str, start: int) -> _Subject | None:
    """Inverted attribution right after a verb: ``said Blinken`` / ``said the US Secretary…``."""
    window = para[start:start + RIGHT_WINDOW].split("(")[0]  # "Sen. X (D-Conn.)"
    # A quote blanked to spaces (pronoun search) ends the subject: "called the new law “…”
    # than No Child Left Behind" names no one after "called".
    window = re.split(r"\s{3,}", window)[0]
    words = _words(window, start)
    run: list[tuple[str, int]] = []
    for word, pos in words:
        if not run and fold(word) in {"the", "his", "her", "their", "its"}:
            continue  # "added his campaign manager Jeff Weaver": a determiner, no subject
        if word in {",", ":", ";"} or not _is_name_piece(word) or len(run) >= MAX_SUBJECT_WORDS:
            break
        run.append((_strip_dot(word), pos))
        if (word.endswith(".") and len(word) > 3 and not word[:-1].isupper()
                and not is_title_word(word)):
            break
    while run and run[-1][0].islower() and not is_title_word(run[-1][0]):
        run.pop()  # "said David French of the National Retail Federation": "of" ends no name
    if run and len(run) < len(words) and _POSSESSIVE_WORD.search(
            run[-1][0].replace("’", "'")) and words[len(run)][0].islower():
        # "exhorted Clinton's introducer, actress Jamie Lee Curtis": an owner opens a role.
        named = _named_after_role(words)
        if named is not None:
            return named
    # A party word alone before a lower-case role is part of the role: "said Republican
    # political consultant Chris Russell".
    party_role = (len(run) == 1 and is_party_noun(run[0][0]) and len(words) > 1
                  and words[1][0][:1].islower())
    if not run or party_role or all(not w[:1].isupper() or is_title_word(w) for w, _ in run):
        if not run and words and is_pronoun(words[0][0]) and fold(words[0][0]) not in {
                "his", "her", "their", "its"}:
            return _Subject("pronoun", words[0][0], words[0][1])
        named = _named_after_role(words)
        if named is not None:
            return named
        if not run:
            return None
    phrase = " ".join(w for w, _ in run)
    kind = "name" if any(w[:1].isupper() for w, _ in run) else "role"
    return _Subject(kind, phrase, run[0][1])


def _reported_subject(para: str, subject: _Subject, roles: bool = False) -> bool:
    """Whether the name (``roles``: or role) after a speech verb is followed by a verb of its
    own, so it is the subject of what was said ("said Trump continued…", "said the candidate
    could…"), not an inverted speaker ("said Trump on Monday", "said Sen. X of Ohio", "said Y,
    who…")."""
    if subject.kind != "name" and not (roles and subject.kind == "role"):
        return False
    end = subject.at
    for word in subject.phrase.split():
        end = para.find(word, end) + len(word)
    nxt = _next_token(para, end)
    if fold(nxt) == "and":
        # "said Mr. Cameron and the ''Remain'' camp had failed…": a coordinated subject
        # with its own finite verb before any comma.
        tail = re.split(r"[,;:.]", para[end:end + 80], maxsplit=1)[0].split()[1:7]
        return any(fold(w) in _FINITE_AUXILIARIES for w in tail)
    return nxt[:1].islower() and fold(nxt).strip(",.") not in _PREPOSITIONS | {
        "and", "or", "who", "whose", "which", "that", "recently", "earlier", "later"}


def _named_after_role(words: Sequence[tuple[str, int]]) -> _Subject | None:
    """``said [the bureau's director,] James B. Comey``: a lower-case role of at most
    :data:`MAX_ROLE_WORDS` words (no verb, no sentence end), then a name of two or more
    capitalised words; a lone capitalised word is part of the role (``said undecided
    Republican voter Stephanie Hooton``, ``said his best friend at Lehigh, Bruce Turry``); a
    preposition right after the verb opens no role (``said on Capital Download``)."""
    if words and fold(words[0][0]) in _PREPOSITIONS:
        return None
    n = 0
    while n < min(len(words), MAX_ROLE_WORDS + 2):
        word = words[n][0]
        if (word in {":", ";"} or word in SPEECH_VERBS
                or (word.endswith(".") and (word[:1].islower() or not _is_name_piece(word)))):
            return None  # a verb or a sentence end ("said one former GOP leadership aide.")
        if n and word[:1].isupper() and not is_title_word(word):
            run: list[tuple[str, int]] = []
            for w, pos in words[n:]:
                if w in {",", ":", ";"} or not w[:1].isupper() or len(run) >= MAX_SUBJECT_WORDS:
                    break
                run.append((_strip_dot(w), pos))
                if w.endswith(".") and not _INITIAL.fullmatch(w) and not is_title_word(w):
                    break  # "said election lawyer Joe Birkenstock. "It doesn't…""
            if len(run) >= 2:
                return _Subject("name", " ".join(w for w, _ in run), run[0][1])
            after = words[n + len(run)][0] if n + len(run) < len(words) else ""
            if len(run) != 1 or run[0][0].endswith(".") or not (
                    after == "," or fold(after) in _SOURCE_NOUNS or is_role_word(after)):
                return None  # "wrote the authors of the “Growth and Opportunity Project,”"
            n += 1
        n += 1
    return None


def _according_document(window: str) -> str | None:
    """A document or poll credited for a quote, as written ("according to a Quinnipiac poll
    conducted in February", "according to a court document filed by…"); an outlet is never
    returned (outlets report, they are not speakers)."""
    match = _ACCORDING_DOCUMENT.search(window)
    if match is None:
        return None
    words = match.group(1).split()[:MAX_DESCRIPTION_WORDS + 1]
    for n, word in enumerate(words):
        if fold(word) in {"that", "which", "who", "and", "but", "by", "from", "filed",
                          "obtained", "released", "conducted", "published", "posted"}:
            words = words[:n]  # "a court document filed by…" → "a court document"
            break
    phrase = " ".join(words).rstrip(".")
    if not any(fold(w) in _DOCUMENT_NOUNS or fold(w) in _SOURCE_NOUNS
               or fold(w) in _POSSESSED for w in words) or is_outlet(
            re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE)):
        return None
    return phrase


def _description(words: Sequence[str], openers: frozenset[str] = _DESCRIPTION_OPENERS) -> (
        str | None):
    """An unnamed source described as written ("one Trump confidant", "a senior aide"): an
    opener from :data:`_DESCRIPTION_OPENERS`, then up to :data:`MAX_DESCRIPTION_WORDS` words
    cut before a clause ("who", a verb) or punctuation, holding a source noun or a title; the
    description is kept only when it ends on such a noun or a capitalised word."""
    if not words or fold(words[0]) not in openers:
        return None
    kept = [words[0]]
    for raw in words[1:MAX_DESCRIPTION_WORDS]:
        word = _strip_dot(raw)
        key = fold(word)
        if (word in {",", ":", ";"} or _PUNCT.search(word.replace("-", "").replace("'", "")
                                                     .replace("’", "").replace(".", ""))
                or key in {"who", "which", "that", "said", "says", "told", "and", "but"}
                or key in SPEECH_VERBS):
            break
        kept.append(word)
        if word != raw:
            break  # the sentence ends: "said a senior Cruz adviser."
    nouns = [n for n, w in enumerate(kept) if (fold(w) in _SOURCE_NOUNS or is_role_word(w))
             and not (fold(w) in _ADJECTIVAL_NOUNS and n + 1 < len(kept)
                      and kept[n + 1].isalpha() and kept[n + 1].islower()
                      and fold(kept[n + 1]) not in STOPWORDS)]
    linked = [n for n, w in enumerate(kept) if n > 1 and fold(w) in _PREPOSITIONS]
    if not nouns or (linked and nouns[0] > linked[0]):
        return None  # the head is no source: "a nod to the front-runner", not "one of his aides"
    last = nouns[-1]
    tail = kept[last + 1:]
    if not (tail and fold(tail[0]) in {"for", "of", "at", "with", "from"} and len(tail) >= 2
            and fold(tail[-1]) not in STOPWORDS):
        # "one Republican involved in the planning" → "one Republican"; a tail of "for…"
        # stays ("a spokesman for the campaign").
        kept = kept[:last + 1]
    return " ".join(kept) if len(kept) > 1 else None


def _description_near(para: str, seg_start: int, v0: int, v1: int, after_quote: bool,
                      openers: frozenset[str] = _DESCRIPTION_OPENERS) -> str | None:
    """The unnamed source of a speech verb: written after it (``"…," said one aide``) when the
    verb follows a quote, else ending right before it (``A senior aide said``)."""
    if after_quote:
        right = [w for w, _ in _words(para[v1:v1 + RIGHT_WINDOW], v1)]
        found = _description(right, openers)
        if found is not None:
            return found
    left = [w for w, _ in _words(para[seg_start:v0], seg_start)]
    for n in range(len(left)):
        if n >= 2 and left[n - 1] == "," and left[n - 2][:1].isupper() and fold(
                left[n - 2].rstrip(".")) not in _NOT_SPEAKER_WORDS:
            chunk = left[:n - 1]
            chunk = chunk[len(chunk) - chunk[::-1].index(","):] if "," in chunk else chunk
            if chunk and fold(chunk[0]) not in _CLAUSE_OPENERS:
                # An appositive after a name ("Jay DiPietro, the club's president,"), not a
                # subject after an opening phrase ("In an interview with Joe Scarborough, the
                # Democratic presidential candidate stated").
                continue
        if fold(left[n]) in openers and (n == 0 or left[n - 1] == ","
                                         or fold(left[n - 1]) in _RELATIVE_OBJECTS):
            # The description opens the subject: "One Republican involved in the planning
            # said", "In a statement, a senior aide said", "in what one Latino conservative
            # has dubbed" (not "He met a senior aide and said").
            return _description(left[n:], openers)
    return None


def _relative_description(para: str, seg_start: int, verb_at: int) -> str | None:
    """An unnamed subject of a relative clause right before its verb: ``in what one Latino
    conservative has dubbed ''the yuca primary''`` → "one Latino conservative"."""
    left = [w for w, _ in _words(para[seg_start:verb_at], seg_start)]
    for n in range(len(left) - 2, max(-1, len(left) - 3 - MAX_DESCRIPTION_WORDS), -1):
        if left[n] in {",", ":", ";"}:
            return None
        if fold(left[n]) in _RELATIVE_OBJECTS:
            return _description(left[n + 1:])
    return None


def _role_subject(para: str, seg_start: int, verb_at: int) -> str | None:
    """A definite role right before its speech verb, as written, when nothing named the
    speaker: ``the Wisconsin Republican criticized…``, ``The Vermont senator emailed
    supporters saying:`` (the role must end where the verb's adverbs begin; it comes before
    the sentence's opening subject: ``Mr. Trump took on Mrs. Clinton after the Democratic
    front-runner had said…`` is the front-runner's)."""
    left = [w for w, _ in _words(para[seg_start:verb_at], seg_start)]
    while left and (fold(left[-1]) in _ADVERBS or (left[-1].islower()
                                                    and fold(left[-1]).endswith("ly"))):
        left.pop()
    for n in range(len(left) - 1, -1, -1):
        if left[n] in {",", ":", ";"}:
            return None
        if fold(left[n]) == "the" and len(left) - n <= MAX_DESCRIPTION_WORDS:
            found = _description(left[n:], _THE_DESCRIPTION_OPENERS)
            return found if found is not None and len(found.split()) == len(left) - n else None
    return None


def _appositive_subject(para: str, start: int, verb_at: int) -> _Subject | None:
    """A name set off by commas between a quote and its verb: ``"…," Jeb Bush, the former
    Florida governor, said`` / ``"…," the assailant, John McGraw, told``: the first or second
    comma-separated chunk when it is a capitalised name (a title before it allowed)."""
    text = para[start:verb_at]
    if not text.rstrip().endswith(",") or len(text.split()) > MAX_APPOSITIVE_WORDS:
        return None
    pos = start
    for chunk in text.split(",")[:2]:
        words = [w for w in chunk.split("(")[0].split() if w.strip("\"'“”‘’")]
        while words and fold(words[0]) in _DETERMINERS:
            words = words[1:]
        if (1 <= len(words) <= MAX_SUBJECT_WORDS and words[0][:1].isupper()
                and all(_is_name_piece(w) for w in words)
                and any(w[:1].isupper() and not is_title_word(w) for w in words)):
            return _Subject("name", " ".join(words), pos + chunk.index(words[0]))
        pos += len(chunk) + 1
    return None


def _after_object_marker(text: str) -> bool:
    """Whether a name right after ``text`` is an object: ``text`` ends on an object marker,
    perhaps with a determiner and a role between (``…message to Trump:``, ``…broke
    down the image to the Dutch newspaper NRC Handelsblad:``)."""
    words = [fold(w) for w in text.split()[-MAX_OBJECT_ROLE_WORDS - 1:]]
    for n in range(len(words) - 1, -1, -1):
        if words[n] in _OBJECT_MARKERS:
            return all(w in _DETERMINERS or (w.isalpha() and w not in STOPWORDS)
                       for w in words[n + 1:])
    return False


def _previous_token(text: str, end: int) -> str:
    """``text[:end].split()[-1]`` (or ""), reading only as far back as needed."""
    width = 64
    while True:
        start = max(0, end - width)
        tokens = text[start:end].split()
        if start == 0 or len(tokens) > 1 or (tokens and text[start].isspace()):
            return tokens[-1] if tokens else ""
        width *= 4


def _next_token(text: str, start: int) -> str:
    """``text[start:].split()[0]`` (or ""), reading only as far as needed."""
    width = 64
    while True:
        end = min(len(text), start + width)
        tokens = text[start:end].split()
        if end == len(text) or len(tokens) > 1 or (tokens and text[end - 1].isspace()):
            return tokens[0] if tokens else ""
        width *= 4


def _verbs(para: str, start: int, end: int, strict: bool = False) -> list[tuple[str, int, int]]:
    """Speech verbs in ``para[start:end]`` as (verb, start, end) paragraph offsets.

    Lower case only ("United States" is no verb); an -s form after a determiner or before
    "of" is a noun ("Western claims of…", "the calls"). ``strict`` also drops any form after
    a determiner, a possessive or "of" ("the call", "Trump's claim", "secretary of state"):
    such a noun still cues a quote ("his promise of “free college”") but has no subject.
    """
    out: list[tuple[str, int, int]] = []
    for m in re.finditer(r"[A-Za-z]+", para[start:end]):
        word = m.group()
        v0, v1 = start + m.start(), start + m.end()
        nxt = [_next_token(para, v1)]
        particle = _PHRASAL_CUES.get(word)
        if particle is not None and fold(nxt[0]).rstrip(",:;.") == particle:
            out.append((word, v0, v1))  # "shot back", "put it", "went on"
            continue
        if word not in SPEECH_VERBS and not (word in _HEADLINE_VERBS and start + m.start() > 0):
            continue
        if word.startswith("continue") and not re.match(r"\s*[,:.\"“'‘]", para[v1:]):
            continue  # "Rubio will continue to be…" is no cue; "she continued, “…”" is
        before = fold(_previous_token(para, v0))
        if word.endswith("s") and (before in _DETERMINERS or fold(nxt[0]) == "of"):
            continue
        if word == "state" and before not in _BASE_VERB_SUBJECTS:
            continue  # "the Indiana state firefighters union": a noun
        if strict and (before in _DETERMINERS or before == "of"
                       or _POSSESSIVE_WORD.search(before)):
            continue
        if (word in _NOUN_LIKE_CUES and not before.endswith("s")
                and fold(_previous_token(para, v0 - len(before) - 1)) in _DETERMINERS):
            continue  # "saying in a Trumpian post on Twitter": a noun after its adjective
        out.append((word, v0, v1))
    return out


def _noun_use(para: str, at: int) -> bool:
    """Whether the speech word at ``at`` is a noun: after a possessive or a determiner
    ("Ginsburg’s comments “shows bias”", "his call for “…”"); its owner is no speaker."""
    before = _previous_token(para, at)
    return fold(before) in _DETERMINERS or bool(_POSSESSIVE_WORD.search(before.replace("’", "'")))


class SpeakerResolver:
    """Turns a subject into a canonical speaker (pronouns need the article's text).

    Keeps, per article, the text with its quoted passages blanked (names inside a quote are
    never the antecedent of the pronoun after it) and its sentence spans; the cache lives and
    dies with one :func:`extract_quotes` call.
    """

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._sentences: dict[str, tuple[str, list[tuple[int, int]]]] = {}

    def name(self, phrase: str, loose: bool = False) -> str | None:
        """The person or organisation a phrase names; ``loose`` also takes an entity of kind
        "other" (a name in subject position of a speech verb is a speaker whatever its kind)
        or a name the entity list missed (:func:`_bare_name`)."""
        topic = next((n for n, w in enumerate(phrase.split()) if n and w in _TOPIC_WORDS), 0)
        if topic and self.index.resolve(" ".join(phrase.split()[topic + 1:])) is not None:
            # "CNN President On Trump": a title-case headline's subject, then its topic, a
            # name the story knows ("Leyva Got Real About Being Called" has no such topic).
            phrase = " ".join(phrase.split()[:topic])
        words = phrase.split()
        if len(words) > 1 and is_party_noun(words[-1].strip(",.:;")):
            return None  # "a New Hampshire Democrat" describes; the caller keeps the description
        found = self.index.resolve(phrase)
        roles = [i for i, w in enumerate(words[:-1]) if _is_title_piece(_strip_dot(w))]
        if (found is None and roles and words[roles[-1] + 1][:1].isupper()
                and fold(words[roles[-1] + 1]) not in _PREPOSITIONS):  # "CNN President On Trump"
            # "Speaker of the House Rep. Paul Ryan": the name after the last role word.
            tail = " ".join(words[roles[-1] + 1:])
            found = self.index.resolve(tail)
            if found is not None or loose:
                phrase = tail
        if found is None and " of " in phrase:
            # "Senator John McCain of Arizona", "Mr. Burman of the Tax Policy Center".
            found = self.index.resolve(phrase.split(" of ")[0])
            phrase = phrase.split(" of ")[0] if found is not None or loose else phrase
        kinds = ("person", "org", "other") if loose else ("person", "org")
        if found is not None and self.index.kind(found) in kinds:
            if self.index.kind(found) == "other" and _implausible_speaker(found):
                return None
            return found
        if not loose or found is not None:
            return None
        return _bare_name(phrase)

    def _article(self, para: Paragraph) -> tuple[str, list[tuple[int, int]]]:
        if para.article_id not in self._sentences:
            masked = _QUOTED.sub(lambda m: " " * len(m.group()), para.article_text)
            self._sentences[para.article_id] = (masked, [
                (s, e) for s, e, _ in sentence_spans(masked)])
        return self._sentences[para.article_id]

    def _speakers(self, masked: str, start: int, end: int) -> list[str]:
        """Named subjects of the speech verbs of one sentence (quotes blanked), in order."""
        out: list[str] = []
        for _, v0, v1 in _verbs(masked, start, end, strict=True):
            head = masked[start:v0]
            # A quote right before the verb is blanked to spaces (text has at most two in a
            # row): "No Child Left Behind was “…,” said Gary Orfield" is inverted.
            after_quote = len(head) - len(head.rstrip()) > 2
            if _words(head, start) and not head.rstrip().endswith(",") and not after_quote:
                subj = _subject_left(masked, start, v0)
            else:  # "said Katie Harbath" / "The approach is costly, said Katie Harbath"
                subj = _subject_right(masked, v1)
                if subj is not None and _reported_subject(masked, subj):
                    # "Brian Murphy, the chairman of the county GOP, said Trump continued to
                    # hurt his cause": the name after the verb opens what was said.
                    subj = _appositive_subject(masked, start, v0)
                    if subj is not None and _POSSESSIVE_WORD.search(
                            subj.phrase.split()[0].replace("’", "'")):
                        # "Trump's attorney, Alan Garten, said Nunberg was…": the name next.
                        comma = masked.find(",", subj.at, v0)
                        subj = _appositive_subject(masked, comma + 1, v0) if comma > 0 else None
                if (subj is None or subj.kind == "pronoun") and _words(head, start) \
                        and not after_quote and not masked[v0:v1].endswith("ing"):
                    # "Darran Whiting of Liberty Baptist Church in Marion, said he had…": no
                    # name after a finite verb, so its subject is the one before the comma
                    # (a participle's is not: "Trump went after Bush, calling him…").
                    subj = _subject_left(masked, start, v0)
            if subj is not None and subj.kind == "name":
                name = self.name(subj.phrase, loose=True)
                if (name is not None and self.index.kind(name) != "org"
                        and not is_outlet(name) and not _implausible_speaker(name)
                        and name not in out):
                    out.append(name)
        return out

    def pronoun(self, word: str, para: Paragraph, at: int) -> str | None:
        """He/she → the most salient gender-compatible person of the nearest earlier sentence
        that names one (see :meth:`_salient`); a sentence whose subject is the same pronoun
        refers to the same person, so only a finite clause before that subject is searched
        (see :func:`_pronoun_subject`); plural groups never qualify."""
        key = fold(word).split("'")[0].split("’")[0]
        if key not in {"he", "she"}:
            return None
        masked, sentences = self._article(para)
        pos = para.offset + at
        allowed = ("f", None) if key == "she" else ("m", None)
        looked = 0
        verb = _next_token(masked, pos + len(word)).rstrip(".,;:")
        for start, end in reversed(sentences):
            if start >= pos:
                continue
            stop = min(end, pos)
            if (end > pos and masked[start:pos].rstrip().endswith(",")
                    and fold(verb) in SPEECH_VERBS
                    and re.match(r"\s*[A-Za-z]+\s*\.", masked[pos + len(word):end])
                    and not _verbs(masked, start, pos, strict=True)):
                # "Also, Trump isn't a conservative, he said.": a pronoun that attributes the
                # clause before it is not a name inside that clause, so its own sentence offers
                # no antecedent.
                continue
            subject, clause = _pronoun_subject(masked, start, min(end, pos + len(word)))
            if subject is not None and subject[0] == key and subject[1] <= pos:
                # "She's a Sanders supporter but says most of her peers love the Clintons.
                # “…,” she said." / "Asked who leads the party, he said Ryan.": the same
                # pronoun is that sentence's subject, so it names the same person; only a
                # finite clause before it may name them ("If Clinton's wobbly on trade, she's
                # Obama's equal"), not a participle or prepositional one ("Asked about her
                # vote in the event that Clinton faces Trump, she replied"). Else look back.
                if clause is None:
                    continue
                stop = clause
            again = _same_pronoun(masked, key, start, stop)
            if again is None and not self._speakers(masked, start, stop):
                # With no speaker in the sentence, any earlier use of the same pronoun
                # carries its referent on past the names after it.
                again = _any_same_pronoun(masked, key, start, stop)
            if again is not None:
                # "…, and she doesn't think Clinton can address the issues": a name after the
                # same pronoun in its own sentence is not what the pronoun stands for (the
                # pronoun carries the referent on), so only names before it may be.
                stop = again
            ranked = self._salient(masked, start, stop, allowed)
            if ranked is None:
                continue
            if ranked:
                return ranked
            looked += 1
            if looked >= PRONOUN_SENTENCES:
                break
        return None

    def _salient(self, masked: str, start: int, stop: int,
                 allowed: tuple[str | None, ...]) -> str | None:
        """The antecedent a sentence offers, or ``""`` when it names people of which none
        fits, or ``None`` when it names nobody. Salience, most first: the named subject of a
        speech verb (a speaker the entity list missed still counts), then a person the
        sentence names outside a prepositional phrase ("in a Caesar's Palace ballroom",
        "with Sean Hannity"), in order (the subject, not the last name: "Harvey, who backed
        Cruz… he said"); a gender the story states beats an unknown one at equal salience."""
        speakers = self._speakers(masked, start, stop)
        people = [(at, n) for at, n in self.index.mentions(masked[start:stop])
                  if self.index.kind(n) in ("person", None) and not _implausible_speaker(n)]
        if not speakers and not people:
            return None
        main = _main_subject(masked, start, stop)
        lead: list[str] = []
        if main is not None:
            # Names of a leading clause, speakers included, come after the main clause's
            # subject ("Asked whether he was concerned that Donald Trump, who has called global
            # warming a hoax, could win, Ban demurred. “…,” he said").
            people = ([p for p in people if start + p[0] >= main]
                      + [p for p in people if start + p[0] < main])
            kept = self._speakers(masked, main, stop)
            lead = [n for n in speakers if n not in kept]
            speakers = kept
        ranked: list[tuple[int, int, int, str]] = []
        for order, name in enumerate(speakers):
            ranked.append((0, 0, order, name))
        for order, name in enumerate(lead):
            ranked.append((1, 0, len(people) + order, name))
        for order, (at, name) in enumerate(people):
            before = masked[max(start, start + at - 40):start + at].split()
            # Inside a prepositional phrase, or after an article ("the Boeing was…").
            demoted = bool(before) and fold(before[-1]) in _PREPOSITIONS | {"the", "a", "an"}
            if not demoted:
                ranked.append((1, 0, order, name))
        best: tuple[int, int, int, str] | None = None
        for tier, _, order, name in ranked:
            gender = self.index.gender(name)
            if gender not in allowed or _plural_group(name):
                continue
            item = (tier, order, 0, name)
            if best is None or item < best:
                best = item
        return best[3] if best is not None else ""

    def subject(self, subject: _Subject | None, para: Paragraph) -> str | None:
        if subject is None:
            return None
        if subject.kind == "possessed":
            owner, noun = subject.phrase.split(" ", 1)
            bare = re.sub(r"['’]s?$", "", owner)
            named = self.name(bare, loose=True)
            return f"{named}’s {noun}" if named is not None else None
        if subject.kind == "pronoun":
            return self.pronoun(subject.phrase, para, subject.at)
        if fold(subject.phrase) in _NOT_SPEAKERS:
            return None
        if subject.kind == "name" and is_outlet(subject.phrase):
            # The outlet is the grammatical subject of a speech verb ("CNN reported",
            # "Breitbart responded:"); a credit ("according to Bloomberg") never gets here.
            return re.sub(r"^[Tt]he\s+", "", subject.phrase.strip(" ,.:;"))
        return self.name(subject.phrase, loose=subject.kind == "name")


def _plural_group(name: str) -> bool:
    """A name ending in a plural group noun ("Senate Republicans", "Girl Scouts", "Officials")
    names many people: never the antecedent of "he" or "she"."""
    last = fold(name.split()[-1]).strip(".,")
    return last.endswith("s") and (last in _GROUP_NOUNS or last in _SOURCE_NOUNS
                                   or is_party_noun(last) or last in {"scouts"})


def _same_pronoun(masked: str, key: str, start: int, stop: int) -> int | None:
    """Offset of the first ``key`` ("he"/"she") that is the subject of a speech verb inside
    the sentence ``masked[start:stop]`` (quotes blanked), or ``None``: "…, he noted, so…"."""
    for _, v0, _ in _verbs(masked, start, stop, strict=True):
        before = _previous_token(masked, v0)
        if fold(before) == key:
            at = masked.rfind(before, start, v0)
            if at > start:
                return at
    return None


def _any_same_pronoun(masked: str, key: str, start: int, stop: int) -> int | None:
    """Offset of the first ``key`` ("he"/"she") in ``masked[start:stop]`` after the
    sentence's first word, or ``None``: "The Sanders campaign was the first time she had been
    involved, and she doesn't think Clinton can…" carries an earlier referent on."""
    for m in re.finditer(rf"\b{key}\b", masked[start:stop], re.IGNORECASE):
        if m.start() > 0:
            return start + m.start()
    return None


def _pronoun_subject(masked: str, start: int, stop: int) -> tuple[tuple[str, int] | None,
                                                                   int | None]:
    """The pronoun subject of the sentence ``masked[start:stop]`` (quotes blanked), folded,
    with its offset: it opens the sentence after openers and a leading clause ("On Friday, he
    joined…", "Asked about it, she replied"); and where a finite leading clause ends ("If
    Clinton's wobbly on trade, she…"), unless the same pronoun is that clause's subject."""
    words = _words(masked[start:stop], start)
    while len(words) > 1 and fold(words[0][0]) in _OPENERS and fold(
            words[1][0]) in _CLAUSE_OPENERS:
        words = words[1:]  # "But when he took the stage, he said"
    clause: int | None = None
    clause_subject = ""
    if words and fold(words[0][0]) in _CLAUSE_OPENERS:
        # A participle or a conjunction clause ends at the first comma a pronoun follows
        # ("Asked about her vote in the event that Clinton faces Trump, who has insulted
        # women, she replied"); a prepositional phrase at the first comma ("In Louisville on
        # March 1, Ms. Nwanguma was shocked…, she said").
        commas = [n for n, (w, _) in enumerate(words[:MAX_CLAUSE_WORDS]) if w == ","]
        after = [n for n in commas if n + 1 < len(words) and is_pronoun(words[n + 1][0])
                 and fold(words[0][0]) not in _PREPOSITIONS]
        comma = (after or commas or [-1])[0]
        if comma > 1 and fold(words[0][0]) in _SUBORDINATORS:
            clause, clause_subject = words[comma][1], fold(words[1][0])
        if comma >= 0:
            words = words[comma + 1:]
    while words and (fold(words[0][0]) in _OPENERS or words[0][0] in {",", ":", ";"}):
        words = words[1:]
    if not words or not is_pronoun(words[0][0]):
        return None, None
    key = re.split(r"['’]", fold(words[0][0]))[0]
    if re.split(r"['’]", clause_subject)[0] == key:
        clause = None  # "When he took the stage after Mr. Vander Plaats's introduction, he…"
    return (key, words[0][1]), clause


def _main_subject(masked: str, start: int, stop: int) -> int | None:
    """Where the subject of the main clause starts when the sentence ``masked[start:stop]``
    opens with a leading clause ("Although … Hillary Clinton’s email scandal, Attorney General
    Loretta Lynch took…"): the first capitalised run after a comma of the first
    :data:`MAX_LEADING_CLAUSE_WORDS` words that a lower-case word (its verb) follows; commas
    before an article, a relative pronoun or a verb ("Donald Trump, the nominee, who has…,
    could be") open asides, not the main clause."""
    words = _words(masked[start:stop], start)
    while words and fold(words[0][0]) in _OPENERS and fold(words[0][0]) not in _CLAUSE_OPENERS:
        words = words[1:]
    if not words or fold(words[0][0]) not in _CLAUSE_OPENERS:
        return None
    for n, (word, _) in enumerate(words[:MAX_LEADING_CLAUSE_WORDS]):
        if word != ",":
            continue
        run = n + 1
        while run < len(words) and words[run][0][:1].isupper() and words[run][0] not in {
                ",", ":", ";"}:
            run += 1
        if run > n + 1 and run < len(words) and words[run][0][:1].islower() and not is_pronoun(
                words[n + 1][0]) and fold(words[run][0]) not in _PREPOSITIONS | {"and", "or"} \
                and not _POSSESSIVE_WORD.search(words[run - 1][0].replace("’", "'")):
            return words[n + 1][1]
    return None


def _bare_name(phrase: str) -> str | None:
    """A subject the story's entity list missed, as written, when it is shaped like a name:
    one to :data:`MAX_BARE_NAME_WORDS` capitalised words after any title, none of them a
    place, a demonym, a pronoun, an outlet or an all-caps headline word."""
    words = [_strip_dot(w.strip(",:;")) for w in phrase.split()]
    titles = [i for i, w in enumerate(words[:-1]) if _is_title_piece(w)]
    if titles:
        # "United Auto Workers Secretary-Treasurer Gary Casteel": the name after the title.
        words = words[titles[-1] + 1:]
    while words and (is_title_word(words[0]) or fold(words[0]) in _DETERMINERS
                     or words[0].islower()  # a role: "consultant Phil Musser"
                     or fold(words[0]) in _OPENERS or fold(words[0]) in _NOT_NAME_OPENERS
                     or _not_name_word(words[0], len(words))):
        words = words[1:]  # "Appearing on CBS…", "Given Sanders…", "Hastily…"
    words = [w for w in words if not _PARTY_TAG.fullmatch(w)]  # "Dianne Feinstein (D-Calif.)"
    firsts = [n for n, w in enumerate(words) if is_first_name(w) and 2 <= len(words) - n <= 3]
    if len(words) > MAX_BARE_NAME_WORDS and firsts:
        # "New York City Public Advocate Trish James": a role the title list lacks, then a
        # known first name opening the person's name.
        words = words[firsts[0]:]
    if not 1 <= len(words) <= MAX_BARE_NAME_WORDS:
        return None
    if len(words) == 1 and (fold(words[0]) in _GROUP_NOUNS or fold(words[0]) in STOPWORDS
                            or _NOT_SINGLE_NAME.match(words[0])):
        return None
    name = " ".join(words)
    if _implausible_speaker(name):
        return None
    # After a first name, a title word or a demonym is a surname ("David French").
    surname = len(words) >= 2 and is_first_name(words[0]) and words[-1][:1].isupper()
    if is_outlet(name) or any(not w[:1].isupper() or (is_title_word(w) and not (
            surname and n == len(words) - 1)) or is_pronoun(w)
                              or (w.endswith("s") and is_title_word(w[:-1]))  # "Americans"
                              or (w.isupper() and len(w) > 3) for n, w in enumerate(words)):
        return None
    return name


def _implausible_speaker(name: str) -> bool:
    """A capitalised run that names a date, a number, a street or a landmark, or that opens
    with a common adjective: a speaker only by a misreading ("March", "Six", "Harnet Avenue",
    "Andrean High School", "Given Sanders"; all seen as speakers in PolNeAR train)."""
    words = [fold(w).strip(".,") for w in name.split()]
    if len(words) == 1 and (name.rstrip(".") in _STATE_ABBREVIATIONS or (
            is_party_noun(words[0]) and not words[0].endswith("s"))):
        return True  # "…of Ashton, Md., who watched…, said"; "11% of Democratic claims"
    return bool(words) and (
        any(piece in _NOT_SPEAKER_WORDS for w in words for piece in w.split("-"))
        or words[-1] in _PLACE_HEADS
        or words[0] in _COMMON_OPENERS)


def _not_name_word(word: str, n_words: int) -> bool:
    """A capitalised word opening a subject that is no name: a participle or an adverb before
    the name ("Appearing on CBS, the…"), a contraction ("There's", "Don't")."""
    base = re.sub(r"['’](?:s|t)$", "", word)
    if base != word:
        return fold(base) in STOPWORDS or base.endswith("n")
    return n_words > 1 and bool(_NOT_NAME_WORD.match(word))


def _is_title_piece(word: str) -> bool:
    """A role word ending a title, whole or hyphenated ("Secretary-Treasurer", "co-chair")."""
    return any(is_role_word(part) for part in word.split("-") if part)


def _opening_subject(para: str, sent_start: int, end: int, res: SpeakerResolver, p: Paragraph,
                     loose: bool) -> str | None:
    """The name-shaped run (or resolved pronoun) opening a sentence, before ``end``; ``loose``
    accepts a name the entity list does not know."""
    # Quoted words are never the subject (``"Savage," she said, meaning…``).
    words = _words(_QUOTED.sub(lambda m: " " * len(m.group()), para[sent_start:end]),
                   sent_start)
    while len(words) > 1 and fold(words[0][0]) in _OPENERS and fold(
            words[1][0]) in _CLAUSE_OPENERS:
        words = words[1:]  # "Ever since she endorsed Mrs. Clinton, Ms. Warren…"
    if (len(words) > 1 and _LY_ADVERB.fullmatch(words[0][0])
            and (words[1][0] == "," or fold(words[1][0]) in _CLAUSE_OPENERS)
            and res.index.resolve(words[0][0]) is None):
        # "Immediately after the attacks, Trump issued a statement:" (not "Kelly, a…": a
        # name the story knows stays).
        words = words[1 + (words[1][0] == ","):]
    if words and fold(words[0][0]) in _CLAUSE_OPENERS and "," in (
            w for w, _ in words[:MAX_OPENING_CLAUSE_WORDS]):
        # "When asked whom she supported, Ms. Sherry smiled and said": the subject follows
        # the opening clause; unless nothing follows it ("As the columnist Louella Parsons
        # had written just a few years earlier, ''…''").
        rest = words[[w for w, _ in words].index(",") + 1:]
        words = rest if rest else words
    while words and (fold(words[0][0]) in _OPENERS or words[0][0] in {",", ":", ";"}):
        words = words[1:]
    if not words:
        return None
    if is_pronoun(words[0][0]):
        return res.pronoun(words[0][0], p, words[0][1])
    set_off = _name_set_off([w for w, _ in words])
    if set_off:
        words = words[set_off:]
    run: list[str] = []
    for word, _ in words:
        if word in {",", ":", ";"} or not _is_name_piece(word) or len(run) >= MAX_SUBJECT_WORDS:
            break
        run.append(word)
    titles_only = all(is_title_word(w) or is_party_noun(w) for w in run)
    named = _name_after_lower_role([w for w, _ in words[len(run):]]) if (
        len(run) <= 1 or titles_only) else []
    if named:
        # "Republican presidential nominee Donald Trump issued…": not "Republican"; "Former
        # Republican presidential candidate Jeb Bush broke down…": not "Former Republican".
        run = named
    if loose and run:
        outlet = re.sub(r"^[Tt]he\s+", "", " ".join(run))
        if is_outlet(outlet):
            # The sentence of a speech verb opens with an outlet: it is the speaker as in
            # "CNN reported" (``The New York Times confirmed that observation, reporting:``).
            return outlet
    found = res.name(" ".join(run), loose=loose) if run else None
    for n in range(len(run) - 1, 0, -1):
        if found is not None:
            break
        # A title-case headline runs the subject into its verb: "Trump Addresses Munich
        # Attack: ‘This Cannot Continue.’" → the longest known opening.
        found = res.name(" ".join(run[:n]))
    return found


def _name_set_off(toks: Sequence[str]) -> int:
    """Where a name set off by commas after a lower-case description opening the sentence
    starts ("The editor I was talking to, Tim Grieve, interrupted…", "One early supporter,
    Representative Lee Zeldin, Republican of New York, gave…"), or 0."""
    head = toks[:MAX_DESCRIPTION_WORDS + 1]
    if "," not in head or fold(toks[0]) not in _DETERMINERS | {"one"}:
        return 0
    comma = head.index(",")
    if comma < 2 or not all(w.islower() or w == "I" for w in toks[1:comma]):
        return 0
    chunk = toks[comma + 1:]
    chunk = chunk[:chunk.index(",")] if "," in chunk else []
    named = [w for w in chunk if w[:1].isupper() and not is_title_word(w)]
    if len(named) >= 2 and len(chunk) <= MAX_BARE_NAME_WORDS + 1 and all(
            _is_name_piece(w) for w in chunk):
        return comma + 1
    return 0


def _headline_subject(para: str, sent_start: int, quote_at: int,
                      res: SpeakerResolver) -> str | None:
    """The subject of a title-case headline (an article's first paragraph) before a quote in
    it: the longest opening of its capitalised run, up to a colon or a comma, that the entity
    list knows as a person or an organisation whose name holds the run's first word (``Carly
    Fiorina Endorses Ted Cruz: I Am ‘Horrified’…`` → Carly Fiorina, ``CNN President On
    Trump: ‘…’`` → CNN); ``None`` when the text before the quote is not title case or opens
    with no known name."""
    head = para[sent_start:quote_at]
    if len(head.split()) < MIN_HEADLINE_WORDS or not _title_case(head):
        return None
    run: list[str] = []
    for word in re.split(r"\s+", re.split(r"[:,;]", head)[0].strip()):
        if not _is_name_piece(word) or len(run) >= MAX_SUBJECT_WORDS:
            break
        run.append(word)
    while run and fold(run[0]) in _OPENERS:
        run.pop(0)
    for n in range(len(run), 0, -1):
        found = res.name(" ".join(run[:n]))
        # The name must open the run: "Francois Hollande Says Donald Trump" resolves to its
        # last name, the object.
        if found is not None and fold(run[0]) in {fold(w) for w in found.split()}:
            return found
    return None


def _name_after_lower_role(words: Sequence[str]) -> list[str]:
    """The name after a lower-case role that goes on a sentence's opening word ("[Republican]
    presidential front-runner Donald Trump", "conservative commentator Jonah Goldberg"): up to
    :data:`MAX_ROLE_WORDS` lower-case words, no stop word among them, ending on a title or a
    source noun, then two or more capitalised words; else nothing."""
    n = 0
    while n < min(len(words), MAX_ROLE_WORDS) and words[n].islower() and words[n].replace(
            "-", "").isalpha() and words[n] not in STOPWORDS:
        n += 1  # no article or preposition: "knocked a statement by actor George Clooney"
    if not n or not (is_role_word(words[n - 1]) or fold(words[n - 1]) in _SOURCE_NOUNS
                     or fold(words[n - 1]) in {"front-runner", "nominee", "hopeful"}):
        return []
    run: list[str] = []
    for word in words[n:]:
        if word in {",", ":", ";"} or not word[:1].isupper() or len(run) >= MAX_SUBJECT_WORDS:
            break
        run.append(word)
    return run if len(run) >= 2 else []


def _sentence_subject(para: str, sent_start: int, verb_at: int, res: SpeakerResolver,
                      p: Paragraph) -> str | None:
    """The subject opening the sentence of a speech verb whose own left context names nobody:
    ``Carson did not mention…, but told his supporters, "…"`` → Carson."""
    return _opening_subject(para, sent_start, verb_at, res, p, loose=True)


def _sentence_bounds(para: str, spans: Sequence[MarkedSpan]) -> list[int]:
    """Sentence starts of a paragraph, none inside a quote, and none between a quote ending in
    "?"/"!"/"." and the short attribution sentence that follows it (``“…?” Sanders replied.``)."""
    starts = sorted({0, *(s for s, _, _ in sentence_spans(para)
                          if not any(sp.outer_start < s < sp.outer_end for sp in spans)),
                     # a space missing after the quote: ``…I love Hispanics!”Former…``
                     *(sp.outer_end for sp in spans if sp.closed and para[
                         sp.end - 1:sp.end] in {".", "!", "?"} and para[
                         sp.outer_end:sp.outer_end + 1].isupper())})
    ends = {sp.outer_end for sp in spans}
    kept: list[int] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(para)
        if (start and para[:start].rstrip() and len(para[:start].rstrip()) in ends
                and _is_attribution(para, start, stop, spans)):
            continue
        kept.append(start)
    return kept


def _is_attribution(para: str, start: int, stop: int, spans: Sequence[MarkedSpan]) -> bool:
    """Whether ``para[start:stop]`` is a bare attribution sentence: no quote of its own, and a
    speech verb preceded only by a name, a title or a pronoun (or by nothing); a quote later in
    the sentence ends it when a sentence break before it went unseen (``''Can we win?'' Mr.
    Manafort asked. ''I don't know.''``: no break is seen before a doubled apostrophe)."""
    own = [sp for sp in spans if start <= sp.outer_start < stop]
    if own and own[0].outer_start > start and para[:own[0].outer_start].rstrip().endswith(
            (".", "!", "?")):
        stop = own[0].outer_start
        own = []
    verbs = _verbs(para, start, stop, strict=True)
    if not verbs:
        return False
    # A quote of its own disqualifies the sentence, unless the verb closes the attribution
    # before it: "“…?” Clinton remarked, alluding to “The Revenant.”" (not "Sanders called
    # Trump a “pathological liar.”").
    # After a question or an exclamation the attribution may run on without a comma when the
    # later quote has a cue of its own: "“…Three?” Clinton asks as a guy walks in, saying he’s
    # “…”" (not "“…?” Mills then writes back, “…”").
    asked = para[:start].rstrip(" \"”’'").endswith(("?", "!")) and bool(own) and any(
        v0 < own[0].outer_start for _, v0, _ in verbs[1:])
    if own and (own[0].outer_start < verbs[0][1]
                or not (re.match(r"\s*[,.]", para[verbs[0][2]:]) or asked)
                or not _words(para[verbs[0][2]:own[0].outer_start], verbs[0][2])[1:]):
        return False  # ("Mrs. Clinton replied, “…”" introduces its own quote)
    tail = [w for w, _ in _words(para[verbs[0][2]:stop], verbs[0][2]) if w != ","]
    # The attribution may run on when its verb is closed by a comma ("Clinton remarked, …") or
    # when the quote before ends a question or an exclamation ("…who knows?” Trump told
    # Britain’s ITV television station in an interview aired on Monday…"); after a statement
    # a long sentence says something of its own ("…control.'' Bloomberg says its reporting…").
    closed = re.match(r"\s*[,.]", para[verbs[0][2]:]) is not None or para[:start].rstrip(
        " \"”’'").endswith(("?", "!"))
    if (len(tail) > MAX_ATTRIBUTION_TAIL and not closed) or "that" in (fold(w) for w in tail[:3]):
        return False  # a sentence of its own: "Josh Hendler… warned Saturday that the DNC…"
    head = [w for w, _ in _words(para[start:verbs[0][1]], start) if w != ","]
    if head and fold(head[0]) in {"and", "but"}:
        return False  # "“…doing.” And Sen. Rob Portman… said he hadn’t…": a new statement
    return (len(head) <= MAX_SUBJECT_WORDS and all(
        _is_name_piece(w) or is_pronoun(w) or fold(w) in _ADVERBS for w in head)) or (
        _appositive_subject(para, start, verbs[0][1]) is not None)


def _title_case(text: str) -> bool:
    """Whether every word of ``text`` is capitalised, as in a title-case headline ("Wisconsin
    Elects A Justice Who Once Mocked ‘Queers’"): there a capitalised speech verb is a verb,
    elsewhere it is a name ("told The Huffington Post:")."""
    return all(w[:1].isupper() or not w[:1].isalpha() for w in text.split())


def _is_inner(para: str, span: MarkedSpan, sent_end: int) -> bool:
    """A short closed quote (a name, a slogan) inside a sentence that goes on after it: it may
    sit inside the attribution of the quote before it."""
    return (span.closed and span.outer_end < sent_end
            and len(para[span.start:span.end].split()) <= MAX_INNER_QUOTE_WORDS
            and not para[span.start:span.end].rstrip().endswith((".", "!", "?", ",")))


def _participle_subject(para: str, sent_start: int, verb_at: int, res: SpeakerResolver,
                        p: Paragraph) -> str | None:
    """The subject of a participle cue: the subject of a finite speech verb earlier in the
    sentence (``Mr. Manafort said, adding that…``); after a comma or a temporal preposition
    the sentence subject (``X hedged…, saying "…"``, ``X drew boos upon saying``), skipping
    names inside prepositional phrases; otherwise the nearest name (``criticism for
    saying``)."""
    masked = _QUOTED.sub(lambda m: " " * len(m.group()), para)
    lead = _ADVERB_TAIL.sub("", masked[sent_start:verb_at])
    absolute = _ABSOLUTE_WITH.search(lead)
    if absolute is not None and all(_is_name_piece(w) for w in absolute.group(1).split()):
        # "…punched a protester, with Trump reportedly yelling: “…”": in an absolute clause
        # the name after "with" is the participle's own subject.
        found = res.subject(_subject_left(masked, sent_start + absolute.start(1),
                                          sent_start + absolute.end(1)), p)
        if found is not None:
            return found
    helper = re.search(r"\b([a-z]+)\s+$", masked[sent_start:verb_at])
    if helper is not None and fold(helper.group(1)) in _PARTICIPLE_HELPERS:
        # "Sen. Ron Johnson (R-Wis.) kept asking her…": the helper's subject, not that of
        # a speech verb earlier in the sentence.
        found = res.subject(_subject_left(masked, sent_start, sent_start + helper.start(1)), p)
        if found is not None:
            return found
    for verb, v0, _ in reversed(_verbs(masked, sent_start, verb_at, strict=True)):
        if verb.endswith(("ed", "s")) or fold(verb) in _IRREGULAR_PAST:
            found = res.subject(_subject_left(masked, sent_start, v0), p)
            if found is not None:
                return found
            break
    head = masked[sent_start:verb_at]
    # Adverbs between the comma and the participle change nothing ("…this month, recently
    # telling one person close to her that…").
    lead = _ADVERB_TAIL.sub("", para[sent_start:verb_at])
    before = lead.split()[-1:] or [""]
    comma = lead.rstrip().rstrip("\"”’'").rstrip().endswith(",")
    mentions = res.index.mentions(head)
    first_word = _words(head, sent_start)
    if comma or fold(before[0]) in _TEMPORAL or fold(before[0]) in {"but", "and", "while"}:
        opening = _opening_subject(para, sent_start, verb_at, res, p, loose=False) if (
            first_word and fold(first_word[0][0]) in _CLAUSE_OPENERS) else None
        if opening is not None:
            # "On Friday, he joined other Republicans in pouncing…, saying in a post: …":
            # the subject after the leading clause (only after one: taking the opening
            # subject first everywhere cost a PolNeAR train validation quote).
            return opening
        if first_word and is_pronoun(first_word[0][0]) and fold(
                re.split(r"['’]", first_word[0][0])[0]) not in {"i", "we", "you"}:
            return res.pronoun(first_word[0][0], p, first_word[0][1])
        described = _description([w for w, _ in first_word[:MAX_DESCRIPTION_WORDS]])
        if described is not None:
            # "One operative inside Trump Tower tried to downplay Ryan’s comments, saying…":
            # an unnamed subject, not the name in its predicate.
            return described
        free = [n for at, n in mentions
                if fold((head[:at].split() or [""])[-1]) not in _PREPOSITIONS]
        if free:
            return free[0]
        # ``The Republican candidate appeared to assert his plans by saying, "…"``: the
        # sentence's subject, a role as written when it names no one.
        return _sentence_subject(para, sent_start, verb_at, res, p) or _description(
            [w for w, _ in first_word[:MAX_DESCRIPTION_WORDS]], _THE_DESCRIPTION_OPENERS)
    return mentions[-1][1] if mentions else None


def attribute_spans(p: Paragraph, spans: Sequence[MarkedSpan],
                    res: SpeakerResolver) -> list[tuple[str | None, bool]]:
    """Cascade step 2: (speaker, explicit) per span; explicit = found by rules a–e."""
    para = p.text
    bounds = _sentence_bounds(para, spans)
    claimed: set[int] = set()
    found: list[str | None] = [None] * len(spans)
    explicit = [False] * len(spans)

    def sentence_of(pos: int) -> tuple[int, int]:
        start = max(b for b in bounds if b <= pos)
        later = [b for b in bounds if b > pos]
        return start, (later[0] if later else len(para))

    def same_sentence_speaker(k: int) -> str | None:
        """The speaker of the previous quote when it opens the same sentence: ``Trump told
        Newsmax that "…", adding, "…"`` — the participle shares the main verb's subject."""
        if k == 0 or found[k - 1] is None:
            return None
        cue = re.search(r"(\S+)\s+[a-z]+ing\b[^\"“”]*$", para[:spans[k].outer_start])
        if cue is not None and cue.group(1)[:1].isupper():
            return None  # "Ryan saying he was “…” and Trump calling it a “…”"
        return found[k - 1] if sentence_of(spans[k - 1].outer_start)[0] == sentence_of(
            spans[k].outer_start)[0] else None

    # a/b: adjacent patterns (they claim their verb so fallbacks skip it)
    inner: set[int] = set()  # short quotes inside another quote's attribution
    # The article's first paragraph (only space before it) is its headline when title case.
    leading = _LEADING_SPACE.match(p.article_text)
    headline = leading is not None and leading.end() == p.offset
    for k, span in enumerate(spans):
        if k in inner:
            continue
        s_start, s_end = sentence_of(span.outer_start)
        nxt = spans[k + 1].outer_start if k + 1 < len(spans) else len(para)
        after_end = min(nxt, max(s_end, span.outer_end))
        after = _verbs(para, span.outer_end, after_end, strict=True)
        if not after and k + 1 < len(spans) and _is_inner(para, spans[k + 1], s_end):
            # ``"…," Texas delegate Bill Eastland, wearing "Ted Cruz" pins, said``: the verb
            # after the short inner quote is the attribution of the quote before it.
            later = spans[k + 2].outer_start if k + 2 < len(spans) else len(para)
            after = _verbs(para, spans[k + 1].outer_end, min(later, s_end), strict=True)
            if after:
                inner.add(k + 1)
        cue_before = re.search(r"\b([A-Za-z]+)\s*[,:]?\s*$", para[s_start:span.outer_start])
        if after and cue_before and cue_before.group(1) in SPEECH_VERBS and _words(
                para[span.outer_end:after[0][1]], span.outer_end):
            # ``what Mr. Hedge called ''…,'' the Marsh Landing Country Club, a private
            # course…``: the verb just before the quote is its cue (rule b), not a verb far
            # after it.
            after = []
        if after:
            verb, v0, v1 = after[0]
            gap = _words(para[span.outer_end:v0], span.outer_end)
            # Commas and stray marks (the third apostrophe of ``them,'''``) are no words.
            gap = [g for g in gap if any(c.isalnum() for c in g[0])]
            participle = not gap and verb.endswith("ing")
            if participle:
                # ``"…," adding that Trump…``: a participle has no inverted subject; its
                # subject is the sentence's (rules b/c).
                subj = None
            elif not gap:
                subj = _subject_right(para, v1)
                if (subj is not None and span.outer_start > s_start
                        and _reported_subject(para, subj, roles=True)):
                    # ``Mr. Manafort, citing ''…,'' said the candidate could be…``: what
                    # follows the verb is what was said; the sentence's subject speaks.
                    claimed.add(v0)
                    found[k] = _sentence_subject(para, s_start, span.outer_start, res, p)
                    explicit[k] = found[k] is not None
                    continue
            elif len(gap) <= MAX_SUBJECT_WORDS and all(_is_name_piece(w) or is_pronoun(w)
                                                       or fold(w) in _ADVERBS for w, _ in gap):
                subj = _subject_left(para, span.outer_end, v0)
            else:
                subj = None
            if subj is None and gap:
                subj = _appositive_subject(para, span.outer_end, v0)
            if subj is None and gap and para[:v0].rstrip().endswith(","):
                # ``"…," like the recent volatility of markets, said Richard Curtin``.
                right = _subject_right(para, v1)
                subj = right if right is not None and right.kind == "name" else None
            # (nor is what follows a participle its subject: ``…,” promising the Friends of
            # Abe will return``)
            desc = None if subj is not None or participle else _description_near(
                para, span.outer_end, v0, v1, not gap, _THE_DESCRIPTION_OPENERS)
            if desc is not None:  # ``"…," said one Trump confidant`` / ``"…," an aide said``
                claimed.add(v0)
                found[k], explicit[k] = desc, True
                continue
            if subj is not None:
                claimed.add(v0)
                found[k] = res.subject(subj, p)
                if found[k] is None and subj.kind != "pronoun":
                    # A role the story does not tie to one name: the role as written
                    # (``"…," the Republican presidential candidate told CBS``).
                    found[k] = _description_near(para, span.outer_end, v0, v1, not gap,
                                                 _THE_DESCRIPTION_OPENERS)
                explicit[k] = found[k] is not None
                continue
        if headline and (lead_name := _headline_subject(para, s_start, span.outer_start,
                                                           res)) is not None:
            # A title-case headline names its subject first; a name after the verb is its
            # object: ``Donald Trump Praises … Matthew Boyle: ‘Very Good Reporter.’``.
            found[k], explicit[k] = lead_name, True
            continue
        prev_end = spans[k - 1].outer_end if k else 0
        before_start = max(s_start, prev_end)
        before = para[before_start:span.outer_start]
        # (an infinitive is no place or audience: "Rubio will continue to be “…”")
        adj = re.search(r"([A-Za-z]+)(?:\s+(?:on|in|to|at|via|during)\s+(?!be\b)"
                        r"[^,:\"“”]{1,30}?)?"
                        r"\s*[,:]?\s*$", before)
        phrasal = re.search(r"\b([a-z]+)\s+([a-z]+)\s*,?\s*$", before)
        if phrasal and _PHRASAL_CUES.get(phrasal.group(1)) == phrasal.group(2):
            # "As Akhil Amar, professor of law at Yale, put it, ''…''": the verb of a
            # phrasal cue is the cue.
            v0 = before_start + phrasal.start(1)
            claimed.add(v0)
            as_clause = re.match(r"\s*As\s+", para[s_start:v0])
            found[k] = res.subject(_subject_left(para, before_start, v0), p) or (
                res.subject(_subject_right(para, s_start + as_clause.end()), p) if as_clause
                else _sentence_subject(para, s_start, v0, res, p))
            explicit[k] = found[k] is not None
        elif adj and (adj.group(1) in SPEECH_VERBS or (
                adj.group(1).lower() in SPEECH_VERBS and _title_case(
                    para[s_start:before_start + adj.start(1)]))) and not _noun_use(
                para, before_start + adj.start(1)):
            v0 = before_start + adj.start(1)
            claimed.add(v0)
            if adj.group(1).lower().endswith("ing"):
                found[k] = same_sentence_speaker(k) or \
                    _participle_subject(para, s_start, v0, res, p)
            else:
                found[k] = res.subject(_subject_left(para, before_start, v0), p) or \
                    _description_near(para, before_start, v0, v0, after_quote=False) or \
                    _role_subject(para, before_start, v0) or \
                    _sentence_subject(para, s_start, v0, res, p)
            explicit[k] = found[k] is not None
        elif (inverted := _INVERTED_CUE.search(before)) is not None and inverted.group(
                1) in SPEECH_VERBS and not inverted.group(1).endswith("ing") and fold(
                inverted.group(1)) not in _OBJECT_VERBS and (not _words(
                before[:inverted.start(1)], 0) or before[:inverted.start(1)].rstrip().endswith(
                ",")) and not is_outlet(inverted.group(0)[len(inverted.group(1)):].strip(" ,")):
            # b: an inverted cue set off by commas before the quote (``The plan failed,
            # explained Rosenberg, "…"`` / ``But, said Solovey, "…"``); a verb whose object
            # follows it is none (``Dever, who was listed…, told POLITICO, "…"``).
            v1 = before_start + inverted.end(1)
            claimed.add(before_start + inverted.start(1))
            found[k] = res.subject(_subject_right(para, v1), p)
            explicit[k] = found[k] is not None
        elif before.rstrip().endswith(":"):
            # b': a colon cue without a verb: ``Michael McDonald: "…"`` / ``More from Jones: "…"``.
            colon = before_start + len(before.rstrip()) - 1
            cue = _verbs(para, before_start, colon)
            if cue:  # ``Schilling told WEEI: "…"``: the subject of the verb, not its object.
                v0 = cue[-1][1]
                found[k] = res.subject(_subject_left(para, before_start, v0), p) or \
                    _sentence_subject(para, s_start, v0, res, p)
            else:
                lead = _subject_left(para, before_start, colon)
                if lead is not None and _after_object_marker(para[before_start:lead.at]):
                    lead = None  # "delivered a blunt message to Trump:": not the speaker
                found[k] = res.subject(lead, p) or \
                    _sentence_subject(para, s_start, colon, res, p)
            explicit[k] = found[k] is not None
    # c/d/e: sentence-level fallbacks
    for k, span in enumerate(spans):
        if found[k] is not None:
            continue
        s_start, s_end = sentence_of(span.outer_start)
        prev_end = spans[k - 1].outer_end if k else 0
        before_start = max(s_start, prev_end)
        candidates = [v for v in _verbs(para, before_start, span.outer_start)
                      if v[1] not in claimed]
        verbs = [v for v in _verbs(para, before_start, span.outer_start, strict=True)
                 if v[1] not in claimed]
        # Verbs first, nearest first; a speech noun ("Trump's claim that…") only after them.
        tried = verbs[-MAX_FALLBACK_VERBS:][::-1] + [v for v in candidates[::-1] if v not in verbs]
        for verb, v0, _ in tried[:MAX_FALLBACK_VERBS]:
            if re.fullmatch(r"\s*and\s+", para[before_start:v0]) and (
                    shared := same_sentence_speaker(k)) is not None:
                # ``which Trump had called a "disaster" and promised to "rip up"``: a verb
                # coordinated with the previous quote's cue shares its subject.
                found[k] = shared
            elif verb.endswith("ing"):
                found[k] = same_sentence_speaker(k) or \
                    _participle_subject(para, s_start, v0, res, p)
            elif (para[s_start:v0].rstrip().endswith(",") and fold(verb) not in _OBJECT_VERBS
                  and (right := _subject_right(para, v0 + len(verb))) is not None
                  and right.kind == "name"
                  and para[right.at + len(right.phrase):].lstrip().startswith(",")):
                # "The paradox of Nancy, says Carl Anthony, historian at…, is that she was
                # "…"": a cue set off by commas inside the sentence names its speaker after it.
                found[k] = res.subject(right, p)
            else:
                # "his comment Monday that "Islam hates us"": a speech noun's owner said it.
                owned = _noun_use(para, v0) or fold(_previous_token(para, v0)) in _OWNER_PRONOUNS
                found[k] = (_speech_noun_owner(para, s_start, v0, span.outer_start, res, p)
                            if owned else None) or \
                    res.subject(_subject_left(para, s_start, v0), p) or \
                    _role_subject(para, s_start, v0) or \
                    _relative_description(para, s_start, v0) or \
                    _sentence_subject(para, s_start, v0, res, p)
            if found[k] is not None:
                break
        if found[k] is None:
            nxt = spans[k + 1].outer_start if k + 1 < len(spans) else len(para)
            end = min(nxt, max(s_end, span.outer_end))
            for _verb, v0, _ in _verbs(para, span.outer_end, end, strict=True):
                opener = fold((para[span.outer_end:v0].replace(",", " ").split() or [""])[0])
                if opener in _CONTRAST_OPENERS:
                    break  # "“…,” while Rep. Louis Gohmert suggested…": another clause's verb
                if v0 not in claimed:
                    found[k] = res.subject(_subject_left(para, span.outer_end, v0), p)
                    break
        if found[k] is None:
            window = para[s_start:max(s_end, span.outer_end)]
            match = _ACCORDING.search(window)
            if match:
                found[k] = res.name(match.group(1))
            if found[k] is None:
                found[k] = _according_document(window)
        head = para[s_start:span.outer_start]
        if found[k] is None and ":" in head:
            # A headline cue: ``Trump: Cruz Has ‘To Come a Long Way’ On Ethanol``.
            colon = s_start + head.index(":")
            lead = _subject_left(para, s_start, colon)
            found[k] = res.name(lead.phrase) if lead is not None and lead.kind == "name" else None
        prev_end = spans[k - 1].outer_end if k else 0
        if found[k] is None and s_start > prev_end and not _words(head, s_start):
            # The sentence before is a bare attribution: ``Dianne Bystrom agreed. "…"``.
            p_start = max(b for b in bounds if b < s_start)
            p_start = max(p_start, prev_end)
            cue = _verbs(para, p_start, s_start, strict=True)
            final = bool(cue) and not any(
                c.isalnum() for c in para[cue[-1][2]:s_start])
            # The attribution's verb is its first one; a verb later in it belongs to its tail
            # (``"…," Clinton said, referencing a super PAC called Future45.``: not the PAC).
            first = cue[-1] if final else cue[0] if cue else None
            if first is not None and not first[0].endswith("ing") and (
                    final or _is_attribution(para, p_start, s_start, spans)):
                # (or a sentence that ends on its speech verb: ``Or maybe Jeb Bush, digital
                # consultant Phil Musser says. "…"``)
                lead = _subject_left(para, p_start, first[1]) if _words(
                    para[p_start:first[1]], p_start) else _subject_right(para, first[2])
                found[k] = res.subject(lead, p)
        explicit[k] = found[k] is not None
    # f': a quote joined by "and" or a comma to the next quote of its sentence shares that
    # quote's attribution (``Guns are "the ultimate crisis" and "stunt growth," Dean said``).
    for k in range(len(spans) - 2, -1, -1):
        if (found[k] is None and explicit[k + 1] and found[k + 1] is not None
                and sentence_of(spans[k].outer_start)[0] == sentence_of(
                    spans[k + 1].outer_start)[0]
                and re.fullmatch(r"[\s,]*(?:and|or)?[\s,]*",
                                 para[spans[k].outer_end:spans[k + 1].outer_start])):
            found[k] = found[k + 1]
    # f: continuation inside the paragraph
    for k in range(1, len(spans)):
        if found[k] is None and found[k - 1] is not None:
            found[k] = found[k - 1]
    # i: a quote sentence right after a sentence reporting someone's words in indirect speech
    # goes on in their words (``Lynch announced the lawsuit on Monday. "We are seeking…"``).
    for k, span in enumerate(spans):
        s_start, s_end = sentence_of(span.outer_start)
        prev_end = spans[k - 1].outer_end if k else 0
        if (found[k] is None and s_start > prev_end and not _words(para[s_start:span.outer_start],
                                                                    s_start)
                and _stands_alone(para, span, s_end)):
            p_start = max(prev_end, max(b for b in bounds if b < s_start))
            found[k] = _reported_speaker(para, p_start, s_start, res, p)
    # h: a quote inside a narrative sentence without a speech verb takes the sentence subject
    # ("Sen. Susan Collins joined the group, hammering his “unsuitability for office.”").
    for k, span in enumerate(spans):
        if found[k] is None:
            s_start, _ = sentence_of(span.outer_start)
            if _words(para[s_start:span.outer_start], s_start):
                found[k] = _narrative_subject(para, s_start, span.outer_start, res, p)
    return list(zip(found, explicit, strict=True))


def _speech_noun_owner(para: str, sent_start: int, noun_at: int, quote_at: int,
                       res: SpeakerResolver, p: Paragraph) -> str | None:
    """The owner of a speech noun that introduces the quote: ``her claim that she "never
    sent…"``, ``Trump's call for "a total and complete ban"``, ``his comment Monday that
    "…"``. The noun must lead into the quote through "that", "of", "for" or a colon within a
    few words (``Ginsburg's comments "shows bias"`` has the quote as its predicate, not its
    content); the owner is a possessive name or "his"/"her" resolved like "he"/"she"."""
    noun_end = para.find(" ", noun_at)
    gap = para[noun_end if noun_end >= 0 else noun_at:quote_at]
    if len(gap.split()) > MAX_OWNER_GAP_WORDS or not _OWNER_LINK.match(gap):
        return None
    owner = _previous_token(para, noun_at)
    owner_at = para.rfind(owner, sent_start, noun_at)
    if owner_at < 0:
        return None
    if fold(owner) in _OWNER_PRONOUNS:
        return res.pronoun(_OWNER_PRONOUNS[fold(owner)], p, owner_at)
    run = _name_run(_words(para[sent_start:owner_at] + owner, sent_start))
    if not run:
        return None
    phrase = re.sub(r"['’]s?$", "", " ".join(w for w, _ in run))
    return res.name(phrase, loose=True)


def _narrative_subject(para: str, sent_start: int, quote_at: int, res: SpeakerResolver,
                       p: Paragraph) -> str | None:
    """Rule h: the person or organisation the entity list knows opening a sentence (a pronoun
    resolved as for "he said"); an unknown name-shaped run is not enough without a verb."""
    return _opening_subject(para, sent_start, quote_at, res, p, loose=False)


def intro_speaker(p: Paragraph, res: SpeakerResolver) -> str | None:
    """The speaker announced by a paragraph ending in a colon (``Breitbart News responded:``,
    ``Stated Stone:``, ``Michael McDonald:``) for the quote opening the next paragraph."""
    text = p.text.rstrip()
    sentences = list(sentence_spans(text))
    if not sentences:
        return None
    start, end, _ = sentences[-1]
    verbs = _verbs(text, start, end)
    if verbs:
        _, v0, v1 = verbs[-1]
        if not _words(text[start:v0], start):
            return res.subject(_subject_right(text, v1), p)
        return res.subject(_subject_left(text, start, v0), p) or \
            _sentence_subject(text, start, v0, res, p)
    colon = end - 1
    return res.subject(_subject_left(text, start, colon), p) or \
        _sentence_subject(text, start, colon, res, p)


def _reported_speaker(para: str, start: int, stop: int, res: SpeakerResolver,
                      p: Paragraph, speakers: frozenset[str] = frozenset()) -> str | None:
    """The speaker a sentence without quotes reports in indirect speech, from its first speech
    verb (``Carter said that for decades…``, ``Bolton distanced himself… by saying…``): the
    direct quote opening the next sentence or paragraph usually goes on in their words.
    Without a speech verb, the known person opening the sentence when they are one of
    ``speakers`` (``Viguerie is upbeat about Cruz’s chances…`` in a story quoting Viguerie
    throughout)."""
    if _QUOTED.search(para, start, stop) is not None:
        return None
    for verb, v0, v1 in _verbs(para, start, stop, strict=True)[:1]:
        if verb.endswith("ing"):
            return _participle_subject(para, start, v0, res, p)
        if para[start:v0].rstrip().endswith(("”", "\"", "'")):
            return res.subject(_subject_right(para, v1), p)  # "…,” wrote Time magazine."
        return res.subject(_subject_left(para, start, v0), p) or \
            _sentence_subject(para, start, v0, res, p)
    if speakers:
        found = _opening_subject(para, start, stop, res, p, loose=False)
        return found if found in speakers and res.index.kind(found) == "person" else None
    return None


def _stands_alone(para: str, span: MarkedSpan, stop: int) -> bool:
    """Whether a quote is a sentence of its own and no speech verb outside quotes before
    ``stop`` hints at an attribution the rules could not read (``"…," Hannity started``,
    ``"…?" Trump told Britain’s ITV… when asked…``)."""
    rest = para[span.outer_end:stop].lstrip()
    if rest and not (para[span.start:span.end].rstrip()[-1:] in {".", "!", "?"}
                     and (rest[0].isupper() or rest[0] in "\"“'‘")):
        return False
    masked = _QUOTED.sub(lambda m: " " * len(m.group()), para[:stop])
    return not _verbs(masked, span.outer_end, stop, strict=True)


def lead_speaker(p: Paragraph, res: SpeakerResolver, quote: Paragraph, span: MarkedSpan,
                 speakers: frozenset[str] = frozenset()) -> str | None:
    """The speaker whose words the last sentence of a paragraph reports (see
    :func:`_reported_speaker`; ``speakers``: the story's attributed speakers), for the quote
    ``span`` opening the next paragraph when it stands alone there (:func:`_stands_alone`)."""
    if not _stands_alone(quote.text, span, len(quote.text)):
        return None
    sentences = list(sentence_spans(p.text.rstrip()))
    if not sentences:
        return None
    start, end, _ = sentences[-1]
    return _reported_speaker(p.text, start, end, res, p, speakers)
