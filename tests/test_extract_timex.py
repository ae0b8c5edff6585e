"""Time expressions and their relation to the report's date (extractors.timex)."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.segment import Sentence, tokenize
from extractors.timex import anterior_markers, find_times, story_year

# a Tuesday
PUBLISHED = date(2016, 6, 14)


def toks(text: str) -> list[str]:
    s = Sentence(text, 0, len(text), 0, 0)
    tokenize(s)
    return s.toks


def relations(text: str, published: date | None = PUBLISHED, ref_year: int | None = None) -> list[tuple[str, str]]:
    return [(t.text, t.relation) for t in find_times(toks(text), published, ref_year)]


@pytest.mark.parametrize(
    "text,want",
    [
        ("A bomb went off in the market today.", [("today", "report")]),
        ("Gunmen attacked the checkpoint late last night.", [("last night", "report")]),
        ("Two shells landed overnight.", [("overnight", "report")]),
        ("Police found the bodies yesterday afternoon.", [("yesterday", "report")]),
        ("The raid began this morning.", [("this morning", "report")]),
        ("On Monday, militants stormed the village.", [("monday", "report")]),
        ("The convoy was hit on Tuesday evening.", [("tuesday evening", "report")]),
        ("The shooting happened on Sunday.", [("sunday", "earlier")]),
        ("Last Friday, a drone struck the camp.", [("last friday", "earlier")]),
        ("The strike came on June 13.", [("june 13", "report")]),
        ("The strike came on 14 June 2016.", [("14 june 2016", "report")]),
        ("It happened on June 2.", [("june 2", "earlier")]),
        ("The clashes of Dec. 28 were the worst.", [("dec . 28", "earlier")]),
    ],
)
def test_points_in_time_are_placed_against_the_report(text: str, want: list[tuple[str, str]]) -> None:
    assert relations(text) == want


@pytest.mark.parametrize(
    "text,want",
    [
        ("So far this year, hundreds have died.", [("so far", "open"), ("this year", "span")]),
        ("Since the offensive began, the toll has grown.", [("since", "span")]),
        ("In the last three months the fighting spread.", [("the last three months", "span")]),
        ("Over the past few weeks raids were frequent.", [("the past few weeks", "span")]),
        ("Attacks were reported every day.", [("every day", "span")]),
        ("On average, six people die in such attacks.", [("on average", "span")]),
        ("During the month, the toll climbed.", [("during the month", "span")]),
        ("In June, violence flared.", [("in june", "span")]),
        ("Fighting has raged for three days.", [("for three days", "span")]),
        ("Throughout the year the camp was shelled.", [("throughout the year", "span")]),
        ("In recent weeks the group regrouped.", [("in recent weeks", "span")]),
    ],
)
def test_spans_accumulate(text: str, want: list[tuple[str, str]]) -> None:
    assert relations(text) == want


@pytest.mark.parametrize(
    "text,want",
    [
        ("Last week, a bomb hit the bridge.", [("last week", "earlier")]),
        ("Two days ago the road was mined.", [("two days ago", "earlier")]),
        ("Earlier this month the mayor was shot.", [("earlier this month", "earlier")]),
        ("In March, a car bomb went off.", [("in march", "earlier")]),
        ("The massacre took place in 2014.", [("2014", "earlier")]),
        ("Graves from the 1980s were opened.", [("1980s", "earlier")]),
        ("He was recently released.", [("recently", "earlier")]),
        ("The previous day, two died.", [("the previous day", "earlier")]),
        ("Victims of the war were reburied.", []),
        ("Many were killed during the war.", [("during the war", "earlier")]),
    ],
)
def test_earlier_points(text: str, want: list[tuple[str, str]]) -> None:
    assert relations(text) == want


@pytest.mark.parametrize(
    "text,want",
    [
        ("So far, 40 bodies have been recovered.", [("so far", "open")]),
        ("Nobody has been charged to date.", [("to date", "open")]),
        ("The toll until now is 12.", [("until now", "open")]),
    ],
)
def test_up_to_now_from_no_stated_start_is_open(text: str, want: list[tuple[str, str]]) -> None:
    assert relations(text) == want


@pytest.mark.parametrize(
    "text,want",
    [
        ("At least nine died over the last two days.", [("the last two days", "report")]),
        ("Four were hurt in the past 24 hours.", [("the past 24 hours", "report")]),
        ("Five were killed during the last day or so, police said.", [("the last day", "report")]),
    ],
)
def test_a_span_as_short_as_a_roundup_is_the_reports_own_period(text: str, want: list[tuple[str, str]]) -> None:
    assert relations(text) == want


def test_month_names_that_are_verbs_are_not_dates() -> None:
    assert relations("Protesters march to the square and may return.") == []


def test_a_year_in_a_groups_name_dates_nothing() -> None:
    assert relations("A bomb hit a base of the 1920 Revolution Brigades in Baquba.") == []
    assert relations("Members of the 2011 Youth Movement marched.") == []
    # a year before an event, or before a clause, still dates it
    assert relations("The 2011 revolution left hundreds dead.") == [("2011", "earlier")]
    assert relations("In 2014 army troops retook the town.") == [("2014", "earlier")]


def test_an_undated_report_measures_weekdays_from_the_weekday_it_is_told_on() -> None:
    told_thursday = [(t.text, t.relation) for t in find_times(toks("Two died in clashes on Monday."), None,
                                                              report_weekday=3)]
    assert told_thursday == [("monday", "earlier")]
    assert [(t.text, t.relation) for t in find_times(toks("Two died in clashes on Wednesday."), None,
                                                     report_weekday=3)] == [("wednesday", "report")]
    assert relations("Two died in clashes on Monday.", published=None) == [("monday", "report")]


def test_undated_reports_date_years_by_the_latest_year_they_mention() -> None:
    assert relations("In 2017, a truck bomb killed hundreds.", None, 2019) == [("2017", "earlier")]
    assert relations("In 2019, a truck bomb killed hundreds.", None, 2019) == []
    assert relations("On Friday, gunmen attacked.", None) == [("friday", "report")]
    assert relations("Last Friday, gunmen attacked.", None) == [("last friday", "earlier")]
    assert story_year("Filed 12 March 2018; the 2016 attack and the 2011 one") == 2018
    assert story_year("no year here, only 12345 and 3000") is None


def test_days_are_resolved() -> None:
    (t,) = find_times(toks("It happened yesterday."), PUBLISHED)
    assert t.day == date(2016, 6, 13)
    (t,) = find_times(toks("It happened on Sunday."), PUBLISHED)
    assert t.day == date(2016, 6, 12)
    (t,) = find_times(toks("It happened on December 30."), date(2017, 1, 2))
    assert (t.relation, t.day) == ("earlier", date(2016, 12, 30))


@pytest.mark.parametrize(
    "text,n",
    [
        ("The bombing came a week after gunmen killed two.", 1),
        ("Two days before the vote, a bomb exploded.", 1),
        ("Hours after the blast, a second bomb went off.", 0),
        ("He died after the attack.", 0),
    ],
)
def test_anterior_markers_need_a_distance_of_a_day_or_more(text: str, n: int) -> None:
    assert len(anterior_markers(toks(text))) == n
