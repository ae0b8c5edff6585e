"""The consumers: what is read after a rebalance, and what a commit waits for.

:class:`ReadOffsetSafeConsumer` (both guarantees) reads a stream partition only from its
committed offset after a rebalance; :class:`DrainingConsumer` (``at_least_once``) commits offsets
only once the table records of the messages they cover are published; :class:`GatedConsumer`
(``exactly_once``) also commits only between messages, commits when a rebalance starts, and asks
the broker for changelog highwaters it does not know. :class:`~streams.worker.delivery.transport.Transport`
picks one by the app's processing guarantee.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, Message

from streams.worker.delivery.gate import commit_gate
from streams.worker.delivery.producer import DRAIN_TIMEOUT_S, DrainingProducer

log = logging.getLogger(__name__)


class ReadOffsetSafeConsumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer, reading a stream partition only from its committed offset after a rebalance.

    Faust's fetch loop (``Consumer._drain_messages``, faust-streaming 0.15.3) keeps a *read offset*
    per partition: it drops a fetched message below it without a trace, and takes a jump above it
    for a gap of offsets that cannot be delivered (transaction markers), counting the gap as acked
    so that commits can pass it. When the tables are recovered after a rebalance, Faust resumes the
    stream partitions, *then* seeks them to their committed offsets and resets their read offsets.
    Messages fetched in between were handed to the agents, and the seek then moved the position
    and the read offset back under them; what was fetched next made a "gap" of offsets that had
    never been processed. The gap was acked, so those offsets were committed unprocessed, and their
    copies, fetched again after the seek, were dropped as already read. Seen in the worker logs of
    the rebalance test (an ``incidents`` partition read 421-425 during the seek, the read offset
    reset to 421, then 426: gap 422-425) and in the data of two failed runs (the new owner of an
    ``articles`` partition extracted 233-239, then 246: six articles never extracted, yet committed).

    Three fixes, each for a loss seen in ``tests/reliability/test_rebalance.py`` (both guarantees):

    * :meth:`resume_partitions` / :meth:`perform_seek`: the stream partitions stay paused until the
      seek is done, so their first fetch starts at the committed offset;
    * :meth:`getmany`: the read offset that a message from before the rebalance writes, when its
      hand-over to a busy stream only ends after the seek, is dropped (private ``_read_offset``);
    * :meth:`_getmany` (private): fetches for a copy of the active partitions, and for nothing
      when none is active. Faust hands its live set to the consumer thread, where recovery can
      empty it before aiokafka reads it, and aiokafka reads an empty set as *every* assigned
      partition: their records came back, Faust discarded those of inactive partitions, and the
      fetch position was already past them (IQ-DQ 47 killed short in one run).

    Unit tests: ``tests/test_read_offsets.py``.
    """

    _seek_generation: int | None = None

    @functools.cached_property
    def _resume_after_seek(self) -> set[TP]:
        """Stream partitions Faust resumed, held back until the seek to the committed offsets is done."""
        return set()

    def _is_stream_partition(self, tp: TP) -> bool:
        return tp.topic not in self.app.tables.changelog_topics

    def resume_partitions(self, tps: Iterable[TP]) -> None:
        """Resume ``tps``; stream partitions only once :meth:`perform_seek` has run.

        Faust resumes the stream partitions right before it seeks them (tables/recovery.py); the
        table changelog partitions it resumes for recovery go ahead at once.
        """
        tps = set(tps)
        streams = {tp for tp in tps if self._is_stream_partition(tp)}
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
        """Fetch for a copy of the active partitions taken now; nothing while none is active."""
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


