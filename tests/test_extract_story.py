"""Single-event wire stories (extractors.story): one event told many times is one incident.

Every article is written for the test, in the layout wire services use: a dateline, the toll in
the opening sentence, then details, quotes, updates and background.
"""

from __future__ import annotations

from extractors import extract
from extractors.context import toll_statement
from extractors.segment import Sentence, tokenize
from schemas.records import Article


def incidents(body: str, title: str | None = None, published: str | None = "2019-03-04") -> list[tuple[int, int]]:
    result = extract(Article(id="t", body=body, title=title, published=published))
    return [(i.killed, i.wounded) for i in result.incidents if i.status == "counted"]


def test_a_story_told_with_quotes_breakdowns_and_a_later_wounded_figure_is_one_incident() -> None:
    body = (
        "MOGADISHU, Somalia (AP) - A suicide car bomber killed nine people at a checkpoint in Mogadishu on "
        "Monday, police said.\n"
        "Four of the dead were soldiers guarding the checkpoint, officer Ahmed Nur told reporters.\n"
        "\"We lost four of our men and five civilians who were passing by,\" he said.\n"
        "Another 14 people were wounded and taken to Medina hospital, a nurse said."
    )
    assert incidents(body, title="Suicide car bomb kills nine in Somali capital") == [(9, 14)]


def test_a_toll_update_raises_the_incident_to_the_final_figure() -> None:
    body = (
        "PESHAWAR, Pakistan (Reuters) - A bomb tore through a crowded bus station in Peshawar on Monday, killing "
        "at least 12 people and wounding 30, officials said.\n"
        "Rescue workers pulled more victims from the rubble through the night.\n"
        "By Tuesday morning the death toll had risen to 19, a hospital spokesman said."
    )
    assert incidents(body, published="2019-03-05") == [(19, 30)]


def test_a_sources_figure_that_is_not_an_update_changes_nothing() -> None:
    body = (
        "Gunmen killed at least seven villagers in an attack on a settlement in Zamfara state on Sunday, police "
        "said.\nAccording to residents, the toll was put at 11."
    )
    assert incidents(body) == [(7, 0)]


def test_statements_of_a_tolls_level() -> None:
    def read(text: str) -> tuple[str, int, bool] | None:
        s = Sentence(text, 0, len(text), 0, 0)
        tokenize(s)
        found = toll_statement(s.toks)
        return None if found is None else (found[0], found[1].value, found[2])

    assert read("The death toll rose to 20 on Tuesday.") == ("k", 20, True)
    assert read("Another victim died, bringing the death toll to 83.") == ("k", 83, True)
    assert read("The toll now stands at 40, officials said.") == ("k", 40, True)
    assert read("The number of injured reached 60.") == ("w", 60, True)
    assert read("Police put the toll at 26 wounded.") == ("w", 26, False)
    assert read("The number of dead was put at 11.") == ("k", 11, False)
    assert read("The toll could rise further.") is None


def test_attackers_killed_in_the_clashes_that_followed_are_added() -> None:
    body = (
        "CAIRO (AFP) - Militants attacked an army checkpoint in North Sinai on Friday, killing 12 soldiers and "
        "wounding eight, the army said.\n"
        "Troops returned fire and 20 militants were killed in the clashes that followed, the army said."
    )
    assert incidents(body) == [(32, 8)]


def test_another_event_told_in_the_same_story_stays_separate() -> None:
    body = (
        "KABUL (Reuters) - A roadside bomb killed six police officers in Kandahar province on Saturday, "
        "officials said.\n"
        "The bomb struck their vehicle on a highway outside the city, a spokesman said.\n"
        "In another attack, gunmen killed two teachers in Herat province, police said."
    )
    assert incidents(body) == [(6, 0), (2, 0)]


def test_an_earlier_attack_recalled_as_background_is_not_counted() -> None:
    body = (
        "QUETTA (AP) - A bomb hidden in a motorcycle killed five people near a market in Quetta on Monday, "
        "police said.\n"
        "Last month, a suicide bomber killed 24 worshippers at a mosque in the same city.\n"
        "The attack came two weeks after gunmen killed 11 miners in the province."
    )
    assert incidents(body) == [(5, 0)]


def test_the_same_toll_told_again_at_a_more_precise_place_is_the_same_event() -> None:
    body = (
        "Eight people were hurt when a car bomb went off in southern Kirkuk on Wednesday.\n"
        "A security source in Kirkuk said eight people, including four policemen, were wounded in the explosion "
        "near the Domiz district."
    )
    assert incidents(body) == [(0, 8)]


def test_the_headline_toll_keeps_a_second_event_of_the_story_apart() -> None:
    body = (
        "BAGHDAD (AFP) - Gunmen ambushed a police patrol near Kirkuk on Thursday, killing five policemen, "
        "officials said.\n"
        "In Diwaniyah, attackers threw a grenade into a shop, killing a boy, a police officer said."
    )
    assert incidents(body, title="Six killed in Iraq attacks") == [(5, 0), (1, 0)]


