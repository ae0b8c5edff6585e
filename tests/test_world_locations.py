"""Wire stories from many countries placed in their ISO 3166-2 regions by the real gazetteer.

Every body is written for this test in the style of a wire lead (no corpus sentence): a dateline
that sets the country but is not the place, the forms "in the northeastern state of X", "X's
capital", "near the border town of X", "X province", "the X region", "X county", compass words,
and names that several places share.
"""

from __future__ import annotations

import unicodedata

import pytest

from extractors import extract
from extractors.rules import disabled
from schemas.records import Article, Location


def locations(body: str, *, title: str | None = None, source: str | None = None) -> list[Location]:
    article = Article(id="w", body=body, title=title, source=source)
    return [i.location for i in extract(article).incidents]


def region_of(body: str, **kw: str) -> str | None:
    (loc,) = locations(body, **kw)
    return loc.region_code


WIRES = [
    ("NG-BO", "MAIDUGURI, Nigeria (Reuters) - Gunmen killed 12 villagers in the northeastern state of "
              "Borno on Tuesday, a police spokesman said."),
    ("PK-BA", "QUETTA, Pakistan (AP) \u2014 A bomb hidden in a parked motorcycle killed six people in "
              "Balochistan's capital on Friday, police said."),
    ("SO-BN", "MOGADISHU, Somalia (AP) \u2014 A car bomb killed nine people near a checkpoint in "
              "Somalia's capital on Sunday, officials said."),
    ("SY-ID", "BEIRUT (Reuters) - Air strikes killed 14 civilians in Syria's Idlib province on Monday, "
              "rescuers said."),
    ("AF-KAN", "KABUL (Reuters) - A roadside bomb killed seven police officers in Kandahar province on "
               "Saturday, a provincial spokesman said."),
    ("MX-TAB", "MEXICO CITY (AP) \u2014 Eight people died when armed men opened fire at a cantina in "
               "Tabasco state, prosecutors said."),
    ("UA-35", "KYIV (Reuters) - A missile strike killed four people in the central Kirovohrad region on "
              "Saturday, the governor said."),
    ("BF-12", "OUAGADOUGOU (AFP) - Jihadists killed 15 soldiers in northern Burkina Faso near the border "
              "town of Djibo, security sources said."),
    ("ML-4", "BAMAKO (AFP) - Jihadists killed 19 troops when they overran a base near the village of "
             "Sokolo, Mali's army said."),
    ("KE-21", "NAIROBI (Reuters) - Suspected militants killed five people in Lamu county on Sunday, "
              "police said."),
    ("CD-IT", "Rebels killed 22 farmers overnight in eastern Congo's Ituri province, a "
              "local official said."),
    ("ET-OR", "NAIROBI (Reuters) - Armed men shot dead 31 villagers across Ethiopia's Oromiya region "
              "overnight, residents said."),
    ("CO-CAU", "BOGOTA (Reuters) - A bomb killed two police officers in the southwestern province of "
               "Cauca on Thursday, the army said."),
    ("MM-01", "Myanmar's military bombed a village in the central Sagaing region, killing seven "
              "civilians, witnesses said."),
    ("EG-SIN", "CAIRO (Reuters) - Militants killed 11 soldiers at a checkpoint in Egypt's north Sinai on "
               "Friday, security sources said."),
    ("YE-MA", "ADEN (Reuters) - A missile strike killed seven people in the central city of Marib on "
              "Sunday, a local official said."),
    ("IN-JK", "SRINAGAR: Militants killed three soldiers in an attack in Pulwama district of Jammu and "
              "Kashmir on Monday, police said."),
    ("LY-BA", "TRIPOLI (Reuters) - A car bomb killed four people at a funeral in Benghazi on Thursday, "
              "a hospital official said."),
    ("PH-14", "Militants ambushed an army patrol in Sulu province of the Philippines, killing three "
              "marines, a military spokesman said."),
    ("MZ-P", "MAPUTO (AFP) - Insurgents beheaded five villagers in Macomia district, Cabo Delgado, "
             "a local official said."),
    ("NE-6", "NIAMEY (AFP) - Gunmen killed 12 farmers in two villages of the Tillaberi region of Niger "
             "on Saturday, the government said."),
    ("CM-EN", "A suicide bomber killed 13 people in a village of Cameroon's Far North region on Friday, "
              "a local mayor said."),
]


@pytest.mark.parametrize(("code", "body"), WIRES, ids=[code for code, _ in WIRES])
def test_wire_stories_from_many_countries_get_their_region(code: str, body: str) -> None:
    assert region_of(body) == code


def test_wires_cover_fifteen_countries_or_more() -> None:
    assert len({code.split("-")[0] for code, _ in WIRES}) >= 15


def test_the_dateline_sets_the_country_but_not_the_place() -> None:
    # filed from Nairobi, about an attack in Ethiopia: the Ethiopian region, not Nairobi's
    (loc,) = locations("NAIROBI (Reuters) - Armed men shot dead 31 villagers across Ethiopia's Oromiya "
                       "region overnight, residents said.")
    assert (loc.region_code, loc.country, loc.precision) == ("ET-OR", "ET", "region")


def test_a_story_that_names_only_the_country_gets_the_country() -> None:
    (loc,) = locations("Gunmen killed six soldiers in an ambush in northern Mali on Tuesday, the army said.")
    assert (loc.region_code, loc.country, loc.precision) == (None, "ML", "country")


