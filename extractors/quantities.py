"""Quantity parsing: number words, digits, qualifiers and vague amounts over a token list.

Why hand-written instead of ``word2number``: casualty reports use a small, closed set of
number words (one..ninety-nine, hundred, thousand, dozen), and we also need qualifiers
("at least", "as many as") and vague words ("dozens", "several") that no number library
parses. A dictionary lookup per token is ~20x faster than calling ``word2number`` per
candidate phrase, and it never raises (``w2n.word_to_num`` raises ``ValueError`` on
non-numbers, which would be the common case here).

Counting follows ACLED/IBC practice: ``value`` is the stated number (0 for a vague word
on its own) and ``low``/``high`` carry the approximation, see ``VAGUE`` and ``QUALIFIERS``.
"""

from __future__ import annotations

from typing import Final

from extractors.record import Record

UNITS: Final[dict[str, int]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS: Final[dict[str, int]] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES: Final[dict[str, int]] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Vague word -> (low, high): the range an approximate word stands for. ``high`` None = open.
# Low bounds follow IBC's minimum reading ("dozens" = at least 24, i.e. two dozen);
# the stated count (``value``) is 0, as report authors total them.
VAGUE: Final[dict[str, tuple[int, int | None]]] = {
    "a few": (2, 4),
    "few": (2, 4),
    "several": (3, 9),
    "a number of": (2, 9),
    "a couple of": (2, 2),
    "some": (2, 9),
    "many": (2, None),
    "numerous": (2, None),
    "dozens": (24, 99),
    "scores": (40, 99),
    "tens": (20, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
}

# Qualifier -> how it turns a stated N into (low, high).
#   exact: (N, N); lower: (N, None); upper: (1, N); below: N - 1 counted, (1, N - 1)
QUALIFIERS: Final[dict[str, str]] = {
    "at least": "lower",
    "more than": "lower",
    "over": "lower",
    "upwards of": "lower",
    "just over": "lower",
    "well over": "lower",
    "in excess of": "lower",
    "no fewer than": "lower",
    "no less than": "lower",
    "about": "exact",
    "around": "exact",
    "approximately": "exact",
    "roughly": "exact",
    "nearly": "exact",
    "close to": "exact",
    "almost": "exact",
    "some": "exact",
    "an estimated": "exact",
    "as many as": "upper",
    "up to": "upper",
    "at most": "upper",
    "fewer than": "below",
    "just under": "below",
    "less than": "below",
}

# vague phrase -> its words after the first, by first word, longest phrase first: quantity_at
# compares tokens with these instead of joining tokens into candidate phrases
_VAGUE_BY_FIRST: Final[dict[str, list[tuple[str, list[str]]]]] = {}
for _phrase in sorted(VAGUE, key=lambda p: -p.count(" ")):
    _first, *_rest = _phrase.split(" ")
    _VAGUE_BY_FIRST.setdefault(_first, []).append((_phrase, _rest))
_QUALIFIER_LAST: Final = frozenset(k.split()[-1] for k in QUALIFIERS)


class Quantity(Record):
    """A parsed amount over tokens ``[start, end)`` of a sentence (never modified once made).

    A plain class with ``__slots__`` (it was a named tuple, and before that a frozen dataclass,
    whose ``__init__`` cost 3x as much): the clause parser builds one for every candidate number
    it probes, and compiled with mypyc a plain class is constructed natively.
    """

    __slots__ = ("end", "high", "low", "qualifier", "start", "vague", "value")
    FIELDS = ("value", "low", "high", "start", "end", "vague", "qualifier")

    def __init__(self, value: int, low: int, high: int | None, start: int, end: int, vague: str | None = None,
                 qualifier: str | None = None) -> None:
        self.value = value
        self.low = low
        self.high = high
        self.start = start
        self.end = end
        self.vague = vague
        self.qualifier = qualifier


def _word_numbers() -> dict[str, int]:
    """Every number word a single token can be: units, tens and hyphenated "twenty-five"."""
    out = {**UNITS, **TENS}
    for head, tens in TENS.items():
        for tail, unit in UNITS.items():
            if 0 < unit < 10:
                out[f"{head}-{tail}"] = tens + unit
    return out


# One dict lookup answers the common case (word_value runs on most tokens near a trigger).
_WORD_NUMBERS: Final = _word_numbers()
_TEN_VALUES: Final = frozenset(TENS.values())


def word_value(tok: str) -> int | None:
    """Value of a single token that is a number ("12", "1,200", "forty", "twenty-five")."""
    v = _WORD_NUMBERS.get(tok)
    if v is not None:
        return v
    if tok[:1].isdigit():
        if tok.isdecimal():  # (isdecimal is the regex \d: "12", "1200")
            return int(tok)
        if _thousands(tok):
            return int(tok.replace(",", ""))
    return None


def _thousands(tok: str) -> bool:
    r"""Whether ``tok`` is a number with thousands commas, ``\d{1,3}(?:,\d{3})+`` ("1,200")."""
    parts = tok.split(",")
    if len(parts) < 2 or not 1 <= len(parts[0]) <= 3 or not parts[0].isdecimal():
        return False
    return all(len(part) == 3 and part.isdecimal() for part in parts[1:])


def _number_at(toks: list[str], i: int) -> tuple[int, int] | None:
    """Parse a (possibly multi-token) number starting at ``toks[i]``: returns (value, next index)."""
    n = len(toks)
    v = word_value(toks[i])
    if v is None:
        if toks[i] == "half" and i + 2 < n and toks[i + 1] == "a" and toks[i + 2] == "dozen":
            return 6, i + 3  # "half a dozen"
        if toks[i] in ("a", "an") and i + 1 < n and toks[i + 1] in ("dozen", "hundred", "thousand"):
            return SCALES.get(toks[i + 1], 12), i + 2
        if toks[i] == "dozen":
            return 12, i + 1
        if toks[i] == "half-dozen":
            return 6, i + 1
        if toks[i] in ("a", "an") and i + 1 < n and toks[i + 1] == "half-dozen":
            return 6, i + 2  # "a half-dozen"
        if toks[i] == "a" and i + 2 < n and toks[i + 1] == "score" and toks[i + 2] == "of":
            return 20, i + 3  # "a score of people": twenty ("scores of" is vague)
        return None
    j = i + 1
    # "1 200", "4 000": thousands grouped by a (narrow, no-break) space, as French-style copy prints them
    if j < n and len(toks[j]) == 3 and len(toks[i]) <= 3 and toks[i].isdecimal() and toks[i][0] != "0":
        while j < n and len(toks[j]) == 3 and toks[j].isdecimal():
            v = v * 1000 + int(toks[j])
            j += 1
        if j > i + 1:
            return v, j
    # "twenty five", "two hundred", "two dozen", "1,200", "three hundred and twenty"
    if j < n and v in _TEN_VALUES and toks[j] in UNITS and 0 < UNITS[toks[j]] < 10:
        v += UNITS[toks[j]]
        j += 1
    if j < n and toks[j] == "dozen":
        return v * 12, j + 1
    while j < n and toks[j] in SCALES and v < 1000:
        v *= SCALES[toks[j]]
        j += 1
        if j + 1 < n and toks[j] == "and" and word_value(toks[j + 1]) is not None:
            rest = _number_at(toks, j + 1)
            if rest is not None and rest[0] < 100:
                v += rest[0]
                j = rest[1]
    return v, j


def _qualifier_before(toks: list[str], i: int) -> tuple[str, int] | None:
    """A qualifier ending right before ``toks[i]``: (qualifier, its start index)."""
    if i == 0 or toks[i - 1] not in _QUALIFIER_LAST:
        return None
    for span in (3, 2, 1):
        s = i - span
        if s >= 0:
            phrase = " ".join(toks[s:i])
            if phrase in QUALIFIERS:
                return phrase, s
    return None


def _words_at(toks: list[str], i: int, words: list[str]) -> bool:
    """Whether ``toks[i:]`` starts with ``words`` (the caller checked the length)."""
    for j, w in enumerate(words):  # noqa: SIM110 (a plain loop: compiled, all() over a generator is slower)
        if toks[i + j] != w:
            return False
    return True


_RANGE_WORDS: Final = frozenset(("to", "or", "-", "\u2013"))
_RANGE_LINKS: Final = _RANGE_WORDS | {"and"}
"""Words after a figure that may open a range (tested before any range is parsed)."""


def _range_top(toks: list[str], end: int, value: int) -> tuple[int, int] | None:
    """The upper bound of a range whose lower bound ends at ``end`` ("10 to 15", "two or three",
    "10-15" split by the tokenizer, "between 10 and 15"), as (bound, next index), or None."""
    n = len(toks)
    if end + 1 >= n:
        return None
    link = toks[end]
    if link in _RANGE_WORDS or (link == "and" and end >= 2 and "between" in toks[max(0, end - 3):end]):
        top = _number_at(toks, end + 1)
        if top is not None and top[0] > value:
            return top
    return None


def _upper_bound_after(toks: list[str], end: int, value: int) -> tuple[int, int] | None:
    """"at least 5 and as many as 9", "at least 5 and possibly 9": the upper bound given after a
    figure, as (bound, next index), or None."""
    n = len(toks)
    if end + 2 >= n or toks[end] not in ("and", "or"):
        return None
    k = end + 1
    if toks[k:k + 3] == ["as", "many", "as"]:
        k += 3
    elif toks[k:k + 2] == ["up", "to"]:
        k += 2
    elif toks[k] in ("possibly", "perhaps", "maybe"):
        k += 1
    else:
        return None
    top = _number_at(toks, k) if k < n else None
    return top if top is not None and top[0] > value else None


_MONTH_WORDS: Final = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
))


