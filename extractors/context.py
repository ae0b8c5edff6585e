"""Sentence context: what makes a casualty clause not count, and what day it happened.

Excluded (never counted): cumulative or historical figures ("so far", "since", "this year",
"last week", a month or year other than the report's own), non-violent deaths (fires, accidents),
hypotheticals ("could kill"), cumulative active perfects ("airstrikes have killed 10,000"),
restated overall figures ("Overall, three people were killed"), and death-toll updates except
for the increase they state ("raised by three dead ... to a total of 16" counts 3).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, timedelta
from typing import Final

from extractors.segment import KeyWords, Sentence, key_mask, mask_of, token_set

_HISTORICAL: Final = re.compile(
    r"\b(?:so far|since|to date|this year|this month|last year|last month|last week|earlier this (?:week|month|year)"
    r"|in the past|over the past|past (?:few )?(?:weeks?|months?|years?)|previous (?:day|week|month|year)s?"
    r"|during the (?:holy )?month|month of ramadan|(?:each|every|per) (?:day|week|month|year)\b(?!-)|on average"
    r"|a day after|days after|the day before|a week ago|weeks ago|months ago|years ago|last (?:spring|summer|autumn|"
    r"fall|winter)|in recent (?:weeks|months|years)|each of the past|until now|thus far|during the war)\b"
)
# "the deadliest day this month" compares; it does not make the figure cumulative
_SUPERLATIVE: Final = re.compile(r"\b(?:deadliest|bloodiest|worst|highest|largest)\b[^.;,]{0,30}")
_CUMULATIVE_PERFECT: Final = re.compile(r"\b(?:have|has|had)(?: now| so far| already)? (?:killed|wounded|injured)\b")
_OVERALL: Final = re.compile(r"\b(?:overall|altogether|in total|total|in all|combined|tally|monthly|weekly)\b")
_NON_VIOLENT: Final = re.compile(
    r"\b(?:(?:a|the|massive|huge) (?:fire|blaze)\b(?! on)|accident|accidental|crash(?:ed)?|drown(?:ed|ing)?|"
    r"electrocut\w*|heat ?stroke|cholera|covid|coronavirus|earthquake|flood(?:s|ing)?|stampede|"
    r"natural causes|collapsed?|heart attack|non-hostile|non-combat)\b"
)
# a modal or intention governing the casualty verb itself ("could kill hundreds", "threatened to kill")
_HYPOTHETICAL: Final = re.compile(
    r"\b(?:could|would|might|may|will)(?: not)?(?: have)?(?: be)? (?:\w+ )?(?:kill|killed|wound|wounded|injure|injured|"
    r"hurt|die|dead)\b|\b(?:threaten(?:s|ed)?|vow(?:s|ed)?|plan(?:s|ned)?|tried|trying|attempt(?:s|ed)?) to "
    r"(?:kill|behead|execute|attack|assassinate)\b"
)
_TOLL: Final = re.compile(
    r"\b(?:toll|figures?|casualties|number of (?:\w+ )?(?:dead|killed|wounded|injured|casualties|victims))\b"
)
_TOLL_CHANGE: Final = re.compile(
    r"\b(?:rose|risen|rise|climbed|raised|increased|reached|jumped|went up|stood|stands|revised|lowered)\b"
)
_MONTHS: Final = {
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH_RE: Final = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_DAY_OF_MONTH: Final = re.compile(r"\.? ?(\d{1,2})\b")
_MAY_RE: Final = re.compile(r"\bMay \d{1,2}\b|\b(?:in|during) May\b")
# "During June, 249 people were killed": a month's tally, whichever month
_DURING_MONTH: Final = re.compile(r"\b(?:during|throughout|for the month of|over the month of|in the month of|in) (?:"
                           + "|".join(_MONTHS) + r"|may)\b(?! \d)")
_YEAR_RE: Final = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE: Final = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_DAY_RE: Final = re.compile(r"\b(yesterday|last night|overnight|" + "|".join(_WEEKDAYS) + r")\b")


def parse_date(value: str | None) -> date | None:
    """The YYYY-MM-DD date at the start of an ISO date/datetime string, or None."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_HISTORICAL_KEYS: Final = KeyWords(
    (
        "since", "far", "date", "this", "last", "earlier", "past", "previous", "after", "before", "ago",
        "recent", "until", "thus", "war", "each", "spring", "summer", "autumn", "fall", "winter"
    )
)
_NON_VIOLENT_KEYS: Final = KeyWords(
    (
        "fire", "blaze", "accident", "accidental", "crash", "crashed", "drown", "drowned", "drowning",
        "electrocuted", "electrocution", "heat", "heatstroke", "cholera", "covid", "coronavirus", "earthquake",
        "flood", "floods", "flooding", "stampede", "natural", "collapse", "collapsed", "heart"
    )
)
_PERFECT_KEYS: Final = KeyWords(("have", "has", "had"))
_HYPOTHETICAL_KEYS: Final = KeyWords((
    "could", "would", "might", "threaten", "threatens", "threatened", "vowed", "plan", "plans", "planned"
))
_MONTH_KEYS: Final = KeyWords([*_MONTHS, "may"])
_WEEKDAY_KEYS: Final = KeyWords(_WEEKDAYS)


