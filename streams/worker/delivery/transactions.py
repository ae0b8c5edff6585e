"""``exactly_once`` done per source partition: what an agent sends joins the transaction of the
partition it is reading, the one that commits that partition's offsets.

Faust (faust-streaming 0.15) picks the transaction of a sent message from its *destination*
partition. Our outputs are not co-partitioned with our inputs (an article from ``articles``
partition 2 yields incidents keyed by region, on any ``incidents`` partition), so:

* the incidents of an article were committed by another partition's transaction than the
  article's offset: a crash between the two commits left the incidents committed and the article
  unread, and it was extracted again (duplicate incident ids under ``read_committed``);
* with several workers, a destination partition owned by another worker has no transaction on
  this one, and the send failed ("No transaction producer found").

Keying the transaction by the source partition (as Kafka Streams does per task) makes a
message's outputs, its table changelog records (co-partitioned with the source) and its offset
commit one atomic transaction, fenced per partition when partitions move between workers.

That is not enough on its own: Faust's committer takes the acked offsets, then commits the
partitions' transactions one after the other, while the agents keep processing. Whatever an
agent sent between the snapshot and the commit (all or part of a message's outputs and table
updates) was committed without that message's offset; after a crash the message was processed
again (duplicates) or found its own half-written de-duplication record (a lost incident). The
:class:`CommitGate` closes that window: an agent holds the gate for each message, from the first
output to its ack, and a commit waits until no message is half processed.

Table changelog records do not go to the Kafka producer when a table is written: Faust keeps
them in its producer buffer, and its flush before a commit gives up as soon as one record takes
more than 0.1 s to be handed over (a busy loop, a full aiokafka accumulator). The offsets were
then committed without the table updates of the messages they cover, and a crash before the next
commit lost those updates for good (an undercount after ``kill -9``).
:class:`DrainingProducerBuffer` counts the record being handed over too, and every commit
(:class:`DrainingConsumer`, under both guarantees) first waits until the records written
before it are with the Kafka producer, or is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

import faust
import faust.streams
from faust.transport.consumer import TransactionManager
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread, Producer
from faust.transport.producer import ProducerBuffer
from faust.types import TP, EventT, FutureMessage, HeadersArg, RecordMetadata

from streams.web import metrics
from streams.worker.delivery.read_offsets import ReadOffsetSafeConsumer

log = logging.getLogger(__name__)
# A commit that cannot find a gap between messages for this long goes ahead anyway (and says so)
# rather than stall the worker, e.g. if a rebalance holds an agent in the middle of a message.
GATE_TIMEOUT_S = 15.0
# A commit skips its turn when the table changelog records written so far cannot all be handed to
# the Kafka producer in this time (e.g. while the broker is away); the next commit tries again.
DRAIN_TIMEOUT_S = 30.0


class CommitGate:
    """Lets offset commits happen only between messages, never in the middle of one.

    Plain events, changed without awaiting, so a cancelled commit or agent cannot leave the gate
    shut.

    It also lets each message through once per consumer generation. The Kafka client can deliver
    a partition's last message a second time once the partition is drained (seen at the end of
    every ``exactly_once`` kill test: the last article of each of the 6 partitions came again
    within a second, with the same offset and generation, and was extracted twice). Faust passes
    it on (its read-offset check lets an equal offset through), and our de-duplication mark
    cannot tell it from a message redelivered after a crash (same offset), which must be
    processed again. Within one generation nothing needs processing twice; a rebalance (new
    generation) seeks back to the committed offsets, and those messages do count again.

    Given the consumer's current generation (``generation``), it drops the messages fetched
    before the last rebalance that were still waiting at the gate, without acking them: Faust
    delivers them again to the partition's owner, and an ack would put their offsets among the
    new generation's commits. :meth:`hold` keeps the gate shut over a rebalance.
    """

    def __init__(self, generation: Callable[[], int] | None = None, *, once_per_generation: bool = True) -> None:
        self._once = once_per_generation
        self._busy = 0
        self._held = False
        self._events: tuple[asyncio.Event, asyncio.Event] | None = None
        self._generation = generation
        # Source partition -> (consumer generation, last offset processed in it).
        self._done: dict[TP, tuple[int, int]] = {}

    def hold(self) -> None:
        """Keep messages out until :meth:`release` (from a rebalance's revocation to its assignment)."""
        self._held = True
        self._open_and_idle()[0].clear()

    def release(self) -> None:
        """Let messages through again after :meth:`hold`."""
        self._held = False
        self._open_and_idle()[0].set()

    def is_stale(self, event: EventT) -> bool:
        """Whether ``event`` was fetched before the last rebalance."""
        return self._generation is not None and event.message.generation_id != self._generation()

    def _drop_stale(self, event: EventT) -> None:
        # Marked acked without telling the consumer: Faust's own ack (take_events acks its
        # whole batch) then does nothing, and no rebalance waits for it.
        message: Any = event.message
        message.acked = True
        with contextlib.suppress(Exception):
            event.app.consumer._unacked_messages.discard(message)
        log.info("dropped %s offset %d: fetched before the last rebalance", message.tp, message.offset)

    def is_repeat(self, event: EventT) -> bool:
        """Whether ``event``'s offset was already processed in its consumer generation."""
        if not self._once:
            return False
        message = event.message
        done = self._done.get(message.tp)
        return done is not None and done[0] == message.generation_id and message.offset <= done[1]

    def _mark_done(self, event: EventT) -> None:
        message = event.message
        self._done[message.tp] = (message.generation_id, message.offset)

    def _finish(self, event: EventT) -> None:
        # A rebalance during the processing made the event stale: its partition's new owner gets
        # it again from the committed offset. Acked, its offset would join the new generation's
        # commits, ahead of that second delivery (lost if the worker stopped in between).
        if self.is_stale(event):
            self._drop_stale(event)
            return
        self._mark_done(event)
        event.ack()

    def _skip_repeat(self, event: EventT) -> None:
        # Acked, or a rebalance would wait for it; its offset was acked the first time.
        event.ack()
        metrics.observe_redelivery()
        log.info("skipped %s offset %d: delivered again in the same generation",
                 event.message.tp, event.message.offset)

    def _open_and_idle(self) -> tuple[asyncio.Event, asyncio.Event]:
        # Created on first use, inside the worker's event loop.
        if self._events is None:
            self._events = (asyncio.Event(), asyncio.Event())
            for event in self._events:
                event.set()
        return self._events

    async def gated(self, events: AsyncIterator[EventT]) -> AsyncIterator[EventT]:
        """Yield ``events``; each is processed inside the gate and acked before the gate opens."""
        is_open, idle = self._open_and_idle()
        async for event in events:
            if self.is_repeat(event):
                self._skip_repeat(event)
                continue
            await is_open.wait()
            if self.is_stale(event):
                self._drop_stale(event)
                continue
            self._busy += 1
            idle.clear()
            try:
                yield event
                # Reached when the agent asks for the next message, i.e. this one is done.
                self._finish(event)
            finally:
                self._busy -= 1
                if not self._busy:
                    idle.set()

    async def batches(self, stream: faust.StreamT, max_events: int, within_s: float,
                      ) -> AsyncIterator[Sequence[EventT]]:
        """Yield lists of up to ``max_events`` events (or what arrived within ``within_s``).

        A batch is processed inside the gate like one message, and all its events are acked
        before the gate opens: a commit sees the whole batch or none of it.
        """
        is_open, idle = self._open_and_idle()
        async for taken in stream.take_events(max_events, within=within_s):
            events = self._first_deliveries(taken)
            if not events:
                continue
            await is_open.wait()
            for event in (e for e in events if self.is_stale(e)):
                self._drop_stale(event)
            events = [e for e in events if not self.is_stale(e)]
            if not events:
                continue
            self._busy += 1
            idle.clear()
            try:
                yield events
                for event in events:
                    self._finish(event)
            finally:
                self._busy -= 1
                if not self._busy:
                    idle.set()

    def _first_deliveries(self, events: Sequence[EventT]) -> list[EventT]:
        """``events`` without the repeats (of earlier batches or of this one)."""
        fresh: list[EventT] = []
        last: dict[TP, int] = {}
        for event in events:
            message = event.message
            if self.is_repeat(event) or message.offset <= last.get(message.tp, -1):
                self._skip_repeat(event)
                continue
            last[message.tp] = message.offset
            fresh.append(event)
        return fresh

    @contextlib.asynccontextmanager
    async def closed(self) -> AsyncIterator[None]:
        """Hold new messages back and wait until none is half processed (a commit runs inside)."""
        is_open, idle = self._open_and_idle()
        is_open.clear()
        try:
            try:
                await asyncio.wait_for(idle.wait(), GATE_TIMEOUT_S)
            except TimeoutError:
                log.warning("committing while %d message(s) are being processed", self._busy)
            yield
        finally:
            if not self._held:
                is_open.set()


@contextlib.contextmanager
def handling(event: EventT) -> Iterator[None]:
    """Make ``event`` Faust's current event while a batch works on its behalf.

    Faust finds the current event through a context variable that only a plain ``async for``
    over the stream sets. Table writes need it (a changelog record goes to the event's source
    partition, a de-duplication mark takes its day from the event) and so does the transaction a send
    joins under ``exactly_once`` (:class:`SourcePartitionTransactions`).
    """
    token = faust.streams._current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        faust.streams._current_event.reset(token)


def commit_gate(app: faust.App) -> CommitGate:
    """The gate of ``app`` (one per app)."""
    gate: CommitGate | None = getattr(app, "_casualty_commit_gate", None)
    if gate is None:
        # Once per generation is for exactly_once, where a message processed twice is committed
        # twice; under at_least_once the tally's offset marks absorb a repeat.
        # Not app.in_transaction: a cached property, False until the worker runs.
        guarantee = app.conf.processing_guarantee
        gate = CommitGate(generation=lambda: app.consumer_generation_id,
                          once_per_generation=getattr(guarantee, "value", guarantee) == "exactly_once")
        app._casualty_commit_gate = gate  # type: ignore[attr-defined]
    return gate


class StableHighwaterThread(AIOKafkaConsumerThread):
    """Faust's consumer thread, asking the broker for a changelog's end when it does not know it.

    Under ``exactly_once`` Faust takes a partition's highwater from the last stable offset that
    aiokafka learnt from its last *fetch* of that partition: None for a partition assigned by the
    rebalance that is running, which Faust reads as -1 and then stops table recovery with a
    ConsistencyError ("persisted offset ... is higher than the last offset ... (512 > -1)").
    A ListOffsets request under ``read_committed`` gives that last stable offset directly.
    """

    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        consumer = self._ensure_consumer()
        if not self.consumer.in_transaction:
            return await super()._highwaters(partitions)
        known = {tp: consumer.last_stable_offset(tp) for tp in partitions}
        unknown = [tp for tp, offset in known.items() if offset is None]
        if unknown:
            known.update(await consumer.end_offsets(unknown))
        return known


class DrainingProducerBuffer(ProducerBuffer):
    """Faust's buffer of table changelog records, knowing when a record was handed over.

    Its queue is empty as soon as the buffer's task takes the last record, before that record
    reaches the Kafka producer (the send awaits, e.g. for room in the accumulator), so records
    are counted instead: :attr:`put` when written, :attr:`sent` once with the Kafka producer.
    The queue is first in, first out, so record ``n`` is sent when ``sent >= n``.
    """

    put_count: int = 0
    sent_count: int = 0

    def put(self, fut: FutureMessage) -> None:
        """Add a record (counted) to the buffer."""
        self.put_count += 1
        super().put(fut)

    async def _send_pending(self, fut: FutureMessage) -> None:
        try:
            await super()._send_pending(fut)
        finally:
            self.sent_count += 1

    @property
    def in_flight(self) -> int:
        """Records put and not yet with the Kafka producer (queued or being sent)."""
        return self.put_count - self.sent_count

    async def drain(self, timeout: float) -> bool:
        """Wait until every record put so far is with the Kafka producer; False after ``timeout``.

        Records put while it waits are not waited for: under ``at_least_once`` the agents keep
        writing during a commit, and the buffer may never be empty.
        """
        target = self.put_count
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.sent_count < target:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            self.message_sent.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.message_sent.wait(), min(remaining, 0.5))
        return True


