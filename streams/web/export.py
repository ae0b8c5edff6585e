"""CSV renderings of incidents and table rows for the dashboard's downloads (JSON is the records as they are).

Breakdowns become columns: one ``<group>_killed``/``<group>_wounded`` pair per victim group and
one ``<method>_killed``/``<method>_wounded``/``<method>_incidents`` triple per method, in the
contract's vocabulary order, so a spreadsheet sums them without parsing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, get_args

from schemas.records import GroupCategory, Method

Row = dict[str, Any]
GROUPS: tuple[str, ...] = get_args(GroupCategory)
METHODS: tuple[str, ...] = get_args(Method)

INCIDENT_COLUMNS = (
    "incident_id", "event_date", "country", "region_code", "region", "place", "lat", "lon", "precision",
    "killed", "wounded", "killed_min", "killed_max", "wounded_min", "wounded_max", "vague", "approximate",
    "victim_category", *(f"{g}_{k}" for g in GROUPS for k in ("killed", "wounded")), "method", "perpetrator",
    "status", "status_reason", "source", "url", "published", "article_id", "evidence",
)
REGION_COLUMNS = (
    "country", "region_code", "region", "window", "killed", "wounded", "incidents",
    "suspect_killed", "suspect_wounded", "suspect_incidents", "first_event_date", "last_event_date",
    *(f"{g}_{k}" for g in GROUPS for k in ("killed", "wounded")),
    *(f"{m}_{k}" for m in METHODS for k in ("killed", "wounded", "incidents")),
)


def _words(mapping: Any) -> str:
    """``{"killed": "dozens"}`` -> ``killed: dozens`` (empty when none)."""
    if not isinstance(mapping, dict):
        return ""
    return "; ".join(f"{k}: {v}" for k, v in mapping.items())


def incident_line(incident: Row, region_name: str | None = None) -> Row:
    """One incident as a flat CSV row (the region's display name given by the caller)."""
    location = incident.get("location") or {}
    groups = {str(g.get("category")): g for g in incident.get("victims") or []}
    if not groups:
        category = str(incident.get("victim_category") or "unknown")
        groups = {category: {"killed": incident.get("killed", 0), "wounded": incident.get("wounded", 0)}}
    line: Row = {
        "incident_id": incident.get("incident_id"), "event_date": incident.get("event_date"),
        "country": location.get("country"), "region_code": location.get("region_code") or "unknown",
        "region": region_name if region_name is not None else location.get("region"),
        "place": location.get("place") or location.get("name"), "lat": location.get("lat"),
        "lon": location.get("lon"), "precision": location.get("precision"),
        "vague": _words(incident.get("vague")), "approximate": _words(incident.get("approximate")),
        "evidence": (incident.get("evidence") or {}).get("text"),
    }
    for key in ("killed", "wounded", "killed_min", "killed_max", "wounded_min", "wounded_max", "victim_category",
                "method", "perpetrator", "status", "status_reason", "source", "url", "published", "article_id"):
        line[key] = incident.get(key)
    for group in GROUPS:
        for kind in ("killed", "wounded"):
            line[f"{group}_{kind}"] = int((groups.get(group) or {}).get(kind) or 0)
    return line


def region_line(row: Row) -> Row:
    """One table row with its breakdowns spread into columns."""
    line: Row = {key: row.get(key) for key in REGION_COLUMNS[:12]}
    for group in GROUPS:
        cell = (row.get("by_victim_category") or {}).get(group) or {}
        for kind in ("killed", "wounded"):
            line[f"{group}_{kind}"] = int(cell.get(kind) or 0)
    for method in METHODS:
        cell = (row.get("by_method") or {}).get(method) or {}
        for kind in ("killed", "wounded", "incidents"):
            line[f"{method}_{kind}"] = int(cell.get(kind) or 0)
    return line


def to_csv(lines: Iterable[Row], columns: tuple[str, ...]) -> str:
    """CSV text with a header line (None becomes an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for line in lines:
        writer.writerow(["" if line.get(c) is None else line.get(c) for c in columns])
    return buffer.getvalue()
