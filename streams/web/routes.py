"""Web views of the worker: the JSON API, health, readiness, /metrics and the dashboard.

==============================  ================================================================
``GET /regions``                ``{"regions": [RegionTally...], "totals": {...}, "countries": {code: name},
                                "count_suspect": bool}`` sorted by killed
``GET /regions/{code}``         one RegionTally with ``"daily"`` and ``"undated"``; 404 (unknown region, or none)
``GET /incidents``              most recent incidents first, filtered (see below); 400 with a reason
``GET /incidents/summary``      the filtered incidents as rows, country groups, totals and daily series
``GET /review``                 suspect incidents and the latest dead letters (the review panel)
``GET /events``                 resolved events (latest versions, most recently changed first) with their
                                sources, filtered like /incidents; ``/events/summary`` and
                                ``/export/events.csv|json`` as for incidents
``GET /export/incidents.csv``   the filtered incidents (``.json`` too)
``GET /export/regions.csv``     the summary's rows with their breakdowns (``.json`` too)
``GET /stats``                  throughput, lag and article counts of the last minutes (dashboard)
``GET /healthz``                200 while the process runs
``GET /readyz``                 200 once tables are recovered and the view caught up, else 503
``GET /metrics``                Prometheus exposition
``GET /dashboard``              the live dashboard page; ``/dashboard/world.json`` its map
==============================  ================================================================

Filters (``/incidents``, ``/events``, their summaries, ``/export/*``): ``country``, ``region``,
``since``, ``until``, ``method``, ``victim``, ``source`` (an event passes when any of its reports
comes from that outlet), ``min_killed``, ``status``; ``limit`` for lists. Rules in
:mod:`streams.web.query`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import faust
import orjson
from faust.web import Request, Response, View

from streams.regions import UnknownRegion, country_name, country_of, display_name, normalise_code
from streams.web import metrics
from streams.web.dashboard import dashboard_headers, dashboard_html, world_map_json
from streams.web.events_view import EventsView
from streams.web.export import INCIDENT_COLUMNS, REGION_COLUMNS, incident_line, region_line, to_csv
from streams.web.output_view import OutputView
from streams.web.query import FILTERS, MAX_LIMIT, Query, QueryError, parse_query, summarise, summarise_tables
from streams.worker.tally import totals

REVIEW_LIMIT = 200
EVENTS_WAIT_S = 10.0
"""How long the first events request waits for the events view to read the topic's tail."""


def _json(view: View, value: Any, status: int = 200) -> Response:
    return view.bytes(orjson.dumps(value), content_type="application/json", status=status)


def _params(request: Request) -> dict[str, str]:
    return {str(key): str(value) for key, value in request.query.items()}


def named(row: dict[str, Any]) -> dict[str, Any]:
    """A table row with its region's display name (:func:`streams.regions.display_name`)."""
    return {**row, "region": display_name(str(row["region_code"]), row.get("region"))}


