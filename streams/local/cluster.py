"""A local multi-node Kafka 4 cluster (KRaft): every node is broker and controller.

Built from the same pieces as the one-node broker (:mod:`streams.local.broker`): each node is a
:class:`~streams.local.broker.BrokerConfig` with its own id, ports and state folder, and all of
them share one cluster id and a static quorum (``controller.quorum.voters``; storage is formatted
without ``--standalone``, ../shared/notes/field-notes.md). One state folder holds the cluster::

    <state>/cluster.json     node count, ports, cluster id, replication settings
    <state>/node-<id>/       that node's server.properties, broker.json, data/ and logs/

Replication: ``default.replication.factor`` and the internal topics' factor are
``min(3, nodes)``, ``min.insync.replicas`` is ``min(2, nodes)``: with 3 nodes a write with
``acks=all`` survives the loss of one broker, and is refused rather than kept on one copy when
two are gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from streams.local import broker as lb

DEFAULT_NODE_HEAP = os.environ.get("CASUALTY_CLUSTER_HEAP", "384m")
CLUSTER_FILE = "cluster.json"
QUORUM_STATE = Path("data") / "__cluster_metadata-0" / "quorum-state"


@dataclass(slots=True)
class ClusterConfig:
    """How to run a local cluster: node ``i`` (1-based) uses ``ports[i-1]`` and ``controller_ports[i-1]``."""

    state_dir: Path
    ports: tuple[int, ...]
    controller_ports: tuple[int, ...]
    heap: str = DEFAULT_NODE_HEAP
    host: str = "127.0.0.1"
    cluster_id: str = ""
    replication_factor: int = 0  # 0: min(3, nodes)
    min_insync_replicas: int = 0  # 0: min(2, nodes)
    # Settings added to every node (e.g. shorter broker session timeouts in tests).
    extra_properties: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.ports) != len(self.controller_ports) or not self.ports:
            raise lb.BrokerError("a cluster needs one client port and one controller port per node")
        if len(set(self.ports) | set(self.controller_ports)) != 2 * len(self.ports):
            raise lb.BrokerError("every node needs its own client and controller port")
        self.replication_factor = self.replication_factor or min(3, self.nodes)
        self.min_insync_replicas = self.min_insync_replicas or min(2, self.nodes)

    @classmethod
    def with_base_ports(cls, state_dir: Path, nodes: int, port: int = lb.DEFAULT_PORT,
                        controller_port: int = lb.DEFAULT_CONTROLLER_PORT, heap: str = DEFAULT_NODE_HEAP,
                        ) -> ClusterConfig:
        """Node ``i`` listens on ``port + 2(i-1)`` and ``controller_port + 2(i-1)`` (9092/9093, 9094/9095, ...)."""
        if nodes < 1:
            raise lb.BrokerError("--nodes must be at least 1")
        return cls(state_dir=state_dir, ports=tuple(port + 2 * i for i in range(nodes)),
                   controller_ports=tuple(controller_port + 2 * i for i in range(nodes)), heap=heap)

    @classmethod
    def with_free_ports(cls, state_dir: Path, nodes: int, *, heap: str = DEFAULT_NODE_HEAP,
                        extra_properties: Mapping[str, str] | None = None) -> ClusterConfig:
        """A cluster on unused ports (tests, side by side with another broker)."""
        ports: list[int] = []
        while len(ports) < 2 * nodes:
            port = lb.free_port()
            if port not in ports:
                ports.append(port)
        return cls(state_dir=state_dir, ports=tuple(ports[:nodes]), controller_ports=tuple(ports[nodes:]),
                   heap=heap, extra_properties=dict(extra_properties or {}))

    @property
    def nodes(self) -> int:
        return len(self.ports)

    @property
    def node_ids(self) -> list[int]:
        return list(range(1, self.nodes + 1))

    @property
    def bootstrap(self) -> str:
        """Every node's client address, comma-separated (clients find the others through any one)."""
        return ",".join(f"{self.host}:{port}" for port in self.ports)

    @property
    def voters(self) -> str:
        """``controller.quorum.voters``: every node votes."""
        return ",".join(f"{i}@{self.host}:{self.controller_ports[i - 1]}" for i in self.node_ids)

    def node_dir(self, node_id: int) -> Path:
        return self.state_dir / f"node-{node_id}"

    def node(self, node_id: int) -> lb.BrokerConfig:
        """The broker configuration of one node."""
        if node_id not in self.node_ids:
            raise lb.BrokerError(f"no node {node_id}: the cluster has nodes 1-{self.nodes}")
        return lb.BrokerConfig(
            state_dir=self.node_dir(node_id), port=self.ports[node_id - 1],
            controller_port=self.controller_ports[node_id - 1], heap=self.heap, host=self.host,
            extra_properties=self.extra_properties, node_id=node_id, quorum_voters=self.voters,
            replication_factor=self.replication_factor, min_insync_replicas=self.min_insync_replicas,
        )

    def to_json(self) -> dict[str, object]:
        return {"nodes": self.nodes, "ports": list(self.ports), "controller_ports": list(self.controller_ports),
                "heap": self.heap, "host": self.host, "cluster_id": self.cluster_id,
                "replication_factor": self.replication_factor, "min_insync_replicas": self.min_insync_replicas,
                "extra_properties": dict(self.extra_properties), "bootstrap": self.bootstrap}


