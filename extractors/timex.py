"""Time expressions in a tokenised sentence, placed against the report's own date.

A casualty figure belongs to the report only when it happened in the report's own period.
This module finds the time expressions of a sentence (on the normalised tokens of
:mod:`extractors.segment`) and says how each relates to that period:

* ``report``: the report's own period (today, yesterday, last night, a weekday 0-1 days back,
  a date within a day of the report's);
* ``earlier``: a point before it (last week, N days ago, a weekday 2+ days back, another month,
  an earlier year, a decade, recently, the previous day);
* ``span``: a period that accumulates many events (so far, since, this year, over the past N
  months, a whole month, every day, on average, throughout);
* ``later``: after the report (tomorrow, next week);
* ``open``: up to now, from no stated start (so far, to date): the report's or the event's
  running toll, unless a span or a campaign says otherwise (:mod:`extractors.scope`).

The expressions are rules as data: :data:`TIME_PATTERNS` lists token patterns with the relation
they give or the resolver that dates them (weekdays, dates, months and years depend on the
report's date). :func:`anterior_markers` finds "<N> <unit> after/before" ("a week after two
bombers killed ..."), which makes the clause it opens an earlier event; :mod:`extractors.scope`
decides which expressions govern which figure. Everything is linear in the sentence length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from typing import Final

from extractors.quantities import word_value
from extractors.record import Record
from extractors.segment import KeyWords, Sentence

WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS: Final = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
UNITS: Final = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365,
                "decade": 3650, "decades": 3650}
_COUNTS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "several": 3, "couple": 2, "many": 5,
}  # fmt: skip

# Token classes usable in patterns as "@NAME" (literal alternatives are written "a|b|c"): word
# sets, or tests of number tokens
_WORD_CLASSES: Final[dict[str, frozenset[str]]] = {
    "WEEKDAY": frozenset(WEEKDAYS),
    "MONTH": frozenset(MONTHS),
    # (full month names, "may" too: the pattern that uses them needs a preposition before)
    "FULLMONTH": frozenset(m for m in MONTHS if len(m) > 3 and m != "sept") | {"may"},
    "COUNTWORD": frozenset(_COUNTS),
    "UNIT": frozenset(UNITS),
    "PERIOD": frozenset(("week", "month", "year", "weekend", "spring", "summer", "autumn", "fall", "winter",
                         "quarter")),
    "DAYPART": frozenset(("morning", "afternoon", "evening", "night", "dawn", "noon", "midnight")),
    "ERA": frozenset(("war", "invasion", "occupation", "regime", "era", "insurgency", "uprising")),
    "RECENT": frozenset(("days", "weeks", "months", "years")),
    "CAMPAIGN": frozenset(("operation", "offensive", "campaign", "battle", "war", "conflict", "siege", "fighting")),
    # how long a war lasted, before its name ("the 20-year war", "a decade-long insurgency")
    "LASTING": frozenset((
        *(f"{n}-year" for n in range(2, 101)),
        *(f"{w}-year" for w in ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                "twelve", "thirteen", "fourteen", "fifteen", "twenty", "thirty", "forty")),
        *(f"{w}-decade" for w in ("two", "three", "four", "five", "half")),
        "decade-long", "decades-long", "years-long", "year-long", "yearlong", "months-long", "long", "protracted",
        "bloody", "brutal", "civil")),
    # the same, counted in years only: a war or campaign so told is the long event, whatever its
    # determiner ("in its three-decade insurgency"), where "in the civil war" may be today's
    "YEARSLONG": frozenset((
        *(f"{n}-year" for n in range(2, 101)),
        *(f"{w}-year" for w in ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                "twelve", "thirteen", "fourteen", "fifteen", "twenty", "thirty", "forty")),
        *(f"{w}-decade" for w in ("two", "three", "four", "five", "half")),
        *(f"{n}-decade" for n in range(2, 11)),
        "decade-long", "decades-long", "years-long")),
    "LONGWAR": frozenset(("war", "campaign", "conflict", "insurgency", "rebellion", "uprising", "occupation",
                          "struggle", "fight")),
}
_NUMBER_CLASSES: Final[dict[str, Callable[[str], bool]]] = {
    "DAYNUM": lambda t: t.isdigit() and len(t) <= 2 and 1 <= int(t) <= 31,
    "YEAR": lambda t: len(t) == 4 and t.isdigit() and t[:2] in ("19", "20"),
    "DECADE": lambda t: len(t) == 5 and t[4] == "s" and t[:4].isdigit() and t[:2] in ("19", "20"),
    "NUMBER": lambda t: t.isdigit(),
}

TIME_PATTERNS: Final[tuple[tuple[str, str], ...]] = (
    # the report's own period
    ("today|tonight", "report"),
    ("earlier|later today", "report"),
    ("this @DAYPART", "report"),
    ("yesterday", "yesterday"),
    ("last night", "yesterday"),
    ("overnight", "report"),
    ("last? @WEEKDAY @DAYPART?", "weekday"),
    # dates: "March 3", "Dec. 28, 2016", "3 March 2016"; a month without a day only after a
    # preposition ("in June"), so that "march" and "may" stay verbs
    ("@MONTH .? @DAYNUM ,? @YEAR?", "date"),
    ("@DAYNUM @MONTH @YEAR?", "date"),
    ("in|during|throughout|of|until|by|early|late|mid @FULLMONTH ,? @YEAR?", "month"),
    ("@YEAR", "year"),
    ("@DECADE", "earlier"),
    # a span no longer than the report's own coverage ("over the last two days", "in the past 24
    # hours", "the last day or so"): a round-up's usual period
    ("the|over|in|during|within past|last @NUMBER|@COUNTWORD? hours", "report"),
    ("the|over|in|during|within past|last day", "report"),
    ("the|over|in|during|within past|last two|three|2|3 days", "report"),
    # up to now, without saying since when: the event's or the report's toll so far ("so far, 40
    # bodies have been recovered"), unless a span or a campaign as subject says otherwise
    ("so|thus far", "open"),
    ("to date", "open"),
    ("until now|today", "open"),
    # spans that accumulate
    ("since", "span"),
    ("this @PERIOD", "span"),
    ("the|over|in|during|for|within|throughout past|last @COUNTWORD? @NUMBER? @UNIT", "span"),
    ("for|over|in|within @COUNTWORD|@NUMBER @UNIT", "span"),
    ("in recent @RECENT", "span"),
    ("each|every|per @UNIT", "span"),
    ("on average", "span"),
    ("throughout the|this @PERIOD", "span"),
    ("during|throughout the holy? month|week|year", "span"),
    ("month of ramadan", "span"),
    # part of a year: "in the first half of the year", "during the first quarter", "in the
    # first nine months"
    # (anchored at the ordinal: a pattern opening with "in the" would be tried at every "in the")
    ("first|second|third|fourth|last half|quarter", "span"),
    ("first @COUNTWORD|@NUMBER @UNIT", "span"),
    ("during|throughout|over the entire|whole @CAMPAIGN", "span"),
    # earlier points
    ("the previous day|week|month|year", "earlier"),
    ("the day|night|week before", "earlier"),
    ("earlier this|in @PERIOD", "earlier"),
    ("last @PERIOD", "earlier"),
    ("@COUNTWORD|@NUMBER @UNIT ago", "earlier"),
    # counted back from the story's own event, which is no later than the report
    ("@COUNTWORD|@NUMBER @UNIT earlier", "earlier"),
    ("@UNIT ago", "earlier"),
    ("recently", "earlier"),
    ("during|throughout the @LASTING? @ERA", "earlier"),
    # (anchored at the length: a pattern opening with "in" would be tried at every "in")
    ("@YEARSLONG terror|armed|insurgent|separatist|militant|military|bloody|violent? @LONGWAR", "earlier"),
    # after the report
    ("tomorrow", "later"),
    ("next @PERIOD", "later"),
)
"""Token patterns (space-separated elements: "a|b" literals, "@CLASS" token classes, "?" suffix
for optional) with the relation they give, or a resolver (``yesterday``, ``weekday``, ``date``,
``month``, ``year``) that dates them against the report. At each token the longest match wins."""


class TimeExpr(Record):
    """A time expression: token span, relation to the report (``report``, ``earlier``, ``span``
    or ``later``), the resolved day when it names one, and the words as read."""

    __slots__ = ("day", "end", "relation", "start", "text")
    FIELDS = ("start", "end", "relation", "day", "text")

    def __init__(self, start: int, end: int, relation: str, day: date | None, text: str) -> None:
        self.start = start
        self.end = end
        self.relation = relation
        self.day = day
        self.text = text


class _Element:
    """One pattern element: the words it accepts and the number tests it accepts, optional or not."""

    __slots__ = ("numbers", "optional", "words")

    def __init__(self, spec: str) -> None:
        self.optional = spec.endswith("?") and len(spec) > 1
        body = spec[:-1] if self.optional else spec
        words: set[str] = set()
        numbers: list[Callable[[str], bool]] = []
        for alt in body.split("|"):
            if alt.startswith("@") and alt[1:] in _NUMBER_CLASSES:
                numbers.append(_NUMBER_CLASSES[alt[1:]])
            elif alt.startswith("@"):
                words |= _WORD_CLASSES[alt[1:]]
            else:
                words.add(alt)
        self.words = frozenset(words)
        self.numbers = tuple(numbers)

    def accepts(self, tok: str) -> bool:
        """Whether ``tok`` can stand here."""
        if tok in self.words:
            return True
        return bool(self.numbers) and tok[:1].isdigit() and any(test(tok) for test in self.numbers)


def _second(elements: tuple[_Element, ...]) -> frozenset[str] | None:
    """The words the token after a match's first one must be, when the pattern fixes them
    (two required word elements first): lets most candidates be rejected without matching."""
    if len(elements) < 2 or elements[0].optional or elements[1].optional or elements[1].numbers:
        return None
    return elements[1].words


_Pattern = tuple[tuple[_Element, ...], str, frozenset[str] | None]
_PATTERNS: Final[list[_Pattern]] = []
for _spec, _relation in TIME_PATTERNS:
    _elements = tuple(_Element(s) for s in _spec.split(" "))
    _PATTERNS.append((_elements, _relation, _second(_elements)))


def _first_keys(elements: tuple[_Element, ...]) -> tuple[set[str], bool]:
    """Words a match may start with, and whether it may start with a number."""
    words: set[str] = set()
    for e in elements:
        words |= e.words
        if e.numbers:
            return words, True
        if not e.optional:
            return words, False
    return words, False


_BY_WORD: Final[dict[str, list[_Pattern]]] = {}
_BY_NUMBER: Final[list[_Pattern]] = []
for _p in _PATTERNS:
    _words, _number = _first_keys(_p[0])
    for _w in _words:
        _BY_WORD.setdefault(_w, []).append(_p)
    if _number:
        _BY_NUMBER.append(_p)


_FUNCTION_WORDS: Final = frozenset((
    "the", "in", "on", "for", "over", "during", "within", "throughout", "of", "by", "early", "late", "mid",
    "until", "to", "this", "earlier", "later", ",", ".", *_COUNTS,
))


def _anchor(elements: tuple[_Element, ...]) -> frozenset[str]:
    """The words of a pattern's last required element that has words beyond function words
    (every match holds one of them); empty for patterns of numbers alone (years, decades)."""
    for e in reversed(elements):
        if not e.optional and e.words - _FUNCTION_WORDS:
            return e.words
    return frozenset()


ANCHORS: Final = frozenset(w for elements, _, _ in _PATTERNS for w in _anchor(elements))
"""Words of which a sentence needs one (or a year-like number) to hold any time expression."""
_ANCHOR_KEYS: Final = KeyWords(ANCHORS)


def may_have_times(toks: list[str], tokset: frozenset[str]) -> bool:
    """Cheap test before :func:`find_times`: an anchor word, or a four-digit or decade number."""
    if not ANCHORS.isdisjoint(tokset):
        return True
    # (years and decades are the only expressions without an anchor word)
    return any(len(t) in (4, 5) and t[:2] in ("19", "20") and t[:4].isdigit() for t in toks)


def _match(elements: tuple[_Element, ...], toks: list[str], i: int, k: int = 0) -> int:
    """End of the longest match of ``elements[k:]`` at ``toks[i]``, or -1."""
    if k == len(elements):
        return i
    e = elements[k]
    best = -1
    if i < len(toks) and e.accepts(toks[i]):
        best = _match(elements, toks, i + 1, k + 1)
    if e.optional:
        best = max(best, _match(elements, toks, i, k + 1))
    return best


def _weekday(toks: list[str], published: date | None, report_weekday: int | None = None) -> tuple[str, date | None]:
    """Reports count their own day and the day before (a round-up covers "yesterday"); a
    weekday two or more days back, or "last <weekday>", is an earlier event. A report without a
    date is measured from the weekday it is told on (``report_weekday``), when its lead says so."""
    last = toks[0] == "last"
    day = WEEKDAYS.index(toks[1] if last else toks[0])
    if published is None:
        if report_weekday is None or last:
            return ("earlier" if last else "report"), None
        return ("report" if (report_weekday - day) % 7 <= 1 else "earlier"), None
    back = (published.weekday() - day) % 7
    if last and back == 0:
        back = 7
    when = published - timedelta(days=back)
    return ("report" if back <= 1 else "earlier"), when


def _date(toks: list[str], published: date | None, ref_year: int | None) -> tuple[str, date | None]:
    month = next(MONTHS[t] for t in toks if t in MONTHS)
    day = next(int(t) for t in toks if t.isdigit() and len(t) <= 2)
    year = next((int(t) for t in toks if len(t) == 4 and t.isdigit()), None)
    if published is None:
        if year is not None and ref_year is not None and year < ref_year:
            return "earlier", None
        return "report", None
    y = year if year is not None else published.year - (1 if month > published.month + 1 else 0)
    try:
        when = date(y, month, day)
    except ValueError:
        return "report", None
    delta = (published - when).days
    if -1 <= delta <= 1:
        return "report", when
    return ("earlier" if delta > 1 else "later"), when


def _month(toks: list[str], published: date | None, ref_year: int | None) -> tuple[str, date | None]:
    """A month without a day: a month's tally in the report's own month, else another time."""
    month = next(MONTHS[t] for t in toks if t in MONTHS)
    year = next((int(t) for t in toks if len(t) == 4 and t.isdigit()), None)
    ref = (published.year, published.month) if published is not None else None
    if ref is None:
        return ("earlier" if year is not None and ref_year is not None and year < ref_year else "span"), None
    y = year if year is not None else ref[0] - (1 if month > ref[1] else 0)
    if (y, month) == ref:
        return "span", None
    return ("earlier" if (y, month) < ref else "later"), None


def _year(toks: list[str], published: date | None, ref_year: int | None, recalled: bool = False) -> str | None:
    ref = published.year if published is not None else ref_year
    y = int(toks[0])
    if ref is None:
        return None
    if y == ref:
        # "in 2019" told in 2019: the year so far, as "this year" is; an undated story's latest
        # year is the year of its events, unless it tells them by weekday ("Friday's attack"):
        # then its latest year is that of an earlier event it recalls (``recalled``)
        if published is not None:
            return "span"
        return "earlier" if recalled else None
    return "earlier" if y < ref else "later"


_DATELINE_CLOSE: Final = frozenset(("(", "--", "-", ":", "\u2014", "\u2013"))
"""What follows the date of a dateline ("KABUL, May 14 (Xinhua) --", "QUETTA, Dec 3:")."""


_GROUP_WORDS: Final = frozenset((
    "brigade", "brigades", "battalion", "battalions", "movement", "coalition", "front", "regiment", "regiments",
    "alliance",
))
"""Words that head an organisation's name: a year right before them, or one word before them,
is part of the name ("the 1920 Revolution Brigades", "the 2011 Youth Movement")."""


def _names_a_group(toks: list[str], end: int) -> bool:
    return (end < len(toks) and toks[end] in _GROUP_WORDS) or (
        end + 1 < len(toks) and toks[end + 1] in _GROUP_WORDS and toks[end] not in _NOT_IN_NAMES)


_NOT_IN_NAMES: Final = frozenset(("the", "a", "an", "and", "or", ",", "when", "as", "in", "by", "of", "to"))


def names_a_week(words: list[str]) -> bool:
    """Whether a span's words name one week ("the past week", "this week", "the past seven days")."""
    return "week" in words or ("days" in words and ("seven" in words or "7" in words))