def test_a_lead_without_a_place_takes_the_single_region_of_the_story() -> None:
    body = ("A bomb hidden in a cart killed five people and wounded 20 on Monday, officials said.\n\n"
            "The blast hit a crowded market in Kandahar city, the provincial police chief said.")
    codes = {loc.region_code for loc in locations(body)}
    assert codes == {"AF-KAN"}


def test_a_lead_without_a_place_takes_the_one_city_the_story_names() -> None:
    # the lead says only "in Pakistan"; the story names Peshawar and its province, no other town
    body = ("A bomb tore through a crowded bus in Pakistan on Monday, killing 14 passengers, "
            "officials said.\n\nThe bus had left a terminal in Peshawar, the capital of Khyber "
            "Pakhtunkhwa province, an hour earlier.")
    (loc,) = locations(body)
    assert (loc.city, loc.region_code, loc.precision) == ("Peshawar", "PK-KP", "city")
    # two towns of the province: only the region is certain
    two = body.replace("an hour earlier.", "an hour earlier, bound for Mardan.")
    (loc,) = locations(two)
    assert (loc.city, loc.region_code, loc.precision) == (None, "PK-KP", "region")
    # another incident at a village the gazetteer does not know: the story has several places
    other = body + "\n\nIn a separate attack, gunmen shot dead two policemen in the village of Zarobai."
    first = locations(other)[0]
    assert (first.city, first.region_code, first.precision) == (None, "PK-KP", "region")


def test_a_site_the_gazetteer_does_not_know_does_not_make_a_second_place() -> None:
    body = ("A bomb tore through a crowded bus in Pakistan on Monday, killing 14 passengers, officials said.\n\n"
            "The bus had left a terminal in Peshawar an hour earlier.\n\n"
            "Another two people were killed near the Qadri Bus Station, police said.")
    first = locations(body)[0]
    assert (first.city, first.region_code) == ("Peshawar", "PK-KP")


def test_a_dateline_city_alone_gives_the_region_not_the_city() -> None:
    # the reporter filed from Peshawar; the story names no place of the attack but the country
    (loc,) = locations("PESHAWAR, Pakistan (Reuters) - A bomb tore through a crowded bus in Pakistan "
                       "on Monday, killing 14 passengers, officials said.")
    assert (loc.city, loc.region_code, loc.precision) == (None, "PK-KP", "region")


@pytest.mark.parametrize(("body", "code"), [
    # the town's country after a comma decides, against the most populous namesake...
    ("Gunmen killed nine worshippers at a mosque in Tripoli, Lebanon, on Friday, officials said.", "LB-AS"),
    # ...and against the Iraqi namesake the gazetteer would prefer
    ("A car bomb killed 11 people in the market town of Al Mahmudiyah, Egypt, on Sunday.", "EG-BH"),
])
def test_a_town_named_with_its_country_is_that_countrys_town(body: str, code: str) -> None:
    assert region_of(body) == code


def test_a_dateline_abroad_makes_an_arabic_town_name_foreign() -> None:
    # filed from Tripoli about a town whose name an Iraqi town shares: the Libyan town
    (loc,) = locations("TRIPOLI (Wire) - Militants stormed a checkpoint outside Aziziyah on Tuesday, "
                       "killing four soldiers, the army said.")
    assert (loc.region_code, loc.country) == ("LY-JI", "LY")


def test_famous_names_go_to_the_most_populous_place_without_context() -> None:
    (loc,) = locations("A knife attack killed two people in Paris on Friday, police said.")
    assert (loc.place, loc.region_code, loc.region) == ("Paris", "FR-IDF", "\u00cele-de-France")


def test_context_overrides_the_most_populous_namesake() -> None:
    # Tripoli is first the Libyan capital; a Lebanese story means the northern Lebanese city
    body = "BEIRUT (Reuters) - A bomb killed three people in Tripoli on Friday, Lebanese officials said."
    (loc,) = locations(body)
    assert (loc.region_code, loc.country) == ("LB-AS", "LB")
    (loc,) = locations("A bomb killed three people in Tripoli on Friday, officials said.")
    assert (loc.region_code, loc.country) == ("LY-TB", "LY")


def test_an_ambiguous_small_name_without_context_gets_no_region() -> None:
    (loc,) = locations("Two people were killed in a shooting in Springfield on Saturday, police said.")
    assert (loc.region_code, loc.country, loc.precision) == (None, "US", "country")


def test_an_ambiguous_name_takes_the_country_of_the_outlet() -> None:
    # Hyderabad is first the Indian city; a Pakistani paper's story means the one in Sindh
    body = "A grenade attack killed four people in Hyderabad on Sunday, police said."
    assert region_of(body) == "IN-TS"
    assert region_of(body, source="dawn") == "PK-SD"


def test_the_title_sets_the_country() -> None:
    body = "A grenade attack killed four people in Hyderabad on Sunday, police said."
    assert region_of(body, title="Pakistan: grenade attack kills four") == "PK-SD"


def test_an_iraqi_report_is_unchanged() -> None:
    body = ("In Mosul, a gunman shot dead two policemen. A roadside bomb wounded three civilians.\n\n"
            "In Baquba, a sticky bomb killed a government employee.\n\n"
            "Elsewhere, gunmen killed a shepherd.")
    assert [loc.region_code for loc in locations(body)] == ["IQ-NI", "IQ-NI", "IQ-DI", None]


