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
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import faust
from faust.transport.consumer import TransactionManager
from faust.types import HeadersArg, RecordMetadata


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


def use_source_partition_transactions(app: faust.App) -> None:
    """Make ``app`` (with ``processing_guarantee="exactly_once"``) use :class:`SourcePartitionTransactions`."""
    transport: Any = app.transport
    transport.TransactionManager = SourcePartitionTransactions
