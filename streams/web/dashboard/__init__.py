"""The live dashboard page served by the worker at ``/dashboard``.

The page is kept as three readable files (``index.html``, ``dashboard.css``, ``dashboard.js``)
and served as ONE self-contained HTML document: the stylesheet and script are inlined, so the
page needs no other request than its JSON polls and works offline. :func:`dashboard_headers`
gives a Content-Security-Policy that allows exactly those inline blocks (by hash) and nothing
from any other origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib.resources import files

import orjson
import pycountry

CONTENT_TYPE = "text/html; charset=utf-8"
"""Content type of :func:`dashboard_html`."""

_STYLESHEET_TAG = '<link rel="stylesheet" href="dashboard.css">'
_SCRIPT_TAG = '<script src="dashboard.js"></script>'


def _read(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def _sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def _assemble() -> tuple[bytes, str]:
    page, css, js = _read("index.html"), _read("dashboard.css"), _read("dashboard.js")
    # An inlined block must not close its own tag early.
    if re.search(r"</(script|style)", js + css, re.IGNORECASE):
        raise ValueError("dashboard.js/css must not contain a closing script or style tag")
    if _STYLESHEET_TAG not in page or _SCRIPT_TAG not in page:
        raise ValueError("index.html must reference dashboard.css and dashboard.js exactly once")
    html = page.replace(_STYLESHEET_TAG, f"<style>{css}</style>")
    html = html.replace(_SCRIPT_TAG, f"<script>{js}</script>")
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256_source(js)}; "
        f"style-src {_sha256_source(css)}; "
        "connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html.encode("utf-8"), csp


def dashboard_html() -> bytes:
    """The dashboard page as one self-contained UTF-8 HTML document (read from package data once)."""
    return _assemble()[0]


def dashboard_headers() -> dict[str, str]:
    """Response headers for the page: content type, a strict CSP and no caching of stale code."""
    return {
        "Content-Type": CONTENT_TYPE,
        "Content-Security-Policy": _assemble()[1],
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }


WORLD_ATLAS = "world_atlas/countries-50m.json"
"""Natural Earth 1:50m country outlines as TopoJSON, vendored from the npm package world-atlas (see its README)."""


@cache
def world_map_json() -> bytes:
    """The dashboard's map: ``{"topology": <world-atlas TopoJSON>, "alpha2": {numeric id: alpha-2 code}}``.

    Natural Earth ids countries by ISO 3166-1 numeric code; incidents carry alpha-2 codes.
    """
    topology = orjson.loads(files(__name__).joinpath(WORLD_ATLAS).read_bytes())
    alpha2 = {str(c.numeric): str(c.alpha_2) for c in pycountry.countries}
    return orjson.dumps({"topology": topology, "alpha2": alpha2, "source": "world-atlas 2.0.2 (Natural Earth 1:50m)"})
