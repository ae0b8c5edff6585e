"""The dashboard page in a real headless Chromium, against fixed JSON views.

A stdlib HTTP server stands in for the worker: it serves ``dashboard_html()`` with its CSP
headers at ``/dashboard`` and canned ``/regions``, ``/incidents`` and ``/stats`` documents, so
this test pins the page's behaviour without Kafka. The end-to-end variant against a live worker
belongs to the stream tests.
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

import pytest

from streams.web.dashboard import dashboard_headers, dashboard_html
from tests.support.browser import chromium_path, dump_dom, screenshot

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Written for this test in the style of a wire report; figures are invented.
EVIDENCE_MOSUL = (
    "A roadside bomb struck a police patrol in western Mosul, killing three policemen and wounding five."
)
EVIDENCE_BAGHDAD = "Gunmen shot dead two civilians at a market in Baghdad's Doura district, police said."
EVIDENCE_BAQUBA = "A car bomb exploded near a mosque in Baquba, killing seven people and wounding 14."

def _tally(code: str, name: str, killed: int, wounded: int, category: str, method: str,
           first: str, last: str) -> dict[str, Any]:
    counts = {"killed": killed, "wounded": wounded, "incidents": 1}
    return {
        "region_code": code, "region": name, "window": "all", "killed": killed, "wounded": wounded,
        "incidents": 1, "by_victim_category": {category: counts}, "by_method": {method: counts},
        "first_event_date": first, "last_event_date": last,
    }


REGIONS: list[dict[str, Any]] = [
    _tally("IQ-BG", "Baghdad", 2, 0, "civilian", "gunfire", "2013-05-14", "2013-05-14"),
    _tally("IQ-DI", "Diyala", 7, 14, "unknown", "car_bomb", "2013-05-14", "2013-05-14"),
    _tally("IQ-NI", "Nineveh", 3, 5, "security", "ied", "2013-05-13", "2013-05-14"),
    # A daily-window row must not be shown as a second Nineveh row.
    {**_tally("IQ-NI", "Nineveh", 3, 5, "security", "ied", "2013-05-14", "2013-05-14"),
     "window": "2013-05-14"},
]


def _incident(n: int, region_code: str, region: str, place: str, killed: int, wounded: int,
              category: str, method: str, text: str) -> dict[str, Any]:
    return {
        "incident_id": f"inc-{n}", "article_id": "art-1", "event_date": "2013-05-14",
        "location": {"name": place, "place": place, "city": place, "region": region,
                     "region_code": region_code, "country": "IQ", "precision": "city"},
        "killed": killed, "wounded": wounded, "victim_category": category, "method": method,
        "evidence": {"text": text, "start": 0, "end": len(text)},
        "extractor": {"name": "rules", "version": "1"},
    }


INCIDENTS = [
    _incident(3, "IQ-DI", "Diyala", "Baquba", 7, 14, "unknown", "car_bomb", EVIDENCE_BAQUBA),
    _incident(2, "IQ-BG", "Baghdad", "Baghdad", 2, 0, "civilian", "gunfire", EVIDENCE_BAGHDAD),
    _incident(1, "IQ-NI", "Nineveh", "Mosul", 3, 5, "security", "ied", EVIDENCE_MOSUL),
]
# Article text is untrusted: markup in it must be shown as text, never parsed.
HOSTILE = _incident(0, "unknown", "", "<img src=x onerror=alert(1)>", 0, 1, "unknown", "other",
                    "A <b>bold</b> claim & more.")


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
    """Answers like the worker's web views would; records which paths were requested."""

    requested: ClassVar[list[str]] = []
    extra_incidents: ClassVar[list[dict[str, Any]]] = []

    def do_GET(self) -> None:
        type(self).requested.append(self.path)
        path = self.path.split("?", 1)[0]
        if path == "/dashboard":
            self._send(200, dashboard_html(), dashboard_headers())
        elif path in ("/regions", "/incidents", "/stats"):
            # The shapes of streams/web/routes.py: lists wrapped in objects (the page also takes bare lists).
            incidents = [*INCIDENTS, *self.extra_incidents]
            body = {
                "/regions": {"regions": REGIONS, "totals": {"killed": 12, "wounded": 19, "incidents": 3}},
                "/incidents": {"incidents": incidents, "count": len(incidents)},
                "/stats": _stats(),
            }[path]
            self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})

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
    # Sorted by killed, the daily-window row left out; cells: name+code, killed, wounded, incidents.
    assert [(code, cells[1:4]) for code, cells in parser.rows] == [
        ("IQ-DI", ["7", "14", "1"]),
        ("IQ-NI", ["3", "5", "1"]),
        ("IQ-BG", ["2", "0", "1"]),
    ]
    assert parser.rows[1][1][0] == "NinevehIQ-NI"
    assert parser.totals is not None and parser.totals[:4] == ["Total (3 regions)", "12", "19", "3"]

    for sentence in (EVIDENCE_MOSUL, EVIDENCE_BAGHDAD, EVIDENCE_BAQUBA):
        assert f'<blockquote class="evidence">{sentence}</blockquote>' in dom
    assert dom.index(EVIDENCE_BAQUBA) < dom.index(EVIDENCE_MOSUL)  # server order: newest first
    assert '<blockquote class="evidence">A &lt;b&gt;bold&lt;/b&gt; claim &amp; more.</blockquote>' in dom
    assert '<span class="place">&lt;img src=x onerror=alert(1)&gt;</span>' in dom
    assert "<img" not in dom and "<b>" not in dom
    assert re.search(r'id="status"[^>]*>ready<', dom)
    assert re.search(r'id="total-killed"[^>]*>12<', dom)
    # Charts were drawn: one line per throughput series and one for lag.
    assert dom.count('class="series series-articles"') == 1
    assert dom.count('class="series series-lag"') == 1
    # The page polled every view (again after 2 s of virtual time).
    polled = [p for p in _Handler.requested if p.startswith("/regions")]
    assert len(polled) >= 2
    assert "/incidents?limit=20" in _Handler.requested


@pytest.mark.browser
@needs_chromium
def test_dashboard_screenshot(fake_worker: str) -> None:
    out = screenshot(f"{fake_worker}/dashboard", ARTIFACTS / "dashboard-static.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1366, 900)
