"""Synthetic casualty reports in the genre of the corpus, with their exact ground truth.

The benchmarks and the reliability tests need many realistic articles whose correct reading is
known in advance. This module writes them from our own templates (never from corpus sentences):

* ``roundup``: a daily Iraq roundup: a stated total first, then one paragraph per place, some of
  them ``In <city>, ...`` context paragraphs whose sentences name only a neighbourhood or no place;
* ``provincial``: a wire roundup for one province, its total first, then the events;
* ``bulletin``: a list of events with no stated total;
* ``wire``: a single-event wire story with a dateline, sometimes a restatement of the toll and a
  separate second event.

Every style mixes active and passive voice, number words and digits, "at least", several victim
categories and methods, and distractor sentences that a careful reader does not count (ages,
arrests, kidnappings, freed hostages, displaced families, troop numbers, cumulative tolls, dates).

The truth follows the corpus README convention: one :class:`TruthIncident` per event, the stated
total of a roundup equals the sum of its incidents, and no incident has 0 killed and 0 wounded.

Generation is deterministic for a seed (one :class:`random.Random` drives everything, and
article ``i`` only depends on the articles before it), so ``generate(n, seed=s)`` is a prefix of
``generate(m, seed=s)`` for ``n < m``. Each incident also records the template that wrote it
(``SyntheticArticle.templates``, e.g. ``roundup/ied/context/participle/at_least``) and its
sentence (``SyntheticArticle.evidence``), so a misreading can be traced to a phrasing.

Usage::

    from bench.generator import generate, expected_tables
    articles = list(generate(2000, seed=1))        # SyntheticArticle(article=dict, truth=...)
    table = expected_tables(articles)              # {"IQ-BG": {"killed", "wounded", "incidents"}}

    python -m bench.generator --articles 50000 --seed 1 --out articles.jsonl --expected table.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

__all__ = [
    "PLACES",
    "Place",
    "SyntheticArticle",
    "TruthIncident",
    "expected_tables",
    "generate",
    "main",
    "write_jsonl",
]


_T = TypeVar("_T")

# --------------------------------------------------------------------------------------------
# Public records


@dataclass(frozen=True, slots=True)
class TruthIncident:
    """One event as a careful reader counts it (corpus README convention)."""

    region_code: str
    place: str
    killed: int
    wounded: int
    victim_category: str
    method: str


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    """A generated article (the dict sent to the ``articles`` topic) and its ground truth.

    ``templates`` and ``evidence`` run parallel to ``truth``: the name of the template that wrote
    each incident and the sentence it wrote, so a test can say which phrasing was misread.
    """

    article: dict[str, str]
    truth: tuple[TruthIncident, ...]
    style: str = ""
    templates: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

    def totals_by_region(self) -> dict[str, tuple[int, int]]:
        """Return ``{region_code: (killed, wounded)}`` summed over this article's incidents."""
        totals: dict[str, tuple[int, int]] = {}
        for inc in self.truth:
            k, w = totals.get(inc.region_code, (0, 0))
            totals[inc.region_code] = (k + inc.killed, w + inc.wounded)
        return totals


@dataclass(frozen=True, slots=True)
class Place:
    """A place the generator writes about; ``city`` is the city a neighbourhood belongs to."""

    name: str
    city: str
    region_code: str
    kind: str  # "city", "town", "hood" (neighbourhood of city) or "outskirt" (district of city)
    direction: str = ""  # for outskirts: "north of", ...


# --------------------------------------------------------------------------------------------
# Places: a small table, deliberately free of names shared by two provinces, so the truth region
# of every sentence is unambiguous.


def _city(name: str, code: str) -> Place:
    return Place(name, name, code, "city")


def _town(name: str, code: str) -> Place:
    return Place(name, name, code, "town")


def _hoods(city: str, code: str, *names: str) -> tuple[Place, ...]:
    return tuple(Place(n, city, code, "hood") for n in names)


PLACES: tuple[Place, ...] = (
    _city("Baghdad", "IQ-BG"),
    *_hoods("Baghdad", "IQ-BG", "Amil", "Dora", "Sadr City", "Kadhimiya", "Adhamiya", "Mansour",
            "Karrada", "Shaab", "Bayaa", "Ghazaliya", "Zafraniya", "Shula"),
    Place("Nahrawan", "Baghdad", "IQ-BG", "outskirt", "southeast of"),
    Place("Taji", "Baghdad", "IQ-BG", "outskirt", "north of"),
    Place("Abu Ghraib", "Baghdad", "IQ-BG", "outskirt", "west of"),
    Place("Mahmudiya", "Baghdad", "IQ-BG", "outskirt", "south of"),
    Place("Tarmiya", "Baghdad", "IQ-BG", "outskirt", "north of"),
    _city("Mosul", "IQ-NI"),
    *_hoods("Mosul", "IQ-NI", "Zanjili", "Hadba", "Bab al-Tob", "Wadi Hajar", "Nabi Younis"),
    _town("Tal Afar", "IQ-NI"), _town("Qayyara", "IQ-NI"), _town("Hammam al-Alil", "IQ-NI"),
    _town("Sinjar", "IQ-NI"), _town("Bartella", "IQ-NI"),
    _city("Baquba", "IQ-DI"),
    _town("Muqdadiya", "IQ-DI"), _town("Khalis", "IQ-DI"), _town("Jalawla", "IQ-DI"),
    _town("Khanaqin", "IQ-DI"), _town("Balad Ruz", "IQ-DI"), _town("Buhriz", "IQ-DI"),
    _town("Khan Bani Saad", "IQ-DI"),
    _city("Samarra", "IQ-SD"), _city("Tikrit", "IQ-SD"),
    _town("Tuz Khurmatu", "IQ-SD"), _town("Baiji", "IQ-SD"), _town("Balad", "IQ-SD"),
    _town("Dujail", "IQ-SD"), _town("Shirqat", "IQ-SD"), _town("Sulaiman Bek", "IQ-SD"),
    _city("Ramadi", "IQ-AN"), *_hoods("Ramadi", "IQ-AN", "Malaab", "Sufiya"),
    _city("Falluja", "IQ-AN"), *_hoods("Falluja", "IQ-AN", "Jolan", "Nazzal"),
    _town("Haditha", "IQ-AN"), _town("Qaim", "IQ-AN"), _town("Hit", "IQ-AN"),
    _town("Rutba", "IQ-AN"), _town("Karma", "IQ-AN"), _town("Khalidiya", "IQ-AN"),
    _city("Kirkuk", "IQ-KI"), *_hoods("Kirkuk", "IQ-KI", "Domiz", "Rahimawa"),
    _town("Hawija", "IQ-KI"), _town("Daquq", "IQ-KI"), _town("Dibis", "IQ-KI"),
    _city("Hilla", "IQ-BB"),
    _town("Iskandariya", "IQ-BB"), _town("Musayyib", "IQ-BB"), _town("Jurf al-Sakhar", "IQ-BB"),
    _town("Mahawil", "IQ-BB"),
    _city("Basra", "IQ-BA"), *_hoods("Basra", "IQ-BA", "Hayyaniya", "Ashar"),
    _town("Zubair", "IQ-BA"), _town("Abu al-Khasib", "IQ-BA"), _town("Qurna", "IQ-BA"),
    _city("Kut", "IQ-WA"), _town("Suwaira", "IQ-WA"), _town("Numaniya", "IQ-WA"),
    _city("Karbala", "IQ-KA"),
    _city("Najaf", "IQ-NA"), _town("Kufa", "IQ-NA"),
    _city("Nasiriya", "IQ-DQ"),
    _city("Amara", "IQ-MA"),
    _city("Diwaniya", "IQ-QA"),
    _city("Erbil", "IQ-AR"),
    _city("Sulaimaniya", "IQ-SU"),
    _city("Dohuk", "IQ-DA"),
    _city("Samawa", "IQ-MU"),
)

