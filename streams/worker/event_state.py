"""The resolver's state as table rows (pure): what the tally agent saves per region, and how a
region's open events are rebuilt from it after a restart or a rebalance.

Table ``event-state`` (changelogged, co-partitioned with ``incidents``: every key of a region is
written from that region's ``incidents`` partition):

====================================  ===========================================================
key                                   value
====================================  ===========================================================
``h|<region>``                        head: ``{"offset", "clock", "created"}``: the last
                                      ``incidents`` offset the region's state holds, the
                                      partition clock (YYYY-MM-DD) and the events created so far
``b|<region>|<first offset>``         one batch of the region: ``{"offset", "events"}``: the last
                                      ``incidents`` offset of the batch and, per open event the
                                      batch changed, ``{"seq", "last_seen", "reports"}`` with only
                                      the reports the batch added, each ``[offset, clock, match
                                      score, match evidence, incident JSON]`` in the order added
``e|<region>|<event id>``             (read only: written by workers before the batch rows) an
                                      open event with all its reports, as above
``s|<region>|<day>``                  incident ids of closed events, remembered on ``<day>``:
                                      ``{incident id: [event id, offset]}`` (redelivery)
====================================  ===========================================================

A batch writes one row for all the events it changed (an event's reports are the union of its
entries in the rows, in offset order: one record per region per batch instead of one per changed
event, and each report is written once instead of again with every later report of its event)
and the rows of the days whose ids it remembered; the head goes last, once everything written
before it is on the broker (the agent flushes first). So a head holds an ``offset`` only when
every row of the incidents up to that offset is saved, and rows may hold more than their head:
:func:`rebuild` drops the batch rows whose ``offset`` is after the head's (a crash between the
rows and the head), and the incidents after it are processed again, in the same order, to the
same result.

Deleting rows is never needed for exactness: an event whose reports the head's clock has closed
is recognised as closed (:func:`closed_at`) and dropped again; a batch row is deleted (a tombstone)
a batch after the head that closed the last open event it holds, rows of expired ids a batch after
the head that expired them, to bound the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from schemas.records import Incident
from streams.events import SavedReport, rebuild_event
from streams.events.open_events import MemoryStore, OpenEvent, Partition

Row = dict[str, Any]
SavedRow = tuple[int, str | None, float | None, tuple[str, ...], str]
"""One saved report: ``(offset, clock, match score, match evidence, incident JSON)`` (a JSON array
in the row). Kept as a tuple of strings and numbers, which the garbage collector stops tracking."""
NO_OFFSET = -1


def saved_report(report: Any) -> SavedRow:
    """A report as read from a row (a JSON array) in its kept form."""
    return (int(report[0]), report[1], report[2], tuple(report[3] or ()), report[4])


def head_key(code: str) -> str:
    """Key of a region's head row."""
    return f"h|{code}"


def event_key(code: str, event_id: str) -> str:
    """Key of an open event's row."""
    return f"e|{code}|{event_id}"


def batch_key(code: str, first_offset: int) -> str:
    """Key of the row of one batch of region ``code`` (``first_offset``: its first incident's)."""
    return f"b|{code}|{first_offset}"


def batch_row(offset: int, events: dict[str, Row]) -> Row:
    """One batch's row: its last offset, and per open event it changed, :func:`event_row` of the
    reports it added."""
    return {"offset": offset, "events": events}


def seen_key(code: str, day: str) -> str:
    """Key of the row of ids remembered on ``day``."""
    return f"s|{code}|{day}"


def head_row(offset: int, clock: date | None, created: int) -> Row:
    """A region's head."""
    return {"offset": offset, "clock": clock.isoformat() if clock else None, "created": created}


def event_row(event: OpenEvent, reports: list[SavedRow]) -> Row:
    """An open event as a batch row holds it (``reports``: those the batch added)."""
    return {"seq": event.seq, "last_seen": event.last_seen.isoformat() if event.last_seen else None,
            "reports": reports}


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(slots=True)
class SavedRegion:
    """The rows of one region as read from the table."""

    head: Row | None = None
    events: dict[str, Row] = field(default_factory=dict)
    """Event id -> ``e|`` row (written by earlier workers)."""
    batches: dict[str, Row] = field(default_factory=dict)
    """First offset (as in the key) -> batch row."""
    seen: dict[str, Row] = field(default_factory=dict)


def group_rows(items: Iterable[tuple[str, Any]]) -> dict[str, SavedRegion]:
    """The table's rows grouped by region (rows of unknown shape are left out)."""
    out: dict[str, SavedRegion] = {}
    for key, value in items:
        if not isinstance(key, str) or not isinstance(value, dict):
            continue
        kind, _, rest = key.partition("|")
        code, _, name = rest.partition("|")
        saved = out.setdefault(code, SavedRegion())
        if kind == "h":
            saved.head = value
        elif kind == "b" and name.isdigit():
            saved.batches[name] = value
        elif kind == "e" and name:
            saved.events[name] = value
        elif kind == "s" and name:
            saved.seen[name] = value
    return out