def find_times(toks: list[str], published: date | None, ref_year: int | None = None,
               period_start: date | None = None, recalled_year: bool = False,
               report_weekday: int | None = None) -> list[TimeExpr]:
    """Every time expression of a tokenised sentence, in order, with its relation to the report.

    ``ref_year``: the latest year the article mentions (:func:`story_year`), used to date years
    when the report itself has no date. ``period_start``: the first day of a report that covers
    a week (:func:`weekly_period`): a day from it on is the report's, and "the past week" is its
    period, not a cumulative span. ``recalled_year``: an undated report that tells its events by
    weekday, whose ``ref_year`` is then an earlier event's (a year alone is earlier).
    ``report_weekday``: the weekday an undated report is told on ("officials said on Tuesday"),
    from which its other weekdays are measured as from a publication date.
    """
    out: list[TimeExpr] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        candidates = _BY_WORD.get(t)
        if t[:1].isdigit():
            candidates = [*(candidates or ()), *_BY_NUMBER]
        if not candidates:
            i += 1
            continue
        best_end, best_rel = -1, ""
        after = toks[i + 1] if i + 1 < n else ""
        for elements, relation, second in candidates:
            if second is not None and after not in second:
                continue
            end = _match(elements, toks, i)
            if end > best_end:
                best_end, best_rel = end, relation
        if best_end <= i:
            i += 1
            continue
        while toks[best_end - 1] == ",":  # an optional comma read before a year that did not come
            best_end -= 1
        if best_rel == "date" and 0 < i <= 6 and toks[i - 1] == "," and best_end < n and (
            toks[best_end] in _DATELINE_CLOSE
        ):
            # "KABUL, May 14 (Xinhua) --": the outlet's filing date, not a time of the events
            i = best_end
            continue
        if best_rel == "year" and _names_a_group(toks, best_end):
            i = best_end  # "the 1920 Revolution Brigades": a year in a group's name dates nothing
            continue
        words = toks[i:best_end]
        day: date | None = None
        rel: str | None = best_rel
        if best_rel == "yesterday":
            rel, day = "report", (published - timedelta(days=1) if published else None)
        elif best_rel == "report":
            day = published
        elif best_rel == "weekday":
            rel, day = _weekday(words, published, report_weekday)
        elif best_rel == "date":
            rel, day = _date(words, published, ref_year)
        elif best_rel == "month":
            rel, day = _month(words, published, ref_year)
        elif best_rel == "year":
            rel = _year(words, published, ref_year, recalled_year)
        if rel in ("report", "later", "span") and best_rel in ("date", "month") and i and toks[i - 1] == "since":
            rel = "earlier"  # "since September 30": the point a comparison starts from lies before now
        if period_start is not None and rel is not None:
            in_week = rel == "earlier" and day is not None and day >= period_start
            if in_week or (rel == "span" and names_a_week(words) and "since" not in words):
                rel = "report"  # a day of the report's week, or the week itself
        if rel is not None:
            out.append(TimeExpr(i, best_end, rel, day, " ".join(words)))
        i = best_end
    return out