def is_cluster(state_dir: Path) -> bool:
    """True when ``state_dir`` holds a multi-node cluster (rather than a one-node broker)."""
    return (state_dir / CLUSTER_FILE).exists()


def read_cluster(state_dir: Path) -> ClusterConfig:
    """The configuration recorded by the last ``start`` of the cluster in ``state_dir``."""
    try:
        data = json.loads((state_dir / CLUSTER_FILE).read_text())
        return ClusterConfig(
            state_dir=state_dir, ports=tuple(data["ports"]), controller_ports=tuple(data["controller_ports"]),
            heap=data["heap"], host=data["host"], cluster_id=data["cluster_id"],
            replication_factor=data["replication_factor"], min_insync_replicas=data["min_insync_replicas"],
            extra_properties=data.get("extra_properties", {}),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise lb.BrokerError(f"no readable cluster in {state_dir} ({exc}): start one with --nodes N") from exc


def alive_brokers(bootstrap: str, timeout: float = 5.0) -> list[int]:
    """Ids of the brokers the cluster's metadata lists (registered and not fenced); [] if none answers."""
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000) + 1000,
                                 api_version_auto_timeout_ms=int(timeout * 1000))
    except (KafkaError, OSError, ValueError):
        return []
    try:
        return sorted(int(b["node_id"]) for b in admin.describe_cluster()["brokers"])
    except (KafkaError, OSError, KeyError):
        return []
    finally:
        admin.close()


def start(config: ClusterConfig, *, fresh: bool = False, timeout: float = 120.0) -> tuple[str, bool]:
    """Start every node that is not running and wait until all are registered; (bootstrap, started_any)."""
    state = config.state_dir
    if lb.running_pid(state) is not None:
        raise lb.BrokerError(f"a one-node broker runs with state in {state}: `casualty broker stop` it first")
    if is_cluster(state) and not fresh:
        recorded = read_cluster(state)
        if recorded.nodes != config.nodes:
            raise lb.BrokerError(
                f"{state} holds a {recorded.nodes}-node cluster: start it with --nodes {recorded.nodes}, "
                "wipe it with --fresh, or use another --state-dir"
            )
        if any(node_pid(state, i) for i in recorded.node_ids):
            config = recorded  # keep the running nodes' ports
        config.cluster_id = recorded.cluster_id
    if fresh:
        wipe(state)
    config.cluster_id = config.cluster_id or lb.random_cluster_id()
    state.mkdir(parents=True, exist_ok=True)
    (state / CLUSTER_FILE).write_text(json.dumps(config.to_json(), indent=2) + "\n")
    launched: dict[int, subprocess.Popen[bytes]] = {}
    try:
        for node_id in config.node_ids:
            if node_pid(state, node_id) is None:
                launched[node_id] = lb.launch(config.node(node_id), config.cluster_id)
        wait_registered(config, config.node_ids, timeout, launched)
    except lb.BrokerError:
        for node_id in launched:
            lb.stop(config.node_dir(node_id), timeout=10)
        raise
    return config.bootstrap, bool(launched)


def wipe(state_dir: Path) -> None:
    """Delete a stopped cluster's nodes (data, logs) and its record."""
    if any(node_pid(state_dir, int(d.name.split("-")[1])) for d in state_dir.glob("node-*") if d.name[5:].isdigit()):
        raise lb.BrokerError(f"the cluster in {state_dir} is running: `casualty broker stop` it first")
    for node_dir in state_dir.glob("node-*"):
        shutil.rmtree(node_dir)
    (state_dir / CLUSTER_FILE).unlink(missing_ok=True)


