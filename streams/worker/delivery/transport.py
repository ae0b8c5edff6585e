"""The worker's Faust transport: Faust's aiokafka transport with the delivery patches.

Registered the way Faust registers transports: an entry point in the ``faust.transports`` group
(``pyproject.toml``), which Faust's transport registry (``faust.transport.drivers.TRANSPORTS``)
loads by name, so ``faust.App(broker="casualty+kafka://host:port")`` builds this transport for its
consumer and producer. Nothing in Faust is replaced globally: an app with ``kafka://`` brokers gets
Faust's own transport, unchanged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types.transports import ConsumerCallback, ConsumerT, ProducerT, TransactionManagerT

from streams.worker.delivery.consumer import DrainingConsumer, GatedConsumer
from streams.worker.delivery.gate import is_exactly_once
from streams.worker.delivery.producer import DrainingProducer
from streams.worker.delivery.transactions import SourcePartitionTransactions

#: The URL scheme of this transport (the entry point's name in pyproject.toml).
SCHEME = "casualty+kafka"


class Transport(faust_aiokafka.Transport):
    """Faust's aiokafka transport; its consumer, producer and transaction manager carry our patches.

    ``at_least_once``: :class:`~streams.worker.delivery.consumer.DrainingConsumer` (reads from the
    committed offset after a rebalance; commits only with the table records they cover).
    ``exactly_once``: :class:`~streams.worker.delivery.consumer.GatedConsumer` (also commits between
    messages and on revocation, asks the broker for changelog highwaters) and
    :class:`~streams.worker.delivery.transactions.SourcePartitionTransactions` (sends join the
    source partition's transaction). Both: :class:`~streams.worker.delivery.producer.DrainingProducer`.
    """

    Consumer: ClassVar[type[ConsumerT]] = DrainingConsumer
    ExactlyOnceConsumer: ClassVar[type[ConsumerT]] = GatedConsumer
    Producer: ClassVar[type[ProducerT]] = DrainingProducer
    TransactionManager: ClassVar[type[TransactionManagerT]] = SourcePartitionTransactions

    def create_consumer(self, callback: ConsumerCallback, **kwargs: Any) -> ConsumerT:
        """The consumer for the app's processing guarantee."""
        consumer_class = self.ExactlyOnceConsumer if is_exactly_once(self.app) else self.Consumer
        return consumer_class(self, callback=callback, loop=self.loop, **kwargs)

    def create_producer(self, **kwargs: Any) -> ProducerT:
        """Faust's producer, refused with ``producer_threaded`` (its buffer runs in another event loop,
        where :class:`DrainingProducer` cannot wait for the records' futures)."""
        if self.app.conf.producer_threaded:
            raise ValueError(f"{SCHEME}:// does not support producer_threaded=True")
        return super().create_producer(**kwargs)
