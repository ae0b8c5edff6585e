"""Region codes for people: one display name per region, and codes typed in any case.

Every place that shows a region's name (tally rows, the web API, the dashboard, ``casualty tables``)
takes it from :func:`display_name`, so a change of naming (e.g. English names for the gazetteer's
world data) reaches every view at once. Codes typed by a person (``--region iq-bg``,
``/regions/iq-bg``) go through :func:`normalise_code`, which also tells an unknown code apart from
a known region that simply has no casualties yet.
"""

from __future__ import annotations

from functools import cache

import pycountry

from extractors.gazetteer import REGIONS

UNKNOWN_REGION = "unknown"
"""The region code of incidents whose place could not be resolved."""


class UnknownRegion(ValueError):
    """A region code that is neither an ISO 3166-2 subdivision, a country, nor ``unknown``."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown region {code!r}: expected an ISO 3166-2 code such as IQ-BG, or 'unknown'")
        self.code = code


@cache
def _subdivision_name(code: str) -> str | None:
    sub = pycountry.subdivisions.get(code=code)
    return str(sub.name) if sub is not None else None


@cache
def country_name(alpha2: str) -> str | None:
    """English short name of an ISO 3166-1 alpha-2 country code ("SY" -> "Syria"), or None."""
    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


@cache
def _gazetteer_name(code: str) -> str | None:
    # (the gazetteer build's small table of English region names: showing a table does not load
    # the gazetteer itself)
    from extractors.gazetteer import region_display_name

    return region_display_name(code)


def display_name(code: str, written: str | None = None) -> str | None:
    """The one display name of a region code.

    Iraq's governorates have curated English names (:data:`extractors.gazetteer.REGIONS`). Other
    regions take the gazetteer's name for the code when it has one, else the name the extractor
    resolved (``written``: the incident's ``location.region``, from the gazetteer's world data),
    else ISO's name, else None. Rows read back from the tallies topic go through here again, so a
    renamed region shows its new name everywhere at once.
    """
    if code in REGIONS:
        return REGIONS[code]
    if code and code != UNKNOWN_REGION:
        name = _gazetteer_name(code)
        if name:
            return name
    if written:
        return written
    if code == UNKNOWN_REGION or not code:
        return None
    if "-" in code:
        return _subdivision_name(code)
    return country_name(code)


def country_of(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 country of a region code (``IQ-BG`` -> ``IQ``); None for ``unknown``."""
    if not code or code == UNKNOWN_REGION:
        return None
    return code.split("-", 1)[0].upper()


def is_known(code: str) -> bool:
    """True for ``unknown``, an ISO 3166-2 subdivision code, a country code, or a curated Iraqi code."""
    if code == UNKNOWN_REGION or code in REGIONS:
        return True
    if "-" in code:
        return _subdivision_name(code) is not None
    return country_name(code) is not None


def normalise_code(text: str) -> str:
    """A region code as typed (any case, blanks around) -> its canonical form; raises :class:`UnknownRegion`.

    >>> normalise_code(" iq-bg ")
    'IQ-BG'
    >>> normalise_code("UNKNOWN")
    'unknown'
    """
    code = text.strip()
    if code.lower() == UNKNOWN_REGION:
        return UNKNOWN_REGION
    code = code.upper()
    if not is_known(code):
        raise UnknownRegion(text.strip())
    return code