_PROVINCE: dict[str, str] = {
    "IQ-AN": "Anbar", "IQ-AR": "Erbil", "IQ-BA": "Basra", "IQ-BB": "Babil", "IQ-BG": "Baghdad",
    "IQ-DA": "Dohuk", "IQ-DI": "Diyala", "IQ-DQ": "Dhi Qar", "IQ-KA": "Karbala", "IQ-KI": "Kirkuk",
    "IQ-MA": "Maysan", "IQ-MU": "Muthanna", "IQ-NA": "Najaf", "IQ-NI": "Nineveh",
    "IQ-QA": "Qadisiyah", "IQ-SD": "Salah ad Din", "IQ-SU": "Sulaymaniyah", "IQ-WA": "Wasit",
}

# Violence is concentrated in a few provinces, as in the corpus; the quiet southern and Kurdish
# provinces still appear, only less often.
_WEIGHTED_PLACES: tuple[Place, ...] = tuple(
    p for p in PLACES for _ in range(1 if p.region_code in ("IQ-KA", "IQ-NA", "IQ-DQ", "IQ-MA",
                                                          "IQ-QA", "IQ-AR", "IQ-SU", "IQ-DA",
                                                          "IQ-MU") else 3)
)
_BY_CITY: dict[str, tuple[Place, ...]] = {}
for _p in PLACES:
    _BY_CITY[_p.city] = (*_BY_CITY.get(_p.city, ()), _p)
_BY_REGION: dict[str, tuple[Place, ...]] = {}
for _p in PLACES:
    _BY_REGION[_p.region_code] = (*_BY_REGION.get(_p.region_code, ()), _p)
_ROUNDUP_REGIONS: tuple[str, ...] = ("IQ-BG", "IQ-NI", "IQ-DI", "IQ-SD", "IQ-AN", "IQ-KI", "IQ-BB",
                                     "IQ-BA")
_FRONT = frozenset({"IQ-AN", "IQ-NI", "IQ-SD", "IQ-DI", "IQ-KI"})
_TOWNS: tuple[Place, ...] = tuple(p for p in PLACES if p.kind in ("town", "city"))



