"""One death told twice, or told by two accounts, counts once; a death owned up to long after, or
a figure that includes a victim already told, adds nothing. Every article is written for these
tests, in the layouts of daily round-ups and agency round-ups."""

from __future__ import annotations

from extractors import extract
from extractors.rules import disabled
from schemas.records import Article


def figures(body: str, title: str | None = None, published: str = "2013-04-09") -> list[tuple[int, int, str | None]]:
    result = extract(Article(id="t", title=title, body=body, published=published))
    return [(i.killed, i.wounded, i.location.region_code) for i in result.incidents if i.status == "counted"]


def test_a_definite_person_killed_again_in_a_later_paragraph_is_the_same_death() -> None:
    body = (
        "Attacks across Iraq left at least five people dead on Tuesday.\n\n"
        "A tribal sheikh who led a pro-government militia was shot dead in northern Baghdad, police said.\n\n"
        "The sheikh was leaving a mosque in the Shaab neighbourhood when gunmen in a car opened fire and "
        "killed him, according to an officer.\n\n"
        "In Kirkuk, a car bomb killed three policemen at a checkpoint, police said.\n\n"
        "In Mosul, gunmen killed a shop owner, police said."
    )
    assert figures(body) == [(1, 0, "IQ-BG"), (3, 0, "IQ-KI"), (1, 0, "IQ-NI")]


def test_a_generic_definite_person_is_the_same_death_only_in_the_next_paragraph() -> None:
    body = (
        "In Hilla, a man was shot dead outside his house.\n\n"
        "In Kut, a roadside bomb killed two soldiers.\n\n"
        "In Amara, the man was killed by gunmen as he drove to work."
    )
    assert figures(body) == [(1, 0, "IQ-BB"), (2, 0, "IQ-WA"), (1, 0, "IQ-MA")]


def test_one_of_many_killed_across_the_country_is_the_days_total_not_an_incident() -> None:
    body = (
        "BAGHDAD (Wire) - A local council member was shot dead on Tuesday in Baghdad's west, one of nine people "
        "slain in violence in several parts of the country, officials reported.\n\n"
        "In Kirkuk, a car bomb killed three policemen at a checkpoint.\n\n"
        "In Baquba, gunmen killed five members of one family."
    )
    assert figures(body) == [(1, 0, "IQ-BG"), (3, 0, "IQ-KI"), (5, 0, "IQ-DI")]


def test_one_of_many_killed_in_one_attack_is_that_attacks_toll() -> None:
    body = ("BAGHDAD (Wire) - A local council member was shot dead on Tuesday in Baghdad's west, one of four "
            "people slain when gunmen attacked his convoy, officials reported.")
    assert figures(body) == [(4, 0, "IQ-BG")]


def test_an_officials_quote_of_a_toll_told_in_an_earlier_paragraph_is_not_another_incident() -> None:
    body = (
        "At least 41 people were killed and nearly 90 wounded in Pakistan in separate attacks on Monday.\n\n"
        "In the first attack, a bomb left at least 14 dead and nearly 40 wounded as it hit a convoy near a "
        "market in Peshawar.\n\n"
        "The police chief of Peshawar said: \u201c14 people were killed in the roadside blast.\u201d\n\n"
        "In the deadliest attack, two bombs near a mosque in Quetta left at least 27 dead.\n\n"
        "The bombing near the mosque in the city's west also wounded 50 people."
    )
    assert figures(body) == [(14, 40, "PK-KP"), (27, 50, "PK-BA")]


def test_two_accounts_of_the_same_dead_joined_by_however_count_once() -> None:
    body = ("Coalition forces reported killing 15 gunmen near Balad; however, local police said they recovered the "
            "bodies of 12 farmers instead.")
    assert figures(body) == [(15, 0, "IQ-SD")]


def test_killings_owned_up_to_in_custody_are_not_events_of_the_day() -> None:
    body = (
        "In Baquba, a detained militant claiming to have killed 11 people led police to a field where he said he "
        "had buried them.\n\n"
        "In Kirkuk, police said a suspect admitted murdering two taxi drivers.\n\n"
        "In Mosul, gunmen killed a policeman."
    )
    assert figures(body) == [(1, 0, "IQ-NI")]


