"""A broker lost mid-stream on the three-node cluster: the same worker carries on and the tables are exact.

Every topic and changelog has 3 replicas and the brokers require 2 in sync (``acks=all``). While
a generated stream is fed, one node is broken:

* (a) a broker other than the active controller (the worker's group coordinator when it can) is
  killed with SIGKILL, stays down 10 s, and is started again;
* (b) the active controller (the KRaft quorum's leader, which also leads partitions) is killed
  with SIGKILL, stays down 10 s, and is started again;
* (c) the broker leading most of the worker's partitions is stopped cleanly for 20 s, longer
  than the brokers' session with the controller (9 s) and the worker's group session (12 s).

Then: the worker process is the one started at the beginning; ``/regions``, ``casualty-tallies``
and ``incidents`` equal the batch result exactly; every article has its summary; every partition
of our topics has its 3 replicas in sync again. Each run prints how long the worker took to
handle every article sent before the fault (``caught_up_s``), its longest stall, and the incident
ids published more than once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.clients.admin import ensure_topics
from streams.local import cluster as lc
from tests.cluster.conftest import casualty
from tests.cluster.support import (
    LocalCluster,
    ProgressLog,
    busiest_leader,
    group_coordinator,
    summarised_articles,
    wait_fully_replicated,
)
from tests.reliability.support import (
    FAST_FAILOVER_ENV,
    Feeder,
    Stream,
    assert_exact,
    progress,
    report,
    wait_until,
)
from tests.support.worker import WorkerProcess

# Each test feeds 5,000 articles at 80/s (about a minute) and waits for the end state.
pytestmark = [pytest.mark.kafka, pytest.mark.timeout(900)]

FEED_RATE = 80.0  # articles per second, as the reliability suite


# A fault takes the cluster and the running worker, breaks a node, brings it back and returns a
# description (which node, how) for the report.
Fault = Callable[[LocalCluster, WorkerProcess], str]


def kill_a_broker(cluster: LocalCluster, worker: WorkerProcess) -> str:
    """(a) SIGKILL a broker that is not the active controller (the group coordinator if it is not)."""
    controller = cluster.controller()
    coordinator = group_coordinator(cluster.bootstrap, worker.app_id)
    victim = coordinator if coordinator != controller else busiest_leader(
        cluster.bootstrap, worker.settings, exclude={controller})
    assert lc.kill_node(cluster.state_dir, victim)
    time.sleep(10)
    lc.start_node(cluster.state_dir, victim)
    role = "group coordinator" if victim == coordinator else "partition leader"
    return f"node {victim} ({role}) SIGKILL, 10 s down"


def kill_the_controller(cluster: LocalCluster, worker: WorkerProcess) -> str:
    """(b) SIGKILL the active controller; another node must win the election."""
    controller = cluster.controller()
    assert lc.kill_node(cluster.state_dir, controller)
    new_controller = cluster.controller()  # waits for the election
    assert new_controller != controller
    time.sleep(10)
    lc.start_node(cluster.state_dir, controller)
    return f"controller node {controller} SIGKILL, node {new_controller} elected, 10 s down"


def stop_a_broker_past_its_session(cluster: LocalCluster, worker: WorkerProcess) -> str:
    """(c) Stop the busiest partition leader for 20 s (its session with the controller is 9 s)."""
    victim = busiest_leader(cluster.bootstrap, worker.settings, exclude=set())
    assert lc.stop_node(cluster.state_dir, victim)
    time.sleep(5)
    # The operator's view while a node is away: the node is down, the others list two brokers.
    status = casualty("broker", "status", "--state-dir", str(cluster.state_dir))
    assert status.returncode == 2, status.stdout + status.stderr
    assert f"node {victim}: not running" in status.stdout
    time.sleep(15)
    lc.start_node(cluster.state_dir, victim)
    return f"node {victim} (busiest leader) stopped 20 s"


def run_with_fault(cluster: LocalCluster, workdir: Path, stream: Stream, fault: Fault, name: str,
                   guarantee: str = "at_least_once") -> None:
    """Feed ``stream`` through one worker, apply ``fault`` a third of the way in, check the end state."""
    started = time.monotonic()
    worker = WorkerProcess(cluster.bootstrap, workdir, partitions=6, processing_guarantee=guarantee,
                           extra_env={**FAST_FAILOVER_ENV, "CASUALTY_REPLICATION_FACTOR": "3"})
    setup = ensure_topics(worker.settings)
    assert setup.replication_factor == 3 and setup.cluster.min_insync_replicas == 2
    worker.start(timeout=180)
    feeder = Feeder(cluster.bootstrap, worker.settings.articles_topic, stream.messages, rate=FEED_RATE).start()
    log = ProgressLog(worker, feeder).start()
    try:
        feeder.wait_sent(stream.articles // 3, timeout=300)
        wait_until(lambda: progress(worker) >= 200, 300, "the worker to process articles before the fault")
        fault_at = time.monotonic()
        what = fault(cluster, worker)
        fault_s = time.monotonic() - fault_at
        assert worker.proc is not None and worker.proc.poll() is None, worker.log_tail()
        feeder.join(timeout=600)
        outcome = assert_exact(worker, stream, exactly_once=guarantee == "exactly_once", timeout=600)
        summaries = summarised_articles(cluster.bootstrap, worker.settings.summaries_topic)
        missing = {key.decode() for key, _ in stream.messages} - summaries
        assert not missing, f"{len(missing)} articles have no summary, e.g. {sorted(missing)[:5]}"
        assert worker.starts == 1 and worker.proc is not None and worker.proc.poll() is None, "the worker restarted"
        resynced = wait_fully_replicated(cluster.bootstrap, (worker.topic_prefix, worker.app_id))
        recovery = log.recovery(fault_at)
        assert recovery.caught_up_s is not None, "the worker never handled the articles sent before the fault"
    finally:
        log.stop()
        worker.stop()
        cluster.heal()
    report(f"cluster {name} ({guarantee})", fault=f"'{what}'", articles=stream.articles,
           incidents=stream.incidents, fault_s=fault_s, caught_up_s=recovery.caught_up_s,
           longest_stall_s=recovery.longest_stall_s, feed_s=feeder.seconds, resent=feeder.resent,
           settle_s=outcome.settle_seconds, duplicate_ids=outcome.duplicate_ids,
           incident_messages=outcome.incident_messages, isr_resync_s=resynced,
           total_s=time.monotonic() - started)


def test_broker_killed_and_restarted_mid_stream(cluster: LocalCluster, tmp_path: Path,
                                                cluster_stream: Stream) -> None:
    run_with_fault(cluster, tmp_path / "w", cluster_stream, kill_a_broker, "broker kill -9")


@pytest.mark.heavy
def test_controller_leader_killed_mid_stream(cluster: LocalCluster, tmp_path: Path, cluster_stream: Stream) -> None:
    run_with_fault(cluster, tmp_path / "w", cluster_stream, kill_the_controller, "controller kill -9")


@pytest.mark.heavy
def test_broker_stopped_longer_than_its_session(cluster: LocalCluster, tmp_path: Path,
                                                cluster_stream: Stream) -> None:
    run_with_fault(cluster, tmp_path / "w", cluster_stream, stop_a_broker_past_its_session, "broker stop 20 s")


@pytest.mark.heavy
def test_controller_leader_killed_mid_stream_exactly_once(cluster: LocalCluster, tmp_path: Path,
                                                          cluster_stream: Stream) -> None:
    run_with_fault(cluster, tmp_path / "w", cluster_stream, kill_the_controller, "controller kill -9",
                   guarantee="exactly_once")
