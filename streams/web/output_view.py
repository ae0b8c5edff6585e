"""The web API's state, read back from our own output topics.

Every worker follows *all* partitions of ``casualty-tallies`` (compacted: the latest row per
region and per region-day) and the tail of ``incidents``, outside the consumer group. So any
worker answers ``/regions`` and ``/incidents`` for every region, whatever partitions it owns
(the documented alternative to Faust table routing), and the web never reads a table that a
stream is changing. Reads are ``read_committed``, so under ``exactly_once`` the web only shows
committed results.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Mapping
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from streams.worker.tally import sort_rows, totals

log = logging.getLogger(__name__)


class OutputView:
    """In-memory copy of the tallies topic and the most recent incidents (bounded)."""

    def __init__(self, tallies_topic: str, incidents_topic: str, *, client_options: Mapping[str, Any],
                 recent: int = 500) -> None:
        """``client_options``: the aiokafka consumer's connection (``KafkaConnection.aiokafka_options()``)."""
        self.tallies_topic = tallies_topic
        self.incidents_topic = incidents_topic
        self.client_options = dict(client_options)
        self.tallies: dict[str, dict[str, Any]] = {}
        self.recent: deque[dict[str, Any]] = deque(maxlen=recent)
        self._recent_ids: set[str] = set()
        self.caught_up = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.error: str | None = None

    # --- queries -------------------------------------------------------------------------
    def regions(self) -> list[dict[str, Any]]:
        """Running tallies (window "all") sorted by killed."""
        return sort_rows([row for row in self.tallies.values() if row.get("window") == "all"])

    def regions_with_totals(self) -> dict[str, Any]:
        """``{"regions": [...], "totals": {...}}``."""
        rows = self.regions()
        return {"regions": rows, "totals": totals(rows)}

    def region(self, code: str) -> dict[str, Any] | None:
        """One region's running tally with its daily series (oldest day first)."""
        row = self.tallies.get(f"{code}|all")
        if row is None:
            return None
        daily = sorted(
            (r for r in self.tallies.values() if r.get("region_code") == code and r.get("window") != "all"),
            key=lambda r: str(r["window"]),
        )
        return {**row, "daily": daily}

    def incidents(self, region: str | None = None, since: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Most recent incidents first, optionally for one region and from an event date on."""
        out: list[dict[str, Any]] = []
        for incident in reversed(self.recent):
            if region and (incident.get("location") or {}).get("region_code", "unknown") != region and not (
                region == "unknown" and not (incident.get("location") or {}).get("region_code")
            ):
                continue
            if since and str(incident.get("event_date") or incident.get("published") or "") < since:
                continue
            out.append(incident)
            if len(out) >= limit:
                break
        return out

    # --- following the topics ------------------------------------------------------------
    def start(self) -> None:
        """Start following the topics in the background."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        """Stop following."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except (KafkaError, OSError) as exc:
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("output view lost the broker (%s); retrying", self.error)
                await asyncio.sleep(2.0)

    async def _follow(self) -> None:
        consumer = AIOKafkaConsumer(
            group_id=None,
            enable_auto_commit=False,
            isolation_level="read_committed",
            auto_offset_reset="earliest",
            **self.client_options,
        )
        await consumer.start()
        try:
            parts = await self._partitions(consumer)
            consumer.assign(parts)
            tally_parts = [tp for tp in parts if tp.topic == self.tallies_topic]
            incident_parts = [tp for tp in parts if tp.topic == self.incidents_topic]
            await consumer.seek_to_beginning(*tally_parts)
            ends = await consumer.end_offsets(parts)
            starts = await consumer.beginning_offsets(incident_parts)
            per_partition = max(1, self.recent.maxlen or 1)
            for tp in incident_parts:
                consumer.seek(tp, max(starts[tp], ends[tp] - per_partition))
            pending = {tp for tp in parts if ends[tp] > 0}
            if not pending:
                self.caught_up.set()
            while True:
                batch = await consumer.getmany(timeout_ms=500, max_records=2000)
                for tp, messages in batch.items():
                    for message in messages:
                        self._apply(tp.topic, message.key, message.value, message.timestamp)
                if pending:
                    for tp in list(pending):
                        if await consumer.position(tp) >= ends[tp]:
                            pending.discard(tp)
                    if not pending:
                        self.caught_up.set()
        finally:
            await consumer.stop()

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        topics = (self.tallies_topic, self.incidents_topic)
        for _ in range(120):
            # Without a subscription the client fetches metadata only for topics it was told about.
            for topic in topics:
                await consumer._client.add_topic(topic)
            found = {topic: consumer.partitions_for_topic(topic) for topic in topics}
            if all(found.values()):
                return [TopicPartition(t, p) for t in topics for p in sorted(found[t] or ())]
            await asyncio.sleep(0.5)
        raise KafkaError(f"topics {self.tallies_topic} / {self.incidents_topic} not found")

    def _apply(self, topic: str, key: bytes | None, value: bytes | None, timestamp: int) -> None:
        if topic == self.tallies_topic:
            name = key.decode(errors="replace") if key else ""
            if value is None:
                self.tallies.pop(name, None)
                return
            with contextlib.suppress(orjson.JSONDecodeError):
                self.tallies[name] = orjson.loads(value)
            return
        if value is None:
            return
        try:
            incident = orjson.loads(value)
        except orjson.JSONDecodeError:
            return
        incident_id = incident.get("incident_id")
        if not isinstance(incident_id, str) or incident_id in self._recent_ids:
            return
        if len(self.recent) == self.recent.maxlen:
            self._recent_ids.discard(self.recent[0].get("incident_id", ""))
        self.recent.append(incident)
        self._recent_ids.add(incident_id)
