"""Tiny runs of the benchmark scripts, so they keep working (no timing is asserted here).

Each script runs end to end against the session's broker with a few hundred articles and writes
its JSON document; the tests check what the document says happened, not how fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import memory, pipeline, recovery

pytestmark = pytest.mark.kafka


def run_json(main: Any, tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "result.json"
    assert main([*args, "--json", str(out)]) == 0
    document: dict[str, Any] = json.loads(out.read_text())
    return document


@pytest.mark.timeout(600)
def test_pipeline_throughput_passthrough_and_latency(kafka_bootstrap: str, tmp_path: Path) -> None:
    doc = run_json(pipeline.main, tmp_path, "--bootstrap", kafka_bootstrap, "--articles", "200",
                   "--rates", "20", "--rate-seconds", "3", "--skip", "two-workers", "exactly-once", "rocksdb")
    extract, throughput, passthrough, latency = doc["results"]
    assert extract["scenario"] == "extract-only" and extract["articles"] == 200
    assert extract["extract_per_cpu_s"] > 0 and extract["incidents_per_article"] > 0
    assert throughput["scenario"] == "throughput"
    assert throughput["distinct_summaries"] == 200
    assert throughput["articles_per_s"] > 0 and throughput["incidents"] > 0
    assert passthrough["articles"] == 200 and passthrough["passthrough_per_s"] > 0
    assert doc["ratio"] == round(doc["articles_per_s"] / doc["passthrough_per_s"], 3)
    assert latency["scenario"] == "latency-20/s" and latency["sent"] == 60 and latency["drained"] is True
    assert latency["backlog"] == 0
    assert 0 < latency["p50_ms"] <= latency["p95_ms"] <= latency["p99_ms"] <= latency["max_ms"]
    assert doc["p99_ms"] == latency["p99_ms"]
    assert doc["machine"]["cores"] >= 1 and doc["machine"]["memory_gib"] > 0


@pytest.mark.heavy  # two workers can stall after the start-up rebalance (bench/README.md); not in CI
@pytest.mark.timeout(600)
def test_pipeline_variants(kafka_bootstrap: str, tmp_path: Path) -> None:
    doc = run_json(pipeline.main, tmp_path, "--bootstrap", kafka_bootstrap, "--articles", "200",
                   "--skip", "extract-only", "throughput", "passthrough", "latency")
    by_name = {r["scenario"]: r for r in doc["results"]}
    assert set(by_name) == {"two-workers", "exactly-once", "rocksdb"}
    assert by_name["two-workers"]["workers"] == 2 and len(by_name["two-workers"]["rss_mib"]) == 2
    assert by_name["exactly-once"]["guarantee"] == "exactly_once"
    assert by_name["rocksdb"]["store"] == "rocksdb://"
    for result in by_name.values():
        assert result["distinct_summaries"] == 200
        assert result["articles_per_s"] > 0


@pytest.mark.timeout(300)
def test_recovery_reads_back_the_written_changelog(kafka_bootstrap: str, tmp_path: Path) -> None:
    doc = run_json(recovery.main, tmp_path, "--bootstrap", kafka_bootstrap, "--entries", "500")
    [result] = doc["results"]
    assert result["entries"] == 500 and result["store"] == "memory://"
    assert result["duplicate_detected"] is True
    assert result["fresh_processed"] is True
    assert doc["ready_s"] == result["ready_s"] > 0


def test_changelog_partition_is_the_producers_partition() -> None:
    from kafka.partitioner.default import DefaultPartitioner

    partitions = list(range(6))
    for article_id in ("syn-1-7", "seen-0", "seen-123456", "fresh-1"):
        key = article_id.encode()
        assert recovery.partition_for(key, 6) == DefaultPartitioner()(key, partitions, partitions)


def test_changelog_record_matches_fausts_format() -> None:
    from faust.serializers import codecs

    import streams.worker.faust_codec  # noqa: F401  (registers the tables' orjson codec)

    key, value = recovery.seen_changelog_record("syn-1-7", day=20_000, offset=6)
    # As the worker's tables serialise them (app key_serializer json, value_serializer orjson):
    # the id, and [first offset + 1, stream day] as SeenIds.add writes it.
    assert key == codecs.dumps("json", "syn-1-7") == b'"syn-1-7"'
    assert value == codecs.dumps("orjson", [7, 20_000]) == b"[7,20000]"


@pytest.mark.timeout(300)
def test_memory_reports_each_checkpoint(kafka_bootstrap: str, tmp_path: Path) -> None:
    doc = run_json(memory.main, tmp_path, "--bootstrap", kafka_bootstrap, "--articles", "300",
                   "--checkpoint", "100", "--every", "0.5")
    [result] = doc["results"]
    assert [c["articles"] for c in result["checkpoints"]] == [100, 200, 300]
    assert result["completed"] is True
    assert all(c["rss_mib"] > 0 for c in result["checkpoints"])
    assert doc["rss_mib"] == result["checkpoints"][-1]["rss_mib"]


@pytest.mark.heavy  # starts its own three-node cluster and two workers: about 3 minutes
@pytest.mark.timeout(900)
def test_soak_with_a_worker_and_a_broker_fault(tmp_path: Path) -> None:
    from bench import soak

    out = tmp_path / "soak.json"
    assert soak.main(["--articles", "400", "--rate", "40", "--fault-every", "8", "--faults", "2", "--every", "2",
                      "--warmup", "0", "--drain-timeout", "300", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["exact"] is True and doc["batch"]["articles"] == 400
    assert [f["kind"] for f in doc["faults"]] == ["worker kill -9", "broker kill -9"]
    assert doc["faults"][1]["was_controller"] is False and doc["faults"][1]["node"] in (1, 2, 3)
    assert doc["cluster"] == {**doc["cluster"], "replication_factor": 3, "min_insync_replicas": 2, "brokers": 3}
    checks = doc["checks"]
    assert checks["articles_without_summary"] == checks["incident_ids_missing"] == 0
    assert checks["under_replicated_partitions"] == [] and checks["survivor_never_restarted"] is True
    assert doc["rss"]["survivor"]["samples"] >= 2 and doc["rss"]["survivor"]["max_mib"] > 0
