"""kill -9 the worker mid-stream, restart it, and still get exactly the batch tables.

A feeder sends the generated articles at a steady rate from a background thread while the test
kills the worker (SIGKILL of its process group: no shutdown, no final commit, no flush) and starts
it again on the same topics and app id. Tables come back from their changelogs; what was in
flight is processed again, and must count once.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.clients.admin import ensure_topics
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


def run_with_kills(bootstrap: str, workdir: Path, stream: Stream, guarantee: str, kills: int,
                   rate: float) -> None:
    """Feed ``stream`` at ``rate``/s, kill -9 and restart the worker ``kills`` times, check the end state."""
    started = time.monotonic()
    worker = WorkerProcess(bootstrap, workdir, partitions=6, processing_guarantee=guarantee,
                           extra_env=dict(FAST_FAILOVER_ENV))
    ensure_topics(worker.settings)
    worker.start()
    feeder = Feeder(bootstrap, worker.settings.articles_topic, stream.messages, rate=rate).start()
    downtime = 0.0
    try:
        for k in range(1, kills + 1):
            # Spread the kills over the feed, and only kill a worker that is busy processing.
            feeder.wait_sent(stream.articles * k // (kills + 1))
            wait_until(lambda: progress(worker) >= 50, 120, "the worker to process articles before the kill")
            worker.kill()
            down = time.monotonic()
            worker.start(timeout=120)
            downtime += time.monotonic() - down
        feeder.join()
        outcome = assert_exact(worker, stream, exactly_once=guarantee == "exactly_once")
    finally:
        worker.stop()
    report(f"worker kill -9 ({guarantee})", articles=stream.articles, incidents=stream.incidents,
           kills=kills, feed_s=feeder.seconds, restart_s=downtime, settle_s=outcome.settle_seconds,
           incident_messages=outcome.incident_messages, duplicate_ids=outcome.duplicate_ids,
           total_s=time.monotonic() - started)


@pytest.mark.parametrize("guarantee", ["exactly_once", "at_least_once"])
def test_kill_9_twice_mid_stream_gives_the_batch_tables(
    kafka_bootstrap: str, tmp_path: Path, stream: Stream, guarantee: str
) -> None:
    run_with_kills(kafka_bootstrap, tmp_path, stream, guarantee, kills=2, rate=80.0)


@pytest.mark.heavy
@pytest.mark.parametrize("guarantee", ["exactly_once", "at_least_once"])
def test_kill_9_five_times_on_a_long_stream(
    kafka_bootstrap: str, tmp_path: Path, heavy_stream: Stream, guarantee: str
) -> None:
    run_with_kills(kafka_bootstrap, tmp_path, heavy_stream, guarantee, kills=5, rate=120.0)