def test_an_iraqi_namesake_is_not_taken_in_a_story_about_another_country() -> None:
    # "Alam" is a town in Salah ad Din, and a family name in Afghanistan
    body = ("KABUL (Reuters) - A suicide bomber killed nine people at the funeral of Ahmad Alam in "
            "Kabul on Saturday, officials said.")
    (loc,) = locations(body)
    assert (loc.place, loc.region_code) == ("Kabul", "AF-KAB")


def test_an_acronym_is_not_a_town() -> None:
    body = ("CAIRO (Reuters) - Militants killed 11 soldiers in Egypt's north Sinai on Friday, the MENA "
            "news agency said.")
    assert region_of(body) == "EG-SIN"


def test_a_place_known_only_by_its_region_is_drawn_at_the_region_seat() -> None:
    [loc] = locations("Gunmen on motorbikes killed nine herders in Nigeria's Borno state on Sunday, officials said.")
    assert (loc.region_code, loc.precision) == ("NG-BO", "region")
    assert (loc.lat, loc.lon) == (11.85, 13.16)  # Maiduguri, the state's seat: a point on the map, marked "region"


def test_a_university_named_after_its_town_is_in_that_town_and_a_street_is_not() -> None:
    college = ("Ninety pupils were killed and 40 hurt after gunmen forced their way into Wajir University "
               "College early on Wednesday and opened fire, Kenyan police said.")
    assert region_of(college) == "KE-46"
    # a street or a hospital named after a town: the attack was not in that town
    street = "In Baghdad, a bomb on Kirkuk Street killed three shoppers."
    assert region_of(street) == "IQ-BG"


_BACKGROUND = [
    "The Interior Ministry in Baghdad and the UN Mission said talks would resume in Geneva next week.",
    "Officials from Kenya, Nigeria and Pakistan met in New York on Monday (UTC) at 10:30.",
    "  Rescue teams from the Red Crescent and 3 NGOs reached Ba\u2019quba, Al-Qaim and Sadr City.",
    "Residents of \u00c9vry and Montr\u00e9al watched the 2019 vote on TV.",
]


def test_the_opening_spans_the_steps_share_equal_a_scan_of_the_opening() -> None:
    """The country context reads the capitalised words of a story's opening from the paragraphs
    the gazetteer already read (``_opening_spans``): exactly the spans of a scan of the opening,
    whichever paragraphs were read, cut at the opening's end or not."""
    import random

    from extractors import extract_doc
    from extractors.gazetteer import _START_RE
    from extractors.geocontext import ADJECTIVE_SPAN
    from extractors.locations import _Geo, _opening_spans, _world_gazetteer, gazetteer

    rnd = random.Random(12)
    paragraphs = [body for _, body in WIRES] + _BACKGROUND
    for n in range(60):
        body = "\n\n".join(rnd.choice(paragraphs) for _ in range(rnd.randint(1, 14)))
        doc = extract_doc(Article(id=f"o{n}", body=body, title="Attack", source=None))
        if n % 2:
            _ = _Geo(doc, _world_gazetteer(gazetteer())).found  # (reads the paragraphs without figures)
        expected = [m.span() for m in _START_RE.finditer(doc.body[:ADJECTIVE_SPAN])]
        assert _opening_spans(doc) == expected, body


def test_a_foreign_namesake_in_a_report_about_iraq_stays_in_iraq() -> None:
    # an Iraqi quarter named like a city abroad, and a newspaper named like a province abroad
    body = ("Nine Iraqis died across the country on Monday, officials said.\n"
            "In Mosul, gunmen shot dead a shopkeeper in the Adan quarter and killed a policeman nearby.\n"
            "In Baghdad, four shoppers died when a bomb went off.\n"
            "A writer for the al Sabah daily was shot dead in a drive-by attack.\n"
            "In Kirkuk, gunmen shot dead two soldiers.")
    # (the writer is a victim told at no place: no province, and not the namesake's abroad)
    assert [loc.region_code for loc in locations(body)] == ["IQ-NI", "IQ-BG", None, "IQ-KI"]


def test_a_town_abroad_in_a_report_about_iraq_counts_when_its_country_is_named() -> None:
    body = ("Nine people died in Iraq and Turkey on Monday.\n"
            "In Mosul, gunmen killed three policemen.\n"
            "In Kirkuk, a bomb killed two soldiers.\n"
            "In Turkey, a car bomb killed four people in Ankara.")
    assert [loc.region_code for loc in locations(body)] == ["IQ-NI", "IQ-KI", "TR-06"]


def test_an_iraqi_town_named_like_a_person_or_a_town_abroad_is_found_after_a_place_cue() -> None:
    # "Qasim" and "Hamza" are given names the text scan passes over; "Karama" is also a town in
    # the Emirates: after "In", "near" or as a line's label in a report about Iraq, the Iraqi town
    body = ("Violence left nine Iraqis dead today.\n\nIn Kirkuk, a bomb killed a guard.\n\n"
            "In Qasim, gunmen killed two policemen.\n\nHamza: A mortar attack wounded four civilians.\n\n"
            "Near Karama, a sticky bomb killed a shepherd.\n\nIn Basra, gunmen killed a cleric.")
    got = [(loc.name, loc.region_code) for loc in locations(body)]
    assert got == [("Kirkuk", "IQ-KI"), ("Qasim", "IQ-BB"), ("Hamza", "IQ-QA"), ("Karama", "IQ-NI"),
                   ("Basra", "IQ-BA")]