class DrainingProducer(Producer):
    """Faust's aiokafka producer, with a :class:`DrainingProducerBuffer`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.app.conf.producer_threaded:  # the threaded producer has a queue of its own
            buffer = DrainingProducerBuffer(loop=self.loop, beacon=self.beacon)
            buffer.app = self.app
            self.buffer = buffer


async def drain_changelog_buffer(app: faust.App, timeout: float = DRAIN_TIMEOUT_S) -> bool:
    """Hand every table changelog record written so far to the Kafka producer (False: timed out)."""
    buffer = app.producer.buffer
    if isinstance(buffer, DrainingProducerBuffer):
        return await buffer.drain(timeout)
    await buffer.flush()
    return True


class DrainingConsumer(ReadOffsetSafeConsumer):
    """Faust's aiokafka consumer, committing offsets only with all their table updates sent.

    Under ``at_least_once`` the producer is flushed after this, so the records are on the broker
    before the offsets; under ``exactly_once`` they are in the transaction the offsets commit.
    """

    def _new_consumer_thread(self) -> AIOKafkaConsumerThread:
        return StableHighwaterThread(self, loop=self.loop, beacon=self.beacon)

    async def force_commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        """Commit, once the table changelog records are all with the Kafka producer."""
        if not await drain_changelog_buffer(self.app):
            log.warning("commit skipped: table changelog records still unsent after %.0f s", DRAIN_TIMEOUT_S)
            return False
        return bool(await super().force_commit(topics, start_new_transaction=start_new_transaction))


class GatedConsumer(DrainingConsumer):
    """:class:`DrainingConsumer`, committing only between messages, and when a rebalance starts.

    Faust does not commit when partitions are revoked, and it forgets their acked offsets before
    it tells the app. Under ``exactly_once`` the transactions of the partitions a worker kept
    then stayed open over the rebalance (Faust's ``begin_transaction`` fails with
    "IN_TRANSACTION -> IN_TRANSACTION"), and the messages processed since the last commit were
    delivered again from the committed offset, by the new owner or into that same transaction:
    their incidents were committed twice. Kafka Streams commits on revocation; so do we, before
    Faust forgets anything and once no message is half processed, and nothing more is processed
    until the new assignment.
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


