"""An article's country context, and the choice among places that share a name.

A wire story names its country in a few ways before (or instead of) naming the place of the
event: the dateline ("KABUL (Reuters) -", "MOGADISHU, Somalia (AP) -"; where the reporter
filed, which sets the country but is not the event's place), the country itself ("in northern
Burkina Faso", "Syria's"), adjectives and demonyms ("Nigerian troops", "a Somali official"),
places that can only be in one country, and the outlet (a national paper writes mostly about its
own country). :func:`article_context` weighs them into a ranked list of countries.

:func:`choose` picks one place among the candidates of a name with that context:

1. the candidates in the best-ranked context country that has any (in the gazetteer's order:
   Iraq's curated places first, then cities before regions, then population);
2. without such a candidate, the candidates in one country that borders the article's first
   country, when no other neighbour has one ("Israeli forces" in Bethlehem: the West Bank's, not
   South Africa's or Pennsylvania's);
3. else the most populous one when it is clearly the best known: its
   population is at least :data:`DOMINANCE` times that of any candidate in another region
   ("Paris" is the French capital, "Tripoli" the Libyan one);
4. otherwise no place: when every candidate is in one country, that country (precision
   ``country``: "Springfield" in the United States), else None. A confident wrong region is
   worse than none.

Iraq is unchanged: with no foreign context, an Iraqi candidate keeps its place first, exactly as
:meth:`extractors.gazetteer.Gazetteer.lookup` ranks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Protocol

from extractors.gazetteer import Place, _ascii_classes, _start_spans
from extractors.record import COMPILED

DOMINANCE: Final = 3
"""How many times more populous the best-known candidate must be than any other region's."""

# Weights of the signals (see article_context).
W_DATELINE_COUNTRY: Final = 4.0
W_DATELINE_CITY: Final = 3.0
W_COUNTRY_NAMED: Final = 2.0
W_TITLE_COUNTRY: Final = 2.0
W_ADJECTIVE: Final = 1.5
W_PLACE: Final = 1.0
W_OUTLET: Final = 1.5
REPORTER_YIELD: Final = 2.0
"""Evidence from the text itself (a place and an adjective, a named country) from which a
country outranks a dateline's country that nothing else in the text supports."""
# (caps per country, so a long story that repeats "Iraqi" cannot outweigh its own dateline)
CAP_NAMED: Final = 3
CAP_ADJECTIVE: Final = 3
CAP_PLACE: Final = 4
MIN_SCORE: Final = 1.5
"""A country counts as context from this weight on: one place mention alone (a person named like
a town) does not make an article about that place's country."""
MIN_PLACES_SCORE: Final = 3.0
FAMOUS: Final = 100_000
"""Outside the article's countries, a shared name is taken only for a place this populous."""

# "KABUL (Reuters) -", "MOGADISHU, Somalia (AP) -", "SRINAGAR:", "By A Reporter-KABUL:", "( Kirkuk -"
_DATELINE: Final = re.compile(
    r"\A\W{0,3}(?:date \S+\s+)?(?:By [^\n]{1,60}?[-\u2013\u2014:]\s*)?"
    r"(?P<city>[A-Z][A-Za-z\u00c0-\u024f'\u2019.\-]*(?: [A-Z][A-Za-z\u00c0-\u024f'\u2019.\-]*){0,3})"
    r"\s*(?:,\s*(?P<country>[A-Z][A-Za-z\u00c0-\u024f'\u2019.\-]*(?: [A-Za-z][A-Za-z'\u2019.\-]*){0,3}?)\s*,?\s*)?"
    # the date some outlets add: "MOMBASA, Kenya, March 9, 2016 (Coast Herald)-", "QUETTA, Dec 3 (Wire):"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8}(?: \d{4})?)\s*)?"
    r"(?:(?:\([A-Za-z .\-/]{1,30}\)\s*)?(?:--|[-\u2013\u2014:])(?:\s|(?=[A-Z]))"
    # an agency's one-word name closes it with no dash: "Srinagar, Nov 30 (IANS) Two militants ..."
    r"|\([A-Z][A-Za-z]{1,11}\) (?=[A-Z]))"
)