class DrainingConsumer(ReadOffsetSafeConsumer):
    """:class:`ReadOffsetSafeConsumer`, committing offsets only with the table records they cover.

    A commit first waits until the table changelog records written before it are published
    (:meth:`DrainingProducer.wait_published`), or skips its turn after
    :data:`~streams.worker.delivery.producer.DRAIN_TIMEOUT_S` (the broker is away: the next commit
    tries again, the worker keeps running). Under ``at_least_once`` Faust then flushes the producer
    (:meth:`DrainingProducer.flush` waits for the records written since) and commits; under
    ``exactly_once`` the records are in the transaction the offsets commit.
    Why: Faust's own flush gives up after 0.1 s on one slow record (see
    :mod:`streams.worker.delivery.producer`), and the offsets went out without their table updates:
    an undercount after ``kill -9`` (the likely cause of IQ-KI 2,073 killed instead of 2,330 in one ``exactly_once`` run
    of ``tests/reliability/test_worker_crash.py``). The skipped commit keeps the worker running
    through ``tests/reliability/test_broker_restart.py``. Unit tests: ``tests/test_delivery_producer.py``.
    """

    async def force_commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        """Commit, once the table changelog records written so far are published."""
        producer = self.app.producer
        if isinstance(producer, DrainingProducer) and not await producer.wait_published(DRAIN_TIMEOUT_S):
            log.warning("commit skipped: table changelog records still unpublished after %.0f s", DRAIN_TIMEOUT_S)
            return False
        return bool(await super().force_commit(topics, start_new_transaction=start_new_transaction))


class GatedConsumer(DrainingConsumer):
    """:class:`DrainingConsumer` for ``exactly_once``: commits between messages and when a rebalance starts.

    * :meth:`force_commit` runs inside the :class:`~streams.worker.delivery.gate.CommitGate`: no
      message is half processed while offsets and transactions are committed (duplicate or lost
      incidents after ``kill -9``, ``tests/reliability/test_worker_crash.py``).
    * :meth:`on_partitions_revoked` commits before Faust revokes. Faust does not commit when
      partitions are revoked, and it forgets their acked offsets before it tells the app. The
      transactions of the partitions a worker kept then stayed open over the rebalance (Faust's
      ``begin_transaction`` fails with "IN_TRANSACTION -> IN_TRANSACTION"), and the messages
      processed since the last commit were delivered again from the committed offset, by the new
      owner or into that same transaction: 16 incident ids committed twice in one run of
      ``tests/reliability/test_rebalance.py::test_two_then_three_workers_lose_one_exactly_once``.
      Kafka Streams commits on revocation; so do we, once no message is half processed, and
      nothing more is processed until the new assignment (:meth:`on_partitions_assigned`).
    * :meth:`highwaters` asks the broker for the end of each changelog partition. Under
      ``exactly_once`` Faust takes it from the last stable offset aiokafka learnt from its last
      *fetch* of that partition: None for a partition assigned by the rebalance that is running,
      which Faust reads as -1 and then stops table recovery with a ConsistencyError ("persisted
      offset ... is higher than the last offset ... (512 > -1)", seen in the rebalance test). A
      ListOffsets request under ``read_committed`` (aiokafka's ``end_offsets``) gives that last
      stable offset directly. Uses Faust's private ``_thread`` and ``_ensure_consumer``.
    """

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        """Commit what was processed, hold messages back, then let Faust revoke."""
        gate = commit_gate(self.app)
        gate.hold()
        try:
            # A commit already running returns False without committing what came after its
            # snapshot: then commit once more.
            if not await self.commit():
                await self.commit()
        except Exception:  # the rebalance goes on; what was not committed is processed again
            log.exception("commit on partition revocation failed")
        await super().on_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        """Let messages through again once the new assignment is known."""
        try:
            await super().on_partitions_assigned(assigned, generation_id)
        finally:
            commit_gate(self.app).release()

    async def force_commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        """Commit, once no agent is in the middle of a message."""
        async with commit_gate(self.app).closed():
            return await super().force_commit(topics, start_new_transaction=start_new_transaction)

    async def highwaters(self, *partitions: TP) -> Mapping[TP, int]:
        """The end (last stable offset, ``read_committed``) of each partition, from the broker."""
        thread = self._thread
        # In the consumer's thread, as Faust's own earliest_offsets does.
        return await thread.call_thread(thread._ensure_consumer().end_offsets, list(partitions))