def test_a_short_roundup_whose_lead_tells_of_separate_events_is_not_folded() -> None:
    body = (
        "Two soldiers died in separate incidents in northern Iraq.\n"
        "Near Zakho, a roadside bomb explosion killed one soldier.\n"
        "A second soldier was killed by a sniper in Amadiya.\n"
        "Nine militants were also killed in airstrikes near Sidakan."
    )
    assert incidents(body, title="Daily roundup: 11 killed") == [(1, 0), (1, 0), (9, 0)]


def test_a_toll_update_that_also_gives_the_wounded_raises_both() -> None:
    body = (
        "KANO, Nigeria (Wire) - A suicide bomber killed at least 11 worshippers at a mosque in Kano on Monday, "
        "police said.\n\n"
        "The death toll later climbed to 14, with 30 people wounded, a hospital official said."
    )
    assert incidents(body) == [(14, 30)]


def test_an_armed_groups_claim_or_a_disputed_figure_does_not_raise_the_toll() -> None:
    lead = ("KABUL (Wire) - Militants attacked an army post in Helmand province on Monday, killing five soldiers, "
            "officials said.\n\n")
    claims = [
        "A Taliban spokesman said 20 soldiers died in the attack.",
        "The insurgents said their fighters had killed 20 soldiers in the attack.",
        "Local elders said 20 soldiers died in the attack, a figure that could not be verified.",
    ]
    for claim in claims:
        assert incidents(lead + claim) == [(5, 0)], claim
    # the same sentence told by the army is a fuller count of the event
    assert incidents(lead + "An army spokesman said 20 soldiers died in the attack.") == [(20, 0)]


def test_a_follow_up_story_that_only_updates_the_toll_is_that_event_at_its_new_figure() -> None:
    # the bombing was told the day before; this story gives only its new toll
    assert incidents("KANO, Nigeria (Wire) - The death toll from Sunday's bombing of a bus station in Kano rose to "
                     "31 on Monday, a hospital official said.") == [(31, 0)]
    assert incidents("KANO, Nigeria (Wire) - The number of civilians killed by the bombing of a bus station in Kano on "
                     "Sunday has climbed to 31, with 70 wounded, officials said on Monday.") == [(31, 70)]
    assert incidents("KANO, Nigeria (Wire) - Thirty-one people are now known to have died in the bombing of a bus "
                     "station in Kano on Sunday, police said.") == [(31, 0)]


def test_an_increase_after_the_new_toll_is_not_a_wounded_figure() -> None:
    body = ("KANO, Nigeria (Wire) - The death toll from Sunday's bus station bombing in Kano has risen to 31 after "
            "two more injured passengers died in hospital, officials said.")
    assert incidents(body) == [(31, 0)]


def test_attackers_killed_by_a_disputed_count_are_not_added() -> None:
    body = ("MOGADISHU (Wire) - Four soldiers were killed on Monday in an ambush near Afgoye, an officer said. "
            "The army said it killed 15 militants as it drove the attackers off, a figure that could not be "
            "independently confirmed.")
    assert incidents(body) == [(4, 0)]
    # told without doubt, the attackers killed in the same event add to it
    assert incidents(body.replace(", a figure that could not be independently confirmed.", ".")) == [(19, 0)]


def test_a_few_casualties_told_again_in_another_region_are_another_event() -> None:
    body = ("MOSUL, Iraq (Wire) - Three soldiers were hurt when an explosive hit their patrol in Mosul on Tuesday, "
            "police said.\n\nThe army said it had arrested two suspects.\n\n"
            "In Baghdad, an explosive device hurt three people, police said.")
    got = extract(Article(id="t", title="Blast hurts three soldiers in Mosul", body=body, published="2013-04-09"))
    assert [(i.killed, i.wounded, i.location.region_code) for i in got.incidents] == [
        (0, 3, "IQ-NI"), (0, 3, "IQ-BG")]


def test_the_day_a_later_paragraph_gives_the_same_toll_dates_the_lead() -> None:
    body = ("KANO, Nigeria (Wire) - At least 23 dead and 51 hurt as twin blasts tear through a crowded cattle "
            "market.\n\n"
            "Traders fled as smoke rose over the stalls, witnesses said.\n\n"
            "At least 23 people were killed and 51 wounded when two bombs went off at the market around noon on "
            "Friday, a police spokesman said.")

    def dated(published: str | None) -> list[tuple[int, int, str | None, str | None]]:
        got = extract(Article(id="t", body=body, published=published))
        return [(i.killed, i.wounded, i.event_date, i.time_cue) for i in got.incidents]

    # published on a Saturday: the event was on the day before
    assert dated("2026-06-06") == [(23, 51, "2026-06-05", "friday")]
    # a page stored without a date still carries the words, for matching it with other reports
    assert dated(None) == [(23, 51, None, "friday")]
    # a later paragraph with a new count dates the count, not the event
    update = body.replace("At least 23 people were killed", "The toll rose to 27 dead")
    got = extract(Article(id="t", body=update, published="2026-06-06"))
    assert [(i.killed, i.event_date, i.time_cue) for i in got.incidents] == [(27, "2026-06-06", None)]