def _location_phrases(place: Place) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a report says where an event happened: (full phrases, phrases inside ``In <city>,``)."""
    name, city = place.name, place.city
    if place.kind == "city":
        return (f"in {name}", f"in central {name}", f"in the city of {name}", f"in eastern {name}"), ()
    if place.kind == "town":
        return (f"in {name}", f"in {name}", f"in the town of {name}", f"near {name}"), ()
    if place.kind == "outskirt":
        return (f"in {name}, {place.direction} {city}", f"in {name}, on the outskirts of {city}",
                f"in {name}"), (f"in {name}",)
    if name.endswith(" City"):  # "Sadr City" is never "the Sadr City neighbourhood"
        return (f"in {name}",), (f"in {name}",)
    full: tuple[str, ...] = (f"in {city}'s {name} district", f"in the {name} area of {city}")
    short: tuple[str, ...] = (f"in {name}", f"in the {name} area")
    for hood in ("neighborhood", "neighbourhood"):
        full += (f"in the {name} {hood} of {city}", f"in {city}'s {name} {hood}")
        short += (f"in the {name} {hood}",)
    return full, short


_LOCATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    p.name: _location_phrases(p) for p in PLACES
}
assert len(_LOCATIONS) == len(PLACES), "place names must be unique"

# --------------------------------------------------------------------------------------------
# Words

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS: tuple[str, ...] = tuple(
    _ONES[n] if n < 20 else _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    for n in range(100)
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# Ages whose number word starts with a consonant sound, so "a <age>-year-old" is always right.
_AGES = tuple(a for a in range(12, 80) if a not in (11, 18))

# (singular, plural) victim nouns per category.
_NOUNS: dict[str, tuple[tuple[str, str], ...]] = {
    "civilian": (("civilian", "civilians"), ("shopkeeper", "shopkeepers"),
                 ("worshipper", "worshippers"), ("farmer", "farmers"),
                 ("government employee", "government employees")),
    "security": (("policeman", "policemen"), ("police officer", "police officers"),
                 ("soldier", "soldiers"), ("Iraqi soldier", "Iraqi soldiers"),
                 ("member of the security forces", "members of the security forces")),
    "militant": (("militant", "militants"), ("Islamic State militant", "Islamic State militants"),
                 ("insurgent", "insurgents")),
    "militia": (("militiaman", "militiamen"),
                ("Popular Mobilization fighter", "Popular Mobilization fighters"),
                ("Sahwa member", "Sahwa members")),
    "unknown": (("person", "people"),),
}
# Second victim group of a "mixed" event ("two policemen and a civilian"); never "people", which
# would leave the reader wondering whether the second group is part of the first.
_MIXED_WITH = {"civilian": "security", "security": "civilian", "militia": "civilian"}
# First words that stay capitalised when a sentence is placed after "In <city>, ".
_PROPER_STARTS = frozenset({"Islamic", "Iraqi", "Popular", "Sahwa", "Katyusha", "IED"})


@dataclass(frozen=True, slots=True)
class _Method:
    """How one method of attack is written, and the casualties it plausibly causes."""

    name: str
    subjects: tuple[str, ...]  # subject of an active sentence ("a roadside bomb")
    clauses: tuple[str, ...]  # a clause describing the attack ("a roadside bomb exploded")
    events: tuple[str, ...]  # the attack as a noun phrase ("a roadside bombing")
    categories: tuple[str, ...]
    kmax: int
    wmax: int
    patterns: tuple[str, ...]


_METHODS: tuple[_Method, ...] = (
    _Method("ied", ("a roadside bomb", "an IED", "a sticky bomb", "a bomb hidden in a rubbish pile"),
            ("a roadside bomb exploded", "an IED went off", "a bomb planted near a checkpoint "
             "detonated", "a roadside bomb struck a minibus"),
            ("a roadside bombing", "an IED attack", "a bomb blast"),
            ("civilian", "security", "unknown", "security", "militia"), 6, 14,
            ("active", "passive_when", "participle", "in_event", "left", "in_loc_active")),
    _Method("car_bomb", ("a car bomb", "a parked car bomb", "a booby-trapped car"),
            ("a car bomb exploded near a market", "a parked car bomb went off",
             "a car bomb exploded outside a restaurant"),
            ("a car bombing", "a car bomb attack"),
            ("civilian", "unknown", "unknown", "security"), 14, 40,
            ("active", "passive_when", "participle", "in_event", "left", "in_loc_active")),
    _Method("suicide_bombing", ("a suicide bomber", "a suicide car bomber",
                                "a bomber wearing an explosive vest"),
            ("a suicide bomber set off his vest beside an army post", "a suicide car bomber rammed a checkpoint",
             "a suicide bomber targeted a funeral tent"),
            ("a suicide attack", "a suicide bombing"),
            ("civilian", "unknown", "security", "militia"), 25, 50,
            ("active", "passive_when", "participle", "in_event", "left", "in_loc_active")),
    _Method("shelling", ("mortar fire", "a mortar round", "mortar shells", "rocket fire"),
            ("mortar shells landed on a residential area", "a mortar round struck a house",
             "rockets hit a busy street"),
            ("a mortar attack", "mortar fire", "rocket fire"),
            ("civilian", "unknown", "security"), 4, 10,
            ("active", "passive_when", "participle", "in_event", "in_loc_active")),
    _Method("airstrike", ("an airstrike", "airstrikes", "coalition airstrikes", "Iraqi warplanes"),
            ("an airstrike hit a militant hideout", "warplanes struck a militant convoy"),
            ("an airstrike", "airstrikes"),
            ("militant", "militant", "militant", "civilian"), 40, 8,
            ("active", "passive_when", "in_event", "in_loc_active")),
    _Method("gunfire", ("gunmen", "unidentified gunmen", "a gunman", "drive-by shooters"),
            ("gunmen opened fire on a checkpoint", "gunmen attacked a checkpoint",
             "gunmen stormed a house"),
            ("a shooting", "a drive-by shooting", "an armed attack"),
            ("civilian", "security", "civilian", "militia", "unknown"), 4, 3,
            ("active", "passive_when", "participle", "in_event", "shot_dead", "in_loc_active")),
    _Method("armed_clash", (), ("security forces clashed with militants",
                                "militants attacked an army post"),
            ("clashes", "fighting", "heavy clashes", "clashes with militants"),
            ("militant",), 25, 0,
            ("passive_when", "in_event", "left", "clash")),
    _Method("execution", ("militants", "Islamic State militants"), (), (),
            ("civilian", "security", "unknown"), 15, 0, ("executed",)),
    _Method("bodies_found", (), (), (), ("unknown", "unknown", "civilian", "security"), 12, 0,
            ("bodies",)),
)
_METHOD_WEIGHTS: tuple[_Method, ...] = tuple(
    m for m, w in zip(_METHODS, (5, 3, 2, 2, 2, 4, 2, 1, 2), strict=True) for _ in range(w)
)
_METHOD_BY_NAME: dict[str, _Method] = {m.name: m for m in _METHODS}

_FILLERS: tuple[str, ...] = (
    "Meanwhile, parliament again postponed a vote on the new electoral law.",
    "Nobody had said by evening who carried out the attacks.",
    "The prime minister called for calm and promised an investigation.",
    "Local officials complained that reconstruction money has yet to arrive.",
    "Political leaders met in Baghdad to discuss the budget dispute.",
    "Security has improved in some areas, but attacks on checkpoints continue.",
    "Aid agencies warned of shortages of clean water in the camps.",
    "The government has blamed the Islamic State group for similar attacks.",
)
_WORKERS = ("engineers", "truck drivers", "shepherds", "construction workers", "contractors")
_FESTIVALS = ("Ashura", "the Arbaeen pilgrimage", "next month's elections", "the holiday")


# --------------------------------------------------------------------------------------------
# Generation


@dataclass(slots=True)
class _Event:
    """An incident while it is being written: the truth plus what the sentence needs."""

    place: Place
    method: _Method
    killed_groups: list[tuple[str, int]]  # (category, count); two groups make a "mixed" event
    wounded: int
    wounded_cat: str
    wounded_same: bool  # "three others": the wounded share the killed group's category
    truth: TruthIncident


class _Writer:
    """Writes articles with one random generator; all randomness of an article goes through it."""

    def __init__(self, rng: random.Random) -> None:
        self.rnd: Callable[[], float] = rng.random

    # random.choice and randint cost ~1 us each (they avoid the tiny bias of scaling a float);
    # that bias is irrelevant here and scaling keeps the generator above 20k articles/s.
    def pick(self, seq: Sequence[_T]) -> _T:
        """A uniformly chosen element of ``seq``."""
        return seq[int(self.rnd() * len(seq))]

    def randint(self, lo: int, hi: int) -> int:
        """A uniformly chosen integer in ``[lo, hi]``."""
        return lo + int(self.rnd() * (hi - lo + 1))

    # ---- numbers and noun phrases

    def num(self, n: int, *, initial: bool = False, tags: list[str] | None = None) -> str:
        """``n`` as digits or words; words at the start of a sentence, as style guides want."""
        if initial and n < 100:
            return _WORDS[n].capitalize()
        if tags is not None and n in (12, 24) and self.rnd() < 0.4:
            tags.append("dozen")
            return "a dozen" if n == 12 else "two dozen"
        if n <= 10:
            return _WORDS[n] if self.rnd() < 0.8 else str(n)
        if n < 100 and self.rnd() < 0.15:
            return _WORDS[n]
        return f"{n:,}"

    def victims(self, n: int, cat: str, *, initial: bool = False, least: bool = True,
                tags: list[str]) -> str:
        """A noun phrase for ``n`` victims of a category ("at least five policemen", "a farmer")."""
        sing, plur = self.pick(_NOUNS[cat])
        if cat != "unknown":
            tags.append(f"noun={sing}")
        if n == 1:
            if cat == "civilian" and self.rnd() < 0.3:
                tags.append("age")
                age = self.pick(_AGES)
                noun = ("boy" if age < 18 else "man") if self.rnd() < 0.7 else (
                    "girl" if age < 18 else "woman")
                phrase = f"a {age}-year-old {noun}"
            elif self.rnd() < 0.25:
                phrase = f"one {sing}"
            else:
                phrase = ("an " if sing[0] in "AEIOUaeiou" else "a ") + sing
            return phrase[0].upper() + phrase[1:] if initial else phrase
        if least and self.rnd() < 0.2:
            tags.append("at_least")
            phrase = f"at least {self.num(n, tags=tags)} {plur}"
            if phrase.startswith("at least a dozen"):
                tags.append("at_least_a_dozen")
            return phrase[0].upper() + phrase[1:] if initial else phrase
        return f"{self.num(n, initial=initial, tags=tags)} {plur}"

    def killed_np(self, ev: _Event, *, initial: bool, tags: list[str]) -> str:
        """The killed of ``ev`` as a noun phrase; two groups are joined ("two soldiers and a farmer")."""
        groups = ev.killed_groups
        first = self.victims(groups[0][1], groups[0][0], initial=initial, tags=tags)
        if len(groups) == 1:
            return first
        tags.append("mixed")
        second = self.victims(groups[1][1], groups[1][0], least=False, tags=tags)
        if second.startswith("a dozen"):
            tags.append("and_a_dozen")
        if first.endswith("security forces"):
            tags.append("security_forces_and")  # "four members of the security forces and a farmer"
        return f"{first} and {second}"

    def wounded_np(self, ev: _Event, *, initial: bool, tags: list[str]) -> str:
        """The wounded of ``ev``; "three others" when they belong to the killed group's kind."""
        w = ev.wounded
        if ev.wounded_same and ev.truth.killed:
            tags.append("others")
            if w == 1:
                sing = self.pick(_NOUNS[ev.wounded_cat])[0]
                phrase = self.pick(("another person", "one other person", f"another {sing}"))
                if phrase.endswith(sing) and ev.wounded_cat != "unknown":
                    tags.append(f"noun={sing}")
            else:
                n = self.num(w, initial=initial, tags=tags)
                phrase = self.pick((f"{n} others", f"{n} more", f"{n} other people"))
            return phrase[0].upper() + phrase[1:] if initial else phrase
        return self.victims(w, ev.wounded_cat, initial=initial, tags=tags)

    # ---- places

    def location(self, place: Place, ctx_city: str | None, tags: list[str]) -> str:
        """A prepositional phrase for ``place``; inside an ``In <city>,`` paragraph it is short
        (empty for the city itself)."""
        full, short = _LOCATIONS[place.name]
        if ctx_city is None:
            return self.pick(full)
        tags.append("context")
        return self.pick(short) if short else ""

    # ---- events

    def event(self, place: Place, method: _Method | None = None) -> _Event:
        """Draw the casualties of one incident at ``place``."""
        rnd = self.rnd
        m = method or self.pick(_METHOD_WEIGHTS)
        if m.name in ("airstrike", "armed_clash") and (
                place.kind == "hood" or place.city == "Baghdad" or place.region_code not in _FRONT):
            # Airstrikes and pitched battles happen in the northern and western provinces, outside
            # city neighbourhoods.
            m = _METHOD_BY_NAME["ied"]
        cat: str = self.pick(m.categories)
        k = int(rnd() ** 1.7 * (m.kmax + 1))
        w = int(rnd() ** 1.7 * (m.wmax + 1))
        if m.name in ("execution", "bodies_found"):
            k, w = max(k, 1), 0
        elif m.name == "gunfire":
            k = max(k, 1) if rnd() < 0.8 else k
        if k + w == 0:
            k = 1
        groups = [(cat, k)] if k else []
        if (k >= 2 and cat in _MIXED_WITH and m.name in ("ied", "car_bomb", "suicide_bombing", "gunfire")
                and rnd() < 0.12):
            other = _MIXED_WITH[cat]
            k2 = self.randint(1, k - 1)
            groups = [(cat, k - k2), (other, k2)]
        if m.name == "armed_clash":
            wcat, same = "security", False
            w = int(rnd() ** 1.5 * 9)
            if k + w == 0:
                k, groups = 1, [(cat, 1)]
        elif k and rnd() < 0.7:
            wcat, same = cat, True
        else:
            wcat, same = ("unknown" if rnd() < 0.6 else "civilian"), False
        if not groups:
            victim = wcat
        elif len(groups) > 1 or (w and wcat != cat):
            victim = "mixed"
        else:
            victim = cat
        truth = TruthIncident(place.region_code, place.name, k, w, victim, m.name)
        return _Event(place, m, groups, w, wcat, same, truth)

    def sentence(self, ev: _Event, loc: str, tags: list[str], *, when: str = "") -> str:
        """Write one sentence that reports ``ev``; ``loc`` may be empty (place known from context)."""
        s = self._sentence(ev, loc, tags, when)
        if ev.method.name == "airstrike" and "irstrikes" in s and " people" in s:
            tags.append("airstrikes_people")  # "Two people were killed in airstrikes near Karma."
        return s

    def _sentence(self, ev: _Event, loc: str, tags: list[str], when: str) -> str:
        m = ev.method
        k, w = ev.truth.killed, ev.wounded
        where = f" {loc}" if loc else ""
        if when:
            # "in Taji, north of Baghdad, on Monday": close the apposition before the time.
            where += f", {when}" if "," in loc else f" {when}"
        pattern: str = self.pick(m.patterns)
        if pattern == "in_loc_active" and "context" in tags:
            pattern = "active"  # "In Baghdad, in Dora, ..." reads badly
        mid = where + "," if "," in loc and not when else where  # where the sentence goes on
        if pattern == "in_loc_active" and not loc:
            pattern = "active"
        tags.append(pattern)
        wound = "wounded" if self.rnd() < 0.75 else "injured"
        if pattern == "bodies":
            return self._bodies(ev, where, tags)
        if pattern == "executed":
            if self.rnd() < 0.5:
                subj = self.pick(m.subjects)
                kn = self.killed_np(ev, initial=False, tags=tags)
                return f"{subj[0].upper()}{subj[1:]} executed {kn}{where}."
            tags.append("passive")
            kn = self.killed_np(ev, initial=True, tags=tags)
            return f"{kn} {self._be(k)} executed by militants{where}."
        if pattern == "shot_dead" and not w:
            if self.rnd() < 0.5:
                subj = self.pick(m.subjects)
                return f"{subj[0].upper()}{subj[1:]} shot dead {self.killed_np(ev, initial=False, tags=tags)}{where}."
            tags.append("passive")
            kn = self.killed_np(ev, initial=True, tags=tags)
            return f"{kn} {self._be(k)} shot dead{where}."
        if pattern == "shot_dead" or (pattern == "active" and not m.subjects):
            pattern = "passive_when"
        if pattern in ("active", "in_loc_active"):
            subj = self.pick(m.subjects)
            parts = []
            if k:
                parts.append(f"killed {self.killed_np(ev, initial=False, tags=tags)}")
            if w:
                parts.append(f"{wound} {self.wounded_np(ev, initial=False, tags=tags)}")
            if pattern == "in_loc_active":
                return f"{loc[0].upper()}{loc[1:]}{' ' + when if when else ''}, {subj} {' and '.join(parts)}."
            return f"{subj[0].upper()}{subj[1:]} {' and '.join(parts)}{where}."
        if pattern == "participle" and m.clauses:
            clause = self.pick(m.clauses)
            parts = []
            if k:
                parts.append(f"killing {self.killed_np(ev, initial=False, tags=tags)}")
            if w:
                parts.append(f"{'wounding' if wound == 'wounded' else 'injuring'} "
                             f"{self.wounded_np(ev, initial=False, tags=tags)}")
            return f"{clause[0].upper()}{clause[1:]}{where}, {' and '.join(parts)}."
        if pattern == "left" and m.events:
            event = self.pick(m.events)
            parts = []
            if k:
                parts.append(f"{self.killed_np(ev, initial=False, tags=tags)} dead")
            if w:
                parts.append(f"{self.wounded_np(ev, initial=False, tags=tags)} {wound}")
            return f"{event[0].upper()}{event[1:]}{mid} left {' and '.join(parts)}."
        if pattern == "clash":
            parts = []
            if k:
                parts.append(f"{self.killed_np(ev, initial=False, tags=tags)} dead")
            if w:
                parts.append(f"{self.wounded_np(ev, initial=False, tags=tags)} {wound}")
            return f"Clashes{mid} left {' and '.join(parts)}."
        # Passive forms: "<K> were killed and <W> wounded when/in ...".
        if pattern == "in_event" and m.events:
            tail = f" in {self.pick(m.events)}{where}."
        else:
            if pattern != "passive_when":
                tags.append("passive_when")
            tail = f" when {self.pick(m.clauses)}{where}."
        if k:
            head = f"{self.killed_np(ev, initial=True, tags=tags)} {self._be(k)} killed"
            if w:
                head += f" and {self.wounded_np(ev, initial=False, tags=tags)} {self._be(w)} {wound}"
        else:
            head = f"{self.wounded_np(ev, initial=True, tags=tags)} {self._be(w)} {wound}"
        return head + tail

    def _bodies(self, ev: _Event, where: str, tags: list[str]) -> str:
        k = ev.truth.killed
        cat = ev.killed_groups[0][0]
        if k == 1:
            tags.append("one_body")
            if cat == "security":
                return f"A policeman's body was found{where}."
            return self.pick(("An abandoned body was found", "A body was found",
                              "Police found an unidentified body")) + f"{where}."
        roll = self.rnd()
        if roll < 0.3:
            tags.append("bodies_were_found")
            return f"{self.num(k, initial=True)} bodies were found{where}."
        if roll < 0.55:
            tags.append("police_found_bodies")
            return f"Police found {self.num(k, tags=tags)} bodies{where}."
        if roll < 0.8 or k < 3:
            tags.append("bodies_of")
            noun = "policemen" if cat == "security" else self.pick(("men", "people", "civilians"))
            return f"The bodies of {self.num(k, tags=tags)} {noun} were found{where}."
        tags.append("mass_grave")
        return f"A mass grave containing {self.num(k)} bodies was uncovered{where}."

    @staticmethod
    def _be(n: int) -> str:
        return "was" if n == 1 else "were"

    # ---- distractors: sentences a careful reader does not count

    def distractor(self, tags: list[str], town: Place | None = None) -> str:
        """A sentence with numbers and places but no casualty of this report's events; about
        ``town`` when given (inside an ``In <city>,`` paragraph, another place would leave the
        following place-less sentences without a clear place)."""
        town = town or self.pick(_TOWNS)
        roll = self.randint(0, 10)
        tags.append(f"distractor{roll}")
        month = self.pick(_MONTHS)
        if roll == 0:
            return (f"So far this year, at least {self.randint(200, 3000):,} people have been killed in "
                    f"{_PROVINCE[town.region_code]} province, according to a local monitoring group.")
        if roll == 1:
            return (f"More than {self.randint(40, 900)} civilians have been killed in {town.name} since "
                    f"{month}, according to local officials.")
        if roll == 2:
            return (f"The death toll from last week's bombing in {town.name} rose to "
                    f"{self.randint(12, 90)}, a hospital official said.")
        if roll == 3:
            return f"Security forces arrested {self.num(self.randint(2, 40))} suspects in {town.name}."
        if roll == 4:
            return (f"Gunmen kidnapped {self.num(self.randint(2, 9))} {self.pick(_WORKERS)} near "
                    f"{town.name}.")
        if roll == 5:
            return f"Police freed {self.num(self.randint(2, 15))} hostages during a raid in {town.name}."
        if roll == 6:
            return (f"About {self.randint(3, 90) * 100:,} families have been displaced from {town.name} "
                    f"since {month}.")
        if roll == 7:
            return (f"Some {self.randint(2, 30) * 500:,} soldiers and policemen have been deployed in "
                    f"{town.name} ahead of {self.pick(_FESTIVALS)}.")
        if roll == 8:
            return (f"Provincial elections in {_PROVINCE[town.region_code]} are scheduled for {month} "
                    f"{self.randint(1, 28)}, {self.randint(2026, 2028)}.")
        if roll == 9:
            return (f"A {self.pick(_AGES)}-year-old suspect was detained at a checkpoint in "
                    f"{town.name}.")
        return (f"Troops seized {self.randint(20, 400)} mortar rounds and {self.randint(5, 60)} rifles "
                f"in a raid near {town.name}.")


