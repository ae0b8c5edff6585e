"""The resolver's state: open events per partition, the partition's clock, and eviction.

State is partitioned by :func:`streams.events.match.partition_key` (the region code, or
``unknown``): an incident is only ever compared with events of its own partition, so the state of
one region lives in one place and can sit in a Faust table co-partitioned with the ``incidents``
topic, whose key is the same region code (see ``streams/events/README.md``).

Each partition keeps a clock: the latest publication day it has seen. An event stays open while
its day (or, without one, the clock when it last changed) is within ``window_days +
day_tolerance + grace_days`` of that clock; later it is evicted and no report joins it any more.
The grace (as Kafka Streams' window grace period) is for reports that arrive out of order: a
backfill, or one outlet's feed read after another's, moves the clock ahead of an event's late
reports, which must still find it; a report still joins only an event of compatible days. The clock
is per partition so that a quiet region's events are not closed by other regions' news, and it
moves only forward, with publication dates, never with the wall clock, so a replay of the same
articles in the same order resolves them the same way. Incident ids are remembered (to make
redelivery a no-op) for ``seen_days`` of the clock, longer than events stay open.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final, Protocol

from extractors.context import parse_date
from schemas.records import EventSource, Location
from streams.events.dates import DayRange
from streams.events.figures import NO_FIGURES, Figures, SourceReport, resolve
from streams.events.match import METHOD_FAMILY, EventView, IncidentFacts
from streams.events.places import PlaceKey

WINDOW_DAYS: Final = 3
"""Matching window: a report may give a day up to this many days before its publication (older
days are background), and an event stays open this long (plus the day tolerance) after its day."""
GRACE_DAYS: Final = 3
"""How much longer an event stays open for reports that arrive out of publication order: with the
window, an event can be joined until a week of publication days after its day."""
SEEN_DAYS: Final = 30
"""How long (partition clock days) an incident id is remembered, to skip redeliveries."""

_PRECISION_RANK: Final = {
    "site": 0, "neighbourhood": 1, "district": 2, "city": 3, "region": 4, "country": 5, "unknown": 6,
}  # fmt: skip


@dataclass(slots=True)
class OpenEvent:
    """An event while it can still change: its reports and what matching compares of it."""

    event_id: str
    key: str
    seq: int = 0
    """Creation order within the partition (ties between candidates go to the older event)."""
    version: int = 0
    sources: list[SourceReport] = field(default_factory=list)
    location: Location = field(default_factory=Location)
    figures: Figures = NO_FIGURES
    view: EventView | None = None
    source_records: list[EventSource] = field(default_factory=list)
    """The published form of each report, built once when it is added."""
    first_published: tuple[datetime, str] | None = None
    last_published: tuple[datetime, str] | None = None
    last_seen: date | None = None
    day: date | None = None
    """:meth:`event_date`, as of the last report."""
    _named: dict[date, int] = field(default_factory=dict)
    _implied: list[DayRange] = field(default_factory=list)
    _methods: dict[str, int] = field(default_factory=dict)
    _perpetrators: dict[str, int] = field(default_factory=dict)
    _categories: set[str] = field(default_factory=set)

    def add(self, report: SourceReport, record: EventSource, facts: IncidentFacts, clock: date | None) -> None:
        """Add one report: figures, place, days, method and words are brought up to date."""
        inc = facts.incident
        self.sources.append(report)
        self.source_records.append(record)
        when = report.published_at
        if when is not None and report.published is not None:
            if self.first_published is None or when < self.first_published[0]:
                self.first_published = (when, report.published)
            if self.last_published is None or when >= self.last_published[0]:
                self.last_published = (when, report.published)
        self.version += 1
        self.last_seen = clock
        self.figures = resolve(self.sources)
        if _PRECISION_RANK[inc.location.precision] < _PRECISION_RANK[self.location.precision] or (
            self.location.region_code is None and inc.location.region_code is not None
        ):
            # The finest place wins; a report that only gives the region still places an event
            # whose earlier reports placed nowhere (precision "unknown" with a region code).
            self.location = inc.location
        if facts.days is not None:
            if facts.days.named:
                self._named[facts.days.lo] = self._named.get(facts.days.lo, 0) + 1
            else:
                self._implied.append(facts.days)
        if inc.method != "unknown":
            self._methods[inc.method] = self._methods.get(inc.method, 0) + 1
        if inc.perpetrator != "unknown":
            self._perpetrators[inc.perpetrator] = self._perpetrators.get(inc.perpetrator, 0) + 1
        self._categories |= facts.victims
        self.day = self.event_date()
        self.view = self._merged_view(facts)

    def _merged_view(self, facts: IncidentFacts) -> EventView:
        old = self.view
        place = facts.place
        spots: frozenset[tuple[str, bool]] = frozenset()
        if old is not None:
            prev = old.place
            place = PlaceKey(prev.country or place.country, prev.region or place.region,
                             prev.city or place.city, prev.spot or place.spot, prev.known_spot or place.known_spot)
            spots = old.spots
        if facts.place.spot:
            spots = spots | {(facts.place.spot, facts.place.known_spot)}
        methods = frozenset(self._methods)
        return EventView(
            place=place,
            spots=spots,
            days=self.day_range(),
            named_days=frozenset(self._named),
            methods=methods,
            families=frozenset(f for m in methods if (f := METHOD_FAMILY.get(m)) is not None),
            victims=frozenset(self._categories),
            killed_figures=frozenset(r.killed for r in self.sources if r.killed > 0),
            killed=self.figures.killed,
            casualties=self.figures.killed + self.figures.wounded,
            words=(old.words if old is not None else frozenset()) | facts.words,
            targets=(old.targets if old is not None else frozenset()) | facts.targets,
            articles=(old.articles if old is not None else frozenset()) | {facts.incident.article_id},
        )

    def day_range(self) -> DayRange | None:
        """The days the event may be on: the named days when any report names one, else the
        overlap of the implied ranges (their span when they do not overlap)."""
        if self._named:
            return DayRange(min(self._named), max(self._named), True)
        if not self._implied:
            return None
        lo = max(r.lo for r in self._implied)
        hi = min(r.hi for r in self._implied)
        if lo > hi:
            lo, hi = min(r.lo for r in self._implied), max(r.hi for r in self._implied)
        return DayRange(lo, hi, False)

    def event_date(self) -> date | None:
        """The day most reports name (the earliest on a tie), else the earliest publication day."""
        if self._named:
            top = max(self._named.values())
            return min(d for d, n in self._named.items() if n == top)
        if self._implied:
            return min(r.hi for r in self._implied)
        return None

    def method(self) -> str:
        """The method most reports give (the first given on a tie), else ``unknown``."""
        return _most_common(self._methods)

    def perpetrator(self) -> str:
        """The perpetrator most reports give, else ``unknown``."""
        return _most_common(self._perpetrators)

    def categories(self) -> list[str]:
        """Every victim group named by a report, sorted."""
        return sorted(self._categories)

    def closes_on(self) -> date | None:
        """The day this event is judged by for eviction (its date, else when it last changed)."""
        return self.day or self.last_seen


def _most_common(counts: dict[str, int]) -> str:
    """The most counted key, the first counted on a tie; ``unknown`` when empty."""
    best, top = "unknown", 0
    for key, n in counts.items():
        if n > top:
            best, top = key, n
    return best


@dataclass(slots=True)
class Partition:
    """The state of one partition key (a region): its clock, open events (indexed by the days
    they may be on, so an incident is compared only with events of nearby days) and the incident
    ids already resolved."""

    clock: date | None = None
    events: dict[str, OpenEvent] = field(default_factory=dict)
    seen: dict[str, tuple[str, date | None]] = field(default_factory=dict)
    created: int = 0
    by_day: dict[date, dict[str | None, set[str]]] = field(default_factory=dict)
    """Day -> city key (None: no city known) -> ids of the events that may be on that day."""
    undated: dict[str | None, set[str]] = field(default_factory=dict)
    """Events without days, by city (as :attr:`by_day`)."""
    _indexed: dict[str, tuple[DayRange | None, str | None]] = field(default_factory=dict)

    def put(self, event: OpenEvent) -> None:
        """Store a new or changed event and index it by its current days and city."""
        if event.event_id not in self.events:
            self.created += 1
            event.seq = self.created
            self.events[event.event_id] = event
        view = event.view
        key = (view.days, view.place.city) if view is not None else (None, None)
        old = self._indexed.get(event.event_id)
        if old is not None and old == key:
            return
        self._unindex(event.event_id)
        self._indexed[event.event_id] = key
        days, city = key
        if days is None:
            self.undated.setdefault(city, set()).add(event.event_id)
            return
        for day in _days(days.lo, days.hi):
            self.by_day.setdefault(day, {}).setdefault(city, set()).add(event.event_id)

    def restore(self, event: OpenEvent) -> None:
        """Put back an event rebuilt from saved state, with the creation order it had (``seq``)."""
        self.events[event.event_id] = event
        self.created = max(self.created, event.seq)
        self.put(event)

    def remove(self, event_id: str) -> None:
        """Forget an event (evicted)."""
        self._unindex(event_id)
        self._indexed.pop(event_id, None)
        del self.events[event_id]

    def _unindex(self, event_id: str) -> None:
        indexed = self._indexed.get(event_id)
        if indexed is None:
            return
        days, city = indexed
        if days is None:
            _discard(self.undated, city, event_id)
            return
        for day in _days(days.lo, days.hi):
            cities = self.by_day.get(day)
            if cities is not None:
                _discard(cities, city, event_id)
                if not cities:
                    del self.by_day[day]

    def candidates(self, days: DayRange | None, tolerance: int, city: str | None = None) -> list[OpenEvent]:
        """Open events that may be on a day within ``tolerance`` of ``days`` (any day when ``days``
        is unknown) and in ``city`` or in no known city (any city when ``city`` is None): the
        events a report can match (another city is a veto)."""
        def cities_of(index: dict[str | None, set[str]]) -> list[set[str]]:
            if city is None:
                return list(index.values())
            return [found for found in (index.get(city), index.get(None)) if found]

        if days is None or (days.hi - days.lo).days + 2 * tolerance > 62:  # too wide to be worth indexing
            return [e for e in self.events.values()
                    if city is None or e.view is None or e.view.place.city in (None, city)]
        ids: set[str] = set()
        for found in cities_of(self.undated):
            ids |= found
        for day in _days(days.lo - timedelta(days=tolerance), days.hi + timedelta(days=tolerance)):
            cities = self.by_day.get(day)
            if cities:
                for found in cities_of(cities):
                    ids |= found
        return [self.events[i] for i in ids]  # (in no set order: the resolver breaks ties by seq)


def _discard(index: dict[str | None, set[str]], city: str | None, event_id: str) -> None:
    ids = index.get(city)
    if ids is not None:
        ids.discard(event_id)
        if not ids:
            del index[city]


def _days(lo: date, hi: date) -> list[date]:
    return [lo + timedelta(days=n) for n in range((hi - lo).days + 1)]


class StoreListener(Protocol):
    """Told what the clock did to events, so that a copy of the state kept elsewhere (the stream's
    tables) can follow: which events closed, and which undated events were given a day to close on."""

    def evicted(self, key: str, event: OpenEvent) -> None:
        """``event`` of partition ``key`` closed (it is no longer in the partition)."""

    def dated(self, key: str, event: OpenEvent) -> None:
        """``event`` had no day to close on and is judged from the partition's clock from now on."""


