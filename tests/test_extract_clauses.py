"""Casualty clauses (what counts, and how much) and the non-casualties that must never count.

Each case is a short report written by us; the expectation is the exact (killed, wounded) list of
the incidents it yields, in text order.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extractors import extract
from schemas.records import Article
from tests.test_extract_stubs import stub_gazetteer


@pytest.fixture(autouse=True)
def _stub() -> Iterator[None]:
    with stub_gazetteer():
        yield


def counts(body: str, published: str | None = "2016-05-10") -> list[tuple[int, int]]:
    result = extract(Article(id="t", body=body, published=published))
    return [(i.killed, i.wounded) for i in result.incidents]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Gunmen killed three policemen in Kirkuk.", [(3, 0)]),
        ("Three policemen were killed in Kirkuk.", [(3, 0)]),
        ("A roadside bomb killed one army officer and wounded two others near Tikrit.", [(1, 2)]),
        ("Two civilians were killed and four others were injured when a bomb went off in Basra.", [(2, 4)]),
        ("Seven were killed and eleven injured in a blast in Baquba.", [(7, 11)]),
        ("A car bomb left nine dead and 23 wounded in Kirkuk.", [(9, 23)]),
        ("Clashes in Falluja left twelve militants dead.", [(12, 0)]),
        ("An army officer was shot dead in Tikrit.", [(1, 0)]),
        ("A judge was gunned down outside his home in Basra.", [(1, 0)]),
        ("A farmer was shot to death near Baquba.", [(1, 0)]),
        ("Militants beheaded two shepherds near Haditha.", [(2, 0)]),
        ("Four prisoners were executed in Mosul.", [(4, 0)]),
        ("A suicide bomber struck a wedding in Tikrit, killing 14 guests and wounding 30.", [(14, 30)]),
        ("Security forces killed five would-be suicide bombers in Falluja.", [(5, 0)]),
        ("Eighteen bodies were found in Baghdad.", [(18, 0)]),
        ("A body was discovered in Kirkuk.", [(1, 0)]),
        ("A mass grave containing 35 bodies was found near Mosul.", [(35, 0)]),
        ("A bomb killed 12 people, including four children, in Basra.", [(12, 0)]),
        ("Gunmen killed a teacher, his wife, and two sons in Baquba.", [(4, 0)]),
        ("Twenty-five militants were killed in Falluja.", [(25, 0)]),
        ("A suicide bomber killed a guard and wounded four in Baghdad.", [(1, 4)]),
        ("In Kirkuk, two men were killed in separate shootings.", [(1, 0), (1, 0)]),
        ("In Kirkuk, two soldiers were killed at a checkpoint, and an I.E.D. later killed a farmer.",
         [(2, 0), (1, 0)]),
        ("A shepherd was killed in Anbar. A boy was also wounded.", [(1, 1)]),
        ("Dozens of insurgents were killed in Mosul.", [(0, 0)]),
        ("As many as two dozen people were wounded in Tikrit.", [(0, 24)]),
        ("Mortars struck a market in Basra and wounded more than 40 people.", [(0, 40)]),
        ("The toll from the Kirkuk bombing was raised by four dead to 19.", [(4, 0)]),
        # nationalities, peoples and faiths are persons in a list of victims
        ("In Basra, two Pakistanis and an Indian were killed when a bomb hit their bus.", [(3, 0)]),
        ("Police said three Turkmens and a Kurd were wounded by a roadside bomb in Kirkuk.", [(0, 4)]),
        ("In Basra, a parliamentarian and two guards were killed at his office.", [(3, 0)]),
        # but not a capitalised object before another clause's subject
        ("Insurgents seized two Humvees and a policeman was killed in Mosul.", [(1, 0)]),
        ("A roadside bomb wounded at least a dozen pilgrims near Tikrit.", [(0, 12)]),
        ("A blast in Basra killed two people and wounded 9, a spokesman for the city council said.", [(2, 9)]),
        ("Shelling in Tikrit left five members of the security forces and a shepherd dead.", [(6, 0)]),
        ("A mortar wounded two soldiers in Kirkuk. No one was killed.", [(0, 2)]),
        # the dead among the wounded leave the wounded; a partitive that only describes them does not
        ("A car bomb hurt 17 shoppers in Kirkuk, four of whom died later in hospital.", [(4, 13)]),
        ("Gunmen wounded six guards in Basra; two of them died on the way to hospital.", [(2, 4)]),
        ("Gunmen wounded six guards in Basra, two of them critically.", [(0, 6)]),
        ("Nine soldiers were killed in Tikrit, four of whom were officers.", [(9, 0)]),
        # an age set off by commas is not a group of victims
        ("A mortar round killed a girl, 11, in Falluja.", [(1, 0)]),
        ("Gunmen shot dead a 50-year-old tailor and his nephew, 8, in Mosul.", [(2, 0)]),
        ("A shepherd, 15, was killed by a landmine near Kirkuk.", [(1, 0)]),
        ("A teacher, 42, and her husband were killed in Basra.", [(2, 0)]),
        ("Gunmen killed a guard, 4 soldiers and a driver in Mosul.", [(6, 0)]),
        # a person named with a complement ("of the ...") is still one of a list
        ("Gunmen shot dead an aide of the provincial governor and his nephew in Hilla.", [(2, 0)]),
        ("A member of the city council and her sister died when a bomb hit Kut.", [(2, 0)]),
        # the holder of a role is one victim, and the list goes on past the role's complement
        ("Masked men shot dead the owner of a bakery and two of his workers in Kut.", [(3, 0)]),
        ("A sniper shot dead the mayor of the town near Kut.", [(1, 0)]),
        ("Gunmen killed the rest of the family near Kut.", []),
        # a person named after the verb is one victim; a capitalised group is not a name
        ("A sticky bomb killed Major Salim Kadhim and two of his guards near Kut.", [(3, 0)]),
        ("Gunmen shot dead Yasin Taha, a local teacher, in Kut.", [(1, 0)]),
        ("Airstrikes killed Islamic State fighters near Kut.", []),
        # a breakdown set off by dashes restates the figure before it
        ("Seven people \u2014 five policemen and two shepherds \u2014 were killed near Kirkuk.", [(7, 0)]),
        ("Gunmen killed eight people - six soldiers and two farmers - near Tikrit.", [(8, 0)]),
        # every qualifier of the quantity table may open an object, not only a subject
        ("Shelling killed close to 40 people and wounded just over 60 in Tal Afar.", [(40, 60)]),
    ],
)
def test_counted(body: str, expected: list[tuple[int, int]]) -> None:
    assert counts(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # ages, distances, times, percentages, money, troops
        "A 60-year-old man from Kirkuk spoke to reporters.",
        "The convoy was 30 kilometres north of Tikrit at 8 a.m. when it turned back.",
        "About 45 percent of Mosul has been retaken, and 5,000 troops were sent to Tikrit.",
        "The council paid $2 million to 300 families in Baquba.",
        # displaced, escaped, freed, liberated, arrested, detained, kidnapped
        "The number of people escaping Mosul has reached 28,000.",
        "About 3,000 families were displaced from Falluja.",
        "Forty hostages were freed from a prison in Mosul.",
        "Security forces liberated 60 villagers near Tikrit.",
        "Police arrested 12 suspects and detained four others in Kirkuk.",
        "Gunmen kidnapped two engineers in Baquba.",
        # cumulative and historical figures
        "More than 1,000 civilians have been killed in Mosul so far.",
        "Since October, 900 soldiers were killed in Anbar.",
        "This year, 400 people were killed in Basra.",
        "The death toll from last week's bombing in Kirkuk rose to 45.",
        "Coalition jets have killed at least 12,000 militants in the campaign.",
        "In 2006, 34,000 civilians were killed across Iraq.",
        "During March, 250 people were killed and 300 wounded.",
        # no number, non-violent deaths, hypotheticals
        "There were casualties after a blast in Tikrit.",
        "A fire at a hospital in Baghdad killed 19 patients.",
        "Eight people died in a road accident outside Basra.",
        "Officials warned that the bombing campaign could kill hundreds of people in Mosul.",
    ],
)
def test_never_counted(body: str) -> None:
    result = extract(Article(id="t", body=body, published="2016-05-10"))
    assert [(i.killed, i.wounded) for i in result.incidents] == []


def test_vague_words_keep_their_range() -> None:
    result = extract(Article(id="t", body="Scores of civilians were killed in Mosul.", published="2016-05-10"))
    (inc,) = result.incidents
    assert (inc.killed, inc.killed_min, inc.killed_max, inc.vague) == (0, 40, 99, {"killed": "scores"})


def test_qualified_numbers_keep_their_bounds() -> None:
    body = "At least 12 policemen were killed in Kirkuk and up to 30 were wounded."
    (inc,) = extract(Article(id="t", body=body, published="2016-05-10")).incidents
    assert (inc.killed, inc.killed_min, inc.killed_max) == (12, 12, None)
    assert (inc.wounded, inc.wounded_min, inc.wounded_max) == (30, 1, 30)


def test_victim_breakdown_and_category() -> None:
    body = "Gunmen ambushed a patrol near Kirkuk, killing two policemen and four civilians."
    (inc,) = extract(Article(id="t", body=body, published="2016-05-10")).incidents
    assert inc.victim_category == "mixed"
    assert [(v.category, v.killed, v.wounded) for v in inc.victims] == [("security", 2, 0), ("civilian", 4, 0)]
    assert (inc.method, inc.perpetrator) == ("gunfire", "gunmen")


@pytest.mark.parametrize(
    ("body", "method"),
    [
        # a bomb of unstated kind is an IED (ACLED "Remote explosive/landmine/IED")
        ("A bomb in Kirkuk killed two people.", "ied"),
        ("A blast wounded three civilians in Basra.", "ied"),
        ("An explosion killed a shepherd near Tikrit.", "ied"),
        ("Two bombs in Baquba wounded six people.", "ied"),
        ("An explosive device wounded two soldiers in Kirkuk.", "ied"),
        ("A roadside bomb killed a policeman in Tikrit.", "ied"),
        ("A sticky bomb attached to his car killed a judge in Basra.", "ied"),
        ("Gunmen planted a bomb that killed two farmers near Baquba.", "ied"),
        # the specific kinds stay distinct
        ("A car bomb killed nine people in Kirkuk.", "car_bomb"),
        ("A suicide bomber killed twelve people in Tikrit.", "suicide_bombing"),
        ("A suicide bombing killed four soldiers near Baquba.", "suicide_bombing"),
        ("A mortar blast killed two children in Basra.", "shelling"),
        ("A grenade wounded four people in Kirkuk.", "other"),
    ],
)
def test_method_of_explosions(body: str, method: str) -> None:
    (inc,) = extract(Article(id="t", body=body, published="2016-05-10")).incidents
    assert inc.method == method


def test_including_breaks_down_an_unknown_total_without_double_counting() -> None:
    body = "A suicide bomber in Tikrit killed 12 people, including seven policemen, and wounded 24 others."
    (inc,) = extract(Article(id="t", body=body, published="2016-05-10")).incidents
    assert (inc.killed, inc.wounded, inc.method) == (12, 24, "suicide_bombing")
    assert [(v.category, v.killed, v.wounded) for v in inc.victims] == [("security", 7, 0), ("unknown", 5, 24)]


def test_yesterday_moves_the_event_date() -> None:
    body = "Two soldiers were killed yesterday in Tikrit. A bomb wounded four people in Kirkuk."
    result = extract(Article(id="t", body=body, published="2016-05-10"))
    assert [i.event_date for i in result.incidents] == ["2016-05-09", "2016-05-10"]


def test_a_weekday_moves_the_event_date_and_no_date_gives_none() -> None:
    body = "Late Monday, gunmen killed a guard in Kirkuk."
    assert [i.event_date for i in extract(Article(id="t", body=body, published="2016-05-10")).incidents] == [
        "2016-05-09"
    ]
    assert [i.event_date for i in extract(Article(id="t", body=body)).incidents] == [None]


def test_a_wire_story_lead_is_the_incident_and_later_restatements_are_not_added() -> None:
    body = (
        "KIRKUK, Iraq — A suicide bomber set off his explosives vest at a police checkpoint in Kirkuk on Tuesday, "
        "killing nine people and wounding 20, officials said.\n"
        "Six policemen were among the dead, a police officer said.\n"
        "Nine people died and 20 were hurt in the attack, the provincial health director said.\n"
        "Last month, a similar attack in Kirkuk killed 30 people."
    )
    result = extract(Article(id="t", body=body, published="2016-05-10"))
    assert [(i.location.region_code, i.killed, i.wounded) for i in result.incidents] == [("IQ-KI", 9, 20)]
    assert result.summary.stated_killed is None and result.summary.reconciled is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a named person as subject is one victim
        ("A local official was shot near Kirkuk last week. Omar Haddad later died of his wounds.", [(1, 0)]),
        # another source's figure for the same event is not added
        ("A rocket hit a bus near Tikrit, leaving three dead. Another source reported as many as seven killed.",
         [(3, 0)]),
        # a revision replaces the figure it corrects
        ("Shelling near Basra left four dead and two wounded. Police later revised the casualties to two dead "
         "and two wounded.", [(2, 2)]),
        # in a report of several events an update counts only the increase (a story about the
        # ambush alone would take its final figure: tests/test_extract_story.py)
        ("Gunmen killed two policemen in Mosul. The number of soldiers killed in the Tikrit ambush climbed by 5 "
         "to 12.", [(2, 0), (5, 0)]),
        ("At least 30 were wounded in Basra, up from 20 reported earlier.", [(0, 10)]),
        # an update told with its earlier level instead of "by N": the difference
        ("Gunmen killed two policemen in Mosul. The toll of the Tikrit ambush rose to 12 soldiers, up from "
         "seven.", [(2, 0), (5, 0)]),
        ("Gunmen killed two policemen in Mosul. The number of soldiers killed in the Tikrit ambush climbed "
         "from 7 to 12.", [(2, 0), (5, 0)]),
        # the military's euphemism
        ("Turkish forces said they neutralized 15 militants near the border.", [(15, 0)]),
        # a second object of the same verb, told at another place
        ("Troops killed ten militants during clashes near Haditha and four militants who were planting a bomb "
         "near Falluja.", [(10, 0), (4, 0)]),
        # "The attacks included ..." details of events dated earlier
        ("Gunmen killed a guard in Kirkuk.\nOfficials said other raids took place between May 2 and May 6. "
         "The attacks included a strike on a market that killed 40.", [(1, 0)]),
    ],
)
def test_restatements_and_updates(body: str, expected: list[tuple[int, int]]) -> None:
    assert counts(body) == expected


def test_a_provincial_total_with_attribution_is_the_stated_total() -> None:
    body = ("Attacks in Diyala province killed at least 6 people and wounded 3 on Tuesday, police said.\n"
            "A bomb in Baquba killed four people and wounded three.\n"
            "Gunmen killed two farmers near Baquba.")
    result = extract(Article(id="t", body=body, published="2016-05-10"))
    assert [(i.killed, i.wounded) for i in result.incidents] == [(4, 3), (2, 0)]
    assert (result.summary.stated_killed, result.summary.stated_wounded, result.summary.reconciled) == (6, 3, True)


def test_an_opening_preview_is_not_counted_twice() -> None:
    body = (
        "Heavy fighting went on across the north. Over a dozen insurgents were also killed in Mosul.\n\n"
        "A bomb in Kirkuk wounded two policemen.\n\n"
        "In Mosul, 17 insurgents were killed.\n\n"
        "Gunmen killed a shepherd near Tikrit.\n\n"
        "Three civilians were wounded in Basra."
    )
    assert counts(body) == [(0, 2), (17, 0), (1, 0), (0, 3)]


def test_a_wounded_sentence_completes_the_incident_after_the_sentence_folded_into_it() -> None:
    body = ("At least nine Iraqis died and 11 were hurt today.\n\n"
            "In Tikrit, a council member died when an explosive hit his car. His wife and two sons died as well. "
            "Five women were hurt.\n\n"
            "In Kirkuk, gunmen shot dead five policemen and hurt six at a checkpoint.")
    assert counts(body) == [(4, 5), (5, 6)]


def test_bodies_also_found_after_an_attack_are_a_discovery_of_their_own() -> None:
    body = ("At least 14 Iraqis died and ten were hurt today.\n\n"
            "In Baghdad, mortar rounds hurt ten people in Karrada. Also, nine dumped corpses were found.\n\n"
            "In Kirkuk, gunmen shot dead five policemen at a checkpoint.")
    assert counts(body) == [(0, 10), (9, 0), (5, 0)]