def test_a_label_the_gazetteer_does_not_know_is_no_place() -> None:
    body = ("Violence left nine Iraqis dead today.\n\nIn Kirkuk, a bomb killed a guard.\n\n"
            "Update: Gunmen killed two policemen.")
    assert [loc.name for loc in locations(body)][1] != "Update"


def test_a_capitals_dateline_does_not_place_a_story_that_names_no_region() -> None:
    # wire services file the whole country's news from the capital
    (loc,) = locations("ANKARA (Wire) - Kurdish militants killed 19 soldiers at an outpost in southeast Turkey "
                       "on Tuesday, security sources said.")
    assert (loc.region_code, loc.country, loc.precision) == (None, "TR", "country")
    # a provincial city's dateline still does (filed near the event)
    (loc,) = locations("QUETTA, Pakistan (Wire) - A bomb killed six people at a market in Pakistan on Tuesday, "
                       "police said.")
    assert loc.region_code == "PK-BA"


def test_the_largest_citys_dateline_is_a_bureau_and_places_nothing() -> None:
    # Istanbul is Turkey's largest city, not its capital: wires file the country's news from there
    (loc,) = locations("ISTANBUL (Wire) - Two soldiers died when their vehicle hit a mine in a rural area, the "
                       "defence ministry said on Friday.")
    assert (loc.region_code, loc.country, loc.precision) == (None, "TR", "country")
    # another city of the country still places a story that names no region
    (loc,) = locations("DIYARBAKIR, Turkey (Wire) - Two soldiers died when their vehicle hit a mine in a rural "
                       "area, the defence ministry said on Friday.")
    assert loc.region_code == "TR-21"


def test_a_dateline_on_the_other_side_of_the_country_from_the_story_places_nothing() -> None:
    # Port Harcourt lies in the south; the story happens in the north
    body = ("PORT HARCOURT, Nigeria (Wire) - Gunmen on motorcycles killed seven herders in a raid on a remote "
            "settlement in northern Nigeria on Sunday, police said.")
    (loc,) = locations(body)
    assert (loc.region_code, loc.country) == (None, "NG")
    # a northern city's dateline agrees with "northern Nigeria" and gives its state
    (loc,) = locations(body.replace("PORT HARCOURT", "KANO"))
    assert loc.region_code == "NG-KN"
    # and "Nigeria's north" reads the same way
    (loc,) = locations(body.replace("in northern Nigeria", "in Nigeria's north"))
    assert loc.region_code is None


def test_another_spelling_of_a_town_of_the_storys_country_is_that_town() -> None:
    # the gazetteer spells it Kostyantynivka; outlets also write Kostiantynivka
    (loc,) = locations("KYIV, Ukraine (Wire) - Russian shelling killed four people in the town of Kostiantynivka "
                       "on Monday, the regional governor said.")
    assert (loc.name, loc.region_code) == ("Kostiantynivka", "UA-14")
    # a name that spells no town of the country stays unplaced beyond the country
    (loc,) = locations("KYIV, Ukraine (Wire) - Russian shelling killed four people in the town of Zzyzxovka "
                       "on Monday, the regional governor said.")
    assert (loc.region_code, loc.country) == (None, "UA")


def test_the_capital_is_the_city_of_that_name_not_a_town_once_called_so() -> None:
    # GeoNames also lists Suleja under its old name, Abuja: the capital is the city named Abuja
    (loc,) = locations("ABUJA, Nigeria (Wire) - Gunmen killed five farmers in a remote hamlet on Monday, "
                       "a police spokesman said.")
    assert (loc.region_code, loc.country, loc.precision) == (None, "NG", "country")


def test_a_place_between_towns_of_two_provinces_gets_the_country_without_a_province() -> None:
    body = ("Violence left nine Iraqis dead today.\n\nIn Kirkuk, a bomb killed a guard.\n\n"
            "A roadside bomb on the highway between Baghdad and Baquba killed three soldiers.\n\n"
            "In Basra, gunmen killed a cleric.")
    loc = locations(body)[1]
    assert (loc.region_code, loc.country, loc.precision) == (None, "IQ", "country")
    # two towns of one province: that province
    loc = locations(body.replace("between Baghdad and Baquba", "between Baquba and Khalis"))[1]
    assert loc.region_code == "IQ-DI"


def test_a_killing_and_bodies_found_at_two_towns_of_one_province_are_two_events() -> None:
    body = ("Violence left nine Iraqis dead today.\n\nIn Kirkuk, a bomb killed a guard.\n\n"
            "In Diyala, gunmen shot dead a barber in Khalis, and police found three bodies near Muqdadiya.")
    assert [(i.killed, i.location.name) for i in extract(Article(id="d", body=body)).incidents][1:] == [
        (1, "Khalis"), (3, "Muqdadiya")]


