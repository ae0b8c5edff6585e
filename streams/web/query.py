"""What the web API and the dashboard ask of the incidents: filters, and the tables they sum to.

Pure functions over incident dicts (the records on ``incidents``), free of Faust and Kafka, so the
rules are tested on their own and the dashboard shows exactly what the API answers.

* :func:`parse_query` turns query parameters into a :class:`Query`, or raises :class:`QueryError`
  with the reason (the API answers 400 with it): unknown parameters, dates that are not ISO-8601,
  unknown region codes, methods or victim groups are refused, never ignored.
* :func:`matches` says whether an incident passes the filters. Dates compare as days: an incident
  belongs to its event day (else its article's publication day); ``since=2026-03-01T00:00:00Z``
  means "from 2026-03-01 on", that whole day included. Undated incidents pass only without
  ``since``/``until``.
* :func:`summarise` folds incidents into per-region rows, per-country groups, totals and the daily
  series with an explicit "undated" row, with the tally agent's own arithmetic
  (:func:`streams.worker.tally.apply_incident`), so with no filter it equals the tables.
* :func:`summarise_tables` gives the same document from the tables themselves (running and daily
  rows), exact whatever the web view's memory holds.

The same functions serve any record with the incident fields (a resolved *event* too), so a
second data source can be shown by the same dashboard components.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any, get_args

from schemas.records import GroupCategory, Method, Status, VictimCategory
from streams.regions import UnknownRegion, country_name, country_of, display_name, normalise_code
from streams.worker.tally import apply_incident, event_day, is_suspect, region_key, sort_rows, tallied, totals

Row = dict[str, Any]
METHODS: tuple[str, ...] = get_args(Method)
VICTIM_GROUPS: tuple[str, ...] = tuple(dict.fromkeys((*get_args(VictimCategory), *get_args(GroupCategory))))
STATUSES: tuple[str, ...] = (*get_args(Status), "any")
MAX_LIMIT = 5000
DEFAULT_LIMIT = 50
FILTERS = ("country", "region", "since", "until", "method", "victim", "source", "min_killed", "status")
"""The filter parameters, in the order the API documents them."""
UNDATED = "undated"


class QueryError(ValueError):
    """A query parameter the API cannot use; ``str(exc)`` is the reason for the 400 answer."""


@dataclass(frozen=True, slots=True)
class Query:
    """Normalised filters (None: no filter on that field) and a result limit."""

    country: str | None = None
    region: str | None = None
    since: str | None = None
    until: str | None = None
    method: tuple[str, ...] | None = None
    victim: tuple[str, ...] | None = None
    source: str | None = None
    min_killed: int | None = None
    status: str = "any"
    limit: int = DEFAULT_LIMIT

    @property
    def filtered(self) -> bool:
        """True when any filter narrows the incidents (status ``any`` and the limit do not)."""
        return any(getattr(self, name) is not None for name in FILTERS if name != "status") or self.status != "any"

    def as_dict(self) -> dict[str, Any]:
        """The filters as the API echoes them (lists for multi-valued ones)."""
        out = asdict(self)
        for key in ("method", "victim"):
            if out[key] is not None:
                out[key] = list(out[key])
        return out


def _day(value: str, name: str) -> str:
    """A YYYY-MM-DD day from an ISO-8601 date or datetime (a datetime with an offset is read in UTC)."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"{name} must be an ISO-8601 date or datetime (e.g. 2026-03-01 or "
                         f"2026-03-01T00:00:00Z), got {value!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


def _choices(value: str, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    picked = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    wrong = [p for p in picked if p not in allowed]
    if wrong or not picked:
        raise QueryError(f"{name} must be one or more of {', '.join(allowed)} (comma-separated), got {value!r}")
    return picked


def _integer(value: str, name: str, low: int, high: int | None = None) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise QueryError(f"{name} must be an integer, got {value!r}") from None
    if number < low or (high is not None and number > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise QueryError(f"{name} must be {bound}, got {number}")
    return number


def parse_query(params: Mapping[str, str], *, allowed: Iterable[str] = (*FILTERS, "limit")) -> Query:
    """Query parameters -> :class:`Query`; raises :class:`QueryError` naming the parameter and the reason."""
    allowed = tuple(allowed)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise QueryError(f"unknown parameter {unknown[0]!r}; known: {', '.join(allowed)}")
    values = {key: value for key, value in params.items() if value.strip() != ""}
    fields: dict[str, Any] = {}
    if "country" in values:
        country = values["country"].strip().upper()
        if country != "UNKNOWN" and (len(country) != 2 or country_name(country) is None):
            raise QueryError(f"country must be an ISO 3166-1 alpha-2 code such as IQ, got {values['country']!r}")
        fields["country"] = "unknown" if country == "UNKNOWN" else country
    if "region" in values:
        try:
            fields["region"] = normalise_code(values["region"])
        except UnknownRegion as exc:
            raise QueryError(f"region: {exc}") from None
    for name in ("since", "until"):
        if name in values:
            fields[name] = _day(values[name], name)
    if fields.get("since") and fields.get("until") and fields["since"] > fields["until"]:
        raise QueryError(f"since ({fields['since']}) is after until ({fields['until']})")
    if "method" in values:
        fields["method"] = _choices(values["method"], "method", METHODS)
    if "victim" in values:
        fields["victim"] = _choices(values["victim"], "victim", VICTIM_GROUPS)
    if "source" in values:
        fields["source"] = values["source"].strip()
    if "min_killed" in values:
        fields["min_killed"] = _integer(values["min_killed"], "min_killed", 0)
    if "status" in values:
        fields["status"] = _choices(values["status"], "status", STATUSES)[0]
    if "limit" in values:
        fields["limit"] = _integer(values["limit"], "limit", 1, MAX_LIMIT)
    return Query(**fields)


def _victim_groups(incident: Row) -> set[str]:
    groups = {str(g.get("category") or "unknown") for g in incident.get("victims") or []}
    groups.add(str(incident.get("victim_category") or "unknown"))
    groups.update(str(g) for g in incident.get("victim_categories") or ())  # an event's groups
    return groups


def _outlets(incident: Row) -> set[str]:
    """The outlets of a record, folded: an incident's source, or every source of an event."""
    names = {str(s.get("source") or "") for s in incident.get("sources") or ()} or {str(incident.get("source") or "")}
    return {name.casefold() for name in names}


def matches(incident: Row, query: Query) -> bool:
    """Whether ``incident`` passes every filter of ``query``."""
    code = region_key(incident)
    if query.region is not None and code != query.region:
        return False
    if query.country is not None:
        country = (incident.get("location") or {}).get("country") or country_of(code) or "unknown"
        if str(country).upper() != query.country.upper():
            return False
    if query.since is not None or query.until is not None:
        day = event_day(incident)
        if day is None or (query.since and day < query.since) or (query.until and day > query.until):
            return False
    if query.method is not None and str(incident.get("method") or "unknown") not in query.method:
        return False
    if query.victim is not None and not (_victim_groups(incident) & set(query.victim)):
        return False
    if query.source is not None and query.source.casefold() not in _outlets(incident):
        return False
    if query.min_killed is not None and int(incident.get("killed") or 0) < query.min_killed:
        return False
    return query.status == "any" or str(incident.get("status") or "counted") == query.status


def select(incidents: Iterable[Row], query: Query) -> list[Row]:
    """The incidents that pass the filters, in the order given."""
    return [incident for incident in incidents if matches(incident, query)]


# --- summaries ---------------------------------------------------------------------------------


def _ranges(incidents: Iterable[Row], count_suspect: bool = False) -> dict[str, Any]:
    """Summed min/max bounds and the wording behind them, for "31 (31-120; dozens)" next to a count.

    A max of None is open-ended ("at least 40"): one open-ended incident makes the sum open-ended.
    Suspect incidents are left out unless they are counted, like in the counted figures.
    """
    out: dict[str, Any] = {"killed_min": 0, "killed_max": 0, "wounded_min": 0, "wounded_max": 0}
    words: dict[str, None] = {}
    qualifiers: dict[str, None] = {}
    vague_incidents = 0
    for incident in incidents:
        if is_suspect(incident) and not count_suspect:
            continue
        for kind in ("killed", "wounded"):
            count = int(incident.get(kind) or 0)
            low = incident.get(f"{kind}_min")
            high = incident.get(f"{kind}_max", count)
            out[f"{kind}_min"] += int(low if low is not None else count)
            out[f"{kind}_max"] = None if out[f"{kind}_max"] is None or high is None else out[f"{kind}_max"] + int(high)
        vague = incident.get("vague") or {}
        vague_incidents += bool(vague)
        words.update(dict.fromkeys(str(w) for w in vague.values()))
        qualifiers.update(dict.fromkeys(str(w) for w in (incident.get("approximate") or {}).values()))
    return {**out, "vague": list(words), "approximate": list(qualifiers), "vague_incidents": vague_incidents}


def _series_point(row: Row) -> Row:
    return {"day": row["window"], "killed": int(row.get("killed", 0)), "wounded": int(row.get("wounded", 0)),
            "incidents": int(row.get("incidents", 0)),
            "suspect_killed": int(row.get("suspect_killed", 0)), "suspect_wounded": int(row.get("suspect_wounded", 0))}


def _undated(running: Row, daily: list[Row]) -> Row:
    """What a region's running row holds beyond its daily rows: its undated incidents."""
    out = {"day": UNDATED}
    for key in ("killed", "wounded", "incidents", "suspect_killed", "suspect_wounded"):
        out[key] = int(running.get(key, 0)) - sum(int(r.get(key, 0)) for r in daily)
    return out


def _document(running: list[Row], daily: list[Row], incidents: list[Row], *, source: str, complete: bool,
              query: Query, count_suspect: bool) -> dict[str, Any]:
    """The summary document from running rows, daily rows and the incidents they came from."""
    by_region: dict[str, list[Row]] = {}
    for incident in incidents:
        by_region.setdefault(region_key(incident), []).append(incident)
    rows = []
    for row in sort_rows(running):
        code = str(row["region_code"])
        rows.append({**row, "region": display_name(code, row.get("region")), "country": country_of(code),
                     "ranges": _ranges(by_region.get(code, []), count_suspect)})
    daily_by_region: dict[str, list[Row]] = {}
    for row in daily:
        daily_by_region.setdefault(str(row["region_code"]), []).append(row)
    days = sorted({str(r["window"]) for r in daily})
    series_rows = []
    total_daily: dict[str, Row] = {d: {"day": d, "killed": 0, "wounded": 0, "incidents": 0, "suspect_killed": 0,
                                       "suspect_wounded": 0} for d in days}
    total_undated = {"day": UNDATED, "killed": 0, "wounded": 0, "incidents": 0, "suspect_killed": 0,
                     "suspect_wounded": 0}
    for row in rows:
        code = str(row["region_code"])
        region_daily = sorted(daily_by_region.get(code, []), key=lambda r: str(r["window"]))
        points = [_series_point(r) for r in region_daily]
        undated = _undated(row, region_daily)
        for point in points:
            for key in ("killed", "wounded", "incidents", "suspect_killed", "suspect_wounded"):
                total_daily[point["day"]][key] += point[key]
        for key in ("killed", "wounded", "incidents", "suspect_killed", "suspect_wounded"):
            total_undated[key] += undated[key]
        series_rows.append({"region_code": code, "region": row["region"], "country": row["country"],
                            "daily": points, "undated": undated})
    countries: dict[str | None, list[Row]] = {}
    for row in rows:
        countries.setdefault(row["country"], []).append(row)
    groups = [
        {"country": code, "name": country_name(code) if code else "Unknown place", "totals": totals(members),
         "regions": members}
        for code, members in sorted(countries.items(), key=lambda kv: (-totals(kv[1])["killed"], str(kv[0])))
    ]
    return {
        "source": source,
        "complete": complete,
        "count_suspect": count_suspect,
        "filters": query.as_dict(),
        "totals": {**totals(rows), **_ranges(incidents, count_suspect)},
        "regions": rows,
        "countries": groups,
        "series": {"days": days, "total": {"daily": list(total_daily.values()), "undated": total_undated},
                   "regions": series_rows},
    }


def summarise(incidents: Iterable[Row], query: Query, *, count_suspect: bool = False,
              complete: bool = True) -> dict[str, Any]:
    """Fold the incidents that pass ``query`` into rows, country groups, totals and the daily series.

    ``complete`` says whether ``incidents`` holds every incident published (the web view keeps
    only the most recent ones); it is echoed so a reader knows whether the figures are whole.
    """
    chosen = [i for i in select(incidents, query) if tallied(i) or i.get("vague")]
    running: dict[str, Row] = {}
    daily: dict[tuple[str, str], Row] = {}
    for incident in chosen:
        if not tallied(incident):  # vague figures only: in the ranges, not in a row (as in the tables)
            continue
        code = region_key(incident)
        running[code] = apply_incident(running.get(code), incident, count_suspect=count_suspect)
        day = event_day(incident)
        if day is not None:
            daily[(code, day)] = apply_incident(daily.get((code, day)), incident, window=day,
                                                count_suspect=count_suspect)
    return _document(list(running.values()), list(daily.values()), chosen, source="incidents",
                     complete=complete, query=query, count_suspect=count_suspect)


def summarise_tables(tallies: Iterable[Row], incidents: Iterable[Row], *, count_suspect: bool = False,
                     complete: bool = True) -> dict[str, Any]:
    """The unfiltered summary from the tables' own rows (``window`` ``all`` and per day).

    ``incidents`` only supply the min/max ranges and vague words next to the counted figures.
    """
    rows = list(tallies)
    running = [r for r in rows if r.get("window", "all") == "all"]
    daily = [r for r in rows if r.get("window", "all") != "all"]
    return _document(running, daily, list(incidents), source="tables", complete=complete, query=Query(),
                     count_suspect=count_suspect)
