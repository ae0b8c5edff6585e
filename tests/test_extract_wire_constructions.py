"""Wire-story constructions read by general mechanisms (issue 15): each test is an article of our
own, written in the layout of the wires, and the exact incidents it must give."""

from __future__ import annotations

from extractors import extract
from extractors.clauses import find_hits
from extractors.gazetteer import default_gazetteer
from extractors.geocontext import parse_dateline
from schemas.records import Article, Incident


def counted(body: str, title: str | None = None, published: str | None = "2021-05-04",
            source: str | None = None) -> list[Incident]:
    result = extract(Article(id="t", body=body, title=title, published=published, source=source))
    return [i for i in result.incidents if i.status == "counted"]


def figures(body: str, **kw: str | None) -> list[tuple[int, int, str | None]]:
    return [(i.killed, i.wounded, i.location.region_code) for i in counted(body, **kw)]


def test_a_story_that_opens_with_a_toll_statement_leads_with_it() -> None:
    body = (
        "KABUL (Reuters) - The death toll from Monday's truck bombing near the ministry in Kabul has passed "
        "90, officials said on Wednesday, making it the worst attack on the city since the fall of the "
        "government in 2001.\n"
        "More than 300 people were wounded, a health ministry spokesman said.\n"
        "Hospitals in the capital appealed for blood donors."
    )
    assert figures(body, title="Kabul truck bomb toll passes 90", published="2021-05-05") == [(90, 300, "AF-KAB")]


def test_a_retelling_after_a_second_event_folds_into_the_event_whose_toll_it_repeats() -> None:
    body = (
        "Gunmen ambush army patrol in northern Iraq, killing four soldiers.\n"
        "BAGHDAD (AFP) - Gunmen ambushed an army patrol in northern Iraq on Sunday, killing four soldiers, "
        "while a roadside bomb in central Iraq killed a shepherd, officials said.\n"
        "The gunmen opened fire on the patrol about 30 kilometres west of the city of Kirkuk, killing four "
        "soldiers and wounding five, an army officer said.\n"
        "In Hilla, the roadside bomb killed a shepherd as he drove his flock to a well."
    )
    assert sorted(figures(body, title="Five killed in Iraq attacks", published="2021-05-03")) == [
        (1, 0, "IQ-BB"), (4, 5, "IQ-KI")]


def test_a_killing_told_as_a_noun_counts_its_victims() -> None:
    body = ("NIAMEY (AFP) - Gunmen on motorbikes attacked a market in Niger's Tillaberi region on Friday, "
            "resulting in the deaths of eleven traders, the interior ministry said.")
    assert figures(body) == [(11, 0, "NE-6")]


def test_victims_named_with_the_body_they_belong_to_are_all_counted() -> None:
    body = ("RAIPUR (PTI) - Three constables of the state police and two jawans of the reserve battalion "
            "were killed while one was injured when an explosive device went off under their vehicle in "
            "Chhattisgarh on Sunday.")
    assert figures(body) == [(5, 1, "IN-CG")]


def test_a_victim_list_with_a_definite_person_counts_each_member() -> None:
    body = ("MAROUA, Cameroon (AP) - Ten villagers, the teenage bomber and a fighter of the armed group were "
            "killed in the blast at a market in Cameroon's Far North region on Saturday, while four more were "
            "injured, the governor said.")
    assert figures(body) == [(12, 4, "CM-EN")]


def test_the_bodies_of_attackers_recovered_after_a_clash_belong_to_the_clash() -> None:
    body = (
        "JOLO, Philippines - Three marines were killed in a clash on Tuesday with militants in the southern "
        "province of Sulu, the military said.\n"
        "Two marines were also wounded in the fighting.\n"
        "The regional command said four militants were killed and their bodies were recovered with three rifles."
    )
    assert figures(body, title="3 marines killed in Sulu clash") == [(7, 2, "PH-14")]


def test_a_road_named_after_two_towns_does_not_set_a_retelling_apart() -> None:
    body = (
        "Roadside bomb hits police bus: 9 officers killed on the Kabul-Jalalabad highway.\n"
        "Nine police officers were killed in an explosion near Surobi, Kabul province, on Thursday. "
        "Reports said 6 of the wounded officers were in a critical condition."
    )
    [incident] = counted(body, title="Nine police officers killed in blast on Kabul-Jalalabad highway")
    assert (incident.killed, incident.location.region_code) == (9, "AF-KAB")


def test_a_distance_in_brackets_tells_where_the_place_before_it_lies() -> None:
    body = ("( Tikrit - A security source in Salahuddin province said on Monday that a bomb wounded six people "
            "as it struck a police patrol south of Tikrit (170 km north of Baghdad).")
    assert figures(body, published=None) == [(0, 6, "IQ-SD")]


