"""The per-region casualty table for people: read it from a worker or from the tallies topic, then
print it as a terminal table, CSV or JSON.

Two sources give the same rows:

* the worker's web API (``GET /regions``, ``GET /regions/{code}`` for the daily series);
* the compacted ``casualty-tallies`` topic, read to its end (latest row per ``region|window`` key),
  which needs no running worker.

Rows are sorted by killed (then wounded, then code) and always come with a totals row.
"""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kafka import TopicPartition
from rich.table import Table

from streams.clients.connect import open_consumer
from streams.config import Settings
from streams.regions import display_name
from streams.worker.tally import sort_rows, totals

Row = dict[str, Any]
CSV_COLUMNS = ("region_code", "region", "window", "killed", "wounded", "incidents", "first_event_date",
               "last_event_date", "suspect_killed", "suspect_wounded", "suspect_incidents")
SUSPECT_KEYS = ("suspect_killed", "suspect_wounded", "suspect_incidents")
UNDATED = "undated"
READ_TIMEOUT_S = 30.0
IDLE_S = 2.0


class SourceUnavailable(Exception):
    """The worker (or the topic) could not be read; the message says which and why."""


def default_url(settings: Settings) -> str:
    """The worker's web address from the settings (a wildcard bind address becomes 127.0.0.1)."""
    host = settings.web_host if settings.web_host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    return f"http://{host}:{settings.web_port}"


