"""What an offset commit waits for on the producer side (streams/worker/delivery/producer.py), without a broker.

A table write hands its changelog record to ``Producer.send_soon``; Faust's buffer publishes it
later, and Faust's flush before a commit gives up after 0.1 s on one slow record. These tests use
the real producer of a ``casualty+kafka://`` app and its real buffer; only the topic's publish is
replaced by one that takes ``delay`` seconds (a busy loop, a full accumulator, a slow broker).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any, TypeVar

import faust
import pytest
from faust.exceptions import ProducerSendError

from streams.worker.delivery import producer as producer_module
from streams.worker.delivery.producer import DrainingProducer

T = TypeVar("T")


class _SlowTopic:
    """A topic whose publish takes ``delay`` seconds, then resolves the record's future (broker ack)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.published: list[int] = []

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        await asyncio.sleep(self.delay)
        self.published.append(fut.n)
        fut.set_result(fut.n)


class _Record(asyncio.Future):
    """Stands for Faust's FutureMessage: a future with the message (and its topic) it is for."""

    def __init__(self, topic: _SlowTopic, n: int) -> None:
        super().__init__()
        self.n = n
        self.message = SimpleNamespace(channel=topic)


def _with_producer(body: Callable[[DrainingProducer], Awaitable[T]], **app_options: Any) -> T:
    """Run ``body`` with the producer of a fresh ``casualty+kafka://`` app, its buffer running."""
    async def run() -> T:
        app = faust.App("producer-test", broker="casualty+kafka://127.0.0.1:1", autodiscover=False, **app_options)
        producer = app.producer
        assert isinstance(producer, DrainingProducer)
        await producer.buffer.start()
        try:
            return await body(producer)
        finally:
            while not producer.buffer.pending.empty():  # what is left would fail the buffer's stop
                producer.buffer.pending.get_nowait()
            await producer.buffer.stop()
    return asyncio.run(run())


def test_faust_flush_gives_up_on_a_slow_record_and_wait_published_does_not() -> None:
    topic = _SlowTopic(delay=0.25)

    async def body(producer: DrainingProducer) -> tuple[list[int], bool, list[int]]:
        for n in range(3):
            producer.send_soon(_Record(topic, n))  # type: ignore[arg-type]
        await producer.buffer.flush()  # Faust's: returns after 0.1 s without a record published
        after_faust_flush = list(topic.published)
        published = await producer.wait_published(timeout=5.0)
        return after_faust_flush, published, list(topic.published)

    after_faust_flush, published, after_wait = _with_producer(body)
    assert after_faust_flush == []
    assert published is True and after_wait == [0, 1, 2]


def test_wait_published_counts_the_record_being_sent_and_times_out() -> None:
    topic = _SlowTopic(delay=0.5)

    async def body(producer: DrainingProducer) -> tuple[int, int, bool, bool]:
        producer.send_soon(_Record(topic, 1))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)  # the buffer's task took it: the queue is empty, the send is not done
        queued, unpublished = producer.buffer.size, producer.unpublished
        timed_out = await producer.wait_published(timeout=0.1)
        return queued, unpublished, timed_out, await producer.wait_published(timeout=5.0)

    queued, unpublished, timed_out, published = _with_producer(body)
    assert (queued, unpublished) == (0, 1)
    assert timed_out is False
    assert published is True


def test_wait_published_does_not_wait_for_records_written_after_it_started() -> None:
    # Agents that keep writing during a commit must not hold it (and the fetch loop calling it)
    # until the buffer happens to be empty.
    topic = _SlowTopic(delay=0.2)

    async def body(producer: DrainingProducer) -> tuple[bool, list[int], int]:
        producer.send_soon(_Record(topic, 0))  # type: ignore[arg-type]
        wait = asyncio.create_task(producer.wait_published(timeout=5.0))
        await asyncio.sleep(0)  # the wait has taken its records: one
        for n in range(1, 11):
            producer.send_soon(_Record(topic, n))  # type: ignore[arg-type]
        published = await wait
        return published, list(topic.published), producer.unpublished

    published, at_wait_end, still_unpublished = _with_producer(body)
    assert published is True and at_wait_end == [0]
    assert still_unpublished == 10


def test_flush_waits_for_the_records_written_before_it() -> None:
    # Faust's commit under at_least_once takes the acked offsets, then flushes the producer:
    # the records of every message acked by then must be published before the offsets.
    topic = _SlowTopic(delay=0.15)

    async def body(producer: DrainingProducer) -> list[int]:
        for n in range(3):
            producer.send_soon(_Record(topic, n))  # type: ignore[arg-type]
        await producer.flush()
        return list(topic.published)

    assert _with_producer(body) == [0, 1, 2]


def test_flush_outwaits_a_slow_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    # Faust has taken the offsets out of its bookkeeping when it flushes: giving up now would
    # either commit them without their records or stop the worker. An outage is waited out.
    monkeypatch.setattr(producer_module, "DRAIN_TIMEOUT_S", 0.1)
    topic = _SlowTopic(delay=0.45)

    async def body(producer: DrainingProducer) -> list[int]:
        producer.send_soon(_Record(topic, 0))  # type: ignore[arg-type]
        await producer.flush()
        return list(topic.published)

    assert _with_producer(body) == [0]


def test_flush_fails_past_the_producer_request_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(producer_module, "DRAIN_TIMEOUT_S", 0.1)
    topic = _SlowTopic(delay=5.0)

    async def body(producer: DrainingProducer) -> str:
        producer.send_soon(_Record(topic, 0))  # type: ignore[arg-type]
        with pytest.raises(ProducerSendError) as raised:
            await producer.flush()
        return str(raised.value)

    assert _with_producer(body, producer_request_timeout=0.3) == "1 table changelog records unpublished after 0 s"


def test_a_failed_send_does_not_hold_commits() -> None:
    async def body(producer: DrainingProducer) -> bool:
        failed = _Record(_SlowTopic(0.0), 0)
        failed.set_exception(RuntimeError("broker said no"))  # Faust logs it and fails the future
        producer._unpublished.append(failed)  # type: ignore[arg-type]
        published = await producer.wait_published(timeout=0.5)
        failed.exception()  # retrieved: no "exception never retrieved" warning
        return published

    assert _with_producer(body) is True
