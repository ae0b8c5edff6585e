"""The worker's Faust tables: running region tallies, daily tallies and the de-duplication memory.

All tables are changelogged (rebuilt from ``<app id>-<table>-changelog`` after a restart) and
co-partitioned with the topic whose stream updates them:

=====================  ==========================  ================================================
table                  key                         updated by / holds
=====================  ==========================  ================================================
``seen-articles``      article id                  extract agent; 1 per article id, per day window
``seen-incidents``     incident id                 tally agent; 1 per incident id, per day window
``region-tallies``     region code                 tally agent; running RegionTally dict
``region-daily``       region code, per event day  tally agent; RegionTally dict for that day
=====================  ==========================  ================================================

De-duplication retention: ids live in daily tumbling windows that expire after
``seen_retention_days`` (default 30), so memory stays bounded; an id is a duplicate when any
window within the retention holds it. A re-fed article older than the retention counts again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
import orjson

from streams.tally import event_day

DAY = timedelta(days=1)
# Daily rows are kept this long behind the newest event date seen (reports can be years old).
DAILY_EXPIRES = timedelta(days=3660)


def changelog_layout(app_id: str, retention_days: int) -> list[tuple[str, dict[str, str]]]:
    """(changelog topic, config) of every table, so they can be created before the worker starts.

    Faust would create them itself, but a changelog created while the consumer subscribes can be
    seen with 0 partitions and stop the agent (PartitionsMismatch); creating them first avoids it.
    """
    day_ms = 24 * 60 * 60 * 1000
    seen = {"cleanup.policy": "compact,delete", "retention.ms": str((retention_days + 2) * day_ms)}
    return [
        (f"{app_id}-seen-articles-changelog", seen),
        (f"{app_id}-seen-incidents-changelog", seen),
        (f"{app_id}-region-tallies-changelog", {"cleanup.policy": "compact"}),
        (f"{app_id}-region-daily-changelog",
         {"cleanup.policy": "compact,delete", "retention.ms": str(int(DAILY_EXPIRES.total_seconds() * 1000))}),
    ]


class SeenIds:
    """Remembers which message first carried an id, for ``retention_days`` days (bounded memory).

    The value is that message's source offset + 1 (0 = never seen). Knowing the offset tells a
    *redelivery* of the same message (same offset: its earlier processing may not have been saved
    completely, so it is processed again, idempotently) from a *copy* (another offset: a re-fed
    article or an incident published twice, skipped). All copies of an id share a partition,
    because ids and partition keys are derived from the same content.
    """

    def __init__(self, table: Any, retention_days: int) -> None:
        self.table = table
        self.retention_days = retention_days
        self._day_offsets = [float(d * DAY.total_seconds()) for d in range(retention_days + 1)]

    def first_offset(self, key: str) -> int | None:
        """Offset of the message that first carried ``key``, or None when it was never seen."""
        # The store is read directly with the windows' own ranges: going through the
        # WindowWrapper costs ~10 us per window, 31 windows for every new id (bench/README.md).
        # Stream time is the current message's timestamp, as for relative_to_stream() writes.
        table = self.table.table
        event = faust.current_event()
        if event is None:
            raise RuntimeError("SeenIds is read inside the stream that owns the key's partition")
        now = event.message.timestamp
        current = table.window.current
        data = table.data
        # The current day's window first: a redelivery is almost always the same day.
        for back in self._day_offsets:
            mark = data.get((key, current(now - back)))
            if mark:
                return int(mark) - 1
        return None

    def __contains__(self, key: str) -> bool:
        return self.first_offset(key) is not None

    def add(self, key: str, offset: int) -> None:
        """Mark ``key`` as first seen at ``offset`` (inside the stream that owns the key's partition)."""
        self.table[key] = offset + 1


def is_copy(seen: SeenIds, key: str, offset: int) -> bool:
    """True when ``key`` was first carried by another message than the one at ``offset``."""
    first = seen.first_offset(key)
    return first is not None and first != offset


def _incident_day_ts(event: Any) -> float:
    """Event time of an incident message for the daily window: its event date at noon UTC."""
    day = None
    if event is not None:
        try:
            day = event_day(orjson.loads(event.value))
        except (orjson.JSONDecodeError, TypeError, AttributeError):
            day = None
    if day:
        try:
            return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC).timestamp()
        except ValueError:
            pass
    return datetime.now(UTC).timestamp()


# RocksDB defaults in Faust are sized for one big table (64 MiB write buffers x 3 and a 2 GiB
# block cache, per partition database): 4 tables x 6 partitions would reserve gigabytes. The seen
# tables are written once per id and read back mostly on redelivery, so small buffers do.
ROCKSDB_OPTIONS: dict[str, int] = {
    "write_buffer_size": 2 * 1024 * 1024,
    "max_write_buffer_number": 2,
    "target_file_size_base": 16 * 1024 * 1024,
    "block_cache_size": 4 * 1024 * 1024,
    "block_cache_compressed_size": 1024 * 1024,
}


def store_options(store: str) -> dict[str, int] | None:
    """Options for each table's store: bounded RocksDB memory, nothing for ``memory://``."""
    return dict(ROCKSDB_OPTIONS) if store.startswith("rocksdb://") else None


@dataclass(slots=True)
class Tables:
    """The worker's tables, created on one app."""

    seen_articles: SeenIds
    seen_incidents: SeenIds
    regions: Any
    daily: Any


def create_tables(app: faust.App, partitions: int, retention_days: int,
                  day_of: Callable[[Any], float] = _incident_day_ts, store: str = "memory://") -> Tables:
    """Create the tables on ``app`` (names are stable: changelog topics derive from them)."""
    options = store_options(store)
    def seen(name: str, help_: str) -> SeenIds:
        # Stream time (the message timestamp), as SeenIds.__contains__ reads it: Faust's
        # relative_to_now() is the partition's latest window end, which moves a day per add.
        table = app.Table(
            name, default=int, partitions=partitions, key_type=str, value_type=int, help=help_,
            options=options,
        ).tumbling(DAY, expires=timedelta(days=retention_days + 1)).relative_to_stream()
        return SeenIds(table, retention_days)

    regions = app.Table(
        "region-tallies", default=dict, partitions=partitions, key_type=str,
        help="Running casualty tally per region code.", options=options,
    )
    daily = app.Table(
        "region-daily", default=dict, partitions=partitions, key_type=str,
        help="Casualty tally per region and event day.", options=options,
    ).tumbling(DAY, expires=DAILY_EXPIRES).relative_to(day_of)
    return Tables(
        seen_articles=seen("seen-articles", "Article ids already extracted."),
        seen_incidents=seen("seen-incidents", "Incident ids already tallied."),
        regions=regions,
        daily=daily,
    )