def test_a_named_person_and_his_relative_are_two_victims() -> None:
    body = "In Baghdad, Brigadier General Saad Jabbar and his son were shot dead near their home in Mansour."
    assert figures(body) == [(2, 0, "IQ-BG")]


def test_in_the_capital_is_the_capital_not_the_place_of_the_sentence_before() -> None:
    body = ("A bomb killed two people at a market in Hilla. In the capital, police found seven bodies dumped in "
            "several districts. The wounded from Hilla were taken to the capital.")
    assert figures(body, published="2007-02-03") == [(2, 0, "IQ-BB"), (7, 0, "IQ-BG")]


def test_a_round_up_with_no_stated_total_is_not_folded_into_one_story_when_the_headline_counts_them_all() -> None:
    title = "Monday: 9 Iraqis Killed"
    body = (
        "A bomb planted under a car killed two civilians in western Baghdad. Also in the capital, a traffic "
        "policeman died in a roadside blast in Karrada. Police found three bodies in Sadr City.\n\n"
        "In Tikrit, gunmen killed three truck drivers."
    )
    assert figures(body, title=title, published="2007-02-05") == [
        (2, 0, "IQ-BG"), (1, 0, "IQ-BG"), (3, 0, "IQ-BG"), (3, 0, "IQ-SD")]


def test_a_single_event_story_whose_headline_gives_its_toll_is_still_folded() -> None:
    title = "Car bomb kills 6 in Kirkuk"
    body = (
        "KIRKUK, Iraq (Wire) - A car bomb killed six people near a police station in Kirkuk on Monday, police "
        "said.\n\n"
        "\u201cSix people were killed and the building was badly damaged,\u201d a police officer said."
    )
    assert figures(body, title=title, published="2007-02-05") == [(6, 0, "IQ-KI")]


def test_a_story_under_a_headline_of_dozens_is_folded_whatever_its_background_adds_up_to() -> None:
    title = "Bomber kills dozens of recruits at Yemen army camp"
    body = (
        "ADEN, Yemen (Wire) - A suicide bomber killed at least 30 army recruits queueing at a camp in Aden on "
        "Sunday, officials said.\n\n"
        "The blast came days after a similar bombing at the same camp, in which 45 recruits died."
    )
    assert figures(body, title=title, published="2016-12-18") == [(30, 0, "YE-AD")]


def test_a_town_spelt_otherwise_by_an_outlet_is_found_in_an_iraqi_report() -> None:
    body = "A roadside bomb killed two soldiers near Khalees.\n\nGunmen killed a farmer in Mahmoodiya."
    assert figures(body) == [(2, 0, "IQ-DI"), (1, 0, "IQ-BG")]


def test_a_short_unknown_name_is_never_taken_for_a_near_spelling() -> None:
    body = "In Basra, gunmen killed a trader. In Hitt, a bomb killed two policemen."
    assert figures(body)[1][2] != "IQ-AN"


def test_a_story_placed_only_in_a_country_takes_the_town_where_the_text_says_it_happened() -> None:
    body = (
        "A bomber wearing an explosive vest struck mourners at a funeral in northern Iraq on Sunday, killing at "
        "least 12 people and wounding 20, police said.\n\n"
        "No group claimed the attack.\n\n"
        "The attack took place in Tuz Khurmatu, some 170 km north of Baghdad, at a cemetery where a local "
        "official was being buried."
    )
    result = extract(Article(id="t", body=body, published="2013-06-02"))
    assert [(i.killed, i.wounded, i.location.region_code, i.location.name) for i in result.incidents] == [
        (12, 20, "IQ-SD", "Tuz Khurmatu")]


def test_a_part_of_the_dead_told_a_paragraph_later_is_not_another_incident() -> None:
    body = ("Violence across Iraq left at least 20 people dead on Monday.\n\n"
            "In Diwaniya, Iraqi and US troops killed 11 gunmen in a battle near a police station.\n\n"
            "The army said six of those killed wore police uniforms.\n\n"
            "In Kirkuk, a bomb killed two traders.")
    assert figures(body) == [(11, 0, "IQ-QA"), (2, 0, "IQ-KI")]