def test_an_event_the_story_marks_as_another_is_not_held_back_by_the_headline() -> None:
    body = (
        "KABUL (AP) - At least four soldiers were killed when insurgents attacked their checkpoint in "
        "Kandahar's southern districts, a provincial official said on Sunday.\n"
        "In another attack in the western Herat province, gunmen stormed a police post on Saturday evening, "
        "killing 16 people, the governor's spokesman said."
    )
    assert sorted(figures(body, title="Taliban attack kills 4 soldiers")) == [(4, 0, "AF-KAN"), (16, 0, "AF-HER")]


def test_a_dateline_town_places_a_story_that_names_only_its_country() -> None:
    body = ("GARISSA, Kenya, June 3, 2019 (Coast Wire)-Gunmen attacked a bus in northeastern Kenya on Monday, "
            "killing eight passengers, police said.")
    assert figures(body) == [(8, 0, "KE-07")]


def test_people_found_in_a_mass_grave_are_dead() -> None:
    body = ("Across the country at least 31 Iraqis died:\n"
            "In Hatra, twenty-eight victims were found in shallow graves near the ruins.\n"
            "Gunmen killed three farmers in Hawija.")
    assert sorted(figures(body)) == [(3, 0, "IQ-KI"), (28, 0, "IQ-NI")]


def test_the_wounded_told_right_after_a_total_complete_it() -> None:
    body = ("Over the weekend at least nine Iraqis were reported killed.\n"
            "At least six more were wounded.\n"
            "In Kut, gunmen killed two teachers and wounded six more people.\n"
            "In Samarra, a bomb killed seven soldiers.")
    result = extract(Article(id="t", body=body, published="2021-05-04"))
    assert (result.summary.stated_killed, result.summary.stated_wounded) == (9, 6)
    assert sorted((i.killed, i.wounded) for i in result.incidents) == [(2, 6), (7, 0)]


def test_an_act_someone_managed_to_do_happened_and_a_threat_did_not() -> None:
    def hits(text: str) -> list[tuple[str, int]]:
        return [(h.kind, h.value) for h in find_hits(text.lower().split())]

    assert hits("the gunman managed to kill a commando") == [("k", 1)]
    assert hits("the gunman threatened to kill a commando") == []


def test_a_toll_statement_about_an_earlier_attack_updates_nothing() -> None:
    body = (
        "QUETTA, Pakistan (AP) - A bomb hidden in a motorcycle killed five people outside a bank in Quetta "
        "on Monday, police said.\n"
        "The attack came weeks after another bombing in the city.\n"
        "The death toll from last month's bombing of a vegetable market in Quetta has risen to 53, hospital "
        "officials said."
    )
    assert figures(body, title="Motorcycle bomb kills five in Quetta", published="2021-05-03") == [(5, 0, "PK-BA")]


def test_a_lead_with_a_small_toll_is_not_a_summary_of_its_retellings() -> None:
    body = (
        "A gunman dressed as a guard opened fire inside a police academy, killing one cadet and injuring several.\n"
        "A doctor at the district hospital in Kismayo said they had received one dead cadet and four wounded.\n"
        "One cadet died and four others were hurt in Somalia when the gunman opened fire at the "
        "academy in the port city of Kismayo, police said.\n"
        "\"We lost one young man and several others were injured,\" an instructor said."
    )
    assert figures(body, title="Gunman attacks Somali police academy", published="2022-09-25") == [(1, 4, "SO-JH")]


def test_a_count_of_deaths_is_a_count_of_the_dead_and_a_wound_that_did_happen_counts() -> None:
    def hits(text: str) -> list[tuple[str, int]]:
        return [(h.kind, h.value) for h in find_hits(text.lower().split())]

    assert hits("at least three more unconfirmed deaths were reported in diyala") == [("k", 3)]
    assert hits("the blast that did wound four guards") == [("w", 4)]
    assert hits("a shrapnel wound to the leg") == []
    assert hits("the number of deaths rose") == []


def test_the_object_of_a_killing_told_with_to_death_died() -> None:
    def hits(text: str) -> list[tuple[str, int]]:
        return [(h.kind, h.value) for h in find_hits(text.lower().split())]

    assert hits("masked men stabbed local reporter omar saleh to death outside his house") == [("k", 1)]
    assert hits("a crowd beat three suspected thieves to death") == [("k", 3)]
    assert hits("the court sentenced two men to death") == []