def _get_json(url: str, timeout: float) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise SourceUnavailable(f"{url} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceUnavailable(f"no worker answers at {url} ({reason})") from None


def table_from_web(url: str, timeout: float = 5.0) -> list[Row]:
    """The running tallies (window ``all``) from a worker's ``/regions``."""
    doc = _get_json(url.rstrip("/") + "/regions", timeout)
    if not isinstance(doc, dict) or not isinstance(doc.get("regions"), list):
        raise SourceUnavailable(f"{url}/regions did not return a regions document")
    return sort_rows(doc["regions"])


def daily_from_web(url: str, code: str, timeout: float = 5.0) -> list[Row]:
    """One region's daily rows (oldest first, then its undated incidents, if any) from ``/regions/{code}``;
    empty when the region has none."""
    doc = _get_json(url.rstrip("/") + "/regions/" + urllib.parse.quote(code, safe=""), timeout)
    if doc is None:
        return []
    return with_undated(doc, sorted(doc.get("daily") or [], key=lambda r: str(r.get("window"))))


def with_undated(running: Row | None, daily: list[Row]) -> list[Row]:
    """``daily`` plus an ``undated`` row for what the running row holds beyond its days (never dropped)."""
    if not running:
        return daily
    keys = ("killed", "wounded", "incidents", *SUSPECT_KEYS)
    rest = {key: int(running.get(key, 0)) - sum(int(r.get(key, 0)) for r in daily) for key in keys}
    if not any(rest.values()):
        return daily
    return [*daily, {"region_code": running["region_code"], "region": running.get("region"), "window": UNDATED,
                     **rest, "first_event_date": None, "last_event_date": None}]


def read_tallies(settings: Settings, topic: str | None = None, timeout: float = READ_TIMEOUT_S) -> dict[str, Row]:
    """Every current row of the tallies topic, ``{"<code>|<window>": row}``, read from the start to the end.

    Reads ``read_committed``. A tombstone (null value) removes its key. Stops when every partition
    reached the end offset it had at the start, or after ``IDLE_S`` seconds without a record.
    """
    topic = topic or settings.tallies_topic
    consumer = open_consumer(settings, group_id=None, enable_auto_commit=False, isolation_level="read_committed",
                             auto_offset_reset="earliest", client_id="casualty-tables")
    rows: dict[str, Row] = {}
    try:
        ids = consumer.partitions_for_topic(topic)
        if not ids:
            raise SourceUnavailable(f"topic {topic!r} does not exist (check --topic-prefix)")
        parts = [TopicPartition(topic, p) for p in sorted(ids)]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        pending = {tp for tp in parts if ends[tp] > 0}
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        while pending and time.monotonic() < deadline and time.monotonic() - last < IDLE_S:
            batch = consumer.poll(timeout_ms=300)
            for messages in batch.values():
                last = time.monotonic()
                for message in messages:
                    _apply(rows, message.key, message.value)
            pending = {tp for tp in pending if consumer.position(tp) < ends[tp]}
    finally:
        consumer.close()
    return rows


def _apply(rows: dict[str, Row], key: bytes | None, value: bytes | None) -> None:
    name = key.decode("utf-8", "replace") if key else None
    if value is None:
        if name is not None:
            rows.pop(name, None)
        return
    try:
        row = json.loads(value)
    except ValueError:
        return
    if isinstance(row, dict) and "region_code" in row:
        rows[name or f"{row['region_code']}|{row.get('window', 'all')}"] = row


def running_rows(tallies: dict[str, Row]) -> list[Row]:
    """The running (window ``all``) rows of :func:`read_tallies`, sorted by killed."""
    return sort_rows([row for row in tallies.values() if row.get("window", "all") == "all"])


def daily_rows(tallies: dict[str, Row], code: str) -> list[Row]:
    """One region's daily rows of :func:`read_tallies`, oldest first, then its undated row (if any)."""
    rows = [r for r in tallies.values() if r.get("region_code") == code and r.get("window", "all") != "all"]
    return with_undated(tallies.get(f"{code}|all"), sorted(rows, key=lambda r: str(r["window"])))


def named(rows: list[Row]) -> list[Row]:
    """The rows with their regions' display names (:func:`streams.regions.display_name`)."""
    return [{**row, "region": display_name(str(row.get("region_code")), row.get("region"))} for row in rows]


def totals_row(rows: list[Row]) -> Row:
    """The totals row (region_code ``total``) of some rows."""
    return totals(rows)


def to_csv(rows: list[Row]) -> str:
    """CSV with a header, one line per row and a final totals line (region_code ``total``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in [*rows, totals_row(rows)]:
        values = [row.get(col, 0 if col in SUSPECT_KEYS else None) for col in CSV_COLUMNS]
        writer.writerow(["" if value is None else value for value in values])
    return buffer.getvalue()


def to_json(rows: list[Row]) -> dict[str, Any]:
    """``{"regions": rows, "totals": totals}``, the shape of the web API's ``/regions``."""
    return {"regions": rows, "totals": totals_row(rows)}


def to_rich(rows: list[Row], *, daily: bool = False, title: str | None = None) -> Table:
    """A terminal table of the rows with a totals footer (``daily``: one line per day)."""
    table = Table(title=title, show_footer=True, title_justify="left")
    total = totals_row(rows)
    if daily:
        table.add_column("day", footer="total")
    else:
        table.add_column("region", footer="total")
        table.add_column("name", footer="")
    table.add_column("killed", justify="right", footer=str(total["killed"]))
    table.add_column("wounded", justify="right", footer=str(total["wounded"]))
    table.add_column("incidents", justify="right", footer=str(total["incidents"]))
    if not daily:
        table.add_column("first", footer="")
        table.add_column("last", footer="")
    # Suspect figures (held back by the articles' self-check) in a column of their own, only when there are any.
    suspect = any(int(row.get("suspect_incidents", 0)) for row in rows)
    if suspect:
        table.add_column("suspect k/w", justify="right",
                         footer=f"{total['suspect_killed']}/{total['suspect_wounded']}")
    for row in rows:
        numbers = [str(row.get("killed", 0)), str(row.get("wounded", 0)), str(row.get("incidents", 0))]
        held = [f"{row.get('suspect_killed', 0)}/{row.get('suspect_wounded', 0)}"
                if int(row.get("suspect_incidents", 0)) else ""] if suspect else []
        if daily:
            table.add_row(str(row.get("window")), *numbers, *held)
        else:
            table.add_row(str(row["region_code"]), row.get("region") or "", *numbers,
                          row.get("first_event_date") or "", row.get("last_event_date") or "", *held)
    return table
