"""An article's country context and the choice among places that share a name."""

from __future__ import annotations

import pytest

from extractors.gazetteer import Gazetteer, default_gazetteer
from extractors.geocontext import (
    EMPTY,
    CountryContext,
    adjective_countries,
    article_context,
    choose,
    located,
    parse_dateline,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.mark.parametrize(
    ("opening", "country", "city"),
    [("KABUL (Reuters) - A bomb went off.", "AF", "Kabul"),
     ("MOGADISHU, Somalia (AP) \u2014 Gunmen stormed a hotel.", "SO", "Mogadishu"),
     ("SRINAGAR: Militants attacked a camp.", "IN", "Srinagar"),
     ("By A Staff Reporter-KABUL: Two blasts shook the city.", "AF", "Kabul"),
     ("PESHAWAR, Pakistan,  (Reuters) \u2013 A church was attacked.", "PK", "Peshawar"),
     ("Tripoli, Lebanon (AFP) - Clashes erupted.", "LB", "Tripoli"),
     ("LAMU, Kenya, March 9, 2021 (Coast Daily)-Gunmen raided a village.", "KE", "Lamu"),
     ("Kano, Nigeria, 14 June 2020 - Gunmen raided a village.", "NG", "Kano"),
     ("Gunmen killed five people - police said.", None, None),
     ("Police said on Monday - nothing.", None, None)],
)
def test_datelines(gaz: Gazetteer, opening: str, country: str | None, city: str | None) -> None:
    place, cc, _ = parse_dateline(opening, gaz)
    assert cc == country
    assert (place.name if place is not None else None) == city


def _context(gaz: Gazetteer, body: str, title: str | None = None, source: str | None = None) -> CountryContext:
    return article_context(body, title, source, gaz.find(body), gaz)


def test_adjectives_possessives_and_located_names_set_the_country(gaz: Gazetteer) -> None:
    assert _context(gaz, "Nigerian troops repelled an attack, the army said.").primary == "NG"
    assert _context(gaz, "Gunmen raided a market in Syria's north.").primary == "SY"
    assert _context(gaz, "Jihadists attacked a base in northern Burkina Faso.").primary == "BF"
    assert _context(gaz, "Nothing here names a country.").primary is None


@pytest.mark.parametrize(("text", "countries"), [
    ("Russian missiles hit a Ukrainian port overnight.", ["UA"]),
    ("Turkish warplanes bombed Kurdish fighters near the border.", []),
    ("Russian troops shelled a Ukrainian village.", ["RU", "UA"]),  # (troops may be anywhere)
    # a participle joined by a hyphen names a sponsor or a force
    ("Shells hit a market, Russian-installed officials in the city said.", []),
    ("A Saudi-led coalition struck a Yemeni port.", ["YE"]),
    ("Syrian-Turkish talks resumed.", ["SY", "TR"]),
])
def test_an_adjective_before_a_weapon_names_the_attacker_not_the_place(
        gaz: Gazetteer, text: str, countries: list[str]) -> None:
    assert adjective_countries(text, gaz) == countries


def test_a_dateline_outweighs_a_country_named_in_passing(gaz: Gazetteer) -> None:
    ctx = _context(gaz, "BEIRUT (Reuters) - A strike hit a village amid exchanges between Israel and "
                        "Hezbollah, Lebanese officials said.")
    assert ctx.ranked[0] == "LB" and ctx.scores["LB"] > ctx.scores["IL"]


def test_a_country_the_text_places_things_in_wins_a_tie_with_the_bureau_dateline(gaz: Gazetteer) -> None:
    # filed from one capital about a neighbour: the dateline (3.0) ties the country named where the
    # event is (2.0) and one of its provinces (1.0); the reporter's city is not where it happened
    body = ("AMMAN (Wire) - Gunmen shot dead four farmers in southern Syria on Sunday; the bodies were taken "
            "to a hospital in Deraa province.")
    ctx = _context(gaz, body)
    assert ctx.scores["JO"] == ctx.scores["SY"] == 3.0
    assert ctx.primary == "SY"
    # a place of the dateline's own country named in the text is evidence of its own: no tie then
    with_own = _context(gaz, body + " Mourners gathered in Irbid.")
    assert with_own.primary == "JO"


def test_a_dateline_country_nothing_else_supports_yields_to_a_country_the_text_tells_of(gaz: Gazetteer) -> None:
    # a province and a people's adjective (1.0 + 1.5) against the bureau's 3.0: the text's country
    body = "AMMAN (Wire) - Air strikes killed nine people in Deraa province, the Syrian monitor said."
    ctx = _context(gaz, body)
    assert ctx.scores["JO"] > ctx.scores["SY"] and ctx.primary == "SY"
    # one place abroad alone is not enough against the bureau's own country
    assert _context(gaz, "AMMAN (Wire) - Air strikes killed nine people in Deraa province.").primary == "JO"


def test_a_dateline_is_read_once_per_body(gaz: Gazetteer) -> None:
    first = parse_dateline("KABUL (Wire) - A bomb went off.", gaz)
    assert parse_dateline("KABUL (Wire) - A bomb went off.", gaz) == first
    assert parse_dateline("QUETTA (Wire) - A bomb went off.", gaz)[0].name == "Quetta"  # type: ignore[union-attr]
    assert parse_dateline("No dateline here.", gaz) == (None, None, 0)
    # the same city read again (its lookups remembered) ends where each body's dateline ends
    short = parse_dateline("KABUL - Rockets fell.", gaz)
    long = parse_dateline("KABUL (Wire Service) - Rockets fell.", gaz)
    assert short[0] == long[0] and short[0] is not None and (short[2], long[2]) == (8, 23)


def test_a_title_adjective_outweighs_a_regional_bureau_dateline(gaz: Gazetteer) -> None:
    # a bureau in one capital reports on a neighbouring country: the title says which
    body = ("Dakar\n- Six Malian soldiers were killed when their convoy hit a mine in the north of the country, "
            "military sources told reporters.")
    ctx = _context(gaz, body, title="Six Malian soldiers killed by mine")
    assert ctx.primary == "ML" and ctx.scores["SN"] == 3.0  # the dateline once, not as a place as well
    assert _context(gaz, body).primary == "SN"  # without the title, the bureau's city still wins


def test_located_tells_a_place_from_an_actor() -> None:
    text = "fighting in northern Mali; talks between Israel and Egypt; Syria's army"
    assert located(text, text.index("Mali"), text.index("Mali") + 4)
    assert not located(text, text.index("Israel"), text.index("Israel") + 6)
    assert located(text, text.index("Syria"), text.index("Syria") + 5)


def test_the_outlet_is_a_weak_prior(gaz: Gazetteer) -> None:
    assert _context(gaz, "A blast wounded nine people.", source="samaa").primary == "PK"
    ctx = _context(gaz, "Syrian warplanes struck a town in Syria's Idlib province.", source="dawn")
    assert ctx.primary == "SY"


def test_choose_by_context_then_population(gaz: Gazetteer) -> None:
    def pick(name: str, ctx: CountryContext) -> tuple[str, str | None] | None:
        place = choose(gaz.lookup_all(name), ctx, gaz)
        return (place.country, place.region_code) if place is not None else None

    assert pick("Paris", EMPTY) == ("FR", "FR-IDF")
    assert pick("Paris", CountryContext({"US": 3.0})) == ("US", "US-TX")
    assert pick("Tripoli", EMPTY) == ("LY", "LY-TB")
    assert pick("Tripoli", CountryContext({"LB": 3.0})) == ("LB", "LB-AS")
    assert pick("Hyderabad", EMPTY) == ("IN", "IN-TS")
    assert pick("Hyderabad", CountryContext({"PK": 2.0})) == ("PK", "PK-SD")
    # every Springfield is in the United States: the country, no region
    assert pick("Springfield", EMPTY) == ("US", None)
    assert pick("Springfield", CountryContext({"US": 3.0})) == ("US", None)
    # Punjab is a province of Pakistan and a state of India: only context decides
    assert pick("Punjab", EMPTY) is None
    assert pick("Punjab", CountryContext({"PK": 4.0})) == ("PK", "PK-PB")
    assert pick("Punjab", CountryContext({"IN": 4.0})) == ("IN", "IN-PB")
    # no place of the name in the article's country: the one just across its border
    assert pick("Bethlehem", CountryContext({"IL": 3.0})) == ("PS", "PS-BTH")
    assert pick("Bethlehem", EMPTY) is None


def test_iraq_keeps_its_own_order(gaz: Gazetteer) -> None:
    # Mansour is a Baghdad district and a Mosul neighbourhood: Iraq's curated order, as lookup() gives it
    cands = gaz.lookup_all("Mansour")
    assert choose(cands, EMPTY, gaz) is cands[0]
    assert choose(cands, CountryContext({"IQ": 5.0}), gaz) is cands[0]


def test_a_namesake_outside_the_articles_countries_must_be_famous(gaz: Gazetteer) -> None:
    alam = gaz.lookup_all("Alam")  # a small Iraqi town, and a family name elsewhere
    assert choose(alam, EMPTY, gaz) is alam[0]
    assert choose(alam, CountryContext({"AF": 4.0}), gaz) is None
    assert choose(gaz.lookup_all("Paris"), CountryContext({"AF": 4.0}), gaz) is not None