@pytest.mark.parametrize(("body", "code"), [
    # "the <adjective> capital": the capital of the country the adjective names
    ("MOGADISHU, Somalia (Wire) - Two car bombs outside a busy guest house in the Somali capital killed 19 people "
     "and wounded 35 on Saturday, police said.", "SO-BN"),
    ("Gunmen stormed a guest house in the Afghan capital late on Monday, killing six guards.", "AF-KAB"),
    # a region named by its position and a name, with or without its type word
    ("GOMA (Wire) - Rebels killed five farmers in a night raid in eastern Congo's North Kivu province, "
     "a local official said.", "CD-NK"),
    ("Militiamen killed 14 people in raids on two villages in North Kivu overnight, the army said.", "CD-NK"),
    ("Separatists ambushed a patrol in Cameroon's North-West region on Friday, killing four soldiers.", "CM-NW"),
    ("Clashes between two militias killed 21 people in South Sudan's Upper Nile state on Sunday, "
     "the United Nations mission said.", "SS-NU"),
    ("KISMAYO (Wire) - Al Shabaab fighters killed three soldiers at a base in Lower Juba on Tuesday, "
     "a commander said.", "SO-JH"),
    # a name that ends in its own type word
    ("Gunmen killed seven gold miners in Sudan's Northern State on Sunday, police said.", "SD-NO"),
])
def test_regions_named_by_position_adjective_or_type_word(body: str, code: str) -> None:
    assert region_of(body) == code


def test_a_name_the_text_calls_a_region_is_the_region_not_its_city() -> None:
    (loc,) = locations("Gunmen killed four road workers in the province of Kandahar on Sunday.")
    assert (loc.region_code, loc.precision) == ("AF-KAN", "region")
    (loc,) = locations("Gunmen killed four road workers in the city of Kandahar on Sunday.")
    assert (loc.region_code, loc.precision) == ("AF-KAN", "city")


def test_a_typed_region_keeps_its_country_whatever_the_speakers_are() -> None:
    # a Russian source, a Ukrainian region: the town of the same name in Russia is not it
    (loc,) = locations("Russian shelling killed two civilians in the Donetsk region overnight, "
                       "the governor said.")
    assert (loc.region_code, loc.precision) == ("UA-14", "region")


def test_a_breakdown_by_town_of_a_regional_toll_is_not_another_event() -> None:
    body = ("KYIV (Wire) - Russian drones killed four civilians in the southern Ukrainian region of "
            "Kherson overnight, the regional governor said on Thursday.\n\n"
            "Three of them died in the city of Kherson and one in a village nearby, he said.")
    assert [(i.killed, i.location.region_code) for i in extract(Article(id="w", body=body)).incidents] == [
        (4, "UA-65")]


def test_bare_congo_is_the_democratic_republic() -> None:
    (loc,) = locations("Gunmen killed eight people in a raid on a village in eastern Congo on Monday.")
    assert loc.country == "CD"


def test_a_place_that_spans_provinces_yields_to_the_province_the_clause_names() -> None:
    # the Hamrin range runs through three provinces; the gazetteer gives it none
    (loc,) = locations("At least 30 Iraqis were killed across the country.\n\n"
                       "A landmine killed two shepherds in the Hamrin mountains, in Diyala province.\n\n"
                       "In Mosul, gunmen killed a policeman.")[:1]
    assert loc.region_code == "IQ-DI"


def test_a_toll_statement_leading_a_story_is_placed_by_the_place_that_names_its_event() -> None:
    # the place is a modifier of the event noun, in a sentence the scope step first set aside as a toll
    (loc,) = locations("The death toll from the Kandahar market bombing rose to 17, officials said on Monday.")
    assert loc.region_code == "AF-KAN"


@pytest.mark.parametrize(("body", "code", "name"), [
    # a town whose name starts with a larger town's name elsewhere (Anar in Iran, Qarah in Syria)
    ("Gunmen killed five villagers in the town of Anar Darah, Afghanistan, on Monday.", "AF-FRA", "Anar Darah"),
    ("Gunmen killed five villagers in the town of Qarah Bagh, Afghanistan, on Monday.", "AF-HER", "Qarah Bagh"),
    # the words after a name that make no town leave it as it was
    ("A rocket killed five people near Kabul Airport on Monday.", "AF-KAB", "Kabul"),
    ("A bomb killed five people in Herat Monday, police said.", "AF-HER", "Herat"),
])
def test_a_name_that_starts_a_longer_towns_name_is_that_town(body: str, code: str, name: str) -> None:
    (loc,) = locations(body)
    # (the gazetteer spells the towns with their marks: "Anār Darah")
    folded = "".join(c for c in unicodedata.normalize("NFKD", loc.place or "") if not unicodedata.combining(c))
    assert (loc.region_code, folded) == (code, name)


def test_a_round_up_across_a_named_country_by_region_labels_counts_each_region_once() -> None:
    body = ("Russian strikes killed at least six civilians and wounded 19 across Ukraine over the past day, "
            "regional officials said on Wednesday morning.\n\n"
            "Kharkiv Oblast: Russian glide bombs killed three people and wounded 11 in the region, its governor "
            "said. Two were killed in Kupiansk and one in a village near Izium.\n\n"
            "Sumy Oblast: Shelling of border communities killed two men and wounded five.\n\n"
            "Odesa Oblast: A drone hit a port warehouse, killing a worker and wounding three.")
    result = extract(Article(id="w", body=body, published="2024-06-05T08:00:00Z"))
    assert (result.summary.stated_killed, result.summary.stated_wounded) == (6, 19)
    assert [(i.killed, i.wounded, i.location.region_code) for i in result.incidents] == [
        (3, 11, "UA-63"), (2, 5, "UA-59"), (1, 3, "UA-51")]


