"""A tiny stand-in gazetteer for the extractor tests, plus tests that pin its own behaviour.

The extractor tests must not depend on the real gazetteer's data (owned and rebuilt elsewhere), so
they install this stub with :func:`extractors.locations.set_gazetteer`. It implements the part of
the gazetteer API the extractor uses: ``find``, ``lookup``, ``lookup_all``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from extractors.gazetteer import Place
from extractors.locations import set_gazetteer


def _p(name: str, kind: str, city: str | None, region: str, code: str, precision: str,
       needs_context: bool = False) -> Place:
    return Place(name, kind, city, region, code, "IQ", None, None, precision, needs_context)


# name -> candidates, best first (like the real gazetteer: Baghdad's Mansour before Mosul's)
PLACES: dict[str, list[Place]] = {
    "Mosul": [_p("Mosul", "city", "Mosul", "Nineveh", "IQ-NI", "city")],
    "Mamoun": [_p("Mamoun", "neighbourhood", "Mosul", "Nineveh", "IQ-NI", "neighbourhood")],
    "Shuhada Park": [_p("Shuhada Park", "site", "Mosul", "Nineveh", "IQ-NI", "site")],
    "Mansour": [
        _p("Mansour", "district", "Baghdad", "Baghdad", "IQ-BG", "district", True),
        _p("Mansour", "neighbourhood", "Mosul", "Nineveh", "IQ-NI", "neighbourhood", True),
    ],
    "Jawsaq": [_p("Jawsaq", "neighbourhood", "Mosul", "Nineveh", "IQ-NI", "neighbourhood")],
    "Tayaran": [_p("Tayaran", "neighbourhood", "Mosul", "Nineveh", "IQ-NI", "neighbourhood")],
    "Baghdad": [_p("Baghdad", "city", "Baghdad", "Baghdad", "IQ-BG", "city")],
    "Nahrawan": [_p("Nahrawan", "town", "Nahrawan", "Baghdad", "IQ-BG", "city")],
    "Amil": [_p("Amil", "neighbourhood", "Baghdad", "Baghdad", "IQ-BG", "neighbourhood")],
    "Taji": [_p("Taji", "town", "Taji", "Baghdad", "IQ-BG", "city")],
    "Samarra": [_p("Samarra", "city", "Samarra", "Salah ad Din", "IQ-SD", "city")],
    "Qaim": [_p("Al-Qaim", "town", "Al-Qaim", "Anbar", "IQ-AN", "city")],
    "Haditha Dam": [_p("Haditha Dam", "site", "Haditha", "Anbar", "IQ-AN", "site")],
    "Haditha": [_p("Haditha", "town", "Haditha", "Anbar", "IQ-AN", "city")],
    "Kirkuk": [_p("Kirkuk", "city", "Kirkuk", "Kirkuk", "IQ-KI", "city")],
    "Baquba": [_p("Baqubah", "city", "Baqubah", "Diyala", "IQ-DI", "city")],
    "Baqubah": [_p("Baqubah", "city", "Baqubah", "Diyala", "IQ-DI", "city")],
    "Diyala": [_p("Diyala", "region", None, "Diyala", "IQ-DI", "region")],
    "Anbar": [_p("Anbar", "region", None, "Anbar", "IQ-AN", "region")],
    "Falluja": [_p("Fallujah", "city", "Fallujah", "Anbar", "IQ-AN", "city")],
    "Basra": [_p("Basra", "city", "Basra", "Basra", "IQ-BA", "city")],
    "Tikrit": [_p("Tikrit", "city", "Tikrit", "Salah ad Din", "IQ-SD", "city")],
}
_FIND = re.compile(r"\b(" + "|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)) + r")\b")


class StubGazetteer:
    """Finds the names of :data:`PLACES` (case-sensitive, longest first)."""

    def find(self, text: str) -> list[tuple[int, int, Place]]:
        """Mentions as (start, end, place)."""
        return [(m.start(), m.end(), PLACES[m.group(1)][0]) for m in _FIND.finditer(text)]

    def lookup(self, name: str) -> Place | None:
        """Best candidate for a name."""
        found = PLACES.get(name)
        return found[0] if found else None

    def lookup_all(self, name: str) -> list[Place]:
        """Every candidate for a name."""
        return list(PLACES.get(name, []))


@contextmanager
def stub_gazetteer() -> Iterator[StubGazetteer]:
    """Use the stub for the duration of a ``with`` block, then restore the default."""
    g = StubGazetteer()
    set_gazetteer(g)
    try:
        yield g
    finally:
        set_gazetteer(None)


def test_stub_finds_longest_name_first() -> None:
    found = StubGazetteer().find("Militiamen held the Haditha Dam near Haditha.")
    assert [(t[0], t[1], t[2].name) for t in found] == [(20, 31, "Haditha Dam"), (37, 44, "Haditha")]


def test_stub_lookup_all_lists_every_candidate() -> None:
    assert [p.city for p in StubGazetteer().lookup_all("Mansour")] == ["Baghdad", "Mosul"]