def test_south_asian_idioms_of_dying_count_their_subjects() -> None:
    body = ("QUETTA, May 4 (Wire): Seven people embraced martyrdom and 11 others sustained injuries when a "
            "bomb fitted to a parked bicycle went off near a fruit market in Balochistan on Tuesday, police said.")
    assert figures(body) == [(7, 11, "PK-BA")]
    body = ("PESHAWAR (Wire): At least five security personnel were martyred and eight injured when a bomber "
            "rammed his car into their convoy in Khyber Pakhtunkhwa's Bannu district on Monday, officials said.")
    assert figures(body) == [(5, 8, "PK-KP")]


def test_a_dateline_with_the_outlets_date_is_still_a_dateline() -> None:
    # the city of a dated dateline is where the reporter was: the place is the one the lead names
    body = ("NAIROBI, May. 4 (Wire) -- At least nine bus passengers died and 14 others were hurt on Tuesday "
            "when a bomb went off at a bus stop in Mandera county, police said.")
    assert figures(body) == [(9, 14, "KE-24")]


def test_troops_of_a_named_operation_are_a_subject_not_a_campaign() -> None:
    body = ("MAIDUGURI (Wire) - Troops of Operation Lafiya Dole have neutralised six insurgents and freed nine "
            "abducted farmers near the Lake Chad shore in Borno State, the army said on Tuesday.")
    assert figures(body) == [(6, 0, "NG-BO")]
    # a campaign that is the subject still gives a campaign toll, not an event
    body = ("ABUJA (Wire) - The military operation in the northeast has killed more than 2,000 insurgents, "
            "the army said on Tuesday.")
    assert figures(body) == []


def test_the_land_around_a_place_leads_to_the_place() -> None:
    body = ("MANILA (Wire) - Eight communist rebels were killed in a gunbattle with soldiers in the hills of "
            "Negros Oriental province on Monday, the army said.")
    assert figures(body) == [(8, 0, "PH-07")]


def test_a_reported_clause_has_its_own_subject() -> None:
    body = ("TEL AVIV (Wire) - A stabbing attack in central Tel Aviv left two people dead and five wounded "
            "on Monday night, emergency services said.\n"
            "Police said the attacker was shot and killed by a passer-by.")
    assert figures(body) == [(3, 5, "IL-TA")]


def test_an_initialism_with_a_hyphenated_word_stays_in_its_phrase() -> None:
    body = ("BEIRUT (Wire) - Six fighters of the U.S.-backed Syrian Democratic Forces were killed when "
            "militants attacked their post in the eastern province of Deir al-Zor on Monday, a monitor said.")
    assert figures(body) == [(6, 0, "SY-DY")]


def test_all_of_a_counted_group_are_that_count() -> None:
    body = ("BELEDWEYNE, Somalia (Wire) - Five people were killed when fighters stormed a hotel in the central "
            "Somali town of Beledweyne on Tuesday, police said. Soldiers ended the siege at dawn and killed all "
            "three attackers, an officer said.")
    assert figures(body) == [(8, 0, "SO-HI")]


def test_the_place_of_an_earlier_attack_told_after_the_lead_is_not_the_leads() -> None:
    body = ("JALALABAD, Afghanistan (Wire) - A roadside bomb killed four farmers in eastern Kunar province on "
            "Thursday, two days after a suicide bomber killed eleven people at a checkpoint in the neighbouring "
            "province of Nuristan, officials said.")
    assert figures(body) == [(4, 0, "AF-KNR")]


def test_officials_raising_a_toll_give_its_new_level() -> None:
    body = ("GUSAU, Nigeria (Wire) - Officials raised the death toll from Saturday's raid by bandits on a "
            "market in Katsina state to 23 from 15 as more bodies were recovered, police said on Monday.")
    assert figures(body) == [(23, 0, "NG-KT")]


def test_an_aside_about_a_string_of_attacks_does_not_make_the_lead_a_total() -> None:
    body = ("BENI, Congo (Wire) - Rebels killed nine villagers in a night raid in eastern Congo's Ituri "
            "province, a local official said on Wednesday, the latest in a string of attacks on farming "
            "communities.\n"
            "In North Kivu province, three soldiers died in an ambush on Tuesday, the army said.")
    assert sorted(figures(body, title="Rebels kill nine in eastern Congo")) == [(3, 0, "CD-NK"), (9, 0, "CD-IT")]


def test_the_date_of_a_dateline_dates_no_figure() -> None:
    # published on a Tuesday about an attack on the Saturday before: the filing date in the
    # dateline is later than the attack, and must not make the figures a later event
    body = ("KANDAHAR, May 4 (Wire) -- Five passengers died and 12 others were hurt after a bomb went off "
            "at a bus terminal in Kandahar city on Saturday, police said.")
    assert figures(body) == [(5, 12, "AF-KAN")]