@dataclass(slots=True)
class MemoryStore:
    """In-memory state of every partition (the offline tool's; the stream keeps the same
    :class:`Partition` rows in Faust tables, see :mod:`streams.worker.event_state`)."""

    window_days: int = WINDOW_DAYS
    day_tolerance: int = 1
    grace_days: int = GRACE_DAYS
    seen_days: int = SEEN_DAYS
    partitions: dict[str, Partition] = field(default_factory=dict)
    evicted: int = 0
    listener: StoreListener | None = None

    def partition(self, key: str) -> Partition:
        """The state of one partition key (created empty)."""
        part = self.partitions.get(key)
        if part is None:
            part = self.partitions[key] = Partition()
        return part

    def advance(self, key: str, published: str | None) -> Partition:
        """Move the partition's clock to a publication day (never back) and evict what closed."""
        part = self.partition(key)
        day = parse_date(published)
        if day is not None and (part.clock is None or day > part.clock):
            part.clock = day
            self._evict(key, part)
        return part

    def _evict(self, key: str, part: Partition) -> None:
        clock = part.clock
        if clock is None:
            return
        open_until = self.open_until(clock)
        listener = self.listener
        closed = []
        for event in part.events.values():
            undated = event.closes_on() is None
            if _closed(event, open_until, clock):
                closed.append(event)
            elif undated and listener is not None:
                listener.dated(key, event)
        for event in closed:
            part.remove(event.event_id)
            self.evicted += 1
            if listener is not None:
                listener.evicted(key, event)
        remember_until = clock - timedelta(days=self.seen_days)
        for incident_id, (event_id, day) in list(part.seen.items()):
            if day is None:  # remembered before the partition had a clock: judged from now on
                part.seen[incident_id] = (event_id, clock)
            elif day < remember_until:
                del part.seen[incident_id]

    def open_until(self, clock: date) -> date:
        """Events that close on a day before this one are closed at ``clock``."""
        return clock - timedelta(days=self.window_days + self.day_tolerance + self.grace_days)

    def events(self) -> Iterator[OpenEvent]:
        """Every open event of every partition."""
        for part in self.partitions.values():
            yield from part.events.values()


def _closed(event: OpenEvent, open_until: date, clock: date) -> bool:
    day = event.closes_on()
    if day is None:
        event.last_seen = clock  # no day known yet: judged from now on
        return False
    return day < open_until
