"""The commit gate, without a broker (streams/worker/delivery/gate.py).

:class:`CommitGate` lets each message through once per consumer generation (a message the client
delivers again in the same generation is acked and skipped; after a rebalance it counts again),
drops messages a rebalance made stale without acking them, and keeps commits between messages.
What a commit waits for on the producer side: tests/test_delivery_producer.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from streams.web import metrics
from streams.worker.delivery.gate import CommitGate

ARTICLES = TP("articles", 0)
OTHER = TP("articles", 1)


class _Event:
    """Stands for a Faust event: a message with a partition, an offset and a generation."""

    def __init__(self, tp: TP, offset: int, generation: int = 1) -> None:
        self.message = SimpleNamespace(tp=tp, topic=tp.topic, offset=offset, generation_id=generation)
        self.acks = 0

    def ack(self) -> bool:
        self.acks += 1
        return True

    def __repr__(self) -> str:
        return f"{self.message.tp.partition}@{self.message.offset}/g{self.message.generation_id}"


async def _events(items: Sequence[_Event]) -> AsyncIterator[_Event]:
    for item in items:
        yield item


def _redeliveries() -> float:
    return metrics.METRICS.duplicates.labels(kind="redelivery")._value.get()


def test_a_message_delivered_again_in_its_generation_is_acked_and_skipped() -> None:
    first, again, next_one = _Event(ARTICLES, 7), _Event(ARTICLES, 7), _Event(ARTICLES, 8)
    older = _Event(ARTICLES, 6)
    other_partition = _Event(OTHER, 7)
    before = _redeliveries()

    async def run() -> list[_Event]:
        gate = CommitGate()
        return [e async for e in gate.gated(_events([first, again, next_one, older, other_partition]))]

    assert asyncio.run(run()) == [first, next_one, other_partition]
    assert (again.acks, older.acks) == (1, 1)  # acked, or a rebalance would wait for them
    assert (first.acks, next_one.acks) == (1, 1)
    assert _redeliveries() == before + 2


def test_after_a_rebalance_the_same_offset_counts_again() -> None:
    # A new generation seeks back to the committed offset: those messages must be processed.
    first, after_rebalance = _Event(ARTICLES, 7, generation=1), _Event(ARTICLES, 7, generation=2)

    async def run() -> list[_Event]:
        return [e async for e in CommitGate().gated(_events([first, after_rebalance]))]

    assert asyncio.run(run()) == [first, after_rebalance]


def test_a_message_the_agent_failed_on_is_not_marked_done() -> None:
    failing, redelivered = _Event(ARTICLES, 3), _Event(ARTICLES, 3)
    gate = CommitGate()

    async def fail_once() -> None:
        async for _ in gate.gated(_events([failing])):
            raise RuntimeError("extractor bug")

    async def run() -> list[_Event]:
        with contextlib.suppress(RuntimeError):
            await fail_once()
        return [e async for e in gate.gated(_events([redelivered]))]

    assert asyncio.run(run()) == [redelivered]
    assert failing.acks == 0


class _Stream:
    """Stands for a Faust stream: ``take_events`` yields the given batches."""

    def __init__(self, batches: Sequence[Sequence[_Event]]) -> None:
        self._batches = batches

    async def take_events(self, max_: int, within: float) -> AsyncIterator[Sequence[_Event]]:
        for batch in self._batches:
            yield list(batch)


def test_batches_drop_repeats_of_earlier_batches_and_within_a_batch() -> None:
    a, b, c = _Event(ARTICLES, 1), _Event(ARTICLES, 2), _Event(OTHER, 1)
    b_again_same_batch = _Event(ARTICLES, 2)
    a_again, b_again = _Event(ARTICLES, 1), _Event(ARTICLES, 2)
    d = _Event(ARTICLES, 3)
    stream: Any = _Stream([[a, b, b_again_same_batch, c], [a_again, b_again], [d]])

    async def run() -> list[list[_Event]]:
        return [list(batch) async for batch in CommitGate().batches(stream, 500, 0.05)]

    assert asyncio.run(run()) == [[a, b, c], [d]]
    assert all(e.acks == 1 for e in (a, b, c, d, b_again_same_batch, a_again, b_again))


def test_messages_fetched_before_a_rebalance_are_dropped_unacked() -> None:
    generation = [1]
    old, new = _Event(ARTICLES, 5, generation=1), _Event(ARTICLES, 5, generation=2)

    async def run() -> list[_Event]:
        gate = CommitGate(generation=lambda: generation[0])
        got: list[_Event] = []
        async for event in gate.gated(_events([_Event(OTHER, 1, generation=1), old, new])):
            got.append(event)
            generation[0] = 2  # the rebalance happens while the first message is processed
        return got

    got = asyncio.run(run())
    assert [e.message.offset for e in got] == [1, 5] and got[1] is new
    # Not acked through the consumer (its offset would join the new generation's commits),
    # but marked so that Faust's own ack does nothing either.
    assert old.acks == 0 and old.message.acked is True


def test_a_held_gate_stays_shut_through_a_commit_until_released() -> None:
    async def run() -> tuple[bool, bool, bool]:
        gate = CommitGate()
        gate.hold()
        async with gate.closed():
            pass
        is_open = gate._open_and_idle()[0]
        after_commit = is_open.is_set()
        gate.release()
        return after_commit, is_open.is_set(), gate._held

    assert asyncio.run(run()) == (False, True, False)


def test_a_batch_a_rebalance_made_stale_while_processed_is_not_acked() -> None:
    # The tally agent writes no row for a stale batch; the new owner gets it again from the
    # committed offset. Acked, its offsets would be committed ahead of that second delivery.
    generation = [1]
    batch, later = [_Event(ARTICLES, 5), _Event(ARTICLES, 6)], [_Event(ARTICLES, 5, generation=2)]
    stream: Any = _Stream([batch, later])

    async def run() -> list[list[_Event]]:
        got: list[list[_Event]] = []
        async for events in CommitGate(generation=lambda: generation[0]).batches(stream, 500, 0.05):
            got.append(list(events))
            generation[0] = 2
        return got

    assert asyncio.run(run()) == [batch, later]
    assert [e.acks for e in batch] == [0, 0] and all(e.message.acked for e in batch)
    assert later[0].acks == 1