def sentence_times(sent: Sentence, published: date | None, ref_year: int | None = None,
                   period_start: date | None = None, recalled_year: bool = False,
                   report_weekday: int | None = None) -> list[TimeExpr]:
    """:func:`find_times` of a tokenised sentence, read once and kept on the sentence (the scope
    and the event date both need them; one article always passes the same dates)."""
    times = sent.times
    if times is None:
        times = sent.times = (
            find_times(sent.toks, published, ref_year, period_start, recalled_year, report_weekday)
            if may_hold_times(sent) else []
        )
    return times


# "Casualty Report: May 3-9", "June 28 - July 4": a title that names a span of days
_TITLE_RANGE: Final = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\s*[-\u2013]\s*"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? )?\d{1,2}\b"
)


def weekly_period(title: str | None, lead: list[str] | None, published: date | None,
                  lead_words: AbstractSet[str] | None = None) -> date | None:
    """The first day of a report that covers a week, or None for a report of one day.

    A weekly round-up says so in its title (a span of days, "weekly") or dates its opening figure
    by the week ("... were killed over the past week"); its incidents of any day of that week are
    its own, where a daily report would set them aside as earlier events. ``lead_words``: the
    lead's tokens as a set, when the caller has it (a set answers "week" without a scan).
    """
    if published is None:
        return None
    low = (title or "").lower()
    # (substring tests first: most titles name no span of days, most leads no week)
    weekly = "weekly" in low or (("-" in low or "\u2013" in low) and _TITLE_RANGE.search(low) is not None)
    words = lead_words if lead_words is not None else lead
    if not weekly and lead and words is not None and ("week" in words or "days" in words):
        # the week dates the opening figure itself: no comma between its first number and the
        # span ("..., the third attack this week" is an aside), and no day of its own
        times = find_times(lead, published)
        first_number = next((i for i, t in enumerate(lead) if t[:1].isdigit() or word_value(t) is not None), -1)
        for t in times:
            if t.relation == "span" and names_a_week(t.text.split()) and "since" not in t.text and (
                0 <= first_number < t.start and "," not in lead[first_number : t.start]
                # (the day the figure was told, "sources said on Saturday", is not the figure's own)
                and not any(o.day is not None and o.relation != "report" for o in times)
            ):
                weekly = True
                break
    return published - timedelta(days=7) if weekly else None


