"""What the agents use: the commit gate around each message or batch, and the current event of a batch.

Patches kept here (tested in ``tests/test_commit_gate.py``, ``tests/test_tally_settings.py`` and the
reliability suite, ``tests/reliability/``):

* :class:`CommitGate`: an offset commit happens only between messages (``exactly_once``, closed by
  :class:`~streams.worker.delivery.consumer.GatedConsumer`); each offset is processed once per
  consumer generation (``exactly_once``); a message a rebalance made stale is dropped unacked
  (both guarantees). It reads only public Faust names: ``Message.acked``, ``Consumer.unacked``,
  ``App.consumer_generation_id``, ``Stream.take_events``.
* :func:`handling`: sets Faust's *private* ``faust.streams._current_event`` for a batch. Faust sets
  it only in a plain ``async for`` over a stream, one event at a time; a batch of events written
  to tables needs it per event (no public setter exists in faust-streaming 0.15.3).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import faust
import faust.streams
from faust.types import TP, EventT

from streams.web import metrics

log = logging.getLogger(__name__)
# A commit that cannot find a gap between messages for this long goes ahead anyway (and says so)
# rather than stall the worker, e.g. if a rebalance holds an agent in the middle of a message.
GATE_TIMEOUT_S = 15.0


def is_exactly_once(app: faust.App) -> bool:
    """Whether ``app`` is configured for ``exactly_once``.

    Read from the configuration, not ``app.in_transaction``: that is a cached property, False
    until the worker runs, and the transport and the gate are built before.
    """
    guarantee = app.conf.processing_guarantee
    return getattr(guarantee, "value", guarantee) == "exactly_once"


class CommitGate:
    """Lets offset commits happen only between messages, never in the middle of one.

    Why (``exactly_once``): Faust's committer takes the acked offsets, then commits the source
    partitions' transactions one after the other while the agents keep processing. Whatever an
    agent sent between the snapshot and the commit (part of a message's outputs and table
    updates) was committed without that message's offset; after a ``kill -9`` the message was
    processed again (duplicate incident ids) or found its own half-written de-duplication mark (a
    lost incident). An agent holds the gate from a message's first output to its ack, and a
    commit (:meth:`closed`) waits until no message is half processed.
    Shown by: ``tests/reliability/test_worker_crash.py`` (``exactly_once``), ``tests/test_commit_gate.py``.

    Plain events, changed without awaiting, so a cancelled commit or agent cannot leave the gate
    shut.

    It also lets each message through once per consumer generation (``exactly_once`` only). The
    Kafka client can deliver a partition's last message a second time once the partition is
    drained (seen at the end of every ``exactly_once`` kill test: the last article of each of the
    6 partitions came again within a second, with the same offset and generation, and was
    extracted twice; 24 incident ids committed twice). Faust passes it on (its read-offset check
    lets an equal offset through), and our de-duplication mark cannot tell it from a message
    redelivered after a crash (same offset), which must be processed again. Within one
    generation nothing needs processing twice; a rebalance (new generation) seeks back to the
    committed offsets, and those messages do count again.

    Under both guarantees, given the consumer's current generation (``generation``), it drops the
    messages fetched before the last rebalance that were still waiting at the gate or being
    processed, without acking them: Faust delivers them again to the partition's owner, from the
    committed offset, and an ack would put their offsets among the new generation's commits,
    ahead of that second delivery (lost if the worker stops in between).
    Shown by: ``tests/reliability/test_rebalance.py``, ``tests/test_commit_gate.py``.
    :meth:`hold` keeps the gate shut over a rebalance.
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
        # Marked acked without telling the consumer: Faust's own ack (take_events acks its whole
        # batch) then does nothing. Taken out of the consumer's unacked set (Faust's own streams
        # add to it through the same public property), or a rebalance waiting for an empty set
        # (stream_wait_empty) would poll for it.
        message: Any = event.message
        message.acked = True
        with contextlib.suppress(Exception):
            event.app.consumer.unacked.discard(message)
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
    partition, a de-duplication mark takes its day from the event) and so does the transaction a
    send joins under ``exactly_once``
    (:class:`~streams.worker.delivery.transactions.SourcePartitionTransactions`). Without it a
    table write in a batch raises "Cannot modify table key from outside of stream iteration".
    Shown by: ``tests/test_tally_settings.py::test_handling_makes_an_event_current_and_restores_the_previous_one``.
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
        gate = CommitGate(generation=lambda: app.consumer_generation_id, once_per_generation=is_exactly_once(app))
        app._casualty_commit_gate = gate  # type: ignore[attr-defined]
    return gate
