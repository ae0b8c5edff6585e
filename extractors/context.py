"""Sentence context beyond scope (:mod:`extractors.scope`): the report's date, restated overall
figures ("Overall, three people were killed"), death-toll updates (only the increase they state
counts: "raised by three dead ... to a total of 16" counts 3), and the day an event happened.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from extractors.quantities import Quantity, quantity_at
from extractors.segment import Sentence, search_after
from extractors.timex import sentence_times

_TOLL: Final = re.compile(
    r"\b(?:toll|figures?|casualties|number of (?:\w+ )?(?:dead|killed|wounded|injured|casualties|victims))\b"
)
_TOLL_CHANGE: Final = re.compile(
    r"\b(?:rose|risen|rise|climbed|raised|increased|reached|jumped|went up|stood|stands|revised|lowered)\b"
)
# (the literals every match of _TOLL and _TOLL_CHANGE begins with: segment.search_after)
_TOLL_STARTS: Final[tuple[str, ...]] = ("toll", "figure", "casualties", "number of ")
_CHANGE_STARTS: Final[tuple[str, ...]] = (
    "rose", "risen", "rise", "climbed", "raised", "increased", "reached", "jumped", "went up", "stood", "stands",
    "revised", "lowered",
)
_EXPECTED: Final = re.compile(
    r"\b(?:could|may|might|would|will|likely to|expected to|feared to|set to|bound to|certain to|going to)"
    r"(?: \w+)? $"
)
"""A modal or an expectation right before a change verb ("could rise", "is expected to rise further")."""
_OVERALL: Final = re.compile(r"\b(?:overall|altogether|in total|total|in all|combined|tally|monthly|weekly)\b")
_OVERALL_STARTS: Final[tuple[str, ...]] = (
    "overall", "altogether", "in total", "total", "in all", "combined", "tally", "monthly", "weekly",
)


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
    return search_after(_OVERALL, lower, _OVERALL_STARTS) is not None


def toll_window(lower_tokens: list[str], lower: str) -> tuple[int, int] | None:
    """For a death-toll update, the token window whose figures count (the "by N" part).

    Returns None when the sentence is not a toll update, ``(0, 0)`` when nothing in it counts.
    """
    if search_after(_TOLL, lower, _TOLL_STARTS) is None:
        return None
    change = search_after(_TOLL_CHANGE, lower, _CHANGE_STARTS)
    if change is None:
        return None
    if _EXPECTED.search(lower, max(0, change.start() - 24), change.start()) is not None and (
            _TOLL_CHANGE.search(lower, change.end()) is None):
        # "..., warning that the toll was likely to rise": an expectation, no new level; the
        # sentence's own figures are an event's, not an increase
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


_TOLL_NOUNS: Final = frozenset(("toll", "tolls", "count"))
_TOLL_CHANGES: Final = frozenset((
    "rose", "risen", "rises", "rise", "climbed", "climbs", "reached", "reaches", "jumped", "increased", "hit", "hits",
    "passed", "topped", "tops", "surpassed", "exceeded", "bringing", "raising", "pushing", "taking", "mounted",
    "soared", "grew", "now",
    # ("the toll stands at 13": the level as it is now, later than the lead's figure)
    "stands",
))
"""Verbs that give a toll's new level (an update), as opposed to a source's figure ("put at")."""
_RAISED: Final = frozenset(("raised", "raises", "revised", "updated"))
"""Verbs whose subject sets a toll ("officials raised the death toll ... to 17"), read before the noun
only: "the toll was raised by four to 19" gives the increase (:func:`toll_window`)."""
_TOLL_VERBS: Final = _TOLL_CHANGES | frozenset(("stood", "stands", "is", "was", "put", "puts", "placed"))
_TOLL_LINKS: Final = frozenset(("to", "at", "past", "over", "above", "passed", "topped", "tops", "reached",
                                "exceeded", "surpassed", "hit", "is", "was", "stood", "stands", "of"))
_WOUND_TOLL: Final = frozenset(("injured", "wounded", "injuries", "injury", "hurt"))


def toll_statement(toks: list[str]) -> tuple[str, Quantity, bool] | None:
    """A statement of a toll's current figure: "the death toll rose to 20", "bringing the toll to
    83", "the toll now stands at 40", "the number of injured reached 60", "the toll was put at 11"
    -> ("k" or "w", figure, whether a verb of change says it is an update).

    A toll noun ("toll", or "number of" with dead, killed, wounded...), then within a few words a
    verb of change or state, then the figure after "to", "at", "reached"... The figure is the
    toll's level, not an increase (the increase "by 3" is read by :func:`toll_window`); a figure
    followed by "wounded" or "injured" is a wounded toll whatever the noun.
    """
    n = len(toks)
    for i, t in enumerate(toks):
        kind = ""
        if t in _TOLL_NOUNS and i and toks[i - 1] in ("death", "casualty", "the", "injury", "wounded", "dead"):
            kind = "w" if toks[i - 1] in ("injury", "wounded") else "k"
        elif t == "number" and i + 2 < n and toks[i + 1] == "of":
            head = toks[i + 2] if toks[i + 2] != "the" else (toks[i + 3] if i + 3 < n else "")
            at = i + 2 if toks[i + 2] != "the" else i + 3
            after = toks[at + 1] if at + 1 < n else ""
            if head in ("dead", "killed", "deaths", "fatalities", "victims"):
                kind = "k"
            elif head in _WOUND_TOLL:
                kind = "w"
            elif head in ("people", "persons", "civilians", "soldiers", "policemen", "victims") and after:
                # "the number of civilians killed by the blast has risen to 40"
                kind = "k" if after in ("killed", "dead") else ("w" if after in _WOUND_TOLL else "")
        if not kind:
            continue
        change = False
        verb = False
        for j in range(i + 1, min(n, i + 22)):  # ("the toll from the bombing of a mosque in X on Monday has risen to")
            w = toks[j]
            if w in _TOLL_VERBS:
                verb = True
                change = change or w in _TOLL_CHANGES
            elif w == "later":
                change = True  # "the toll was later put at 23": a later level, an update
            if verb and w in _TOLL_LINKS and j + 1 < n:
                q = quantity_at(toks, j + 1)
                if q is not None and q.value:
                    return _side(toks, q, kind), q, change
            if w in (";", ".") or (w == "," and verb):
                break
        # "bringing the death toll to 83": the verb comes before the noun
        before = toks[i - 2] if i >= 2 else "", toks[i - 3] if i >= 3 else ""
        if any(b in _TOLL_VERBS or b in _RAISED for b in before):
            # ("raised the death toll from Sunday's attack on a village in X to 17": the toll's
            # own phrase may come between, up to a clause's end)
            for j in range(i + 1, min(n, i + 22)):
                if toks[j] in (";", ".", ","):
                    break
                if toks[j] in ("to", "at") and j + 1 < n:
                    q = quantity_at(toks, j + 1)
                    if q is not None and q.value:
                        return _side(toks, q, kind), q, any(b in _TOLL_CHANGES or b in _RAISED for b in before)
    return None


def _side(toks: list[str], q: Quantity, kind: str) -> str:
    """"the toll at 18 wounded": a figure followed by a wound word is a wounded toll."""
    after = toks[q.end] if q.end < len(toks) else ""
    return "w" if after in _WOUND_TOLL else kind


_EVENT_NOUNS: Final = frozenset((
    "attack", "attacks", "bombing", "bombings", "blast", "blasts", "explosion", "explosions", "assault", "raid",
    "raids", "strike", "strikes", "airstrike", "airstrikes", "shooting", "massacre", "ambush", "clashes",
    "fighting", "violence", "bomb", "bombs", "siege",
))


def event_date(sent: Sentence, published: date | None, toll_at: int | None = None) -> tuple[date | None, str | None]:
    """The event day and the words that date it: the day a time expression of the report's
    period names ("yesterday", "on Sunday", "Dec. 28"), else the report's date and no words
    (:mod:`extractors.timex`). Without a report date: no day, but still the words.

    ``toll_at``: the token of the figure when the sentence states a toll ("the toll from the
    bombing rose to 93 on Tuesday, officials said on Wednesday"): a time after it dates the
    toll or its telling, not the event, unless it names the event ("Sunday's blasts")."""
    toks = sent.toks
    for t in sentence_times(sent, published):
        if t.relation == "report":
            if toll_at is not None and t.start > toll_at and _EVENT_NOUNS.isdisjoint(toks[t.end : t.end + 3]):
                continue
            return (t.day if t.day is not None else published), t.text
    return published, None
