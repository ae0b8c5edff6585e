"""The scope of every figure (extractors.scope): only events of the report's own period count.

Each test is a short article in our own words; the assertions are the exact incidents counted and
the figures set aside with their scope (ArticleSummary.not_counted).
"""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.rules import disabled
from schemas.records import Article

PUBLISHED = "2016-06-14"  # a Tuesday


def run(body: str, published: str | None = PUBLISHED, title: str | None = None) -> tuple[list[int], list[tuple]]:
    result = extract(Article(id="t", body=body, published=published, title=title))
    counted = [i.killed for i in result.incidents if i.status == "counted"]
    aside = [(f.killed, f.scope) for f in result.summary.not_counted]
    return counted, aside


@pytest.mark.parametrize(
    "body",
    [
        "In Mosul, gunmen killed three policemen. So far this year, 410 people have been killed in the province.",
        "In Mosul, gunmen killed three policemen. Since January, militants have killed 410 people in the city.",
        "In Mosul, gunmen killed three policemen. Over the past four months, 410 people were killed there.",
        "In Mosul, gunmen killed three policemen. During the month, 410 people were killed in the province.",
        "In Mosul, gunmen killed three policemen. On average, 410 people are killed there every month.",
    ],
)
def test_cumulative_tolls_are_set_aside(body: str) -> None:
    counted, aside = run(body)
    assert counted == [3]
    assert aside == [(410, "cumulative")]


@pytest.mark.parametrize(
    "body",
    [
        "In Kirkuk, a bomb killed two soldiers. Last week, a similar bomb killed 12 people in the same market.",
        "In Kirkuk, a bomb killed two soldiers. Two weeks ago, a similar bomb killed 12 people nearby.",
        "In Kirkuk, a bomb killed two soldiers. On Saturday, a similar bomb killed 12 people nearby.",
        "In Kirkuk, a bomb killed two soldiers. In March, a similar bomb killed 12 people nearby.",
        "In Kirkuk, a bomb killed two soldiers. In 2014, a similar bomb killed 12 people nearby.",
        "In Kirkuk, a bomb killed two soldiers. Earlier this month, a similar bomb killed 12 people nearby.",
    ],
)
def test_earlier_events_are_set_aside(body: str) -> None:
    counted, aside = run(body)
    assert counted == [2]
    assert aside == [(12, "earlier")]


def test_a_clause_opened_by_a_distance_in_days_is_an_earlier_event_and_the_main_clause_counts() -> None:
    counted, aside = run("A car bomb killed four people in Basra, three days after gunmen killed 11 in the city.")
    assert counted == [4]
    assert aside == [(11, "earlier")]


def test_a_relative_clause_dated_recently_does_not_take_the_main_figure_with_it() -> None:
    counted, aside = run("A blast in Tikrit wounded a soldier near the spot where 15 fighters were killed recently.")
    assert counted == [0]
    assert aside == [(15, "earlier")]


def test_a_time_at_the_head_of_the_sentence_governs_every_clause_without_its_own() -> None:
    counted, aside = run("Last month, bombs killed 30 people in Hilla, and gunmen killed nine more in Kut.")
    assert counted == []
    assert sorted(aside) == [(39, "earlier")]


@pytest.mark.parametrize(
    "body",
    [
        "Gunmen killed six people in Baquba on Monday, the bloodiest day in the province this month.",
        "Gunmen killed six people in Baquba, the worst attack there since 2014.",
        "Gunmen killed six people in Baquba, according to a police statement released on Friday.",
        "Gunmen killed six people in Baquba, a police officer said last week.",
    ],
)
def test_times_that_compare_or_date_the_telling_do_not_scope_the_figure(body: str) -> None:
    counted, aside = run(body)
    assert counted == [6]
    assert aside == []


