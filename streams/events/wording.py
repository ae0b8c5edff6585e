"""Text similarity of two reports' evidence: shared distinctive words.

Every report of an attack says "killed", "wounded", "bomb", "police said"; what tells one attack
from another in the same city is the rest: a bus station, a church, a funeral, a convoy, a
checkpoint. :func:`content_keys` keeps those words of a sentence (lowercase, crude plural and
verb-ending folding, no stop words, no report vocabulary, no numbers, no dates, no place names
of the incident's own location) and :func:`similarity` measures how many of one report's words
the other has.

The measure is the overlap coefficient, |A ∩ B| / min(|A|, |B|): a round-up line is short and a
wire lead long, and an event accumulates the words of all its reports, so the share of the
smaller set that the larger one holds is what says "same story". It costs a set intersection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

_WORD: Final = re.compile(r"[a-z][a-z'\-]+")


def _words(block: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text."""
    return frozenset(block.split())


STOP_WORDS: Final = _words("""
a about above across after afternoon again against ago all almost along also although among an and another any
are around as at away back be because been before behind being below beside besides between both but by came
can could day days did do does during each early earlier else evening ever every few for from further had has
have having he her here hers him his how however i if in including inside into is it its itself just killing
last late later least less like many may me might more morning most much must my near nearby nearly new next
night no nor not now of off on once one only onto or other others our out outside over own per recently same
several she should since so some still such than that the their them then there these they this those though
three through to today told too two under until up upon very was we were what when where which while who whom
whose why will with within would yet you
""")

REPORT_WORDS: Final = _words("""
according accused agency announced arrested attack attacked attacker attackers attacks blast blasts blew bomb
bombed bomber bombers bombing bombings bombs casualties casualty city claimed claim confirmed capital country
dead death deaths detonated died die dozens explosion explosions exploded explosive explosives fatalities fire
group gunman gunmen health hit hospital hospitals hurt injured injuries injuring killed kill kills least
medical men militant militants ministry official officials people person persons police province rose
reported reporter reporters reuters afp said saying says security source sources spokesman statement
struck suicide targeted targeting toll victims violence wounded wounding wounds injury injure afp ap
district town village region area province governorate northern southern eastern western central north south
east west capital's local residents witnesses told television state news press tuesday monday wednesday
thursday friday saturday sunday yesterday january february march april june july august september october
november december
report reports media total left way open taking took take taken made make making
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand dozen
number numbers figure figures risen rise rises rising climbed climb raised increased
found find body bodies corpse corpses dumped neighbourhood neighborhood men women children man woman child
civilian civilians soldier soldiers policeman policemen member members fighter fighters employee employees
worker workers person army forces force armed unidentified unknown iraq iraqi iraqis government troops
car cars vehicle vehicles roadside parked laden packed improvised device devices ied ieds gun guns gunfire shot
shooting shootings opened rocket rockets mortar mortars shell shells shelling airstrike airstrikes strike
strikes drone drones missile missiles grenade grenades sniper snipers clash clashes fighting executed
""")
"""Words every casualty report uses: they say nothing about which attack it was."""


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """Fold plurals and verb endings so "stations"/"station", "funerals"/"funeral" meet."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_TARGET_KINDS: Final = {
    "market": "market bazaar shop shopper marketplace",
    "worship": "mosque church shrine temple worshipper prayer pilgrim",
    "school": "school university college campus student pupil teacher classroom",
    "hospital": "hospital clinic",
    "checkpoint": "checkpoint",
    "transport": "bus minibus terminal garage train railway airport",
    "military": "convoy patrol base barrack camp recruit",
    "funeral": "funeral burial cemetery mourner graveyard",
    "wedding": "wedding",
    "venue": "restaurant cafe hotel stadium festival party",
    "government": "court courthouse ministry parliament embassy headquarters compound",
    "prison": "prison jail",
    "payday": "payday queue salary",
    "protest": "protest protester demonstrator rally procession",
}
TARGET_WORDS: Final = {_stem(w): kind for kind, block in _TARGET_KINDS.items() for w in block.split()}
"""What was hit, word -> kind of target: two reports naming the same kind (a funeral, a burial)
likely tell of one attack, two naming only different kinds (a market, a checkpoint) of two."""


# A wire dateline ("KIRKUK, Iraq (Wire A) - ") names the outlet and the city, not the attack.
_DATELINE: Final = re.compile(r"^[A-Z][A-Z .'\-]+(?:,[A-Za-z .]+)?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014:]+\s*")


def content_keys(text: str, drop: Iterable[str] = ()) -> frozenset[str]:
    """The distinctive words of ``text`` (stemmed), without a leading dateline and without the
    words of ``drop`` (place names)."""
    dropped = {_stem(w) for name in drop for w in _WORD.findall(name.lower())}
    keys = set()
    for raw in _WORD.findall(_DATELINE.sub("", text, count=1).lower()):
        word = raw.strip("'-")
        if len(word) < 3 or word in STOP_WORDS or word in REPORT_WORDS:
            continue
        stem = _stem(word)
        if stem not in dropped and stem not in REPORT_WORDS:
            keys.add(stem)
    return frozenset(keys)


def targets(keys: frozenset[str]) -> frozenset[str]:
    """The kinds of target named among content keys (see :data:`TARGET_WORDS`)."""
    return frozenset(TARGET_WORDS[k] for k in keys if k in TARGET_WORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient |A ∩ B| / min(|A|, |B|); 0.0 when either set is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
