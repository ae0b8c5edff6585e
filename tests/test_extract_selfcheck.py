"""The article's self-check (extractors.selfcheck): figures that contradict the article's own toll
are published as suspect and left out of the counted totals."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.selfcheck import headline_toll, margin
from schemas.records import Article

ROUNDUP = (
    "At least 14 Iraqis were killed and 9 were wounded across the country.\n"
    "In Mosul, gunmen killed four police officers and wounded two.\n"
    "A roadside bomb killed three soldiers near Tikrit.\n"
    "{extra}\n"
    "In Baquba, a bomb killed seven people and wounded seven more."
)


def statuses(body: str, title: str | None = None) -> list[tuple[int, int, str]]:
    result = extract(Article(id="t", body=body, title=title, published="2016-06-14"))
    return [(i.killed, i.wounded, i.status) for i in result.incidents]


def test_a_figure_larger_than_the_stated_total_is_suspect_and_not_counted() -> None:
    body = ROUNDUP.format(extra="The commander said his men killed 800 militants near Hawija.")
    result = extract(Article(id="t", body=body, published="2016-06-14"))
    assert [(i.killed, i.status) for i in result.incidents] == [
        (4, "counted"), (3, "counted"), (800, "suspect"), (7, "counted")]
    suspect = result.incidents[2]
    assert suspect.status_reason == "its 800 killed alone exceed the article's own stated total of 14"
    s = result.summary
    assert (s.extracted_killed, s.extracted_wounded, s.suspect_killed) == (14, 9, 800)
    assert [(f.incident_id, f.killed) for f in s.suspect] == [(suspect.incident_id, 800)]


def test_figures_within_the_margin_of_the_stated_total_are_counted() -> None:
    # authors' totals are often a little off: 14 stated, 14 + 8 extracted stays within max(10, 50%)
    body = ROUNDUP.format(extra="Clashes killed eight fighters near Hawija.")
    assert [s for _, _, s in statuses(body)] == ["counted"] * 4


def test_when_the_sum_runs_far_past_the_total_the_largest_figure_is_held_back() -> None:
    # 14 stated; 4 + 3 + 7 + 20 + 20 = 54 killed: the first 20 alone is within the margin (14 + 10),
    # but the sum is not; holding back one 20 leaves 34, still over 24, so the second one goes too
    body = ROUNDUP.format(extra="Clashes killed 20 fighters near Hawija. Airstrikes killed 20 more in Rutba.")
    assert statuses(body) == [(4, 2, "counted"), (3, 0, "counted"), (20, 0, "suspect"), (20, 0, "suspect"),
                              (7, 7, "counted")]


def test_the_headline_toll_is_a_reference_too() -> None:
    body = ("A car bomb killed 12 people in a market in Kirkuk on Monday, police said.\n"
            "In Hawija, gunmen killed three farmers.\nIn Daquq, a mortar killed two children.\n"
            "In Tuz Khurmatu, the army said its jets killed 400 militants in the hills.")
    assert statuses(body, title="Car bomb kills 12 in Kirkuk market") == [
        (12, 0, "counted"), (3, 0, "counted"), (2, 0, "counted"), (400, 0, "suspect")]


def test_in_a_single_event_story_a_background_figure_is_folded_not_counted() -> None:
    body = ("A car bomb killed 12 people in a market in Kirkuk on Monday, police said.\n"
            "The group behind it has also claimed attacks that killed 400 people across the north.")
    assert statuses(body, title="Car bomb kills 12 in Kirkuk market") == [(12, 0, "counted")]


def test_without_a_stated_or_headline_toll_nothing_is_suspect() -> None:
    body = "Gunmen killed 300 people in three villages, officials said.\nA bomb killed two in a market."
    assert [s for _, _, s in statuses(body, title="Villages attacked")] == ["counted", "counted"]


@pytest.mark.parametrize(
    "title,want",
    [
        ("Car bomb kills 12, wounds 30 in Kirkuk market", (12, 30)),
        ("Thursday: 57 Iraqis, 5 Marines killed", (62, None)),
        ("Iraq roundup: 11 killed; 70 bodies recovered from mass grave", (11, None)),
        ("Eight soldiers injured in grenade attack", (None, 8)),
        ("Talks resume in Geneva", (None, None)),
        (None, (None, None)),
    ],
)
def test_headline_tolls_are_read_with_the_clause_parser(title: str | None, want: tuple) -> None:
    assert headline_toll(title) == want


def test_the_margin_is_ten_or_half_the_reference() -> None:
    assert (margin(4), margin(20), margin(100)) == (10, 10, 50)
