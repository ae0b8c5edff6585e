"""Tables that count events (pure): daily rows that hold each event's figures, running rows summed
from them.

A **daily row** (table ``event-daily``, key ``<region>|<day>``, or ``<region>|undated`` for events
without a date) does not hold sums: it holds, per event on that day, the figures the event has
now, and per suspect incident on that day, its figures::

    {"region_code": "IQ-BG", "region": "Baghdad", "window": "2026-03-02",
     "events": {"ev-1a2b...": [3, 11, 20, {"civilian": [9, 20], "security": [2, 0]}, "car_bomb"]},
     "suspect": {"inc-9f...": [600, 0]},
     "sums": {"killed": 11, "wounded": 20, "incidents": 1, ...}}

(an event entry: version, killed, wounded, killed and wounded per victim group, method; a suspect
incident's: killed, wounded; ``sums``: the totals and breakdowns of the entries, changed by the
difference whenever an entry is set, so a busy day's tally is never counted again from its
entries).

Applying an event version **sets** its entry (moving it when the event's day changed) instead of
adding a delta, so applying the same version twice, or replaying a run of versions after a crash,
leaves the row as it was: exactness under redelivery comes from the row, not from remembering what
was added. The published RegionTally of a row (:func:`tally_of`) is computed from the entries; a
region's running row is the sum of its daily rows (:class:`RunningTotals`, kept up to date by the
difference of each changed row, never stored).

Counting rules (the incident rules of :mod:`streams.worker.tally`, at event level):

* an event counts (killed, wounded, +1 in ``incidents``) when its resolved killed or wounded is
  above 0; an event with only vague figures ("dozens") is in no row, as a vague incident was not;
* ``by_victim_category`` splits the event's killed as the report that gives its killed figure
  splits them among victim groups, and its wounded as the report that gives its wounded figure
  does (:func:`event_groups`), so an event told once is counted exactly as its incident was;
  ``by_method`` puts the event under its method;
* **suspect** incidents (held back by their article's self-check) are kept apart per incident in
  ``suspect_killed/wounded/incidents``, as before; they are resolved into events (and so counted)
  only when the worker counts suspect incidents (``--count-suspect``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from schemas.records import Event, EventSource
from streams.events.figures import published_at
from streams.regions import display_name
from streams.worker.tally import Tally, empty_tally

Row = dict[str, Any]
EventEntry = list[Any]
"""``[version, killed, wounded, {victim group: [killed, wounded]}, method]``."""
Groups = list[tuple[str, int, int]]
"""A report's victim groups: (group, killed, wounded)."""
GroupsOf = Callable[[str], Groups | None]
"""Incident id -> the victim groups of that report (None when unknown)."""
UNDATED = "undated"
_SUMS = ("killed", "wounded", "incidents", "suspect_killed", "suspect_wounded", "suspect_incidents")


def daily_key(code: str, window: str | None) -> str:
    """Key of a daily row (``window``: a YYYY-MM-DD day, None for undated)."""
    return f"{code}|{window or UNDATED}"


def new_row(code: str, window: str | None, written: str | None = None) -> Row:
    """A daily row with no entry (``written``: the region's name as a report wrote it)."""
    return {"region_code": code, "region": display_name(code, written), "window": window or UNDATED,
            "events": {}, "suspect": {}, "sums": _no_sums()}


def _no_sums() -> dict[str, Any]:
    return {**dict.fromkeys(_SUMS, 0), "by_victim_category": {}, "by_method": {}}


def is_empty(row: Row) -> bool:
    """Whether a daily row holds nothing (it is then deleted, and its tally withdrawn)."""
    return not row.get("events") and not row.get("suspect")


def copy_row(row: Row) -> Row:
    """A copy that can be changed without touching ``row`` (the stored value)."""
    sums = row.get("sums") or sums_of(row)
    return {**row, "events": dict(row.get("events") or {}), "suspect": dict(row.get("suspect") or {}),
            "sums": {**sums, "by_victim_category": {k: dict(v) for k, v in sums["by_victim_category"].items()},
                     "by_method": {k: dict(v) for k, v in sums["by_method"].items()}}}