def test_the_same_toll_quoted_in_another_town_is_another_incident() -> None:
    body = ("Attacks across Iraq left at least nine people dead on Monday.\n\n"
            "In Kirkuk, a car bomb killed three policemen near a checkpoint.\n\n"
            "In Hawija, police said three people were killed when gunmen raided a market.\n\n"
            "In Mosul, gunmen killed three shop owners.")
    assert figures(body) == [(3, 0, "IQ-KI"), (3, 0, "IQ-KI"), (3, 0, "IQ-NI")]


def test_the_unplaced_incidents_of_a_report_that_names_one_city_only_are_in_that_city() -> None:
    body = ("Kirkuk was the only city to report violence today; eight people were killed there and three wounded.\n\n"
            "Gunmen shot dead three policemen near a checkpoint. Two shoppers died and three were hurt by a bomb. "
            "Three bodies were found in an orchard.")
    assert figures(body, published="2012-07-19") == [(3, 0, "IQ-KI"), (2, 3, "IQ-KI"), (3, 0, "IQ-KI")]


def test_a_report_naming_two_cities_places_nothing_it_does_not_say() -> None:
    body = ("Some eight Iraqis lost their lives across the country today. Violence was reported in Kirkuk and "
            "Tikrit.\n\n"
            "Gunmen shot dead three policemen near a checkpoint. Two shoppers died and three were hurt by a bomb. "
            "Three bodies were found in an orchard.")
    assert [r for _, _, r in figures(body, published="2012-07-19")] == [None, None, None]


def test_the_main_incident_told_with_a_round_ups_total_and_again_in_its_place_counts_once() -> None:
    body = (
        "Four foreign guards were killed when rockets hit a military base near Baghdad airport; 12 more "
        "were wounded. Another 20 Iraqis died and 31 were hurt in other attacks.\n\n"
        "In Baghdad, a Nepali and three Fijians died in a rocket strike on the base near the airport. "
        "Twelve people were hurt.\n\n"
        "In Mosul, a bomb killed 20 people and wounded 31 in a crowded market."
    )
    assert figures(body) == [(4, 12, "IQ-BG"), (20, 31, "IQ-NI")]


def test_soldiers_killed_told_with_the_total_and_again_with_their_wounded_count_once() -> None:
    body = (
        "Three American soldiers died when an explosive hit their vehicle near Ramadi. Another 12 Iraqis "
        "died and 20 were hurt across the country.\n\n"
        "In Anbar, a roadside bomb struck a patrol near Ramadi; three U.S. soldiers died and two were hurt.\n\n"
        "In Kirkuk, three civilians were killed by a car bomb.\n\n"
        "In Baquba, gunmen killed nine people and wounded 18 at a checkpoint."
    )
    assert figures(body) == [(3, 2, "IQ-AN"), (3, 0, "IQ-KI"), (9, 18, "IQ-DI")]


def test_the_same_figures_in_two_neighbourhoods_of_one_city_are_two_incidents() -> None:
    body = (
        "Attacks across Iraq took nine lives on Tuesday, and 14 people were hurt.\n\n"
        "In Baghdad, an explosive device near a market in Adhamiya killed two troops and hurt three people. A "
        "mortar round that fell on an army post in Amil also killed two troops and hurt three people.\n\n"
        "In Mosul, gunmen shot dead five men and hurt eight."
    )
    assert figures(body) == [(2, 3, "IQ-BG"), (2, 3, "IQ-BG"), (5, 8, "IQ-NI")]


def test_one_of_a_group_of_things_is_no_part_of_a_figure_already_told() -> None:
    # "one of the ... convoys" is the target, not one of the dead: a second incident
    first = "In Tikrit, an explosive device killed one soldier and hurt five."
    body = f"{first} Gunmen attacked one of the army supply convoys, killing one driver and wounding two more."
    assert figures(body) == [(1, 5, "IQ-SD"), (1, 2, "IQ-SD")]
    # "one of the wounded" is
    assert figures(f"{first} One of the wounded, a driver, was in a serious condition.") == [(1, 5, "IQ-SD")]


