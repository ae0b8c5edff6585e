"""The worker's Faust tables: the article de-duplication memory, the resolver's state and the
daily event tables.

All tables are changelogged (rebuilt from ``<app id>-<table>-changelog`` after a restart) and
co-partitioned with the topic whose stream updates them:

=====================  ===============================  ===========================================
table                  key                              updated by / holds
=====================  ===============================  ===========================================
``seen-articles``      article id                       extract agent; [first offset + 1, day seen]
``event-state``        ``h|<region>``,                  tally agent; the region's head, its open
                       ``e|<region>|<event id>``,       events with their reports, the incident ids
                       ``s|<region>|<day>``             of closed events
                                                        (:mod:`streams.worker.event_state`)
``event-daily``        ``<region>|<day>``,              tally agent; per event on that day its
                       ``<region>|undated``             figures, per suspect incident its figures
                                                        (:mod:`streams.worker.event_tally`)
=====================  ===============================  ===========================================

A region's running row is not stored: it is the sum of its daily rows, kept in memory and
published on ``casualty-tallies``. The ``event-state`` rows of closed events are deleted
(tombstones), so that table holds the matching window only, in memory and in RocksDB.

All are plain (not windowed) tables: Faust's windowed tables keep, in memory, every key they
ever set and a heap entry per write until the window expires, whatever the store, so a worker's
memory grew with every id even on RocksDB (bench/README.md).

De-duplication retention: a mark records the stream day it was made; an id is a duplicate for
``seen_retention_days`` (default 30) days after that, then counts again. Old marks leave the
changelog by its retention (``compact,delete``), and with ``rocksdb://`` leave the store by
RocksDB's TTL, so memory stays bounded there; ``memory://`` keeps every mark of the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import faust

DAY = timedelta(days=1)
DAY_S = DAY.total_seconds()
# Daily rows are kept this long (reports can be years old).
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
        (f"{app_id}-event-state-changelog", {"cleanup.policy": "compact"}),
        (f"{app_id}-event-daily-changelog",
         {"cleanup.policy": "compact,delete", "retention.ms": str(int(DAILY_EXPIRES.total_seconds() * 1000))}),
    ]


class SeenIds:
    """Remembers which message first carried an id, for ``retention_days`` days.

    The value is ``[offset + 1, day]``: that message's source offset and the stream day (days
    since the epoch of its timestamp). Knowing the offset tells a *redelivery* of the same
    message (same offset: its earlier processing may not have been saved completely, so it is
    processed again, idempotently) from a *copy* (another offset: a re-fed article or an incident
    published twice, skipped). All copies of an id share a partition, because ids and partition
    keys are derived from the same content.
    """

    def __init__(self, table: Any, retention_days: int) -> None:
        self.table = table
        self.retention_days = retention_days

    @staticmethod
    def _today() -> int:
        # Stream time: the current message's timestamp, so replays judge ages as they happened.
        event = faust.current_event()
        if event is None:
            raise RuntimeError("SeenIds is used inside the stream that owns the key's partition")
        return int(event.message.timestamp // DAY_S)

    def first_offset(self, key: str) -> int | None:
        """Offset of the message that first carried ``key``, or None (never seen, or expired)."""
        # The store directly: one lookup, without the table's per-access bookkeeping.
        mark = self.table.data.get(key)
        if not mark:
            return None
        offset_plus_one, day = mark
        if self._today() - int(day) > self.retention_days:
            return None
        return int(offset_plus_one) - 1

    def __contains__(self, key: str) -> bool:
        return self.first_offset(key) is not None

    def add(self, key: str, offset: int) -> None:
        """Mark ``key`` as first seen at ``offset`` (inside the stream that owns the key's partition)."""
        self.table[key] = [offset + 1, self._today()]


def is_copy(seen: SeenIds, key: str, offset: int) -> bool:
    """True when ``key`` was first carried by another message than the one at ``offset``."""
    first = seen.first_offset(key)
    return first is not None and first != offset


# RocksDB defaults in Faust are sized for one big table (64 MiB write buffers x 3 and a 2 GiB
# block cache, per partition database): 3 tables x 6 partitions would reserve gigabytes. The seen
# table is written once per id and read back mostly on redelivery (a miss the bloom filter
# answers without the block cache), the event state is read back only when a partition is
# assigned, and a daily row is read when one of its events changes: small buffers and a 1 MiB
# cache per database do: every partition database has its own, and the 300 MB budget is shared
# by all 18.
ROCKSDB_OPTIONS: dict[str, int] = {
    "write_buffer_size": 1024 * 1024,
    "max_write_buffer_number": 2,
    "target_file_size_base": 16 * 1024 * 1024,
    "block_cache_size": 1024 * 1024,
    "block_cache_compressed_size": 0,
}


def store_options(store: str, ttl_days: int | None = None) -> dict[str, int] | None:
    """Options for a table's store: bounded RocksDB memory (and a TTL), nothing for ``memory://``."""
    if not store.startswith("rocksdb://"):
        return None
    options = dict(ROCKSDB_OPTIONS)
    if ttl_days is not None:
        options["ttl"] = int(ttl_days * DAY_S)
    return options


@dataclass(slots=True)
class Tables:
    """The worker's tables, created on one app."""

    seen_articles: SeenIds
    event_state: Any
    event_daily: Any


def create_tables(app: faust.App, partitions: int, retention_days: int, store: str = "memory://") -> Tables:
    """Create the tables on ``app`` (names are stable: changelog topics derive from them)."""
    def seen(name: str, help_: str) -> SeenIds:
        # RocksDB drops a mark a day after it stops counting (TTL from its write).
        table = app.Table(name, partitions=partitions, key_type=str, help=help_,
                          options=store_options(store, ttl_days=retention_days + 1))
        return SeenIds(table, retention_days)

    options = store_options(store)
    state = app.Table(
        "event-state", partitions=partitions, key_type=str, options=options,
        help="Resolver state per region: head, open events, incident ids of closed events.",
    )
    daily = app.Table(
        "event-daily", partitions=partitions, key_type=str, options=options,
        help="Events and suspect incidents per region and event day (key <region code>|<YYYY-MM-DD>).",
    )
    return Tables(
        seen_articles=seen("seen-articles", "Article ids already extracted."),
        event_state=state,
        event_daily=daily,
    )
