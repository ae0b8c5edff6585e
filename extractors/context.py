"""Sentence context beyond scope (:mod:`extractors.scope`): the report's date, restated overall
figures ("Overall, three people were killed"), death-toll updates (only the increase they state
counts: "raised by three dead ... to a total of 16" counts 3), and the day an event happened.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from extractors.segment import Sentence
from extractors.timex import sentence_times

_TOLL: Final = re.compile(
    r"\b(?:toll|figures?|casualties|number of (?:\w+ )?(?:dead|killed|wounded|injured|casualties|victims))\b"
)
_TOLL_CHANGE: Final = re.compile(
    r"\b(?:rose|risen|rise|climbed|raised|increased|reached|jumped|went up|stood|stands|revised|lowered)\b"
)
_OVERALL: Final = re.compile(r"\b(?:overall|altogether|in total|total|in all|combined|tally|monthly|weekly)\b")


def parse_date(value: str | None) -> date | None:
    """The YYYY-MM-DD date at the start of an ISO date/datetime string, or None."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
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


def event_date(sent: Sentence, published: date | None) -> tuple[date | None, str | None]:
    """The event day and the words that date it: the day a time expression of the report's
    period names ("yesterday", "on Sunday", "Dec. 28"), else the report's date and no words
    (:mod:`extractors.timex`). Without a report date: no day, but still the words."""
    for t in sentence_times(sent, published):
        if t.relation == "report":
            return (t.day if t.day is not None else published), t.text
    return published, None