def test_an_unplaced_summary_figure_told_again_with_its_place_counts_once() -> None:
    body = (
        "Five Danes were hurt in a blast on their convoy. Separately, four American soldiers died. Another 30 "
        "Iraqis died and 41 were hurt in attacks around the country.\n\n"
        "Five Danish troops were hurt when an explosive hit their armoured car near Basra.\n\n"
        "In Tikrit, four Iraqi soldiers died when gunmen stormed their post.\n\n"
        "In Mosul, 26 people died and 41 were hurt when an explosive vest went off at a market."
    )
    # the Danes once, placed by the body; the Americans (no place) and the Iraqi soldiers are two
    assert figures(body) == [(0, 5, "IQ-BA"), (4, 0, None), (4, 0, "IQ-SD"), (26, 41, "IQ-NI")]


def test_a_source_quoted_with_a_lower_toll_on_the_attacks_told_before_is_another_account() -> None:
    body = (
        "At least 20 people were killed in separate attacks in Borno state on Sunday.\n\n"
        "Insurgents killed 15 villagers in raids on two hamlets near Damboa, residents said.\n\n"
        "The gunmen arrived on motorcycles and set fire to homes and a clinic.\n\n"
        "A police officer said eight died in the raids.\n\n"
        "In Konduga, troops killed five insurgents in a shootout."
    )
    assert figures(body, published="2021-05-03") == [(15, 0, "NG-BO"), (5, 0, "NG-BO")]


def test_the_summarys_incident_retold_by_the_same_means_with_victims_in_other_words_counts_once() -> None:
    opening = ("At least 14 Iraqis were killed and 20 more were wounded across Iraq today. Also, three U.S. troops "
               "were killed when a roadside bomb struck their vehicle in Ramadi.\n\n")
    rest = ("In Baghdad, gunmen killed four policemen at a checkpoint in Doura and wounded six.\n\n"
            "Ten bodies were found in Mosul.")
    title = "Monday: 3 GIs, 14 Iraqis Killed; 20 Iraqis Wounded"
    same = opening + "In Ramadi, a roadside bomb killed three Americans and wounded two others.\n\n" + rest
    assert figures(same, title=title) == [(3, 2, "IQ-AN"), (4, 6, "IQ-BG"), (10, 0, "IQ-NI")]
    # the same figures at the same town by other means are another incident
    other = opening + "In Ramadi, mortar fire killed three Americans and wounded two others.\n\n" + rest
    assert figures(other, title=title) == [(3, 0, "IQ-AN"), (3, 2, "IQ-AN"), (4, 6, "IQ-BG"), (10, 0, "IQ-NI")]


def test_a_sentence_opening_on_a_separate_event_restates_none_before_it() -> None:
    body = ("U.S. troops killed nine insurgents in a raid on a farm south of Baghdad. In a separate operation, "
            "eight more gunmen were killed near Taji; a farmer also died in the incident.")
    assert figures(body) == [(9, 0, "IQ-BG"), (9, 0, "IQ-BG")]


_FOUR_SOLDIERS = (
    "Attacks killed 31 Iraqis and wounded 40 more today.\n\n"
    "The army announced the deaths of four soldiers: a sailor died when rockets struck a base near Basra today, "
    "and a sniper shot a corporal dead in Mosul. A third soldier was shot dead in Tikrit on Monday, and a fourth "
    "died of his wounds on Sunday.\n\n"
    "In Kirkuk, a car bomb killed six people and wounded 11."
)


def test_a_tally_closed_by_a_colon_is_told_by_its_items_of_every_day() -> None:
    title = "Wednesday: 4 GIs, 31 Iraqis Killed; 40 Iraqis Wounded"
    # the Monday and Sunday deaths are other days' (set aside), and still items of the tally
    assert figures(_FOUR_SOLDIERS, title=title, published="2026-03-04") == [
        (1, 0, "IQ-BA"), (1, 0, "IQ-NI"), (6, 11, "IQ-KI")]
    with disabled("merge.set_aside_items"):
        assert (4, 0) in {(k, w) for k, w, _ in figures(_FOUR_SOLDIERS, title=title, published="2026-03-04")}
    with disabled("assemble.colon_apart"):
        assert (5, 0, "IQ-BA") in figures(_FOUR_SOLDIERS, title=title, published="2026-03-04")


