"""Pure tally arithmetic: how one incident changes a region's running table.

Kept free of Faust so the arithmetic is tested on its own; the tally agent only stores the
dicts these functions return in its tables.
"""

from __future__ import annotations

from typing import Any

from streams.regions import UNKNOWN_REGION, display_name

Tally = dict[str, Any]


def region_key(incident: dict[str, Any]) -> str:
    """The partition key of an incident: its ISO 3166-2 region code, or ``unknown``."""
    location = incident.get("location") or {}
    code = location.get("region_code")
    return code if isinstance(code, str) and code else UNKNOWN_REGION


def region_name(code: str, incident: dict[str, Any] | None = None) -> str | None:
    """Display name of a region code (:func:`streams.regions.display_name`, given the incident's own)."""
    written = (incident.get("location") or {}).get("region") if incident else None
    return display_name(code, written if isinstance(written, str) else None)


def empty_tally(code: str, window: str = "all", name: str | None = None) -> Tally:
    """A region row with nothing counted yet."""
    return {
        "region_code": code,
        "region": name,
        "window": window,
        "killed": 0,
        "wounded": 0,
        "incidents": 0,
        "by_victim_category": {},
        "by_method": {},
        "first_event_date": None,
        "last_event_date": None,
        "suspect_killed": 0,
        "suspect_wounded": 0,
        "suspect_incidents": 0,
    }


def _bump(breakdown: dict[str, dict[str, int]], key: str, killed: int, wounded: int) -> None:
    row = breakdown.setdefault(key, {"killed": 0, "wounded": 0, "incidents": 0})
    row["killed"] += killed
    row["wounded"] += wounded
    row["incidents"] += 1


def has_figures(incident: dict[str, Any]) -> bool:
    """Whether an incident states casualties: only stated numbers are tallied.

    An incident with only vague figures ("dozens were killed") is published on ``incidents`` with
    its ``vague`` words and min/max, but adds nothing to killed, wounded or the incident count,
    as report authors total (see the corpus convention).
    """
    return int(incident.get("killed") or 0) > 0 or int(incident.get("wounded") or 0) > 0


def is_suspect(incident: dict[str, Any]) -> bool:
    """Whether the article's self-check held the incident back (``status`` = ``suspect``)."""
    return incident.get("status") == "suspect"


def tallied(incident: dict[str, Any]) -> bool:
    """Whether an incident changes a table row: counted figures, or suspect ones (kept apart)."""
    return has_figures(incident)


def counts(incident: dict[str, Any], count_suspect: bool = False) -> bool:
    """Whether an incident adds to killed, wounded and incidents: stated figures, and not suspect
    unless the worker counts suspect incidents (``--count-suspect``)."""
    return has_figures(incident) and (count_suspect or not is_suspect(incident))


def apply_incident(tally: Tally | None, incident: dict[str, Any], window: str = "all",
                   count_suspect: bool = False) -> Tally:
    """A new tally: ``tally`` plus one incident (the input is not modified).

    A suspect incident adds to ``suspect_killed/wounded/incidents`` always, and to the counted
    columns only with ``count_suspect``. Incidents that are not :func:`tallied` leave the tally as
    it is (a new empty row when none).
    """
    code = region_key(incident)
    base = tally if tally else empty_tally(code, window, region_name(code, incident))
    if not tallied(incident):
        return base
    out: Tally = {
        **base,
        "by_victim_category": {k: dict(v) for k, v in base["by_victim_category"].items()},
        "by_method": {k: dict(v) for k, v in base["by_method"].items()},
    }
    if out.get("region") is None:
        out["region"] = region_name(code, incident)
    killed = int(incident.get("killed") or 0)
    wounded = int(incident.get("wounded") or 0)
    if is_suspect(incident):
        out["suspect_killed"] = int(out.get("suspect_killed", 0)) + killed
        out["suspect_wounded"] = int(out.get("suspect_wounded", 0)) + wounded
        out["suspect_incidents"] = int(out.get("suspect_incidents", 0)) + 1
    if not counts(incident, count_suspect):
        return out
    out["killed"] += killed
    out["wounded"] += wounded
    out["incidents"] += 1
    victims = incident.get("victims") or []
    if victims:
        for group in victims:
            _bump(out["by_victim_category"], str(group.get("category", "unknown")),
                  int(group.get("killed") or 0), int(group.get("wounded") or 0))
    else:
        _bump(out["by_victim_category"], str(incident.get("victim_category") or "unknown"), killed, wounded)
    _bump(out["by_method"], str(incident.get("method") or "unknown"), killed, wounded)
    date = incident.get("event_date") or incident.get("published")
    if isinstance(date, str) and date:
        day = date[:10]
        if out["first_event_date"] is None or day < out["first_event_date"]:
            out["first_event_date"] = day
        if out["last_event_date"] is None or day > out["last_event_date"]:
            out["last_event_date"] = day
    return out


APPLIED = "_applied_offset"
"""Row field: the ``incidents`` offset last added to this row (rows are single changelog records,
so the watermark and the counts it guards are saved together, atomically)."""


def already_applied(row: Tally | None, offset: int) -> bool:
    """Whether the incident at ``offset`` is already in ``row`` (a redelivery after a crash)."""
    return bool(row) and int(row.get(APPLIED, -1)) >= offset  # type: ignore[union-attr]


def published(row: Tally) -> Tally:
    """The row as the RegionTally contract publishes it (internal fields dropped)."""
    return {key: value for key, value in row.items() if key != APPLIED}


def event_day(incident: dict[str, Any]) -> str | None:
    """The YYYY-MM-DD day an incident belongs to for the daily table."""
    date = incident.get("event_date") or incident.get("published")
    if isinstance(date, str) and len(date) >= 10:
        return date[:10]
    return None


def totals(rows: list[Tally]) -> Tally:
    """The totals row of a table."""
    out = empty_tally("total", "all", "Total")
    for row in rows:
        for key in ("killed", "wounded", "incidents", "suspect_killed", "suspect_wounded", "suspect_incidents"):
            out[key] += int(row.get(key, 0))
    return out


def sort_rows(rows: list[Tally]) -> list[Tally]:
    """Rows sorted by killed, then wounded, then region code."""
    return sorted(rows, key=lambda r: (-int(r.get("killed", 0)), -int(r.get("wounded", 0)), str(r["region_code"])))
