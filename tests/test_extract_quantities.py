"""Quantity parsing: number words, digits, qualifiers and vague words (the table in extractors/README)."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.quantities import Quantity, quantity_at, word_value
from schemas.records import Article


def _q(text: str, at: int = 0) -> Quantity | None:
    return quantity_at(text.lower().split(), at)


@pytest.mark.parametrize(
    ("token", "value"),
    [("12", 12), ("1,200", 1200), ("28,000", 28000), ("forty", 40), ("twenty-five", 25), ("nineteen", 19),
     ("one", 1), ("militants", None), ("twenty-", None), ("60-year-old", None), ("", None)],
)
def test_word_value(token: str, value: int | None) -> None:
    assert word_value(token) == value


@pytest.mark.parametrize(
    ("text", "at", "value", "low", "high", "vague", "qualifier"),
    [
        ("forty militants", 0, 40, 40, 40, None, None),
        ("twenty five people", 0, 25, 25, 25, None, None),
        ("two hundred bodies", 0, 200, 200, 200, None, None),
        ("two dozen people", 0, 24, 24, 24, None, None),
        ("a dozen militants", 0, 12, 12, 12, None, None),
        ("at least 19 iraqis", 2, 19, 19, None, None, "at least"),
        ("more than 57 people", 2, 57, 57, None, None, "more than"),
        ("about 200 bodies", 1, 200, 200, 200, None, "about"),
        ("as many as 24 people", 3, 24, 1, 24, None, "as many as"),
        ("up to 30 people", 2, 30, 1, 30, None, "up to"),
        ("close to 40 people", 2, 40, 40, 40, None, "close to"),
        ("just over 30 people", 2, 30, 30, None, None, "just over"),
        ("well over 100 people", 2, 100, 100, None, None, "well over"),
        ("dozens of militants", 0, 0, 24, 99, "dozens", None),
        ("scores of people", 0, 0, 40, 99, "scores", None),
        ("several people", 0, 0, 3, 9, "several", None),
        ("a number of people", 0, 0, 2, 9, "a number of", None),
        ("a few civilians", 0, 0, 2, 4, "a few", None),
        ("hundreds of civilians", 0, 0, 200, 999, "hundreds", None),
        ("a policeman", 0, 1, 1, 1, None, None),
        ("an officer", 0, 1, 1, 1, None, None),
        # a range: the stated value is its lower bound, the range is kept
        ("10 to 15 people", 0, 10, 10, 15, None, None),
        ("two or three people", 0, 2, 2, 3, None, None),
        ("between 10 and 15 people", 1, 10, 10, 15, None, None),
        ("40-50 others", 0, 40, 40, 50, None, None),
        # thousands grouped by a space
        ("1 200 people", 0, 1200, 1200, 1200, None, None),
        ("4 000 people", 0, 4000, 4000, 4000, None, None),
    ],
)
def test_quantity_table(text: str, at: int, value: int, low: int, high: int | None, vague: str | None,
                        qualifier: str | None) -> None:
    q = _q(text, at)
    assert q is not None
    assert (q.value, q.low, q.high, q.vague, q.qualifier) == (value, low, high, vague, qualifier)


def test_qualifier_is_part_of_the_span() -> None:
    q = _q("at least 19 iraqis", 2)
    assert q is not None and (q.start, q.end) == (0, 3)


def test_not_a_quantity() -> None:
    assert _q("militants were killed") is None


def test_a_range_spans_its_words_and_a_smaller_second_number_is_no_range() -> None:
    q = _q("between 10 and 15 people", 1)
    assert q is not None and (q.start, q.end) == (0, 4)
    q = _q("5 to 2 people")
    assert q is not None and (q.value, q.high, q.end) == (5, 5, 1)
    q = _q("12 0 people")  # (a lone digit after a number is no thousands group)
    assert q is not None and (q.value, q.end) == (12, 1)


def test_an_upper_bound_after_a_figure_makes_a_range() -> None:
    q = _q("at least 5 and as many as 9 people", 2)
    assert q is not None and (q.value, q.low, q.high, q.end) == (5, 5, 9, 8)
    q = _q("half a dozen people")
    assert q is not None and (q.value, q.end) == (6, 3)


def test_a_day_written_after_its_month_is_a_date_not_a_count() -> None:
    assert _q("on nov 30 a soldier", 2) is None
    assert _q("on nov . 30 a soldier", 3) is None
    assert _q("since november 3 two soldiers", 2) is None
    assert _q("november saw 30 soldiers", 2) is not None  # the month is not right before it
    assert _q("nov 300 soldiers", 1) is not None  # no day of a month


@pytest.mark.parametrize(("body", "figures"), [
    ("Some 40-50 militants were killed in airstrikes near Hit on Friday.", (40, 40, 50)),
    ("Airstrikes killed some 40-50 militants near Hit on Friday.", (40, 40, 50)),
    ("Airstrikes killed 30-odd militants near Hit on Friday.", (30, 30, None)),
])
def test_a_range_or_a_round_figure_written_as_one_word_after_some(body: str, figures: tuple) -> None:
    [incident] = [i for i in extract(Article(id="t", body=body, published="2025-06-06")).incidents
                  if i.status == "counted"]
    assert (incident.killed, incident.killed_min, incident.killed_max) == figures


@pytest.mark.parametrize(("body", "killed"), [
    ("One hundred and twenty people died when a truck bomb hit a market in Hilla on Friday.", 120),
    ("Two hundred and five soldiers were killed in the assault on the base near Hit on Friday.", 205),
    ("Gunmen shot dead a half-dozen farmers near Hit on Friday.", 6),
    ("Airstrikes killed forty-odd militants near Hit on Friday.", 40),
])
def test_a_number_in_several_words_or_a_hyphenated_word_is_read_whole(body: str, killed: int) -> None:
    assert sum(i.killed for i in extract(Article(id="t", body=body, published="2025-06-06")).incidents
               if i.status == "counted") == killed