def _decap(sentence: str) -> str:
    """Lower-case the first letter so the sentence can follow ``In <city>, ``."""
    if sentence.split(" ", 1)[0] in _PROPER_STARTS:
        return sentence
    return sentence[0].lower() + sentence[1:]


@dataclass(slots=True)
class _Draft:
    """An article while its paragraphs are collected."""

    paragraphs: list[str]
    truth: list[TruthIncident]
    templates: list[str]
    evidence: list[str]

    def add(self, ev: _Event, sentence: str, tags: list[str], style: str) -> None:
        self.truth.append(ev.truth)
        self.templates.append("/".join((style, ev.method.name, *tags)))
        self.evidence.append(sentence)


def _new_event(w: _Writer, place: Place, earlier: list[_Event]) -> _Event:
    """An event at ``place`` whose toll differs from the article's earlier events in the same city:
    two events in one city with the same numbers could be the same event told twice."""
    while True:
        ev = w.event(place)
        toll = (ev.truth.killed, ev.truth.wounded)
        if not any(e.place.city == place.city and (e.truth.killed, e.truth.wounded) == toll
                   for e in earlier):
            return ev


def _weekday(day: date) -> str:
    return _WEEKDAYS[day.weekday()]


def _stated_total(w: _Writer, k: int, wd: int) -> str:
    """The roundup's own total, first in the article; it equals the sum of the incidents."""
    kn = f"{k:,}" if k > 10 or w.rnd() < 0.5 else _WORDS[k]
    wn = f"{wd:,}" if wd > 10 or w.rnd() < 0.5 else _WORDS[wd]
    if not wd:
        return w.pick((f"At least {kn} people were killed across Iraq.",
                           f"Violence across Iraq left at least {kn} people dead.",
                           f"At least {kn} Iraqis were killed in attacks around the country."))
    if not k:
        return f"At least {wn} people were wounded in attacks across Iraq."
    return w.pick((
        f"At least {kn} people were killed and {wn} were wounded across Iraq.",
        f"At least {kn} Iraqis were killed and {wn} more were wounded in attacks around the country.",
        f"Violence across Iraq left at least {kn} people dead and {wn} wounded.",
        f"At least {kn} people died today, and another {wn} were wounded.",
    ))