def test_a_when_clause_takes_the_time_just_named() -> None:
    counted, aside = run(
        "Six people died in a bombing in Baquba on Monday. It was the worst toll since May 3, when 25 were killed."
    )
    assert counted == [6]
    assert aside == [(25, "earlier")]


@pytest.mark.parametrize(
    "body,scope",
    [
        ("In Erbil, the remains of 40 people killed in the Anfal campaign were reburied.", "retrospective"),
        ("A mass grave with 40 bodies was exhumed near Sinjar. The victims died in the 1980s.", "retrospective"),
        ("A mass grave holding the bodies of 40 victims of Saddam's rule was found near Basra.", "retrospective"),
        ("A fire in a Baghdad hospital killed 40 patients.", "not_casualty"),
        ("Police said the bomb could have killed 40 people had it gone off in the market.", "not_casualty"),
    ],
)
def test_old_victims_and_non_violent_or_hypothetical_deaths_are_set_aside(body: str, scope: str) -> None:
    counted, aside = run(body)
    assert counted == []
    assert aside == [(40, scope)]


def test_a_mass_grave_of_this_conflict_counts() -> None:
    counted, aside = run("A mass grave containing 40 bodies was found in Hawija, where militants held the town.")
    assert counted == [40]
    assert aside == []


@pytest.mark.parametrize(
    "body,want",
    [
        ("Coalition airstrikes have killed 2,300 militants in the province, the command said.",
         ([], [(2300, "cumulative")])),
        ("The attacks have killed 300 people, officials said.", ([], [(300, "cumulative")])),
        ("A suicide attacker has killed at least 14 people at a wedding in Kirkuk.", ([14], [])),
        ("At least 14 people have been killed in a suicide bombing at a Kirkuk wedding.", ([14], [])),
    ],
)
def test_the_perfect_is_cumulative_only_with_a_campaign_as_subject(body: str, want: tuple) -> None:
    assert run(body) == want


def test_a_past_perfect_outside_reported_speech_is_background() -> None:
    counted, aside = run("Gunmen killed a farmer in Daquq. Militants had killed 12 villagers there in an earlier raid.")
    assert counted == [1]
    assert aside == [(12, "earlier")]


def test_a_past_perfect_in_reported_speech_is_the_event() -> None:
    counted, _ = run("Police in Daquq said that gunmen had killed 12 villagers in a raid on Monday night.")
    assert counted == [12]


def test_a_follow_up_sentence_shares_the_scope_of_the_one_before() -> None:
    counted, aside = run("During June, 249 people were killed in Anbar. Also, 106 were wounded.")
    assert counted == []
    assert [a[1] for a in aside] == ["cumulative", "cumulative"]


def test_a_short_span_is_the_reports_own_period() -> None:
    result = extract(Article(id="t", published=PUBLISHED, body=(
        "At least nine Iraqis died and 12 were hurt over the last two days.\n"
        "In Mosul, a bomb killed four shoppers and wounded seven.\n"
        "Gunmen killed five policemen in Kirkuk and wounded five more."
    )))
    assert (result.summary.stated_killed, result.summary.stated_wounded) == (9, 12)
    assert [(i.killed, i.wounded) for i in result.incidents] == [(4, 7), (5, 5)]


def test_event_dates_and_time_cues_come_from_the_sentence() -> None:
    result = extract(Article(id="t", published=PUBLISHED, body=(
        "A bomb in Kut killed two people yesterday.\nGunmen killed a judge in Amara on Monday night.\n"
        "Three soldiers were killed in Ramadi.")))
    assert [(i.event_date, i.time_cue) for i in result.incidents] == [
        ("2016-06-13", "yesterday"), ("2016-06-13", "monday night"), ("2016-06-14", None)]


def test_undated_wire_stories_date_years_by_their_latest_year() -> None:
    counted, aside = run(
        "Gunmen killed nine people in a village in 2019, police said. In 2017, a bomb killed 30 people there.",
        published=None,
    )
    assert counted == [9]
    assert aside == [(30, "earlier")]