@pytest.mark.parametrize(("body", "code"), [
    # South Asian agencies: "City [Country], Date (AGENCY):" and "City, Date (AGENCY)" with no dash
    ("Kabul [Afghanistan], June 3 (ANI): A roadside bomb killed three shepherds in Nad Ali district of "
     "Helmand province on Monday, officials said.", "AF-HEL"),
    ("Lahore, June 3 (PTI) Four people were killed when gunmen fired on a wedding party in Dera Ismail "
     "Khan district of Khyber Pakhtunkhwa on Monday, police said.", "PK-KP"),
    ("Maiduguri, Nigeria | AFP | Jihadists killed seven soldiers in an attack on a base in Yobe state.", "NG-YO"),
])
def test_datelines_closed_by_an_agency_or_bars_are_not_the_place(body: str, code: str) -> None:
    assert region_of(body) == code


@pytest.mark.parametrize(("body", "code"), [
    # a name shared by towns in two states, told with the state that owns it
    ("Maoist rebels killed three soldiers in Chhattisgarh's Bijapur district on Saturday.", "IN-CG"),
    ("Militants attacked a police post in Karnataka's Bijapur district, wounding two constables.", "IN-KA"),
    # a capital's countryside is a province of its own
    ("Shelling killed five people in rural Damascus on Monday, a monitor said.", "SY-RD"),
    ("Shelling killed five people in the countryside of Damascus on Monday.", "SY-RD"),
    ("A car bomb killed five people in Damascus on Monday.", "SY-DI"),
])
def test_a_place_named_with_its_owner_or_its_countryside(body: str, code: str) -> None:
    assert region_of(body) == code


@pytest.mark.parametrize(("line", "place", "code"), [
    ("A sticky bomb killed a teacher in Iskandariya, 40 km south of Baghdad.", "Iskandariya", "IQ-BB"),
    ("A roadside bomb wounded three soldiers in the town of Tuz Khurmatu, south of Kirkuk.", "Tuz Khurmatu", "IQ-SD"),
    ("A bomb killed two farmers north of Baghdad, in Tarmiyah.", "Tarmiya", "IQ-BG"),
    # alone, the point of reference is all the line gives
    ("Gunmen killed two shepherds 20 km north of Baghdad.", "Baghdad", "IQ-BG"),
])
def test_the_place_a_town_is_measured_from_is_not_its_place(line: str, place: str, code: str) -> None:
    body = ("Violence across the country left 20 Iraqis dead.\n\n"
            "In Mosul, a sniper shot dead a traffic officer.\n\n" + line)
    locs = locations(body)
    assert (locs[-1].place, locs[-1].region_code) == (place, code)


def test_the_city_with_no_city_named_before_is_the_datelines() -> None:
    (loc,) = locations("KANDAHAR, Afghanistan (Wire) - A bomb hidden in a cart killed three traders in the city "
                       "on Tuesday, officials said.")
    assert (loc.region_code, loc.precision) == ("AF-KAN", "city")
    # a city named before the incident is the one meant
    locs = locations("KABUL (Wire) - A bomb hidden in a cart killed three traders in Jalalabad on Tuesday. Later, "
                     "gunmen shot dead a guard in the city.")
    assert [loc.region_code for loc in locs] == ["AF-NAN"] * len(locs)


def test_a_district_known_in_one_region_only_places_an_incident_whatever_the_context() -> None:
    # the only country the text names ("the Afghan border") does not hold the district
    (loc,) = locations("Militants ambushed a convoy in North Waziristan, near the Afghan border, killing five "
                       "soldiers, the army said.")
    assert (loc.region_code, loc.precision) == ("PK-KP", "district")


def test_a_heading_line_places_the_items_below_it_up_to_a_blank_line_break() -> None:
    body = ("Attacks across Iraq killed at least 30 people today.\n\n"
            "In Anbar:\n\n"
            "Security forces killed nine militants in Albu Zzyxal.\n\n"
            "A roadside bomb on a desert highway killed two soldiers.\n\n\n"
            "Gunmen killed a shepherd near Qaryat Zzyxa.")
    locs = locations(body)
    assert [loc.region_code for loc in locs] == ["IQ-AN", "IQ-AN", None]


def test_a_name_several_places_share_is_read_in_the_province_or_city_named_with_it() -> None:
    # Baghdad's Amiriya is the gazetteer's only place of the name: told in Anbar, it is a namesake
    # the gazetteer lacks, and the province is all that is known
    for body in ("In Anbar province, a roadside bomb wounded three soldiers in Amiriya.",
                 "A roadside bomb wounded three soldiers in Amiriya, in Anbar province.",
                 "In Anbar:\n\nA roadside bomb wounded three soldiers in Amiriya."):
        assert [(loc.place, loc.region_code) for loc in locations(body)] == [("Anbar", "IQ-AN")]
    # the namesake of the city named with it; with no province or city named, the known one
    assert [(loc.city, loc.region_code) for loc in locations(
        "A roadside bomb wounded three soldiers in Mansour, Mosul.")] == [("Mosul", "IQ-NI")]
    assert [loc.region_code for loc in locations("A roadside bomb wounded three soldiers in Amiriya.")] == ["IQ-BG"]
    # a party's name is not where things happened
    assert [loc.region_code for loc in locations(
        "Airstrikes on Kurdistan Workers' Party fighters left six dead near Amiriya.")] == ["IQ-BG"]