def _roundup(w: _Writer, day: date) -> tuple[str, str, _Draft]:
    """A daily Iraq roundup: stated total, background, then paragraphs per place."""
    n = w.randint(2, 9)
    events: list[_Event] = []
    place: Place = w.pick(_WEIGHTED_PLACES)
    for _ in range(n):
        events.append(_new_event(w, place, events))
        # Often the next event is in the same city, which makes "In <city>, ..." paragraphs.
        place = w.pick(_BY_CITY[place.city] if w.rnd() < 0.45 else _WEIGHTED_PLACES)
    by_city: dict[str, list[_Event]] = {}
    for ev in events:
        by_city.setdefault(ev.place.city, []).append(ev)

    draft = _Draft([], [], [], [])
    body_paragraphs: list[str] = []
    for city, evs in by_city.items():
        if len(evs) > 1 and w.rnd() < 0.65:
            sentences = []
            for j, ev in enumerate(evs):
                tags: list[str] = []
                loc = w.location(ev.place, city, tags)
                if not loc and j and (ev.method.name == "bodies_found" or w.rnd() < 0.3):
                    # "Four bodies were found. Five bodies were found." would read as a correction.
                    tags.append("elsewhere")
                    loc = "elsewhere in the city" if ev.place.kind == "city" else "elsewhere in the town"
                s = w.sentence(ev, loc, tags)
                if j == 0:
                    s = f"In {city}, {_decap(s)}"
                elif w.rnd() < 0.2:
                    s = f"Also, {_decap(s)}"
                draft.add(ev, s, tags, "roundup")
                sentences.append(s)
            if w.rnd() < 0.25:
                tags = []
                sentences.append(w.distractor(tags, evs[0].place if evs[0].place.kind == "town"
                                              else _BY_CITY[city][0]))
            body_paragraphs.append(" ".join(sentences))
        else:
            for ev in evs:
                tags = []
                s = w.sentence(ev, w.location(ev.place, None, tags), tags)
                if w.rnd() < 0.06:
                    tags.append("yesterday")
                    s = f"Yesterday, {_decap(s)}"
                draft.add(ev, s, tags, "roundup")
                body_paragraphs.append(s)
    k = sum(t.killed for t in draft.truth)
    wd = sum(t.wounded for t in draft.truth)
    lede = [_stated_total(w, k, wd)]
    if w.rnd() < 0.5:
        lede.append(w.pick(_FILLERS))
    background: list[str] = []
    for _ in range(w.randint(0, 2)):
        d = w.distractor([])
        if not background or d[:12] != background[0][:12]:  # not the same kind twice
            background.append(d)
    if background and w.rnd() < 0.5:
        background.append(w.pick(_FILLERS))
    draft.paragraphs.append(" ".join(lede))
    if background:
        draft.paragraphs.append(" ".join(background))
    draft.paragraphs.extend(body_paragraphs)
    if wd:
        title = w.pick((f"{_weekday(day)}: {k} Iraqis Killed, {wd} Wounded",
                            f"{k} Killed, {wd} Wounded Across Iraq"))
    else:
        title = f"{_weekday(day)}: {k} Iraqis Killed"
    return "roundup", title, draft