def report_groups(incident: Mapping[str, Any]) -> Groups:
    """The victim groups of one incident: its ``victims`` breakdown, else its one category (the
    way :func:`streams.worker.tally.apply_incident` splits an incident)."""
    victims = incident.get("victims") or []
    if victims:
        return [(str(g.get("category") or "unknown"), int(g.get("killed") or 0), int(g.get("wounded") or 0))
                for g in victims]
    return [(str(incident.get("victim_category") or "unknown"), int(incident.get("killed") or 0),
             int(incident.get("wounded") or 0))]


def latest_sources(sources: Iterable[EventSource]) -> list[EventSource]:
    """Each outlet's latest report, as :func:`streams.events.figures.latest_by_outlet` picks them."""
    latest: dict[str, EventSource] = {}
    for report in sources:
        outlet = (report.source or report.article_id).strip().lower()
        current = latest.get(outlet)
        new_at = published_at(report.published)
        old_at = published_at(current.published) if current is not None else None
        if current is None or new_at is None or old_at is None or new_at >= old_at:
            latest[outlet] = report
    return list(latest.values())


def event_groups(event: Event, groups_of: GroupsOf) -> dict[str, list[int]]:
    """An event's killed split as the report giving its killed figure splits it, its wounded as
    the report giving its wounded figure does (the first such report among each outlet's latest)."""
    current = latest_sources(event.sources)
    out: dict[str, list[int]] = {}
    for index, figure in ((0, event.killed), (1, event.wounded)):
        source = next((s for s in current if (s.killed, s.wounded)[index] == figure), None)
        groups = groups_of(source.incident_id) if source is not None else None
        for group, *figures in groups or [(event.victim_category, event.killed, event.wounded)]:
            out.setdefault(group, [0, 0])[index] += figures[index]
    return out


def event_entry(event: Event, groups_of: GroupsOf) -> EventEntry | None:
    """What a daily row keeps of an event version; None when the event counts nothing."""
    if event.killed <= 0 and event.wounded <= 0:
        return None
    return [event.version, event.killed, event.wounded, event_groups(event, groups_of), event.method]


def set_event(row: Row, event_id: str, entry: EventEntry | None) -> bool:
    """Set (or, with None, remove) an event's entry; True when the row changed. The row's sums
    change by the difference (a row's tally never needs its entries read again)."""
    events = row["events"]
    old = events.get(event_id)
    if old == entry:
        return False
    if old is not None:
        _add_event(row["sums"], old, -1)
    if entry is None:
        del events[event_id]
    else:
        events[event_id] = entry
        _add_event(row["sums"], entry, 1)
    return True


def set_suspect(row: Row, incident_id: str, killed: int, wounded: int) -> bool:
    """Set a suspect incident's figures; True when the row changed."""
    entry = [killed, wounded]
    old = row["suspect"].get(incident_id)
    if old == entry:
        return False
    sums = row["sums"]
    if old is not None:
        sums["suspect_killed"] -= old[0]
        sums["suspect_wounded"] -= old[1]
        sums["suspect_incidents"] -= 1
    row["suspect"][incident_id] = entry
    sums["suspect_killed"] += killed
    sums["suspect_wounded"] += wounded
    sums["suspect_incidents"] += 1
    return True


def _bump(breakdown: dict[str, dict[str, int]], key: str, killed: int, wounded: int, n: int = 1) -> None:
    cell = breakdown.setdefault(key, {"killed": 0, "wounded": 0, "incidents": 0})
    cell["killed"] += killed
    cell["wounded"] += wounded
    cell["incidents"] += n
    if not (cell["killed"] or cell["wounded"] or cell["incidents"]):
        del breakdown[key]


def _add_event(sums: dict[str, Any], entry: EventEntry, sign: int) -> None:
    _, killed, wounded, groups, method = entry
    sums["killed"] += sign * killed
    sums["wounded"] += sign * wounded
    sums["incidents"] += sign
    for group, (group_killed, group_wounded) in groups.items():
        _bump(sums["by_victim_category"], group, sign * group_killed, sign * group_wounded, sign)
    _bump(sums["by_method"], method, sign * killed, sign * wounded, sign)


def sums_of(row: Row) -> dict[str, Any]:
    """A row's sums counted from its entries (what :func:`set_event` keeps up to date)."""
    sums = _no_sums()
    for entry in (row.get("events") or {}).values():
        _add_event(sums, entry, 1)
    for killed, wounded in (row.get("suspect") or {}).values():
        sums["suspect_killed"] += killed
        sums["suspect_wounded"] += wounded
        sums["suspect_incidents"] += 1
    return sums