def weekend_start(lead: list[str], published: date) -> date | None:
    """The Saturday a report published on a Sunday, Monday or Tuesday covers from, when its opening
    figure is dated by the weekend ("Four more soldiers died over the weekend"): the items after
    it, dated Saturday or Sunday, are its own. None otherwise ("next weekend", another day)."""
    if published.weekday() not in (6, 0, 1):
        return None
    for i, tok in enumerate(lead):
        if tok == "weekend" and i and lead[i - 1] in ("the", "this") and (
                i < 2 or lead[i - 2] in ("over", "during", "at", "on", "through", "throughout")):
            return published - timedelta(days=(published.weekday() - 5) % 7)
    return None


def may_hold_times(sent: Sentence) -> bool:
    """:func:`may_have_times` of a tokenised sentence, from its key-word mask."""
    text = sent.text
    # (a year needs "19" or "20" in the text: one C-level test before the token loop)
    return _ANCHOR_KEYS.in_sentence(sent) or (("19" in text or "20" in text) and may_have_times(sent.toks, frozenset()))


COMPARED: Final = frozenset((
    "deadliest", "worst", "bloodiest", "biggest", "largest", "heaviest", "highest", "first", "deadlier",
    "worse", "bloodier", "bigger", "larger", "heavier", "higher",
))
"""Words that compare an event with an earlier one told after "since" ("the deadliest attack
since a truck bomb killed ...")."""


