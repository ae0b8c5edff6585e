"""``casualty broker start|stop|status|logs``: the embedded local Kafka broker, or a local cluster.

``start`` runs one node unless told ``--nodes N``; a state folder remembers whether it holds a
cluster (``cluster.json``), so ``stop``, ``status``, ``logs`` and a later ``start`` find it again.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from streams.local import broker as lb
from streams.local import cluster as lc

state_dir_option = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the broker's pid, data and logs [default: ~/.cache/casualty-stream/kafka].",
)


def _state(state_dir: Path | None) -> Path:
    return (state_dir or lb.default_state_dir()).expanduser().resolve()


@click.group()
def broker() -> None:
    """Run the embedded local Kafka 4 broker (KRaft, from Maven jars): one node, or a cluster with --nodes.

    \b
    Examples:
      casualty broker start                    # 127.0.0.1:9092, state in ~/.cache/casualty-stream/kafka
      casualty broker start --port 19092 --controller-port 19093 --state-dir /tmp/k --fresh
      casualty broker start --nodes 3 --state-dir /tmp/k3   # three nodes, replication factor 3
      casualty broker status; casualty broker logs; casualty broker stop
    """


@broker.command()
@click.option("--port", type=int, default=None,
              help=f"Client (PLAINTEXT) port [default: {lb.DEFAULT_PORT}, or the cluster's recorded ports]; "
                   "node i of a cluster uses port + 2(i-1).")
@click.option("--controller-port", type=int, default=None,
              help=f"KRaft controller port [default: {lb.DEFAULT_CONTROLLER_PORT}]; node i of a cluster uses "
                   "controller-port + 2(i-1).")
@click.option("--nodes", type=click.IntRange(min=1), default=None,
              help="Nodes, each broker and controller [default: 1, or the cluster this state folder holds].")
@state_dir_option
@click.option("--fresh", is_flag=True, help="Wipe topics and offsets before starting.")
@click.option("--heap", default=None,
              help=f"JVM heap per node [default: {lb.DEFAULT_HEAP}; {lc.DEFAULT_NODE_HEAP} per node of a cluster].")
def start(port: int | None, controller_port: int | None, nodes: int | None, state_dir: Path | None, fresh: bool,
          heap: str | None) -> None:
    """Start the broker (or cluster) on 127.0.0.1 and wait until it answers; print the bootstrap address.

    \b
    Example:
      export KAFKA_BOOTSTRAP=$(casualty broker start --port 19092 --controller-port 19093)
    """
    state = _state(state_dir)
    holds_cluster = lc.is_cluster(state)
    if nodes is None:
        nodes = lc.read_cluster(state).nodes if holds_cluster else 1
    try:
        if nodes == 1:
            if holds_cluster and not fresh:
                raise lb.BrokerError(
                    f"{state} holds a {lc.read_cluster(state).nodes}-node cluster: start it without --nodes, "
                    "replace it with --nodes 1 --fresh, or use another --state-dir"
                )
            if holds_cluster:
                lc.wipe(state)
            config = lb.BrokerConfig(state_dir=state, port=port or lb.DEFAULT_PORT,
                                     controller_port=controller_port or lb.DEFAULT_CONTROLLER_PORT,
                                     heap=heap or lb.DEFAULT_HEAP)
            bootstrap, started = lb.start(config, fresh=fresh)
        else:
            bootstrap, started = lc.start(_cluster_config(state, nodes, port, controller_port, heap), fresh=fresh)
    except lb.BrokerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not started:
        click.echo(f"broker already running at {bootstrap} (state: {state})", err=True)
    elif nodes > 1:
        click.echo(f"{nodes}-node cluster running (state: {state}): `casualty broker status` shows the nodes",
                   err=True)
    click.echo(bootstrap)


def _cluster_config(state: Path, nodes: int, port: int | None, controller_port: int | None,
                    heap: str | None) -> lc.ClusterConfig:
    """The ports and heap given, else those the state folder's cluster recorded, else the defaults."""
    if lc.is_cluster(state) and lc.read_cluster(state).nodes == nodes:
        recorded = lc.read_cluster(state)
        if port is None and controller_port is None:
            recorded.heap = heap or recorded.heap
            return recorded
    return lc.ClusterConfig.with_base_ports(state, nodes, port or lb.DEFAULT_PORT,
                                            controller_port or lb.DEFAULT_CONTROLLER_PORT,
                                            heap=heap or lc.DEFAULT_NODE_HEAP)