@pytest.mark.parametrize(
    "body",
    [
        "A car bomb killed nine people in Hilla. It was the deadliest attack since a truck bomb killed 300 "
        "people in Baghdad in July.",
        "A car bomb killed nine people in Hilla, the worst attack on the city since suicide bombers killed 300 "
        "at a funeral there.",
    ],
)
def test_the_event_a_superlative_compares_with_after_since_is_earlier(body: str) -> None:
    counted, aside = run(body)
    assert counted == [9]
    assert aside == [(300, "earlier")]


@pytest.mark.parametrize(
    "body",
    [
        "The blast, the worst in Basra since 2015, killed 17 people on Monday.",  # "since" opens a time
        "Gunmen killed 17 people in Basra on Monday, the first attack in the city since the army retook it.",
    ],
)
def test_a_superlative_with_since_leaves_the_main_clause_counted(body: str) -> None:
    counted, _ = run(body)
    assert counted == [17]


@pytest.mark.parametrize(
    "body",
    [
        "Gunmen killed three policemen in Kirkuk. Nine people died when a bus plunged into a ravine near Erbil.",
        "Gunmen killed three policemen in Kirkuk. Nine people died when their boat capsized on the Tigris.",
        "Gunmen killed three policemen in Kirkuk. A landslide killed nine villagers near Sulaimaniya.",
    ],
)
def test_deaths_on_the_road_water_or_in_a_disaster_are_not_violence(body: str) -> None:
    counted, aside = run(body)
    assert counted == [3]
    assert aside == [(9, "not_casualty")]


def test_an_attack_counted_back_from_the_story_s_event_is_background() -> None:
    body = ("GOMA (Wire) - Rebels killed six farmers in a raid on a village in North Kivu province on "
            "Monday, a local official said.\n\n"
            "Three days earlier, the same group killed 17 people at a market in neighbouring Ituri province.")
    counted, aside = run(body)
    assert counted == [6]
    assert aside == [(17, "earlier")]


@pytest.mark.parametrize("body", [
    "Violence across the country left 20 Iraqis dead.\n\nIn Kirkuk, a bomb killed three soldiers.\n\n"
    "The health ministry said 842 civilians were killed in attacks last month.",
    "Violence across the country left 20 Iraqis dead.\n\nIn Kirkuk, a bomb killed three soldiers.\n\n"
    "A monitoring group said that 842 civilians died during May.",
])
def test_a_time_inside_reported_speech_dates_what_was_said(body: str) -> None:
    counted, aside = run(body)
    assert counted == [3]
    assert aside == [(842, "earlier")]


def test_a_time_right_after_the_speech_verb_dates_the_telling() -> None:
    # (published on a Tuesday: Sunday is two days back, an earlier day if it dated the killing)
    body = ("Violence across the country left 20 Iraqis dead.\n\n"
            "In Kirkuk, a bomb killed three soldiers, police said on Sunday.\n\n"
            "Police said Sunday that gunmen killed two farmers near Hawija.")
    counted, _ = run(body)
    assert counted == [3, 2]


@pytest.mark.parametrize("body", [
    "In Kirkuk, a bomb killed three soldiers. The ministry denied reports that 25 recruits died in the attack.",
    "In Kirkuk, a bomb killed three soldiers. Police dismissed claims that 25 recruits had been killed.",
    "In Kirkuk, a bomb killed three soldiers. Early reports that 25 recruits were killed proved false.",
])
def test_figures_a_sentence_denies_are_not_counted(body: str) -> None:
    counted, aside = run(body)
    assert counted == [3]
    assert aside == [(25, "not_casualty")]


def test_a_denial_leaves_the_figures_before_it_and_after_its_clause() -> None:
    counted, _ = run("Four guards were killed at the gate in Kirkuk, police said, denying reports that 25 died; "
                     "two passers-by were wounded.")
    assert counted == [4]