def test_the_toll_of_a_war_is_no_incident() -> None:
    body = ("CAIRO (Wire) - Mediators met in Cairo on Monday in a new push for a truce, as officials said the "
            "death toll in the seven-month war had passed 28,000.")
    assert figures(body, title="Truce talks resume in Cairo") == []
    body = ("CAIRO (Wire) - Mediators met in Cairo on Monday, as officials said the death toll of the civil "
            "war had risen above 300,000.")
    assert figures(body, title="Truce talks resume in Cairo") == []


def test_an_aside_after_the_attribution_keeps_its_own_times() -> None:
    body = ("CALI, Colombia (Wire) - Seven people were shot dead at a rural estate in the southwestern province "
            "of Cauca, officials said on Sunday, the 31st such massacre this year according to a rights group.")
    assert figures(body) == [(7, 0, "CO-CAU")]


WEEKLY = "\n\n".join((
    "At least 30 members of the security forces and 12 civilians were killed in Afghanistan over the past week.",
    "Clashes: Three soldiers were killed and four wounded on Saturday when insurgents attacked an outpost in "
    "Baghlan Province, officials said.",
    "On Monday, five police officers died in fighting in the Nad Ali district of Helmand Province.",
    "Wednesday: A mortar shell killed two children in Kunar Province.",
))


def test_a_weekly_report_counts_every_day_of_its_week() -> None:
    # published on a Thursday: a daily report would set aside Saturday's and Monday's figures
    result = extract(Article(id="wk", body=WEEKLY, title="Afghanistan: the week's casualties",
                             published="2021-05-06"))
    got = [(i.killed, i.wounded, i.location.region_code) for i in result.incidents if i.status == "counted"]
    assert got == [(3, 4, "AF-BGL"), (5, 0, "AF-HEL"), (2, 0, "AF-KNR")]
    assert (result.summary.stated_killed, result.summary.stated_wounded) == (42, None)
    # the title alone may say it: a span of days
    titled = WEEKLY.split("\n\n", 1)[1]
    result = extract(Article(id="wk2", body=titled, title="Casualty report: April 30-May 6", published="2021-05-06"))
    assert [(i.killed, i.wounded) for i in result.incidents if i.status == "counted"] == [(3, 4), (5, 0), (2, 0)]


def test_an_aside_that_ranks_the_attack_this_week_keeps_a_daily_report_daily() -> None:
    body = ("KABUL (Wire) - A bomb killed nine people at a bus stop in Kabul on Tuesday, the second attack in "
            "the city this week.\n"
            "On Saturday, a suicide bomber killed five people at a checkpoint in the west of the city.")
    assert figures(body, published="2021-05-04") == [(9, 0, "AF-KAB")]


def test_background_tolls_of_a_part_of_the_year_or_of_a_campaign_are_no_incidents() -> None:
    body = ("KABUL (Wire) - A roadside bomb killed four farmers in Uruzgan province on Tuesday, officials said.\n"
            "The UN said 2,100 civilians were killed across the country in the first half of the year.\n"
            "About 900 more died during the first quarter of last year, and the insurgency has left more "
            "than 50,000 people dead since it began.\n"
            "Some 600 people were killed in the province in 2021 alone.")
    assert figures(body, published="2021-07-06") == [(4, 0, "AF-URU")]


def test_a_relative_clause_tells_of_its_antecedents_time() -> None:
    body = ("LAHORE (Wire) - A suicide bomber killed 12 people at a bus stand in Lahore on Sunday, police "
            "said, the deadliest attack in the city since the 2016 park bombing that killed 72 people.")
    assert figures(body, published="2021-05-02") == [(12, 0, "PK-PB")]
    body = ("LAHORE (Wire) - Police said the blast on Sunday came a month after an attack last month that "
            "killed nine people. A bomb killed three policemen at a checkpoint in Lahore on Sunday.")
    assert figures(body, published="2021-05-02") == [(3, 0, "PK-PB")]


def test_a_story_filed_from_a_neighbouring_capital_is_placed_by_its_own_text() -> None:
    body = ("BEIRUT (Wire) - A truck bomb exploded at a crowded bus station of a town in the north of Syria on "
            "Tuesday, killing nine people and wounding 20, a war monitor said.\n\n"
            "The explosion in the town of Jarablus, in Aleppo province, was the second there this month.")
    assert figures(body) == [(9, 20, "SY-HL")]


def test_a_town_on_an_island_named_after_island_of_is_its_place() -> None:
    body = ("MANILA (Wire) - Three marines were killed in a firefight with militants on the southern island of "
            "Basilan on Friday, the military said.")
    assert [(k, w, code is not None) for k, w, code in figures(body)] == [(3, 0, True)]
    assert counted(body)[0].location.name == "Basilan"