class GeoIndex(Protocol):
    """What this module uses of :class:`extractors.gazetteer.Gazetteer`."""

    def lookup_all(self, name: str, *, minor: bool = False) -> list[Place]:
        """Every place a name can mean, best first."""
        ...

    def find(self, text: str) -> list[tuple[int, int, Place]]:
        """Every mention in ``text``."""
        ...

    def country(self, code: str) -> Place | None:
        """The country entry of a code."""
        ...

    def adjectives(self) -> dict[str, str]:
        """Adjective key -> country code."""
        ...

    def outlet_country(self, source: str | None) -> str | None:
        """A national outlet's country."""
        ...

    def neighbours(self, code: str) -> tuple[str, ...]:
        """The countries that border a country."""
        ...


class CountryContext:
    """Countries an article is about, with their weights (:func:`article_context`)."""

    __slots__ = ("dateline", "ranked", "scores")

    def __init__(self, scores: dict[str, float], dateline: Place | None = None,
                 places_only: dict[str, float] | None = None, reporter_only: str | None = None) -> None:
        """``scores``: country code -> weight; ``dateline``: the place the dateline names;
        ``places_only``: the countries whose whole weight comes from place mentions, which count
        only from :data:`MIN_PLACES_SCORE` on (two Iraqi towns named like the people of an
        Afghan story do not make it about Iraq). ``reporter_only``: a country whose only evidence
        is the dateline (where the reporter filed from): it loses a tie with a country the text
        itself places things in (a Syrian story filed from Beirut), and any ranking to a country
        with :data:`REPORTER_YIELD` of evidence from the text (a place and a people's adjective):
        wire services file a region's news from its bureau cities."""
        self.scores = scores
        self.dateline = dateline
        weak = places_only or {}
        # (when no country has other evidence, one place of a country is enough)
        alone = bool(weak) and len(weak) == len(scores)
        rank = scores  # (the weights as ranked: the reporter's country may yield, its score stays)
        if reporter_only is not None and reporter_only in scores and any(
                c != reporter_only and v >= REPORTER_YIELD for c, v in scores.items()):
            rank = {**scores, reporter_only: min(scores[reporter_only], W_PLACE)}
        self.ranked: tuple[str, ...] = tuple(sorted(
            (c for c, s in scores.items()
             if s >= (W_PLACE if alone else MIN_PLACES_SCORE if c in weak else MIN_SCORE)),
            key=lambda c: (-rank[c], c == reporter_only, c)))

    @property
    def primary(self) -> str | None:
        """The country the article is most about, or None."""
        return self.ranked[0] if self.ranked else None

    def __repr__(self) -> str:
        return f"CountryContext({self.scores!r}, dateline={self.dateline!r})"


EMPTY: Final = CountryContext({})


def _add(scores: dict[str, float], counts: dict[tuple[str, str], int], kind: str, cc: str, weight: float,
         cap: int) -> None:
    n = counts.get((kind, cc), 0)
    if n < cap:
        counts[(kind, cc)] = n + 1
        scores[cc] = scores.get(cc, 0.0) + weight


_ADJ_CACHE: dict[int, dict[str, str]] = {}
ADJECTIVE_SPAN: Final = 1500
"""Adjectives are read in the opening of a story (its lead and first paragraphs), where they
say what the story is about; later ones are mostly background."""


def _adjective_table(g: GeoIndex) -> dict[str, str]:
    """Capitalised adjective or demonym -> country code (built once per gazetteer). Scanning the
    capitalised words of a text and looking each up is some 30 times faster than one regex with
    every adjective as an alternative."""
    hit = _ADJ_CACHE.get(id(g))
    if hit is None:
        hit = _ADJ_CACHE[id(g)] = {key.title(): cc for key, cc in g.adjectives().items()}
    return hit


