"""Soak: a long generated stream through two workers on a three-node cluster, with a fault every
few minutes; the tables must be exact at the end and the survivor's memory flat.

Starts its own local cluster (3 KRaft nodes, replication factor 3, ``min.insync.replicas`` 2,
free ports, state under /tmp), two ``casualty worker`` processes (``rocksdb://`` by default, so
memory does not grow with the ids remembered), and feeds ``--articles`` generated articles at
``--rate`` per second with an idempotent ``acks=all`` producer. Every ``--fault-every`` seconds it
breaks one thing, in this order, over and over:

    worker kill -9 -> broker kill -9 -> worker kill -9 -> controller kill -9 -> worker kill -9 -> broker stop 20 s

Only worker A is ever killed (and started again 2 s later, as a supervisor would); worker B lives
through the whole run, so its resident memory over 100,000 articles says whether anything grows.
A killed broker stays down 10 s. Faults go on while the feed runs and until ``--faults`` were made.
At the end, after the stream has drained:

* both workers' ``/regions`` and the latest rows of ``casualty-tallies`` equal the batch result
  (the extractor run once over the same articles, summed with the stream's own tally arithmetic);
* ``incidents`` holds every batch incident id and no other (ids published twice are counted);
* every article has its summary on ``article-summaries``;
* every partition of the run's topics has its 3 replicas in sync.

For each fault: how long until the group had committed every article sent before it
(``caught_up_s``). For memory: worker B's RSS and the brokers' RSS, sampled every ``--every`` s.

    python -m bench.soak --articles 100000 --json bench/results/soak.json
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaAdminClient, KafkaProducer

from bench.common import (
    BenchWorker,
    committed_offsets,
    end_offsets_total,
    machine_info,
    machine_line,
    read_topic,
    rss_mib,
    scenario_settings,
    write_json,
)
from bench.generator import generate
from extractors import extract
from schemas.codec import dumps
from schemas.validation import parse_article
from streams.clients.admin import ensure_topics
from streams.config import Settings
from streams.local import cluster as lc
from streams.worker.tally import apply_incident, counts, event_day, region_key

Row = dict[str, Any]
SCHEDULE = ("worker kill -9", "broker kill -9", "worker kill -9", "controller kill -9", "worker kill -9",
            "broker stop 20 s")
FAILOVER_ENV = {"BROKER_SESSION_TIMEOUT": "12", "BROKER_HEARTBEAT_INTERVAL": "1"}


# --- the stream and its batch result -----------------------------------------------------------


def messages(n: int, seed: int) -> Iterator[tuple[bytes, bytes]]:
    """The generated articles as (key, value), made again on each call (deterministic for a seed)."""
    for synthetic in generate(n, seed=seed):
        yield synthetic.article["id"].encode(), orjson.dumps(synthetic.article)


@dataclass
class Expected:
    """What the stream must end with: the batch tables and the incident and article ids."""

    regions: dict[str, Row] = field(default_factory=dict)
    daily: dict[str, Row] = field(default_factory=dict)
    incident_ids: set[str] = field(default_factory=set)
    article_ids: set[str] = field(default_factory=set)

    def tallies(self) -> dict[str, Row]:
        return {**{f"{code}|all": row for code, row in self.regions.items()}, **self.daily}


def batch_result(n: int, seed: int) -> Expected:
    """Read every article once with the extractor and sum as the tally agent does."""
    out = Expected()
    for key, raw in messages(n, seed):
        out.article_ids.add(key.decode())
        for incident in extract(parse_article(raw)).incidents:
            data = orjson.loads(dumps(incident))  # exactly what the tally agent reads back
            out.incident_ids.add(data["incident_id"])
            if not counts(data):
                continue
            code = region_key(data)
            out.regions[code] = apply_incident(out.regions.get(code), data)
            day = event_day(data)
            if day is not None:
                out.daily[f"{code}|{day}"] = apply_incident(out.daily.get(f"{code}|{day}"), data, window=day)
    return out


# --- feeding -----------------------------------------------------------------------------------


@dataclass
class Feeder:
    """Sends the articles at a steady rate from a thread; failed sends are sent again at the end."""

    bootstrap: str
    topic: str
    n: int
    seed: int
    rate: float
    sent: int = 0
    resent: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    failed: list[int] = field(default_factory=list)

    def start(self) -> Feeder:
        threading.Thread(target=self._run, name="feeder", daemon=True).start()
        return self

    def _producer(self) -> KafkaProducer:
        return KafkaProducer(bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True, linger_ms=5,
                             retries=2_147_483_647, retry_backoff_ms=200, reconnect_backoff_max_ms=2000,
                             delivery_timeout_ms=300_000, request_timeout_ms=30_000, max_block_ms=300_000,
                             max_in_flight_requests_per_connection=1)

    def _run(self) -> None:
        try:
            producer = self._producer()
            started = time.monotonic()
            for index, (key, value) in enumerate(messages(self.n, self.seed)):
                delay = started + index / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                future = producer.send(self.topic, key=key, value=value)
                future.add_errback(lambda _exc, i=index: self.failed.append(i))
                self.sent = index + 1
            producer.flush(timeout=600)
            for _ in range(5):
                if not self.failed:
                    break
                again, self.failed = set(self.failed), []
                self.resent += len(again)
                for index, (key, value) in enumerate(messages(self.n, self.seed)):
                    if index in again:
                        producer.send(self.topic, key=key, value=value).add_errback(
                            lambda _exc, i=index: self.failed.append(i))
                producer.flush(timeout=600)
            if self.failed:
                raise RuntimeError(f"{len(self.failed)} articles could not be delivered")
            producer.close(timeout=30)
        except BaseException as exc:
            self.error = exc
        finally:
            self.done.set()


# --- watching ----------------------------------------------------------------------------------


@dataclass
class Sampler:
    """Samples the survivor's and the brokers' RSS and the articles it finished, every ``every`` s."""

    survivor: BenchWorker
    state_dir: Path
    every: float
    started: float = field(default_factory=time.monotonic)
    samples: list[dict[str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Sampler:
        threading.Thread(target=self._run, name="sampler", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            sample: dict[str, Any] = {"t_s": round(time.monotonic() - self.started, 1)}
            with contextlib.suppress(Exception):
                metrics = self.survivor.metrics()
                sample["survivor_articles"] = int(sum(
                    metrics.get(f'casualty_articles_processed_total{{outcome="{o}"}}', 0.0)
                    for o in ("ok", "duplicate", "dead_letter")))
            if self.survivor.proc is not None:
                sample["survivor_rss_mib"] = rss_mib(self.survivor.pid)
            for node_id in (1, 2, 3):
                pid = lc.node_pid(self.state_dir, node_id)
                sample[f"broker{node_id}_rss_mib"] = rss_mib(pid) if pid else None
            self.samples.append(sample)


def group_committed(settings: Settings) -> int:
    """Articles the worker group has committed (sum of its offsets on ``articles``)."""
    with contextlib.suppress(Exception):
        return sum(committed_offsets(settings.bootstrap, settings.app_id, settings.articles_topic).values())
    return -1


def watch_caught_up(settings: Settings, target: int, since: float, timeout: float,
                    record: dict[str, Any]) -> threading.Thread:
    """In the background, while the fault goes on: set ``record["caught_up_s"]`` to the seconds from
    ``since`` until the group committed ``target`` articles (None when not within ``timeout``)."""
    def run() -> None:
        record["caught_up_s"] = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if group_committed(settings) >= target:
                record["caught_up_s"] = round(time.monotonic() - since, 1)
                return
            time.sleep(0.5)

    thread = threading.Thread(target=run, name="caught-up", daemon=True)
    thread.start()
    return thread


# --- faults ------------------------------------------------------------------------------------


def restart_worker(worker: BenchWorker) -> float:
    """kill -9 a worker, start it again 2 s later; seconds until it is ready again."""
    assert worker.proc is not None
    os.killpg(worker.proc.pid, signal.SIGKILL)  # no shutdown, no final commit
    worker.proc.wait(timeout=30)
    worker.proc = None
    time.sleep(2)
    worker.start()
    return round(worker.wait_ready(timeout=600), 1)


def break_broker(state_dir: Path, kind: str, turn: int) -> dict[str, Any]:
    """Kill or stop one node, bring it back; which node and how long it took."""
    leader = lc.quorum_leader(state_dir)
    if kind == "controller kill -9":
        node = leader
    else:  # another node each time, never the controller
        others = [n for n in (1, 2, 3) if n != leader]
        node = others[turn % len(others)]
    assert node is not None, "no active controller"
    if kind == "broker stop 20 s":
        lc.stop_node(state_dir, node)
        time.sleep(20)
    else:
        lc.kill_node(state_dir, node)
        time.sleep(10)
    restarted = time.monotonic()
    lc.start_node(state_dir, node, timeout=300)
    return {"node": node, "was_controller": node == leader, "rejoin_s": round(time.monotonic() - restarted, 1),
            "controller_after": lc.quorum_leader(state_dir)}


# --- checks ------------------------------------------------------------------------------------


def strip(row: Row) -> Row:
    return {k: v for k, v in row.items() if k != "updated_at"}


def regions_of(worker: BenchWorker) -> dict[str, Row]:
    import urllib.request

    with urllib.request.urlopen(f"{worker.url}/regions", timeout=10) as response:
        doc = orjson.loads(response.read())
    return {row["region_code"]: strip(row) for row in doc["regions"]}


def diff(got: dict[str, Row], want: dict[str, Row], limit: int = 8) -> list[str]:
    keys = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    return [f"{k}: stream {summary(got.get(k))} batch {summary(want.get(k))}" for k in keys[:limit]]


def summary(row: Row | None) -> tuple[int, int, int] | None:
    return None if row is None else (row["killed"], row["wounded"], row["incidents"])


def final_checks(settings: Settings, workers: list[BenchWorker], expected: Expected, timeout: float) -> dict[str, Any]:
    """Wait for the tables to settle, then compare everything with the batch result."""
    started = time.monotonic()
    regions_equal = False
    while time.monotonic() - started < timeout:
        try:
            regions_equal = all(regions_of(w) == expected.regions for w in workers)
        except OSError:
            regions_equal = False
        if regions_equal:
            break
        time.sleep(2)
    settle = round(time.monotonic() - started, 1)
    mismatches = [] if regions_equal else diff(regions_of(workers[0]), expected.regions)
    rows: dict[str, Row] = {}
    for message in read_topic(settings.bootstrap, settings.tallies_topic, timeout=600):
        if message.value is None:
            rows.pop(message.key.decode(), None)
        else:
            rows[message.key.decode()] = strip(orjson.loads(message.value))
    ids = Counter(orjson.loads(m.value)["incident_id"]
                  for m in read_topic(settings.bootstrap, settings.incidents_topic, timeout=600))
    summarised = {orjson.loads(m.value)["article_id"]
                  for m in read_topic(settings.bootstrap, settings.summaries_topic, timeout=600)}
    return {
        "regions_equal_batch": regions_equal,
        "regions_diff": mismatches,
        "settle_s": settle,
        "tallies_topic_equal_batch": rows == expected.tallies(),
        "tallies_diff": diff(rows, expected.tallies()),
        "incident_ids_missing": len(expected.incident_ids - set(ids)),
        "incident_ids_unexpected": len(set(ids) - expected.incident_ids),
        "incident_messages": sum(ids.values()),
        "incident_ids_published_twice_or_more": sum(1 for n in ids.values() if n > 1),
        "articles_without_summary": len(expected.article_ids - summarised),
    }


def under_replicated(bootstrap: str, prefixes: tuple[str, ...]) -> list[str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return [f"{t['topic']}[{p['partition']}]" for t in admin.describe_topics() if t["topic"].startswith(prefixes)
                for p in t["partitions"] if len(p["isr"]) < len(p["replicas"])]
    finally:
        admin.close()


def rss_summary(samples: list[dict[str, Any]], key: str, warmup_s: float) -> dict[str, Any]:
    """First and last RSS after ``warmup_s``, the peak, and the growth per hour (least squares)."""
    points = [(s["t_s"], s[key]) for s in samples if s.get(key) is not None and s["t_s"] >= warmup_s]
    if len(points) < 2:
        return {"samples": len(points)}
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_r = sum(r for _, r in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    slope = sum((t - mean_t) * (r - mean_r) for t, r in points) / var if var else 0.0
    return {"samples": n, "first_mib": points[0][1], "last_mib": points[-1][1],
            "min_mib": min(r for _, r in points), "max_mib": max(r for _, r in points),
            "growth_mib_per_hour": round(slope * 3600, 1)}


# --- the run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace, doc: dict[str, Any]) -> None:
    """Run the soak, filling ``doc`` as it goes (a run that fails still leaves what it measured)."""
    clock = time.monotonic()
    print(f"soak: batch result of {args.articles} articles...", flush=True)
    expected = batch_result(args.articles, args.seed)
    doc["batch"] = {"articles": len(expected.article_ids), "incidents": len(expected.incident_ids),
                    "regions": len(expected.regions), "seconds": round(time.monotonic() - clock, 1)}
    print(f"soak: {doc['batch']}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="casualty-soak-"))
    state = workdir / "cluster"
    config = lc.ClusterConfig.with_free_ports(state, 3)
    workers: list[BenchWorker] = []
    sampler: Sampler | None = None
    try:
        bootstrap, _ = lc.start(config, fresh=True, timeout=300)
        settings = scenario_settings(bootstrap, "soak", store=args.store, partitions=6, replication_factor=3)
        setup = ensure_topics(settings)
        doc["cluster"] = {"bootstrap": bootstrap, "replication_factor": setup.replication_factor,
                          "min_insync_replicas": setup.cluster.min_insync_replicas, "brokers": setup.cluster.brokers}
        workers = [BenchWorker(settings, workdir / name, loglevel="info", extra_env=dict(FAILOVER_ENV))
                   for name in ("a", "b")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready(timeout=600)
        victim, survivor = workers
        survivor_pid = survivor.pid
        sampler = Sampler(survivor, state, args.every).start()
        feeder = Feeder(bootstrap, settings.articles_topic, args.articles, args.seed, args.rate).start()
        feed_started = time.monotonic()
        faults: list[dict[str, Any]] = []
        next_fault = feed_started + args.fault_every
        while not feeder.done.is_set() or len(faults) < args.faults:
            if feeder.error is not None:
                raise RuntimeError(f"the feeder failed: {feeder.error!r}")
            for worker in workers:
                worker.check_alive()
            if time.monotonic() < next_fault:
                time.sleep(1.0)
                continue
            kind = SCHEDULE[len(faults) % len(SCHEDULE)]
            at = time.monotonic()
            sent_before = end_offsets_total(bootstrap, settings.articles_topic)
            record: dict[str, Any] = {"n": len(faults) + 1, "kind": kind, "t_s": round(at - feed_started, 1),
                                      "articles_sent": feeder.sent}
            watcher = watch_caught_up(settings, sent_before, at, args.fault_every, record)
            if kind == "worker kill -9":
                record["ready_again_s"] = restart_worker(victim)
            else:
                record.update(break_broker(state, kind, len(faults)))
            record["fault_s"] = round(time.monotonic() - at, 1)
            watcher.join()
            faults.append(record)
            doc["faults"] = faults
            print(f"soak: fault {record}", flush=True)
            next_fault = max(at + args.fault_every, time.monotonic() + 30)
        doc["feed"] = {"seconds": round(time.monotonic() - feed_started, 1), "sent": feeder.sent,
                       "resent": feeder.resent}
        if feeder.error is not None:
            raise RuntimeError(f"the feeder failed: {feeder.error!r}")
        doc["faults"] = faults
        print("soak: feed done, waiting for the tables to settle...", flush=True)
        doc["checks"] = final_checks(settings, workers, expected, timeout=args.drain_timeout)
        doc["checks"]["under_replicated_partitions"] = under_replicated(bootstrap, (settings.topic_prefix,
                                                                                   settings.app_id))
        doc["checks"]["survivor_never_restarted"] = survivor.proc is not None and survivor.pid == survivor_pid
        sampler.stop()
        doc["rss"] = {
            "survivor": rss_summary(sampler.samples, "survivor_rss_mib", args.warmup),
            **{f"broker{i}": rss_summary(sampler.samples, f"broker{i}_rss_mib", args.warmup) for i in (1, 2, 3)},
        }
        doc["samples"] = sampler.samples
        doc["total_s"] = round(time.monotonic() - clock, 1)
        checks = doc["checks"]
        doc["exact"] = bool(checks["regions_equal_batch"] and checks["tallies_topic_equal_batch"]
                            and not checks["incident_ids_missing"] and not checks["incident_ids_unexpected"]
                            and not checks["articles_without_summary"])
    finally:
        if sampler is not None:
            sampler.stop()
        for worker in workers:
            worker.stop()
        with contextlib.suppress(Exception):
            lc.stop(state)
        if args.keep:
            print(f"soak: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(doc: dict[str, Any]) -> str:
    lines = [f"machine: {machine_line(doc['machine'])}", f"batch: {doc.get('batch')}",
             f"cluster: {doc.get('cluster')}", f"feed: {doc.get('feed')}", "",
             "| # | fault | at (s) | node | fault took (s) | caught up (s) |", "|---|---|---|---|---|---|"]
    for f in doc.get("faults", []):
        lines.append(f"| {f['n']} | {f['kind']} | {f['t_s']} | {f.get('node', 'worker a')} | {f['fault_s']} | "
                     f"{f['caught_up_s']} |")
    lines += ["", f"checks: {doc.get('checks')}", f"rss: {doc.get('rss')}", f"exact: {doc.get('exact')}",
              f"total: {doc.get('total_s')} s", f"error: {doc.get('error')}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.soak [--articles N] [--rate R] [--fault-every S] [--faults K] [--json PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles to stream (default 100000)")
    parser.add_argument("--rate", type=float, default=40.0, help="articles per second fed (default 40)")
    parser.add_argument("--fault-every", type=float, default=200.0, help="seconds between faults (default 200)")
    parser.add_argument("--faults", type=int, default=10, help="make at least this many faults (default 10)")
    parser.add_argument("--store", default="rocksdb://", help="table store of the workers (default rocksdb://)")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=300.0, help="RSS growth is measured after this many s")
    parser.add_argument("--drain-timeout", type=float, default=3600.0, help="longest wait for the tables to settle")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="write the results here (one JSON object)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster state and worker logs")
    args = parser.parse_args(argv)
    doc: dict[str, Any] = {"benchmark": "soak", "machine": machine_info(),
                           "config": {k: str(v) for k, v in vars(args).items()}, "exact": False}
    try:
        run(args, doc)
    except Exception as exc:
        doc["error"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        print(report(doc))
        if args.json:
            write_json(args.json, doc)
    return 0 if doc["exact"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