def excluded_reason(
    lower: str, original: str, published: date | None, tokens: Collection[str] | None = None
) -> str | None:
    """Why every casualty clause in this sentence is out of scope, or None when it counts.

    ``tokens`` (the sentence's normalised tokens) lets cheap key-word tests skip most regex
    scans; without them every check runs. The pipeline calls :func:`sentence_excluded_reason`.
    """
    return _excluded(lower, original, published, -1 if tokens is None else mask_of(tokens), tokens)


def sentence_excluded_reason(sent: Sentence, lower: str, published: date | None) -> str | None:
    """:func:`excluded_reason` of a tokenised sentence (``lower``: its lower-cased text), with
    the key-word mask and token set the steps share (:func:`extractors.segment.key_mask`)."""
    return _excluded(lower, sent.text, published, key_mask(sent), token_set(sent))


def _excluded(
    lower: str, original: str, published: date | None, keys: int, tokens: Collection[str] | None
) -> str | None:
    """:func:`excluded_reason` with the key-word mask of the tokens (-1: every check runs)."""
    # Each regex runs only when one of its key words is among the tokens: a bit test costs far
    # less than a scan.
    if _HISTORICAL_KEYS.in_mask(keys):
        # (every superlative holds "est" or is "worst": without them there is nothing to remove)
        compared = _SUPERLATIVE.sub(" ", lower) if "est" in lower or "worst" in lower else lower
        if _HISTORICAL.search(compared):
            return "historical"
    if _NON_VIOLENT_KEYS.in_mask(keys) and _NON_VIOLENT.search(lower) and (
        "opened fire" not in lower and "gunfire" not in lower
    ):
        return "non_violent"
    if _PERFECT_KEYS.in_mask(keys) and _CUMULATIVE_PERFECT.search(lower):
        return "cumulative"
    if _HYPOTHETICAL_KEYS.in_mask(keys) and _HYPOTHETICAL.search(lower):
        return "hypothetical"
    if _MONTH_KEYS.in_mask(keys):
        reason = _month_reason(lower, original, published)
        if reason is not None:
            return reason
    if published is not None and _WEEKDAY_KEYS.in_mask(keys):
        for wd in _WEEKDAY_RE.findall(lower):
            if (published.weekday() - _WEEKDAYS.index(wd)) % 7 >= 2:
                return "earlier_day"
    # (substring tests, then the regex scan: both reject most sentences in C before the
    # per-token test runs)
    if ("19" in lower or "20" in lower) and _YEAR_RE.search(lower) is not None and (
        tokens is None or any(len(t) == 4 and t[:2] in ("19", "20") and t.isdigit() for t in tokens)
    ):
        for y in _YEAR_RE.findall(lower):
            if published is None or int(y) != published.year:
                return "other_year"
    return None


def _month_reason(lower: str, original: str, published: date | None) -> str | None:
    """A month's tally, another month, or another day of the report's month."""
    if _DURING_MONTH.search(lower):
        return "cumulative"
    m = _MONTH_RE.search(lower)
    may = None if m else _MAY_RE.search(original)
    month = _MONTHS[m.group(1)] if m else (5 if may else None)
    if month is not None and published is not None and month == published.month:
        d = _DAY_OF_MONTH.match(lower, m.end()) if m else _DAY_OF_MONTH.search(may.group()) if may else None
        if d is not None and int(d.group(1)) != published.day:
            return "other_day"
    elif month is not None:
        return "other_month"
    return None


def is_overall(lower: str) -> bool:
    """A restated overall figure ("Overall, three people were killed")."""
    return _OVERALL.search(lower) is not None


def toll_window(lower_tokens: list[str], lower: str) -> tuple[int, int] | None:
    """For a death-toll update, the token window whose figures count (the "by N" part).

    Returns None when the sentence is not a toll update, ``(0, 0)`` when nothing in it counts.
    """
    if not _TOLL.search(lower) or not _TOLL_CHANGE.search(lower):
        return None
    try:
        by = lower_tokens.index("by")
    except ValueError:
        return (0, 0)
    end = len(lower_tokens)
    for i in range(by + 1, len(lower_tokens)):
        if lower_tokens[i] == "to":
            end = i
            break
    return (by + 1, end)


def event_date(lower: str, published: date | None) -> date | None:
    """The event day: the report's date, moved back for "yesterday" or an earlier weekday."""
    if published is None:
        return None
    # every word of _DAY_RE contains "day" (yesterday, the weekdays) or "night": most sentences
    # are settled by two substring tests instead of a scan
    m = _DAY_RE.search(lower) if "day" in lower or "night" in lower else None
    if m is None:
        return published
    word = m.group(1)
    if word in ("yesterday", "last night"):
        return published - timedelta(days=1)
    if word == "overnight":
        return published
    back = (published.weekday() - _WEEKDAYS.index(word)) % 7
    return published - timedelta(days=back)
