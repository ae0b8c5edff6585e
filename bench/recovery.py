"""Recovery benchmark: seconds from ``casualty worker`` start to ``/readyz`` over big changelogs.

The changelog of the de-duplication table (``<app id>-seen-articles-changelog``) is written
directly with kafka-python, in the exact format Faust writes it (checked against a worker's own
changelog): key = the article id with the app's ``json`` key serializer, value = ``[offset + 1,
day]`` with the ``orjson`` value serializer, no headers, in the partition the article id hashes to
on the ``articles`` topic (tables are co-partitioned with their stream), marked today. Writing directly takes seconds;
producing the same table by running articles through a worker would take hours.

After the worker reports ready, the run proves the table really was recovered: it feeds one
article whose id is in the changelog and expects the worker to skip it as a duplicate (and a
fresh article to be processed normally).

    python -m bench.recovery --entries 100000 1000000 --json bench/results/recovery.json
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaProducer
from kafka.partitioner.default import murmur2

from bench.common import (
    BenchWorker,
    broker_for,
    idempotent_producer,
    machine_info,
    machine_line,
    render_table,
    rss_mib,
    scenario_settings,
    wait_until,
    write_json,
)
from streams.clients.admin import ensure_topics
from streams.config import Settings

DAY_S = 86_400


def partition_for(key: bytes, partitions: int) -> int:
    """The partition kafka-python's (and Java's) default partitioner picks for ``key``."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def seen_changelog_record(article_id: str, day: int, offset: int) -> tuple[bytes, bytes]:
    """(key, value) of one seen-articles changelog entry, byte for byte as Faust writes it.

    Key: the id with the app's ``json`` key serializer. Value: ``[offset + 1, day]``, the source
    offset + 1 of the message that first carried the id and the stream day of that message
    (:class:`streams.worker.tables.SeenIds`), with the ``orjson`` value serializer.
    """
    return orjson.dumps(article_id), orjson.dumps([offset + 1, day])


def write_seen_changelog(settings: Settings, count: int, prefix: str = "seen") -> tuple[float, list[str]]:
    """Write ``count`` seen-articles entries (marked today); return (seconds, a few ids written)."""
    topic = f"{settings.app_id}-seen-articles-changelog"
    today = int(time.time() // DAY_S)
    # Plain producer, deep pipeline: the changelog is set-up data, the timed part is the recovery.
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks=1, linger_ms=100,
                             batch_size=1024 * 1024, max_in_flight_requests_per_connection=10)
    started = time.perf_counter()
    sample: list[str] = []
    try:
        for i in range(count):
            article_id = f"{prefix}-{i}"
            # As if article i had been read at offset i: never 0, the offset our check article gets.
            key, value = seen_changelog_record(article_id, today, offset=i)
            producer.send(topic, key=key, value=value,
                          partition=partition_for(article_id.encode(), settings.partitions))
            if i % max(1, count // 5) == 0:
                sample.append(article_id)
        producer.flush(timeout=600)
    finally:
        producer.close()
    return time.perf_counter() - started, sample


def article(article_id: str) -> bytes:
    """A small valid article (our own wording) with the given id."""
    return orjson.dumps({
        "id": article_id, "source": "Bench Wire", "title": "Roadside bomb near Baquba",
        "published": "2026-03-02", "body": "A roadside bomb killed two soldiers near Baquba on Monday.",
    })


def verify_recovered(worker: BenchWorker, settings: Settings, known_id: str) -> dict[str, Any]:
    """Feed an id from the changelog and a fresh one: the first must be a duplicate, the second ok."""
    before = worker.metrics()
    producer = idempotent_producer(settings.bootstrap, linger_ms=0)
    try:
        producer.send(settings.articles_topic, key=known_id.encode(), value=article(known_id))
        producer.send(settings.articles_topic, key=b"fresh-1", value=article("fresh-1"))
        producer.flush(timeout=60)
    finally:
        producer.close()

    def counts() -> tuple[float, float]:
        m = worker.metrics()
        key_dup, key_ok = 'casualty_articles_processed_total{outcome="duplicate"}', \
            'casualty_articles_processed_total{outcome="ok"}'
        return m.get(key_dup, 0.0) - before.get(key_dup, 0.0), m.get(key_ok, 0.0) - before.get(key_ok, 0.0)

    wait_until(lambda: sum(counts()) >= 2, 120, 0.5, worker.check_alive)
    duplicates, ok = counts()
    return {"duplicate_detected": duplicates == 1, "fresh_processed": ok == 1,
            "verify_counts": {"duplicate": duplicates, "ok": ok}}


def run_one(bootstrap: str, entries: int, store: str, workdir: Path) -> dict[str, Any]:
    """Write ``entries`` changelog entries, start a worker, time it to ready, verify the table."""
    settings = scenario_settings(bootstrap, f"recovery-{entries}", store=store)
    ensure_topics(settings)
    write_s, sample = write_seen_changelog(settings, entries)
    worker = BenchWorker(settings, workdir / f"recovery-{entries}").start()
    try:
        ready_s = worker.wait_ready(timeout=1800)
        rss = rss_mib(worker.pid)
        check = verify_recovered(worker, settings, sample[len(sample) // 2])
    finally:
        worker.stop()
    out = {"entries": entries, "store": store, "changelog_write_s": round(write_s, 1),
           "ready_s": round(ready_s, 1), "rss_after_ready_mib": rss, **check}
    if store.startswith("rocksdb://"):
        # A restart on the same host keeps the RocksDB files: only the changelog tail written
        # since the stop is replayed, which is how a persistent store restarts in production.
        again = BenchWorker(settings, worker.workdir, web_port=worker.web_port).start()
        try:
            out["restart_ready_s"] = round(again.wait_ready(timeout=1800), 1)
        finally:
            again.stop()
    return out


COLUMNS = (("entries", "changelog entries"), ("store", "store"), ("ready_s", "start -> ready (s)"),
           ("restart_ready_s", "restart on its own store -> ready (s)"),
           ("rss_after_ready_mib", "RSS after ready (MiB)"), ("duplicate_detected", "recovered id skipped"),
           ("fresh_processed", "fresh article processed"), ("changelog_write_s", "write changelog (s)"))


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.recovery [--entries N ...] [--stores URL ...] [--json PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.recovery", description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="changelog sizes to recover (default 100000 1000000)")
    parser.add_argument("--stores", nargs="+", default=["memory://"], help="table stores (memory://, rocksdb://)")
    parser.add_argument("--json", type=Path, help="write the results here (one JSON object)")
    parser.add_argument("--bootstrap", help="use this broker instead of starting a dedicated one")
    parser.add_argument("--keep", action="store_true", help="keep the broker state and worker logs")
    args = parser.parse_args(argv)
    doc: dict[str, Any] = {"benchmark": "recovery", "machine": machine_info(), "results": []}
    workdir = Path(tempfile.mkdtemp(prefix="casualty-bench-recovery-"))
    try:
        with broker_for(args.bootstrap, keep=args.keep) as bootstrap:
            for store in args.stores:
                for entries in args.entries:
                    doc["results"].append(run_one(bootstrap, entries, store, workdir))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    largest = max(doc["results"], key=lambda r: (r["store"] == "memory://", r["entries"]))
    doc["ready_s"] = largest["ready_s"]
    doc["ready_entries"] = largest["entries"]
    print(f"machine: {machine_line(doc['machine'])}\n")
    print(render_table(doc["results"], COLUMNS))
    if args.json:
        write_json(args.json, doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
