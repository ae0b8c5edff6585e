"""The delivery patches come in through one Faust transport, ``casualty+kafka://``, and only there.

Faust resolves a broker URL's scheme through its transport registry, which loads the
``faust.transports`` entry points (pyproject.toml). The worker's app names our scheme; an app with
``kafka://`` brokers gets Faust's own transport, consumer, producer and transaction manager.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import faust
import faust.transport
import pytest
from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

from streams.config import Settings
from streams.worker.delivery import SCHEME, Transport, handling
from streams.worker.delivery.consumer import DrainingConsumer, GatedConsumer
from streams.worker.delivery.producer import DrainingProducer
from streams.worker.delivery.transactions import SourcePartitionTransactions


def test_faust_resolves_our_scheme_to_our_transport_and_kafka_to_its_own() -> None:
    assert SCHEME == "casualty+kafka"
    assert faust.transport.by_url("casualty+kafka://k1:9093") is Transport
    assert faust.transport.by_url("kafka://k1:9093") is faust_aiokafka.Transport


@pytest.mark.parametrize(("guarantee", "consumer_class"),
                         [("at_least_once", DrainingConsumer), ("exactly_once", GatedConsumer)])
def test_the_worker_app_runs_on_the_delivery_transport(guarantee: str, consumer_class: type, tmp_path: Path) -> None:
    from streams.worker.app import create_app

    settings = Settings(bootstrap="k1:9093,k2:9094", processing_guarantee=guarantee, data_dir=tmp_path,
                        app_id=f"transport-test-{guarantee}")
    app = create_app(settings)
    assert [str(url) for url in app.conf.broker] == ["casualty+kafka://k1:9093", "casualty+kafka://k2:9094"]
    assert type(app.transport) is Transport and type(app.producer_transport) is Transport
    assert type(app.consumer) is consumer_class
    assert type(app.producer) is DrainingProducer
    assert type(app.consumer.transactions) is SourcePartitionTransactions


def test_a_kafka_app_in_the_same_process_keeps_faust_unpatched() -> None:
    import streams.worker.app  # noqa: F401  (the worker's module is loaded: nothing global may change)

    for guarantee in ("at_least_once", "exactly_once"):
        app = faust.App(f"plain-{guarantee}", broker="kafka://k1:9093", processing_guarantee=guarantee,
                        autodiscover=False)
        assert type(app.transport) is faust_aiokafka.Transport
        assert type(app.consumer) is faust_aiokafka.Consumer
        assert type(app.producer) is faust_aiokafka.Producer
        assert type(app.consumer.transactions) is faust_consumer.TransactionManager
    assert faust_aiokafka.Transport.Consumer is faust_aiokafka.Consumer
    assert faust_aiokafka.Transport.Producer is faust_aiokafka.Producer


def test_threaded_producer_is_refused_by_name() -> None:
    app = faust.App("threaded", broker="casualty+kafka://k1:9093", producer_threaded=True, autodiscover=False)
    with pytest.raises(ValueError, match=r"casualty\+kafka:// does not support producer_threaded"):
        _ = app.producer


class _Producer:
    """Records what the transaction manager hands to the producer."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, topic: str, key: bytes | None, value: bytes | None, partition: int | None,
                   timestamp: float | None, headers: Any, *, transactional_id: str | None = None) -> None:
        self.sent.append({"topic": topic, "partition": partition, "transactional_id": transactional_id})


class _Event:
    """Stands for a Faust event read from ``tp`` (handling() keeps a weak reference to it)."""

    def __init__(self, tp: TP) -> None:
        self.message = SimpleNamespace(tp=tp)


def test_a_send_joins_the_transaction_of_the_source_partition_by_faust_naming() -> None:
    app = faust.App("eos-test", broker="casualty+kafka://k1:9093", processing_guarantee="exactly_once",
                    autodiscover=False)
    manager = app.consumer.transactions
    assert isinstance(manager, SourcePartitionTransactions)
    app.assignor.group_for_topic = lambda topic: {"articles": 0, "incidents": 1}[topic]  # type: ignore[method-assign]
    app.consumer.key_partition = lambda topic, key, partition=None: 4  # type: ignore[method-assign]
    producer = _Producer()
    manager.producer = producer  # type: ignore[assignment]
    source = TP("articles", 2)

    # The id Faust starts a producer for when the source partition is assigned, and commits with.
    assert manager.transactional_id(source) == "eos-test-0-2"
    assert manager._tps_to_transactional_ids({source}) == {"eos-test-0-2"}

    event = _Event(source)

    async def send_while_handling() -> None:
        with handling(event):  # type: ignore[arg-type]
            await manager.send("incidents", b"IQ-BG", b"{}", None, None, None)

    asyncio.run(send_while_handling())
    # Destination incidents/4 (group 1) but the transaction of articles/2 (group 0).
    assert producer.sent == [{"topic": "incidents", "partition": 4, "transactional_id": "eos-test-0-2"}]
