"""Tools of the cluster suite: the local three-node cluster, which node to break, how long the
worker took to recover, and the checks that the cluster's replicas and the stream are whole again.

The stream checks themselves (tables equal the batch result, every incident id on ``incidents``)
are the reliability suite's (:func:`tests.reliability.support.assert_exact`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import orjson
from kafka import KafkaAdminClient

from streams.config import Settings
from streams.local import cluster as lc
from tests.reliability.support import Feeder, progress, read_topic
from tests.support.worker import WorkerProcess

OFFSETS_PARTITIONS = 8  # offsets.topic.num.partitions of the local brokers


@dataclass(frozen=True)
class LocalCluster:
    """The running test cluster: its state folder and bootstrap list."""

    state_dir: Path

    @property
    def config(self) -> lc.ClusterConfig:
        return lc.read_cluster(self.state_dir)

    @property
    def bootstrap(self) -> str:
        return self.config.bootstrap

    def controller(self) -> int:
        """The node id of the active controller (waits out an election)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            leader = lc.quorum_leader(self.state_dir)
            if leader is not None:
                return leader
            time.sleep(0.2)
        raise AssertionError("no active controller after 30 s")

    def heal(self) -> None:
        """Start every node that is not running and wait until all are listed again."""
        lc.start(self.config, timeout=120)


def java_hash(text: str) -> int:
    """Java's ``String.hashCode`` (the group coordinator is chosen with it)."""
    value = 0
    for char in text:
        value = (31 * value + ord(char)) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def leaders(bootstrap: str, topics: list[str]) -> dict[tuple[str, int], int]:
    """(topic, partition) -> the broker id leading it."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return {(t["topic"], p["partition"]): p["leader"] for t in admin.describe_topics(topics)
                for p in t["partitions"]}
    finally:
        admin.close()


def group_coordinator(bootstrap: str, group: str) -> int:
    """The broker coordinating ``group``: the leader of its ``__consumer_offsets`` partition."""
    partition = abs(java_hash(group)) % OFFSETS_PARTITIONS
    return leaders(bootstrap, ["__consumer_offsets"])[("__consumer_offsets", partition)]


def busiest_leader(bootstrap: str, settings: Settings, exclude: set[int]) -> int:
    """The broker (not in ``exclude``) leading the most partitions of the worker's input and output topics."""
    counts: dict[int, int] = {}
    topics = [settings.articles_topic, settings.incidents_topic, settings.tallies_topic]
    for broker in leaders(bootstrap, topics).values():
        if broker not in exclude:
            counts[broker] = counts.get(broker, 0) + 1
    return max(counts, key=lambda broker: counts[broker])


def under_replicated(bootstrap: str, prefixes: tuple[str, ...]) -> list[str]:
    """Partitions of topics starting with ``prefixes`` whose in-sync replicas are fewer than their replicas."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return [f"{t['topic']}[{p['partition']}] isr={p['isr']}" for t in admin.describe_topics()
                if t["topic"].startswith(prefixes) for p in t["partitions"] if len(p["isr"]) < len(p["replicas"])]
    finally:
        admin.close()


def replication_of(bootstrap: str, prefixes: tuple[str, ...]) -> dict[str, set[int]]:
    """Topic -> the set of its partitions' replica counts, for topics starting with ``prefixes``."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return {t["topic"]: {len(p["replicas"]) for p in t["partitions"]} for t in admin.describe_topics()
                if t["topic"].startswith(prefixes)}
    finally:
        admin.close()


def wait_fully_replicated(bootstrap: str, prefixes: tuple[str, ...], timeout: float = 120.0) -> float:
    """Wait until every partition of the matching topics has all its replicas in sync; seconds taken."""
    started = time.monotonic()
    lagging: list[str] = []
    while time.monotonic() - started < timeout:
        lagging = under_replicated(bootstrap, prefixes)
        if not lagging:
            return time.monotonic() - started
        time.sleep(1.0)
    raise AssertionError(f"partitions still under-replicated after {timeout}s: {lagging[:10]}")


def summarised_articles(bootstrap: str, topic: str) -> set[str]:
    """The article ids that have a summary on ``article-summaries`` (one per processed article)."""
    return {orjson.loads(m.value)["article_id"] for m in read_topic(bootstrap, topic)}


@dataclass
class ProgressLog:
    """Samples, in the background, how many articles the feeder sent and the worker handled."""

    worker: WorkerProcess
    feeder: Feeder
    interval: float = 0.2
    samples: list[tuple[float, int, int]] = field(default_factory=list)  # (monotonic, sent, handled)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> ProgressLog:
        self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            handled = progress(self.worker)
            self.samples.append((time.monotonic(), self.feeder.sent, handled))
            self._stop.wait(self.interval)

    def recovery(self, fault_at: float) -> Recovery:
        """How the worker fared after the fault at ``fault_at`` (a ``time.monotonic()``)."""
        after = [s for s in self.samples if s[0] >= fault_at]
        sent_at_fault = max((s[1] for s in self.samples if s[0] <= fault_at), default=0)
        caught_up = next((t - fault_at for t, _, handled in after if handled >= sent_at_fault), None)
        longest, still_since = 0.0, None
        last_handled = -1
        for t, sent, handled in after:
            if handled > last_handled or handled >= sent:
                still_since = t
                last_handled = handled
            elif still_since is not None:
                longest = max(longest, t - still_since)
        return Recovery(caught_up, longest)


@dataclass(frozen=True)
class Recovery:
    """``caught_up_s``: from the fault until the worker had handled every article sent before it
    (None: never); ``longest_stall_s``: the longest time the worker handled nothing while articles waited."""

    caught_up_s: float | None
    longest_stall_s: float


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` took."""
    started = time.monotonic()
    action()
    return time.monotonic() - started


_BLOCK_RANGE: Final = (26000, 32000)
"""Where port blocks are taken: below Linux's ephemeral range (32768-60999), from which every
outgoing connection of the other tests takes its local port. A block taken from that range (as
the kernel's free port 0 gives) can lose one of its ports to a connection between the check and
the broker's bind: a CI run failed so, with node 3 unable to bind. (Single ports:
``streams.local.broker.free_port``, 20000-26000.)"""


def free_port_block(count: int) -> int:
    """The first of ``count`` consecutive free ports (node i of a CLI cluster uses base + 2(i-1))."""
    rnd = random.Random()
    for _ in range(200):
        base = rnd.randrange(_BLOCK_RANGE[0], _BLOCK_RANGE[1] - count)
        if all(not _in_use(base + i) for i in range(count)):
            return base
    raise AssertionError(f"no block of {count} free ports found")


def _in_use(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False
