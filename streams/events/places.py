"""Where an incident happened, as keys that two reports can be compared on.

A :class:`PlaceKey` holds the country, the region (ISO 3166-2), the city and, when the report is
finer than the city, the spot (a neighbourhood, district or site). Names are folded with the
gazetteer's own keys (:func:`extractors.gazetteer.name_keys`: case, diacritics, "al-" prefixes),
and a place without a city is looked up in the gazetteer (:mod:`extractors.gazetteer`) to find
the city it lies in. A spot the gazetteer knows as a neighbourhood or district of a city is
*known*; other spots ("a bus station", "All Saints Church") are sites, compared by their key only.

:func:`relate` tells how two places stand: the same spot, the same city (or one inside the
other: a neighbourhood and its city), a city inside the region the other report gives, the same
region only, nothing to
compare, or a conflict (different countries, regions or cities, or two different known
neighbourhoods of one city).
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from extractors.gazetteer import Place, default_gazetteer, name_keys
from schemas.records import Location

_FINER_THAN_CITY = frozenset(("site", "neighbourhood", "district"))


class PlaceRelation(Enum):
    """How two places stand, from the strongest "same event" evidence to a veto."""

    SAME_SPOT = "same_spot"
    SAME_CITY = "same_city"
    IN_REGION = "city_in_region"
    SAME_REGION = "same_region"
    UNKNOWN = "unknown_place"
    CONFLICT = "different_place"


class PlaceKey(NamedTuple):
    """Folded keys of a place; ``known_spot`` says the gazetteer knows ``spot`` inside ``city``."""

    country: str | None = None
    region: str | None = None
    city: str | None = None
    spot: str | None = None
    known_spot: bool = False

    def names(self) -> tuple[str, ...]:
        """Every name of this place (to drop from the text compared)."""
        return tuple(n for n in (self.city, self.spot) if n)


def fold(name: str | None) -> str | None:
    """The gazetteer's main key of a name ("al-Karrada" -> "karrada"), or None."""
    return _fold(name) if name else None


@lru_cache(maxsize=8192)
def _fold(name: str) -> str | None:
    keys = name_keys(name)
    return keys[0] if keys else None


@lru_cache(maxsize=4096)
def _lookup(name: str) -> Place | None:
    return default_gazetteer().lookup(name)


def place_key(location: Location) -> PlaceKey:
    """The comparable keys of an incident's location."""
    region = location.region_code or None
    country = location.country or (region.split("-")[0] if region else None)
    city = fold(location.city)
    spot = None
    known = False
    name = location.place or location.name
    if location.precision in _FINER_THAN_CITY and name:
        spot = fold(name)
        found = _lookup(name)
        if found is not None and found.kind in ("neighbourhood", "district") and found.city:
            known = True
            city = city or fold(found.city)
        if spot == city:
            spot, known = None, False
    elif city is None and name and location.precision == "city":
        found = _lookup(name)
        city = fold(found.city) if found is not None and found.city else fold(name)
    return PlaceKey(country, region, city, spot, known)


def relate(a: PlaceKey, b: PlaceKey, b_spots: frozenset[tuple[str, bool]] | None = None) -> PlaceRelation:
    """How place ``a`` stands to place ``b`` (``b_spots``: every spot an event's reports gave)."""
    if a.country and b.country and a.country != b.country:
        return PlaceRelation.CONFLICT
    if a.region and b.region and a.region != b.region:
        return PlaceRelation.CONFLICT
    if a.city and b.city:
        if a.city != b.city:
            return PlaceRelation.CONFLICT
        spots = b_spots if b_spots is not None else (
            frozenset(((b.spot, b.known_spot),)) if b.spot else frozenset())
        if a.spot and spots:
            if any(a.spot == s for s, _ in spots):
                return PlaceRelation.SAME_SPOT
            if a.known_spot and all(known for _, known in spots):
                return PlaceRelation.CONFLICT
        return PlaceRelation.SAME_CITY
    if (a.city or b.city) and a.region and b.region:
        return PlaceRelation.IN_REGION  # a city inside the region the other report gives
    if a.region and b.region:
        return PlaceRelation.SAME_REGION
    return PlaceRelation.UNKNOWN
