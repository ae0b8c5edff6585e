"""The tally agent: ``incidents`` -> events -> the tables, the ``events`` topic and the tallies.

Only the Faust side lives here (reading batches, writing tables, sending, flushing); what is
resolved and what is written is decided by :class:`streams.worker.event_batch.EventTally`, which
is pure and tested on its own. Per batch, for each region the batch touched:

1. one row of the events it changed and the rows of the days it remembered ids on (``event-state``), the
   daily rows it changed (``event-daily``), the tallies of those rows and of the region's running
   row (``casualty-tallies``), and the latest version of each changed event (``events``);
2. under ``at_least_once``, a flush: everything above is on the broker before step 3;
3. the rows the previous batches closed are deleted, and the region's head (the last ``incidents``
   offset it holds) is written.

So a head on the broker means that every row and output of the incidents up to its offset is on
the broker too: after a crash the incidents above it are processed again (same order, same
result; see :mod:`streams.worker.event_batch`), and those at or below it are skipped. Under
``exactly_once`` the whole batch is one transaction with its offsets, and no flush is needed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from faust.types import EventT
from pydantic import ValidationError

from schemas.codec import dumps
from streams.config import Settings
from streams.web import metrics
from streams.worker.delivery import CommitGate, handling, wait_table_writes
from streams.worker.event_batch import EventTally, RegionWrites
from streams.worker.event_state import SavedRegion, group_rows
from streams.worker.tables import Tables
from streams.worker.tally import counts, has_figures, is_suspect, region_key

log = logging.getLogger(__name__)
# The tally agent gives the event loop back after this many incidents of a batch.
YIELD_EVERY = 50
FIRST_TIME = frozenset({"suspect", "no_casualties", "background", "new", "joined"})


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TableRows:
    """The saved rows of the current consumer generation, read once when a region is first needed."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self._state: dict[str, SavedRegion] | None = None
        self._daily: dict[str, list[dict[str, Any]]] | None = None

    def clear(self) -> None:
        """Forget what was read (partitions moved: the tables now hold other ones)."""
        self._state = self._daily = None

    def region(self, code: str) -> tuple[SavedRegion, list[dict[str, Any]]]:
        """The ``event-state`` rows and all ``event-daily`` rows of region ``code``."""
        if self._state is None or self._daily is None:
            self._state = group_rows(self.tables.event_state.data.items())
            daily: dict[str, list[dict[str, Any]]] = {}
            for key, row in self.tables.event_daily.data.items():
                if isinstance(key, str) and isinstance(row, dict):
                    daily.setdefault(key.partition("|")[0], []).append(row)
            self._daily = daily
        return self._state.get(code) or SavedRegion(), self._daily.get(code, [])


