"""Creating our topics with the right partitions, replication and cleanup policies (kafka-python admin).

Every topic the worker uses, table changelogs included, is created here before Faust starts,
with ``settings.replication_factor`` replicas, or the broker's ``default.replication.factor`` when
that setting is 0 (the default). :func:`ensure_topics` refuses, with one line, a factor larger
than the number of brokers the cluster lists: topics created then would be under-replicated
from the start (or not created at all), and every ``acks=all`` write would wait for replicas that
do not exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import (
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    NoBrokersAvailable,
    TopicAlreadyExistsError,
)

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
    # Faust's own topic (its partition assignor elects a leader through it); created here so that
    # it gets the same replication as ours rather than Faust's default of 1.
    out.append((f"{settings.app_id}-__assignor-__leader", 1, {}))
    return out


class ReplicationUnavailable(KafkaUnavailable):
    """The cluster cannot hold the replication factor asked for; ``str(exc)`` is one line."""


@dataclass(frozen=True, slots=True)
class ClusterReplication:
    """What the cluster offers: the brokers its metadata lists and the brokers' replication defaults
    (0 when the brokers would not tell, e.g. an ACL denies DescribeConfigs)."""

    brokers: int
    default_replication_factor: int
    min_insync_replicas: int


@dataclass(frozen=True, slots=True)
class TopicSetup:
    """What :func:`ensure_topics` did: topics created, the factor used, existing topics with fewer replicas."""

    created: list[str]
    replication_factor: int
    cluster: ClusterReplication
    under_replicated: list[str] = field(default_factory=list)


def cluster_replication(admin: KafkaAdminClient) -> ClusterReplication:
    """The broker count and the replication defaults of the first listed broker."""
    brokers = admin.describe_cluster()["brokers"]
    wanted = {"default.replication.factor": None, "min.insync.replicas": None}
    values = dict.fromkeys(wanted, 0)
    try:
        [response] = admin.describe_configs(
            [ConfigResource(ConfigResourceType.BROKER, str(brokers[0]["node_id"]), configs=wanted)])
        [(error_code, _, _, _, entries)] = response.resources
        if not error_code:
            values.update({entry[0]: int(entry[1]) for entry in entries})
    except (KafkaError, ValueError):
        pass
    return ClusterReplication(len(brokers), values["default.replication.factor"], values["min.insync.replicas"])


def replication_factor(settings: Settings, cluster: ClusterReplication) -> int:
    """The factor our topics get: the setting, else the broker's default; raise if the cluster is too small."""
    factor = settings.replication_factor or cluster.default_replication_factor
    if factor < 1:
        raise ReplicationUnavailable(
            f"cannot read default.replication.factor from the brokers at {settings.bootstrap}: "
            "set CASUALTY_REPLICATION_FACTOR/--replication-factor"
        )
    if factor > cluster.brokers:
        source = ("CASUALTY_REPLICATION_FACTOR/--replication-factor" if settings.replication_factor
                  else "the broker's default.replication.factor")
        raise ReplicationUnavailable(
            f"replication factor {factor} ({source}) needs {factor} brokers, but the cluster at "
            f"{settings.bootstrap} lists {cluster.brokers}: start more brokers or lower --replication-factor"
        )
    return factor


def ensure_topics(settings: Settings, timeout: float = 60.0,
                  on_wait: Callable[[str], None] | None = None) -> TopicSetup:
    """Create missing topics with the cluster's replication factor (see :func:`replication_factor`).

    Existing topics are left as they are; those with fewer replicas than the factor are listed in
    the result (Kafka cannot raise a topic's factor without a reassignment). Connection errors are
    retried until ``timeout`` (a broker that has just started, a TLS connection to a second node
    refused while it comes up); a refused login or certificate and a factor the cluster cannot
    hold are not. ``on_wait(reason)`` is called once, on the first failed attempt, so a person
    knows what the command waits for.
    """
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            return _ensure_topics_once(settings)
        except ReplicationUnavailable:
            raise
        except KafkaUnavailable as exc:
            # A refused login or certificate does not get better by retrying.
            if str(exc).startswith(("authentication failed", "TLS handshake")):
                raise
            if on_wait is not None and not told:
                on_wait(str(exc))
                told = True
            if time.monotonic() > deadline:
                raise
        except (KafkaConnectionError, KafkaTimeoutError, NoBrokersAvailable) as exc:
            if on_wait is not None and not told:
                on_wait(str(exc) or type(exc).__name__)
                told = True
            if time.monotonic() > deadline:
                raise
        time.sleep(1.0)


def _ensure_topics_once(settings: Settings) -> TopicSetup:
    # Through streams.clients.connect: a refused login becomes one clear line (no secret), not
    # kafka-python's misleading IncompatibleBrokerVersion after a minute of retries.
    admin = open_client(KafkaAdminClient, settings, client_id=f"{settings.app_id}-admin")
    created: list[str] = []
    try:
        factor = replication_factor(settings, cluster := cluster_replication(admin))
        existing = set(admin.list_topics())
        layout = topic_layout(settings)
        for name, partitions, config in layout:
            if name in existing:
                continue
            try:
                admin.create_topics([NewTopic(name, partitions, factor, topic_configs=config)])
                created.append(name)
            except TopicAlreadyExistsError:
                # (created a moment ago, by us or another worker, and not yet in this broker's
                # listing: an existing topic, whose replicas are checked below)
                existing.add(name)
        ours = [name for name, _, _ in layout if name in existing]
        under = [t["topic"] for t in admin.describe_topics(ours)
                 if any(len(p["replicas"]) < factor for p in t["partitions"])] if ours else []
        _start_group_coordinator(admin, settings.app_id)
    finally:
        admin.close()
    return TopicSetup(created, factor, cluster, sorted(under))


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
