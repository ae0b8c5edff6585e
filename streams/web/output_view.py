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

from streams.web.query import Query, matches, parse_query
from streams.worker.tally import sort_rows, totals

log = logging.getLogger(__name__)


class OutputView:
    """In-memory copy of the tallies topic and the most recent incidents (bounded)."""

    def __init__(self, tallies_topic: str, incidents_topic: str, *, client_options: Mapping[str, Any],
                 recent: int = 500, dead_letters_topic: str | None = None, recent_dead_letters: int = 100) -> None:
        """``client_options``: the aiokafka consumer's connection (``KafkaConnection.aiokafka_options()``).

        ``dead_letters_topic``: also keep the last ``recent_dead_letters`` dead letters (the
        dashboard's review panel).
        """
        self.tallies_topic = tallies_topic
        self.incidents_topic = incidents_topic
        self.dead_letters_topic = dead_letters_topic
        self.client_options = dict(client_options)
        self.tallies: dict[str, dict[str, Any]] = {}
        self.recent: deque[dict[str, Any]] = deque(maxlen=recent)
        self.dead_letters: deque[dict[str, Any]] = deque(maxlen=recent_dead_letters)
        self._recent_ids: set[str] = set()
        self.dropped = 0
        """Incidents that left ``recent`` for newer ones, plus those before the tail read at start."""
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
        """Most recent incidents first, optionally for one region and from an event day on
        (``since``: an ISO-8601 date or datetime; see :mod:`streams.web.query`)."""
        params = {key: value for key, value in (("region", region), ("since", since)) if value}
        return self.select(parse_query({**params, "limit": str(limit)}))

    def select(self, query: Query) -> list[dict[str, Any]]:
        """The most recent incidents (newest first) that pass ``query``, at most ``query.limit``."""
        out: list[dict[str, Any]] = []
        for incident in reversed(self.recent):
            if matches(incident, query):
                out.append(incident)
                if len(out) >= query.limit:
                    break
        return out

    def all_incidents(self) -> list[dict[str, Any]]:
        """Every incident the view holds, oldest first."""
        return list(self.recent)

    @property
    def complete(self) -> bool:
        """True while the view holds every incident ever published (none dropped for newer ones)."""
        return self.dropped == 0

    def recent_dead_letters(self) -> list[dict[str, Any]]:
        """The dead letters the view holds, newest first."""
        return list(reversed(self.dead_letters))

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
            tail_parts = [tp for tp in parts if tp.topic != self.tallies_topic]
            await consumer.seek_to_beginning(*tally_parts)
            ends = await consumer.end_offsets(parts)
            starts = await consumer.beginning_offsets(tail_parts)
            for tp in tail_parts:
                keep = self.recent.maxlen if tp.topic == self.incidents_topic else self.dead_letters.maxlen
                first = max(starts[tp], ends[tp] - max(1, keep or 1))
                if tp.topic == self.incidents_topic:
                    self.dropped += first - starts[tp]
                consumer.seek(tp, first)
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
        topics = tuple(t for t in (self.tallies_topic, self.incidents_topic, self.dead_letters_topic) if t)
        for _ in range(120):
            # Without a subscription the client fetches metadata only for topics it was told about.
            for topic in topics:
                await consumer._client.add_topic(topic)
            found = {topic: consumer.partitions_for_topic(topic) for topic in topics}
            if all(found.values()):
                return [TopicPartition(t, p) for t in topics for p in sorted(found[t] or ())]
            await asyncio.sleep(0.5)
        raise KafkaError(f"topics {' / '.join(topics)} not found")

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
            record = orjson.loads(value)
        except orjson.JSONDecodeError:
            return
        if not isinstance(record, dict):
            return
        if topic == self.dead_letters_topic:
            self.dead_letters.append({**record, "key": key.decode(errors="replace") if key else None})
            return
        incident = record
        incident_id = incident.get("incident_id")
        if not isinstance(incident_id, str) or incident_id in self._recent_ids:
            return
        if len(self.recent) == self.recent.maxlen:
            self._recent_ids.discard(self.recent[0].get("incident_id", ""))
            self.dropped += 1
        self.recent.append(incident)
        self._recent_ids.add(incident_id)
