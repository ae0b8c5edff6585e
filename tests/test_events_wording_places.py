"""streams.events.wording and .places: the words and the places two reports are compared on."""

from __future__ import annotations

import pytest

from schemas.records import Location
from streams.events.places import PlaceKey, PlaceRelation, place_key, relate
from streams.events.wording import content_keys, similarity, targets


def test_content_keys_keep_what_tells_one_attack_from_another() -> None:
    keys = content_keys("KIRKUK (Wire B) - At least 15 people died and 34 were hurt when an explosives-laden "
                        "car blew up at a crowded bus terminal in Kirkuk on Monday, officials said.", ["Kirkuk"])
    assert keys == frozenset({"crowd", "bus", "terminal", "explosives-laden"})  # no dateline, no place


def test_plurals_and_verb_endings_meet() -> None:
    assert content_keys("mourners at the funerals") == frozenset({"mourner", "funeral"})
    assert content_keys("students stormed") == frozenset({"student", "storm"})


def test_similarity_is_the_overlap_of_the_smaller_set() -> None:
    assert similarity(frozenset({"bus", "terminal"}), frozenset({"bus", "station", "minibuse", "window"})) == 0.5
    assert similarity(frozenset(), frozenset({"bus"})) == 0.0


def test_targets_are_kinds_so_synonyms_meet() -> None:
    assert targets(frozenset({"burial", "ceremony"})) == targets(frozenset({"funeral", "cemetery"})) == {"funeral"}
    assert targets(frozenset({"market", "checkpoint", "crowd"})) == {"market", "checkpoint"}


def loc(name: str | None, city: str | None, region: str | None, precision: str) -> PlaceKey:
    return place_key(Location(name=name, place=name, city=city, region_code=region, precision=precision))


KARRADA = loc("Karrada", "Baghdad", "IQ-BG", "district")
MANSOUR = loc("Mansour", "Baghdad", "IQ-BG", "district")
BAGHDAD = loc("Baghdad", "Baghdad", "IQ-BG", "city")
BAGHDAD_PROVINCE = loc("Baghdad province", None, "IQ-BG", "region")
MOSUL = loc("Mosul", "Mosul", "IQ-NI", "city")
ZUHUR = loc("Zuhur", None, "IQ-NI", "neighbourhood")
MARKET = loc("Shorja market", "Baghdad", "IQ-BG", "site")


@pytest.mark.parametrize(("a", "b", "relation"), [
    (KARRADA, BAGHDAD, PlaceRelation.SAME_CITY),
    (KARRADA, KARRADA, PlaceRelation.SAME_SPOT),
    (KARRADA, MANSOUR, PlaceRelation.CONFLICT),
    (MARKET, MARKET, PlaceRelation.SAME_SPOT),
    (MARKET, KARRADA, PlaceRelation.SAME_CITY),
    (BAGHDAD, BAGHDAD_PROVINCE, PlaceRelation.IN_REGION),
    (BAGHDAD_PROVINCE, BAGHDAD_PROVINCE, PlaceRelation.SAME_REGION),
    (BAGHDAD, MOSUL, PlaceRelation.CONFLICT),
    (ZUHUR, MOSUL, PlaceRelation.SAME_CITY),
    (PlaceKey(), BAGHDAD, PlaceRelation.UNKNOWN),
])
def test_relate(a: PlaceKey, b: PlaceKey, relation: PlaceRelation) -> None:
    assert relate(a, b) is relation
    assert relate(b, a) is relation


def test_a_neighbourhood_finds_its_city_in_the_gazetteer() -> None:
    expected = PlaceKey(country="IQ", region="IQ-NI", city="mosul", spot="zuhur", known_spot=True)
    assert expected == ZUHUR
    assert MARKET.known_spot is False and MARKET.spot == "shorja market"