def _provincial(w: _Writer, day: date) -> tuple[str, str, _Draft]:
    """A wire roundup for one province: its total first, then each event with its place."""
    region: str = w.pick(_ROUNDUP_REGIONS)
    places = _BY_REGION[region]
    draft = _Draft([], [], [], [])
    events: list[_Event] = []
    for _ in range(w.randint(2, 5)):
        events.append(_new_event(w, w.pick(places), events))
    sentences = []
    for ev in events:
        tags: list[str] = []
        s = w.sentence(ev, w.location(ev.place, None, tags), tags)
        draft.add(ev, s, tags, "provincial")
        sentences.append(s)
    k = sum(t.killed for t in draft.truth)
    wd = sum(t.wounded for t in draft.truth)
    province = _PROVINCE[region]
    if k and wd:
        lede = (f"Attacks in {province} province killed at least {k} people and wounded {wd} on "
                f"{_weekday(day)}, security officials said.")
    elif k:
        lede = f"Attacks in {province} province killed at least {k} people on {_weekday(day)}, police said."
    else:
        lede = f"Attacks in {province} province wounded at least {wd} people on {_weekday(day)}, police said."
    draft.paragraphs.append(lede)
    draft.paragraphs.append("Police gave the following details of the attacks.")
    draft.paragraphs.extend(sentences)
    if w.rnd() < 0.6:
        draft.paragraphs.append(w.distractor([]))
    title = f"Attacks kill {k} in Iraq's {province} province" if k else f"Attacks wound {wd} in {province}"
    return "provincial", title, draft


