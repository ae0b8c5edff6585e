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
``e|<region>|<event id>``             an open event: ``{"seq", "last_seen", "reports"}``, each
                                      report ``[offset, clock, match score, match evidence,
                                      incident JSON]`` in the order it was added
``s|<region>|<day>``                  incident ids of closed events, remembered on ``<day>``:
                                      ``{incident id: [event id, offset]}`` (redelivery)
====================================  ===========================================================

A batch writes the rows of the events it changed and of the days whose ids it remembered; the
head goes last, once everything written before it is on the broker (the agent flushes first).
So a head holds an ``offset`` only when every row of the incidents up to that offset is saved,
and rows may hold more than their head: :func:`rebuild` drops the reports after the head's
offset (a crash between the rows and the head), and the incidents after it are processed again,
in the same order, to the same result.

Deleting rows is never needed for exactness: an event row whose event the head's clock has
closed is recognised as closed (:func:`closed_at`) and dropped again; rows of closed events and of
expired ids are deleted (tombstones) a batch after the head that closed them, to bound the store.
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


def seen_key(code: str, day: str) -> str:
    """Key of the row of ids remembered on ``day``."""
    return f"s|{code}|{day}"


def head_row(offset: int, clock: date | None, created: int) -> Row:
    """A region's head."""
    return {"offset": offset, "clock": clock.isoformat() if clock else None, "created": created}


def event_row(event: OpenEvent, reports: list[SavedRow]) -> Row:
    """An open event's row."""
    return {"seq": event.seq, "last_seen": event.last_seen.isoformat() if event.last_seen else None,
            "reports": reports}


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(slots=True)
class SavedRegion:
    """The rows of one region as read from the table."""

    head: Row | None = None
    events: dict[str, Row] = field(default_factory=dict)
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
    """Keys to delete: rows of events the clock closed, rows written after the head."""


def rebuild(code: str, saved: SavedRegion, store: MemoryStore) -> Rebuilt:
    """The partition ``code`` as the resolver had it at the head's offset."""
    head = saved.head or {}
    offset = int(head.get("offset", NO_OFFSET))
    part = Partition(clock=_day(head.get("clock")), created=int(head.get("created", 0)))
    reports: dict[str, list[SavedRow]] = {}
    stale: list[str] = []
    for event_id, row in sorted(saved.events.items(), key=lambda kv: int(kv[1].get("seq", 0))):
        rows = [saved_report(r) for r in row.get("reports") or ()]
        kept = [r for r in rows if r[0] <= offset]
        if not kept:
            stale.append(event_key(code, event_id))
            continue
        event = rebuild_event(event_id, code, int(row.get("seq", 0)), [
            SavedReport(Incident.model_validate_json(r[4]), _day(r[1]), r[2], tuple(r[3] or ())) for r in kept
        ])
        if len(kept) == len(rows):  # the clock may have given an undated event a day since its last report
            event.last_seen = _day(row.get("last_seen")) or event.last_seen
        if closed_at(event, kept, part.clock, store):
            stale.append(event_key(code, event_id))
            _remember(part, event, kept, None)
            continue
        part.restore(event)
        reports[event_id] = kept
        _remember(part, event, kept, part.clock)
    seen: dict[str, dict[str, list[Any]]] = {}
    for day, bucket in saved.seen.items():
        kept_ids = {i: entry for i, entry in bucket.items() if int(entry[1]) <= offset}
        if kept_ids:
            seen[day] = kept_ids
        for incident_id, (event_id, _) in kept_ids.items():
            part.seen.setdefault(incident_id, (str(event_id), _day(day)))
    return Rebuilt(part, reports, offset, seen, stale)


def _remember(part: Partition, event: OpenEvent, reports: list[SavedRow], fallback: date | None) -> None:
    """The resolver's memory of the incident ids of ``event`` (the day each was resolved on)."""
    for record, saved in zip(event.source_records, reports, strict=True):
        day = _day(saved[1]) or fallback
        part.seen[record.incident_id] = (event.event_id, day)


def seen_rows(seen: Mapping[str, Mapping[str, list[Any]]]) -> dict[str, Row]:
    """Day -> row of the remembered ids (a copy that can be stored)."""
    return {day: dict(bucket) for day, bucket in seen.items()}
