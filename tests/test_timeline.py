"""Date resolution (synth/dates.py) and the story timeline (synth/timeline.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storyline.model import Article, StoryContext, TimelineEvent
from storyline.synth.dates import (
    article_reference,
    find_date_mentions,
    reference_date,
    resolve_date,
)
from storyline.synth.timeline import build_timeline, event_text

ORIGINAL = "000_a739bb9f3244bbb2"
REWRITE = "001_0c9859ee3d48e6bf"
FRIDAY = date(2022, 1, 21)


@pytest.fixture(scope="module")
def ctx(seed_context: StoryContext) -> StoryContext:
    return seed_context


@pytest.fixture(scope="module")
def timeline(ctx: StoryContext) -> tuple[TimelineEvent, ...]:
    return build_timeline(ctx)


# --- dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("expr", "expected"), [
    ("Friday", "2022-01-21"),            # the reference day itself
    ("on Thursday", "2022-01-20"),
    ("Wednesday", "2022-01-19"),
    ("Saturday", "2022-01-15"),          # most recent on or before the reference
    ("February 10", "2022-02-10"),
    ("Feb. 10", "2022-02-10"),
    ("10 February", "2022-02-10"),
    ("December 28", "2021-12-28"),       # nearest year, not the reference year
    ("January 21, 2022", "2022-01-21"),
    ("2021-03-04", "2021-03-04"),
    ("yesterday", "2022-01-20"),
    ("1997", None),                      # a bare year is not a day
    ("in 2020", None),
    ("last week", None),                 # not day-precise
    ("Feb 30", None),
])
def test_resolve_date(expr: str, expected: str | None) -> None:
    resolved = resolve_date(expr, FRIDAY)
    assert (resolved.isoformat() if resolved else None) == expected


def test_resolve_date_without_reference() -> None:
    assert resolve_date("Friday", None) is None
    assert resolve_date("February 10", None) is None
    assert resolve_date("January 21, 2022", None) == FRIDAY


def test_nearest_year_across_new_year() -> None:
    assert resolve_date("January 2", date(2021, 12, 30)) == date(2022, 1, 2)


def test_reference_dates(ctx: StoryContext, seed_articles: list[Article]) -> None:
    assert reference_date(ctx) == FRIDAY
    undated = next(a for a in seed_articles if a.date is None)
    assert article_reference(undated, FRIDAY) == FRIDAY
    own = Article(id="x", text="t", date=datetime(2022, 1, 3, 9, tzinfo=UTC))
    assert article_reference(own, FRIDAY) == date(2022, 1, 3)
    assert reference_date(StoryContext("e", ())) is None
    three = StoryContext("m", tuple(Article(id=str(d), text="t",
                                            date=datetime(2022, 1, d, tzinfo=UTC))
                                    for d in (9, 1, 5)))
    assert reference_date(three) == date(2022, 1, 5)


def test_find_date_mentions() -> None:
    found = find_date_mentions("On Friday troops may move; drills start February 10. In 1997, "
                               "a May 5 vote was held 2022-01-03.")
    assert [(m.text, m.kind) for m in found] == [
        ("Friday", "weekday"), ("February 10", "month_day"), ("May 5", "month_day"),
        ("2022-01-03", "iso")]


# --- timeline -------------------------------------------------------------------------------
def _on(timeline: tuple[TimelineEvent, ...], day: str, *words: str) -> list[TimelineEvent]:
    return [e for e in timeline if e.date == day and all(w in e.text for w in words)]


def test_belarus_drills(timeline: tuple[TimelineEvent, ...]) -> None:
    drills = _on(timeline, "2022-02-10", "Belarus", "drills")
    assert len(drills) == 1
    assert drills[0].article_ids == ("002_2f423e9e78f9098c",)


def test_geneva_meeting_on_friday(timeline: tuple[TimelineEvent, ...]) -> None:
    meeting = _on(timeline, "2022-01-21", "Lavrov", "Geneva")
    assert meeting
    assert ORIGINAL in meeting[0].article_ids
    assert len(meeting[0].article_ids) >= 2


def test_biden_remarks_wednesday(timeline: tuple[TimelineEvent, ...]) -> None:
    remarks = _on(timeline, "2022-01-19", "Biden")
    assert remarks
    # The rewrite's copy of the sentence is merged into the original's event, and so is the
    # translated outlet's differently worded account of the same remarks.
    assert len(remarks) == 1
    assert remarks[0].article_ids == (ORIGINAL, REWRITE, "003_c8182ac915ccf873")


def test_same_actors_same_day_merge_but_different_actors_do_not() -> None:
    day = datetime(2022, 1, 21, tzinfo=UTC)
    a = Article(id="a", date=day, text="On Friday, Blinken met Lavrov in Geneva for talks "
                                       "on the crisis over Ukraine.")
    b = Article(id="b", date=day, text="Blinken and Lavrov held a frank discussion in Geneva "
                                       "about Ukraine on Friday.")
    c = Article(id="c", date=day, text="Zakharova accused Kyiv of staging provocations in "
                                       "Donbas on Friday.")
    events = build_timeline(StoryContext("m", (a, b, c)))
    assert [e.article_ids for e in events] == [("a", "b"), ("c",)]


def test_order_texts_and_caps(timeline: tuple[TimelineEvent, ...]) -> None:
    days = [e.date for e in timeline]
    assert days == sorted(days)
    assert set(days) <= {"2022-01-19", "2022-01-20", "2022-01-21", "2022-02-10"}
    for event in timeline:
        assert event.text[0].isupper() and event.text.rstrip("\"'”’").endswith((".", "!"))
        assert len(event.text.split()) <= 50
        assert not event.text.lower().startswith(("and ", "he ", "she ", "“we", '"we'))
    for day in set(days):
        assert days.count(day) <= 5
    # Each day's events by independent support first.
    friday = [e for e in timeline if e.date == "2022-01-21"]
    assert len(friday[0].article_ids) >= max(len(e.article_ids) for e in friday[1:])


def test_event_text_cuts_long_sentences_to_the_dated_clause() -> None:
    sentence = ("U.S. Secretary of State Antony Blinken wrapped a 90-minute meeting Friday with "
                "Russian Foreign Minister Sergey Lavrov in Geneva, the fourth time in recent days "
                "that U.S. and Russian officials have engaged in direct talks.")
    assert event_text(sentence, sentence.index("Friday")) == (
        "U.S. Secretary of State Antony Blinken wrapped a 90-minute meeting Friday with Russian "
        "Foreign Minister Sergey Lavrov in Geneva.")
    short = "Blinken repeated that warning Friday."
    assert event_text(short, short.index("Friday")) == short


def test_dates_inside_quotes_are_ignored() -> None:
    article = Article(id="q", date=datetime(2022, 1, 21, tzinfo=UTC),
                      text='"We will meet again on Monday," Lavrov told reporters in Geneva.\n'
                           "Lavrov met the Swiss foreign minister on Thursday in Bern.")
    events = build_timeline(StoryContext("q", (article,)))
    assert [e.date for e in events] == ["2022-01-20"]


def test_empty_story() -> None:
    assert build_timeline(StoryContext("e", ())) == ()


def test_resolve_date_memo_returns_the_same_days() -> None:
    memo: dict[tuple[str, date | None], date | None] = {}
    for expr in ("Friday", "January 20", "yesterday", "2022-01-19", "in 2020", "Friday"):
        assert resolve_date(expr, FRIDAY, memo) == resolve_date(expr, FRIDAY)
    assert ("January 20", FRIDAY) in memo


def test_a_dated_opening_phrase_takes_the_main_clause_with_it() -> None:
    long_opening = ("On Tuesday, Senator Charles E. Grassley, the Iowa Republican who is chairman "
                    "of the Senate Judiciary Committee, will hold a hearing on the bankruptcy "
                    "question, the latest sign of pressure on Congress to act.")
    # (the subject piece is cut short by an appositive, so the whole sentence is the event)
    assert event_text(long_opening, long_opening.index("Tuesday")) == long_opening
    survey = ("In a New York Times/CBS News survey released last Thursday, 79 percent of "
              "Democrats said they were satisfied or very satisfied with the presidency of the "
              "man they had elected twice, and 60 percent approved.")
    assert event_text(survey, survey.index("Thursday")).startswith(
        "In a New York Times/CBS News survey released last Thursday, 79 percent of Democrats")
    aside = ("Early Saturday morning, Kingson's campaign office - formerly a Sanders outpost and "
             "still festooned with Bernie pop art - bustled with volunteers who came from all "
             "over the state.")
    assert event_text(aside, aside.index("Saturday")) == aside
