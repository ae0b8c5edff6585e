"""Web views of the worker: the JSON API, health, readiness, /metrics and the dashboard.

=========================  =====================================================================
``GET /regions``           ``{"regions": [RegionTally...], "totals": {...}}`` sorted by killed
``GET /regions/{code}``    one RegionTally with ``"daily": [RegionTally per day...]``; 404 if none
``GET /incidents``         most recent incidents first; ``?region=IQ-NI&since=2026-01-31&limit=50``
``GET /stats``             throughput, lag and article counts of the last minutes (dashboard)
``GET /healthz``           200 while the process runs
``GET /readyz``            200 once tables are recovered and the view caught up, else 503
``GET /metrics``           Prometheus exposition
``GET /dashboard``         the live dashboard page
=========================  =====================================================================
"""

from __future__ import annotations

from typing import Any

import faust
import orjson
from faust.web import Request, Response, View

from streams.web import metrics
from streams.web.dashboard import dashboard_headers, dashboard_html
from streams.web.output_view import OutputView

MAX_LIMIT = 1000


def _json(view: View, value: Any, status: int = 200) -> Response:
    return view.bytes(orjson.dumps(value), content_type="application/json", status=status)


def register_views(app: faust.App, output: OutputView, is_ready: Any) -> None:
    """Attach the web views to ``app``; ``is_ready()`` says whether tables are recovered."""

    @app.page("/regions")
    class Regions(View):
        async def get(self, request: Request) -> Response:
            return _json(self, output.regions_with_totals())

    @app.page("/regions/{code}")
    class RegionDetail(View):
        async def get(self, request: Request, code: str) -> Response:
            row = output.region(code)
            if row is None:
                return _json(self, {"error": f"no casualties recorded for region {code!r}"}, status=404)
            return _json(self, row)

    @app.page("/incidents")
    class Incidents(View):
        async def get(self, request: Request) -> Response:
            query = request.query
            try:
                limit = min(MAX_LIMIT, max(1, int(query.get("limit", "50"))))
            except ValueError:
                return _json(self, {"error": "limit must be an integer"}, status=400)
            rows = output.incidents(region=query.get("region") or None, since=query.get("since") or None,
                                    limit=limit)
            return _json(self, {"incidents": rows, "count": len(rows)})

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