def test_a_plural_owners_apostrophe_owns_the_province_after_it() -> None:
    # "the Philippines' X province" as "Yemen's X province": the province, not the country
    for body in ("Militants ambushed an army patrol in the Philippines' Basilan province, killing four soldiers.",
                 "Militants ambushed an army patrol in the Philippines\u2019 Basilan province, killing four soldiers."):
        assert [(loc.region_code, loc.precision) for loc in locations(body)] == [("PH-09", "district")]


def test_a_compass_word_after_the_owner_does_not_hide_the_district() -> None:
    # "Pakistan's northwestern X district", as "Pakistan's X district": the district's province
    assert region_of("A roadside bomb killed four paramilitary soldiers in Pakistan's northwestern Bajaur "
                     "district on Sunday.") == "PK-KP"
    assert region_of("Militants ambushed an army patrol in the Philippines' southern Basilan province, killing "
                     "four soldiers.") == "PH-09"


def test_a_place_inside_an_organisations_name_is_not_where_it_happened() -> None:
    # the party is named after where it was founded, its members die where it fights
    assert [(loc.place, loc.region_code, loc.country) for loc in locations(
        "Turkish jets killed six members of the Kurdistan Workers' Party in northern Iraq.")] == [
        ("Iraq", None, "IQ")]
    assert [loc.region_code for loc in locations(
        "Baloch Liberation Army gunmen killed four soldiers in Turbat, officials said.")] == ["PK-BA"]
    # the place after "Party of", "Union of the"... too
    assert [loc.region_code for loc in locations(
        "A leader of the Popular Union of the Anbar Tribes was shot dead outside a market.")] == [None]
    # a party's name first in the paragraph does not become its topic place
    body = ("Gunmen shot dead a local official of the Kurdistan Democratic Party and two guards in the Kirkuk "
            "area. A policeman was wounded in a separate attack.")
    assert [loc.region_code for loc in locations(body)] == ["IQ-KI", "IQ-KI"]


def test_the_kurdistan_region_fixes_no_governorate() -> None:
    # it holds three governorates and parts of others: the incident is placed in Iraq only
    for body in ("Turkish strikes in the Kurdistan Region killed four guerrillas.",
                 "Turkish strikes on Iraqi Kurdistan killed four guerrillas, the ministry said."):
        [loc] = locations(body)
        assert (loc.place, loc.region, loc.region_code, loc.country, loc.precision) == (
            "Kurdistan Region", None, None, "IQ", "country")
    # a town in it still places the incident in its governorate
    assert [loc.region_code for loc in locations(
        "Turkish strikes near Amadiya in the Kurdistan Region killed four guerrillas.")] == ["IQ-DA"]


def test_a_paragraph_that_first_names_a_country_is_about_the_first_place_inside_it() -> None:
    body = ("Iraq Daily Roundup: 12 Killed\n\nViolence across Iraq left a dozen dead.\n\n"
            "Two Turkish soldiers died in clashes in northern Iraq, near Amadiya. "
            "Turkey also said its jets killed nine guerrillas.\n\n"
            "In Mosul, gunmen killed a policeman.")
    assert [(loc.place, loc.region_code) for loc in locations(body)] == [
        ("Amadiya", "IQ-DA"), ("Amadiya", "IQ-DA"), ("Mosul", "IQ-NI")]


def test_a_report_whose_places_lie_in_one_province_places_its_unplaced_incidents_there() -> None:
    body = ("Two car bombs struck Kurdish security posts in the north on Monday, a police source said.\n\n"
            "The first bomber rammed a guard post on the edge of Hawija, west of the oil city, "
            "killing a guard and wounding four.\n\n"
            "Hours later a second car bomb hit a patrol outside Daquq, wounding three soldiers.\n\n"
            "In a separate attack, a roadside bomb wounded two farmers on their way to market, the source added.")
    # Hawija and Daquq are towns of Kirkuk province
    assert [(loc.place, loc.region_code, loc.precision) for loc in locations(body)] == [
        ("Hawija", "IQ-KI", "city"), ("Daquq", "IQ-KI", "city"), ("Kirkuk", "IQ-KI", "region")]
    # a town of another province too: the unplaced attack could be in either
    other = body.replace("outside Daquq", "outside Tikrit")
    assert [loc.region_code for loc in locations(other)] == ["IQ-KI", "IQ-SD", None]


def test_a_figure_without_a_place_takes_the_place_the_next_sentence_gives_its_victims() -> None:
    body = ("Violence across Iraq left 30 people dead today.\n\n"
            "Fourteen bodies turned up on a farm. They were among 20 drivers seized from their lorries "
            "near Samarra last month.\n\n"
            "In Mosul, gunmen killed a policeman.")
    assert [loc.region_code for loc in locations(body)] == ["IQ-SD", "IQ-NI"]
    # a next sentence about someone else, or one measuring from a city, does not place it
    for told in ("Officials also said a convoy was ambushed near Samarra last month.",
                 "They were among 20 drivers seized from their lorries 40 km north of Samarra last month."):
        other = body.replace("They were among 20 drivers seized from their lorries near Samarra last month.", told)
        assert [loc.region_code for loc in locations(other)] == [None, "IQ-NI"]


