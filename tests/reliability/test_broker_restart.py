"""Stop and restart the broker mid-stream: the worker reconnects by itself and the tables are exact.

The test runs its own broker (free ports, its own state folder), never the session's: the worker
and the feeder must ride out a broker that disappears for a few seconds and comes back with its
data (a clean stop, as a rolling restart or a host reboot does).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.clients.admin import ensure_topics
from streams.local import broker as lb
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

pytestmark = pytest.mark.kafka


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[lb.BrokerConfig]:
    """A broker for this test only."""
    config = lb.BrokerConfig(state_dir=tmp_path / "broker", port=lb.free_port(), controller_port=lb.free_port())
    lb.start(config, fresh=True)
    try:
        yield config
    finally:
        lb.stop(config.state_dir)


def run_with_broker_restarts(config: lb.BrokerConfig, workdir: Path, stream: Stream, guarantee: str,
                             restarts: int, down_s: float) -> None:
    """Feed ``stream``; stop the broker ``restarts`` times for ``down_s`` seconds; check the end state."""
    started = time.monotonic()
    worker = WorkerProcess(config.bootstrap, workdir, partitions=6, processing_guarantee=guarantee,
                           extra_env=dict(FAST_FAILOVER_ENV))
    ensure_topics(worker.settings)
    worker.start()
    feeder = Feeder(config.bootstrap, worker.settings.articles_topic, stream.messages, rate=80.0).start()
    outage = 0.0
    try:
        for k in range(1, restarts + 1):
            feeder.wait_sent(stream.articles * k // (restarts + 1))
            wait_until(lambda: progress(worker) >= 50, 120, "the worker to process articles before the stop")
            down = time.monotonic()
            assert lb.stop(config.state_dir), "the test broker was not running"
            time.sleep(down_s)
            lb.start(config)
            outage += time.monotonic() - down
            # The same process, never restarted by the test: it must find the broker again.
            assert worker.proc is not None and worker.proc.poll() is None, worker.log_tail()
        feeder.join()
        outcome = assert_exact(worker, stream, exactly_once=guarantee == "exactly_once", timeout=240)
        assert worker.starts == 1, "the worker was restarted"
    finally:
        worker.stop()
    report(f"broker stop/start ({guarantee})", articles=stream.articles, incidents=stream.incidents,
           broker_restarts=restarts, outage_s=outage, feed_s=feeder.seconds, resent=feeder.resent,
           settle_s=outcome.settle_seconds, duplicate_ids=outcome.duplicate_ids,
           total_s=time.monotonic() - started)


def test_broker_restart_mid_stream_worker_reconnects_and_tables_are_exact(
    own_broker: lb.BrokerConfig, tmp_path: Path, stream: Stream
) -> None:
    run_with_broker_restarts(own_broker, tmp_path / "w", stream, "at_least_once", restarts=1, down_s=5.0)


@pytest.mark.heavy
@pytest.mark.parametrize("guarantee", ["exactly_once", "at_least_once"])
def test_broker_restarted_three_times_on_a_long_stream(
    own_broker: lb.BrokerConfig, tmp_path: Path, heavy_stream: Stream, guarantee: str
) -> None:
    run_with_broker_restarts(own_broker, tmp_path / "w", heavy_stream, guarantee, restarts=3, down_s=10.0)
