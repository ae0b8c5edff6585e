"""Location resolution: own place, paragraph context, neighbourhoods, unknown places, datelines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extractors import extract
from schemas.records import Article, Location
from tests.test_extract_stubs import stub_gazetteer


@pytest.fixture(autouse=True)
def _stub() -> Iterator[None]:
    with stub_gazetteer():
        yield


def locations(body: str) -> list[Location]:
    return [i.location for i in extract(Article(id="t", body=body, published="2016-05-10")).incidents]


def test_paragraph_opener_carries_to_the_following_sentences() -> None:
    body = "In Kirkuk, gunmen killed a guard. A bomb wounded two policemen.\n\nA blast killed a boy in Basra."
    assert [(loc.place, loc.region_code, loc.precision) for loc in locations(body)] == [
        ("Kirkuk", "IQ-KI", "city"),
        ("Kirkuk", "IQ-KI", "city"),
        ("Basra", "IQ-BA", "city"),
    ]


def test_context_does_not_cross_paragraphs() -> None:
    body = "In Kirkuk, gunmen killed a guard.\n\nA bomb wounded two policemen."
    assert [loc.region_code for loc in locations(body)] == ["IQ-KI", None]


def test_a_neighbourhood_inherits_its_city_and_beats_the_opener() -> None:
    (loc,) = locations("In Baghdad, a blast killed a passer-by and wounded three in Amil.")
    assert (loc.name, loc.place, loc.city, loc.region_code, loc.precision) == (
        "Amil", "Amil", "Baghdad", "IQ-BG", "neighbourhood",
    )


def test_a_shared_name_resolves_inside_the_context_city() -> None:
    (loc,) = locations("In Mosul, fighting continued. Forty fighters were killed in Mansour.")
    assert (loc.place, loc.city, loc.region_code) == ("Mansour", "Mosul", "IQ-NI")
    (loc,) = locations("Forty fighters were killed in Mansour.")
    assert (loc.city, loc.region_code) == ("Baghdad", "IQ-BG")


def test_an_unknown_place_is_kept_with_the_context_region() -> None:
    (loc,) = locations("In Diyala, heavy fighting went on. Three militants were killed in Zarganiya.")
    assert (loc.name, loc.place, loc.region_code, loc.precision) == ("Zarganiya", None, "IQ-DI", "unknown")


def test_an_unknown_place_without_context_has_no_region() -> None:
    (loc,) = locations("Eight militants were killed in Zarganiya.")
    assert (loc.name, loc.region_code, loc.precision) == ("Zarganiya", None, "unknown")


def test_the_dateline_is_not_the_place() -> None:
    body = "BAGHDAD — A roadside bomb killed two soldiers near Tikrit on Tuesday, police said."
    (loc,) = locations(body)
    assert loc.place == "Tikrit"


def test_nothing_named_gives_an_unknown_location() -> None:
    (loc,) = locations("Gunmen killed two soldiers.")
    assert loc == Location(precision="unknown")


@pytest.mark.parametrize(
    "body",
    [
        "A roadside bomb in Tikrit wounded nine pilgrims who were walking to Samarra.",
        "Gunmen in Tikrit killed two drivers heading toward the city of Kirkuk.",
        "A bomb in Tikrit killed four people from Basra.",
    ],
)
def test_a_destination_or_origin_is_not_the_event_place(body: str) -> None:
    assert [(loc.place, loc.region_code) for loc in locations(body)] == [("Tikrit", "IQ-SD")]


def test_a_destination_alone_is_still_the_best_place_known() -> None:
    body = "Gunmen killed two pilgrims walking to Samarra."
    assert [(loc.place, loc.region_code) for loc in locations(body)] == [("Samarra", "IQ-SD")]


def test_a_city_district_is_more_specific_than_its_city() -> None:
    body = ("In Baghdad, a bomb in Mansour killed two people.\n"
            "In a separate attack, a blast in Mansour wounded a boy in Baghdad.")
    assert [(loc.place, loc.city, loc.precision) for loc in locations(body)] == [
        ("Mansour", "Baghdad", "district"),
        ("Mansour", "Baghdad", "district"),
    ]


def test_there_points_to_the_place_named_last_not_the_paragraphs_first() -> None:
    body = ("Gunmen killed a guard in Mosul. A car bomb in Kirkuk killed five people; in another attack there, "
            "a roadside bomb wounded two soldiers.")
    assert [(loc.place, loc.region_code) for loc in locations(body)] == [
        ("Mosul", "IQ-NI"), ("Kirkuk", "IQ-KI"), ("Kirkuk", "IQ-KI")]
    # a town named in between (unknown to the gazetteer) is what "there" means: not Kirkuk
    body = ("Violence left eight Iraqis dead.\n\nGunmen killed a guard in Mosul. A car bomb in Kirkuk killed "
            "five people. In Zabiya, gunmen killed two farmers there.")
    assert [(loc.name, loc.region_code) for loc in locations(body)] == [
        ("Mosul", "IQ-NI"), ("Kirkuk", "IQ-KI"), ("Zabiya", "IQ-NI")]


def test_a_sentence_opened_by_in_and_an_unknown_town_keeps_the_towns_name() -> None:
    body = "In Mosul, gunmen killed a guard. In Zabiya, a bomb killed two farmers."
    assert [(loc.name, loc.region_code, loc.precision) for loc in locations(body)] == [
        ("Mosul", "IQ-NI", "city"), ("Zabiya", "IQ-NI", "unknown")]
