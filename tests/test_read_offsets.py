"""After a rebalance, a partition is read from its committed offset, and from nowhere else.

Faust's fetch loop keeps a read offset per partition: it drops fetched messages below it, and
counts a jump above it as a gap of acked offsets. Messages fetched while Faust was still seeking
a partition back to its committed offset, or a message from before the rebalance handed over
after that seek, left read offsets that made the worker commit messages it never processed
(streams/worker/delivery/consumer.py). These tests drive the consumer of a real app, with the broker calls
replaced.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import faust
import pytest
from faust.transport.drivers.aiokafka import Consumer
from faust.types import TP

from streams.worker.delivery.consumer import ReadOffsetSafeConsumer

INCIDENTS = TP("incidents", 2)
CHANGELOG = TP("read-offsets-test-rows-changelog", 2)
COMMITTED = 35


def _consumer(monkeypatch: pytest.MonkeyPatch, messages: list[Any] | None = None,
              ) -> tuple[ReadOffsetSafeConsumer, faust.App]:
    """A real app's consumer (generation 1, assigned INCIDENTS and CHANGELOG) fetching ``messages``."""
    app = faust.App("read-offsets-test", broker="casualty+kafka://127.0.0.1:1", autodiscover=False)
    app.Table("rows", default=int)  # its changelog topic is CHANGELOG's
    app.consumer_generation_id = 1

    async def fetched(self: Consumer, timeout: float) -> AsyncIterator[tuple[TP, Any]]:
        for message in messages or []:
            yield INCIDENTS, message

    async def seek_to_committed(self: Consumer) -> dict[TP, int]:
        return {INCIDENTS: COMMITTED}

    monkeypatch.setattr(Consumer, "getmany", fetched)
    monkeypatch.setattr(Consumer, "seek_to_committed", seek_to_committed)
    monkeypatch.setattr(Consumer, "assignment", lambda self: {INCIDENTS, CHANGELOG})
    consumer = app.consumer
    assert isinstance(consumer, ReadOffsetSafeConsumer)
    return consumer, app


def test_a_stream_partition_is_not_fetched_before_the_seek_to_its_committed_offset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    consumer, _ = _consumer(monkeypatch)
    consumer.pause_partitions({INCIDENTS, CHANGELOG})  # as Faust does when partitions are assigned

    # Table recovery resumes the changelog; then the stream partition, right before its seek.
    consumer.resume_partitions({CHANGELOG})
    consumer.resume_partitions({INCIDENTS})
    assert consumer._get_active_partitions() == {CHANGELOG}

    asyncio.run(consumer.perform_seek())
    assert consumer._get_active_partitions() == {CHANGELOG, INCIDENTS}
    assert consumer._read_offset[INCIDENTS] == COMMITTED


def test_a_partition_revoked_while_held_back_is_not_resumed(monkeypatch: pytest.MonkeyPatch) -> None:
    consumer, _ = _consumer(monkeypatch)
    consumer.pause_partitions({INCIDENTS})
    consumer.resume_partitions({INCIDENTS})
    monkeypatch.setattr(Consumer, "assignment", lambda self: {CHANGELOG})  # a new rebalance took it

    asyncio.run(consumer.perform_seek())
    assert INCIDENTS not in consumer._get_active_partitions()


async def _fetch_loop(consumer: ReadOffsetSafeConsumer, app: faust.App, rebalance_during: int | None = None,
                      ) -> list[int | None]:
    """What Faust's fetch loop does with each message: hand it over, then set the read offset.

    The hand-over of the message at offset ``rebalance_during`` lasts through a whole rebalance,
    the seek back to the committed offsets included.
    """
    read_offsets: list[int | None] = []
    async for tp, message in consumer.getmany(timeout=1.0):
        if message.offset == rebalance_during:
            app.consumer_generation_id = 2
            await consumer.perform_seek()
        consumer._read_offset[tp] = message.offset
        read_offsets.append(consumer._read_offset[tp])
    read_offsets.append(consumer._read_offset[INCIDENTS])
    return read_offsets


def test_a_message_handed_over_after_the_rebalance_leaves_no_read_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    # Offsets 40 and 41 were fetched in generation 1; the rebalance (and its seek back to the
    # committed offset, 35) completes while 41 is being handed over.
    messages = [SimpleNamespace(offset=40, generation_id=1), SimpleNamespace(offset=41, generation_id=1)]
    consumer, app = _consumer(monkeypatch, messages)
    assert asyncio.run(_fetch_loop(consumer, app, rebalance_during=41)) == [40, 41, None]
    # 35..40, fetched again in generation 2, are not below any read offset: none is dropped.


def test_read_offsets_of_the_current_generation_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = [SimpleNamespace(offset=40, generation_id=1), SimpleNamespace(offset=41, generation_id=1)]
    consumer, app = _consumer(monkeypatch, messages)
    assert asyncio.run(_fetch_loop(consumer, app)) == [40, 41, 41]


def test_both_guarantees_keep_the_fix() -> None:
    from streams.worker.delivery.consumer import DrainingConsumer, GatedConsumer
    from streams.worker.delivery.transport import Transport

    assert issubclass(DrainingConsumer, ReadOffsetSafeConsumer)
    assert issubclass(GatedConsumer, ReadOffsetSafeConsumer)
    assert {Transport.Consumer, Transport.ExactlyOnceConsumer} == {DrainingConsumer, GatedConsumer}
