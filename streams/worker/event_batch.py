"""What the tally agent does with a batch of incidents, without Kafka or Faust (pure).

:class:`EventTally` resolves each incident into an event (:class:`streams.events.Resolver`, one
incident at a time, in ``incidents`` offset order per region), keeps the daily rows of
:mod:`streams.worker.event_tally` and the state rows of :mod:`streams.worker.event_state`, and
after a batch says what to write and publish (:meth:`EventTally.take_writes`): per region one
state row of the events it changed (with the reports it added), the rows of the days it changed,
the tallies of the changed rows, the latest version of every changed event, each region's head, and
the rows to delete. The agent writes them in that order and flushes
the producer before the heads (:mod:`streams.worker.agents`).

Why it is exact under redelivery (``at_least_once``), ``kill -9`` and rebalances:

* an incident at or below the region's head offset is already in the state (and, because heads
  are written after a flush, so are its rows and outputs): it is skipped;
* an incident id published twice (an article extracted again after a crash) is a duplicate the
  resolver remembers: in an open event, or among the ids of closed events kept for 30 clock days;
* state rows saved after the last head are dropped (:func:`streams.worker.event_state.rebuild`)
  and the incidents after it are processed again in the same order, giving the same events with
  the same ids and versions; daily rows *set* each event's figures, so applying a version again
  changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import orjson

from schemas.records import Event, Incident
from streams.events import EventChange, Resolver
from streams.events.open_events import MemoryStore, OpenEvent, Partition
from streams.worker.event_state import (
    NO_OFFSET,
    Row,
    SavedRegion,
    SavedRow,
    batch_key,
    batch_row,
    event_row,
    head_key,
    head_row,
    rebuild,
    seen_key,
)
from streams.worker.event_tally import (
    UNDATED,
    Groups,
    RunningTotals,
    copy_row,
    daily_key,
    event_entry,
    is_empty,
    new_row,
    report_groups,
    running_of,
    set_event,
    set_suspect,
    tally_of,
)
from streams.worker.tally import Tally, event_day, has_figures, is_suspect, region_key

ReadRow = Callable[[str], Row | None]


@dataclass(slots=True)
class RegionWrites:
    """What one batch writes and publishes for one region, in the order the agent does it."""

    code: str
    state_rows: dict[str, Row] = field(default_factory=dict)
    """``event-state`` rows to set (the batch's row of changed events, remembered ids): before the flush."""
    daily_rows: dict[str, Row | None] = field(default_factory=dict)
    """``event-daily`` rows to set (None: delete, the row is empty): before the flush."""
    tallies: dict[str, Tally | None] = field(default_factory=dict)
    """``casualty-tallies`` records by key (None: withdraw the row)."""
    events: list[Event] = field(default_factory=list)
    """The latest version of every event the batch changed (topic ``events``)."""
    deletes: list[str] = field(default_factory=list)
    """``event-state`` keys to delete: after the flush (their heads are on the broker)."""
    head: tuple[str, Row] | None = None
    """The region's head: after the flush, last."""


@dataclass(slots=True)
class RegionState:
    """The stream's state of one region beside the resolver's partition."""

    code: str
    running: RunningTotals
    reports: dict[str, list[SavedRow]] = field(default_factory=dict)
    offset: int = NO_OFFSET
    seen: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    rows: dict[str, set[str]] = field(default_factory=dict)
    """Key of every saved batch (or ``e|``) row -> the open events it holds: deleted when none is left."""
    event_rows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Open event id -> the keys of the rows that hold it (tuples of strings: the garbage collector
    stops tracking them, as it does the saved reports)."""
    ready_deletes: set[str] = field(default_factory=set)
    """Rows to delete now (the heads that closed them are saved)."""
    new_deletes: set[str] = field(default_factory=set)
    """Rows closed by this batch: deleted once this batch's head is saved."""
    head_due: bool = False
    confirmed: set[str] = field(default_factory=set)
    """Windows (and ``all``) whose published tally equals their stored row: published by a batch whose
    head is saved since the region was loaded. Only these may be left out when unchanged: after a
    crash a stored row may be ahead of a tally that was lost."""
    unconfirmed: set[str] = field(default_factory=set)
    """Windows whose tally the last batch published: confirmed when its head is saved."""
    # per batch
    first: int = NO_OFFSET
    """The batch's first offset (the key of its row)."""
    daily: dict[str, Row] = field(default_factory=dict)
    before: dict[str, Tally | None] = field(default_factory=dict)
    changed_days: set[str] = field(default_factory=set)
    """Windows whose daily row an entry was set in (the others are read, not written)."""
    changed_events: set[str] = field(default_factory=set)
    added: dict[str, list[SavedRow]] = field(default_factory=dict)
    """Event id -> the reports this batch added to it."""
    changed_seen: set[str] = field(default_factory=set)
    published: dict[str, Event] = field(default_factory=dict)

    def forget_delete(self, key: str) -> None:
        """``key`` is written again: it must not be deleted."""
        self.ready_deletes.discard(key)
        self.new_deletes.discard(key)


class EventTally:
    """Incidents in, event tables out; see the module docstring."""

    def __init__(self, read_daily: ReadRow, *, count_suspect: bool = False) -> None:
        """``read_daily(key)``: the stored ``event-daily`` row, or None."""
        self.read_daily = read_daily
        self.count_suspect = count_suspect
        self.store = MemoryStore(listener=self)
        self.resolver = Resolver(self.store, count_suspect=count_suspect)
        self.regions: dict[str, RegionState] = {}

    # --- state ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every region (the partitions may have moved: load them again from the tables)."""
        self.store.partitions.clear()
        self.regions.clear()

    def loaded(self, code: str) -> bool:
        """Whether region ``code`` is in memory."""
        return code in self.regions

    def load(self, code: str, saved: SavedRegion, daily: Iterable[Row]) -> None:
        """Rebuild region ``code`` from its ``event-state`` rows and all its ``event-daily`` rows."""
        rebuilt = rebuild(code, saved, self.store)
        self.store.partitions[code] = rebuilt.partition
        event_rows: dict[str, tuple[str, ...]] = {}
        for key, events in sorted(rebuilt.rows.items()):
            for event_id in events:
                event_rows[event_id] = (*event_rows.get(event_id, ()), key)
        self.regions[code] = RegionState(code, running_of(code, daily), reports=rebuilt.reports,
                                         offset=rebuilt.offset, seen=rebuilt.seen, rows=rebuilt.rows,
                                         event_rows=event_rows, ready_deletes=set(rebuilt.stale))

    def partition(self, code: str) -> Partition:
        """The resolver's partition of region ``code``."""
        return self.store.partition(code)

    # --- incidents -----------------------------------------------------------------------
    def apply(self, incident: dict[str, Any], raw: str, offset: int) -> str:
        """Resolve one incident read at ``offset`` of its region's partition; what happened:
        ``redelivered`` (at or below the head offset), ``suspect`` (kept apart, not resolved),
        ``duplicate``, ``no_casualties``, ``background``, ``new`` or ``joined``.

        ``raw`` is the incident's JSON as published (saved with the event); its region must be
        loaded (:meth:`load`).
        """
        code = region_key(incident)
        state = self.regions[code]
        if offset <= state.offset:
            return "redelivered"
        if state.first == NO_OFFSET:
            state.first = offset
        state.offset = offset
        state.head_due = True
        suspect = is_suspect(incident)
        if suspect and has_figures(incident):
            day = event_day(incident)
            row = self._row(state, day, (incident.get("location") or {}).get("region"))
            if set_suspect(row, str(incident["incident_id"]), int(incident.get("killed") or 0),
                           int(incident.get("wounded") or 0)):
                state.changed_days.add(day or UNDATED)
        if suspect and not self.count_suspect:
            return "suspect"
        resolution = self.resolver.resolve([Incident.model_validate_json(raw)])
        if resolution.skipped:
            return resolution.skipped[0].reason
        outcome = "joined"
        for change in resolution.changes:
            self._record(state, change, offset, raw, incident)
            outcome = "new" if change.is_new else "joined"
        return outcome

    def _record(self, state: RegionState, change: EventChange, offset: int, raw: str,
                incident: dict[str, Any]) -> None:
        event = change.event
        event_id = event.event_id
        source = event.sources[-1]
        clock = self.store.partition(state.code).clock
        reports = state.reports.setdefault(event_id, [])
        report = (offset, clock.isoformat() if clock else None, source.match_score, tuple(source.match_evidence), raw)
        reports.append(report)
        state.added.setdefault(event_id, []).append(report)
        state.changed_events.add(event_id)
        written = event.location.region
        old_day = change.previous.event_date if change.previous is not None else event.event_date
        if old_day != event.event_date and set_event(self._row(state, old_day, written), event_id, None):
            state.changed_days.add(old_day or UNDATED)
        raws = dict(zip((s.incident_id for s in event.sources), (r[4] for r in reports), strict=True))

        def groups_of(incident_id: str) -> Groups | None:
            if incident_id == source.incident_id:  # this report: already decoded
                return report_groups(incident)
            found = raws.get(incident_id)
            return report_groups(orjson.loads(found)) if found is not None else None

        if set_event(self._row(state, event.event_date, written), event_id, event_entry(event, groups_of)):
            state.changed_days.add(event.event_date or UNDATED)
        state.published[event_id] = event

    def _row(self, state: RegionState, day: str | None, written: str | None) -> Row:
        """The daily row of ``day`` as this batch changes it (a copy of the stored one)."""
        window = day or UNDATED
        row = state.daily.get(window)
        if row is None:
            stored = self.read_daily(daily_key(state.code, day))
            state.before[window] = tally_of(stored) if stored else None
            row = state.daily[window] = copy_row(stored) if stored else new_row(state.code, day, written)
        return row

    # --- the resolver's clock (streams.events.open_events.StoreListener) -------------------
    def evicted(self, key: str, event: OpenEvent) -> None:
        """An event closed: remember its incident ids by day, delete the rows left without an open
        event later."""
        state = self.regions[key]
        part = self.store.partition(key)
        saved = state.reports.pop(event.event_id, [])
        for record, report in zip(event.source_records, saved, strict=False):
            remembered = part.seen.get(record.incident_id)
            day = remembered[1] if remembered is not None else None
            day = day or part.clock
            if day is None:
                continue
            bucket = state.seen.setdefault(day.isoformat(), {})
            bucket[record.incident_id] = [event.event_id, report[0]]
            state.changed_seen.add(day.isoformat())
        state.changed_events.discard(event.event_id)
        state.added.pop(event.event_id, None)
        for row_key in state.event_rows.pop(event.event_id, ()):
            held = state.rows.get(row_key)
            if held is not None:
                held.discard(event.event_id)
                if not held:
                    del state.rows[row_key]
                    state.new_deletes.add(row_key)

    def dated(self, key: str, event: OpenEvent) -> None:
        """An undated event is judged from the clock from now on: save that day with it."""
        self.regions[key].changed_events.add(event.event_id)

    # --- batches -------------------------------------------------------------------------
    def take_writes(self) -> list[RegionWrites]:
        """What the batch since the last call writes, per region it touched."""
        out: list[RegionWrites] = []
        for code, state in self.regions.items():
            if not (state.head_due or state.daily or state.changed_events or state.changed_seen or state.ready_deletes):
                continue
            out.append(self._writes(code, state))
        return out

    def _writes(self, code: str, state: RegionState) -> RegionWrites:
        part = self.store.partition(code)
        writes = RegionWrites(code)
        if part.clock is not None:  # ids remembered longer than the resolver remembers them
            cutoff = (part.clock - timedelta(days=self.store.seen_days)).isoformat()
            for day in [d for d in state.seen if d < cutoff]:
                del state.seen[day]
                state.changed_seen.discard(day)
                state.new_deletes.add(seen_key(code, day))
        changed = {event_id: event for event_id in sorted(state.changed_events)
                   if (event := part.events.get(event_id)) is not None}
        if changed:  # one row for the batch: each changed event with the reports it added
            key = batch_key(code, state.first)
            writes.state_rows[key] = batch_row(state.offset, {
                event_id: event_row(event, state.added.get(event_id, [])) for event_id, event in changed.items()})
            state.forget_delete(key)
            state.rows[key] = set(changed)
            for event_id in changed:
                state.event_rows[event_id] = (*state.event_rows.get(event_id, ()), key)
        for day in sorted(state.changed_seen):
            writes.state_rows[seen_key(code, day)] = dict(state.seen[day])
            state.forget_delete(seen_key(code, day))
        running_changed = False
        for window, row in state.daily.items():
            key = daily_key(code, None if window == UNDATED else window)
            tally = None if is_empty(row) else tally_of(row)
            before = state.before[window]
            if tally is None and before is None:  # made and emptied in this batch: never stored
                continue
            if window in state.changed_days:
                writes.daily_rows[key] = None if tally is None else row
            if tally == before:  # (a new version of an event with the same figures)
                if window != UNDATED and window not in state.confirmed:
                    writes.tallies[key] = tally
                continue
            running_changed = True
            if before is not None:
                state.running.add(before, -1)
            if tally is not None:
                state.running.add(tally)
            if window != UNDATED:
                writes.tallies[key] = tally
        if state.daily and (running_changed or "all" not in state.confirmed):
            running = state.running.row
            empty = not any(running[k] for k in ("incidents", "suspect_incidents", "killed", "wounded"))
            writes.tallies[f"{code}|all"] = None if empty else {
                **running, "by_victim_category": {k: dict(v) for k, v in running["by_victim_category"].items()},
                "by_method": {k: dict(v) for k, v in running["by_method"].items()},
            }
        state.unconfirmed = {key.rpartition("|")[2] for key in writes.tallies}
        state.confirmed -= state.unconfirmed  # until this batch's head is saved
        writes.events = list(state.published.values())
        writes.deletes = sorted(state.ready_deletes)
        if state.head_due:
            writes.head = (head_key(code), head_row(state.offset, part.clock, part.created))
        state.daily, state.before, state.first, state.changed_days = {}, {}, NO_OFFSET, set()
        state.changed_events, state.changed_seen, state.published, state.added = set(), set(), {}, {}
        return writes

    def saved(self, codes: Iterable[str]) -> None:
        """The heads (and deletes) of these regions are written: the rows closed by their batch
        can be deleted in the next one."""
        for code in codes:
            state = self.regions.get(code)
            if state is None:
                continue
            state.ready_deletes = state.new_deletes
            state.new_deletes = set()
            state.head_due = False
            state.confirmed |= state.unconfirmed
            state.unconfirmed = set()