def _bulletin(w: _Writer, day: date) -> tuple[str, str, _Draft]:
    """A list of events with no stated total, each paragraph one place."""
    draft = _Draft([], [], [], [])
    events: list[_Event] = []
    for i in range(w.randint(1, 6)):
        place = w.pick(_WEIGHTED_PLACES)
        if any(e.place.city == place.city for e in events):
            continue  # a bulletin gives each city one item
        ev = w.event(place)
        events.append(ev)
        # An event first, then more events: the first is not a report total (it is one place).
        tags: list[str] = ["opening_event"] if i == 0 else []
        s = w.sentence(ev, w.location(ev.place, None, tags), tags)
        draft.add(ev, s, tags, "bulletin")
        draft.paragraphs.append(s)
        if w.rnd() < 0.2:
            draft.paragraphs.append(w.distractor([]))
    title = f"Iraq security briefs, {_MONTHS[day.month - 1]} {day.day}"
    return "bulletin", title, draft


_ATTRIBUTIONS = (", police said.", ", security officials said.", ", a police officer said.", ".",
                 ", a police spokesman said.", ", a spokesman for the provincial council said.")
_RESTATE = {"civilian": "civilians", "security": "members of the security forces",
            "militant": "militants", "militia": "militia fighters", "unknown": "people"}


# Headline subject per method, and the verb ending it takes ("Gunmen kill", "Car bomb kills").
_HEADLINE = {"ied": ("Roadside bomb", "s"), "car_bomb": ("Car bomb", "s"),
             "suicide_bombing": ("Suicide bomber", "s"), "shelling": ("Mortar attack", "s"),
             "airstrike": ("Airstrike", "s"), "gunfire": ("Gunmen", ""), "armed_clash": ("Clashes", ""),
             "execution": ("Militants", ""), "bodies_found": ("Bodies", "")}