def test_the_place_casualties_were_flown_to_is_not_where_they_were_hurt() -> None:
    body = ("MOGADISHU (Wire) - A truck bomb killed 20 people at a checkpoint in Mogadishu on Saturday, police "
            "said.\n\nA Turkish plane evacuated 16 wounded people to Ankara for treatment, the embassy said.")
    assert figures(body) == [(20, 16, "SO-BN")]


def test_a_district_owned_by_a_country_named_after_a_compass_word_places_the_story() -> None:
    body = ("OUAGADOUGOU (Wire) - Six volunteers fighting alongside the army were killed in an ambush in "
            "northern Burkina Faso's Soum province on Friday, the army said.")
    assert figures(body) == [(6, 0, "BF-12")]
    # a compass word before a country alone names no town of it
    body = "MEXICO CITY (Wire) - Gunmen shot dead four men at a car wash in southeastern Mexico, police said."
    assert [code for _, _, code in figures(body)] != ["MX-CMX"]


def test_while_in_a_named_province_opens_a_second_killing_after_a_capital_told_in_words() -> None:
    body = ("KABUL (Wire) - A sticky bomb killed three traffic policemen in the Afghan capital on Sunday, while in "
            "southern Helmand province five insurgents died when a mortar they were firing exploded, officials "
            "said.")
    assert sorted(figures(body)) == [(3, 0, "AF-KAB"), (5, 0, "AF-HEL")]


def test_a_similar_attack_told_without_a_time_of_its_own_is_background_in_a_story() -> None:
    lead = "KADUNA (Wire) - Gunmen killed six worshippers at a church in Kaduna state on Sunday, police said.\n\n"
    assert figures(lead + "In a similar raid in neighbouring Niger state, 17 villagers died.",
                   published="2021-03-01") == [(6, 0, "NG-KD")]
    # told as the same day's, it is another event of the story
    assert sorted(figures(lead + "In a similar raid on Sunday in neighbouring Niger state, 17 villagers died.",
                          published="2021-03-01")) == [(6, 0, "NG-KD"), (17, 0, "NG-NI")]


def test_a_stored_page_opening_with_its_menu_and_byline_still_dates_the_story_by_its_lead() -> None:
    # published on a Tuesday about a Sunday ambush; four lines of page furniture before the lead
    body = ("News | Africa | Nigeria\n\nMost read: Floods kill 9 in Lagos | Bandits kill 14 in Katsina\n\n"
            "By a correspondent\n\nUpdated: 16 March 2021, 09:12\n\n"
            "MAIDUGURI - Six soldiers were killed when insurgents ambushed a patrol near Bama in Borno State on "
            "Sunday, military sources said.\n\nRead more\n\nGunmen abduct 20 farmers in Kaduna")
    assert figures(body, published="2021-03-16") == [(6, 0, "NG-BO")]


def test_a_world_town_in_capitals_labelling_a_round_up_line_places_it() -> None:
    body = ("Officials reported these attacks on Monday.\n\nKANDAHAR: Gunmen shot dead two police officers at a "
            "checkpoint.\n\nHELMAND: A roadside bomb killed three soldiers.")
    assert sorted(figures(body)) == [(2, 0, "AF-KAN"), (3, 0, "AF-HEL")]


def test_a_story_filed_days_later_keeps_the_day_its_lead_names() -> None:
    # published on a Tuesday (2021-03-16)
    body = "BAMAKO (Wire) - Nine soldiers were killed in an ambush near Gao last Thursday, the army said on Tuesday."
    assert figures(body, published="2021-03-16") == [(9, 0, "ML-7")]
    body = ("GUSAU (Wire) - The death toll from Sunday's raid on a village in Zamfara state rose to 15 on Tuesday, "
            "police said.\n\nTwelve villagers died when gunmen stormed the village on Sunday evening.")
    assert figures(body, published="2021-03-16") == [(15, 0, "NG-ZA")]


def test_a_photographs_caption_tells_no_figure_and_does_not_date_the_story() -> None:
    # published on a Tuesday about a Sunday bombing; the caption comes first on the stored page
    body = ("Mourners gather beside the body of a man killed in the blast. (Photo: Wire)\n\n"
            "KABUL (Wire) - Seven shoppers were killed when a bomb exploded in a market in Kabul on Sunday, "
            "officials said.")
    assert figures(body, published="2021-03-16") == [(7, 0, "AF-KAB")]
    # a credit at the end of a long paragraph of the story leaves the paragraph read
    body = ("In Hilla, a roadside bomb killed three policemen on Tuesday. When another patrol came to the spot, a "
            "second bomb went off and wounded three more officers, among them the town's police chief. - File "
            "Photo by Wire")
    got = figures(body, published="2021-03-16")
    assert (sum(k for k, _, _ in got), sum(w for _, w, _ in got), {c for _, _, c in got}) == (3, 3, {"IQ-BB"})


