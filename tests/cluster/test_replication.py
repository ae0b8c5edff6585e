"""Replication settings: every topic we create gets the cluster's factor, producers wait for all
in-sync replicas, and a worker refuses, with one line, a factor the cluster cannot hold."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from streams.clients import admin as topic_admin
from streams.clients.admin import ClusterReplication, ReplicationUnavailable, ensure_topics, replication_factor
from streams.config import SETTINGS_DOC, WORKER_FLAGS, Settings
from tests.cluster.support import LocalCluster, replication_of
from tests.support.worker import WorkerProcess

LAYOUT = 10  # articles, its DLT, incidents, summaries, tallies, events; 3 table changelogs; Faust's assignor topic


def layout_names(settings: Settings) -> set[str]:
    return {name for name, _, _ in topic_admin.topic_layout(settings)}


# --- settings (no broker) ----------------------------------------------------------------------


def test_the_factor_comes_from_the_environment_and_empty_means_the_brokers_default() -> None:
    assert Settings.from_env({}).replication_factor == 0
    assert Settings.from_env({"CASUALTY_REPLICATION_FACTOR": ""}).replication_factor == 0
    assert Settings.from_env({"CASUALTY_REPLICATION_FACTOR": "3"}).replication_factor == 3
    assert Settings.from_env({"CASUALTY_REPLICATION_FACTOR": "3"}, replication_factor=2).replication_factor == 2
    with pytest.raises(ValueError, match="CASUALTY_REPLICATION_FACTOR must be an integer"):
        Settings.from_env({"CASUALTY_REPLICATION_FACTOR": "three"})
    with pytest.raises(ValueError, match="replication_factor must be at least 1"):
        Settings.from_env({}, replication_factor=-1)
    assert "replication_factor" in WORKER_FLAGS
    assert SETTINGS_DOC["replication_factor"][0] == "CASUALTY_REPLICATION_FACTOR"


@pytest.mark.parametrize("setting, cluster, expected", [
    (0, ClusterReplication(brokers=1, default_replication_factor=1, min_insync_replicas=1), 1),
    (0, ClusterReplication(brokers=3, default_replication_factor=3, min_insync_replicas=2), 3),
    (2, ClusterReplication(brokers=3, default_replication_factor=3, min_insync_replicas=2), 2),
    (3, ClusterReplication(brokers=3, default_replication_factor=0, min_insync_replicas=0), 3),  # configs unreadable
])
def test_the_factor_is_the_setting_else_the_brokers_default(setting: int, cluster: ClusterReplication,
                                                            expected: int) -> None:
    settings = Settings.from_env({}, bootstrap="k1:9092", replication_factor=setting)
    assert replication_factor(settings, cluster) == expected


def test_a_factor_above_the_broker_count_or_unknown_is_refused_in_one_line() -> None:
    settings = Settings.from_env({}, bootstrap="k1:9092,k2:9092", replication_factor=3)
    with pytest.raises(ReplicationUnavailable) as refused:
        replication_factor(settings, ClusterReplication(2, 1, 1))
    assert str(refused.value) == (
        "replication factor 3 (CASUALTY_REPLICATION_FACTOR/--replication-factor) needs 3 brokers, but the cluster "
        "at k1:9092,k2:9092 lists 2: start more brokers or lower --replication-factor")
    with pytest.raises(ReplicationUnavailable) as refused:
        replication_factor(settings.with_(replication_factor=0), ClusterReplication(2, 3, 2))
    assert str(refused.value).startswith("replication factor 3 (the broker's default.replication.factor) needs 3")
    with pytest.raises(ReplicationUnavailable) as refused:
        replication_factor(settings.with_(replication_factor=0), ClusterReplication(2, 0, 0))
    assert str(refused.value) == ("cannot read default.replication.factor from the brokers at k1:9092,k2:9092: "
                                  "set CASUALTY_REPLICATION_FACTOR/--replication-factor")


def test_producers_wait_for_every_in_sync_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.feed import run as feed_run
    from streams.worker.app import create_app

    app = create_app(Settings.from_env({}, replication_factor=3))
    assert app.conf.producer_acks == -1 and app.conf.topic_replication_factor == 3

    seen: dict[str, Any] = {}

    def capture(settings: Settings, **options: Any) -> Any:
        seen.update(options)
        raise RuntimeError("captured")

    monkeypatch.setattr(feed_run, "open_producer", capture)
    with pytest.raises(RuntimeError, match="captured"):
        feed_run.run_feed([], Settings.from_env({}), feed_run.FeedOptions(topic="articles"), None,  # type: ignore[arg-type]
                          stdin=io.BytesIO(b'{"id": "a1", "body": "Gunmen killed two guards in Kirkuk."}\n'))
    assert seen["acks"] == "all" and seen["enable_idempotence"] is True


# --- against brokers ---------------------------------------------------------------------------


@pytest.mark.kafka
def test_one_node_broker_gives_one_replica_by_default(kafka_bootstrap: str, tmp_path: Path) -> None:
    settings = WorkerProcess(kafka_bootstrap, tmp_path).settings
    setup = ensure_topics(settings)
    assert (setup.replication_factor, setup.cluster.brokers) == (1, 1)
    assert set(setup.created) == layout_names(settings)
    topics = replication_of(kafka_bootstrap, (settings.topic_prefix, settings.app_id))
    assert set(topics) == layout_names(settings) and all(counts == {1} for counts in topics.values()), topics


@pytest.mark.kafka
def test_every_topic_and_changelog_gets_three_replicas_on_the_cluster(cluster: LocalCluster, tmp_path: Path) -> None:
    worker = WorkerProcess(cluster.bootstrap, tmp_path, partitions=3)  # factor: the brokers' default
    worker.start(timeout=180)
    try:
        # Everything the running worker uses, Faust's own topics included, and nothing else.
        topics = replication_of(cluster.bootstrap, (worker.topic_prefix, worker.app_id))
        assert set(topics) == layout_names(worker.settings) and len(topics) == LAYOUT
        assert all(counts == {3} for counts in topics.values()), topics
        assert replication_of(cluster.bootstrap, ("__consumer_offsets",)) == {"__consumer_offsets": {3}}
        log = worker.log_path.read_text()
        assert "replication 3 on 3 brokers, min.insync.replicas 2" in log, log[-2000:]
    finally:
        worker.stop()


@pytest.mark.kafka
def test_existing_topics_with_fewer_replicas_are_named(cluster: LocalCluster, tmp_path: Path) -> None:
    settings = WorkerProcess(cluster.bootstrap, tmp_path).settings
    assert ensure_topics(settings.with_(replication_factor=2)).replication_factor == 2
    again = ensure_topics(settings.with_(replication_factor=3))
    assert again.created == [] and set(again.under_replicated) == layout_names(settings)


@pytest.mark.kafka
@pytest.mark.parametrize("where", ["one-node broker", "three-node cluster"])
def test_worker_refuses_a_factor_above_the_broker_count_in_one_line(
    where: str, kafka_bootstrap: str, cluster: LocalCluster, tmp_path: Path
) -> None:
    bootstrap, brokers = (kafka_bootstrap, 1) if where == "one-node broker" else (cluster.bootstrap, 3)
    factor = brokers + 2
    worker = WorkerProcess(bootstrap, tmp_path, extra_env={"CASUALTY_REPLICATION_FACTOR": str(factor)})
    started = time.monotonic()
    worker.start(wait=False)
    assert worker.proc is not None
    try:
        code = worker.proc.wait(timeout=120)
    finally:
        worker.kill()
    log = worker.log_path.read_text(errors="replace")
    assert code != 0 and time.monotonic() - started < 60
    # One line: "Error: ..." from click here; main's worker CLI now prints "error: ..." (exit 3).
    [line] = [line for line in log.splitlines() if line.strip()]
    assert line.lower().startswith("error: ") and line[len("error: "):] == (
        f"replication factor {factor} (CASUALTY_REPLICATION_FACTOR/--replication-factor) needs {factor} "
        f"brokers, but the cluster at {bootstrap} lists {brokers}: start more brokers or lower --replication-factor"
    )
    assert replication_of(bootstrap, (worker.topic_prefix, worker.app_id)) == {}, "no topic was created"