def register_views(app: faust.App, output: OutputView, is_ready: Callable[[], bool], *,
                   count_suspect: bool = False, events: EventsView | None = None) -> None:
    """Attach the web views to ``app``; ``is_ready()`` says whether tables are recovered."""

    def summary(query: Query) -> dict[str, Any]:
        if query.filtered:
            return summarise(output.all_incidents(), query, count_suspect=count_suspect, complete=output.complete)
        return summarise_tables(output.tallies.values(), output.all_incidents(), count_suspect=count_suspect,
                                complete=output.complete)

    async def event_rows(view: View, request: Request, allowed: tuple[str, ...] = (*FILTERS, "limit"),
                         defaults: dict[str, str] | None = None) -> tuple[Query, bool] | Response:
        """The query of an events request, once the events view has caught up (or 404/400)."""
        if events is None:
            return _json(view, {"error": "this worker does not serve events"}, status=404)
        try:
            query = parse_query({**(defaults or {}), **_params(request)}, allowed=allowed)
        except QueryError as exc:
            return _json(view, {"error": str(exc)}, status=400)
        caught_up = await events.ready(EVENTS_WAIT_S)
        return query, caught_up

    @app.page("/regions")
    class Regions(View):
        async def get(self, request: Request) -> Response:
            rows = [named(row) for row in output.regions()]
            countries = sorted({c for c in (country_of(str(r["region_code"])) for r in rows) if c})
            return _json(self, {"regions": rows, "totals": totals(rows), "count_suspect": count_suspect,
                                "countries": {c: country_name(c) for c in countries}})

    @app.page("/regions/{code}")
    class RegionDetail(View):
        async def get(self, request: Request, code: str) -> Response:
            try:
                canonical = normalise_code(code)
            except UnknownRegion as exc:
                return _json(self, {"error": str(exc)}, status=404)
            row = output.region(canonical)
            if row is None:
                return _json(self, {"error": f"no casualties recorded for region {canonical!r}"}, status=404)
            undated = {key: int(row.get(key, 0)) - sum(int(d.get(key, 0)) for d in row["daily"])
                       for key in ("killed", "wounded", "incidents", "suspect_killed", "suspect_wounded")}
            return _json(self, {**named(row), "daily": [named(d) for d in row["daily"]], "undated": undated})

    @app.page("/incidents")
    class Incidents(View):
        async def get(self, request: Request) -> Response:
            try:
                query = parse_query(_params(request))
            except QueryError as exc:
                return _json(self, {"error": str(exc)}, status=400)
            rows = output.select(query)
            return _json(self, {"incidents": rows, "count": len(rows), "complete": output.complete,
                                "filters": query.as_dict()})

    @app.page("/incidents/summary")
    class IncidentSummary(View):
        async def get(self, request: Request) -> Response:
            try:
                query = parse_query(_params(request), allowed=FILTERS)
            except QueryError as exc:
                return _json(self, {"error": str(exc)}, status=400)
            return _json(self, summary(query))

    @app.page("/events")
    class Events(View):
        async def get(self, request: Request) -> Response:
            asked = await event_rows(self, request)
            if isinstance(asked, Response):
                return asked
            query, caught_up = asked
            assert events is not None
            rows = events.select(query)
            return _json(self, {"events": rows, "count": len(rows), "complete": events.complete,
                                "caught_up": caught_up, "filters": query.as_dict()})

    @app.page("/events/summary")
    class EventSummary(View):
        async def get(self, request: Request) -> Response:
            asked = await event_rows(self, request, FILTERS)
            if isinstance(asked, Response):
                return asked
            query, _ = asked
            assert events is not None
            if query.filtered:
                doc = summarise(events.rows(), query, count_suspect=count_suspect, complete=events.complete)
                return _json(self, {**doc, "source": "events"})
            return _json(self, summarise_tables(output.tallies.values(), events.rows(), count_suspect=count_suspect,
                                                complete=events.complete))

    @app.page("/export/events.{fmt}")
    class ExportEvents(View):
        async def get(self, request: Request, fmt: str) -> Response:
            asked = await event_rows(self, request, defaults={"limit": str(MAX_LIMIT)})
            if isinstance(asked, Response):
                return asked
            query, _ = asked
            assert events is not None
            rows = events.select(query)
            if fmt == "json":
                return _download(self, orjson.dumps({"events": rows, "filters": query.as_dict()}),
                                 "application/json", "events.json")
            if fmt != "csv":
                return _json(self, {"error": "export format must be csv or json"}, status=404)
            lines = (incident_line(r, display_name(str((r.get("location") or {}).get("region_code") or "unknown"),
                                                   (r.get("location") or {}).get("region"))) for r in rows)
            return _download(self, to_csv(lines, INCIDENT_COLUMNS).encode(), "text/csv; charset=utf-8",
                             "events.csv")

    @app.page("/review")
    class Review(View):
        async def get(self, request: Request) -> Response:
            suspect = output.select(Query(status="suspect", limit=REVIEW_LIMIT))
            rows = output.regions()
            held = {key: sum(int(r.get(key, 0)) for r in rows)
                    for key in ("suspect_killed", "suspect_wounded", "suspect_incidents")}
            return _json(self, {"suspect": suspect, "suspect_totals": held, "count_suspect": count_suspect,
                                "dead_letters": output.recent_dead_letters()})

    @app.page("/export/incidents.{fmt}")
    class ExportIncidents(View):
        async def get(self, request: Request, fmt: str) -> Response:
            try:
                query = parse_query({"limit": str(MAX_LIMIT), **_params(request)})
            except QueryError as exc:
                return _json(self, {"error": str(exc)}, status=400)
            rows = output.select(query)
            if fmt == "json":
                return _download(self, orjson.dumps({"incidents": rows, "filters": query.as_dict()}),
                                 "application/json", "incidents.json")
            if fmt != "csv":
                return _json(self, {"error": "export format must be csv or json"}, status=404)
            lines = (incident_line(r, display_name(str((r.get("location") or {}).get("region_code") or "unknown"),
                                                   (r.get("location") or {}).get("region"))) for r in rows)
            return _download(self, to_csv(lines, INCIDENT_COLUMNS).encode(), "text/csv; charset=utf-8",
                             "incidents.csv")

    @app.page("/export/regions.{fmt}")
    class ExportRegions(View):
        async def get(self, request: Request, fmt: str) -> Response:
            try:
                query = parse_query(_params(request), allowed=FILTERS)
            except QueryError as exc:
                return _json(self, {"error": str(exc)}, status=400)
            doc = summary(query)
            if fmt == "json":
                return _download(self, orjson.dumps(doc), "application/json", "regions.json")
            if fmt != "csv":
                return _json(self, {"error": "export format must be csv or json"}, status=404)
            return _download(self, to_csv((region_line(r) for r in doc["regions"]), REGION_COLUMNS).encode(),
                             "text/csv; charset=utf-8", "regions.csv")

    @app.page("/stats")
    class Stats(View):
        async def get(self, request: Request) -> Response:
            return _json(self, metrics.throughput_series())

    @app.page("/healthz")
    class Health(View):
        async def get(self, request: Request) -> Response:
            return _json(self, {"status": "ok"})

    @app.page("/readyz")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            ready = bool(is_ready())
            return _json(self, {"ready": ready, "view_error": output.error}, status=200 if ready else 503)

    @app.page("/metrics")
    class Metrics(View):
        async def get(self, request: Request) -> Response:
            body, content_type = metrics.render_latest()
            return self.bytes(body, headers={"Content-Type": content_type})

    @app.page("/dashboard")
    class Dashboard(View):
        async def get(self, request: Request) -> Response:
            return self.bytes(dashboard_html(), headers=dashboard_headers())

    @app.page("/dashboard/world.json")
    class WorldMap(View):
        async def get(self, request: Request) -> Response:
            return self.bytes(world_map_json(), headers={"Content-Type": "application/json",
                                                         "Cache-Control": "max-age=86400"})


def _download(view: View, body: bytes, content_type: str, filename: str) -> Response:
    return view.bytes(body, headers={"Content-Type": content_type,
                                     "Content-Disposition": f'attachment; filename="{filename}"'})