def test_a_capital_named_before_the_figures_sentence_places_it() -> None:
    body = ("NAIROBI (Wire) - Somalia's capital was hit by another deadly attack on Monday. Five guards were "
            "killed when gunmen stormed a hotel near the port, police said.")
    assert figures(body) == [(5, 0, "SO-BN")]


def test_the_wounded_who_later_died_move_from_the_wounded_to_the_killed() -> None:
    body = ("In Samarra, a sticky bomb on a minibus wounded four passengers near the bus station. "
            "One of the injured later died in hospital.")
    assert figures(body) == [(1, 3, "IQ-SD")]


def test_a_part_of_the_wounded_dying_later_moves_even_when_the_part_names_who_they_were() -> None:
    body = ("In Hit, mortar rounds wounded five soldiers at an army post. Two of the soldiers died of "
            "their wounds overnight.")
    assert figures(body) == [(2, 3, "IQ-AN")]


def test_a_part_of_the_dead_told_again_is_not_taken_from_the_wounded() -> None:
    body = ("In Samarra, a car bomb killed three policemen and wounded six people near a checkpoint. "
            "Two of the policemen were officers.")
    assert figures(body) == [(3, 6, "IQ-SD")]


def test_a_score_of_victims_is_twenty() -> None:
    body = ("HOMS, Syria (Wire) - A score of people were killed when rockets struck a crowded street in "
            "Homs on Friday, a monitor said.")
    assert figures(body) == [(20, 0, "SY-HI")]


def test_a_later_exact_toll_replaces_a_figure_first_told_roughly() -> None:
    body = ("PESHAWAR, Pakistan (Wire) - Almost 30 people were killed when a bomb hidden in a motorcycle "
            "exploded near a bus stand in Peshawar on Friday, police said.\n"
            "The toll was later put at 27, a hospital spokesman said.")
    assert figures(body) == [(27, 0, "PK-KP")]


def test_a_source_figure_not_called_later_changes_no_rough_toll() -> None:
    body = ("PESHAWAR, Pakistan (Wire) - Almost 30 people were killed when a bomb hidden in a motorcycle "
            "exploded near a bus stand in Peshawar on Friday, police said.\n"
            "A hospital spokesman put the toll at 27.")
    assert figures(body) == [(30, 0, "PK-KP")]


def test_the_plural_events_of_a_total_told_again_complete_its_wounded() -> None:
    body = ("BAGHDAD (Wire) - A series of bombings left 40 people dead across Baghdad on Friday, police said.\n\n"
            "Nine car bombs went off in markets and near cafes.\n\n"
            "The bombings also wounded 110 people, a health official said.\n\n"
            "In the worst attack, two car bombs killed nine people at a market in Shaab.")
    result = extract(Article(id="t", body=body, published="2013-07-20"))
    assert (result.summary.stated_killed, result.summary.stated_wounded) == (40, 110)
    assert [(i.killed, i.wounded, i.location.name) for i in result.incidents if i.status == "counted"] == [
        (9, 0, "Shaab")]


def test_a_place_in_a_contrasting_clause_after_the_figures_is_not_their_place() -> None:
    body = "Two car bombs killed seven people in Adhamiya, while a third bomb went off in Dora without hurting anyone."
    assert [(i.killed, i.location.name) for i in counted(body)] == [(7, "Adhamiya")]


def test_a_lead_that_sums_the_attacks_told_after_it_is_a_summary_even_below_a_pages_date_line() -> None:
    body = (
        "Mar-04-2011 at 08:10 PM (UTC+3 Kirkuk)\n\n"
        "by Staff - Source: Wire - March 4, 2011\n\n"
        "KIRKUK, Iraq (Wire) - A policeman and a teacher were killed and five people wounded on Friday in "
        "separate shootings and bombings in Kirkuk city, a police source said.\n\n"
        "Gunmen fired on a patrol in southern Kirkuk, killing a policeman and wounding two more, the "
        "source said.\n\n"
        "Later, a bomb hidden by the road went off near a bakery in the city centre and wounded two passers-by.\n\n"
        "Also in Kirkuk, a teacher was killed and his son wounded when gunmen opened fire on their car near the "
        "university, the source said."
    )
    result = extract(Article(id="t", body=body, published="2011-03-04"))
    assert (result.summary.stated_killed, result.summary.stated_wounded) == (2, 5)
    assert [(i.killed, i.wounded) for i in result.incidents if i.status == "counted"] == [(1, 2), (0, 2), (1, 1)]


