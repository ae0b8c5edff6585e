"""``casualty broker start --nodes 3``, ``status``, ``logs --node N`` and ``stop`` on a real cluster,
and the one-node broker's configuration left exactly as it was before clusters existed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.local import broker as lb
from streams.local import cluster as lc
from tests.cluster.conftest import casualty
from tests.cluster.support import LocalCluster

# The one-node server.properties as it was before --nodes existed (scripts/test.sh and the demo use it).
ONE_NODE_PROPERTIES = """process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=/s/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
log.segment.bytes=67108864
log.cleaner.dedupe.buffer.size=8388608
num.network.threads=2
num.io.threads=2
"""


def test_one_node_configuration_is_unchanged() -> None:
    assert lb.BrokerConfig(state_dir=Path("/s")).server_properties() == ONE_NODE_PROPERTIES


def test_cluster_nodes_share_voters_and_replicate_three_ways(tmp_path: Path) -> None:
    config = lc.ClusterConfig.with_base_ports(tmp_path, 3, 9092, 9093)
    assert config.bootstrap == "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096"
    props = [dict(line.split("=", 1) for line in config.node(i).server_properties().splitlines())
             for i in (1, 2, 3)]
    assert [p["node.id"] for p in props] == ["1", "2", "3"]
    assert {p["controller.quorum.voters"] for p in props} == {"1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097"}
    assert [p["listeners"] for p in props][2] == "PLAINTEXT://127.0.0.1:9096,CONTROLLER://127.0.0.1:9097"
    assert [p["log.dirs"] for p in props] == [str(tmp_path / f"node-{i}" / "data") for i in (1, 2, 3)]
    for p in props:
        assert (p["default.replication.factor"], p["min.insync.replicas"]) == ("3", "2")
        assert (p["offsets.topic.replication.factor"], p["transaction.state.log.replication.factor"]) == ("3", "3")
        assert p["transaction.state.log.min.isr"] == "2"
    two = lc.ClusterConfig.with_base_ports(tmp_path, 2)
    assert (two.replication_factor, two.min_insync_replicas) == (2, 2)
    with pytest.raises(lb.BrokerError, match="own client and controller port"):
        lc.ClusterConfig.with_base_ports(tmp_path, 3, 9092, 9094)  # node 2's client port is node 1's controller port


@pytest.mark.kafka
def test_status_lists_every_node_and_the_active_controller(cluster: LocalCluster) -> None:
    config = cluster.config
    shown = casualty("broker", "status", "--state-dir", str(cluster.state_dir))
    assert shown.returncode == 0, shown.stdout + shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"cluster of 3 nodes at {config.bootstrap} (state: {cluster.state_dir})"
    assert lines[-1] == "replication factor 3, min.insync.replicas 2"
    controller = cluster.controller()
    for node_id, line in zip((1, 2, 3), lines[1:4], strict=True):
        assert line.startswith(f"  node {node_id}: running, pid ")
        assert f"at 127.0.0.1:{config.ports[node_id - 1]}, listed in the metadata" in line
        assert line.endswith(", active controller") == (node_id == controller)
    info = json.loads(casualty("broker", "status", "--state-dir", str(cluster.state_dir), "--json").stdout)
    assert info["brokers"] == [1, 2, 3] and info["controller"] == controller
    assert [node["running"] for node in info["nodes"]] == [True, True, True]


@pytest.mark.kafka
def test_logs_of_one_node_and_start_again(cluster: LocalCluster) -> None:
    state = str(cluster.state_dir)
    node2 = casualty("broker", "logs", "--state-dir", state, "--node", "2", "-n", "100000")
    assert node2.returncode == 0 and "node.id = 2" in node2.stdout and "node.id = 1\n" not in node2.stdout
    missing = casualty("broker", "logs", "--state-dir", state, "--node", "4")
    assert missing.returncode == 1 and missing.stderr.strip() == "Error: no node 4: the cluster has nodes 1-3"
    again = casualty("broker", "start", "--state-dir", state)
    assert again.returncode == 0 and again.stdout.strip() == cluster.bootstrap
    assert again.stderr.strip() == f"broker already running at {cluster.bootstrap} (state: {state})"
    one = casualty("broker", "start", "--nodes", "1", "--state-dir", state)
    assert one.returncode == 1 and one.stderr.strip() == (
        f"Error: {state} holds a 3-node cluster: start it without --nodes, replace it with --nodes 1 --fresh, "
        "or use another --state-dir")
