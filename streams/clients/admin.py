"""Creating our topics with the right partitions and cleanup policies (kafka-python admin)."""

from __future__ import annotations

import time
from collections.abc import Callable

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from schemas import topics as spec
from streams.clients.connect import KafkaUnavailable
from streams.clients.connect import _open as open_client
from streams.config import Settings
from streams.worker.tables import changelog_layout


def topic_layout(settings: Settings) -> list[tuple[str, int, dict[str, str]]]:
    """(name, partitions, config) of every topic the worker reads or writes."""
    out = []
    for topic in spec.ALL_TOPICS:
        partitions = topic.partitions if topic is spec.ARTICLES_DLT else settings.partitions
        config = {"cleanup.policy": topic.cleanup_policy}
        if topic.cleanup_policy == "compact":
            config["min.cleanable.dirty.ratio"] = "0.1"
            config["segment.ms"] = str(60 * 60 * 1000)
        out.append((settings.topic(topic.name), partitions, config))
    for name, config in changelog_layout(settings.app_id, settings.seen_retention_days):
        out.append((name, settings.partitions, config))
    return out


def ensure_topics(settings: Settings, timeout: float = 60.0, on_wait: Callable[[str], None] | None = None) -> list[str]:
    """Create missing topics; return the names created. Existing topics are left as they are.

    Retries for ``timeout`` seconds while no broker answers; ``on_wait(reason)`` is called once,
    on the first failed attempt, so a person knows what the command waits for.
    """
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            # Through streams.clients.connect: a refused login becomes one clear line (no secret), not
            # kafka-python's misleading IncompatibleBrokerVersion after a minute of retries.
            admin = open_client(KafkaAdminClient, settings, client_id=f"{settings.app_id}-admin")
            break
        except KafkaUnavailable as exc:
            if str(exc).startswith("authentication failed"):
                raise
            if on_wait is not None and not told:
                on_wait(str(exc))
                told = True
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)
    created: list[str] = []
    try:
        existing = set(admin.list_topics())
        for name, partitions, config in topic_layout(settings):
            if name in existing:
                continue
            try:
                admin.create_topics([NewTopic(name, partitions, 1, topic_configs=config)])
                created.append(name)
            except TopicAlreadyExistsError:
                pass
        _start_group_coordinator(admin, settings.app_id)
    finally:
        admin.close()
    return created


def _start_group_coordinator(admin: KafkaAdminClient, group: str, timeout: float = 15.0) -> None:
    """Ask for the consumer group's coordinator until the broker has one.

    A new broker creates its ``__consumer_offsets`` topic on the first such request and answers
    "coordinator not available" meanwhile; Faust's consumer logged that as an ERROR on every
    clean start. Asking here first lets the worker start against a ready coordinator.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            admin.list_consumer_group_offsets(group)
            return
        except KafkaError:
            if time.monotonic() > deadline:
                return  # the worker's own consumer retries; this was only to keep its log clean
            time.sleep(0.3)


def delete_if_empty(settings: Settings, names: list[str]) -> bool:
    """Delete the topics ``names`` when none of them holds a record; True when they were deleted.

    Used after a worker failed to start, for the topics that very run created: a topic that
    holds data is never deleted.
    """
    if not names:
        return False
    consumer = open_client(KafkaConsumer, settings, client_id=f"{settings.app_id}-cleanup")
    try:
        parts = [TopicPartition(n, p) for n in names for p in (consumer.partitions_for_topic(n) or ())]
        if any(offset > 0 for offset in consumer.end_offsets(parts).values()):
            return False
    finally:
        consumer.close()
    admin = open_client(KafkaAdminClient, settings, client_id=f"{settings.app_id}-cleanup")
    try:
        admin.delete_topics(names)
    finally:
        admin.close()
    return True


def delete_topics_with_prefix(settings: Settings, prefixes: tuple[str, ...]) -> list[str]:
    """Delete every topic whose name starts with one of ``prefixes``; return the names deleted."""
    admin = open_client(KafkaAdminClient, settings, client_id="casualty-cleanup")
    try:
        names = sorted(t for t in admin.list_topics() if t.startswith(prefixes))
        if names:
            admin.delete_topics(names)
    finally:
        admin.close()
    return names
