"""Resolve incidents into events: each incident joins an open event or starts a new one.

:class:`Resolver` is pure (no Kafka, no Faust): give it the incidents of one article at a time,
in the order the articles arrive, and it returns what changed. For every change it gives the new
:class:`schemas.records.Event` version, the previous one and the delta of the resolved figures,
so a table can add the delta (and move it between days when the event's date changes) without
recounting. An incident id it has already resolved changes nothing (a redelivered article gives
no change and a zero delta); an article's incidents never join the same event (the extractor
already judged them different events).

Per article and partition: every incident is scored against the open events of its partition
whose days can match (:func:`streams.events.match.score`), the pairs at or above the threshold are taken best first,
each incident and each event at most once, and the incidents left start new events. Before
that the partition's clock moves to the article's publication day, closing old events
(:mod:`streams.events.open_events`). Incidents with nothing counted (0 killed, 0 wounded, no range),
background mentions (a day named more than the window before publication) and, unless the resolver
counts them, incidents the extractor marked ``suspect`` (they failed the article's own self-check, and
the running tables leave them out) are skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from extractors.context import parse_date
from schemas.records import Event, EventSource, Incident
from streams.events.figures import NO_FIGURES, Figures, SourceReport, published_at
from streams.events.match import DEFAULT_RULES, IncidentFacts, MatchRules, Score, facts_of, score
from streams.events.open_events import MemoryStore, OpenEvent, Partition


class EventChange(NamedTuple):
    """One new version of an event, with what a table must change.

    ``delta`` is the new resolved figures minus the previous version's (all of them for a new
    event); ``previous`` is None for a new event. When the event's date changed, the previous
    figures leave the previous day's row and the new ones enter the new day's row:
    :meth:`row_deltas` gives exactly that.
    """

    event: Event
    previous: Event | None
    delta: Figures

    @property
    def is_new(self) -> bool:
        """The first version of the event."""
        return self.previous is None

    def row_deltas(self) -> dict[tuple[str, str | None], tuple[Figures, int]]:
        """``(region key, event day) -> (figures delta, events delta)`` for daily tables."""
        key = self.event.location.region_code or "unknown"
        new_day = self.event.event_date
        if self.previous is None:
            return {(key, new_day): (_figures_of(self.event), 1)}
        old_day = self.previous.event_date
        if old_day == new_day:
            return {(key, new_day): (self.delta, 0)}
        return {
            (key, old_day): (NO_FIGURES.minus(_figures_of(self.previous)), -1),
            (key, new_day): (_figures_of(self.event), 1),
        }


def _figures_of(event: Event) -> Figures:
    return Figures(event.killed, event.wounded, event.killed_min, event.killed_max,
                   event.wounded_min, event.wounded_max)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An incident that changed nothing, and why: ``duplicate`` (already resolved, into
    ``event_id``), ``no_casualties`` or ``background`` (a day before the window)."""

    incident_id: str
    reason: str
    event_id: str | None = None


@dataclass(slots=True)
class Resolution:
    """What one call of :meth:`Resolver.resolve` did."""

    changes: list[EventChange] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    assigned: dict[str, str] = field(default_factory=dict)
    """incident id -> event id, for every incident resolved in this call."""


def event_id_for(incident_id: str) -> str:
    """The id of an event started by an incident: stable across runs and workers."""
    return "ev-" + hashlib.sha256(incident_id.encode("utf-8")).hexdigest()[:20]


def _counts(incident: Incident) -> bool:
    return bool(incident.killed or incident.wounded or incident.killed_min or incident.wounded_min)