def test_a_partitive_opening_breaks_down_figures_told_already() -> None:
    body = ("Violence across the country left 20 Iraqis dead.\n\nIn Kirkuk, a bomb killed three soldiers.\n\n"
            "Of the 20 killed, 14 were militants fighting the army west of Mosul.")
    counted, aside = run(body)
    assert counted == [3]
    assert (20, "restated") in aside


def test_a_count_back_after_a_verb_dates_only_its_own_clause() -> None:
    # the week is when the villagers were taken, not when they were killed
    counted, _ = run("Violence across the country left 20 Iraqis dead.\n\nIn Kirkuk, a bomb killed three soldiers.\n\n"
                     "In Khalis, gunmen shot dead two farmers they had kidnapped a week earlier.")
    assert counted == [3, 2]


def test_an_undated_story_told_by_weekday_recalls_its_latest_year() -> None:
    counted, aside = run(
        "Gunmen killed nine soldiers at a checkpoint on Friday, officials said. The group also claimed a bomb "
        "that brought down a bus in 2016, killing 40 passengers.",
        published=None,
    )
    assert counted == [9]
    assert aside == [(40, "earlier")]


def test_a_time_in_a_relative_aside_dates_only_that_aside() -> None:
    body = ("Violence across Iraq left 31 dead today.\n\n"
            "In Amerli, where troops broke a long siege on Saturday, 12 militants were killed in clashes. "
            "In Kirkuk, gunmen killed four policemen.")
    assert run(body)[0] == [12, 4]
    with disabled("scope.aside_time"):
        assert run(body) == ([4], [(12, "earlier")])


def test_an_accident_in_a_clause_of_its_own_does_not_scope_the_attack_beside_it() -> None:
    body = ("YAOUNDE (Wire) - Separatist gunmen killed four farmers when they raided a hamlet in Cameroon's "
            "Southwest region on Sunday, an official said, a day after six people died in a stampede outside "
            "a stadium in the capital.")
    result = extract(Article(id="t", body=body, published="2022-01-24"))
    assert [(i.killed, i.location.region_code) for i in result.incidents] == [(4, "CM-SW")]
    assert [(f.killed, f.scope) for f in result.summary.not_counted] == [(6, "not_casualty")]
    # told alone, or as the clause of every figure, the accident still scopes them all
    assert run("Six people died in a stampede outside a stadium in Yaounde on Saturday.")[0] == []
    assert run("A bus overturned near Bafoussam on Monday, killing nine and injuring 20.")[0] == []


@pytest.mark.parametrize("body", [
    "Two explosions at a ceremony marking the anniversary of a general's death killed 60 people in Kerman "
    "on Wednesday.",
    "A bomber killed 14 mourners at a procession commemorating a saint's death in Baghdad on Tuesday.",
])
def test_a_gathering_held_for_an_anniversary_is_the_scene_of_todays_attack(body: str) -> None:
    assert len(run(body)[0]) == 1


@pytest.mark.parametrize("body", [
    "Thousands attended a ceremony marking the anniversary of the massacre in which 300 villagers were killed.",
    "A ceremony marking the anniversary of the killing of 12 protesters was held in Basra on Monday.",
])
def test_the_victims_an_anniversary_remembers_are_still_set_aside(body: str) -> None:
    counted, aside = run(body)
    assert counted == [] and [scope for _, scope in aside] == ["retrospective"]


def test_a_toll_expected_to_rise_is_no_update_of_the_figures_beside_it() -> None:
    body = ("MOGADISHU (Wire) - A truck bomb killed at least 80 people at a busy junction in Mogadishu on "
            "Saturday, police said.\n\nMore than 120 others were injured, a police officer said, warning that "
            "the toll was likely to rise.")
    result = extract(Article(id="t", body=body, published="2017-10-15"))
    assert [(i.killed, i.wounded) for i in result.incidents] == [(80, 120)]
