"""Place wire leads written from the gazetteer itself: is the town's region found?

A check of the location rules on text nobody tuned them on: for random cities (30,000 people or
more) of countries that wire stories often report from, five lead templates of our own
(a dateline and the town; the town and the country; "the town of X, Country"; a dateline alone;
"in X in Country") are filled in, the extractor reads each lead, and the region code of its one
incident is compared with the city's. Names are folded to ASCII as wires print them.

    python tools/synthetic_places.py --seed 2 --per-country 30
    python tools/synthetic_places.py --iraq --seed 2      # Iraqi places in daily-report lines
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from collections import Counter, defaultdict

from extractors import extract
from extractors.gazetteer import Gazetteer, Place, default_gazetteer
from schemas.records import Article

COUNTRIES = ("AF", "PK", "NG", "SO", "SY", "YE", "ML", "BF", "NE", "CD", "CM", "IN", "MX", "UA", "ET",
             "KE", "SD", "SS", "LY", "PH", "CO", "EG", "TR", "MZ", "IR", "LB", "MM", "TH", "CF", "TD")
TEMPLATES = (
    "{dateline}, {country} (Wire) - A bomb killed 7 people in {town} on Monday, police said.",
    "Gunmen killed 9 villagers near {town} on Tuesday, officials in {country} said.",
    "A suicide bomber killed 12 people at a market in the town of {town}, {country}, on Sunday, police said.",
    "{dateline} (Wire) - Militants attacked a checkpoint in {town}, killing four soldiers, the army said.",
    "A car bomb that went off in {town} in {country} on Friday left 15 people dead.",
)


def ascii_name(name: str) -> str:
    """A name as an English-language wire prints it (no diacritics, no ayn/hamza marks)."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).replace("\u02bf", "").replace("\u02be", "")


def run(g: Gazetteer, seed: int, per_country: int) -> tuple[Counter[object], list[tuple[str, str, str, str | None]]]:
    """Scores (``True``/``False``, per template index) and the failures (country, town, its region,
    the region found)."""
    rnd = random.Random(seed)
    by_country: dict[str, list[Place]] = defaultdict(list)
    for p in g.places:
        if p.kind == "city" and p.country in COUNTRIES and p.region_code and p.population >= 30_000:
            by_country[p.country].append(p)
    scores: Counter[object] = Counter()
    failures: list[tuple[str, str, str, str | None]] = []
    for cc in COUNTRIES:
        towns = sorted(by_country[cc], key=lambda p: p.name)
        country = g.country(cc)
        if len(towns) < 2 or country is None:
            continue
        capital = g.capital(cc)
        dateline = (capital.name if capital is not None else towns[0].name).upper()
        for _ in range(per_country):
            town = rnd.choice(towns)
            index = rnd.randrange(len(TEMPLATES))
            body = TEMPLATES[index].format(dateline=dateline, country=country.name, town=ascii_name(town.name))
            incidents = extract(Article(id="lead", body=body)).incidents
            found = incidents[0].location.region_code if incidents else None
            ok = found == town.region_code
            scores[ok] += 1
            scores[(index, ok)] += 1
            if not ok:
                failures.append((cc, town.name, str(town.region_code), found))
    return scores, failures


IRAQ_LINES = (
    "In {town}, gunmen killed two policemen.",
    "A roadside bomb wounded three soldiers in {town}.",
    "Police found two bodies in {town}.",
    "Near {town}, a sticky bomb killed a shepherd.",
    "{town}: A mortar attack wounded four civilians.",
)


def run_iraq(g: Gazetteer, seed: int) -> tuple[int, list[tuple[str, str, str | None]]]:
    """Every Iraqi town, quarter and site in a daily report's line between two other places: how
    many are placed in their own province, and the failures (name, its province, the one found)."""
    rnd = random.Random(seed)
    right = 0
    failures: list[tuple[str, str, str | None]] = []
    for p in g.places:
        if p.country != "IQ" or p.kind in ("country", "region") or not p.region_code:
            continue
        line = rnd.choice(IRAQ_LINES).format(town=p.name)
        body = (f"Violence left nine Iraqis dead today.\n\nIn Kirkuk, a bomb killed a guard.\n\n{line}\n\n"
                "In Basra, gunmen killed a cleric.")
        article = Article(id="line", body=body, published="2008-05-10")
        found = [i.location.region_code for i in extract(article).incidents if p.name in i.evidence.text]
        if found and found[0] == p.region_code:
            right += 1
        else:
            failures.append((p.name, p.region_code, found[0] if found else None))
    return right, failures


def main() -> None:
    """Print the share of leads placed in the right region, per template, and the failures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--per-country", type=int, default=30)
    parser.add_argument("--iraq", action="store_true", help="Iraqi places in daily-report lines instead")
    args = parser.parse_args()
    g = default_gazetteer()
    if args.iraq:
        right, misses = run_iraq(g, args.seed)
        print(f"province found: {right}/{right + len(misses)} = {right / max(right + len(misses), 1):.3f}")
        for name, code, got in misses:
            print(f"  {name}: {code} expected, {got} found")
        return
    scores, failures = run(g, args.seed, args.per_country)
    total = scores[True] + scores[False]
    print(f"region found: {scores[True]}/{total} = {scores[True] / max(total, 1):.3f}")
    for index in range(len(TEMPLATES)):
        print(f"  template {index}: {scores[(index, True)]} right, {scores[(index, False)]} wrong")
    for cc, town, code, found in failures:
        print(f"  {cc} {town}: {code} expected, {found} found")


if __name__ == "__main__":
    main()