def anterior_markers(toks: list[str]) -> list[int]:
    """Token indices of "after"/"before" that follow a distance of a day or more ("a week
    after", "two days after", "days before"), and of "since" a few words after a superlative
    ("the worst attack on the city since ..."): the clause they open tells an event apart in
    time from the main clause. "hours after" keeps the same day; a plain "after" gives a cause;
    a plain "since" opens a span ("since January"), read as a time."""
    out = []
    for i, t in enumerate(toks):
        if t in ("after", "before"):
            if i and toks[i - 1] in UNITS:
                out.append(i)
        elif t == "since" and i and not COMPARED.isdisjoint(toks[max(0, i - 6) : i]):
            out.append(i)
    return out


_YEAR_RE: Final = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")
_YEAR_THIRD: Final = {"19": "56789", "20": "01234"}


def story_year(text: str) -> int | None:
    """The latest plausible year written in the article (to date years in reports without a date)."""
    years = year_strings(text)
    return max(int(y) for y in years) if years else None


def year_strings(text: str) -> list[str]:
    r"""``_YEAR_RE.findall(text)``, in order. The pattern opens with a lookbehind, so CPython's
    engine tries it at every character of the body (some 80 instructions each); here str.find
    reaches the few "19" and "20" and only those are read. Same matches: four digits with no
    digit on either side (``\d``, as ``str.isdecimal``) cannot overlap one another."""
    found: list[tuple[int, str]] = []
    n = len(text)
    for head, thirds in _YEAR_THIRD.items():
        i = text.find(head)
        while i >= 0:
            if (
                i + 3 < n
                and text[i + 2] in thirds
                and text[i + 3].isdecimal()
                and (i == 0 or not text[i - 1].isdecimal())
                and (i + 4 == n or not text[i + 4].isdecimal())
            ):
                found.append((i, text[i : i + 4]))
            i = text.find(head, i + 1)
    found.sort()
    return [y for _, y in found]