class SourcePartitionTransactions(TransactionManager):
    """A TransactionManager that sends within the current event's source-partition transaction."""

    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: HeadersArg | None,
        *,
        transactional_id: str | None = None,
    ) -> Awaitable[RecordMetadata]:
        """Send ``key``/``value`` inside the transaction of the event being processed, if any."""
        event = faust.current_event()
        if event is None:  # e.g. a table's changelog flushed by the producer buffer: dest == source
            return await super().send(topic, key, value, partition, timestamp, headers,
                                      transactional_id=transactional_id)
        source = event.message.tp
        group = self.app.assignor.group_for_topic(source.topic)
        return await self.producer.send(
            topic, key, value, self.consumer.key_partition(topic, key, partition), timestamp, headers,
            transactional_id=f"{self.app.conf.id}-{group}-{source.partition}",
        )


def use_draining_commits(app: faust.App) -> None:
    """Make ``app`` commit offsets only once their table changelog records are all sent."""
    transport: Any = app.transport
    transport.Producer = DrainingProducer
    transport.Consumer = DrainingConsumer


def use_gated_commits(app: faust.App) -> None:
    """Make ``app`` commit only between messages, with its table changelog records sent first."""
    use_draining_commits(app)
    transport: Any = app.transport
    transport.Consumer = GatedConsumer


def use_source_partition_transactions(app: faust.App) -> None:
    """Make ``app`` (with ``processing_guarantee="exactly_once"``) use :class:`SourcePartitionTransactions`."""
    transport: Any = app.transport
    transport.TransactionManager = SourcePartitionTransactions
    use_gated_commits(app)