def wait_registered(config: ClusterConfig, node_ids: list[int], timeout: float,
                    launched: Mapping[int, subprocess.Popen[bytes]] | None = None) -> None:
    """Wait until the metadata lists every node of ``node_ids`` as a broker; raise if one exits or time runs out."""
    deadline = time.monotonic() + timeout
    seen: list[int] = []
    while time.monotonic() < deadline:
        for node_id, proc in (launched or {}).items():
            if proc.poll() is not None:
                raise lb.BrokerError(
                    f"node {node_id} exited with code {proc.returncode} while starting; see "
                    f"{config.node_dir(node_id)}/logs/server.log\n{lb.tail_logs(config.node_dir(node_id), 15)}"
                )
        seen = alive_brokers(config.bootstrap, timeout=2.0)
        if set(node_ids) <= set(seen):
            return
        time.sleep(0.5)
    raise lb.BrokerError(
        f"nodes {sorted(set(node_ids) - set(seen))} did not register within {timeout:.0f}s; see {config.state_dir}"
    )


def node_pid(state_dir: Path, node_id: int) -> int | None:
    """The pid of a node if it runs."""
    return lb.running_pid(state_dir / f"node-{node_id}")


def start_node(state_dir: Path, node_id: int, *, timeout: float = 90.0) -> None:
    """Start one stopped node of the cluster again and wait until it is registered."""
    config = read_cluster(state_dir)
    if node_pid(state_dir, node_id) is not None:
        return
    node = config.node(node_id)
    proc = lb.launch(node, config.cluster_id)
    # Its own address first: until its session expires, the metadata still lists a killed node.
    lb.wait_answers(node, proc, timeout)
    wait_registered(config, [node_id], timeout, {node_id: proc})


def stop_node(state_dir: Path, node_id: int, *, timeout: float = 30.0) -> bool:
    """Stop one node cleanly (SIGTERM: it hands its partition leadership over first)."""
    return lb.stop(state_dir / f"node-{node_id}", timeout=timeout)


def kill_node(state_dir: Path, node_id: int) -> bool:
    """SIGKILL one node: no controlled shutdown, as a crashed host."""
    return lb.kill(state_dir / f"node-{node_id}")


def stop(state_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop every node; returns False if none ran.

    The nodes get SIGTERM together; a broker's controlled shutdown needs an active controller, so
    stopping them one by one would leave the last ones waiting for a quorum that is gone.
    """
    config = read_cluster(state_dir)
    pids = {i: pid for i in config.node_ids if (pid := node_pid(state_dir, i)) is not None}
    if not pids:
        return False
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for node_id in pids:
        lb.stop(config.node_dir(node_id), timeout=timeout)  # waits, then SIGKILL if still running
    return True


def quorum_leader(state_dir: Path) -> int | None:
    """The node id of the active controller (the KRaft quorum's leader), or None when there is none.

    Read from the nodes' own ``quorum-state`` files (each node writes its view at every election):
    the view with the highest epoch among running nodes is the current one. Clients cannot ask:
    in KRaft, the controller id of a metadata answer is a random broker.
    """
    config = read_cluster(state_dir)
    best: tuple[int, int] | None = None
    for node_id in config.node_ids:
        if node_pid(state_dir, node_id) is None:
            continue
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            data = json.loads((config.node_dir(node_id) / QUORUM_STATE).read_text())
            epoch, leader = int(data["leaderEpoch"]), int(data["leaderId"])
            if leader > 0 and (best is None or epoch > best[0]):
                best = (epoch, leader)
    if best is None or node_pid(state_dir, best[1]) is None:
        return None
    return best[1]


def status(state_dir: Path) -> dict[str, object]:
    """Running state of every node, the brokers the metadata lists and the active controller."""
    config = read_cluster(state_dir)
    nodes = []
    for node_id in config.node_ids:
        pid = node_pid(state_dir, node_id)
        nodes.append({"node": node_id, "running": pid is not None, "pid": pid,
                      "bootstrap": f"{config.host}:{config.ports[node_id - 1]}",
                      "controller_port": config.controller_ports[node_id - 1]})
    running = any(node["running"] for node in nodes)
    brokers = alive_brokers(config.bootstrap, timeout=3.0) if running else []
    return {
        "state_dir": str(state_dir),
        "nodes": nodes,
        "running": running,
        "bootstrap": config.bootstrap,
        "brokers": brokers,
        "controller": quorum_leader(state_dir) if running else None,
        "replication_factor": config.replication_factor,
        "min_insync_replicas": config.min_insync_replicas,
    }


def tail_node_logs(state_dir: Path, node_id: int, lines: int = 50) -> str:
    """The last lines of one node's server log."""
    read_cluster(state_dir).node(node_id)  # a clear error for a node that does not exist
    return lb.tail_logs(state_dir / f"node-{node_id}", lines)