def _wire(w: _Writer, day: date) -> tuple[str, str, _Draft]:
    """A single-event wire story: dateline, the toll in the first sentence, then background."""
    place: Place = w.pick(_WEIGHTED_PLACES)
    ev = w.event(place)
    draft = _Draft([], [], [], [])
    tags: list[str] = []
    s = w.sentence(ev, w.location(place, None, tags), tags, when=f"on {_weekday(day)}")
    said = w.pick(_ATTRIBUTIONS)
    if said != ".":
        tags.append("said=" + ("spokesman" if "spokesman" in said else said[2:-6]))
    s = s[:-1] + said
    dateline = place.city if w.rnd() < 0.7 else "Baghdad"
    draft.paragraphs.append(f"{dateline.upper()}, Iraq (TWS) — {s}")
    if ev.truth.killed >= 2 and w.rnd() < 0.3:
        # Restating part of the toll: a careful reader does not count it again.
        tags.append("restatement")
        cat, n = ev.killed_groups[0]
        m = w.randint(2, n) if n > 1 else 1
        draft.paragraphs.append(f"Among the dead were {w.num(m)} {_RESTATE[cat]}, a medical source said."
                                if m > 1 else "A hospital official confirmed the toll.")
    elif not ev.truth.killed and w.rnd() < 0.4:
        tags.append("no_one_killed")
        draft.paragraphs[-1] += " No one was killed."
    draft.add(ev, s, tags, "wire")
    draft.paragraphs.append(w.pick(_FILLERS))
    if w.rnd() < 0.25:
        other = _new_event(w, w.pick(_WEIGHTED_PLACES), [ev])
        tags2: list[str] = ["separate"]
        s2 = w.sentence(other, w.location(other.place, None, tags2), tags2)
        s2 = f"In a separate attack, {_decap(s2)}" if not s2.startswith("In ") else f"Separately, {_decap(s2)}"
        draft.add(other, s2, tags2, "wire")
        draft.paragraphs.append(s2)
    for _ in range(w.randint(0, 2)):
        draft.paragraphs.append(w.distractor([]))
    k, wd = ev.truth.killed, ev.truth.wounded
    noun, verb_s = _HEADLINE[ev.method.name]
    if ev.method.name == "bodies_found":
        title = f"{k} bodies found in {place.city}" if k > 1 else f"Body found in {place.city}"
    elif k:
        title = f"{noun} kill{verb_s} {k} in {place.city}"
    else:
        title = f"{noun} wound{verb_s} {wd} in {place.city}"
    return "wire", title, draft


_STYLES: tuple[Callable[[_Writer, date], tuple[str, str, _Draft]], ...] = (
    *([_roundup] * 8), *([_wire] * 7), *([_provincial] * 2), *([_bulletin] * 3),
)
_SOURCES = {"roundup": "Iraq Casualty Monitor", "provincial": "Tigris Wire Service",
            "bulletin": "Two Rivers Security Digest", "wire": "Tigris Wire Service"}


def generate(n: int, *, seed: int = 0, start_date: str = "2026-01-01",
             days: int = 30) -> Iterator[SyntheticArticle]:
    """Yield ``n`` synthetic articles with their ground truth, deterministically for ``seed``.

    Articles are dated uniformly over ``days`` days from ``start_date``; ids are
    ``syn-<seed>-<i>`` and therefore unique for a seed.
    """
    if n < 0 or days < 1:
        raise ValueError("n must be >= 0 and days >= 1")
    rng = random.Random(seed)
    writer = _Writer(rng)
    first = date.fromisoformat(start_date)
    dates = [first + timedelta(days=d) for d in range(days)]
    iso = [d.isoformat() for d in dates]
    for i in range(n):
        d = int(rng.random() * days)
        style, title, draft = _STYLES[int(rng.random() * len(_STYLES))](writer, dates[d])
        article = {
            "id": f"syn-{seed}-{i}",
            "source": _SOURCES[style],
            "url": f"https://example.org/synthetic/{seed}/{i}",
            "title": title,
            "published": iso[d],
            "body": "\n\n".join(draft.paragraphs),
        }
        yield SyntheticArticle(article, tuple(draft.truth), style, tuple(draft.templates),
                               tuple(draft.evidence))


def expected_tables(articles: Iterable[SyntheticArticle]) -> dict[str, dict[str, int]]:
    """The per-region table a perfect pipeline builds: ``{region: {killed, wounded, incidents}}``."""
    table: dict[str, dict[str, int]] = {}
    for art in articles:
        for inc in art.truth:
            row = table.get(inc.region_code)
            if row is None:
                row = table[inc.region_code] = {"killed": 0, "wounded": 0, "incidents": 0}
            row["killed"] += inc.killed
            row["wounded"] += inc.wounded
            row["incidents"] += 1
    return dict(sorted(table.items()))


def write_jsonl(path: str | Path, n: int, seed: int = 0) -> None:
    """Write ``n`` articles (the article dicts only) to ``path``, one JSON object per line."""
    with open(path, "w", encoding="utf-8") as fh:
        for art in generate(n, seed=seed):
            fh.write(json.dumps(art.article, ensure_ascii=False))
            fh.write("\n")


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.generator --articles N --seed S --out file.jsonl [--expected t.json]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.generator", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start-date", default="2026-01-01")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--out", default="-", help="JSONL file, or - for stdout (default)")
    parser.add_argument("--expected", help="also write the expected per-region table here (JSON)")
    args = parser.parse_args(argv)
    arts = generate(args.articles, seed=args.seed, start_date=args.start_date, days=args.days)
    truth: list[SyntheticArticle] = []
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for art in arts:
            out.write(json.dumps(art.article, ensure_ascii=False))
            out.write("\n")
            if args.expected:
                truth.append(art)
    finally:
        if out is not sys.stdout:
            out.close()
    if args.expected:
        Path(args.expected).write_text(json.dumps(expected_tables(truth), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