def test_twin_bombings_told_first_and_second_in_one_sentence_are_two_events_with_their_own_wounded() -> None:
    body = (
        "Two bombings in Homs left 31 people dead and 80 wounded on Thursday, the governor said.\n\n"
        "At least 27 people died in the first bombing, which struck a bus station, a police officer said, while "
        "four people died in the second attack, at a bakery near the old market.\n\n"
        "\u201cSixty-five people were hurt in the first blast at the bus station, while 15 more were hurt in the "
        "bakery attack,\u201d the officer said."
    )
    assert [(i.killed, i.wounded) for i in counted(body, published="2017-03-16")] == [(27, 65), (4, 15)]


def test_another_sources_estimate_does_not_fill_a_figure_the_lead_told_vaguely() -> None:
    body = ("ADEN, Yemen (Wire) - A suicide bomber killed at least 30 soldiers and hurt dozens more at a camp in "
            "Aden on Sunday, officials said.\n\n"
            "Some estimates put the toll as high as 45, with as many as 60 wounded.")
    assert figures(body, published="2016-12-18") == [(30, 0, "YE-AD")]


def test_a_round_lower_bound_in_the_lead_gives_way_to_the_exact_count_told_later() -> None:
    body = ("ADEN, Yemen (Wire) - More than 40 recruits died on Sunday as a suicide bomber struck a queue "
            "at an army camp in Aden.\n\n"
            "Forty-three recruits were killed and 50 wounded, according to a police spokesman.")
    assert figures(body, published="2016-12-18") == [(43, 50, "YE-AD")]


def test_a_lower_bound_that_is_no_round_number_keeps_its_count_against_another_sources_figure() -> None:
    body = ("BENI, Congo (Wire) - Rebels killed at least 17 civilians in a village in North Kivu province on Sunday, "
            "according to a UN report.\n\n"
            "A local rights activist said 19 civilians had been killed.")
    assert figures(body, published="2021-05-16") == [(17, 0, "CD-NK")]


def test_a_toll_told_below_a_photo_credit_and_caption_is_still_the_storys_lead() -> None:
    # published a week after the bombing: the lead is dated by the day it names, as when the
    # photo lines are not there (they are page furniture, not paragraphs of the story)
    body = (
        "The market bombing was the worst attack on the city in a decade.\n\n"
        "Photo: Wire\n\n"
        "Relatives carry the coffin of one of the victims through the old city of Kano. (March 2, 2021)\n\n"
        "The death toll from the March 1 bombing of the central market in Kano has passed 70, the state governor "
        "said on Monday, a week after the attack.\n\n"
        "More than 200 people were wounded in the blast, hospital officials said."
    )
    got = counted(body, published="2021-03-08")
    assert [(i.killed, i.wounded, i.location.region_code, i.event_date) for i in got] == [
        (70, 200, "NG-KN", "2021-03-01")]


def test_an_undated_story_told_on_a_weekday_measures_its_other_weekdays_from_it() -> None:
    # a page stored without its date: the lead is told "on Thursday", so Monday's clashes are an
    # earlier event, as they would be in the same story published on a Thursday
    body = (
        "KABUL (Wire) - The death toll from the bombing outside the ministry of mines in Kabul has risen to 40, "
        "officials said on Thursday.\n\n"
        "The attack sparked angry protests against the government.\n\n"
        "Police shot dead two protesters during a march on Monday."
    )
    assert figures(body, published=None) == [(40, 0, "AF-KAB")]
    assert figures(body, published="2021-05-06") == [(40, 0, "AF-KAB")]  # a Thursday
    # the day before the telling is the report's own period, as in a dated story
    told_wednesday = body.replace("on Monday", "on Wednesday")
    assert sorted(figures(told_wednesday, published=None)) == [(2, 0, "AF-KAB"), (40, 0, "AF-KAB")]


def test_a_lead_figure_told_later_as_a_part_of_a_larger_one_was_only_that_part() -> None:
    body = (
        "KABUL (Wire) - A suicide bomber killed nine people at a wedding hall in Kabul on Tuesday. Five guests "
        "were seriously wounded, police said.\n\n"
        "Five of the 30 wounded remain in intensive care, a hospital official said."
    )
    assert figures(body) == [(9, 30, "AF-KAB")]
    # a part that is not the lead's figure changes nothing
    assert figures(body.replace("Five guests were", "Twelve guests were")) == [(9, 12, "AF-KAB")]