def tally_of(row: Row) -> Tally:
    """The RegionTally of a daily row (``incidents`` counts events), from its sums."""
    window = str(row["window"])
    out = empty_tally(str(row["region_code"]), window, row.get("region"))
    sums = row.get("sums") or sums_of(row)
    for key in _SUMS:
        out[key] = sums[key]
    for field in ("by_victim_category", "by_method"):
        out[field] = {k: dict(v) for k, v in sums[field].items()}
    if out["incidents"] and window != UNDATED:
        out["first_event_date"] = out["last_event_date"] = window
    return out


class RunningTotals:
    """A region's running row: the sum of its daily rows' tallies, changed by differences."""

    def __init__(self, code: str, name: str | None = None) -> None:
        self.row: Tally = empty_tally(code, "all", name)
        self._days: list[str] = []
        """Days whose row counts an event, sorted (first and last event date)."""

    def add(self, tally: Tally, sign: int = 1) -> None:
        """Add (``sign`` 1) or take away (-1) one daily row's tally."""
        row = self.row
        for key in _SUMS:
            row[key] += sign * int(tally.get(key, 0))
        for field in ("by_victim_category", "by_method"):
            breakdown = row[field]
            for key, cell in tally[field].items():
                _bump(breakdown, key, sign * cell["killed"], sign * cell["wounded"], sign * cell["incidents"])
        day = tally.get("first_event_date")
        if day:
            at = bisect.bisect_left(self._days, day)
            if sign > 0:
                self._days.insert(at, day)
            elif at < len(self._days) and self._days[at] == day:
                del self._days[at]
        row["first_event_date"] = self._days[0] if self._days else None
        row["last_event_date"] = self._days[-1] if self._days else None
        if row["region"] is None and tally.get("region"):
            row["region"] = tally["region"]

    def replace(self, old: Tally | None, new: Tally) -> None:
        """One daily row changed from ``old`` (None: it did not exist) to ``new``."""
        if old is not None:
            self.add(old, -1)
        self.add(new)


def running_of(code: str, daily: Iterable[Row]) -> RunningTotals:
    """The running totals of a region from all its daily rows."""
    totals = RunningTotals(code)
    for row in daily:
        totals.add(tally_of(row))
    return totals


def reference_tables(events: Iterable[Event], suspect: Iterable[Mapping[str, Any]],
                     incidents: Mapping[str, Mapping[str, Any]]) -> dict[str, Tally]:
    """The tallies topic a batch run must end with: ``<region>|all`` and ``<region>|<day>`` rows,
    from the final version of every event, the suspect incidents (each once) and every incident by
    id (for the victim groups).

    The batch side of the reliability tests: it folds final versions directly, with none of the
    stream's moving and setting, so a stream that loses or repeats a change does not match it.
    """
    rows: dict[str, Row] = {}

    def row_for(code: str, window: str | None, name: str | None) -> Row:
        return rows.setdefault(daily_key(code, window), new_row(code, window, name))

    def groups_of(incident_id: str) -> Groups | None:
        incident = incidents.get(incident_id)
        return report_groups(incident) if incident is not None else None

    for event in events:
        entry = event_entry(event, groups_of)
        if entry is not None:
            code = event.location.region_code or "unknown"
            set_event(row_for(code, event.event_date, event.location.region), event.event_id, entry)
    for incident in suspect:
        if not (incident.get("killed") or incident.get("wounded")):
            continue
        code = (incident.get("location") or {}).get("region_code") or "unknown"
        date = incident.get("event_date") or incident.get("published")
        day = date[:10] if isinstance(date, str) and len(date) >= 10 else None
        set_suspect(row_for(code, day, (incident.get("location") or {}).get("region")),
                    str(incident["incident_id"]), int(incident.get("killed") or 0), int(incident.get("wounded") or 0))
    out: dict[str, Tally] = {}
    by_region: dict[str, list[Row]] = {}
    for key, row in rows.items():
        if is_empty(row):
            continue
        by_region.setdefault(str(row["region_code"]), []).append(row)
        if row["window"] != UNDATED:
            out[key] = tally_of(row)
    for code, region_rows in by_region.items():
        out[f"{code}|all"] = running_of(code, region_rows).row
    return out