class Resolver:
    """Incidents in, event changes out; state in a :class:`MemoryStore` (bounded by its window)."""

    def __init__(self, store: MemoryStore | None = None, rules: MatchRules = DEFAULT_RULES, *,
                 count_suspect: bool = False) -> None:
        """A resolver over ``store`` (a new in-memory one by default) with matching ``rules``;
        ``count_suspect`` resolves ``suspect`` incidents too (the worker's ``--count-suspect``)."""
        self.store = store if store is not None else MemoryStore(day_tolerance=rules.day_tolerance)
        self.rules = rules
        self.count_suspect = count_suspect

    def resolve(self, incidents: Sequence[Incident]) -> Resolution:
        """Resolve the incidents of one article (or one incident); see the module docstring."""
        out = Resolution()
        groups: dict[str, list[IncidentFacts]] = {}
        for incident in incidents:
            facts = facts_of(incident)
            part = self.store.advance(facts.key, incident.published)
            seen = part.seen.get(incident.incident_id)
            if seen is not None:
                out.skipped.append(Skipped(incident.incident_id, "duplicate", seen[0] or None))
                continue
            reason = self._skip_reason(facts)
            if reason is not None:
                part.seen[incident.incident_id] = ("", part.clock)
                out.skipped.append(Skipped(incident.incident_id, reason))
                continue
            groups.setdefault(facts.key, []).append(facts)
        for key, group in groups.items():
            self._resolve_group(self.store.partition(key), key, group, out)
        return out

    def _skip_reason(self, facts: IncidentFacts) -> str | None:
        if not _counts(facts.incident):
            return "no_casualties"
        if facts.incident.status == "suspect" and not self.count_suspect:
            return "suspect"
        published = parse_date(facts.incident.published)
        days = facts.days
        if days is not None and published is not None and days.named and (
            days.hi < published - timedelta(days=self.store.window_days)
        ):
            return "background"
        return None

    def _resolve_group(self, part: Partition, key: str, group: list[IncidentFacts], out: Resolution) -> None:
        chosen = self._choose(part, group)
        for i, facts in enumerate(group):
            match = chosen.get(i)
            if match is None:
                event, found, previous = OpenEvent(event_id_for(facts.incident.incident_id), key), None, None
            else:
                event, found = match
                previous = to_record(event)  # (built again, not kept: fewer objects per open event)
            report = _report(facts, found)
            event.add(report, _source_record(report), facts, part.clock)
            part.put(event)
            part.seen[facts.incident.incident_id] = (event.event_id, part.clock)
            record = to_record(event)
            delta = event.figures.minus(_figures_of(previous) if previous is not None else NO_FIGURES)
            out.changes.append(EventChange(record, previous, delta))
            out.assigned[facts.incident.incident_id] = event.event_id

    def _choose(self, part: Partition, group: list[IncidentFacts]) -> dict[int, tuple[OpenEvent, Score]]:
        """Incident index -> (event, score): pairs at or above the threshold, best first, each
        incident and each event at most once."""
        pairs: list[tuple[float, int, int, OpenEvent, Score]] = []
        for i, facts in enumerate(group):
            place = facts.place
            city, spot = place.city, place.spot if place.known_spot else None
            # (the day tolerance only applies between two named days; a report whose day is implied
            # can match events whose days overlap its own, or a few days earlier as a follow-up)
            tolerance = (self.rules.day_tolerance if facts.days is None or facts.days.named
                         else self.rules.late_report_days)
            for event in part.candidates(facts.days, tolerance, city):
                view = event.view
                # (another city, or another known neighbourhood of the city, is a veto: skip the
                # full score, the common case in a busy region)
                if view is None or (city is not None and view.place.city is not None and view.place.city != city):
                    continue
                if spot is not None and view.spots and all(k and s != spot for s, k in view.spots):
                    continue
                found = score(facts, view, self.rules)
                if not found.vetoed and found.total >= self.rules.threshold:
                    pairs.append((found.total, i, event.seq, event, found))
        pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
        chosen: dict[int, tuple[OpenEvent, Score]] = {}
        taken: set[str] = set()
        for _, i, _, event, _ in pairs:
            if i not in chosen and event.event_id not in taken and event.view is not None:
                chosen[i] = (event, score(group[i], event.view, self.rules, explain=True))
                taken.add(event.event_id)
        return chosen

    def open_events(self) -> list[Event]:
        """The current version of every open event."""
        return [to_record(e) for e in self.store.events()]


class SavedReport(NamedTuple):
    """One report of an event as saved by the stream: enough to add it again exactly."""

    incident: Incident
    clock: date | None
    """The partition's clock when the report was added."""
    match_score: float | None
    match_evidence: tuple[str, ...]


def rebuild_event(event_id: str, key: str, seq: int, reports: Sequence[SavedReport]) -> OpenEvent:
    """An open event rebuilt from its saved reports, in the order they were added: the same state
    (figures, days, view) the resolver had built from them."""
    event = OpenEvent(event_id, key, seq=seq)
    for saved in reports:
        facts = facts_of(saved.incident)
        found = None if saved.match_score is None else Score(saved.match_score, saved.match_evidence)
        report = _report(facts, found)
        event.add(report, _source_record(report), facts, saved.clock)
    return event


def _report(facts: IncidentFacts, found: Score | None) -> SourceReport:
    inc = facts.incident
    day = facts.days.lo.isoformat() if facts.days is not None and facts.days.named else inc.event_date
    return SourceReport(
        article_id=inc.article_id,
        incident_id=inc.incident_id,
        outlet=(inc.source or inc.article_id).strip().lower(),
        source=inc.source,
        published=inc.published,
        published_at=published_at(inc.published),
        url=inc.url,
        event_date=day,
        killed=inc.killed,
        wounded=inc.wounded,
        killed_min=inc.killed_min,
        killed_max=inc.killed_max,
        wounded_min=inc.wounded_min,
        wounded_max=inc.wounded_max,
        evidence=inc.evidence.text,
        match_score=None if found is None else found.total,
        match_evidence=() if found is None else found.evidence,
    )


def to_record(event: OpenEvent) -> Event:
    """The published record of an event's current version."""
    f = event.figures
    categories = event.categories()
    day = event.event_date()
    return Event.model_construct(
        schema_version=Event.model_fields["schema_version"].default,
        event_id=event.event_id,
        version=event.version,
        event_date=day.isoformat() if day else None,
        location=event.location,
        killed=f.killed, wounded=f.wounded,
        killed_min=f.killed_min, killed_max=f.killed_max,
        wounded_min=f.wounded_min, wounded_max=f.wounded_max,
        method=event.method(),
        perpetrator=event.perpetrator(),
        victim_category=categories[0] if len(categories) == 1 else ("mixed" if categories else "unknown"),
        victim_categories=categories,
        sources=list(event.source_records),
        first_published=event.first_published[1] if event.first_published else None,
        last_published=event.last_published[1] if event.last_published else None,
    )


def _source_record(s: SourceReport) -> EventSource:
    return EventSource.model_construct(
        article_id=s.article_id, incident_id=s.incident_id, source=s.source, published=s.published,
        url=s.url, event_date=s.event_date, killed=s.killed, wounded=s.wounded,
        killed_min=s.killed_min, killed_max=s.killed_max, wounded_min=s.wounded_min,
        wounded_max=s.wounded_max, evidence=s.evidence, match_score=s.match_score,
        match_evidence=list(s.match_evidence),
    )


def resolve_all(articles: Iterable[Sequence[Incident]], resolver: Resolver | None = None) -> list[Event]:
    """Resolve the incidents of each article in order; the final version of every event created,
    in the order the events were created (evicted ones included)."""
    res = resolver if resolver is not None else Resolver()
    final: dict[str, Event] = {}
    for incidents in articles:
        for change in res.resolve(incidents).changes:
            final[change.event.event_id] = change.event
    return list(final.values())