def test_a_town_named_as_what_the_opening_attacked_places_the_toll_told_after_it() -> None:
    body = ("LAGOS (Wire) - Insurgents overran the town of Damasak and nearby farms in northeastern Nigeria "
            "this week, officials said on Friday.\n\n"
            "A local official said the fighters had killed at least 40 people.")
    assert region_of(body) == "NG-BO"
    # with no town named as the attack's object, only the country is known
    assert region_of(body.replace("overran the town of Damasak and nearby farms", "overran farms")) is None


def test_a_village_the_gazetteer_lacks_is_placed_by_the_place_named_after_it() -> None:
    body = ("OUAGADOUGOU (Wire) - Gunmen killed 15 worshippers at a church in northern Burkina Faso on "
            "Sunday, officials said.\n\n"
            "Nine others were hurt when the gunmen struck the church in the village of Kodyel, in "
            "Komondjari province.")
    (loc,) = locations(body)
    assert (loc.place, loc.region_code) == ("Komondjari", "BF-08")


def test_a_clause_about_another_event_gives_no_place_to_the_attack_before_it() -> None:
    body = ("YAOUNDE (Wire) - Separatist gunmen shot dead three men as they raided a hamlet in Cameroon's "
            "Northwest region on Sunday, an official said, a day after eight people died in a stampede "
            "outside a stadium in the capital.")
    assert region_of(body) == "CM-NW"
    with disabled("assemble.dropped_clause"):  # ("the capital" of the stampede's clause was taken)
        assert region_of(body) == "CM-CE"


def test_a_place_in_the_attribution_after_the_wounded_sets_no_event_apart() -> None:
    body = ("GAZA (Wire) - An air strike on a school sheltering displaced families in Khan Younis killed at "
            "least 30 people, including children, and wounded 80, the health ministry in Gaza said on "
            "Monday.")
    result = extract(Article(id="w", body=body))
    assert [(i.killed, i.wounded, i.location.region_code) for i in result.incidents] == [(30, 80, "PS-KYS")]


@pytest.mark.parametrize("body, region", [
    ("BEIRUT (Wire) - Air strikes killed 20 people in a rebel-held district of Idlib overnight, the Syrian "
     "monitor said.\n\nShelling of a nearby market killed nine people on Friday, state media said.", "SY-ID"),
    ("NAIROBI (Wire) - Militants stormed a hotel in Kismayo on Friday, killing 12 people, Somali police said."
     "\n\nFour attackers were also killed in the gun battle that followed.", "SO-JH"),
])
def test_a_story_filed_from_a_bureau_abroad_places_its_unplaced_incidents_in_the_country_it_tells_of(
        body: str, region: str) -> None:
    assert [loc.region_code for loc in locations(body)] in ([region], [region, region])
    # filed from the bureau about the bureau's own city, the dateline's country stays
    assert [loc.region_code for loc in locations("BEIRUT (Wire) - A car bomb killed four people in a southern "
                                                 "suburb of Beirut on Friday, officials said.")] == ["LB-BA"]


@pytest.mark.parametrize("body, region", [
    ("IMPHAL, India (Wire) - Ethnic clashes killed nine people in the Bishnupur district of Manipur on "
     "Sunday, police said.", "IN-MN"),
    ("IMPHAL, India (Wire) - Ethnic clashes killed nine people in Bishnupur, in Manipur state, on Sunday, "
     "police said.", "IN-MN"),
    # no region named after it: the best-known place of the name
    ("KOLKATA, India (Wire) - A grenade thrown at a shop in Bishnupur on Sunday killed two, police said.", "IN-WB"),
])
def test_a_name_several_regions_share_is_the_one_in_the_region_named_after_it(body: str, region: str) -> None:
    assert region_of(body) == region


def test_a_city_a_distance_is_measured_from_does_not_place_the_story() -> None:
    body = ("MOGADISHU (Wire) - Militants overran an army base in central Somalia, killing at least 30 "
            "soldiers, an officer said.\n\nThe base lies in Dhuusamarreeb district, about 400 km north of "
            "Mogadishu.")
    assert region_of(body) == "SO-GA"
    # named as the town of a hospital, the city does not place it either
    hospital = body.replace("The base lies in Dhuusamarreeb district, about 400 km north of Mogadishu.",
                            "The wounded were taken to hospital in Mogadishu.")
    assert region_of(hospital) is None


def test_a_capital_dateline_read_as_the_city_that_holds_it_gives_no_region() -> None:
    body = ("NEW DELHI (Wire) - Maoist rebels killed 22 police officers in an ambush in central India on "
            "Saturday, police said.\n\nThe ambush took place in the forests of Sukma district, in "
            "Chhattisgarh state.")
    assert region_of(body) == "IN-CG"


def test_figures_told_of_two_provinces_of_a_named_country_stay_in_the_country() -> None:
    body = ("KABUL (Wire) - Air strikes killed eight women and children in Afghanistan's Khost and Paktika "
            "provinces, officials said.")
    (loc,) = locations(body)
    assert (loc.region_code, loc.precision) == (None, "country")