def adjective_countries(text: str, g: GeoIndex, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """The country of every adjective or demonym in the opening of ``text`` (:data:`ADJECTIVE_SPAN`
    characters), in order; "South Sudanese" is South Sudan's, not Sudan's. ``spans``: the
    capitalised words and numbers of that opening (:func:`extractors.gazetteer.start_spans`)
    when the caller has them."""
    table = _adjective_table(g)
    text = text[:ADJECTIVE_SPAN]
    if spans is None:
        # (the gazetteer's scan for capitalised words: native code when compiled, no regex per word)
        spans = _start_spans(text, _ascii_classes(text) if COMPILED else None)
    out = []
    n = len(spans)
    for i in range(n):
        s, e = spans[i]
        if i + 1 < n and spans[i + 1][0] == e + 1 and text[e] == " ":
            pair = table.get(text[s : spans[i + 1][1]])
            if pair is not None:
                if not _weapon_after(text, spans[i + 1][1]):
                    out.append(pair)
                continue
        cc = table.get(text[s:e])
        if cc is not None and not (i > 0 and spans[i - 1][1] == s - 1 and
                                   text[spans[i - 1][0] : e] in table) and not _weapon_after(text, e):
            out.append(cc)
    return out


_WEAPONS: Final = frozenset((
    "missile", "missiles", "strike", "strikes", "airstrike", "airstrikes", "air", "drone", "drones", "warplane",
    "warplanes", "jet", "jets", "shelling", "artillery", "rocket", "rockets", "bombardment", "bombing", "bombers",
))
"""Nouns after a country's adjective that name a weapon fired from that country ("Russian missiles
hit a Ukrainian city", "Turkish warplanes over northern Iraq"): the attacker's country, not where
the story is, so the adjective is no evidence of place."""


def _weapon_after(text: str, end: int) -> bool:
    """Whether the word after ``text[:end]`` (an adjective) is one of :data:`_WEAPONS`, or a
    participle joined to it by a hyphen ("Russian-installed officials", "Saudi-led coalition",
    "Iranian-backed militia"): a sponsor or a force, not where the story is, either way."""
    if end >= len(text):
        return False
    if text[end] == "-":
        k = end + 1
        while k < len(text) and text[k].isalpha() and text[k].islower():
            k += 1
        return k - end > 3 and text[k - 2 : k] == "ed"
    if text[end] != " ":
        return False
    j = text.find(" ", end + 1)
    word = text[end + 1 : j if j >= 0 else len(text)].rstrip(",.;:").lower()
    return word in _WEAPONS


_LAST_DATELINE: list[tuple[str, GeoIndex, tuple[Place | None, str | None, int]]] = []
"""The last body read with its dateline: the context and place steps ask for one article's
dateline up to three times, and each reading costs a regex and two gazetteer lookups."""


def parse_dateline(body: str, g: GeoIndex) -> tuple[Place | None, str | None, int]:
    """``(place, country code, end offset)`` of the dateline that opens ``body`` (or the first
    line after a few short lines of page furniture), or ``(None, None, 0)``. The city must be a
    place the gazetteer knows (or a country)."""
    last = _LAST_DATELINE
    if last:
        seen = last[0]
        if seen[0] is body and seen[1] is g:
            return seen[2]
    found = _read_dateline(body, g)
    if last:
        last[0] = (body, g, found)
    else:
        last.append((body, g, found))
    return found


_DATELINE_PLACES: dict[tuple[GeoIndex, str, str | None], tuple[Place | None, str | None, bool]] = {}
"""(gazetteer, city, country words) -> (place, country code, whether the dateline counts): a feed
names the same few dateline cities again and again, and each reading costs three lookups."""


_FURNITURE_LINE: Final = 100
"""A line shorter than this before the dateline is page furniture (a byline, "Staff Reporter", a
publication date), not the story's first paragraph."""
_FURNITURE_LINES: Final = 3


def _read_dateline(body: str, g: GeoIndex) -> tuple[Place | None, str | None, int]:
    # the dateline opens the body, or the first line after a few short lines of furniture
    # ("By A Reporter", "Published: 30 November") that a stored page keeps above the story
    pos = 0
    for _ in range(_FURNITURE_LINES + 1):
        chunk = body[pos : pos + 200]
        line, _, rest = chunk.partition("\n")
        # (every dateline holds a dash, a colon or an agency's parenthesis on its line, or opens
        # the next line with its dash ("Dakar\n- Six soldiers ..."): the regex, slow on a line of
        # capitalised words, is not tried on a line without one)
        m = _DATELINE.match(chunk) if ("-" in line or ":" in line or "(" in line or "\u2014" in line
                                       or "\u2013" in line or rest.lstrip()[:1] in ("-", "\u2014", "\u2013", ":")) \
            else None
        if m is not None:
            key = (g, m.group("city"), m.group("country"))
            known = _DATELINE_PLACES.get(key)
            if known is None:
                if len(_DATELINE_PLACES) > 4096:
                    _DATELINE_PLACES.clear()
                known = _DATELINE_PLACES[key] = _dateline_place(g, m.group("city"), m.group("country"))
            place, cc, counts = known
            if counts:
                return place, cc, pos + m.end()
        end = body.find("\n", pos, pos + _FURNITURE_LINE)
        if end < 0 or body[pos:end].rstrip()[-1:] in (".", "!", "?", ":", '"', "\u201d"):
            break  # (a sentence or a heading: the story has begun)
        pos = end + 1
        while body[pos : pos + 1] in ("\n", " ", "\r", "\t") and pos < len(body):
            pos += 1
    return None, None, 0


def _dateline_place(g: GeoIndex, city: str, country: str | None) -> tuple[Place | None, str | None, bool]:
    """The place and country code a dateline's city and country words name, and whether the
    dateline counts (a country code, or a city of the gazetteer)."""
    cc: str | None = None
    if country:
        for p in g.lookup_all(country):
            if p.kind == "country":
                cc = p.country
                break
    candidates = [p for p in g.lookup_all(city, minor=True) if p.kind != "country"]
    countries = [p for p in g.lookup_all(city) if p.kind == "country"]
    if cc is not None:
        candidates = [p for p in candidates if p.country == cc]
    if not candidates:
        if countries:
            return countries[0], countries[0].country, True
        return (g.country(cc) if cc else None), cc, cc is not None
    # a dateline names a well-known city: the most populous of the name
    best = max(candidates, key=lambda p: (p.population, -candidates.index(p)))
    return best, cc or best.country, True


# "in northern Burkina Faso", "across Syria", "of Egypt": the country is where things happen
_LOCATED_WORDS: Final = frozenset(("in", "across", "inside", "of", "from", "throughout"))
_LOCATED_SKIP: Final = frozenset((
    "the", "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
    "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern", "north-western",
    "south-eastern", "south-western", "restive", "neighbouring", "neighboring", "mainland"))
W_COUNTRY_ASIDE: Final = 0.5
"""A country named otherwise ("talks between Israel and ...", "brought to Turkey")."""


def located(body: str, start: int, end: int) -> bool:
    """Whether a country named at ``body[start:end]`` is named as where something is ("in
    northern Mali", "Syria's")."""
    if body[end : end + 2] in ("'s", "\u2019s"):
        return True
    # (the words before it, read backwards past compass words and "the": no regex, which would
    # be tried at every one of the 40 characters)
    words = body[max(0, start - 48) : start].lower().split()
    i = len(words) - 1
    while i >= 0 and words[i] in _LOCATED_SKIP:
        i -= 1
    return i >= 0 and words[i] in _LOCATED_WORDS


def article_context(body: str, title: str | None, source: str | None,
                    mentions: Iterable[tuple[int, int, Place]], g: GeoIndex,
                    opening_spans: list[tuple[int, int]] | None = None) -> CountryContext:
    """Weigh the signals of an article's country (module docstring). ``mentions``: places found
    in the body with their offsets (datelines excluded); ``opening_spans``: the capitalised words
    of the body's opening, for :func:`adjective_countries`, when the caller has them."""
    scores: dict[str, float] = {}
    counts: dict[tuple[str, str], int] = {}
    place, cc, dateline_end = parse_dateline(body, g)
    if cc is not None:
        explicit = place is not None and place.kind == "country"
        scores[cc] = W_DATELINE_COUNTRY if explicit or cc != (place.country if place else None) else W_DATELINE_CITY
        if place is not None and place.kind != "country":
            scores[cc] = max(scores[cc], W_DATELINE_CITY)
    for start, end, p in mentions:
        if start < dateline_end:
            continue  # the dateline itself, already weighed
        if p.kind == "country":
            if located(body, start, end):
                _add(scores, counts, "named", p.country, W_COUNTRY_NAMED, CAP_NAMED)
            else:
                _add(scores, counts, "aside", p.country, W_COUNTRY_ASIDE, CAP_NAMED)
            continue
        if p.needs_context:
            # a shared name tells the country when one of its places is clearly the best known
            famous = choose(g.lookup_all(body[start:end]), EMPTY)
            if famous is None or famous.kind == "country":
                continue
            p = famous
        _add(scores, counts, "place", p.country, W_PLACE, CAP_PLACE)
    if title:
        for _, _, p in g.find(title):
            if p.kind == "country":
                _add(scores, counts, "title", p.country, W_TITLE_COUNTRY, 1)
            elif not p.needs_context:
                _add(scores, counts, "place", p.country, W_PLACE, CAP_PLACE)
        for adj_cc in adjective_countries(title, g):  # "Eight Burkinabe soldiers killed in ..."
            _add(scores, counts, "title", adj_cc, W_TITLE_COUNTRY, 1)
    for adj_cc in adjective_countries(body, g, opening_spans):
        _add(scores, counts, "adjective", adj_cc, W_ADJECTIVE, CAP_ADJECTIVE)
    outlet = g.outlet_country(source)
    if outlet:
        scores[outlet] = scores.get(outlet, 0.0) + W_OUTLET
    other = {cc for (kind, cc) in counts if kind != "place"} | ({cc} if cc else set()) | ({outlet} if outlet else set())
    places_only = {c: v for c, v in scores.items() if c not in other}
    reporter_only = cc if cc is not None and cc != outlet and not any(c == cc for (_, c) in counts) else None
    return CountryContext(scores, place if place is not None and place.kind != "country" else None, places_only,
                          reporter_only)


def _groups(cands: list[Place]) -> dict[tuple[str, str | None], int]:
    """Population of each (country, region) among the candidates: the largest member's. A
    candidate without a region joins its country's region when the country has only one."""
    out: dict[tuple[str, str | None], int] = {}
    for p in cands:
        key = (p.country, p.region_code)
        out[key] = max(out.get(key, 0), p.population)
    for key, pop in list(out.items()):
        if key[1] is None:
            others = [k for k in out if k[0] == key[0] and k[1] is not None]
            if len(others) == 1:
                del out[key]
                out[others[0]] = max(out[others[0]], pop)
    return out


def _dominant(cands: list[Place], minimum: int = 1000) -> Place | None:
    """The candidate whose region is clearly the best known (and has ``minimum`` people), or the
    only region's best."""
    groups = _groups(cands)
    if len(groups) == 1:
        top = max(groups.values())
        return cands[0] if top >= minimum or minimum <= 1000 else None
    ranked = sorted(groups.items(), key=lambda kv: -kv[1])
    (top_key, top_pop), (_, second_pop) = ranked[0], ranked[1]
    if top_pop >= DOMINANCE * max(second_pop, 1) and top_pop >= minimum:
        for p in cands:
            if (p.country, p.region_code) == top_key or (p.country == top_key[0] and p.region_code is None):
                return p
    return None


def _across_border(cands: list[Place], cc: str, g: GeoIndex) -> Place | None:
    """The place a name means just across the border of the article's country ``cc`` ("Israeli
    forces" in a Bethlehem, "Pakistani shelling" of an Afghan town), when it names a place in one
    neighbouring country only; None when no neighbour, or several, have one."""
    near = g.neighbours(cc)
    if not near:
        return None
    inside = [p for p in cands if p.country in near]
    if not inside or any(p.country != inside[0].country for p in inside):
        return None
    return _dominant(inside)


def choose(cands: list[Place], ctx: CountryContext, g: GeoIndex | None = None) -> Place | None:
    """The place a name means in an article with context ``ctx`` (rules in the module
    docstring); a country entry when only the country is certain (needs ``g``), or None."""
    if not cands:
        return None
    for cc in ctx.ranked:
        inside = [p for p in cands if p.country == cc]
        if inside:
            if cc == "IQ":  # Iraq's curated order (no populations): as Gazetteer.lookup ranks it
                return inside[0]
            best = _dominant(inside)
            if best is not None:
                return best
            return g.country(cc) if g is not None else None
    if not ctx.ranked and cands[0].country == "IQ":
        return cands[0]
    if g is not None and ctx.ranked:
        across = _across_border(cands, ctx.ranked[0], g)
        if across is not None:
            return across
    best = _dominant(cands, FAMOUS if ctx.ranked else 1000)
    if best is not None:
        return best
    if ctx.ranked:
        return None
    countries = {p.country for p in cands}
    if len(countries) == 1 and g is not None:
        return g.country(next(iter(countries)))
    return None
