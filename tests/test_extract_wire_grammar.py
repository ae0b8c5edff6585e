"""Grammar of the world's wires read by general mechanisms (issues 14 and 15): each test is an
article of our own in a wire layout and the exact incidents it must give; each fails with its
mechanism switched off (named rule) or reverted."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.rules import disabled
from schemas.records import Article, Incident


def counted(body: str, title: str | None = None, published: str | None = "2025-09-14") -> list[Incident]:
    result = extract(Article(id="t", body=body, title=title, published=published))
    return [i for i in result.incidents if i.status == "counted"]


def figures(body: str, **kw: str | None) -> list[tuple[int, int, str | None]]:
    return [(i.killed, i.wounded, i.location.region_code) for i in counted(body, **kw)]


# --- a new subject after a breakdown ------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "HODEIDAH, Yemen (AP) - Seven fishermen died on Sunday when a mine blew up their boat off Hodeidah, "
    "including two brothers, and three others were wounded, the port authority said.",
    "HODEIDAH, Yemen (AP) - Seven fishermen died on Sunday when a mine blew up their boat off Hodeidah.\n"
    '"Seven are dead, among them two brothers, and three others hurt," a port official told AP.',
])
def test_the_phrase_after_a_breakdown_that_has_its_own_verb_is_a_new_subject(body: str) -> None:
    assert figures(body) == [(7, 3, "YE-HU")]
    with disabled("clauses.new_predicate"):
        assert figures(body) == [(7, 0, "YE-HU")]


# --- wounded told by their treatment ---------------------------------------------------------------

@pytest.mark.parametrize("second", [
    "Another 19 people were being treated for wounds, the health commissioner said.",
    "Nineteen people were treated for injuries in two hospitals, the health commissioner said.",
    "Nineteen people were hospitalised, the health commissioner said.",
    "Nineteen were taken to the hospital with injuries, the health commissioner said.",
    "Nineteen people were treated for gunshot wounds, the health commissioner said.",
    "Another 19 were being treated for their injuries, the health commissioner said.",
    "Nineteen were taken to the hospital with shrapnel wounds, the health commissioner said.",
    "Another 19 people were being treated in two local hospitals, the health commissioner said.",
    "Nineteen others were treated at the city's main hospital, the health commissioner said.",
])
def test_the_wounded_told_by_their_treatment_are_wounded(second: str) -> None:
    body = ("MAIDUGURI, Nigeria (AP) - Four people were killed when a bomb went off at a cattle market in "
            "Maiduguri on Sunday, police said.\n" + second)
    assert figures(body) == [(4, 19, "NG-BO")]


def test_a_figure_treated_for_something_else_is_not_wounded() -> None:
    body = ("MAIDUGURI, Nigeria (AP) - Four people were killed when a bomb went off at a cattle market in "
            "Maiduguri on Sunday, police said. Some 40 children were treated for malnutrition in the camp.")
    assert figures(body) == [(4, 0, "NG-BO")]


# --- the other side's dead ----------------------------------------------------------------------------

def test_the_forces_dead_told_after_a_toll_of_attackers_add_to_the_event() -> None:
    body = (
        "NIAMEY (Reuters) - Jihadists attacked an army post in western Niger's Tillaberi region on Tuesday, "
        "and the defence ministry said troops killed 23 of the assailants.\n"
        "Four soldiers were killed in the fighting, the ministry added in a statement read on state "
        "television.\n"
        "A jihadist group said in a message that its men had killed 20 soldiers."
    )
    assert figures(body) == [(27, 0, "NE-6")]
    with disabled("story.attackers"):
        assert figures(body) == [(23, 0, "NE-6")]


def test_people_of_unknown_kind_told_after_a_toll_of_attackers_are_a_retelling() -> None:
    body = (
        "NIAMEY (Reuters) - Troops killed 23 assailants who attacked an army post in western Niger's "
        "Tillaberi region on Tuesday, the defence ministry said.\n"
        "Twenty-three people were killed in the fighting, the ministry added."
    )
    assert figures(body) == [(23, 0, "NE-6")]


@pytest.mark.parametrize("noun", ["peacekeepers", "herdsmen", "bandits", "vigilantes", "churchgoers"])
def test_persons_of_other_conflicts_are_victims_with_a_complement(noun: str) -> None:
    body = f"Three {noun} from Chad were killed near the town of Kidal in Mali on Thursday, officials said."
    assert [i.killed for i in counted(body)] == [3]


# --- week, places and names ---------------------------------------------------------------------------

def test_a_lead_dated_by_this_week_and_told_on_a_day_is_the_weeks_event() -> None:
    body = ("PEMBA, Mozambique (Reuters) - Insurgents beheaded at least nine villagers in Mozambique's "
            "Cabo Delgado province this week, local officials told Reuters on Friday.")
    assert figures(body, published="2025-09-12") == [(9, 0, "MZ-P")]


@pytest.mark.parametrize(("owner", "code"), [("Cameroon's English-speaking Northwest", "CM-NW"),
                                             ("Cameroon's restive Far North", "CM-EN")])
def test_adjectives_between_an_owner_and_its_region_do_not_hide_the_region(owner: str, code: str) -> None:
    # (filed from a town of another region: the dateline must not place it)
    body = f"BUEA (AFP) - Gunmen killed four gendarmes at a checkpoint in {owner}, a local official said on Monday."
    assert figures(body) == [(4, 0, code)]


def test_a_name_found_abroad_only_does_not_place_a_story_about_another_country() -> None:
    # "Northwest" is also another name of a district of Dubai in GeoNames
    body = ("YAOUNDE (AFP) - Separatists killed three teachers in Cameroon's remote Northwest region, "
            "a local official said on Monday.")
    assert figures(body) == [(3, 0, "CM-NW")]


def test_a_hyphen_for_the_and_of_a_two_part_region_name() -> None:
    body = ("TEHRAN (AFP) - Gunmen killed two border guards in Iran's Sistan-Baluchestan province "
            "overnight, state media said on Wednesday.")
    assert figures(body) == [(2, 0, "IR-11")]


# --- numbers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "expected"), [
    ("Half a dozen policemen were wounded when a grenade hit their post in Kandahar on Friday.", (0, 6)),
    ("Nine villagers were killed and nearly half a dozen hurt in a raid in Kandahar on Friday.", (9, 6)),
    ("A grenade killed half a dozen policemen at their post in Kandahar on Friday.", (6, 0)),
])
def test_half_a_dozen_before_a_passive_verb_is_six(body: str, expected: tuple[int, int]) -> None:
    assert [(i.killed, i.wounded) for i in counted(body)] == [expected]


# --- methods told in the plural -----------------------------------------------------------------------

@pytest.mark.parametrize(("body", "method"), [
    ("Mortars fell on a market in Kandahar on Friday, killing two people.", "shelling"),
    ("Russian missiles struck a school in Kharkiv on Friday, killing two people.", "shelling"),
    ("Rockets hit a camp in Kandahar on Friday, killing two people.", "shelling"),
    ("Drones struck a convoy in Kandahar on Friday, killing two people.", "airstrike"),
    ("Snipers killed two people in Kandahar on Friday.", "sniper"),
    ("Two people were killed in shootings in Kandahar on Friday.", "gunfire"),
    ("Landmines killed two shepherds in Kandahar on Friday.", "ied"),
])
def test_a_means_named_in_the_plural_is_that_means(body: str, method: str) -> None:
    assert [i.method for i in counted(body)] == [method]


# --- bodies found, in the words of other reports -----------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Three bodies turned up on a rubbish tip in Mosul.",
    "Fishermen fished three bodies out of the Tigris near Mosul.",
    "The bodies of three men washed up on a river bank in Mosul.",
    "A police patrol picked up three bodies near a school in Mosul.",
    "Three bodies were left hanging from an overpass in Mosul.",
    "Shepherds spotted three bodies in a dry canal in Mosul.",
])
def test_bodies_that_turn_up_are_found_dead(sentence: str) -> None:
    assert [(i.killed, i.method) for i in counted(sentence)] == [(3, "bodies_found")]


def test_the_body_of_someone_named_without_an_article_is_one_dead() -> None:
    assert [i.killed for i in counted("The body of Iraqi engineer Saad Karim was found in a ditch in Mosul.")] == [1]


# --- other words for killing --------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Raiders slaughtered four herders at a well in Mosul on Monday.",
    "Four herders were slaughtered at a well in Mosul on Monday.",
    "Troops said they had eliminated four fighters at a well in Mosul on Monday.",
    "Four herders were fatally shot at a well in Mosul on Monday.",
    "Gunmen fatally shot four herders at a well in Mosul on Monday.",
])
def test_other_words_for_killing_count_the_dead(sentence: str) -> None:
    assert [(i.killed, i.wounded) for i in counted(sentence)] == [(4, 0)]


def test_a_victim_fatally_wounded_by_a_sniper_is_dead_and_the_sniper_is_not() -> None:
    (inc,) = counted("A sniper fatally wounded a border guard in Mosul on Monday.")
    assert (inc.killed, inc.wounded, [v.category for v in inc.victims]) == (1, 0, ["security"])


# --- the day of a story told after its lead ------------------------------------------------------------------

_TOLD_FRIDAY = (
    "NIAMEY (Reuters) - Gunmen killed at least 14 villagers in an attack in western Niger, the interior "
    "ministry said on Friday.\n"
    "{second}, a ministry spokesman said, adding that nine people were wounded."
)


def test_a_story_told_a_day_later_is_dated_by_its_retelling_and_keeps_its_wounded() -> None:
    body = _TOLD_FRIDAY.format(second="The attackers raided the village of Tamou in Tillaberi region on Thursday")
    (inc,) = counted(body, published="2025-09-13")  # a Saturday
    assert (inc.killed, inc.wounded, inc.location.region_code, str(inc.event_date)) == (14, 9, "NE-6", "2025-09-11")
    with disabled("context.event_day_after"):
        (inc,) = counted(body, published="2025-09-13")
        assert (inc.killed, inc.wounded, str(inc.event_date)) == (14, 0, "2025-09-12")


def test_an_item_of_another_day_after_a_roundups_total_does_not_date_the_report() -> None:
    body = ("NIAMEY (Reuters) - Violence across western Niger killed 14 people, officials said on Friday.\n"
            "On Thursday, bandits killed four herders in Tillaberi region.\n"
            "In Tahoua, gunmen killed ten traders on Friday.")
    assert figures(body, published="2025-09-13") == [(10, 0, "NE-5")]


def test_the_wounded_told_after_a_new_tolls_attribution_are_its_wounded() -> None:
    body = ("KABUL (AP) - The death toll from Thursday's bombing at Afghanistan's election commission rose to 43, "
            "a ministry spokesman said on Friday, and more than 90 others were wounded.\n"
            "The bomber struck a queue of people waiting outside the commission's offices in the capital.")
    assert figures(body, published="2025-09-12") == [(43, 90, "AF-KAB")]
    with disabled("story.scene"):
        assert figures(body, published="2025-09-12") == [(43, 90, None)]


# --- who the dead are: speakers, ages, and victims counted on ---------------------------------------------

def test_a_speaker_with_a_plural_possessive_is_not_a_victim() -> None:
    body = "Shells hit a bus station in Omdurman on Sunday, killing at least 11 people, a medics' union said."
    assert [i.killed for i in counted(body)] == [11]


def test_an_age_in_apposition_does_not_hide_the_subject() -> None:
    assert [i.killed for i in counted("A second boy, a 15-year-old, was killed by the blast in Jenin.")] == [1]


def test_a_victim_counted_on_from_the_ones_before_adds_to_them() -> None:
    body = ("JENIN (AP) - Troops shot dead two gunmen during a raid in Jenin on Tuesday, the army said. Local "
            "medics said a third man, a 19-year-old, was killed and five people were wounded.")
    assert figures(body, published="2025-09-10") == [(3, 5, "PS-JEN")]
    with disabled("assemble.counted_on"):
        assert figures(body, published="2025-09-10") == [(2, 5, "PS-JEN")]


# --- running totals -------------------------------------------------------------------------------------

def test_the_figures_of_a_running_total_after_new_ones_are_not_new() -> None:
    body = ("In Kut, four more people were reported killed and 30 wounded in the clashes, bringing the three-day "
            "total to 22 dead and 95 injured. In Amara, a roadside bomb killed a policeman.")
    assert figures(body) == [(4, 30, "IQ-WA"), (1, 0, "IQ-MA")]
    with disabled("scope.running_total"):
        assert figures(body) != [(4, 30, "IQ-WA"), (1, 0, "IQ-MA")]
    # after another incident, the running total's "total" does not make the new figures a restatement
    told_before = "In Hilla, gunmen killed a shopkeeper.\n\n" + body
    assert figures(told_before) == [(1, 0, "IQ-BB"), (4, 30, "IQ-WA"), (1, 0, "IQ-MA")]


def test_where_victims_came_from_is_not_where_they_died() -> None:
    body = ("Attacks killed five Iraqis and wounded four today.\n\n"
            "In Kirkuk, gunmen killed a judge.\n\n"
            "In Basra, a grenade wounded four shoppers. The bodies of two lorry drivers from Mosul were found.\n\n"
            "Two policemen were shot dead in Hilla.")
    title = "Tuesday: 5 Iraqis Killed, 4 Wounded"
    assert figures(body, title=title) == [(1, 0, "IQ-KI"), (0, 4, "IQ-BA"), (2, 0, "IQ-BA"), (2, 0, "IQ-BB")]
    with disabled("places.origin"):
        assert figures(body, title=title)[2] == (2, 0, "IQ-NI")


def test_a_place_bodies_were_pulled_from_is_where_they_were_found() -> None:
    body = "In Kut, police said. Two bodies were pulled from the river at Suwaira."
    assert figures(body) == [(2, 0, "IQ-WA")]


# --- deaths that are not the day's violence ------------------------------------------------------------------

def test_the_crime_a_punishment_is_for_is_no_new_death() -> None:
    assert [i.killed for i in counted("In Hawija, militants beheaded two men accused of murdering a fighter.")] == [2]
    assert [i.killed for i in counted("In Hawija, two men were executed for killing a guard.")] == [2]


def test_deaths_from_hunger_or_disease_are_not_casualties() -> None:
    body = ("In Hawija, four displaced children died of hunger in a camp. In Kirkuk, a roadside bomb killed a "
            "soldier.")
    assert figures(body) == [(1, 0, "IQ-KI")]


def test_a_line_of_prose_whose_period_was_left_out_is_read_and_links_to_other_stories_are_not() -> None:
    body = ("Attacks killed nine Iraqis and wounded seven today.\n\n"
            "In Kirkuk, gunmen shot two policemen dead near a market.\n\n"
            "A car bomb in Tikrit left four passengers dead and seven wounded\n\n"
            "In Hilla, a sticky bomb killed a judge.\n\n"
            "Related stories\n\n"
            "Gunmen Kill Two Policemen In Kirkuk Raid\n\n"
            "Car Bomb Kills Four At Tikrit Bus Stop")
    title = "Monday: 9 Iraqis Killed, 7 Wounded"
    assert figures(body, title=title) == [(2, 0, "IQ-KI"), (4, 7, "IQ-SD"), (1, 0, "IQ-BB")]
    with disabled("text.period_left_out"):
        assert figures(body, title=title) == [(2, 0, "IQ-KI"), (1, 0, "IQ-BB")]


@pytest.mark.parametrize("body", [
    # a feed's summary: the whole body is one line without its period
    "Gunmen shot dead three traders at a market in Kirkuk on Sunday",
    # a line that ends on its speaker is prose, whatever follows
    "A car bomb killed three traders in Kirkuk, police said\n\nNo group has claimed it.",
])
def test_a_summary_line_or_a_line_ending_on_its_speaker_is_prose_without_its_period(body: str) -> None:
    assert figures(body) == [(3, 0, "IQ-KI")]
    with disabled("text.period_left_out"):
        assert figures(body) == []


def test_victims_added_by_as_were_share_the_predicate() -> None:
    body = "A teacher was killed in Baiji, as were three of the gunmen who stormed his school."
    assert [i.killed for i in counted(body)] == [4]
    with disabled("clauses.as_were"):
        assert [i.killed for i in counted(body)] == [1]


def test_a_span_from_the_reports_own_days_is_the_reports() -> None:
    body = ("In Tal Afar, six more civilians were killed since the clashes began yesterday. Forty people "
            "have been killed in the town since January.")
    assert figures(body, published="2025-09-13") == [(6, 0, "IQ-NI")]
    with disabled("scope.since_today"):
        assert figures(body, published="2025-09-13") == []


def test_treated_in_hospital_is_a_wound_only_with_its_rule() -> None:
    body = ("MAIDUGURI, Nigeria (AP) - Four people were killed when a bomb went off at a cattle market in "
            "Maiduguri on Sunday, police said. Another 19 people were being treated in two local hospitals.")
    assert figures(body) == [(4, 19, "NG-BO")]
    with disabled("clauses.treated_in_hospital"):
        assert figures(body) == [(4, 0, "NG-BO")]


# --- breakdowns and ages inside a victim phrase -------------------------------------------------------

@pytest.mark.parametrize(("body", "without"), [
    ("KANO, Nigeria (Reuters) - Gunmen shot dead four people, three of them traders, at a market in Kano "
     "on Monday, police said.", [(7, 0, "NG-KN")]),
    ("KANO, Nigeria (Reuters) - Four people, three of them traders, were shot dead at a market in Kano "
     "on Monday, police said.", []),
    ("KANO, Nigeria (Reuters) - Eleven people, all of them traders, were shot dead at a market in Kano "
     "on Monday, police said.", []),
])
def test_a_part_of_them_breaks_down_the_phrase_before_it_and_adds_no_one(
        body: str, without: list[tuple[int, int, str | None]]) -> None:
    expected = 11 if body.split(" - ")[1].startswith("Eleven") else 4
    assert figures(body) == [(expected, 0, "NG-KN")]
    with disabled("clauses.part_of_them"):
        assert figures(body) == without


@pytest.mark.parametrize("subject", ["Two boys aged 8 and 13", "Two boys, aged 8 and 13,", "Two boys aged 13"])
def test_numbers_after_aged_are_ages_not_victims(subject: str) -> None:
    body = f"KANO, Nigeria (Reuters) - {subject} were wounded when a grenade went off in Kano on Monday."
    assert figures(body) == [(0, 2, "NG-KN")]


def test_an_unpunctuated_age_is_read_as_a_count_without_its_rule() -> None:
    body = "KANO, Nigeria (Reuters) - Two boys aged 8 and 13 were wounded when a grenade went off in Kano on Monday."
    with disabled("clauses.aged"):
        assert figures(body) == [(0, 13, "NG-KN")]


# --- a vague lead given its figure later ----------------------------------------------------------------

def test_a_toll_level_stated_without_a_change_gives_a_vague_leads_figure() -> None:
    body = ("OUAGADOUGOU (Reuters) - Suspected jihadists killed dozens of people when they raided a hamlet in "
            "northern Burkina Faso on Saturday, residents said. A regional official put the death toll at 38.")
    assert [(i.killed, i.killed_min) for i in counted(body)] == [(38, 38)]
    with disabled("story.toll_level"):
        assert [(i.killed, i.killed_min) for i in counted(body)] == [(0, 24)]


def test_a_toll_level_does_not_lower_or_replace_a_stated_figure() -> None:
    body = ("OUAGADOUGOU (Reuters) - Suspected jihadists killed 41 people when they raided a hamlet in "
            "northern Burkina Faso on Saturday, residents said. A regional official put the death toll at 38.")
    assert [i.killed for i in counted(body)] == [41]


def test_bodies_someone_counted_are_the_dead() -> None:
    body = ("OUAGADOUGOU (Reuters) - Suspected jihadists killed dozens of people when they raided a hamlet in "
            "northern Burkina Faso on Saturday. A nurse at the clinic said she had counted 27 bodies.")
    assert [i.killed for i in counted(body)] == [27]


# --- places --------------------------------------------------------------------------------------------------

def test_the_capital_of_a_countrys_region_is_the_regions_capital_not_the_countrys() -> None:
    body = ("KHARTOUM (Reuters) - Artillery fire on a camp in El Fasher, the capital of Sudan's North Darfur "
            "state, killed 12 people on Sunday, aid workers said.")
    assert [(i.killed, i.location.place, i.location.region_code) for i in counted(body)] == [
        (12, "El Fasher", "SD-DN")]


# --- short spans and the days a toll is told ------------------------------------------------------------

def test_an_opening_figure_over_two_days_of_clashes_is_the_storys_event() -> None:
    body = ("TRIPOLI (Reuters) - Fifteen people died and 26 were hurt in two days of fighting between "
            "rival militias in the Libyan city of Zawiya, an emergency official said on Tuesday.")
    assert [(i.killed, i.wounded) for i in counted(body, published="2025-09-16")] == [(15, 26)]
    with disabled("context.lead_short_span"):
        assert counted(body, published="2025-09-16") == []


def test_a_longer_span_in_a_later_sentence_stays_cumulative() -> None:
    body = ("TRIPOLI (Reuters) - A car bomb killed four people outside a hotel in the Libyan city of Zawiya on "
            "Tuesday, an emergency official said.\nFighting in the city has killed 90 people in two months.")
    assert [(i.killed, i.wounded) for i in counted(body, published="2025-09-16")] == [(4, 0)]


def test_the_other_figure_beside_a_new_toll_told_on_a_later_day_is_kept() -> None:
    body = ("KABUL (Reuters) - The death toll from a suicide bombing at a sports club in Kabul on Thursday rose "
            "to 27 on Friday, with 64 people wounded, a health official said.")
    # filed on Friday, and again on the Monday after: the Friday of the update is no earlier day
    for published in ("2025-09-12", "2025-09-15"):
        assert [(i.killed, i.wounded, i.event_date) for i in counted(body, published=published)] == [
            (27, 64, "2025-09-11")]


def test_a_neighbour_or_a_passer_by_is_a_person() -> None:
    body = ("GUADALAJARA, Mexico (Reuters) - Gunmen shot dead a shopkeeper in his store in the Mexican state of "
            "Jalisco on Tuesday, prosecutors said. A neighbour who ran to help him was wounded, and two "
            "passers-by were hurt by stray bullets.")
    assert figures(body) == [(1, 3, "MX-JAL")]


def test_a_list_goes_on_after_a_part_of_them() -> None:
    body = ("BEIRUT (Reuters) - Two bombs at a shrine near the Syrian capital killed 33 visitors, most of them "
            "foreigners, and 9 guards, a monitoring group said on Sunday.")
    assert [i.killed for i in counted(body)] == [42]


def test_one_attributed_telling_of_two_places_is_two_incidents_not_a_restatement() -> None:
    body = ("GUSAU, Nigeria - Fourteen people have been killed in attacks by bandits on two hamlets of Zamfara "
            "State.\nA farmer said that eight villagers were shot dead in one hamlet and six in the other.")
    assert sorted(i.killed for i in counted(body)) == [6, 8]


def test_another_strike_with_a_long_place_phrase_is_a_clause_of_its_own_not_a_victim() -> None:
    body = ("GAZA (Reuters) - An air strike on a house in Khan Younis killed 7 people on Monday, and another "
            "on a tent camp west of Gaza City killed four, medics said.")
    assert sorted(i.killed for i in counted(body)) == [4, 7]


def test_in_a_story_of_one_event_a_figure_told_in_parts_is_not_added_again() -> None:
    body = ("KABUL (Reuters) - A bomb hidden in a cart killed 11 people outside a bank in Kabul on Friday, "
            "officials said.\n\nA health official said seven people died where the bomb went off and four on "
            "the way to hospital.")
    assert figures(body, published="2025-09-12") == [(11, 0, "AF-KAB")]


# --- the other side's dead, told after the event ----------------------------------------------------

def test_an_attributed_figure_of_another_kind_of_victim_is_not_a_restatement() -> None:
    body = ("CAIRO (Reuters) - Militants killed six soldiers and wounded three in an attack on an army post in "
            "Egypt's North Sinai province on Monday, security sources said. Four militants were killed in the "
            "exchange of fire, they added.")
    assert figures(body) == [(10, 3, "EG-SIN")]
    with disabled("merge.other_victims"):
        assert figures(body) == [(6, 3, "EG-SIN")]


# --- an official's word in quotation marks --------------------------------------------------------

@pytest.mark.parametrize("word", ['"neutralised"', "\u201cneutralised\u201d", "'neutralised'", '"liquidated"'])
def test_a_verb_in_quotation_marks_is_read_through_them(word: str) -> None:
    body = ("BAMAKO (AFP) - Jihadists killed nine soldiers in an attack on an army post in Mali's Mopti region on "
            f"Friday, the army said, adding that 15 assailants were {word} in the counterattack.")
    assert figures(body) == [(24, 0, "ML-5")]


def test_a_quotation_of_several_words_is_still_speech() -> None:
    body = ('BAMAKO (AFP) - Jihadists killed nine soldiers in an attack in Mali\'s Mopti region on Friday. "We '
            'have lost friends," an officer said.')
    assert figures(body) == [(9, 0, "ML-5")]


@pytest.mark.parametrize("sentence", [
    "The ministry said its forces had liquidated 14 militants near the village.",
    "Fourteen militants were liquidated near the village, the ministry said.",
])
def test_liquidated_is_killed(sentence: str) -> None:
    body = "MAKHACHKALA, Russia (Reuters) - " + sentence
    assert [k for k, _, _ in figures(body)] == [14]


# --- "we lost ten soldiers" --------------------------------------------------------------------------

def test_a_side_losing_its_people_is_its_dead_and_ends_a_victim_list() -> None:
    body = ("MOGADISHU (Reuters) - Al Shabaab fighters attacked an army base in Somalia's Lower Shabelle region on "
            'Sunday. "We lost 10 soldiers and 15 others were wounded," an officer said.')
    assert figures(body) == [(10, 15, "SO-SH")]


def test_lives_lost_in_a_passive_sum_are_not_read_as_a_side_losing_people() -> None:
    body = ("PESHAWAR, Pakistan (AP) - A car bomb killed 40 people in a market in Peshawar on Sunday. In the two "
            "attacks of the week before, over 100 lives were lost.")
    assert figures(body) == [(40, 0, "PK-KP")]


# --- a province's own name is no namesake ----------------------------------------------------------

def test_a_province_named_after_another_provinces_paragraph_is_that_province() -> None:
    body = ("KYIV (Reuters) - Russian attacks killed five civilians and wounded 20 across Ukraine over the past day, "
            "regional authorities said on Wednesday.\n\n"
            "In the southern Kherson region, shelling killed three people and injured 12, the governor said. Two "
            "people died and eight were hurt in the Donetsk region, its governor said.")
    assert figures(body) == [(3, 12, "UA-65"), (2, 8, "UA-14")]


# --- the attacker's country is not where the story is ------------------------------------------------

def test_a_weapon_of_one_country_does_not_place_a_story_in_that_country() -> None:
    body = ("Russian drones fell on the frontline city of Sloviansk in Ukraine overnight, leaving "
            "four dead and 11 hurt, its mayor said on Friday.")
    got = counted(body, published="2023-04-14")
    assert [(i.killed, i.wounded, i.location.place, i.location.region_code) for i in got] == [
        (4, 11, "Slovyansk", "UA-14")]


# --- the toll of a long war told in a story about one attack ------------------------------------------

def test_a_long_events_toll_in_a_story_is_background() -> None:
    body = ("KANDAHAR, Afghanistan (AP) - A suicide car bomber struck a police compound in Kandahar on Monday, "
            "killing nine officers, officials said.\n\nSome 900 fighters died in the campaign, the government "
            "says.")
    assert figures(body, published="2025-06-02") == [(9, 0, "AF-KAN")]
    with disabled("story.campaign_background"):  # added as the attackers' dead
        assert figures(body, published="2025-06-02") == [(909, 0, "AF-KAN")]


def test_the_attackers_dead_in_the_events_own_fight_still_add() -> None:
    body = ("KANDAHAR, Afghanistan (AP) - A suicide car bomber struck a police compound in Kandahar on Monday, "
            "killing nine officers, officials said.\n\nTwelve attackers died in the battle for the compound on Monday.")
    assert figures(body, published="2025-06-02") == [(21, 0, "AF-KAN")]


def test_the_attackers_killed_later_are_not_a_lower_account_of_the_soldiers() -> None:
    body = ("ISLAMABAD (Reuters) - A roadside bomb killed six soldiers in Pakistan's North Waziristan district on "
            "Friday, the military said.\n\nThe military said troops later killed four militants involved in the "
            "attack.")
    assert figures(body, published="2025-05-02") == [(10, 0, "PK-KP")]
    with disabled("merge.other_victims"):
        assert figures(body, published="2025-05-02") == [(6, 0, "PK-KP")]


def test_militants_sent_to_hell_are_killed() -> None:
    body = ("ISLAMABAD (APP) - Seven soldiers embraced martyrdom while four terrorists were sent to hell in an "
            "exchange of fire in North Waziristan, the military said.")
    assert figures(body) == [(11, 0, "PK-KP")]


# --- a live page's running toll of the whole war ---------------------------------------------------------

def test_a_toll_since_the_wars_start_told_by_a_ministry_raises_no_event() -> None:
    body = ("11:20 GMT - Strike on a house in Nuseirat\nAn Israeli strike on a family home in the Nuseirat camp "
            "left six dead, among them two children, rescuers said.\n\n"
            "10:05 GMT - Ministry gives new figures\nThe ministry said the toll since October 7 had reached 35,000 "
            "dead and 79,000 wounded.")
    assert figures(body, published="2024-06-11") == [(6, 0, "PS-DEB")]
    with disabled("scope.span_told"):
        assert figures(body, published="2024-06-11") == [(35000, 79000, "PS-DEB")]


def test_a_toll_that_stands_at_a_higher_level_later_in_a_story_is_the_events_final_toll() -> None:
    body = ("KABUL (AP) - A suicide bomber struck a crowd outside a ministry in Kabul on Monday, killing at least "
            "nine people, officials said.\n\nUpdated 14:20 - The toll stands at 13 dead and 30 wounded, a health "
            "ministry spokesman said.")
    assert figures(body, published="2025-06-02") == [(13, 30, "AF-KAB")]


def test_a_wars_toll_that_stands_at_a_level_raises_no_event() -> None:
    body = ("KABUL (AP) - A suicide bomber struck a crowd outside a ministry in Kabul on Monday, killing at least "
            "nine people, officials said.\n\nThe death toll in the country's long war stands at more than 100,000.")
    assert figures(body, published="2025-06-02") == [(9, 0, "AF-KAB")]


# --- events counted by the text --------------------------------------------------------------------

def test_victims_of_a_counted_number_of_separate_events_stay_one_incident() -> None:
    # five dead in two separate clashes: how they split between the two is not told
    body = ("SRINAGAR (Reuters) - Three rebels and two policemen were killed in two separate gunfights in "
            "Kashmir's Pulwama district on Friday, police said.")
    assert [(i.killed, i.location.region_code) for i in counted(body)] == [(5, "IN-JK")]
    # one victim per event: an incident each
    body = "MOSUL (Reuters) - A soldier and a policeman were killed in two separate bombings in Mosul on Friday."
    assert [i.killed for i in counted(body)] == [1, 1]


# --- victims told with where they came from --------------------------------------------------------

@pytest.mark.parametrize(("body", "incidents"), [
    ("MAROUA, Cameroon (Reuters) - Eleven soldiers from neighbouring Chad and four Cameroonian soldiers were "
     "killed in Maroua on Friday, the army said.", [(15, "CM-EN")]),
    ("Four people from one family and a shepherd were killed by a mine in Kirkuk on Friday.", [(5, "IQ-KI")]),
    # (the list had ended at "from": three dead with no place, and a soldier at Kut)
    ("Gunmen killed three policemen from Basra and a soldier at a checkpoint in Kut on Friday.", [(4, "IQ-WA")]),
])
def test_where_victims_came_from_does_not_end_the_list_of_victims(
        body: str, incidents: list[tuple[int, str]]) -> None:
    assert [(i.killed, i.location.region_code) for i in counted(body, published="2025-06-06")] == incidents


def test_dead_of_other_kinds_told_as_also_killed_add_to_the_event() -> None:
    body = ("YAOUNDE (Reuters) - Militants killed at least 40 civilians in an attack on the town of Maroua, the "
            "government said on Friday.\n\nThe army said eight soldiers were also killed, while more than 60 "
            "attackers died in the fighting.")
    assert figures(body, published="2025-06-06") == [(108, 0, "CM-EN")]
    with disabled("story.also_others"):
        assert figures(body, published="2025-06-06") == [(40, 0, "CM-EN")]


# --- a commemoration as the scene of an attack ------------------------------------------------------

def test_an_attack_during_a_memorial_service_is_an_event_of_its_day() -> None:
    body = ("KABUL (Reuters) - A bomb went off during a memorial service at a mosque in Kunduz on Friday, killing "
            "nine people and wounding 20, a police spokesman said.")
    assert figures(body, published="2025-06-07") == [(9, 20, "AF-KDZ")]
    with disabled("scope.scene_commemoration"):
        assert figures(body, published="2025-06-07") == []


def test_figures_a_memorial_commemorates_stay_out() -> None:
    body = "Families gathered in Kunduz at a memorial for the 40 people killed in a mosque bombing two years ago."
    assert figures(body, published="2025-06-07") == []


# --- a source's later count -------------------------------------------------------------------------

def test_a_sources_later_higher_count_is_the_events_toll() -> None:
    body = ("KABUL (AP) - A suicide bomber struck a wedding hall in Kabul on Saturday, killing at least 20 people, "
            "officials said.\n\nPolice said 45 others were wounded.\n\nHospital staff later said 28 people had died.")
    assert figures(body, published="2025-06-07") == [(28, 45, "AF-KAB")]
    with disabled("story.later_count"):
        assert figures(body, published="2025-06-07") == [(20, 45, "AF-KAB")]


# --- a toll of plural attacks with no dead told after it -------------------------------------------

def test_a_toll_of_several_attacks_with_no_dead_after_it_is_the_storys_event() -> None:
    body = ("JOS, Nigeria (AP) - Gunmen killed 17 people in attacks on two villages in Nigeria's Plateau state, "
            "a local official said Monday.\n\nSix people were wounded, and dozens of houses were burned.")
    assert figures(body, published="2025-06-09") == [(17, 6, "NG-PL")]
    with disabled("stated.nothing_summed"):
        assert figures(body, published="2025-06-09") == [(0, 6, "NG-PL")]
    # bodies found after the toll are dead it sums: the toll stays a total
    body = ("Attacks in Diyala province killed at least 6 people and wounded 4 on Monday, officials said.\n\n"
            "Police found six bodies in an orchard near Baquba. A bomb wounded four farmers in Khalis.")
    assert figures(body, published="2025-06-09") == [(6, 0, "IQ-DI"), (0, 4, "IQ-DI")]


# --- names that are places ---------------------------------------------------------------------------

@pytest.mark.parametrize("speaker", ["lawmaker Dickson Abel said", "said Dickson Abel, a lawmaker"])
def test_a_persons_first_name_after_a_role_or_said_is_no_place(speaker: str) -> None:
    # Dickson is a town in Tennessee: a first name before a surname is the speaker's
    body = f"A blast in a crowded bus station hurt nine, {speaker}."
    assert [(i.wounded, i.location.country) for i in counted(body)] == [(9, None)]


# --- ages are no victims --------------------------------------------------------------------------

def test_the_second_of_two_ages_is_no_victim() -> None:
    body = "KYIV (Reuters) - Shelling wounded two women aged 51 and 66 in the city of Kherson on Friday."
    assert figures(body, published="2025-06-07") == [(0, 2, "UA-65")]


# --- the event's attacker told again ------------------------------------------------------------------

def test_the_events_own_attacker_told_again_with_another_weapon_is_the_same_event() -> None:
    body = ("QUETTA, Pakistan (AP) - A suicide bomber killed 14 people at a mosque in Quetta on Friday, officials "
            "said.\n\nThe bomber shot dead a guard at the gate before he walked in, police said.")
    assert figures(body, published="2025-06-07") == [(14, 0, "PK-BA")]
    with disabled("story.attacker_again"):
        assert figures(body, published="2025-06-07") == [(14, 0, "PK-BA"), (1, 0, "PK-BA")]


# --- a war's toll told with its length ---------------------------------------------------------------

@pytest.mark.parametrize("war", ["the 20-year war", "the decade-long insurgency", "the long war"])
def test_the_dead_of_a_war_told_with_its_length_are_no_event(war: str) -> None:
    # (a figure of the same victims as the lead's, the war's, had been taken for the story's total)
    body = ("KABUL (Reuters) - A suicide bombing outside a mosque in Kabul killed 31 Afghans and four U.S. soldiers "
            f"on Friday, officials said.\n\nIn total, some 2,400 U.S. soldiers died during {war}.")
    assert figures(body, published="2025-06-07") == [(35, 0, "AF-KAB")]


# --- the day of an undated page ------------------------------------------------------------------------

def test_an_undated_page_is_read_as_of_the_day_its_photo_caption_gives() -> None:
    body = ("Police officers at the scene of the blast in Kabul, Afghanistan, on June 7, 2025.\n\n"
            "KABUL (AFP) - A bomb tore through a crowded bus station in Kabul on Saturday, killing at least nine "
            "people, police said.")
    [incident] = counted(body, published=None)
    assert (incident.killed, incident.event_date) == (9, "2025-06-07")
    with disabled("context.caption_date"):
        assert counted(body, published=None)[0].event_date is None


def test_a_file_photos_date_does_not_date_the_page() -> None:
    body = ("A file photo of the bus station in Kabul, Afghanistan, on March 2, 2019.\n\n"
            "KABUL (AFP) - A bomb tore through a crowded bus station in Kabul on Saturday, killing at least nine "
            "people, police said.")
    assert counted(body, published=None)[0].event_date is None


# --- two active verbs and their object ----------------------------------------------------------------

def test_a_noun_before_two_active_verbs_is_not_their_passive_subject() -> None:
    # "a scooter" had been read as the victim of a reduced passive "shot and killed"
    body = ("Violence across Iraq left one dead today. A well-known economist was shot dead outside his "
            "office in Baghdad.\n\nTwo gunmen on a scooter shot and killed the economist in Karrada.")
    assert figures(body, published="2025-06-07") == [(1, 0, "IQ-BG")]
    with disabled("clauses.active_pair"):
        assert figures(body, published="2025-06-07") == [(1, 0, "IQ-BG"), (1, 0, "IQ-BG")]
    # a definite person after the two verbs is their victim
    assert figures("Two gunmen on a scooter shot and killed the owner of a shop in Karrada on Friday.",
                   published="2025-06-07") == [(1, 0, "IQ-BG")]


def test_the_same_person_told_again_as_a_definite_victim_is_one_death() -> None:
    body = ("Violence left three dead today. Gunmen shot dead a tribal sheikh in Kirkuk.\n\n"
            "In Mosul, a bomb killed two soldiers.\n\nAccording to police, the sheikh was killed outside his home "
            "in Kirkuk.")
    assert [i.killed for i in counted(body)] == [1, 2]
    with disabled("merge.same_person_object"):
        assert [i.killed for i in counted(body)] == [1, 2, 1]


# --- a breakdown told by "among them" -------------------------------------------------------------------

def test_the_persons_of_an_among_them_breakdown_are_no_more_victims() -> None:
    body = "KABUL (AP) - A bomb killed 11 people in Kabul on Friday, among them four children and a policeman."
    assert figures(body, published="2025-06-07") == [(11, 0, "AF-KAB")]
    # the next object after the breakdown's closing comma is read on
    body = "Gunmen killed five people in Mosul, among them a policeman, and three in Kirkuk on Friday."
    assert [(i.killed, i.location.region_code) for i in counted(body)] == [(5, "IQ-NI"), (3, "IQ-KI")]


def test_the_parts_of_an_including_breakdown_told_by_place_are_no_more_victims() -> None:
    body = ("Airstrikes killed 14 civilians in southern Idlib on Friday, including six in Kafr Nabl and five in "
            "Khan Sheikhoun, a war monitor said.")
    assert [(i.killed, i.location.region_code) for i in counted(body)] == [(14, "SY-ID")]
    # a breakdown by kind, then an object of its own at a place
    body = "Gunmen killed 12 people in Mosul including five children and three in Kirkuk on Friday."
    assert [(i.killed, i.location.region_code) for i in counted(body)] == [(12, "IQ-NI"), (3, "IQ-KI")]


def test_police_in_a_town_speak_of_their_town_when_the_clause_names_no_other_place() -> None:
    body = ("At least 20 people were killed across Afghanistan on Tuesday.\n\nAirstrikes killed 18 militants in "
            "Nangarhar, and police in Kunduz said a Taliban raid on a checkpoint hurt two officers.")
    assert figures(body, published="2025-06-10") == [(18, 0, "AF-NAN"), (0, 2, "AF-KDZ")]
    with disabled("places.local_speaker"):
        assert figures(body, published="2025-06-10") == [(18, 0, "AF-NAN"), (0, 2, "AF-NAN")]


# --- nineteenth session ---------------------------------------------------------------------------

def test_a_weapon_after_a_comma_and_is_the_subject_of_a_new_clause_not_a_victim() -> None:
    body = ("At least 5 people were killed today.\n"
            "In Kirkuk, gunmen shot dead a grocer, and an IED wounded four soldiers.\n"
            "In Mosul, a bomb killed two policemen. Gunmen killed two brothers in Tikrit.")
    assert sorted(figures(body, published="2012-05-02")) == [
        (0, 4, "IQ-KI"), (1, 0, "IQ-KI"), (2, 0, "IQ-NI"), (2, 0, "IQ-SD")]


@pytest.mark.parametrize("told", [
    "The bomber also died, police said.",
    "A police officer said the bomber also died.",
])
def test_a_bomber_who_also_died_adds_the_bomber(told: str) -> None:
    body = ("PESHAWAR, Pakistan (AP) - A suicide bomber hit a police post in Peshawar on Friday, killing two "
            "officers and wounding nine people, police said.\n" + told)
    assert figures(body) == [(3, 9, "PK-KP")]


def test_later_figures_at_two_places_that_add_up_to_the_lead_tell_where_its_dead_fell() -> None:
    body = ("KHARKIV, Ukraine (AP) - Russian shelling killed nine civilians and wounded 14 in the Kharkiv region "
            "on Saturday, the governor of the region said.\n"
            "Five people died in Chuhuiv and four in Izium, he wrote on Telegram.")
    assert figures(body) == [(9, 14, "UA-63")]
    with disabled("story.places_of_lead"):
        assert sum(k for k, _, _ in figures(body)) == 13


def test_a_toll_over_a_war_of_many_years_is_the_long_event_not_today() -> None:
    body = ("ANKARA (AA) - Turkish forces neutralized five PKK terrorists in northern Iraq, the defense "
            "ministry said on Monday.\n"
            "Over its nearly 40-year armed campaign against Turkey, the group has been blamed for the deaths of some "
            "40,000 people.")
    assert sum(i.killed for i in counted(body)) == 5


def test_a_toll_increase_in_the_opening_paragraph_is_no_part_of_its_summary() -> None:
    body = ("Some 27 people died and 31 were hurt today, mostly in Baghdad. The death toll from "
            "yesterday's bombing in Hilla climbed by three, to 15.\n"
            "A car bomb in Shula, Baghdad, left 20 dead and 25 hurt.\n"
            "Gunmen killed four soldiers in Mosul.\n"
            "Three people died and six were hurt by a blast in Kirkuk.")
    assert sum(i.killed for i in counted(body, published="2013-06-10")) == 30


def test_a_place_across_the_border_is_not_where_the_story_happened() -> None:
    body = ("MEXICO CITY (AP) - Gunmen killed eight people at a party in northern Mexico on Saturday, "
            "prosecutors said.\n"
            "The shooting took place in Sinaloa state near the border with Durango. Three guests were wounded.")
    assert figures(body) == [(8, 3, "MX-SIN")]


@pytest.mark.parametrize("sentence", [
    "A roadside bomb killed the district police chief, Col. Omar Farouq, and his driver near Hit.",
    "A roadside bomb killed the district police chief, Omar, and his driver near Hit.",
])
def test_a_name_set_off_by_commas_after_one_victim_does_not_end_the_list(sentence: str) -> None:
    body = "Some 15 people died across Iraq today.\n\n" + sentence + "\n\nGunmen killed 13 people in Mosul."
    assert figures(body, published="2014-10-13") == [(2, 0, "IQ-AN"), (13, 0, "IQ-NI")]
    with disabled("clauses.name_apposition"):
        assert figures(body, published="2014-10-13") == [(1, 0, "IQ-AN"), (13, 0, "IQ-NI")]


def test_the_groups_initials_in_capitals_are_not_the_verb() -> None:
    body = ("BAGHDAD, Oct. 3 (Xinhua) -- At least 12 IS militants were killed on Friday in an airstrike on a "
            "village near Tikrit, a local source said. Four more IS fighters died and three were hurt in "
            "clashes in Jalawla.")
    assert figures(body, published="2014-10-03") == [(12, 0, "IQ-SD"), (4, 3, "IQ-DI")]


def test_a_town_measured_from_a_countrys_capital_is_placed_at_the_town() -> None:
    body = ("BAGHDAD, Oct. 3 (Xinhua) -- Six soldiers were killed on Friday when a bomb hit their patrol near "
            "Baiji, about 210 km north of Iraq's capital Baghdad, a police source said.")
    assert figures(body, published="2014-10-03") == [(6, 0, "IQ-SD")]


def test_an_unusual_spelling_of_an_iraqi_province_is_found() -> None:
    body = ("BAGHDAD, Oct. 3 (Xinhua) -- In Salahudin province, gunmen killed three farmers on Friday, a "
            "provincial source said.")
    assert figures(body, published="2014-10-03") == [(3, 0, "IQ-SD")]


def test_a_named_leader_with_an_article_prefix_and_an_appositive_is_one_victim() -> None:
    body = ("BAGHDAD, Oct. 3 (Xinhua) -- Iraqi troops raided a village near Muqdadiya on Friday and killed Abu "
            "Baker al-Tikriti, a local commander of the IS group, a provincial source said.")
    assert figures(body, published="2014-10-03") == [(1, 0, "IQ-DI")]


@pytest.mark.parametrize("victim", ["the analyst", "the tailor", "the surgeon"])
def test_trades_the_lexicon_lacked_are_victims(victim: str) -> None:
    body = f"KABUL (AP) - Gunmen killed {victim} in Kabul on Friday, police said."
    assert sum(k for k, _, _ in figures(body, published="2021-01-15")) == 1


def test_a_word_between_two_closing_curly_marks_is_read_through() -> None:
    body = ("BAGHDAD - Nine \u201dinsurgents\u201d were killed in a raid near Tikrit on Monday, the army said in "
            "its statement.")
    assert figures(body, published="2006-10-10") == [(9, 0, "IQ-SD")]


def test_one_of_the_injured_soldiers_who_later_died_moves_to_the_dead() -> None:
    body = ("RAIPUR, India (PTI) - Maoists blew up a police vehicle in Dantewada on Sunday, killing five policemen "
            "and injuring three, officials said. One of the injured constables later succumbed in hospital.")
    assert figures(body, published="2018-05-20") == [(6, 2, "IN-CG")]


def test_victims_named_among_the_dead_or_wounded_are_casualties() -> None:
    # with no toll told before them, the named victims are the figure
    assert figures("Two U.S. soldiers were among the dead after rockets struck Camp Taji, north of Baghdad.") == [
        (2, 0, "IQ-BG")]
    assert figures("Two traffic officers were among the wounded when a bomb went off in Kirkuk.") == [
        (0, 2, "IQ-KI")]
    assert figures("Among the dead were two soldiers and a boy, after a bomb went off in Mosul.") == [
        (3, 0, "IQ-NI")]
    # after the toll they are a part of it
    assert figures("A bomb killed nine people at a market in Kirkuk. Two policemen were among the dead.") == [
        (9, 0, "IQ-KI")]
    # "of the dead" tells who the dead were, never a new figure
    assert figures("A bomb killed nine people in Kirkuk. Three of the dead were children.") == [(9, 0, "IQ-KI")]


def test_named_victims_with_their_own_attack_after_a_round_ups_total_are_counted() -> None:
    body = ("Violence in Iraq left eight people dead and 14 hurt. Two U.S. troops and a British "
            "soldier were among the dead after 18 rockets hit Camp Taji. Another 12 people were wounded there.\n\n"
            "Militants killed two shepherds in the Makhmour mountains. A roadside bomb wounded two soldiers near "
            "Tarmiya.\n\nThe bodies of three men were found near Baiji.")
    assert figures(body) == [(3, 12, "IQ-BG"), (2, 0, "IQ-NI"), (0, 2, "IQ-BG"), (3, 0, "IQ-SD")]


def test_two_phrases_without_and_name_one_person() -> None:
    assert figures("Among the wounded was the town's police chief, Colonel Ahmed Jasim, after a bomb hit "
                   "his convoy in Tikrit.") == [(0, 1, "IQ-SD")]
    assert figures("Gunmen killed the mayor, Ahmed Saleh, and his driver in Tikrit.") == [(2, 0, "IQ-SD")]
    assert figures("Gunmen broke into a house in Tikrit, killing him, his wife and their son.") == [(3, 0, "IQ-SD")]


def test_victims_told_after_among_those_killed_or_the_dead_included() -> None:
    assert figures("Among those killed were two soldiers and a boy, after a bomb went off in Mosul.") == [
        (3, 0, "IQ-NI")]
    assert figures("The dead included two soldiers and a boy, after a bomb went off in Mosul.") == [
        (3, 0, "IQ-NI")]
    assert figures("A bomb killed nine people in Mosul.\n\nThe dead included two soldiers, police said.") == [
        (9, 0, "IQ-NI")]
    # a part of the wounded is no wounded figure of the bomber's death told just before it
    body = ("QUETTA, Pakistan (Wire) - A suicide bomber hit a police post in Quetta on Monday, killing three "
            "officers and wounding 11 people, police said.\n\nAn officer said the bomber also died. The wounded "
            "included two passers-by.")
    assert figures(body) == [(4, 11, "PK-BA")]


# --- an attacker stopped after the attack -------------------------------------------------------

@pytest.mark.parametrize("stopped", [
    "before police shot him dead",
    "before he was shot dead by police",
    "before being shot dead by officers",
    "until security forces killed him",
])
def test_an_attacker_stopped_in_a_clause_after_the_toll_is_one_more_dead(stopped: str) -> None:
    body = (f"ZURICH (Wire) - A gunman opened fire outside a railway station in Zurich on Friday evening, "
            f"killing three people and wounding 11 {stopped}, officials said.")
    assert [(i.killed, i.wounded) for i in counted(body)] == [(4, 11)]


def test_an_attacker_the_sentence_already_counts_is_not_counted_twice() -> None:
    for body in ("A gunman killed two people in Zurich before being shot dead by police.",
                 "A gunman killed two people in Zurich before police killed him.",
                 "Two soldiers were wounded in Zurich before the attackers fled."):
        before = [(i.killed, i.wounded) for i in counted(body)]
        with disabled("clauses.attacker_stopped"):
            assert [(i.killed, i.wounded) for i in counted(body)] == before


def test_a_toll_followed_by_who_most_of_the_dead_were_is_one_event_not_a_total() -> None:
    body = ("DUBAI (Wire) - Gunmen opened fire on a military parade in the Iranian city of Ahvaz on Saturday, "
            "killing 20 people, mostly members of the Revolutionary Guards, and wounding 50, state media said."
            "\n\nAll three attackers were killed.")
    assert [(i.killed, i.wounded) for i in counted(body, published="2018-09-23")] == [(23, 50)]
    # "mostly in" spreads a round-up's toll over places: a total, the incidents after it count
    roundup = ("Some 27 people died and 31 were hurt across the country today, mostly in the capital.\n\n"
               "In Baghdad, a bomb killed 15 people at a market. Gunmen killed 12 soldiers in Mosul.")
    assert sum(i.killed for i in counted(roundup)) == 27


# --- the wounded who died ----------------------------------------------------------------------

@pytest.mark.parametrize("body, want", [
    ("KABUL (Wire) - A police officer hurt in Monday's blast succumbed to his injuries on Wednesday.", (1, 0)),
    ("KABUL (Wire) - Two guards injured in the raid on the depot later died in hospital.", (2, 0)),
    ("KABUL (Wire) - Two guards were injured in the raid on the depot and later died in hospital.", (2, 0)),
    # the death verb with a figure of its own, or another clause's subject, leaves the wounded as told
    ("KABUL (Wire) - Two guards were injured in the raid on the depot, and a driver died later.", (1, 2)),
    ("KABUL (Wire) - Nine guards injured in the raid on the depot were treated at a clinic.", (0, 9)),
])
def test_a_wounded_participle_before_a_death_verb_tells_who_died(body: str, want: tuple[int, int]) -> None:
    got = counted(body, published="2022-05-11")
    assert (sum(i.killed for i in got), sum(i.wounded for i in got)) == want


@pytest.mark.parametrize("body, killed", [
    ("SANAA (Wire) - An air strike on a wedding party killed the groom and 20 guests, medics said.", 21),
    ("SANAA (Wire) - An air strike on a wedding party killed the bride and 14 guests, medics said.", 15),
    ("ISTANBUL (Wire) - A gunman killed 39 revellers at a nightclub on New Year's night, officials said.", 39),
])
def test_the_people_of_a_gathering_are_victims(body: str, killed: int) -> None:
    assert sum(i.killed for i in counted(body, published="2022-05-11")) == killed
