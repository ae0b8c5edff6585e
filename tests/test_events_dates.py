"""streams.events.dates: the day range an incident's text gives, against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from streams.events.dates import DayRange, day_range, incident_day_range

TUESDAY = date(2026, 3, 3)


def named(y: int, m: int, d: int) -> DayRange:
    return DayRange(date(y, m, d), date(y, m, d), True)


@pytest.mark.parametrize(("text", "expected"), [
    ("A bomb killed three people yesterday.", named(2026, 3, 2)),
    ("Gunmen attacked a checkpoint late last night.", named(2026, 3, 2)),
    ("A car bomb went off this morning near the market.", named(2026, 3, 3)),
    ("A parked car exploded late Monday near the bus station.", named(2026, 3, 2)),
    ("Police said on Tuesday that a bomb had killed five on Sunday.", named(2026, 3, 1)),
    ("A blast on Tuesday killed four.", named(2026, 3, 3)),
    ("Last Tuesday a bomb killed 30 people at the market.", named(2026, 2, 24)),
    ("A bomb killed 30 people at the market last week.", named(2026, 2, 24)),
    ("On Feb. 24 a suicide bomber struck a funeral.", named(2026, 2, 24)),
    ("A roadside bomb on 1 March wounded seven.", named(2026, 3, 1)),
    ("A blast overnight killed four.", DayRange(date(2026, 3, 2), date(2026, 3, 3), False)),
    ("Gunmen shot two policemen dead at their checkpoint.", DayRange(date(2026, 3, 2), date(2026, 3, 3), False)),
    # the day a toll rose to a new figure is not the event's; the event's own day still is
    ("The toll from a bombing at a market rose to 40 on Tuesday.", DayRange(date(2026, 3, 2), date(2026, 3, 3),
                                                                              False)),
    ("The toll from Sunday's bombing at a market rose to 40 on Tuesday.", named(2026, 3, 1)),
])
def test_day_range_of_a_tuesday_report(text: str, expected: DayRange) -> None:
    assert day_range(text, TUESDAY) == expected


def test_a_named_month_after_the_report_is_last_year() -> None:
    assert day_range("The attack on Dec 30 killed nine.", date(2026, 1, 2)) == named(2025, 12, 30)


def test_no_publication_date_means_no_day() -> None:
    assert day_range("A bomb killed three people yesterday.", None) is None


def test_the_extractors_day_is_kept_when_the_text_names_none() -> None:
    # the extractor may have dated the incident from more than the evidence clause
    assert incident_day_range("Gunmen killed two policemen.", "2026-03-03", "2026-03-01") == named(2026, 3, 1)
    assert incident_day_range("Gunmen killed two policemen.", None, "2026-03-01") == named(2026, 3, 1)
    assert incident_day_range("Gunmen killed two policemen.", None, None) is None


def test_ranges_compare_by_gap_and_named_day() -> None:
    monday, implied = named(2026, 3, 2), DayRange(date(2026, 3, 4), date(2026, 3, 5), False)
    assert monday.gap(implied) == 2 and implied.gap(monday) == 2
    assert monday.gap(DayRange(date(2026, 3, 1), date(2026, 3, 3), False)) == 0
    assert monday.same_named_day(named(2026, 3, 2)) and not monday.same_named_day(implied)
