"""The day an incident happened, as a range of possible days, resolved against the article's date.

The extractor's ``Incident.event_date`` handles "yesterday", "last night" and weekday names. Event
resolution needs more: whether the text *named* the day (strong evidence, compared exactly) or
the day was only *implied* by the publication date (weak: a report often covers the previous
day), named dates ("on March 3", "3 Feb."), and phrases that put the event before the report's
window ("last Tuesday" on a Tuesday, "last week"), which mark a background mention.

Rules, first match in the evidence text wins; a day word right after a reporting verb ("said on
Tuesday") dates the report, not the event, and is passed over:

=============================================  =====================================
text                                           days (``p`` = published date)
=============================================  =====================================
"yesterday", "last night"                      p - 1, named
"today", "this morning", "tonight", ...        p, named
"<Month> <d>", "<d> <Month>" (abbreviations)   that day (last year's if after p + 1), named
"last <weekday>"                               the one before p, 7 days back on the same weekday
"<weekday>" (on, late, early, ... night)       the latest such weekday <= p, named
"last week", "a week ago", "weeks ago",         before the window: p - 7, named (background)
"earlier this month", "last month", "last year"
"overnight", or no day word                    p - 1 .. p, implied
no published date                              unknown (None); a weekday or a month
                                               and day it names (:func:`named_weekday`,
                                               :func:`named_month_day`) is still
                                               compared with the event's days
=============================================  =====================================
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final, NamedTuple

from extractors.context import parse_date

IMPLIED_LAG_DAYS: Final = 1
"""A report without a day word covers its publication day or the day before."""

_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS: Final = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_WORDS: Final = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
                       r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_WEEKDAY_WORDS: Final = "|".join(_WEEKDAYS)
_REPORTING: Final = r"(?:said|says|told|announced|reported|added|confirmed|stated)"

# One alternation, so the earliest phrase in the sentence wins; each outer group names its rule
# (``lastgroup`` is the outer group, which closes after the inner ones).
_DAY_PHRASE: Final = re.compile(
    rf"(?P<reporting>\b{_REPORTING}(?: on| late| early)? (?:{_WEEKDAY_WORDS})\b)"
    # "the toll ... rose to 93 on Tuesday": the day of the rise, not of the event
    rf"|(?P<tolled>\b(?:rose|risen|climbed|reached|jumped|increased|passed|topped)\b[^.;]{{0,30}}? on "
    rf"(?:{_WEEKDAY_WORDS})\b)"
    r"|(?P<before>\b(?:last week|a week ago|weeks ago|(?:earlier|early) this month|last month|last year"
    r"|earlier this year|months ago|years ago)\b)"
    r"|(?P<yesterday>\b(?:yesterday|last night)\b)"
    r"|(?P<today>\b(?:today|this (?:morning|afternoon|evening)|tonight|earlier in the day)\b)"
    rf"|(?P<month_day>\b(?P<md_month>{_MONTH_WORDS})\.? (?P<md_day>\d{{1,2}})(?:st|nd|rd|th)?\b)"
    rf"|(?P<day_month>\b(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<dm_month>{_MONTH_WORDS})(?![a-z]))"
    rf"|(?P<last_weekday>\blast (?P<lw_name>{_WEEKDAY_WORDS})\b)"
    rf"|(?P<weekday>\b{_WEEKDAY_WORDS}\b)"
)


class DayRange(NamedTuple):
    """The days an incident may have happened on: ``lo`` .. ``hi`` (inclusive).

    ``named`` says the text named the day (``lo == hi``); otherwise the range comes from the
    publication date alone.
    """

    lo: date
    hi: date
    named: bool

    def gap(self, other: DayRange) -> int:
        """Days between the two ranges (0 when they overlap)."""
        if self.hi < other.lo:
            return (other.lo - self.hi).days
        if other.hi < self.lo:
            return (self.lo - other.hi).days
        return 0

    def same_named_day(self, other: DayRange) -> bool:
        """Both name the same day."""
        return self.named and other.named and self.lo == other.lo


def _named(day: date) -> DayRange:
    return DayRange(day, day, True)


def _month_day(month_word: str, day_text: str, published: date) -> date | None:
    month = _MONTHS.get(month_word)
    if month is None:
        return None
    try:
        day = date(published.year, month, int(day_text))
    except ValueError:
        return None
    if day > published + timedelta(days=1):  # "Dec 30" in a January report: last year
        try:
            day = day.replace(year=published.year - 1)
        except ValueError:
            return None
    return day


def day_range(text: str, published: date | None) -> DayRange | None:
    """The event's day range from the evidence text and the publication date (None: unknown)."""
    if published is None:
        return None
    lower = text.lower()
    for m in _DAY_PHRASE.finditer(lower):
        rule = m.lastgroup
        if rule == "reporting" or rule == "tolled":
            continue
        if rule == "before":
            return _named(published - timedelta(days=7))
        if rule == "yesterday":
            return _named(published - timedelta(days=1))
        if rule == "today":
            return _named(published)
        if rule == "month_day" or rule == "day_month":
            found = (_month_day(m["md_month"], m["md_day"], published) if rule == "month_day"
                     else _month_day(m["dm_month"], m["dm_day"], published))
            if found is not None:
                return _named(found)
            continue
        name = m["lw_name"] if rule == "last_weekday" else m.group()
        back = (published.weekday() - _WEEKDAYS.index(name)) % 7
        if rule == "last_weekday" and back == 0:
            back = 7
        return _named(published - timedelta(days=back))
    return DayRange(published - timedelta(days=IMPLIED_LAG_DAYS), published, False)


def named_weekday(text: str) -> int | None:
    """The weekday (Monday = 0) the text names for the event, for a report without a date ("on
    Sunday"): the first day phrase when it is a weekday, else None (a reporting verb's day is
    passed over, as in :func:`day_range`)."""
    for m in _DAY_PHRASE.finditer(text.lower()):
        rule = m.lastgroup
        if rule == "reporting" or rule == "tolled":
            continue
        if rule == "weekday":
            return _WEEKDAYS.index(m.group())
        if rule == "last_weekday":
            return _WEEKDAYS.index(m["lw_name"])
        return None
    return None


def named_month_day(text: str) -> tuple[int, int] | None:
    """The (month, day) the text names for the event, for a report without a date ("the May 31
    bombing", "on 3 Feb."): the first day phrase when it is a month and a day, else None."""
    for m in _DAY_PHRASE.finditer(text.lower()):
        rule = m.lastgroup
        if rule == "reporting" or rule == "tolled":
            continue
        if rule == "month_day" or rule == "day_month":
            month = _MONTHS.get(m["md_month"] if rule == "month_day" else m["dm_month"])
            day = int(m["md_day"] if rule == "month_day" else m["dm_day"])
            return (month, day) if month is not None and 1 <= day <= 31 else None
        return None
    return None


def incident_day_range(evidence: str, published: str | None, event_date: str | None) -> DayRange | None:
    """:func:`day_range` of an incident; when the text names no day but the extractor dated the
    incident to another day than its publication, that day is taken as named."""
    pub = parse_date(published)
    found = day_range(evidence, pub)
    if found is not None and not found.named:
        extracted = parse_date(event_date)
        if extracted is not None and extracted != pub:
            return _named(extracted)
    if found is None:
        extracted = parse_date(event_date)
        return _named(extracted) if extracted is not None else None
    return found
