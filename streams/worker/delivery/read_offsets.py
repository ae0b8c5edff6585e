"""After a rebalance, nothing is read from a partition before it has been moved back to its committed offset.

Faust's fetch loop (``Consumer._drain_messages``, faust-streaming 0.15) keeps a *read offset*
per partition: it drops a fetched message below it without a trace, and takes a jump above it
for a gap of offsets that cannot be delivered (transaction markers), counting the gap as acked so
that commits can pass it. When the tables are recovered after a rebalance, Faust resumes the
stream partitions, *then* seeks them to their committed offsets and resets their read offsets.
Messages fetched in between were handed to the agents, and the seek then moved the position and
the read offset back under them; what was fetched next made a "gap" of offsets that had never
been processed. The gap was acked, so those offsets were committed unprocessed, and their
copies, fetched again after the seek, were dropped as already read. Seen in the worker logs of
the rebalance test (an ``incidents`` partition read 421-425 during the seek, then the read offset
reset to 421, then 426: gap 422-425) and in the data of two failed runs: the new owner of an
``articles`` partition extracted 233-239, then 246 (six articles never extracted, yet committed).

:class:`ReadOffsetSafeConsumer` keeps the stream partitions paused until that seek is done, so
their first fetch starts at the committed offset. It also ignores the read offset that a message
from before the rebalance writes when its hand-over to a busy stream only ends after the seek.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

import faust
from faust.transport.drivers.aiokafka import Consumer
from faust.types import TP, Message

log = logging.getLogger(__name__)


class ReadOffsetSafeConsumer(Consumer):
    """Faust's aiokafka consumer, reading a stream partition only from its committed offset after a rebalance."""

    _seek_generation: int | None = None

    @functools.cached_property
    def _resume_after_seek(self) -> set[TP]:
        """Stream partitions Faust resumed, held back until the seek to the committed offsets is done."""
        return set()

    def resume_partitions(self, tps: Iterable[TP]) -> None:
        """Resume ``tps``; stream partitions only once :meth:`perform_seek` has run.

        Faust resumes the stream partitions right before it seeks them (tables/recovery.py); the
        table changelog partitions it resumes for recovery go ahead at once.
        """
        tps = set(tps)
        streams = {tp for tp in tps if not self._is_changelog_tp(tp)}
        self._resume_after_seek.update(streams)
        super().resume_partitions(tps - streams)

    async def perform_seek(self) -> None:
        """Seek to the committed offsets (Faust), then resume the stream partitions waiting for it."""
        waiting = set(self._resume_after_seek)
        try:
            await super().perform_seek()
            self._seek_generation = self.app.consumer_generation_id
        finally:
            # Also after a failed seek: holding them back for ever would stop the worker.
            self._resume_after_seek.difference_update(waiting)
            super().resume_partitions(waiting & set(self.assignment()))

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        """Forget held-back partitions that are revoked (Faust's revocation follows)."""
        self._resume_after_seek.difference_update(revoked)
        await super().on_partitions_revoked(revoked)

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        """Fetch for a copy of the active partitions taken now; nothing while none is active.

        Faust hands its live set to the consumer thread, where recovery can empty it before
        aiokafka reads it, and aiokafka reads an empty set as *every* assigned partition: their
        records came back and Faust discarded those of inactive partitions, with the fetch
        position already past them.
        """
        if active_partitions is None:  # a client-only app: every partition
            return await super()._getmany(None, timeout)
        snapshot = set(active_partitions)
        if not snapshot:
            await asyncio.sleep(min(timeout, 0.1))
            return {}
        return await super()._getmany(snapshot, timeout)

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        """Faust's ``getmany``; after each message is handed over, undo a stale read offset."""
        async for tp, message in super().getmany(timeout):
            yield tp, message
            # Resumed when the fetch loop asks for the next message: it has handed this one to
            # the streams and set the partition's read offset to its offset.
            generation = self.app.consumer_generation_id
            if message.generation_id != generation:
                self._read_offset.pop(tp, None)
                if self._seek_generation == generation:
                    log.warning("%s: a message fetched before the rebalance (offset %d) was handed over "
                                "after the seek to the committed offset; its read offset is ignored",
                                tp, message.offset)


def use_read_offset_safe_consumer(app: faust.App) -> None:
    """Make ``app`` use :class:`ReadOffsetSafeConsumer` (unless it already uses a subclass)."""
    transport: Any = app.transport
    if not issubclass(transport.Consumer, ReadOffsetSafeConsumer):
        transport.Consumer = ReadOffsetSafeConsumer