def test_one_more_attack_brought_in_with_an_indefinite_ordinal_is_another_event() -> None:
    lead = ("HERAT, Afghanistan (Wire) - A bomb killed five shoppers at a fruit market in Herat on Monday, "
            "police said.\n\n")
    # "a second bomb": the story has not counted it yet
    assert incidents(lead + "A second bomb went off an hour later near the market, killing three police "
                            "officers who had come to help.") == [(5, 0), (3, 0)]
    assert incidents(lead + "Another roadside bomb hit a bus in the city's west, killing two.") == [(5, 0), (2, 0)]
    # a lead that tells several bombs already counts the second one
    several = lead.replace("A bomb killed five", "Two bombs killed eight")
    assert incidents(several + "The second bomb went off an hour later, killing three police officers.") == [(8, 0)]
    assert incidents(several + "A second bomb went off an hour later, killing three police officers.") == [(8, 0)]


def test_an_attack_told_as_earlier_the_same_day_is_another_event() -> None:
    lead = ("OUAGADOUGOU (Wire) - Gunmen killed at least 60 villagers in a night raid on the village of Djibo "
            "in northern Burkina Faso, the government said on Saturday.\n\n")
    # its own cause at its own place, before the lead's event
    assert incidents(lead + "Earlier on Friday, 14 people including a soldier died when gunmen opened fire on a "
                            "market in the village of Tinakoff, in the same region, security sources said.",
                     published="2021-06-05") == [(60, 0), (14, 0)]
    # the lead's event told again at an earlier hour is the lead
    assert incidents(lead + "Earlier on Friday, officials had put the toll at 45.", published="2021-06-05") == [
        (60, 0)]
    assert incidents(lead + "Earlier on Friday, police said the raid on Djibo had left 50 dead.",
                     published="2021-06-05") == [(60, 0)]


def test_a_lead_naming_two_cities_then_each_citys_dead_gives_an_incident_per_city() -> None:
    body = ("CAIRO (Wire) - Bombs at two churches in the cities of Minya and Asyut killed at least 30 people on "
            "Sunday, officials said.\n\n"
            "The first blast, at a church in Minya, killed 18 people and wounded 40. Two hours later, a bomber "
            "struck outside a cathedral in Asyut, killing 12 people and wounding 25.")
    got = extract(Article(id="t", body=body, published="2017-04-10"))
    assert [(i.killed, i.wounded, i.location.region_code) for i in got.incidents] == [
        (18, 40, "EG-MN"), (12, 25, "EG-AST")]
    # a lead with one place that holds both keeps its own toll and gains the wounded it left out
    one = body.replace("in the cities of Minya and Asyut", "in Minya province").replace(
        "in Minya,", "in Mallawi,").replace("in Asyut,", "in Samalut,")
    assert incidents(one, published="2017-04-10") == [(30, 65)]


def test_a_toll_rise_with_the_town_of_a_hospital_raises_the_lead_above_its_headline() -> None:
    body = ("QUETTA, Pakistan (Wire) - A suicide bomber struck a political rally in the Mastung district of "
            "Baluchistan on Friday, killing 90 people and wounding more than 100, officials said.\n\n")
    title = "Rally bombing kills 90 in Pakistan"
    # the town where the wounded died is no other event's place; the headline was written before the rise
    for update in ("Four of the wounded died overnight in hospital in Quetta, raising the toll to 94, a "
                   "doctor said on Saturday.",
                   "The toll rose to 94 after four of the wounded died in hospital in Quetta."):
        assert incidents(body + update, title=title, published="2018-07-14") == [(94, 100)]
    # a toll rise told of another town is another event's
    assert incidents(body + "In Bannu, the toll from a bombing on Thursday rose to 6.", title=title,
                     published="2018-07-14") == [(90, 100)]


def test_the_day_a_toll_rose_or_was_told_does_not_date_the_event() -> None:
    body = ("KARACHI, Pakistan (Wire) - The death toll from a suicide bombing at a shrine in the southern "
            "town of Sehwan rose to 88 on Saturday, officials said on Sunday.")

    def dated(text: str) -> list[tuple[int, str | None, str | None]]:
        got = extract(Article(id="t", body=text, published="2017-02-19"))
        return [(i.killed, i.event_date, i.time_cue) for i in got.incidents]

    assert dated(body) == [(88, "2017-02-19", None)]
    # the event's own day, written before the noun it dates, still dates it
    assert dated(body.replace("from a suicide bombing", "from Thursday's suicide bombing")) == [
        (88, "2017-02-16", "thursday")]


def test_a_sentence_telling_what_the_attack_was_made_on_places_a_story_told_by_country() -> None:
    body = ("OUAGADOUGOU (Wire) - The toll from a raid on a farming hamlet in northern Burkina Faso rose to 60, "
            "the government said. The assault on Solhan began late on Friday.")
    got = extract(Article(id="t", body=body, published="2021-06-06"))
    # (Solhan is also a town in Turkey: the story's country decides)
    assert [(i.killed, i.location.place, i.location.region_code) for i in got.incidents] == [(60, "Solhan", "BF-12")]