def register_tally_agent(app: faust.App, settings: Settings, incidents: faust.TopicT, tallies: faust.TopicT,
                         events_topic: faust.TopicT, tables: Tables, gate: CommitGate) -> None:
    """Attach the tally agent to ``app``."""
    engine = EventTally(lambda key: tables.event_daily.data.get(key), count_suspect=settings.count_suspect)
    rows = TableRows(tables)
    generation: list[int | None] = [None]
    flush_first = settings.processing_guarantee != "exactly_once"

    def is_stale(event: EventT) -> bool:
        """Whether ``event`` was fetched before the last rebalance (its partition's owner gets it again)."""
        return bool(event.message.generation_id != app.consumer_generation_id)

    @app.agent(incidents, name="tally-incidents")
    async def tally_incidents(stream: faust.StreamT[bytes]) -> None:
        """Resolve incidents into events; change the tables by each event's new figures."""
        async for batch in gate.batches(stream, settings.tally_batch, settings.tally_wait_ms / 1000):
            if generation[0] != app.consumer_generation_id:  # a rebalance: read the state again
                engine.reset()
                rows.clear()
                generation[0] = app.consumer_generation_id
            await load_regions(batch)
            last: dict[str, EventT] = {}
            for count, event in enumerate(batch, 1):
                metrics.observe_consumed(event.message.topic)
                if is_stale(event):
                    continue
                with handling(event):
                    code = resolve(event)
                if code is not None:
                    last[code] = event
                if not count % YIELD_EVERY:  # let the extract agent and heartbeats run
                    await asyncio.sleep(0)
            await write(engine.take_writes(), last)

    async def load_regions(batch: Sequence[EventT]) -> None:
        """Rebuild the regions of this batch that are not in memory, in a thread: a big region's
        open events take seconds to replay, and the event loop must keep the group's heartbeats."""
        codes = {bytes(e.message.key).decode(errors="replace") for e in batch if e.message.key}
        missing = sorted(code for code in codes if not engine.loaded(code))
        if missing:
            await asyncio.get_running_loop().run_in_executor(None, load_now, missing)

    def load_now(codes: list[str]) -> None:
        for code in codes:
            saved, daily = rows.region(code)
            engine.load(code, saved, daily)

    def resolve(event: EventT) -> str | None:
        """Resolve the incident of ``event`` (the current event); its region, None if unreadable."""
        try:
            incident = orjson.loads(event.value)
            code = region_key(incident)
            raw = bytes(event.value).decode()
        except (orjson.JSONDecodeError, TypeError, AttributeError, UnicodeDecodeError):
            log.warning("skipping an unreadable incident at %s", event.message.tp)
            return None
        if not engine.loaded(code):  # (a message keyed by another region than its incident's)
            load_now([code])
        try:
            outcome = engine.apply(incident, raw, event.message.offset)
        except (ValidationError, KeyError, ValueError) as exc:
            log.warning("skipping an incident that is not an Incident at %s: %s", event.message.tp, exc)
            return code
        observe(code, incident, outcome)
        return code

    def observe(code: str, incident: dict[str, Any], outcome: str) -> None:
        if outcome == "duplicate":
            metrics.observe_duplicate_incident()
        if outcome not in FIRST_TIME:
            return
        if is_suspect(incident) and has_figures(incident):
            metrics.observe_suspect(code)
        if outcome in ("new", "joined") and counts(incident, settings.count_suspect):
            metrics.observe_incident(code, str(incident.get("victim_category") or "unknown"),
                                     int(incident.get("killed") or 0), int(incident.get("wounded") or 0))

    async def write(batch: list[RegionWrites], last: dict[str, EventT]) -> None:
        """Write one batch: rows and outputs, flush, then deletes and heads (module docstring)."""
        stamp = _now_iso()
        written: list[RegionWrites] = []
        for writes in batch:
            event = last.get(writes.code)
            # A region without a message in this batch waits (a write needs its partition's event);
            # one fetched before a rebalance belongs to the partition's new owner.
            if event is None or is_stale(event):
                continue
            with handling(event):
                await put_rows_and_outputs(writes, stamp)
            written.append(writes)
        if flush_first and written and not await flushed():
            log.warning("tally heads not written: the producer could not flush; the next batch writes them")
            return
        saved: list[str] = []
        for writes in written:
            event = last[writes.code]
            if is_stale(event):
                continue
            with handling(event):
                for key in writes.deletes:
                    delete(tables.event_state, key)
                if writes.head is not None:
                    tables.event_state[writes.head[0]] = writes.head[1]
            saved.append(writes.code)
        engine.saved(saved)

    async def put_rows_and_outputs(writes: RegionWrites, stamp: str) -> None:
        for key, value in writes.state_rows.items():
            tables.event_state[key] = value
        for key, row in writes.daily_rows.items():
            if row is None:
                delete(tables.event_daily, key)
            else:
                tables.event_daily[key] = row
        for key, tally in writes.tallies.items():
            published = None if tally is None else orjson.dumps({**tally, "updated_at": stamp})
            await tallies.send(key=key.encode(), value=published)
        for record in writes.events:
            await events_topic.send(key=record.event_id.encode(), value=dumps(record))

    async def flushed() -> bool:
        if not await wait_table_writes(app):
            return False
        await app.producer.flush()
        return True


def delete(table: Any, key: str) -> None:
    """Delete ``key`` from ``table`` (a tombstone in its changelog) when it is there."""
    if table.data.get(key) is not None:
        del table[key]