@broker.command()
@state_dir_option
def stop(state_dir: Path | None) -> None:
    """Stop the broker or every node of the cluster (SIGTERM, then SIGKILL after 30 s).

    \b
    Example:
      casualty broker stop --state-dir /tmp/k
    """
    state = _state(state_dir)
    stopped = lc.stop(state) if lc.is_cluster(state) else lb.stop(state)
    if stopped:
        click.echo("cluster stopped" if lc.is_cluster(state) else "broker stopped")
    else:
        click.echo("no broker running", err=True)


@broker.command()
@state_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(state_dir: Path | None, as_json: bool) -> None:
    """Say whether the broker runs and answers; exit 1 when it does not run.

    For a cluster: one line per node, the brokers the metadata lists and the active controller;
    exit 0 when every node runs and is listed, 2 when some are missing, 1 when none runs.

    \b
    Example:
      casualty broker status || casualty broker start
    """
    state = _state(state_dir)
    if lc.is_cluster(state):
        _cluster_status(state, as_json)
        return
    info = lb.status(state)
    if as_json:
        import orjson

        click.echo(orjson.dumps(info).decode())
    elif info["running"]:
        answer = "answers metadata requests" if info["answers"] else "does not answer yet"
        click.echo(f"running: pid {info['pid']} at {info['bootstrap']}, {answer}")
    else:
        click.echo(f"not running (state: {info['state_dir']})")
    sys.exit(0 if info["running"] else 1)


def _cluster_status(state: Path, as_json: bool) -> None:
    from streams.clients.connect import quiet_library_logs

    quiet_library_logs()  # a node that is down is reported below, not as kafka-python's warnings
    info = lc.status(state)
    nodes = info["nodes"]
    assert isinstance(nodes, list)
    brokers = info["brokers"]
    assert isinstance(brokers, list)
    if as_json:
        import orjson

        click.echo(orjson.dumps(info).decode())
    else:
        click.echo(f"cluster of {len(nodes)} nodes at {info['bootstrap']} (state: {state})")
        for node in nodes:
            if node["running"]:
                listed = "listed in the metadata" if node["node"] in brokers else "not listed in the metadata yet"
                role = ", active controller" if node["node"] == info["controller"] else ""
                click.echo(f"  node {node['node']}: running, pid {node['pid']} at {node['bootstrap']}, {listed}{role}")
            else:
                click.echo(f"  node {node['node']}: not running ({node['bootstrap']})")
        click.echo(f"replication factor {info['replication_factor']}, "
                   f"min.insync.replicas {info['min_insync_replicas']}")
    all_up = all(node["running"] and node["node"] in brokers for node in nodes)
    sys.exit(0 if all_up else (2 if info["running"] else 1))


@broker.command()
@state_dir_option
@click.option("--node", type=click.IntRange(min=1), default=1, show_default=True, help="Node of a cluster.")
@click.option("-n", "--lines", type=int, default=50, show_default=True)
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines.")
def logs(state_dir: Path | None, node: int, lines: int, follow: bool) -> None:
    """Print the server log of the broker (of one node of a cluster with --node N).

    \b
    Example:
      casualty broker logs --lines 200 | grep ERROR
    """
    state = _state(state_dir)
    if lc.is_cluster(state):
        try:
            click.echo(lc.tail_node_logs(state, node, lines))
        except lb.BrokerError as exc:
            raise click.ClickException(str(exc)) from exc
        state = state / f"node-{node}"
    elif node != 1:
        raise click.ClickException(f"{state} holds a one-node broker: there is no node {node}")
    else:
        click.echo(lb.tail_logs(state, lines))
    if not follow:
        return
    path = state / "logs" / "server.log"
    with open(path, errors="replace") as handle:
        handle.seek(0, 2)
        try:
            while True:
                line = handle.readline()
                if line:
                    click.echo(line, nl=False)
                else:
                    time.sleep(0.5)
        except KeyboardInterrupt:
            pass