def test_an_opening_tally_of_troop_deaths_is_told_by_its_items_of_every_day() -> None:
    body = (
        "The U.S. military reported three more troop deaths today. Also, attacks around the country killed 20 "
        "Iraqis and injured 26.\n\n"
        "A soldier died this morning of wounds from a shooting. Two Marines were killed on Monday when a bomb struck "
        "their vehicle in Hit.\n\n"
        "In Baquba, gunmen shot dead a policeman and injured two bystanders."
    )
    title = "Wednesday: 3 GIs, 20 Iraqis Killed; 26 Iraqis Wounded"
    assert figures(body, title=title, published="2026-03-04") == [(1, 0, None), (1, 2, "IQ-DI")]
    with disabled("merge.set_aside_items"):
        assert sum(k for k, _, _ in figures(body, title=title, published="2026-03-04")) == 5


def test_a_summary_giving_only_the_wounded_of_note_takes_the_fuller_count_of_its_retelling() -> None:
    body = (
        "Attacks killed 17 Iraqis and wounded 30 more today. A bombing aimed at Deputy Interior Minister "
        "Salam al-Rawi killed seven people and wounded the minister.\n\n"
        "The deputy minister was leaving a meeting at a ministry compound in Mosul when a suicide bomber struck his "
        "convoy. Seven people, including three bodyguards, were killed and 22 others, including the minister were "
        "wounded.\n\n"
        "In Kirkuk, a roadside bomb killed a soldier."
    )
    # (and "Salam", after a title and before a surname, is the minister's name, not a Baghdad district)
    assert figures(body, title="Wednesday: 17 Iraqis Killed, 30 Wounded", published="2026-03-04") == [
        (7, 22, "IQ-NI"), (1, 0, "IQ-KI")]
    for mechanism in ("places.person_title", "clauses.open_appositive", "merge.summary_retold"):
        with disabled(mechanism):
            assert len(figures(body, title="Wednesday: 17 Iraqis Killed, 30 Wounded", published="2026-03-04")) == 3


def test_a_single_death_of_the_opening_told_again_in_the_same_words_counts_once() -> None:
    body = (
        "Attacks killed 12 Iraqis and wounded 20 more today. No foreign troops died, but a Syrian shepherd was killed "
        "when he would not hand his flock over to smugglers.\n\n"
        "In Kirkuk, ten people died and 20 were hurt when a car bomb went off.\n\n"
        "In Mosul, gunmen killed a policeman at his home.\n\n"
        "Near the border, a Syrian shepherd was killed when he would not hand his sheep to a gang of smugglers."
    )
    assert figures(body, title="Friday: 12 Iraqis Killed, 20 Wounded", published="2026-03-06") == [
        (1, 0, None), (10, 20, "IQ-KI"), (1, 0, "IQ-NI")]
    with disabled("merge.one_told_again"):
        assert len(figures(body, title="Friday: 12 Iraqis Killed, 20 Wounded", published="2026-03-06")) == 4


def test_a_single_death_of_the_opening_and_another_of_the_same_kind_are_two() -> None:
    body = (
        "Attacks killed 12 Iraqis and wounded 20 more today. Among them, a Syrian shepherd was killed near the "
        "border.\n\n"
        "In Kirkuk, a car bomb killed nine people and wounded 20.\n\n"
        "In Mosul, gunmen shot a policeman dead at his home."
    )
    assert figures(body, title="Friday: 12 Iraqis Killed, 20 Wounded", published="2026-03-06") == [
        (1, 0, None), (9, 20, "IQ-KI"), (1, 0, "IQ-NI")]


def test_the_attackers_killed_by_those_who_fought_back_are_the_part_already_counted() -> None:
    body = ("MAIDUGURI, Nigeria - Seventeen people died in separate attacks in two areas of Borno State on "
            "Sunday.\n\nEleven people including three suspected sect members died when gunmen "
            "raided a chapel in a hill village, residents said.\n\n"
            "Soldiers later pushed back an ambush near Bama, killing six of the gunmen.\n\n"
            "Youths of the village fought back and succeeded in killing three of the attackers.")
    result = extract(Article(id="t", body=body, published="2025-06-02"))
    assert [i.killed for i in result.incidents] == [11, 6]
    with disabled("merge.attackers_again"):
        result = extract(Article(id="t", body=body, published="2025-06-02"))
        assert [i.killed for i in result.incidents] == [11, 6, 3]
