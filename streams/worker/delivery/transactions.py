"""``exactly_once`` done per source partition: what an agent sends joins the transaction of the
partition it is reading, the one that commits that partition's offsets.

Faust (faust-streaming 0.15.3, ``TransactionManager.send``) picks the transaction of a sent message
from its *destination* partition. Our outputs are not co-partitioned with our inputs (an article
from ``articles`` partition 2 yields incidents keyed by region, on any ``incidents`` partition), so:

* the incidents of an article were committed by another partition's transaction than the
  article's offset: a crash between the two commits left the incidents committed and the article
  unread, and it was extracted again (duplicate incident ids under ``read_committed``,
  ``tests/reliability/test_worker_crash.py``, ``exactly_once``);
* with several workers, a destination partition owned by another worker has no transaction on
  this one, and the send failed ("No transaction producer found",
  ``tests/reliability/test_rebalance.py``, ``exactly_once``).

Keying the transaction by the source partition (as Kafka Streams does per task) makes a
message's outputs, its table changelog records (co-partitioned with the source) and its offset
commit one atomic transaction, fenced per partition when partitions move between workers. The
transactional id is Faust's own (``TransactionManager.transactional_id_format``, the id Faust
starts a producer for when the partition is assigned and commits its offsets with).
"""

from __future__ import annotations

from collections.abc import Awaitable

import faust
from faust.transport.consumer import TopicPartitionGroup, TransactionManager
from faust.types import TP, HeadersArg, RecordMetadata


class SourcePartitionTransactions(TransactionManager):
    """A TransactionManager that sends within the current event's source-partition transaction.

    Outside an event (a table's changelog record published by the producer buffer's own task)
    Faust's choice stands: the changelog is co-partitioned with the source, so the destination's
    transaction is the source's. Shown by: the ``exactly_once`` variants of
    ``tests/reliability/test_worker_crash.py`` and ``test_rebalance.py`` (no incident id twice on
    ``incidents``); ``tests/test_delivery_transport.py`` (the id is Faust's for the source partition).
    """

    def transactional_id(self, source: TP) -> str:
        """The id of the transaction that commits ``source``'s offsets (Faust's naming)."""
        group = self.app.assignor.group_for_topic(source.topic)
        return self.transactional_id_format.format(
            tpg=TopicPartitionGroup(source.topic, source.partition, group), group_id=self.app.conf.id,
        )

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
        return await self.producer.send(
            topic, key, value, self.consumer.key_partition(topic, key, partition), timestamp, headers,
            transactional_id=self.transactional_id(event.message.tp),
        )
