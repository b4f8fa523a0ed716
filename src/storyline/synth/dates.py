"""Date expressions in news text, resolved to absolute calendar days.

Shared by the fact ledger (``kind="date"`` facts) and the timeline. The cascade:

1. :func:`reference_date` — the story's reference day: the (lower) median of its articles' dates.
2. :func:`article_reference` — one article's reference: its own date, else the story's.
3. :func:`find_date_mentions` — day-precise date expressions in a text (weekdays, month-day,
   full dates, ISO dates, yesterday/today/tomorrow); bare years and vague spans ("last week",
   "earlier this month") are not day-precise and are ignored.
4. :func:`resolve_date` — one expression to a :class:`~datetime.date` with ``dateparser`` and a
   ``RELATIVE_BASE`` (offline), then news conventions on top (weekdays by plain arithmetic,
   because ``PREFER_DATES_FROM="past"`` jumps a whole week back when the weekday is the
   reference day itself; ISO days and yesterday/today/tomorrow are plain arithmetic too, which
   keeps ``dateparser`` — milliseconds a call — for the month-name forms only):
   weekdays name the most recent such day on or before the reference ("Friday" in an article of
   Friday 21 January is that same day); a month-day without a year takes the year that puts it
   nearest to the reference ("December 28" written on 3 January is last year's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateparser.date import DateDataParser

from storyline.model import Article, StoryContext
from storyline.text import normalize_quotes

# --- word lists and patterns (the only place this module defines them) ----------------------
RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
          r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
          r"Dec(?:ember|\.)?)")
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}"
# Ordered from most to least specific: the first alternative that matches wins.
_DATE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"\b{_YEAR}-[01][0-9]-[0-3][0-9]\b"),
    ("full", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    ("full", rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    ("month_day", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:%|percent|per\s+cent))"),
    ("month_day", rf"\b{_DAY}\s+{_MONTH}\b"),
    ("weekday", r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    ("relative", r"\b(?:yesterday|today|tomorrow)\b"),
)
_DATE_RE = re.compile("|".join(f"(?P<{kind}{i}>{pattern})"
                               for i, (kind, pattern) in enumerate(_DATE_PATTERNS)))
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_ONLY = re.compile(rf"\s*(?:in\s+)?{_YEAR}\s*")
_LEADING_ON = re.compile(r"^(?:on|last|this|next)\s+", re.IGNORECASE)
# "May" is a month only when a day number follows or precedes it; "May 10" vs "may decide".
_MAY_AS_VERB = re.compile(r"^may\b", re.IGNORECASE)

# Candidate years for a year-less month-day, relative to the reference year; the nearest wins.
# Checked on the seeds ("February 10" in a 21 January article → 2022-02-10) and on hand-made
# December/January cases in the tests.
YEAR_OFFSETS = (-1, 0, 1)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A day-precise date expression found in a text, with its offsets."""

    text: str
    start: int
    end: int
    kind: str  # "iso" | "full" | "month_day" | "weekday" | "relative"


def reference_date(ctx: StoryContext) -> date | None:
    """The story's reference day: the lower median of its articles' dates (``None`` if none)."""
    days = sorted(a.date.date() for a in ctx.articles if a.date is not None)
    if not days:
        return None
    return days[(len(days) - 1) // 2]


def article_reference(article: Article, story_reference: date | None) -> date | None:
    """The reference day for one article: its own date, else the story's reference day."""
    return article.date.date() if article.date is not None else story_reference


def find_date_mentions(text: str) -> list[DateMention]:
    """Day-precise date expressions in ``text``, left to right, non-overlapping."""
    out: list[DateMention] = []
    for match in _DATE_RE.finditer(normalize_quotes(text)):
        kind = (match.lastgroup or "").rstrip("0123456789")
        value = match.group(0)
        if kind == "month_day" and _MAY_AS_VERB.match(value) and not re.search(r"\d", value):
            continue
        out.append(DateMention(value, match.start(), match.end(), kind))
    return out


# Per-story memo of :func:`resolve_date` results, keyed by (expression, reference day).
DateMemo = dict[tuple[str, date | None], date | None]


def resolve_date(expr: str, ref: date | None, memo: DateMemo | None = None) -> date | None:
    """One date expression to an absolute day, or ``None`` when it is not day-precise.

    Weekdays and yesterday/today/tomorrow need ``ref``; without one they give ``None``. Bare
    years ("1997", "in 2020") are not days and give ``None``. ``memo`` (one dict per story,
    shared by the facts and the timeline) saves parsing the same expression again: copies
    repeat their source's dates, and ``dateparser`` takes about a millisecond per call.
    """
    if memo is None:
        return _resolve_date(expr, ref)
    key = (expr, ref)
    if key not in memo:
        memo[key] = _resolve_date(expr, ref)
    return memo[key]


def _resolve_date(expr: str, ref: date | None) -> date | None:
    cleaned = _LEADING_ON.sub("", normalize_quotes(expr).strip().rstrip(".,;"))
    if not cleaned or _YEAR_ONLY.fullmatch(cleaned):
        return None
    lowered = cleaned.lower()
    if lowered in WEEKDAYS:
        return _resolve_weekday(lowered, ref)
    if lowered in RELATIVE_DAYS:
        return ref + timedelta(days=RELATIVE_DAYS[lowered]) if ref is not None else None
    if _ISO_DAY.fullmatch(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            return None
    parsed = _parse(cleaned, ref)
    if parsed is None:
        return None
    day, parts = parsed
    if "year" not in parts and ref is not None:
        day = _nearest_year(day, ref)
    return day


def _parse(expr: str, ref: date | None) -> tuple[date, tuple[str, ...]] | None:
    """``dateparser`` on one expression; only day-precise results are kept."""
    base = datetime(ref.year, ref.month, ref.day) if ref is not None else datetime(2000, 1, 1)
    parser = DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period",
                  "RETURN_AS_TIMEZONE_AWARE": False},
    )
    data = parser.get_date_data(expr)
    if data.date_obj is None or data.period != "day":
        return None
    parts = tuple(data.parts or ())
    if ref is None and "year" not in parts:
        return None  # a month-day without any year to anchor it
    parsed: datetime = data.date_obj
    return parsed.date(), parts


def _resolve_weekday(weekday: str, ref: date | None) -> date | None:
    """News convention: the most recent such weekday on or before the reference day."""
    if ref is None:
        return None
    back = (ref.weekday() - WEEKDAYS.index(weekday)) % 7
    return ref - timedelta(days=back)


def _nearest_year(day: date, ref: date) -> date:
    """Move a year-less month-day to the year that puts it nearest to ``ref``."""
    best = day
    for year in (ref.year + offset for offset in YEAR_OFFSETS):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February in a common year
            continue
        if abs((candidate - ref).days) < abs((best - ref).days):
            best = candidate
    return best