def _day_of_month(toks: list[str], i: int) -> bool:
    """Whether the number at ``toks[i]`` is a day written after its month ("On Nov. 30 a soldier
    was killed", "Kabul, Nov 30 (Wire) Two militants ..."): a date, never a count."""
    tok = toks[i]
    if not tok.isdecimal() or len(tok) > 2 or not 1 <= int(tok) <= 31 or i == 0:
        return False
    before = toks[i - 1]
    if before == "." and i >= 2:
        before = toks[i - 2]
    return before in _MONTH_WORDS


def number_word(tok: str) -> bool:
    """A number written as one word with a hyphen: a range ("40-50") or a round figure ("30-odd")."""
    lo, dash, hi = tok.partition("-")
    return bool(dash) and ((lo.isdecimal() and (hi.isdecimal() or hi == "odd")) or (
        hi == "odd" and word_value(lo) is not None))


def quantity_at(toks: list[str], i: int) -> Quantity | None:
    """Parse a quantity whose number or vague word starts exactly at ``toks[i]``.

    The qualifier (if any) is looked up just before ``i``; the returned ``start`` includes it.
    "a"/"an"/"one" are returned as 1 — the caller decides whether a person noun follows.
    """
    tok = toks[i]
    n = len(toks)
    for phrase, rest in _VAGUE_BY_FIRST.get(tok, ()):
        end = i + 1 + len(rest)
        if end > n or not _words_at(toks, i + 1, rest):
            continue
        if not (phrase == "some" and i + 1 < n and (word_value(toks[i + 1]) or number_word(toks[i + 1]))):
            vague_low, vague_high = VAGUE[phrase]
            if end < n and toks[end] == "of":
                end += 1
            return Quantity(0, vague_low, vague_high, i, end, vague=phrase)
    num = _number_at(toks, i)
    if num is not None and tok[:1].isdigit() and _day_of_month(toks, i):
        return None
    if num is None and tok.endswith("-odd") and word_value(tok[:-4]) is not None:
        qual = _qualifier_before(toks, i)  # "forty-odd soldiers": forty and some
        return Quantity(word_value(tok[:-4]) or 0, word_value(tok[:-4]) or 0, None,
                        qual[1] if qual is not None else i, i + 1)
    if num is None and "-" in tok and tok[:1].isdigit():
        lo, _, hi = tok.partition("-")  # "40-50" written as one word
        qual = _qualifier_before(toks, i)  # ("some 40-50": the phrase starts at its qualifier)
        start = qual[1] if qual is not None else i
        if lo.isdecimal() and hi.isdecimal() and int(hi) > int(lo):
            return Quantity(int(lo), int(lo), int(hi), start, i + 1)
        if lo.isdecimal() and hi == "odd":  # "30-odd militants": thirty and some
            return Quantity(int(lo), int(lo), None, start, i + 1)
    if num is None:
        if tok in ("a", "an") and i + 3 < n and toks[i + 2] == "number" and toks[i + 3] == "of":
            # "a large number of", "a larger number of": as vague as "a number of"
            v_low, v_high = VAGUE["a number of"]
            return Quantity(0, v_low, v_high, i, i + 4, vague="a number of")
        if tok in ("a", "an", "another"):
            return Quantity(1, 1, 1, i, i + 1)
        return None
    value, end = num
    qual = _qualifier_before(toks, i)
    start = i
    low: int = value
    high: int | None = value
    top = None
    if end + 1 < len(toks) and toks[end] in _RANGE_LINKS:
        top = _range_top(toks, end, value) or _upper_bound_after(toks, end, value)
    if top is not None:
        # "10 to 15", "two or three", "between 10 and 15": the stated value is the lower bound
        high, end = top
        if i > 0 and toks[i - 1] == "between":
            start = i - 1
        return Quantity(value, low, high, start, end)
    qname = None
    if qual is not None:
        qname, start = qual
        kind = QUALIFIERS[qname]
        if kind == "lower":
            high = None
        elif kind == "upper":
            low = min(1, value)
        elif kind == "below":
            # "fewer than 10": at most 9, the count the bound allows (IBC's maximum reading)
            value = max(0, value - 1)
            low, high = min(1, value), value
    return Quantity(value, low, high, start, end, qualifier=qname)
