"""Evidence that an incident reports an event already known, and the rule that decides.

An incident is compared with every open event of its partition (its region) whose days can
match. Some evidence vetoes the pair; the rest adds points, and the incident joins the
best-scoring event when the total reaches :attr:`MatchRules.threshold` (5.5), else it starts a
new event. The weights are log-odds in spirit (how much more often the evidence is seen between
two reports of one event than between reports of two events), set by hand and checked with
``casualty eval --events`` on the dev corpus wire stories and on our own fixtures.

Vetoes: the event already has a report from the same article; two named days more than
``day_tolerance`` (1) apart, or a range implied by a publication date that does not reach the
event's days (a follow-up published up to ``late_report_days`` (3) after the event and naming no
day is let through at the same spot, or in the same city against the same kind of target, with
no day points); a different country, region or city, or two different neighbourhoods of one
city that the gazetteer knows; both report bodies found, in a different number. An undated
report that names a month and day ("the May 31 bombing") is compared like a named day.

Points (:class:`MatchRules`):

* place: same spot (neighbourhood, district or site) +3; same city, or a spot inside the city
  +2; a city against the region the other report gives +1; both only the region +1;
* day: both name the same day +2; both name a day, a different one -1; the same implied range,
  or a named day inside the other's range +1; otherwise 0;
* method: the same (not unknown/other) +1; the same family (explosive, air, artillery,
  firearms, execution, bodies) +0.5; different families -2;
* victims: a group in common +0.5, none in common -0.5;
* counts: the same killed figure as one of the event's reports +1; killed figures more than 10
  times apart -1; both 25 casualties or more (killed plus wounded), on days known to fit, with
  killed figures at most 4 times apart +1.5 (two such attacks in one place on the same days are
  rare; an early toll and a later one are often far apart, so the same figure is not required);
* target kind (:data:`streams.events.wording.TARGET_WORDS`): one in common +2, none in common -1;
* words (:func:`streams.events.wording.similarity`): 4 x the overlap, at most 1 per shared word.

Unknown evidence (no place, no date, method unknown or other) adds nothing either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, NamedTuple

from schemas.records import Incident
from streams.events.dates import DayRange, incident_day_range, named_month_day, named_weekday
from streams.events.places import PlaceKey, PlaceRelation, place_key, relate
from streams.events.wording import content_keys, similarity, targets

UNKNOWN_KEY: Final = "unknown"
"""Partition key of incidents without a region (the ``incidents`` topic's key too)."""

METHOD_FAMILY: Final[dict[str, str | None]] = {
    "ied": "explosive", "car_bomb": "explosive", "suicide_bombing": "explosive",
    "airstrike": "air", "shelling": "artillery",
    "gunfire": "firearms", "sniper": "firearms", "armed_clash": "firearms",
    "execution": "execution", "bodies_found": "bodies",
    "other": None, "unknown": None,
}  # fmt: skip
"""Methods that outlets use for one attack fall in one family; ``other``/``unknown`` match any."""


@dataclass(frozen=True, slots=True)
class MatchRules:
    """The weights and limits of matching (defaults: the documented rule)."""

    threshold: float = 5.5
    day_tolerance: int = 1
    late_report_days: int = 3
    same_spot: float = 3.0
    same_city: float = 2.0
    city_in_region: float = 1.0
    same_region: float = 1.0
    same_named_day: float = 2.0
    compatible_days: float = 1.0
    other_named_day: float = -1.0
    same_method: float = 1.0
    same_family: float = 0.5
    other_family: float = -2.0
    shared_victims: float = 0.5
    other_victims: float = -0.5
    same_killed: float = 1.0
    far_killed: float = -1.0
    far_killed_ratio: float = 10.0
    mass_casualties: int = 25
    both_mass: float = 1.5
    mass_killed_ratio: float = 4.0
    same_target: float = 2.0
    other_target: float = -1.0
    text_weight: float = 4.0
    text_per_word: float = 1.0


DEFAULT_RULES: Final = MatchRules()

_PLACE_POINTS: Final = {
    PlaceRelation.SAME_SPOT: "same_spot",
    PlaceRelation.SAME_CITY: "same_city",
    PlaceRelation.IN_REGION: "city_in_region",
    PlaceRelation.SAME_REGION: "same_region",
}


class IncidentFacts(NamedTuple):
    """What matching compares of one incident, computed once."""

    incident: Incident
    key: str
    place: PlaceKey
    days: DayRange | None
    method: str
    family: str | None
    victims: frozenset[str]
    words: frozenset[str]
    targets: frozenset[str]
    weekday: int | None = None
    """For a report without a date only: the weekday its text names (Monday = 0)."""
    month_day: tuple[int, int] | None = None
    """For a report without a date only: the (month, day) its text names ("the May 31 bombing")."""


def partition_key(incident: Incident) -> str:
    """The partition of an incident's events: its region code, or ``unknown``."""
    return incident.location.region_code or UNKNOWN_KEY


def victim_groups(incident: Incident) -> frozenset[str]:
    """The known victim groups of an incident (``unknown`` and ``mixed`` left out)."""
    groups: set[str] = {v.category for v in incident.victims if v.killed or v.wounded}
    if incident.victim_category not in ("mixed", "unknown"):
        groups.add(incident.victim_category)
    groups.discard("unknown")
    return frozenset(groups)


def facts_of(incident: Incident) -> IncidentFacts:
    """The comparable facts of an incident."""
    place = place_key(incident.location)
    loc = incident.location
    text = incident.evidence.text
    if place.spot and not place.known_spot:  # a site's own words ("bus station") tell the target
        text = f"{text} {loc.name or ''} {loc.place or ''}"
    drop = tuple(n for n in (loc.city, loc.region, place.spot if place.known_spot else None) if n)
    words = content_keys(text, drop)
    # (the extractor's time cue may come from a later sentence that told the incident again: it
    # dates the report when the evidence names no day; a day phrase of the evidence, read first,
    # still wins, and a cue inside the evidence is read there, where "said on Saturday" dates
    # the statement)
    cue, text = incident.time_cue, incident.evidence.text
    day_text = f"{text} {cue}" if cue and cue.lower() not in text.lower() else text
    days = incident_day_range(day_text, incident.published, incident.event_date)
    return IncidentFacts(
        incident=incident,
        key=partition_key(incident),
        place=place,
        days=days,
        method=incident.method,
        family=METHOD_FAMILY.get(incident.method),
        victims=victim_groups(incident),
        words=words,
        targets=targets(words),
        weekday=named_weekday(day_text) if days is None else None,
        month_day=named_month_day(day_text) if days is None else None,
    )


@dataclass(slots=True)
class EventView:
    """What matching compares of an open event (kept up to date by the resolver)."""

    place: PlaceKey
    spots: frozenset[tuple[str, bool]]
    days: DayRange | None
    named_days: frozenset[date]
    methods: frozenset[str]
    families: frozenset[str]
    victims: frozenset[str]
    killed_figures: frozenset[int]
    killed: int
    words: frozenset[str]
    casualties: int = 0
    """The resolved killed plus wounded (for :attr:`MatchRules.mass_casualties`)."""
    targets: frozenset[str] = field(default_factory=frozenset)
    articles: frozenset[str] = field(default_factory=frozenset)


class Score(NamedTuple):
    """The total and the evidence behind it (``vetoed``: the event cannot be this one)."""

    total: float
    evidence: tuple[str, ...]
    vetoed: bool = False


_VETOES: Final = {reason: Score(float("-inf"), (reason,), True)
                  for reason in ("same_article", "different_day", "different_place", "different_discovery")}


def _veto(reason: str) -> Score:
    return _VETOES[reason]


def score(facts: IncidentFacts, event: EventView, rules: MatchRules = DEFAULT_RULES,
          explain: bool = False) -> Score:
    """How strongly ``facts`` says it reports ``event`` (see the module table); with ``explain``
    the evidence names are listed too (the resolver asks only for the pairs it keeps)."""
    inc = facts.incident
    if inc.article_id in event.articles:
        return _veto("same_article")
    total = 0.0
    dated = False  # (a day in common: the days are known to fit, not merely not known to differ)
    why: list[str] | None = [] if explain else None
    days, event_days = facts.days, event.days
    if days is None and facts.weekday is not None and event_days is not None:
        # an undated report that names a weekday ("on Sunday"): the event's days must hold it
        span = [event_days.lo + timedelta(days=d) for d in range((event_days.hi - event_days.lo).days + 1)]
        if any(day.weekday() == facts.weekday for day in span):
            total += rules.compatible_days
            dated = True
            if why is not None:
                why.append("weekday_fits")
        elif not any(abs((day.weekday() - facts.weekday + 3) % 7 - 3) <= rules.day_tolerance for day in span):
            return _veto("different_day")
    if days is None and facts.month_day is not None and event_days is not None:
        # an undated report that names a month and day ("the May 31 bombing"): a named day of its
        # own, compared with the event's days as any two named days are
        span = [event_days.lo + timedelta(days=d) for d in range((event_days.hi - event_days.lo).days + 1)]
        near = [day for day in span for d in range(-rules.day_tolerance, rules.day_tolerance + 1)
                if ((day + timedelta(days=d)).month, (day + timedelta(days=d)).day) == facts.month_day]
        if not near:
            return _veto("different_day")
        if any((day.month, day.day) == facts.month_day for day in event.named_days):
            total += rules.same_named_day
            dated = True
            if why is not None:
                why.append("same_named_day")
        elif any((day.month, day.day) == facts.month_day for day in span):
            total += rules.compatible_days
            dated = True
            if why is not None:
                why.append("compatible_days")
    late = False
    if days is not None and event_days is not None:
        # the tolerance covers two named days (reports after midnight, time zones); an implied
        # range already spans the days a report without a day word may be about
        gap = days.gap(event_days)
        if gap > (rules.day_tolerance if days.named and event_days.named else 0):
            # a follow-up published days later that names no day ("more than 79 were killed,
            # the government said") may still tell the event: only at the same spot, or in the
            # same city against the same kind of target (:attr:`MatchRules.late_report_days`)
            late = not days.named and event_days.hi < days.lo and gap <= rules.late_report_days
            if not late:
                return _veto("different_day")
        if late:
            pass
        elif days.named and days.lo in event.named_days:
            total += rules.same_named_day
            dated = True
            if why is not None:
                why.append("same_named_day")
        elif days.named and event_days.named:
            total += rules.other_named_day
            if why is not None:
                why.append("other_named_day")
        elif days == event_days or (days.named and event_days.lo <= days.lo <= event_days.hi) or (
            event_days.named and days.lo <= event_days.lo <= days.hi
        ):
            total += rules.compatible_days
            dated = True
            if why is not None:
                why.append("compatible_days")
    relation = relate(facts.place, event.place, event.spots)
    if relation is PlaceRelation.CONFLICT:
        return _veto("different_place")
    if late and not (relation is PlaceRelation.SAME_SPOT or (
            relation is PlaceRelation.SAME_CITY and facts.targets & event.targets)):
        return _veto("different_day")
    if late and why is not None:
        why.append("late_report")
    if relation is not PlaceRelation.UNKNOWN:
        # (identity tests and plain attributes: a dict keyed by the enum hashes it in Python)
        if relation is PlaceRelation.SAME_SPOT:
            total += rules.same_spot
        elif relation is PlaceRelation.SAME_CITY:
            total += rules.same_city
        elif relation is PlaceRelation.IN_REGION:
            total += rules.city_in_region
        else:
            total += rules.same_region
        if why is not None:
            why.append(_PLACE_POINTS[relation])
    if facts.family is not None and event.families:
        if facts.method in event.methods:
            total += rules.same_method
            if why is not None:
                why.append("same_method")
        elif facts.family in event.families:
            total += rules.same_family
            if why is not None:
                why.append("same_family")
        else:
            total += rules.other_family
            if why is not None:
                why.append("other_family")
    if facts.victims and event.victims:
        if facts.victims & event.victims:
            total += rules.shared_victims
            if why is not None:
                why.append("shared_victims")
        else:
            total += rules.other_victims
            if why is not None:
                why.append("other_victims")
    killed = inc.killed
    mass = dated  # (figures of one size too: see below)
    if facts.method == "bodies_found" and "bodies_found" in event.methods and killed not in event.killed_figures:
        return _veto("different_discovery")
    if killed > 0 and killed in event.killed_figures:
        total += rules.same_killed
        if why is not None:
            why.append("same_killed")
    elif killed > 0 and event.killed > 0:
        ratio = max(killed, event.killed) / min(killed, event.killed)
        if ratio > rules.far_killed_ratio:
            total += rules.far_killed
            if why is not None:
                why.append("far_killed")
        mass = dated and ratio <= rules.mass_killed_ratio
    if mass and killed + inc.wounded >= rules.mass_casualties and event.casualties >= rules.mass_casualties:
        # two attacks with dozens of casualties in one partition on the same days are rare: two
        # such reports that nothing vetoes are likely one event told twice (only when their days
        # are known to fit: two undated reports of a week's two base bombings are not)
        total += rules.both_mass
        if why is not None:
            why.append("both_mass")
    if facts.targets and event.targets:
        if facts.targets & event.targets:
            total += rules.same_target
            if why is not None:
                why.append("same_target")
        else:
            total += rules.other_target
            if why is not None:
                why.append("other_target")
    sim = similarity(facts.words, event.words)
    if sim > 0:
        # (a ratio over one or two words says little: at most text_per_word points per shared word)
        total += min(rules.text_weight * sim, rules.text_per_word * len(facts.words & event.words))
        if why is not None:
            why.append(f"text={sim:.2f}")
    return Score(round(total, 4), tuple(why)) if why is not None else Score(total, ())