def closed_at(event: OpenEvent, reports: list[SavedRow], clock: date | None, store: MemoryStore) -> bool:
    """Whether the clock closed ``event``: the resolver closes an event when the clock moves to a
    day after which its day (or last change) is too old. An event is judged by that rule at every
    move of the clock, so if all its reports came before the clock reached ``clock`` and it is too
    old for ``clock``, it was closed when the clock got there (a report added since would have
    started another event)."""
    if clock is None:
        return False
    day = event.closes_on()
    if day is None or day >= store.open_until(clock):
        return False
    return all(_day(saved[1]) is None or _day(saved[1]) < clock for saved in reports)  # type: ignore[operator]


@dataclass(slots=True)
class Rebuilt:
    """A region's state rebuilt from its rows."""

    partition: Partition
    reports: dict[str, list[SavedRow]]
    """Event id -> its saved reports (the ones kept)."""
    offset: int
    seen: dict[str, dict[str, list[Any]]]
    """Day -> {incident id: [event id, offset]} of closed events (up to the head's offset)."""
    stale: list[str]
    """Keys to delete: rows that hold no open event, rows written after the head."""
    rows: dict[str, set[str]] = field(default_factory=dict)
    """Key of every row kept -> the open events it holds reports (or a change) of."""


@dataclass(slots=True)
class _Saved:
    """One event as its rows saved it, merged."""

    seq: int
    reports: list[SavedRow] = field(default_factory=list)
    last_seen: date | None = None
    keys: list[str] = field(default_factory=list)


def _merged_events(code: str, saved: SavedRegion, offset: int, stale: list[str]) -> dict[str, _Saved]:
    """Each event's rows merged (``e|`` rows first, then the batch rows in offset order), cut back to
    the head's ``offset``; the keys of rows written after the head go to ``stale``."""
    merged: dict[str, _Saved] = {}
    for event_id, row in saved.events.items():
        key = event_key(code, event_id)
        rows = [saved_report(r) for r in row.get("reports") or ()]
        kept = [r for r in rows if r[0] <= offset]
        if not kept:
            stale.append(key)
            continue
        # the clock may have given an undated event a day since its last report: trusted only when
        # the row is not cut back
        last_seen = _day(row.get("last_seen")) if len(kept) == len(rows) else None
        merged[event_id] = _Saved(int(row.get("seq", 0)), kept, last_seen, [key])
    for first, row in sorted(saved.batches.items(), key=lambda kv: int(kv[0])):
        key = batch_key(code, int(first))
        if int(row.get("offset", offset + 1)) > offset:  # written after the head: a crash before it
            stale.append(key)
            continue
        for event_id, entry in (row.get("events") or {}).items():
            event = merged.setdefault(event_id, _Saved(int(entry.get("seq", 0))))
            event.reports.extend(saved_report(r) for r in entry.get("reports") or ())
            event.last_seen = _day(entry.get("last_seen")) or event.last_seen
            event.keys.append(key)
    return merged


def rebuild(code: str, saved: SavedRegion, store: MemoryStore) -> Rebuilt:
    """The partition ``code`` as the resolver had it at the head's offset."""
    head = saved.head or {}
    offset = int(head.get("offset", NO_OFFSET))
    part = Partition(clock=_day(head.get("clock")), created=int(head.get("created", 0)))
    reports: dict[str, list[SavedRow]] = {}
    stale: list[str] = []
    merged = _merged_events(code, saved, offset, stale)
    rows: dict[str, set[str]] = {key: set() for event in merged.values() for key in event.keys}
    for event_id, found in sorted(merged.items(), key=lambda kv: kv[1].seq):
        kept = found.reports
        if not kept:  # a change of an event whose reports are gone: it was closed
            continue
        event = rebuild_event(event_id, code, found.seq, [
            SavedReport(Incident.model_validate_json(r[4]), _day(r[1]), r[2], tuple(r[3] or ())) for r in kept
        ])
        event.last_seen = found.last_seen or event.last_seen
        if closed_at(event, kept, part.clock, store):
            _remember(part, event, kept, None)
            continue
        part.restore(event)
        reports[event_id] = kept
        _remember(part, event, kept, part.clock)
        for key in found.keys:
            rows[key].add(event_id)
    stale.extend(key for key, events in rows.items() if not events)
    seen: dict[str, dict[str, list[Any]]] = {}
    for day, bucket in saved.seen.items():
        kept_ids = {i: entry for i, entry in bucket.items() if int(entry[1]) <= offset}
        if kept_ids:
            seen[day] = kept_ids
        for incident_id, (event_id, _) in kept_ids.items():
            part.seen.setdefault(incident_id, (str(event_id), _day(day)))
    return Rebuilt(part, reports, offset, seen, stale, {key: events for key, events in rows.items() if events})


def _remember(part: Partition, event: OpenEvent, reports: list[SavedRow], fallback: date | None) -> None:
    """The resolver's memory of the incident ids of ``event`` (the day each was resolved on)."""
    for record, saved in zip(event.source_records, reports, strict=True):
        day = _day(saved[1]) or fallback
        part.seen[record.incident_id] = (event.event_id, day)


def seen_rows(seen: Mapping[str, Mapping[str, list[Any]]]) -> dict[str, Row]:
    """Day -> row of the remembered ids (a copy that can be stored)."""
    return {day: dict(bucket) for day, bucket in seen.items()}
