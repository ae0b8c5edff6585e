"""The producer: knows when every table changelog record written so far is on the broker.

Faust does not send a table's changelog record when the table is written: ``Table.__setitem__``
hands it to ``Producer.send_soon``, which queues it in the producer's buffer, and a task of the
buffer publishes it later. Before an offset commit Faust flushes that buffer, but its flush
(``ProducerBuffer.flush``, faust-streaming 0.15.3) gives up as soon as one record takes more than
0.1 s to be handed over (a busy event loop, a full aiokafka accumulator, a broker away). The
offsets were then committed without the table updates of the messages they cover, and a
``kill -9`` before the next commit lost those updates for good (an undercount of the tables).

:class:`DrainingProducer` keeps the future of every record given to ``send_soon`` (public
``Producer`` API) until it is published (acknowledged by the broker, or within its transaction
under ``exactly_once``), and :meth:`DrainingProducer.wait_published` waits for the ones written
before it was called. It replaces the ``DrainingProducerBuffer`` of the fifth session, which
overrode the buffer's private ``_send_pending`` and was swapped into ``Producer.buffer`` after
construction; this one overrides two public methods only (``send_soon`` and ``flush``).
"""

from __future__ import annotations

import asyncio
import collections
import logging

import faust
from faust.exceptions import ProducerSendError
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import FutureMessage

log = logging.getLogger(__name__)
# A commit skips its turn when the table changelog records written before it cannot all be
# published in this time (e.g. while the broker is away); the next commit tries again.
DRAIN_TIMEOUT_S = 30.0


class DrainingProducer(faust_aiokafka.Producer):
    """Faust's aiokafka producer, waiting for the records written to the tables before a commit.

    Two waits, both on the records written before the wait started (agents keep writing during a
    commit under ``at_least_once``; waiting for an empty buffer stalled the fetch loop):

    * :class:`~streams.worker.delivery.consumer.DrainingConsumer` calls :meth:`wait_published`
      before it commits, and skips the commit after :data:`DRAIN_TIMEOUT_S` (the broker is away);
    * :meth:`flush`, which Faust's commit calls under ``at_least_once`` *after* it has taken the
      acked offsets and before it commits them, also waits for the records of the messages acked
      since (their offsets are in that commit). It cannot skip the commit any more, so it waits
      as long as aiokafka would (an earlier version gave up after 30 s and stopped the worker:
      the broker-restart test caught it, ``tests/reliability/test_broker_restart.py``).

    Shown by: ``tests/test_delivery_producer.py`` (Faust's flush returns with records unsent, this
    one does not), ``tests/reliability/test_worker_crash.py`` (both guarantees: exact tables
    after ``kill -9``).
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        # Futures of the records given to send_soon, oldest first, until they are published.
        self._unpublished: collections.deque[FutureMessage] = collections.deque()

    def send_soon(self, fut: FutureMessage) -> None:
        """Queue ``fut`` in Faust's buffer (as Faust does), remembering it until it is published."""
        unpublished = self._unpublished
        while unpublished and unpublished[0].done():
            unpublished.popleft()
        unpublished.append(fut)
        super().send_soon(fut)

    @property
    def unpublished(self) -> int:
        """Records given to ``send_soon`` and not yet published (queued, being sent or in flight)."""
        return sum(1 for fut in self._unpublished if not fut.done())

    async def wait_published(self, timeout: float) -> bool:
        """Wait until every record given to ``send_soon`` so far is published; False after ``timeout``.

        A record whose send failed counts as done (Faust logs it and does not retry it, as
        without this class): waiting for it could not change what the commit holds.
        """
        pending = [fut for fut in self._unpublished if not fut.done()]
        if not pending:
            return True
        _, still_pending = await asyncio.wait(pending, timeout=timeout)
        return not still_pending

    async def flush(self) -> None:
        """Faust's flush, after every table record written before it is published.

        Faust calls it in the middle of an ``at_least_once`` commit, after it has taken the acked
        offsets out of its bookkeeping: the commit can no longer be skipped, so this waits as
        aiokafka's own flush does (while the broker is away, say), and warns every
        :data:`DRAIN_TIMEOUT_S`. Only past Faust's ``producer_request_timeout`` (by then aiokafka
        has failed the sends) does it raise :class:`~faust.exceptions.ProducerSendError`, which
        stops the worker with the offsets uncommitted, rather than commit them without their records.
        """
        pending = {fut for fut in self._unpublished if not fut.done()}
        limit = float(self.app.conf.producer_request_timeout)
        waited = 0.0
        while pending:
            step = min(DRAIN_TIMEOUT_S, limit - waited)
            _, pending = await asyncio.wait(pending, timeout=step)
            if not pending:
                break
            waited += step
            if waited >= limit:
                raise ProducerSendError(f"{len(pending)} table changelog records unpublished after {limit:.0f} s")
            log.warning("offset commit waiting for %d table changelog records (%.0f s)", len(pending), waited)
        await super().flush()


async def wait_table_writes(app: faust.App, timeout: float = DRAIN_TIMEOUT_S) -> bool:
    """Wait until every record the agents have written so far is published; False after ``timeout``.

    The tally agent writes its event heads only after the rows they point to are on the broker
    (``streams/worker/tally_agent.py``); with a producer other than :class:`DrainingProducer`
    (an app on Faust's own ``kafka://`` transport) Faust's buffer is flushed instead.
    """
    producer = app.producer
    if isinstance(producer, DrainingProducer):
        return await producer.wait_published(timeout)
    await producer.buffer.flush()
    return True