def test_a_story_whose_attack_is_dated_by_a_recent_period_counts_it_on_that_day() -> None:
    # filed late from a remote province: the opening attack is the story's event, dated back
    body = ("MAPUTO (AFP) - Insurgents raided two fishing villages in Mozambique's Cabo Delgado province last "
            "week and beheaded at least nine men, a rights group said on Tuesday.")
    [incident] = counted(body, published="2021-05-04")
    assert (incident.killed, incident.location.region_code, incident.event_date) == (9, "MZ-P",
                                                                                                 "2021-04-27")
    days_ago = ("Gunmen on motorcycles attacked a village in Nigeria's Zamfara state two days ago, killing 14 "
                "farmers, residents told reporters.")
    [incident] = counted(days_ago, published="2021-05-04")
    assert (incident.killed, incident.location.region_code, incident.event_date) == (14, "NG-ZA",
                                                                                                 "2021-05-02")


def test_a_recent_period_does_not_make_a_toll_or_an_older_attack_an_event() -> None:
    # no attack named: a week's toll; a month back is never a story's own event
    assert counted("Violence killed 120 people in Nigeria's Borno state last week, officials said on Tuesday.",
                   published="2021-05-04") == []
    assert counted("Gunmen killed 14 farmers when they stormed a farming hamlet of Zamfara state last month, residents "
                   "said on Tuesday.", published="2021-05-04") == []
    # a figure of the report's own day keeps the story on that day; the period's figure is background
    body = ("Gunmen killed six farmers in a village in Zamfara state today, residents said.\n"
            "Last week, an attack on a nearby market killed 14 people.")
    assert figures(body, published="2021-05-04") == [(6, 0, "NG-ZA")]


def test_a_day_after_its_month_in_a_dateline_or_a_lead_is_never_a_toll() -> None:
    assert figures("Jammu, Nov 30 (IANS) Two militants were killed in a gunfight with troops in Kashmir's "
                   "Kupwara district on Tuesday, police said.", published="2021-11-30") == [(2, 0, "IN-JK")]
    # (the agency's name closes the dateline without a dash: the dateline's city places the story)
    assert figures("Quetta, Nov 30 (PTI) A policeman was gunned down at a checkpoint on Tuesday, officials said.",
                   published="2021-11-30") == [(1, 0, "PK-BA")]
    assert figures("On Nov. 18 a policeman was gunned down outside a checkpoint in Quetta, officials said.",
                   published="2021-11-19") == [(1, 0, "PK-BA")]


def test_a_lead_with_no_place_of_its_own_is_in_its_provincial_datelines_region() -> None:
    body = ("KIRKUK, Iraq (AP) - A car bomb tore through a crowded vegetable market on Tuesday, killing six "
            "shoppers, police said.\n"
            "In a separate attack in Baghdad, gunmen shot dead a traffic policeman.\n"
            "Also, a roadside bomb wounded two soldiers on a patrol, police said.")
    got = [(i.killed, i.wounded, i.location.city, i.location.region_code) for i in counted(body)]
    # (the bomb, a cause of another kind than the shooting's, is an event of its own)
    assert got == [(6, 0, None, "IQ-KI"), (1, 0, "Baghdad", "IQ-BG"), (0, 2, "Baghdad", "IQ-BG")]
    # filed from the capital, where the bureau is, a lead naming no place is not put there
    capital = "BAGHDAD (AP) - A car bomb tore through a crowded vegetable market on Tuesday, killing six shoppers."
    assert figures(capital) == [(6, 0, None)]


def test_an_iraq_wire_story_places_its_unplaced_incidents_in_the_storys_region() -> None:
    body = ("MOSUL, Iraq (AP) - Gunmen attacked an army checkpoint on Tuesday, killing a soldier and "
            "wounding two, police said.\n"
            "Hours later a bomb hidden in a parked car wounded three policemen, the same officials said.")
    assert figures(body) == [(1, 2, "IQ-NI"), (0, 3, "IQ-NI")]


def test_a_dateline_below_a_byline_or_a_date_line_still_places_the_story() -> None:
    for furniture in ("By a Staff Correspondent", "Published: 4 May 2021, 09:12 GMT"):
        body = (f"{furniture}\n\nMAIDUGURI - Suspected insurgents killed nine rice farmers on Tuesday while they "
                "worked their fields, residents told reporters.")
        assert figures(body) == [(9, 0, "NG-BO")]
    # a short opening sentence is the story, not furniture: the line after it is no dateline
    body = "Attacks killed 12 people on Tuesday.\n\nMAIDUGURI - Suspected insurgents killed nine rice farmers."
    assert parse_dateline(body, default_gazetteer()) == (None, None, 0)
    assert parse_dateline(body.replace(".\n", "\n", 1), default_gazetteer())[1] == "NG"
