"""Kafka helpers for tests: produce and consume JSON on the real broker."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError


def unique_name(prefix: str = "t") -> str:
    """A topic or group name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create_topic(bootstrap: str, name: str, partitions: int = 1, config: dict[str, str] | None = None) -> None:
    """Create a topic and wait until its metadata is visible."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1, topic_configs=config or {})])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()
    deadline = time.monotonic() + 15
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        while time.monotonic() < deadline:
            parts = consumer.partitions_for_topic(name)
            if parts and len(parts) == partitions:
                return
            time.sleep(0.2)
    finally:
        consumer.close()
    raise AssertionError(f"topic {name} did not appear")


def produce_raw(
    bootstrap: str, topic: str, values: Iterable[bytes], key: bytes | None = None
) -> None:
    """Send raw byte values and wait until the broker has them all."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    try:
        for value in values:
            producer.send(topic, value=value, key=key)
        producer.flush(timeout=30)
    finally:
        producer.close()


def produce_json(bootstrap: str, topic: str, values: Iterable[Any], key: bytes | None = None) -> None:
    """Send JSON values (serialised with orjson)."""
    produce_raw(bootstrap, topic, (orjson.dumps(v) for v in values), key=key)


def consume_raw(
    bootstrap: str, topic: str, count: int, timeout: float = 30.0, *, isolation: str = "read_uncommitted"
) -> list[Any]:
    """Read ``count`` messages from the start of ``topic`` (fewer if ``timeout`` runs out)."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        isolation_level=isolation,
        consumer_timeout_ms=500,
    )
    out: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < count and time.monotonic() < deadline:
            for message in consumer:
                out.append(message)
                if len(out) >= count:
                    break
    finally:
        consumer.close()
    return out


def consume_json(bootstrap: str, topic: str, count: int, timeout: float = 30.0) -> list[Any]:
    """Read ``count`` JSON values from the start of ``topic``."""
    return [orjson.loads(m.value) for m in consume_raw(bootstrap, topic, count, timeout)]
