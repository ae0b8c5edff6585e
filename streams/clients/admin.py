"""Creating our topics with the right partitions and cleanup policies (kafka-python admin)."""

from __future__ import annotations

import time

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

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


def ensure_topics(settings: Settings, timeout: float = 60.0) -> list[str]:
    """Create missing topics; return the names created. Existing topics are left as they are."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            # Through streams.clients.connect: a refused login becomes one clear line (no secret), not
            # kafka-python's misleading IncompatibleBrokerVersion after a minute of retries.
            admin = open_client(KafkaAdminClient, settings, client_id=f"{settings.app_id}-admin")
            break
        except KafkaUnavailable as exc:
            if str(exc).startswith("authentication failed") or time.monotonic() > deadline:
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
    finally:
        admin.close()
    return created
