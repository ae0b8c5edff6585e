"""The dashboard page in a real headless Chromium, against fixed JSON views.

A stdlib HTTP server stands in for the worker: it serves ``dashboard_html()`` with its CSP
headers at ``/dashboard``, the map at ``/dashboard/world.json`` and answers ``/incidents``,
``/incidents/summary``, ``/regions`` and ``/review`` with the worker's own query functions
(:mod:`streams.web.query`) over canned incidents, so this test pins the page's behaviour without
Kafka. The end-to-end variant against a live worker is tests/test_dashboard_live.py.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl

import pytest

from streams.web.dashboard import dashboard_headers, dashboard_html, world_map_json
from streams.web.query import FILTERS, parse_query, select, summarise
from tests.support.browser import chromium_path, dump_dom, screenshot

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Written for this test in the style of a wire report; figures are invented.
EVIDENCE_MOSUL = (
    "A roadside bomb struck a police patrol in western Mosul, killing three policemen and wounding five."
)
EVIDENCE_BAGHDAD = "Gunmen shot dead two civilians at a market in Baghdad's Doura district, police said."
EVIDENCE_BAQUBA = "A car bomb exploded near a mosque in Baquba, killing seven people and wounding 14."

def _incident(n: int, region_code: str, region: str, place: str, killed: int, wounded: int,
              category: str, method: str, text: str, lat: float | None = None, lon: float | None = None,
              ) -> dict[str, Any]:
    return {
        "incident_id": f"inc-{n}", "article_id": "art-1", "event_date": "2013-05-14", "source": "Test Wire",
        "url": f"https://wire.example.org/{n}",
        "location": {"name": place, "place": place, "city": place, "region": region,
                     "region_code": region_code, "country": "IQ", "precision": "city", "lat": lat, "lon": lon},
        "killed": killed, "wounded": wounded, "killed_min": killed, "killed_max": killed, "wounded_min": wounded,
        "wounded_max": wounded, "victim_category": category, "method": method, "status": "counted",
        "evidence": {"text": text, "start": 0, "end": len(text)},
        "extractor": {"name": "rules", "version": "1"},
    }


INCIDENTS = [
    _incident(3, "IQ-DI", "Diyala", "Baquba", 7, 14, "unknown", "car_bomb", EVIDENCE_BAQUBA, 33.75, 44.64),
    _incident(2, "IQ-BG", "Baghdad", "Baghdad", 2, 0, "civilian", "gunfire", EVIDENCE_BAGHDAD, 33.31, 44.36),
    _incident(1, "IQ-NI", "Nineveh", "Mosul", 3, 5, "security", "ied", EVIDENCE_MOSUL, 36.34, 43.13),
]
# Article text is untrusted: markup in it must be shown as text, never parsed.
HOSTILE = {**_incident(0, "unknown", "", "<img src=x onerror=alert(1)>", 0, 1, "unknown", "other",
                       "A <b>bold</b> claim & more."), "source": "<script>x()</script>"}
HOSTILE["location"]["region_code"] = None
DEAD_LETTER = {"occurred_at": "2013-05-14T10:00:00.000Z", "error_code": "invalid_json", "error_field": None,
               "reason": "message is not valid JSON", "key": "<k>"}


def _stats() -> dict[str, Any]:
    """Ten minutes of a feed burst: smooth rates per 10 s, lag building up and draining."""
    now = int(time.time())
    series = []
    for t in range(now - 599, now + 1):
        age = now - t
        per_10s = round(5 + 4 * math.sin(age / 70)) if 60 < age < 480 else 0
        series.append({
            "t": t,
            "articles": int(t % 10 < per_10s),
            "incidents": 2 * int(t % 10 < per_10s // 2),
            "lag": max(0, 120 - abs(age - 300) // 2) if 180 < age < 420 else 0,
        })
    return {"articles": {"received": 42, "ok": 39, "duplicate": 2, "dead_letter": 1}, "incidents": 3,
            "lag": series[-1]["lag"], "ready": True, "window_seconds": 600, "series": series}


class _Handler(BaseHTTPRequestHandler):
    """Answers like the worker's web views would (with their query functions); records the paths requested."""

    requested: ClassVar[list[str]] = []
    extra_incidents: ClassVar[list[dict[str, Any]]] = []

    def do_GET(self) -> None:
        type(self).requested.append(self.path)
        path, _, raw_query = self.path.partition("?")
        params = dict(parse_qsl(raw_query))
        incidents = [*self.extra_incidents, *INCIDENTS]  # newest first
        if path == "/dashboard":
            self._send(200, dashboard_html(), dashboard_headers())
            return
        if path == "/dashboard/world.json":
            self._send(200, world_map_json(), {"Content-Type": "application/json"})
            return
        if path == "/incidents":
            rows = select(incidents, parse_query(params))
            body: Any = {"incidents": rows[: parse_query(params).limit], "count": len(rows), "complete": True}
        elif path == "/incidents/summary":
            body = summarise(list(reversed(incidents)), parse_query(params, allowed=FILTERS))
        elif path == "/regions":
            doc = summarise(incidents, parse_query({}))
            body = {"regions": doc["regions"], "totals": doc["totals"], "countries": {"IQ": "Iraq"},
                    "count_suspect": False}
        elif path == "/review":
            body = {"suspect": [], "suspect_totals": {}, "count_suspect": False, "dead_letters": [DEAD_LETTER]}
        elif path == "/stats":
            body = _stats()
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@pytest.fixture
def fake_worker() -> Iterator[str]:
    """Base URL of a stdlib server playing the worker's web views."""
    _Handler.requested = []
    _Handler.extra_incidents = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Rows(HTMLParser):
    """Collects the region table rows: data-region -> texts of its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.totals: list[str] | None = None
        self._cells: list[str] | None = None
        self._in_table = False
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == "regions":
            self._in_table = True
        elif self._in_table and tag == "tr" and ("data-region" in a or "data-total" in a):
            self._cells = []
            if "data-region" in a:
                self.rows.append((a["data-region"] or "", self._cells))
            else:
                self.totals = self._cells
        elif self._cells is not None and tag == "td":
            self._cells.append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False
        elif tag == "tr":
            self._cells = None
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._in_cell and self._cells is not None:
            self._cells[-1] += data


needs_chromium = pytest.mark.skipif(
    chromium_path() is None, reason="chromium not installed (apt-get install -y chromium)"
)


def test_dashboard_html_is_self_contained() -> None:
    html = dashboard_html().decode("utf-8")
    assert "<style>" in html and "<script>" in html
    # No request may leave the worker: no external or even sibling asset references.
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert 'href="dashboard.css"' not in html and 'src="dashboard.js"' not in html
    assert "script-src 'sha256-" in dashboard_headers()["Content-Security-Policy"]


@pytest.mark.browser
@needs_chromium
def test_dashboard_renders_regions_incidents_and_charts(fake_worker: str) -> None:
    _Handler.extra_incidents = [HOSTILE]
    dom = dump_dom(f"{fake_worker}/dashboard")

    parser = _Rows()
    parser.feed(dom)
    # Sorted by killed, under their country; cells: name+code, killed, wounded, incidents.
    assert [(code, cells[1:4]) for code, cells in parser.rows] == [
        ("IQ-DI", ["7", "14", "1"]),
        ("IQ-NI", ["3", "5", "1"]),
        ("IQ-BG", ["2", "0", "1"]),
        ("unknown", ["0", "1", "1"]),
    ]
    assert parser.rows[1][1][0] == "NinevehIQ-NI"
    assert parser.totals is not None and parser.totals[:4] == ["Total (4 regions)", "12", "20", "4"]
    assert '<tr class="country" data-country="IQ">' in dom

    for sentence in (EVIDENCE_MOSUL, EVIDENCE_BAGHDAD, EVIDENCE_BAQUBA):
        assert f'<blockquote class="evidence">{sentence}</blockquote>' in dom
    assert dom.index(EVIDENCE_BAQUBA) < dom.index(EVIDENCE_MOSUL)  # server order: newest first
    assert '<blockquote class="evidence">A &lt;b&gt;bold&lt;/b&gt; claim &amp; more.</blockquote>' in dom
    assert '<span class="place">&lt;img src=x onerror=alert(1)&gt;</span>' in dom
    assert "&lt;script&gt;x()&lt;/script&gt;" in dom
    assert "<img" not in dom and "<b>" not in dom and "<script>x()" not in dom
    assert re.search(r'id="status"[^>]*>ready<', dom)
    assert re.search(r'id="total-killed"[^>]*>12<', dom)
    # The map: country outlines, three placed incidents; the series: one day and an undated group.
    assert dom.count('class="point"') == 3
    assert dom.count('class="country has-data"') == 1
    assert dom.count('class="day"') == 1 and dom.count('class="day undated"') == 1
    # The review panel shows the dead letter; the throughput and lag charts were drawn.
    assert '<tr data-error="invalid_json">' in dom and "&lt;k&gt;" in dom
    assert dom.count('class="series series-articles"') == 1
    assert dom.count('class="series series-lag"') == 1
    # The page polled every view (again after 2 s of virtual time).
    polled = [p for p in _Handler.requested if p.startswith("/incidents/summary")]
    assert len(polled) >= 2
    assert "/incidents?limit=1000" in _Handler.requested


@pytest.mark.browser
@needs_chromium
def test_dashboard_screenshot(fake_worker: str) -> None:
    out = screenshot(f"{fake_worker}/dashboard", ARTIFACTS / "dashboard-static.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1366, 900)
