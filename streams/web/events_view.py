"""The web API's events: the latest versions on the compacted ``events`` topic, read on demand.

Unlike the tallies (read whole by every worker from start), the events topic is followed only
once someone asks for events (``/events``, ``/events/summary``, the dashboard's Events switch),
and only its **tail**: the last ``keep`` records of each partition, then what comes next. The
topic is compacted and keyed by event id, so its tail holds the latest version of the events
changed most recently; older events are on the topic (``casualty subscribe events
--from-beginning``) but not in the view, and ``complete`` says so. A worker nobody asks for events
reads no event at all (issue 17: every worker reading every output costs more than the outputs).

Reads are ``read_committed``, so under ``exactly_once`` only committed versions are shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from streams.web.query import Query, matches

log = logging.getLogger(__name__)
Row = dict[str, Any]


def event_row(event: Row) -> Row:
    """An event record with the incident fields the filters, summaries and dashboard read.

    The counted figures are the event's resolved ones; ``source``, ``url`` and ``evidence`` come
    from its first report, ``published`` is its latest report's; ``sources`` stays as published
    (every report with the figures it gave).
    """
    sources = event.get("sources") or []
    first = sources[0] if sources else {}
    return {
        **event,
        "incident_id": event.get("event_id"),
        "source": first.get("source"),
        "url": first.get("url"),
        "published": event.get("last_published"),
        "evidence": {"text": first.get("evidence") or ""},
        "status": "counted",
        "reports": len(sources),
    }


class EventsView:
    """The latest version of the most recently changed events (at most ``keep``), newest first."""

    def __init__(self, topic: str, *, client_options: Mapping[str, Any], keep: int = 2000) -> None:
        """``client_options``: the aiokafka consumer's connection (``KafkaConnection.aiokafka_options()``)."""
        self.topic = topic
        self.client_options = dict(client_options)
        self.keep = keep
        self.events: OrderedDict[str, Row] = OrderedDict()
        self.dropped = 0
        """Events left out: before the tail read at start, or pushed out by newer ones."""
        self.records_read = 0
        self.caught_up = asyncio.Event()
        self.error: str | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def started(self) -> bool:
        """Whether the view follows the topic (it starts on the first request)."""
        return self._task is not None

    @property
    def complete(self) -> bool:
        """True while the view holds every event on the topic."""
        return self.dropped == 0

    async def ready(self, timeout: float) -> bool:
        """Start following if not yet, and wait up to ``timeout`` s until the view caught up."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.caught_up.wait(), timeout)
        return self.caught_up.is_set()

    def select(self, query: Query) -> list[Row]:
        """The events that pass ``query`` (as :func:`event_row` rows), most recently changed first."""
        out: list[Row] = []
        for event in reversed(self.events.values()):
            row = event_row(event)
            if matches(row, query):
                out.append(row)
                if len(out) >= query.limit:
                    break
        return out

    def rows(self) -> list[Row]:
        """Every event the view holds, as rows, oldest change first."""
        return [event_row(e) for e in self.events.values()]

    async def stop(self) -> None:
        """Stop following."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        """One record of the topic: a newer version replaces the one held (a tombstone removes it)."""
        self.records_read += 1
        if key is None:
            return
        event_id = key.decode(errors="replace")
        if value is None:
            self.events.pop(event_id, None)
            return
        try:
            event = orjson.loads(value)
        except orjson.JSONDecodeError:
            return
        held = self.events.pop(event_id, None)
        if held is not None and int(held.get("version", 0)) > int(event.get("version", 0)):
            event = held  # (a replay never goes back a version)
        self.events[event_id] = event
        if len(self.events) > self.keep:
            self.events.popitem(last=False)
            self.dropped += 1

    async def _run(self) -> None:
        while True:
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except (KafkaError, OSError) as exc:
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("events view lost the broker (%s); retrying", self.error)
                await asyncio.sleep(2.0)

    async def _follow(self) -> None:
        consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False, isolation_level="read_committed",
                                    auto_offset_reset="earliest", **self.client_options)
        await consumer.start()
        try:
            parts = await self._partitions(consumer)
            consumer.assign(parts)
            ends = await consumer.end_offsets(parts)
            starts = await consumer.beginning_offsets(parts)
            for tp in parts:
                first = max(starts[tp], ends[tp] - self.keep)
                self.dropped += first - starts[tp]  # (an upper bound: compaction leaves fewer)
                consumer.seek(tp, first)
            pending = {tp for tp in parts if ends[tp] > 0}
            if not pending:
                self.caught_up.set()
            while True:
                batch = await consumer.getmany(timeout_ms=500, max_records=2000)
                for messages in batch.values():
                    for message in messages:
                        self.apply(message.key, message.value)
                for tp in list(pending):
                    if await consumer.position(tp) >= ends[tp]:
                        pending.discard(tp)
                if not pending:
                    self.caught_up.set()
        finally:
            await consumer.stop()

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        for _ in range(120):
            await consumer._client.add_topic(self.topic)  # no subscription: ask for its metadata
            found = consumer.partitions_for_topic(self.topic)
            if found:
                return [TopicPartition(self.topic, p) for p in sorted(found)]
            await asyncio.sleep(0.5)
        raise KafkaError(f"topic {self.topic} not found")
